// The US troop plan: troops and posture by province for every week of a run, compiled once from
// the troop data and the scenario's troop policies (surge, drawdown, withdrawal). The historical
// events label parts of the data; a scenario that removes or resizes one replaces the path from
// its date by the documented counterfactual (docs/policies.md, "Troop policies").
#pragma once

#include <Eigen/Core>
#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/model/us_troops.hpp"
#include "iraqsim/scenario/event.hpp"
#include "iraqsim/world/roster.hpp"

namespace iraqsim::model {

struct TroopPolicyParams {
    // Share of US troops dispersed among the population (outposts, joint security stations) when
    // no policy sets it. Default 0.1, range [0, 1]; key model.us_troops.base_posture.
    double base_posture = 0.1;
};

struct TroopPlan {
    Eigen::ArrayXXd troops;   // [week, province] persons
    Eigen::ArrayXXd posture;  // [week, province] share of troops dispersed among the population
};

// `history` is the embedded baseline's events: the troop data contains their effect.
TroopPlan build_troop_plan(const TroopSeries& data, const world::Roster& roster, const core::Date& start,
                           int week_count, const std::vector<scenario::Event>& events,
                           const std::vector<scenario::Event>& history, const TroopPolicyParams& params);

}  // namespace iraqsim::model
