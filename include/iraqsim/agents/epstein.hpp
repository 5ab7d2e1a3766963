// Epstein's civil violence models, as validation scenarios for the agent machinery:
// J. M. Epstein (2002), "Modeling civil violence: An agent-based computational approach",
// PNAS 99 (suppl. 3): 7243-7250. Model I: citizens and cops (rebellion against a central
// authority). Model II: two communities, blue and green, whose actives kill members of the other,
// with cops acting as peacekeepers. docs/agents.md, "Validation: Epstein's civil violence models",
// gives the rules, what differs from the paper and why.
//
// State is structure-of-arrays with compact types, stored by cell; a step reads only the state at
// its start (synchronous update, in parallel chunks of grid rows with TBB) and every draw comes
// from a Philox stream keyed by (seed, run, step, purpose, agent; for moves, a group of four cells),
// so results are bit-identical at any thread count.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "iraqsim/agents/torus_window.hpp"

namespace iraqsim::agents {

enum class EpsteinModel : std::uint8_t {
    civil_violence = 1,   // Model I: citizens against the regime, cops arrest actives
    ethnic_violence = 2,  // Model II: blue and green citizens kill each other, cops keep the peace
};

// How a citizen turns the cops-to-actives ratio C/A in its vision into an estimated arrest
// probability P = 1 - exp(-k * f(C/A)).
enum class ArrestRule : std::uint8_t {
    literal,  // f(x) = x: the equation as printed in the paper
    rounded,  // f(x) = x rounded half to even: earlier versions of Mesa's example (Python's round),
              // which note that without it the paper's dynamics cannot be replicated
    floored,  // f(x) = floor(x): NetLogo's Rebellion model
};

// A citizen's estimate of its arrest probability should it turn active, P = 1 - exp(-k f(C/A)), with
// C the cops and A the actives in its vision, counting itself as active (so A >= 1).
double estimated_arrest_probability(double cops, double actives, double k, ArrestRule rule);

// A value over steps: piecewise linear between (step, value) points, constant before the first
// point and after the last. A single point is a constant.
struct Schedule {
    std::vector<std::pair<std::int32_t, double>> points;

    static Schedule constant(double value) { return Schedule{{{0, value}}}; }
    [[nodiscard]] double at(std::int32_t step) const;
};

// Defaults are the outbursts scenario's (scenarios/validation/epstein-1-outbursts.toml): the
// paper's 40 x 40 torus, citizen density 0.7, T = 0.1 and k = 2.3 (as in Mesa's example), with
// L = 0.82, v = 7, cop density 0.04 and J_max = 30. Validated by the scenario reader, not here.
struct EpsteinParams {
    EpsteinModel model = EpsteinModel::civil_violence;
    std::int32_t width = 40;                         // cells, torus; [epstein] width
    std::int32_t height = 40;                        // cells, torus; [epstein] height
    double citizen_density = 0.7;                    // citizens per cell at step 0
    Schedule cop_density = Schedule::constant(0.04); // cops per cell; may only fall (cops are withdrawn)
    std::int32_t citizen_vision = 7;                 // v: Moore radius in cells
    std::int32_t cop_vision = 7;                     // v*: Moore radius in cells
    Schedule legitimacy = Schedule::constant(0.82);  // L in [0, 1]; Model II: of the other community
    std::int32_t max_jail_term = 30;                 // J_max in steps; terms are uniform on 0..J_max
    double threshold = 0.1;                          // T: active iff G - N > T
    double arrest_constant = 2.3;                    // k: P = 0.9 when C = A = 1 (the paper's choice)
    ArrestRule arrest_rule = ArrestRule::rounded;
    bool movement = true;                            // agents move to a random empty cell in vision
    double blue_share = 0.5;                         // Model II: share of citizens in the blue community
    std::int32_t steps = 500;                        // steps after step 0
};

// What one step looks like from outside: the state after the step, and what happened during it.
struct EpsteinCounts {
    std::int32_t quiet = 0;   // citizens alive, free and quiet
    std::int32_t active = 0;  // citizens alive, free and active
    std::int32_t jailed = 0;  // citizens in jail
    std::int32_t cops = 0;    // cops on duty
    std::int32_t arrests = 0; // arrests during the step
    std::array<std::int32_t, 2> population{};  // citizens alive, by community (blue, green)
    std::array<std::int32_t, 2> killed{};      // citizens killed during the step, by community
};

// One time series per count, index = step (step 0 is the initial state).
struct EpsteinSeries {
    std::vector<std::int32_t> quiet, active, jailed, cops, arrests;
    std::array<std::vector<std::int32_t>, 2> population, killed;
    std::vector<double> legitimacy;  // the schedule's value at each step

