// Soft partition (docs/policies.md, "Partition"): the minorities of each region leave for their
// own community's region, and the returns of the displaced into another community's region stop.
// The nationalist backlash against partition acts in the nationalism process (Levers::
// nationalism_rise, Levers::partition_salience).
#pragma once

#include "iraqsim/model/levers.hpp"
#include "iraqsim/model/population.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

// After update_population, before update_exposure: for each partition in force at `progress`,
// each community c with a region of its own living in province p of another region moves
// progress x relocation_per_week of its residents into displacement, and progress of this week's
// returns of c into p are undone. Adds both to flows.newly_displaced, so that exposure falls as
// for any flight (update_exposure). Conserves people.
void relocate_for_partition(world::State& next, PopulationFlows& flows, const Levers& levers);

}  // namespace iraqsim::model
