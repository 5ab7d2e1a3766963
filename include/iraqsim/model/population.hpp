// Population: growth, violent deaths, displacement inside Iraq, flight abroad and return, with
// every person accounted for (docs/model.md, "Population"):
//
//   residents + displaced + refugees + violent deaths = initial population + net growth
//
// The violence process supplies the week's deaths by province and community; the threat they
// signal drives flight. Exposure and barriers join with the sectarian-violence process.
#pragma once

#include <Eigen/Core>

#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

struct PopulationParams {
    // Natural growth of the population inside Iraq, per year. Default 0.0277, range [0, 0.1];
    // key model.population.growth_per_year. WFP governorate totals 2005 -> 2007 (data/world).
    double growth_per_year = 0.0277;
    // People displaced per violent death in their community and province. Default 30, range
    // [0, 1000]; key model.population.displaced_per_death. About 1.6 million displaced after the
    // Samarra bombing (IOM, 2008) against about 53,000 civilian deaths in 2006-2007 (IBC).
    double displaced_per_death = 30.0;
    // Share of the newly displaced who leave Iraq. Default 0.45, range [0, 1];
    // key model.population.refugee_share. UNHCR 2008: about 2.2 million refugees abroad and
    // 2.5 million displaced inside Iraq.
    double refugee_share = 0.45;
    // Weekly share of the displaced inside Iraq who return home. Default 0.0015, range [0, 1];
    // key model.population.return_rate. About 8% a year: IOM counted a few hundred thousand
    // returnees by 2009 out of 1.6 million post-Samarra IDPs.
    double return_rate = 0.0015;
};

// This week's flows, for output and for the processes that read them next week.
struct PopulationFlows {
    Eigen::ArrayXXd newly_displaced;  // [province, community] persons this week (inside Iraq and abroad)
    Eigen::ArrayXXd returned;         // [province, community] persons this week
};

// Writes next's residents, displaced, refugees, violent_deaths and net_growth from prev's.
// `deaths` [province, community]: violent deaths among residents this week (capped at the residents).
PopulationFlows update_population(const world::State& prev, world::State& next, const Eigen::ArrayXXd& deaths,
                                  const PopulationParams& params);

}  // namespace iraqsim::model