    void append(const EpsteinCounts& counts, double legitimacy_now);
    [[nodiscard]] std::size_t size() const { return active.size(); }
};

// The agents by the cell they stand on: structure-of-arrays, index = cell, so that every phase of
// a step sweeps the grid in order and an agent's window reads and its own state stay in cache. A
// moving agent's record moves with it. Citizens keep the id they were given at step 0 (blue first,
// then green), which keys their draws; cops are numbered after the citizens.
struct EpsteinGrid {
    std::vector<std::int32_t> agent;   // a citizen id, the citizen count + a cop id, or -1 (empty)
    std::vector<float> hardship;       // H ~ U(0, 1); citizens only
    std::vector<float> risk_aversion;  // R ~ U(0, 1); citizens only
    std::vector<std::uint16_t> jail;   // steps left in jail; 0 = free
    std::vector<std::uint8_t> active;  // 1 = active (never while jailed)
    std::vector<std::uint8_t> group;   // 0 = blue, 1 = green (Model I: all blue)

    [[nodiscard]] std::size_t size() const { return agent.size(); }
    // Bytes of state per cell.
    static constexpr std::size_t bytes_per_cell = 4 + 4 + 4 + 2 + 1 + 1;
};

// Cops by id: where each stands, so that a falling cop density can withdraw the highest-numbered.
struct Cops {
    std::vector<std::uint32_t> cell;
    std::vector<std::uint8_t> on_duty;  // 0 once withdrawn by a falling cop density

    [[nodiscard]] std::size_t size() const { return cell.size(); }
};

class EpsteinWorld {
public:
    static constexpr std::int32_t empty_cell = -1;

    // Places round(density x cells) citizens and cops on distinct random cells (step 0).
    EpsteinWorld(const EpsteinParams& params, std::uint64_t seed, std::uint64_t run);

    // Advances one step: withdraw cops, arrest, kill (Model II), decide and count down jail terms,
    // move, count.
    void step();

    [[nodiscard]] std::int32_t steps_done() const { return step_; }
    [[nodiscard]] const EpsteinCounts& counts() const { return counts_; }
    [[nodiscard]] const EpsteinGrid& grid() const { return grid_; }
    [[nodiscard]] const Cops& cops() const { return cops_; }
    // Citizens placed at step 0, the living and the dead.
    [[nodiscard]] std::size_t citizens_placed() const { return citizens_placed_; }
    // Bytes a step reads or writes per cell at least once: the state, the per-step snapshots and
    // scratch, and the window tables (a lower bound on a step's memory traffic, for benchmarks).
    [[nodiscard]] std::size_t bytes_touched_per_cell() const;

    // Throws core::ModelError naming the step and the broken invariant: every living citizen stands
    // on exactly one cell, every cop on duty on its own, empty cells hold no state, counts add up,
    // jailed citizens are quiet.
    void check_invariants() const;

private:
    void withdraw_cops();
    void build_window_tables();
    void arrest();
    void kill();
    // One sweep: the citizens decide, count down jail terms or start them, the killed leave the
    // grid, movers choose cells; returns the counts, and writes next_start_ (before moves).
    EpsteinCounts decide_choose_moves_and_count(double legitimacy);
    void move();
    void count_at_step_0();
    void clear_cell(std::size_t cell);

    EpsteinParams params_;
    std::uint64_t seed_;
    std::uint64_t run_;
    std::int32_t step_ = 0;
    std::size_t citizens_placed_ = 0;
    EpsteinGrid grid_;
    Cops cops_;
    EpsteinCounts counts_;
    // Per cell, the state at the start of each step (so every rule reads the state as it was then):
    // bits for a cop, an active, any agent, a free citizen and its community (epstein.cpp). The
    // step writes the next one as it goes, moves included, in next_start_.
    std::vector<std::uint8_t> start_, next_start_;
    // Per cell, written during the step.
    std::vector<std::uint8_t> arrested_now_;  // the citizen here was arrested
    std::vector<std::uint8_t> killed_now_;    // the citizen here was killed
    std::vector<std::uint32_t> claim_;        // the cell the mover here claimed, or its own (no claim)
    std::vector<std::uint64_t> claim_key_;    // that claim's priority and cell (the higher wins)
    std::vector<std::uint64_t> best_claim_;   // the highest key claiming the cell, 0 if none
    // Window counts at the start of the step: cops, actives and, unless visions above 723 make the
    // three too large for one 64-bit entry, agents (then in taken_seen_); Model II: free citizens
    // of each community.
    bool taken_in_seen_;
    TorusWindowCounts seen_;
    std::optional<TorusWindowCounts> taken_seen_, free_seen_;
    // P by (cops, actives) in a citizen's vision, when the window is small enough to tabulate.
    std::vector<double> arrest_probability_;
};

// Runs the model for params.steps steps and returns the series (step 0 included).
// `check_invariants` checks them after every step (the tests and Debug runs turn it on).
EpsteinSeries run_epstein(const EpsteinParams& params, std::uint64_t seed, std::uint64_t run,
                          bool check_invariants = false);

}  // namespace iraqsim::agents
