#include "iraqsim/model/assassination.hpp"

#include <algorithm>
#include <cmath>

#include "iraqsim/engine/step_context.hpp"

namespace iraqsim::model {

void update_assassinations(const world::Roster& roster, const world::State& prev, world::State& next, Levers& levers,
                           const Eigen::ArrayXd& armed, const ViolenceParams& params, const engine::StepContext& ctx,
                           std::vector<Incident>* incidents) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    for (const AssassinationCampaign& campaign : levers.assassinations) {
        const auto f = static_cast<Eigen::Index>(campaign.perpetrator), g = static_cast<Eigen::Index>(campaign.target);
        const world::Faction& target = roster.factions[campaign.target];
        // Civilian victims come from the target's first base community (-1: it has none).
        const Eigen::Index c = target.community_base.empty() ? -1 : static_cast<Eigen::Index>(target.community_base.front().index());
        double members_killed = 0;
        for (Eigen::Index p = 0; p < P; ++p) {
            if (!campaign.provinces[static_cast<std::size_t>(p)]) continue;
            const double squads = campaign.squad_share * prev.militia(p, f) * armed(f) * (1.0 - levers.compliance(f));
            const double m = prev.militia(p, g);
            if (squads <= 0 || m <= 0) continue;
            engine::RandomStream rng = ctx.stream(engine::Purpose::assassination, campaign.key + static_cast<std::uint64_t>(p));
            const double reach = m / (m + params.faction_half_presence);
            const auto killings = static_cast<double>(rng.poisson(campaign.kills_per_squad_week * squads * reach));
            if (killings <= 0) continue;
            double civilians = c >= 0 ? std::round(campaign.civilian_share * killings) : 0.0;
            // Fighters still there after this week's other losses; a victim no one is left to be is not killed.
            const double left = std::max(0.0, prev.militia(p, g) - next.fighters_killed(p, g) - next.fighters_detained(p, g));
            const double members = std::min(killings - civilians, left);
            next.fighters_killed(p, g) += members;
            members_killed += members;
            if (c >= 0) {
                civilians = std::min(civilians, prev.residents(p, c));
                next.civilians_killed_by(c * P + p, f) += civilians;
                next.civilians_killed_one_sided(p, f) += civilians;
                next.civilian_incidents(p) += civilians;  // each a targeted killing
                if (incidents) {
                    for (int i = 0; i < static_cast<int>(civilians); ++i)
                        incidents->push_back({ctx.week(), static_cast<std::uint16_t>(p), static_cast<std::uint16_t>(f),
                                              Incident::Kind::one_sided, static_cast<std::uint16_t>(c), 1.0});
                }
            }
        }
        // Commanders lost, against the commanders the target has: its cohesion falls with the share lost.
        const double fighters = prev.militia.col(g).sum();
        if (members_killed > 0 && fighters > 0) {
            const double commanders = std::max(1.0, fighters / campaign.fighters_per_leader);
            const double lost = std::min(1.0, campaign.leader_share * members_killed / commanders);
            levers.cohesion_loss(g) = 1.0 - (1.0 - levers.cohesion_loss(g)) * (1.0 - lost);
        }
        levers.cohesion_recovery_weeks(g) = campaign.recovery_weeks;
    }
}

}  // namespace iraqsim::model
