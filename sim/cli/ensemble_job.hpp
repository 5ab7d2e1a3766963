// What `iraqsim run` and `iraqsim resume` share: run a scenario's replicates (optionally with
// checkpoints) and write the output file, or report where a stopped run can be resumed.
#pragma once

#include <string>

#include "iraqsim/engine/checkpoint.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/scenario/scenario.hpp"

namespace iraqsim::cli {

// What the scenario asks to record. Throws core::ScenarioError for an unknown variable.
output::RecordSpec record_spec(const scenario::Scenario& scenario);

struct EnsembleJob {
    const scenario::Scenario& scenario;
    engine::EnsembleSettings settings;
    std::string output;
    bool force = false;
    bool quiet = false;
    engine::Checkpointer* checkpointer = nullptr;
    std::string checkpoint_path;  // for the messages
};

// Runs the job and writes its output (then deletes the checkpoint, if any); if the checkpointer
// stopped it, writes nothing and says how to resume. Returns the exit code.
int run_ensemble_job(const EnsembleJob& job);

}  // namespace iraqsim::cli
