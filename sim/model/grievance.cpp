#include "iraqsim/model/grievance.hpp"

#include <algorithm>

namespace iraqsim::model {

void update_grievance(const world::Roster& roster, const world::State& prev, world::State& next,
                      const ViolenceParams& params) {
    update_grievance(Relations(roster), prev, next, params);
}

void update_grievance(const Relations& relations, const world::State& prev, world::State& next, const ViolenceParams& params) {
    const world::Roster& roster = *relations.roster;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    const double keep = 1.0 - 1.0 / std::max(1.0, params.grievance_weeks);
    for (Eigen::Index c = 0; c < C; ++c) {
        for (Eigen::Index p = 0; p < P; ++p) {
            const double members = prev.residents(p, c);
            double killed = next.civilians_killed_by_us(p, c);
            // By factions of other communities (a faction with no base counts as other to everyone).
            for (Eigen::Index f = 0; f < F; ++f)
                if (!relations.base(c, f)) killed += next.civilians_killed_by(c * P + p, f);
            const double rate = members > 0 ? 1e5 * killed / members : 0.0;
            next.grievance(p, c) = keep * prev.grievance(p, c) + (1.0 - keep) * rate;
        }
    }
}

double revenge_factor(const world::State& state, Eigen::Index p, Eigen::Index home, const ViolenceParams& params) {
    if (params.revenge_max <= 0) return 1.0;
    const double g = state.grievance(p, home);
    return 1.0 + params.revenge_max * g / (g + params.revenge_half_per_100k);
}

}  // namespace iraqsim::model
