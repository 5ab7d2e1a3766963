#include "iraqsim/engine/simulation.hpp"

#include <chrono>
#include <cmath>
#include <utility>

#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/model/assassination.hpp"
#include "iraqsim/model/cells.hpp"
#include "iraqsim/model/control.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/grievance.hpp"
#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/model/nationalism.hpp"
#include "iraqsim/model/observation.hpp"
#include "iraqsim/model/partition.hpp"
#include "iraqsim/model/violence.hpp"
#include "iraqsim/model/population.hpp"
#include "iraqsim/model/sponsors.hpp"

namespace iraqsim::engine {
namespace {

class PhaseTimer {
public:
    PhaseTimer(PhaseTimes& times, Phase phase)
        : slot_(times.ns[static_cast<std::size_t>(phase)]), start_(std::chrono::steady_clock::now()) {}
    ~PhaseTimer() {
        slot_ += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count();
    }
    PhaseTimer(const PhaseTimer&) = delete;
    PhaseTimer& operator=(const PhaseTimer&) = delete;

private:
    std::int64_t& slot_;
    std::chrono::steady_clock::time_point start_;
};

[[noreturn]] void broken(std::string_view what, int week, const std::string& where, double value) {
    throw core::ModelError("invariant broken in week " + std::to_string(week) + ": " + std::string(what) + " at " +
                           where + " is " + std::to_string(value));
}

}  // namespace

PhaseTimes& PhaseTimes::operator+=(const PhaseTimes& other) {
    for (std::size_t i = 0; i < ns.size(); ++i) ns[i] += other.ns[i];
    return *this;
}

void check_invariants(const world::Roster& roster, const world::State& state, int week) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    constexpr double tolerance = 1e-9;
    for (Eigen::Index row = 0; row < state.loyalty.rows(); ++row) {
        const std::size_t p = static_cast<std::size_t>(row % P), c = static_cast<std::size_t>(row / P);
        auto where = [&](Eigen::Index f) {
            return roster.provinces[p].id + "/" + roster.communities[c].id +
                   (f >= 0 ? "/" + roster.factions[static_cast<std::size_t>(f)].id : "");
        };
        for (Eigen::Index f = 0; f < state.loyalty.cols(); ++f) {
            const double v = state.loyalty(row, f);
            if (!(v >= -tolerance && v <= 1 + tolerance)) broken("loyalty", week, where(f), v);
        }
        const double total = state.loyalty.row(row).sum();
        if (!(total <= 1 + tolerance)) broken("total loyalty", week, where(-1), total);
    }
    for (Eigen::Index p = 0; p < P; ++p) {
        const std::string& id = roster.provinces[static_cast<std::size_t>(p)].id;
        if (!(state.us_troops(p) >= 0) || !std::isfinite(state.us_troops(p))) broken("us_troops", week, id, state.us_troops(p));
        for (Eigen::Index c = 0; c < state.residents.cols(); ++c) {
            const double v = state.residents(p, c);
            if (!(v >= 0) || !std::isfinite(v)) broken("residents", week, id, v);
        }
        for (Eigen::Index c = 0; c < state.displaced.cols(); ++c) {
            const double v = state.displaced(p, c);
            if (!(v >= 0) || !std::isfinite(v)) broken("displaced", week, id, v);
        }
        for (Eigen::Index f = 0; f < state.militia.cols(); ++f) {
            const double v = state.militia(p, f);
            if (!(v >= 0) || !std::isfinite(v)) {
                broken("militia", week, id + "/" + roster.factions[static_cast<std::size_t>(f)].id, v);
            }
        }
    }
    for (Eigen::Index f = 0; f < state.dependence.cols(); ++f) {
        const double total = state.dependence.col(f).sum();
        if (!((state.dependence.col(f) >= 0).all() && total <= 1 + tolerance)) {
            broken("dependence (sum over sponsors)", week, roster.factions[static_cast<std::size_t>(f)].id, total);
        }
    }
    for (Eigen::Index row = 0; row < state.nationalism_focus.rows(); ++row) {
        const double total = state.nationalism_focus.row(row).sum();
        if (!((state.nationalism_focus.row(row) >= -tolerance).all() && std::fabs(total - 1) <= 1e-6)) {
            broken("nationalism_focus (sum over sponsors)", week, roster.provinces[static_cast<std::size_t>(row % P)].id, total);
        }
    }
    // Counts and stocks are finite and non-negative; shares are within [0, 1].
    auto non_negative = [&](std::string_view what, const auto& x) {
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            const double v = x.data()[i];
            if (!(v >= 0) || !std::isfinite(v)) broken(what, week, "element " + std::to_string(i), v);
        }
    };
    auto share = [&](std::string_view what, const auto& x) {
        non_negative(what, x);
        for (Eigen::Index i = 0; i < x.size(); ++i)
            if (x.data()[i] > 1 + tolerance) broken(what, week, "element " + std::to_string(i), x.data()[i]);
    };
    non_negative("civilians_killed_by", state.civilians_killed_by);
    non_negative("civilians_killed_by_us", state.civilians_killed_by_us);
    non_negative("attacks_by", state.attacks_by);
    non_negative("us_fatalities", state.us_fatalities);
    non_negative("isf_deaths", state.isf_deaths);
    non_negative("fighters_killed", state.fighters_killed);
    non_negative("fighters_detained", state.fighters_detained);
    non_negative("fighters_killed_by_forces", state.fighters_killed_by_forces);
    non_negative("detainees", state.detainees);
    non_negative("detainees_released", state.detainees_released);
    non_negative("reported_enemy_killed", state.reported_enemy_killed);
    non_negative("civilian_incidents", state.civilian_incidents);
    non_negative("reported_civilian_incidents", state.reported_civilian_incidents);
    non_negative("reported_enemy_detained", state.reported_enemy_detained);
    non_negative("battle_deaths", state.battle_deaths);
    non_negative("arms", state.arms);
    non_negative("tension", state.tension);
    non_negative("grievance", state.grievance);
    non_negative("reported_attacks", state.reported_attacks);
    non_negative("reported_civilian_deaths", state.reported_civilian_deaths);
    non_negative("reported_attacks_on_forces", state.reported_attacks_on_forces);
    non_negative("reported_civilian_deaths_by_category", state.reported_civilian_deaths_by_category);
    non_negative("civilians_killed_one_sided", state.civilians_killed_one_sided);
    share("tips", state.tips);
    share("control", state.control);
    share("exposure", state.exposure);
    for (Eigen::Index p = 0; p < P; ++p) {
        const double held = state.control.row(p).sum();
        if (!(held <= 1 + 1e-6)) broken("control (sum over factions)", week, roster.provinces[static_cast<std::size_t>(p)].id, held);
    }
    for (Eigen::Index row = 0; row < state.exposure.rows(); ++row) {
        const double total = state.exposure.row(row).sum();
        if (!(std::fabs(total - 1) <= 1e-6)) {
            broken("exposure (sum over other communities)", week, roster.provinces[static_cast<std::size_t>(row % P)].id, total);
        }
    }
    // Everyone is accounted for: residents + displaced + refugees + deaths = initial + growth.
    const double accounted = world::people_accounted(state);
    const double expected = state.initial_population + state.net_growth;
    if (!(std::fabs(accounted - expected) <= 1e-9 * expected)) broken("people accounted for", week, "Iraq", accounted - expected);
}

