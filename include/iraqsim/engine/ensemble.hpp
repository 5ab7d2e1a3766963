// Replicates of one scenario, run in parallel with TBB. Replicate r draws from streams keyed by
// (seed, r, ...), so the result is the same at any thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/simulation.hpp"
#include "iraqsim/output/recorder.hpp"

namespace iraqsim::engine {

struct EnsembleSettings {
    std::uint64_t seed = 1;
    std::int64_t replicates = 1;
    int threads = 0;  // 0: all cores
    bool check_invariants = true;
};

struct EnsembleResult {
    std::vector<double> time_days;  // days since the time origin, one per record
    std::vector<output::ReplicateSeries> replicates;
    PhaseTimes phase_times;  // summed over replicates
    std::int64_t weeks_simulated = 0;
    bool stopped = false;  // a checkpointer stopped the replicates before the end (no series then)
};

class Checkpointer;

// `on_replicate_done`, when given, is called once per finished replicate, from worker threads.
// `checkpointer`, when given, supplies the replicates a checkpoint holds finished, resumes the
// others from theirs and writes new checkpoints (engine/checkpoint.hpp).
EnsembleResult run_ensemble(const CompiledModel& model, const output::RecordSpec& spec,
                            const EnsembleSettings& settings,
                            const std::function<void()>& on_replicate_done = nullptr,
                            Checkpointer* checkpointer = nullptr);

}  // namespace iraqsim::engine
