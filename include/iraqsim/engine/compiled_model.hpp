// Everything a replicate needs that does not change during a run: the roster, the forcing
// series, the operators built from the world's graph, the parameters and the initial state.
// Built once per scenario and shared read-only by all replicates and threads.
#pragma once

#include "iraqsim/model/loyalty.hpp"
#include "iraqsim/model/params.hpp"
#include "iraqsim/model/relations.hpp"
#include "iraqsim/policy/schedule.hpp"
#include "iraqsim/model/troop_plan.hpp"
#include "iraqsim/model/us_troops.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::engine {

struct CompiledModel {
    const world::Roster* roster;
    model::Relations relations;  // the roster's, tabled for the step loop
    model::ModelParams params;
    model::TroopSeries us_troop_data;
    model::TroopPlan troop_plan;
    model::DiffusionOperator diffusion;
    world::State initial_state;
    std::vector<policy::ScheduledEvent> schedule;
    core::Date start;
    int week_count;  // time points including week 0
    // Aggregate or agent representation of the population (docs/agents.md).
    scenario::PopulationSettings population{};
};

CompiledModel compile_model(const scenario::Scenario& scenario, const world::Roster& roster);

}  // namespace iraqsim::engine