Simulation::Simulation(const CompiledModel& model, std::uint64_t seed, std::uint64_t replicate)
    : model_(model),
      seed_(seed),
      replicate_(replicate),
      current_(model.initial_state),
      next_(model.initial_state),
      levers_(model.roster->faction_count()) {}

void Simulation::fire(std::size_t index, int week, output::Recorder& recorder) {
    const policy::ScheduledEvent& e = model_.schedule[index];
    recorder.log_firing({week, e.id, e.policy, e.target});
    if (e.action) e.action(levers_, current_, week);
    fired_week_[index] = week;
}

void Simulation::apply_policies(int week, output::Recorder& recorder) {
    PhaseTimer timer(times_, Phase::policies);
    const auto& schedule = model_.schedule;
    for (; next_event_ < schedule.size() && schedule[next_event_].week <= week; ++next_event_) {
        if (!schedule[next_event_].trigger) fire(next_event_, week, recorder);
    }
    // Every watch observes every week, so that its windows hold real weeks from its first.
    for (auto it = watches_.begin(); it != watches_.end();) {
        const policy::ScheduledEvent& e = schedule[it->first];
        const bool holds = it->second.observe(*model_.roster, current_, fired_week_, week);
        if (holds && week >= e.week && week <= e.until_week) {
            fire(it->first, week, recorder);
            it = watches_.erase(it);
        } else {
            ++it;
        }
    }
    levers_.expire(week);
    const StepContext ctx(seed_, replicate_, week, model_.start.plus_days(7 * static_cast<std::int64_t>(week)));
    for (const model::LeverEvent& e : levers_.advance(*model_.roster, current_, ctx)) recorder.log_firing({week, e.id, e.policy, e.target});
    for (Eigen::Index p = 0; p < current_.tension.size(); ++p)
        current_.tension(p) = levers_.tension(static_cast<std::size_t>(p), week);
}

