#include "iraqsim/model/population.hpp"

#include <algorithm>
#include <cmath>

namespace iraqsim::model {

PopulationFlows update_population(const world::State& prev, world::State& next, const Eigen::ArrayXXd& deaths,
                                  const PopulationParams& params) {
    const double weekly_growth = std::pow(1.0 + params.growth_per_year, 1.0 / 52.1775) - 1.0;
    PopulationFlows flows;

    // Deaths come out of the residents first: a community cannot lose more people than live there.
    const Eigen::ArrayXXd killed = deaths.max(0.0).min(prev.residents);
    const Eigen::ArrayXXd survivors = prev.residents - killed;

    // Flight scales with the killing a community suffers in its own province (the threat it
    // signals), and more steeply where sectarian hostility is high: after Samarra the killing came
    // with threats and expulsions of whole neighbourhoods. It cannot exceed the survivors.
    const Eigen::ArrayXd per_death = params.displaced_per_death * prev.tension.pow(params.flight_tension_elasticity);
    flows.newly_displaced = (killed.colwise() * per_death).min(survivors);
    flows.returned = params.return_rate * prev.displaced;
    const Eigen::ArrayXXd abroad = params.refugee_share * flows.newly_displaced;

    // Growth applies to the people inside Iraq, at home or displaced; refugees are counted apart
    // (their births abroad are not Iraq's).
    const Eigen::ArrayXXd born_home = weekly_growth * survivors;
    const Eigen::ArrayXXd born_displaced = weekly_growth * prev.displaced;

    next.residents = survivors - flows.newly_displaced + flows.returned + born_home;
    next.displaced = prev.displaced + (flows.newly_displaced - abroad) - flows.returned + born_displaced;
    next.refugees = prev.refugees + abroad.colwise().sum().transpose();
    next.violent_deaths = prev.violent_deaths + killed;
    next.net_growth = prev.net_growth + born_home.sum() + born_displaced.sum();
    return flows;
}

}  // namespace iraqsim::model

namespace iraqsim::model {

Eigen::ArrayXXd violent_deaths_this_week(const world::Roster& roster, const world::State& next) {
    const Eigen::Index P = next.residents.rows(), C = next.residents.cols();
    Eigen::ArrayXXd deaths = next.civilians_killed_by_us;
    for (Eigen::Index c = 0; c < C; ++c)
        for (Eigen::Index p = 0; p < P; ++p) deaths(p, c) += next.civilians_killed_by.row(c * P + p).sum();
    for (std::size_t f = 0; f < roster.faction_count(); ++f) {
        const auto& base = roster.factions[f].community_base;
        if (base.empty()) continue;
        deaths.col(static_cast<Eigen::Index>(base.front().index())) += next.fighters_killed.col(static_cast<Eigen::Index>(f));
    }
    return deaths;
}

void update_exposure(const world::State& prev, world::State& next, const PopulationFlows& flows,
                     const PopulationParams& params) {
    const Eigen::Index P = prev.residents.rows(), C = prev.residents.cols();
    for (Eigen::Index c = 0; c < C; ++c) {
        for (Eigen::Index p = 0; p < P; ++p) {
            const Eigen::Index row = c * P + p;
            const double members = prev.residents(p, c);
            if (members <= 0) continue;
            // Both sides of a mixed neighbourhood thin out: c's own leavers and the others'.
            double kept_total = 0;
            const double own = flows.newly_displaced(p, c) / members;
            for (Eigen::Index c2 = 0; c2 < C; ++c2) {
                if (c2 == c) continue;
                const double other = prev.residents(p, c2) > 0 ? flows.newly_displaced(p, c2) / prev.residents(p, c2) : 0.0;
                const double keep = std::max(0.0, 1.0 - params.unmixing * (own + other));
                next.exposure(row, c2) = prev.exposure(row, c2) * keep;
                kept_total += next.exposure(row, c2);
            }
            next.exposure(row, c) = std::max(0.0, 1.0 - kept_total);
        }
    }
}

}  // namespace iraqsim::model
