#include "iraqsim/engine/compiled_model.hpp"

#include <cmath>

#include "iraqsim/core/error.hpp"
#include "iraqsim/model/cells.hpp"
#include "iraqsim/model/control.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/model/nationalism.hpp"
#include "iraqsim/model/violence.hpp"
#include "iraqsim/model/sponsors.hpp"

namespace iraqsim::engine {

CompiledModel compile_model(const scenario::Scenario& scenario, const world::Roster& roster) {
    if (scenario.end < scenario.start) {
        throw core::ScenarioError("scenario.end (" + scenario.end.iso() + ") is before scenario.start (" +
                                  scenario.start.iso() + ")");
    }
    model::TroopSeries data = model::TroopSeries::from_embedded_data();
    model::TroopPlan plan = model::build_troop_plan(data, roster, scenario.start, scenario.week_count(), scenario.events,
                                                    scenario::default_scenario().events, scenario.params.us_troops);
    CompiledModel model{&roster,
                        model::Relations(roster),
                        scenario.params,
                        std::move(data),
                        std::move(plan),
                        model::build_diffusion_operator(roster),
                        world::make_initial_state(roster),
                        policy::build_schedule(scenario.events, scenario.start, scenario.week_count(), roster),
                        scenario.start,
                        scenario.week_count(),
                        scenario.population};
    // Residents are the WFP 2007 estimates carried back (or forward) to the start date at the growth
    // rate, so that the population passes through the 2007 estimate in mid-2007.
    {
        world::State& s = model.initial_state;
        const double years = static_cast<double>(core::Date{2007, 7, 1}.days_since_unix_epoch() -
                                                  scenario.start.days_since_unix_epoch()) / 365.2425;
        s.residents /= std::pow(1.0 + scenario.params.population.growth_per_year, years);
        s.initial_population = s.residents.sum();
    }
    world::State& s0 = model.initial_state;
    model::initialise_arms(s0, scenario.params.forces);
    s0.cells = model::settled_cells(static_cast<Eigen::Index>(roster.faction_count()), scenario.params.violence.cells);
    model::update_us_troops(model.troop_plan, 0, s0);
    model::update_sponsors(model.relations, s0, s0, model::Levers(roster.faction_count()));
    // Tips and control start where the initial loyalty and forces put them (a full step).
    const Eigen::ArrayXd armed = model::armed_share(s0, scenario.params.forces);
    model::LoyaltyForceParams settled_tips = scenario.params.loyalty_forces;
    settled_tips.tips_rate = 1.0;
    model::update_tips(model.relations, s0, s0, settled_tips,
                       model::security_protection(model.relations, s0, s0, armed, scenario.params.violence));
    s0.control = model::control_balance(roster, s0, armed, scenario.params.control);
    // The first week starts from the focus its presence implies (a full step toward it).
    model::NationalismParams settled = scenario.params.nationalism;
    settled.focus_rate = 1.0;
    model::update_nationalism(model.relations, model.initial_state, model.initial_state, settled);
    return model;
}

}  // namespace iraqsim::engine