bool Simulation::run(output::Recorder& recorder, bool check_each_step, RunHooks hooks) {
    next_event_ = 0;
    levers_ = model::Levers(model_.roster->faction_count());
    fired_week_.assign(model_.schedule.size() + 1, -1);
    watches_.clear();
    for (std::size_t i = 0; i < model_.schedule.size(); ++i)
        if (model_.schedule[i].trigger) watches_.emplace_back(i, policy::TriggerWatch(*model_.schedule[i].trigger));
    citizens_.reset();
    if (model_.population.mode == scenario::PopulationMode::agents) {
        // The citizens replace the initial loyalty by their own counts (docs/agents.md).
        citizens_ = hooks.citizens
                        ? std::make_unique<agents::CitizenEngine>(*model_.roster, current_, model_.population.citizens,
                                                                  seed_, replicate_, std::move(*hooks.citizens))
                        : std::make_unique<agents::CitizenEngine>(*model_.roster, current_, model_.population.citizens,
                                                                  model_.population.persons_per_agent, seed_, replicate_);
    }
    apply_policies(0, recorder);
    if (check_each_step) check_invariants(*model_.roster, current_, 0);
    {
        PhaseTimer timer(times_, Phase::record);
        recorder.record(0, current_);
    }
    if (hooks.after_week && !hooks.after_week(0, *this, recorder)) return model_.week_count <= 1;
    for (int week = 1; week < model_.week_count; ++week) {
        apply_policies(week, recorder);
        step(week, recorder.incident_sink());
        if (check_each_step) check_invariants(*model_.roster, current_, week);
        {
            PhaseTimer timer(times_, Phase::record);
            recorder.record(week, current_);
        }
        if (hooks.after_week && !hooks.after_week(week, *this, recorder)) return week + 1 >= model_.week_count;
    }
    return true;
}

void Simulation::step(int week, std::vector<model::Incident>* incidents) {
    const core::Date date = model_.start.plus_days(7 * static_cast<std::int64_t>(week));
    const StepContext ctx(seed_, replicate_, week, date);
    const world::Roster& roster = *model_.roster;
    const model::Relations& relations = model_.relations;
    const model::ModelParams& params = model_.params;
    const world::State& prev = current_;
    world::State& next = next_;
    next = prev;  // same shapes: no allocation; each process overwrites what it owns
    {
        PhaseTimer timer(times_, Phase::forcing);
        model::update_us_troops(model_.troop_plan, week, next);
    }
    {
        PhaseTimer timer(times_, Phase::sponsors);
        model::update_sponsors(relations, prev, next, levers_);
    }
    const Eigen::ArrayXd armed = model::armed_share(prev, params.forces);
    const Eigen::ArrayXd protection = model::security_protection(relations, prev, next, armed, params.violence);
    {
        PhaseTimer timer(times_, Phase::violence);
        model::update_cells(roster, prev, next, params.violence.cells, ctx, violence_scratch_.process);
        const Eigen::ArrayXXd victims_protection = model::community_protection(relations, prev, next, armed, params.violence);
        model::update_violence(relations, prev, next, levers_, armed, victims_protection, params.violence, ctx, violence_scratch_,
                               incidents);
        if (!levers_.assassinations.empty())
            model::update_assassinations(roster, prev, next, levers_, armed, params.violence, ctx, incidents);
        model::update_grievance(relations, prev, next, params.violence);
    }
    {
        PhaseTimer timer(times_, Phase::forces);
        model::update_forces(relations, prev, next, levers_, params.forces, protection, forces_scratch_);
    }
    {
        PhaseTimer timer(times_, Phase::population);
        model::PopulationFlows flows =
            model::update_population(prev, next, model::violent_deaths_this_week(roster, next), params.population);
        if (!levers_.partitions.empty()) model::relocate_for_partition(next, flows, levers_);
        model::update_exposure(prev, next, flows, params.population);
    }
    {
        PhaseTimer timer(times_, Phase::nationalism);
        model::update_nationalism(relations, prev, next, params.nationalism, &levers_);
    }
    {
        PhaseTimer timer(times_, Phase::loyalty);
        if (citizens_) {
            citizens_->step(prev, next, params.loyalty_forces, week);
        } else {
            model::diffuse_loyalty(prev, next, model_.diffusion, params.loyalty.diffusion_rate);
            drive_.setZero(next.loyalty.rows(), next.loyalty.cols() + 1);
            model::add_loyalty_forces(relations, prev, next, params.loyalty_forces, model_.initial_state.loyalty, drive_);
            model::add_opinion_noise(next, drive_, params.loyalty, ctx);
            model::apply_loyalty_drive(next, drive_);
            model::transfer_loyalty(roster, next);
        }
        model::update_tips(relations, prev, next, params.loyalty_forces, protection);
    }
    {
        PhaseTimer timer(times_, Phase::control);
        model::update_control(roster, prev, next, model::armed_share(next, params.forces), params.control);
    }
    {
        PhaseTimer timer(times_, Phase::observation);
        model::update_observation(relations, next, params.observation, ctx.date());
    }
    std::swap(current_, next_);
}

}  // namespace iraqsim::engine
