// Sponsors allocate their backing over the factions they are tied to, by channel, and a faction's
// dependence is the share of its resources that comes from each sponsor (docs/model.md, "Sponsors").
#pragma once

#include <Eigen/Core>

#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

// Writes next.backing and next.dependence from prev's militia and loyalty (last week's clients:
// a faction with neither fighters nor supporters receives nothing).
void update_sponsors(const world::Roster& roster, const world::State& prev, world::State& next);

}  // namespace iraqsim::model
