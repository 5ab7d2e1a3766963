// What each event does when it fires: its fields, resolved to roster indices once at compile
// time, become a change to the policy levers (model/levers.hpp) that the processes read. Troop
// policies act through the compiled troop plan instead and have no action here.
#pragma once

#include <functional>

#include "iraqsim/model/levers.hpp"
#include "iraqsim/scenario/event.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::policy {

// Applied in the week the event fires, with that week's state (read for, e.g., dependence).
using Action = std::function<void(model::Levers& levers, const world::State& state, int week)>;

// The event's action; an empty function for policies that act elsewhere (surge, drawdown, withdrawal).
Action compile_action(const scenario::Event& event, const world::Roster& roster);

}  // namespace iraqsim::policy
