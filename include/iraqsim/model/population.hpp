// Population: growth, violent deaths, displacement inside Iraq, flight abroad and return, with
// every person accounted for (docs/model.md, "Population"):
//
//   residents + displaced + refugees + violent deaths = initial population + net growth
//
// The violence process supplies the week's deaths by province and community; the threat they
// signal drives flight. Exposure and barriers join with the sectarian-violence process.
#pragma once

#include <Eigen/Core>

#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

struct PopulationParams {
    // Natural growth of the population inside Iraq, per year. Default 0.0277, range [0, 0.1];
    // key model.population.growth_per_year. WFP governorate totals 2005 -> 2007 (data/world).
    double growth_per_year = 0.0277;
    // People displaced per violent death in their community and province, at the sectarian
    // tension of 2003 (1). Default 6, range [0, 1000]; key model.population.displaced_per_death.
    // About 190,000 displaced by military operations and violence from 2003 to 2005 (IDMC, 2008)
    // against IBC's 31,527 civilian deaths from May 2003 to December 2005.
    double displaced_per_death = 6.0;
    // Elasticity of flight per death to sectarian tension: per death, displaced_per_death x
    // tension^elasticity. Default 1.85, range [0, 6]; key model.population.flight_tension_elasticity.
    // After Samarra about 1.6 million were displaced by February 2009 (IOM, 2009) against some
    // 60,000 civilian deaths (IBC): about 26 per death, four times the rate of 2003-2005.
    double flight_tension_elasticity = 1.85;
    // Share of the newly displaced who leave Iraq. Default 0.45, range [0, 1];
    // key model.population.refugee_share. UNHCR 2008: about 2.2 million refugees abroad and
    // 2.5 million displaced inside Iraq.
    double refugee_share = 0.45;
    // Weekly share of the displaced inside Iraq who return home. Default 0.0015, range [0, 1];
    // key model.population.return_rate. About 8% a year: IOM counted a few hundred thousand
    // returnees by 2009 out of 1.6 million post-Samarra IDPs.
    double return_rate = 0.0015;
    // How much likelier the displaced are to come from mixed neighbourhoods than the average
    // member of their community: each displaced person lowers the community's exposure to others
    // by this multiple of their share. Default 2, range [0, 20]; key model.population.unmixing.
    // Assumption: Baghdad's flight of 2006-2007 emptied mixed areas first (IOM 2007 displacement
    // assessments); to be calibrated.
    double unmixing = 2.0;
};

// This week's flows, for output and for the processes that read them next week.
struct PopulationFlows {
    Eigen::ArrayXXd newly_displaced;  // [province, community] persons this week (inside Iraq and abroad)
    Eigen::ArrayXXd returned;         // [province, community] persons this week
};

// This week's violent deaths by province and community from next's violence: civilians killed
// (by factions and by US forces) and fighters killed, counted in their faction's first base community.
Eigen::ArrayXXd violent_deaths_this_week(const world::Roster& roster, const world::State& next);

// Lowers exposure to other communities as the displaced leave mixed neighbourhoods; rows keep
// summing to 1 (what is lost to others returns to the community's own share).
void update_exposure(const world::State& prev, world::State& next, const PopulationFlows& flows,
                     const PopulationParams& params);

// Writes next's residents, displaced, refugees, violent_deaths and net_growth from prev's.
// `deaths` [province, community]: violent deaths among residents this week (capped at the residents).
PopulationFlows update_population(const world::State& prev, world::State& next, const Eigen::ArrayXXd& deaths,
                                  const PopulationParams& params);

}  // namespace iraqsim::model
