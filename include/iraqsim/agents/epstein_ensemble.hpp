// Runs a validation scenario: every arm over the same seeds, in parallel over (arm, seed) and
// within each run. A run's bytes depend only on its parameters and seed, never on the threads.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "iraqsim/agents/epstein.hpp"
#include "iraqsim/agents/epstein_metrics.hpp"
#include "iraqsim/agents/epstein_scenario.hpp"

namespace iraqsim::agents {

struct EpsteinArmResult {
    std::vector<EpsteinSeries> runs;  // one per seed, in seed order
    std::vector<EpsteinRunMetrics> metrics;
    EpsteinArmSummary summary;
};

struct EpsteinValidationResult {
    std::vector<std::uint64_t> seeds;
    std::vector<EpsteinArmResult> arms;  // in the scenario's order
};

// Runs validation.seeds seeds (from validation.seed on) for every arm; `on_run_done` is called from
// worker threads after each run. Invariants are checked after every step when asked.
EpsteinValidationResult run_validation(const EpsteinValidation& validation, bool check_invariants = false,
                                       const std::function<void()>& on_run_done = nullptr);

}  // namespace iraqsim::agents
