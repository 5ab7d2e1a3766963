#include <boost/program_options.hpp>

#include "commands.hpp"
#include "ensemble_job.hpp"
#include "parse_args.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/checkpoint.hpp"
#include "iraqsim/output/atomic_output.hpp"

namespace iraqsim::cli {

int resume_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim resume CHECKPOINT [options]: continue a run from the checkpoint that `iraqsim run "
        "--checkpoint-every N` (or --stop-at-week) wrote, and write the output it would have written: the same "
        "datasets, bit for bit. It keeps checkpointing into CHECKPOINT at the run's interval and deletes it once "
        "the output is written. The scenario, seed and replicates are the checkpoint's");
    options.add_options()
        ("output,o", po::value<std::string>(), "output file (default: the one the run was to write)")
        ("threads", po::value<int>()->default_value(0), "worker threads (0: all cores); results do not depend on it")
        ("force", "overwrite the output file if it exists")
        ("stop-at-week", po::value<int>(), "N: stop again after week N (later than the checkpoint's), writing no output")
        ("quiet,q", "print nothing but errors")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    if (parsed.positional.size() != 1) throw core::UsageError("resume: give one CHECKPOINT file");
    const std::string checkpoint_path = parsed.positional.front();
    const int threads = vm["threads"].as<int>();
    if (threads < 0 || threads > 4096) throw core::UsageError("--threads must be between 0 and 4096");
    const int stop_at = vm.count("stop-at-week") ? vm["stop-at-week"].as<int>() : 0;

    engine::Checkpoint checkpoint = engine::read_checkpoint(checkpoint_path);
    for (const engine::ReplicateCheckpoint& r : checkpoint.replicates) {
        if (vm.count("stop-at-week") && stop_at <= r.week)
            throw core::UsageError("--stop-at-week must be after the checkpoint's week " + std::to_string(r.week));
    }
    const scenario::Scenario scenario = engine::checkpoint_scenario(checkpoint.run, checkpoint_path);
    const std::string path = vm.count("output") ? vm["output"].as<std::string>() : checkpoint.run.output;
    const bool force = vm.count("force") > 0;
    output::check_output_path(path, force);  // fail before computing, not after

    EnsembleJob job{scenario, {}, path, force, vm.count("quiet") > 0, nullptr, checkpoint_path};
    job.settings.seed = scenario.seed;
    job.settings.replicates = scenario.replicates;
    job.settings.threads = threads;
    job.settings.check_invariants = checkpoint.run.check_invariants;
    if (scenario.replicates != checkpoint.run.replicates)
        throw core::IoError("checkpoint " + checkpoint_path + ": its scenario and its replicates disagree");
    engine::Checkpointer checkpointer(checkpoint_path, std::move(checkpoint),
                                      scenario.population.mode == scenario::PopulationMode::agents,
                                      scenario.week_count(), stop_at);
    job.checkpointer = &checkpointer;
    return run_ensemble_job(job);
}

}  // namespace iraqsim::cli
