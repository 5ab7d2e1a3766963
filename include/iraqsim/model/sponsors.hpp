// Sponsors allocate their backing over the factions they are tied to, by channel, and a faction's
// dependence is the share of its resources that comes from each sponsor (docs/model.md, "Sponsors").
#pragma once

#include <Eigen/Core>

#include "iraqsim/model/levers.hpp"
#include "iraqsim/model/relations.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

// Writes next.backing and next.dependence from prev's militia, loyalty and home revenue (last
// week's clients: a faction with neither fighters nor supporters receives nothing from standing
// ties) and the grants in force (arms, wages), which go to their faction whatever its size.
void update_sponsors(const world::Roster& roster, const world::State& prev, world::State& next, const Levers& levers);
// The same with the roster's relations tabled once (the step loop's).
void update_sponsors(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers);

}  // namespace iraqsim::model
