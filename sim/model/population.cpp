#include "iraqsim/model/population.hpp"

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
    // signals); it cannot exceed the survivors.
    flows.newly_displaced = (params.displaced_per_death * killed).min(survivors);
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
