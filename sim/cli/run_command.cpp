#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "parse_args.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/ensemble_file.hpp"
#include "iraqsim/scenario/loader.hpp"
#include "progress.hpp"
#include "run_summary.hpp"

namespace iraqsim::cli {
namespace {

constexpr std::int64_t max_replicates = 1'000'000;  // the registry's bound for scenario.replicates

output::RecordSpec record_spec(const scenario::Scenario& scenario) {
    output::RecordSpec spec;
    spec.every_weeks = scenario.output.every_weeks;
    spec.incidents = scenario.output.incidents;
    if (scenario.output.variables.empty()) {
        for (const output::VariableDef& v : output::variable_catalogue()) spec.variables.push_back(&v);
    } else {
        for (const std::string& name : scenario.output.variables) {
            const output::VariableDef* v = output::find_variable(name);
            if (v == nullptr) throw core::ScenarioError("output.variables: unknown variable '" + name + "'");
            spec.variables.push_back(v);
        }
    }
    return spec;
}

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
        ("force", "overwrite the output file if it exists")
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

    const auto started = std::chrono::steady_clock::now();
    const engine::CompiledModel model = engine::compile_model(scenario, scenario.world);
    const output::RecordSpec spec = record_spec(scenario);
    engine::EnsembleSettings settings;
    settings.seed = scenario.seed;
    settings.replicates = scenario.replicates;
    settings.threads = threads;
#ifdef NDEBUG
    settings.check_invariants = vm.count("check") > 0;
#else
    settings.check_invariants = true;
#endif
    engine::EnsembleResult result;
    {
        Progress progress(std::string("run ").append(scenario.name), scenario.replicates, quiet);
        result = engine::run_ensemble(model, spec, settings, [&] { progress.advance(); });
    }
    const auto simulated = std::chrono::steady_clock::now();
    {
        Progress progress(std::string("write ").append(path), static_cast<std::int64_t>(spec.variables.size()) * scenario.replicates, quiet);
        output::write_ensemble_file(path, force, scenario, scenario.world, spec, result, [&] { progress.advance(); });
    }
    const auto written = std::chrono::steady_clock::now();

    if (!quiet) {
        const double sim_s = std::chrono::duration<double>(simulated - started).count();
        const double total_s = std::chrono::duration<double>(written - started).count();
        print_run_summary(std::cout, scenario, scenario.world, spec, result);
        std::printf("wrote %s\n", path.c_str());
        std::printf("wall time %.3f s (simulation %.3f s, output %.3f s); %.0f weeks/s over %lld replicate(s)\n",
                    total_s, sim_s, total_s - sim_s, static_cast<double>(result.weeks_simulated) / sim_s,
                    static_cast<long long>(scenario.replicates));
    }
    return 0;
}

}  // namespace iraqsim::cli
