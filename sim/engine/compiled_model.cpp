#include "iraqsim/engine/compiled_model.hpp"

#include "iraqsim/core/error.hpp"

namespace iraqsim::engine {

CompiledModel compile_model(const scenario::Scenario& scenario, const world::Roster& roster) {
    if (scenario.end < scenario.start) {
        throw core::ScenarioError("scenario.end (" + scenario.end.iso() + ") is before scenario.start (" +
                                  scenario.start.iso() + ")");
    }
    CompiledModel model{&roster,
                        scenario.params,
                        model::TroopSeries::from_embedded_data(),
                        model::build_diffusion_operator(roster),
                        world::make_initial_state(roster),
                        scenario.start,
                        scenario.week_count()};
    model::update_us_troops(model.us_troops, roster, scenario.start, model.initial_state);
    return model;
}

}  // namespace iraqsim::engine
