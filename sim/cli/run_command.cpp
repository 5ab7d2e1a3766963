#include <boost/program_options.hpp>
#include <optional>

#include "commands.hpp"
#include "ensemble_job.hpp"
#include "parse_args.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/checkpoint.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/scenario/loader.hpp"

namespace iraqsim::cli {
namespace {

constexpr std::int64_t max_replicates = 1'000'000;  // the registry's bound for scenario.replicates

}  // namespace

int run_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim run [SCENARIO] [options]: run a scenario and write its time series to HDF5.\n"
        "With no SCENARIO, runs the embedded historical baseline (May 2003 - December 2011)");
    options.add_options()
        ("output,o", po::value<std::string>(), "output file (default: <scenario name>.h5 in the current directory)")
        ("set", po::value<std::vector<std::string>>()->composing(),
         "path=value: override a scenario value, e.g. --set model.loyalty.diffusion_rate=0.02 or "
         "--set event.<id>.date=2007-03-01 (repeatable; wins over the file)")
        ("seed", po::value<std::int64_t>(), "master seed (default: the scenario's; same as --set scenario.seed=N)")
        ("replicates", po::value<std::int64_t>(), "number of replicates (default: the scenario's)")
        ("threads", po::value<int>()->default_value(0), "worker threads (0: all cores); results do not depend on it")
        ("force", "overwrite the output file (and the checkpoint file) if it exists")
        ("checkpoint-every", po::value<int>(),
         "N: every N weeks, save each replicate's progress to the checkpoint file, so that `iraqsim resume "
         "CHECKPOINT` can continue a killed run and write the same output; the file is deleted once the output "
         "is written")
        ("checkpoint", po::value<std::string>(), "the checkpoint file (default: the output file's name + .checkpoint)")
        ("stop-at-week", po::value<int>(),
         "N: stop every replicate after week N, save the checkpoint and write no output (to split a long run "
         "into jobs; continue with iraqsim resume)")
        ("check", "check invariants after every step (always on in Debug builds)")
        ("quiet,q", "print nothing but errors")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    const std::vector<std::string>& files = parsed.positional;
    if (files.size() > 1) throw core::UsageError("run: give at most one SCENARIO (to combine files, use include)");
    if (vm.count("replicates")) {
        const auto n = vm["replicates"].as<std::int64_t>();
        if (n < 1 || n > max_replicates) {
            throw core::UsageError("--replicates must be between 1 and " + std::to_string(max_replicates));
        }
    }
    if (vm.count("seed") && vm["seed"].as<std::int64_t>() < 0) throw core::UsageError("--seed must be >= 0");

    // The command line wins over the file: --seed and --replicates are --set in disguise.
    std::vector<std::string> sets = strings(vm, "set");
    if (vm.count("seed")) sets.push_back("scenario.seed=" + std::to_string(vm["seed"].as<std::int64_t>()));
    if (vm.count("replicates")) sets.push_back("scenario.replicates=" + std::to_string(vm["replicates"].as<std::int64_t>()));
    const scenario::Scenario scenario = scenario::load_scenario(
        files.empty() ? std::nullopt : std::optional<std::filesystem::path>(files.front()), sets);
    const int threads = vm["threads"].as<int>();
    if (threads < 0 || threads > 4096) throw core::UsageError("--threads must be between 0 and 4096");
    const bool quiet = vm.count("quiet") > 0;
    const bool force = vm.count("force") > 0;
    const std::string path = vm.count("output") ? vm["output"].as<std::string>() : scenario.name + ".h5";
    output::check_output_path(path, force);  // fail before computing, not after

    const int every = vm.count("checkpoint-every") ? vm["checkpoint-every"].as<int>() : 0;
    const int stop_at = vm.count("stop-at-week") ? vm["stop-at-week"].as<int>() : 0;
    if (vm.count("checkpoint-every") && every < 1) throw core::UsageError("--checkpoint-every must be at least 1 (weeks)");
    if (vm.count("stop-at-week") && stop_at < 1) throw core::UsageError("--stop-at-week must be at least 1");
    const bool checkpointing = every > 0 || stop_at > 0;
    if (vm.count("checkpoint") && !checkpointing)
        throw core::UsageError("--checkpoint names the checkpoint file of --checkpoint-every or --stop-at-week");
    const std::string checkpoint_path = vm.count("checkpoint") ? vm["checkpoint"].as<std::string>() : path + ".checkpoint";
    if (checkpointing) output::check_output_path(checkpoint_path, force);

    EnsembleJob job{scenario, {}, path, force, quiet, nullptr, checkpoint_path};
    job.settings.seed = scenario.seed;
    job.settings.replicates = scenario.replicates;
    job.settings.threads = threads;
#ifdef NDEBUG
    job.settings.check_invariants = vm.count("check") > 0;
#else
    job.settings.check_invariants = true;
#endif
    std::optional<engine::Checkpointer> checkpointer;
    if (checkpointing) {
        engine::Checkpoint fresh;
        fresh.run = {scenario.source, scenario.text, path, scenario.replicates, every, job.settings.check_invariants};
        fresh.replicates.resize(static_cast<std::size_t>(scenario.replicates));
        checkpointer.emplace(checkpoint_path, std::move(fresh), scenario.population.mode == scenario::PopulationMode::agents,
                             scenario.week_count(), stop_at);
        job.checkpointer = &*checkpointer;
    }
    return run_ensemble_job(job);
}

}  // namespace iraqsim::cli
