#include "iraqsim/model/observation.hpp"

#include <optional>

namespace iraqsim::model {
namespace {

enum Category : Eigen::Index { coalition = 0, insurgent = 1, sectarian = 2 };

// The share of a faction's one-sided killing that IBC-coded data would call sectarian.
double sectarian_share(const world::Faction& faction, Eigen::Index sunni, const ObservationParams& params) {
    const bool sunni_group =
        sunni >= 0 && !faction.community_base.empty() && static_cast<Eigen::Index>(faction.community_base.front().index()) == sunni;
    return sunni_group ? params.ibc_sectarian_share_sunni : 1.0;
}

}  // namespace

void update_observation(const world::Roster& roster, world::State& next, const ObservationParams& params,
                        const core::Date& week) {
    update_observation(Relations(roster), next, params, week);
}

void update_observation(const Relations& relations, world::State& next, const ObservationParams& params,
                        const core::Date& week) {
    const world::Roster& roster = *relations.roster;
    const Eigen::ArrayXd deaths = world::civilian_deaths(next);
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const Eigen::Index government = relations.government;
    Eigen::ArrayXd shares(static_cast<Eigen::Index>(roster.faction_count()));
    for (Eigen::Index f = 0; f < shares.size(); ++f)
        shares(f) = f == government ? 0.0 : sectarian_share(roster.factions[static_cast<std::size_t>(f)], relations.sunni_arab, params);
    // MNF-I's records came to hold incidents against civilians only after Samarra (the data's own break).
    const double per_civilian_death = week >= params.sigact_civilian_records_from ? params.sigact_per_sectarian_death : 0.0;
    for (Eigen::Index p = 0; p < P; ++p) {
        const double troops = next.us_troops(p);
        const double coverage =
            params.sigact_base_coverage + (1.0 - params.sigact_base_coverage) * troops / (troops + params.sigact_half_troops);
        const double on_isf = next.attacks_by.row(p).sum() - next.attacks_on_us(p);
        next.reported_attacks_on_forces(p) = coverage * (next.attacks_on_us(p) + params.sigact_isf_share * on_isf);
        next.reported_attacks(p) = next.reported_attacks_on_forces(p) + coverage * per_civilian_death * deaths(p);
        next.reported_civilian_deaths(p) = params.ibc_coverage * deaths(p);
        // Recorded as its deaths are, and then listed on its own or within an aggregate entry.
        next.reported_civilian_incidents(p) = params.ibc_coverage * params.ibc_incident_share * next.civilian_incidents(p);

        double by_forces = next.civilians_killed_by_us.row(p).sum();
        if (government >= 0) {
            for (Eigen::Index c = 0; c < C; ++c) by_forces += next.civilians_killed_by(c * P + p, government);
        }
        const double sectarian_deaths = (shares.transpose() * next.civilians_killed_one_sided.row(p)).sum();
        // Rounding can leave the parts a hair above the total; the insurgent rest is never negative.
        const double insurgent_deaths = std::max(0.0, deaths(p) - by_forces - sectarian_deaths);
        next.reported_civilian_deaths_by_category(p, coalition) = params.ibc_coverage * by_forces;
        next.reported_civilian_deaths_by_category(p, insurgent) = params.ibc_coverage * insurgent_deaths;
        next.reported_civilian_deaths_by_category(p, sectarian) = params.ibc_coverage * sectarian_deaths;
        next.reported_enemy_killed(p) = next.fighters_killed_by_forces.row(p).sum();
        next.reported_enemy_detained(p) = next.fighters_detained.row(p).sum() / params.detained_fighter_share;
    }
}

}  // namespace iraqsim::model
