// One replicate: the weekly step loop. A week is a fixed sequence of named phases, each a
// function of last week's state that writes this week's (docs/model.md, "The weekly step").
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "iraqsim/agents/citizen_engine.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/levers.hpp"
#include "iraqsim/model/loyalty.hpp"
#include "iraqsim/model/violence.hpp"
#include "iraqsim/output/recorder.hpp"

namespace iraqsim::engine {

enum class Phase {
    policies, forcing, sponsors, violence, forces, population, nationalism, loyalty, control, observation, record, count_
};

inline constexpr std::array<std::string_view, static_cast<std::size_t>(Phase::count_)> phase_names{
    "policies", "forcing (US troops)", "sponsors", "violence", "recruitment, attrition and realignment",
    "population", "nationalism", "loyalty and information", "control and dependence", "observation", "record"};

// Wall time spent in each phase, nanoseconds, summed over weeks.
struct PhaseTimes {
    std::array<std::int64_t, static_cast<std::size_t>(Phase::count_)> ns{};
    PhaseTimes& operator+=(const PhaseTimes& other);
};

// Invariants that must hold after every step: shares in [0, 1] (loyalty, tips, control, exposure,
// focus; rows summing as they should), no NaN, no negative counts or stocks, everyone accounted for.
// Throws core::ModelError naming the variable, week and entity that broke one.
void check_invariants(const world::Roster& roster, const world::State& state, int week);

class Simulation;

// What a run does besides simulating (engine/checkpoint.hpp uses both).
struct RunHooks {
    // Called after each week is recorded; returning false ends the run after that week.
    std::function<bool(int week, const Simulation&, const output::Recorder&)> after_week;
    // Agents mode: the citizens to resume from, whose loyalty log replays the weeks up to theirs.
    std::optional<agents::CitizenCheckpoint> citizens;
};

class Simulation {
public:
    Simulation(const CompiledModel& model, std::uint64_t seed, std::uint64_t replicate);

    // Runs every week from week 0 (the initial state) and records into `recorder`. Returns false
    // if hooks.after_week stopped it before the last week.
    bool run(output::Recorder& recorder, bool check_each_step, RunHooks hooks = {});

    [[nodiscard]] const PhaseTimes& phase_times() const { return times_; }
    [[nodiscard]] const world::State& state() const { return current_; }
    // The citizen agents in agents mode (after run() has started), else null.
    [[nodiscard]] const agents::CitizenEngine* citizens() const { return citizens_.get(); }

private:
    void step(int week, std::vector<model::Incident>* incidents);
    // Fires this week's dated events and the conditional events whose trigger holds on last week's
    // state (logged; their actions set the levers), expires what has run out and sets this week's
    // tension from the shocks in force.
    void apply_policies(int week, output::Recorder& recorder);
    void fire(std::size_t index, int week, output::Recorder& recorder);

    const CompiledModel& model_;
    std::uint64_t seed_;
    std::uint64_t replicate_;
    world::State current_;
    world::State next_;
    PhaseTimes times_;
    std::size_t next_event_ = 0;  // index into model_.schedule
    std::vector<int> fired_week_;  // by schedule index, -1 until fired; one extra slot that never fires
    std::vector<std::pair<std::size_t, policy::TriggerWatch>> watches_;  // conditional events not yet fired
    model::Levers levers_;
    model::LoyaltyDrive drive_;  // the week's log-rates on loyalty (scratch, kept to reuse its storage)
    model::ViolenceScratch violence_scratch_;  // the cells' working storage, likewise
    model::ForcesScratch forces_scratch_;  // recruitment's working storage, likewise
    std::unique_ptr<agents::CitizenEngine> citizens_;  // agents mode only
};

}  // namespace iraqsim::engine
