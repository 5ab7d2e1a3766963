// `iraqsim validate`: runs one of Epstein's civil violence models over many seeds, writes the
// series to HDF5 and prints the stylized facts it checks (docs/agents.md).
#include <oneapi/tbb/task_arena.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "parse_args.hpp"
#include "iraqsim/agents/epstein_ensemble.hpp"
#include "iraqsim/agents/epstein_scenario.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/epstein_file.hpp"
#include "progress.hpp"

namespace iraqsim::cli {
namespace {

constexpr std::int64_t max_seeds = 100'000;  // the scenario reader's bound for validation.seeds

std::string cell(double value, const char* format) {
    if (std::isnan(value)) return "-";
    if (std::isinf(value)) return "never";
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

void print_table(const agents::EpsteinValidation& v, const agents::EpsteinValidationResult& result) {
    const agents::EpsteinParams& first = v.arms.front().params;
    const bool model_two = first.model == agents::EpsteinModel::ethnic_violence;
    std::string rules;
    for (const agents::EpsteinArm& arm : v.arms) {
        const std::string rule(agents::arrest_rule_name(arm.params.arrest_rule));
        if (rules.find(rule) == std::string::npos) rules.append(rules.empty() ? "" : ", ").append(rule);
    }
    std::printf("%s: %s, %zu seed(s) from %llu, %d steps, arrest rule %s; medians over seeds\n", v.name.c_str(),
                std::string(agents::model_name(first.model)).c_str(), result.seeds.size(),
                static_cast<unsigned long long>(v.seed), first.steps, rules.c_str());
    if (model_two) {
        std::printf("%-20s %12s %12s %16s %12s\n", "arm", "cop density", "extinct", "extinction step", "peak active");
    } else {
        std::printf("%-20s %10s %12s %14s %8s %13s %18s\n", "arm", "outbursts", "peak active", "median active",
                    "tipped", "tipping step", "cop density at tip");
    }
    for (std::size_t a = 0; a < result.arms.size(); ++a) {
        const agents::EpsteinArmSummary& s = result.arms[a].summary;
        const std::string tipped = std::to_string(s.runs_tipped) + "/" + std::to_string(s.runs);
        if (model_two) {
            const std::string extinct = std::to_string(s.runs_extinct) + "/" + std::to_string(s.runs);
            std::printf("%-20s %12s %12s %16s %12s\n", s.name.c_str(),
                        cell(v.arms[a].params.cop_density.at(0), "%.3f").c_str(), extinct.c_str(),
                        cell(s.median_extinction_step, "%.0f").c_str(), cell(s.median_peak_active, "%.0f").c_str());
        } else {
            std::printf("%-20s %10s %12s %14s %8s %13s %18s\n", s.name.c_str(), cell(s.median_outbursts, "%.1f").c_str(),
                        cell(s.median_peak_active, "%.0f").c_str(), cell(s.median_active, "%.1f").c_str(), tipped.c_str(),
                        cell(s.median_tipping_step, "%.0f").c_str(),
                        cell(s.median_cop_density_at_tipping, "%.4f").c_str());
        }
    }
}

}  // namespace

int validate_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim validate FILE.toml [options]: run one of Epstein's civil violence models (a scenario in\n"
        "scenarios/validation/epstein-*.toml) over many seeds, write every run's series to HDF5 and print\n"
        "the stylized facts it checks: outbursts, peaks, tipping into rebellion, extinction of a community.\n"
        "See docs/agents.md, \"Validation: Epstein's civil violence models\"");
    options.add_options()
        ("output,o", po::value<std::string>(), "output file (default: <scenario name>.h5 in the current directory)")
        ("seeds", po::value<std::int64_t>(), "runs per arm (default: the file's validation.seeds)")
        ("threads", po::value<int>()->default_value(0), "worker threads (0: all cores); results do not depend on it")
        ("force", "overwrite the output file if it exists")
        ("check", "check invariants after every step (always on in Debug builds)")
        ("parse-only", "read and validate the file, run nothing")
        ("quiet,q", "print nothing but errors")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    if (parsed.positional.size() != 1) {
        throw core::UsageError("validate: give exactly one FILE.toml (usage: iraqsim validate FILE.toml [-o OUT.h5])");
    }
    if (vm.count("seeds")) {
        const auto n = vm["seeds"].as<std::int64_t>();
        if (n < 1 || n > max_seeds) throw core::UsageError("--seeds must be between 1 and " + std::to_string(max_seeds));
    }
    const int threads = vm["threads"].as<int>();
    if (threads < 0 || threads > 4096) throw core::UsageError("--threads must be between 0 and 4096");
    const bool quiet = vm.count("quiet") > 0;

    agents::EpsteinValidation validation = agents::load_epstein_validation(parsed.positional.front());
    if (vm.count("seeds")) validation.seeds = static_cast<std::int32_t>(vm["seeds"].as<std::int64_t>());
    if (vm.count("parse-only")) {
        if (!quiet) {
            std::cout << parsed.positional.front() << ": ok (" << validation.name << ", "
                      << agents::model_name(validation.arms.front().params.model) << ", " << validation.arms.size()
                      << " arm(s), " << validation.seeds << " seed(s))\n";
        }
        return 0;
    }
    const bool force = vm.count("force") > 0;
    const std::string path = vm.count("output") ? vm["output"].as<std::string>() : validation.name + ".h5";
    output::check_output_path(path, force);  // fail before computing, not after
#ifdef NDEBUG
    const bool check = vm.count("check") > 0;
#else
    const bool check = true;
#endif

    const auto started = std::chrono::steady_clock::now();
    agents::EpsteinValidationResult result;
    {
        const auto runs = static_cast<std::int64_t>(validation.arms.size()) * validation.seeds;
        Progress progress("validate " + validation.name, runs, quiet);
        tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
        arena.execute([&] { result = agents::run_validation(validation, check, [&] { progress.advance(); }); });
    }
    const auto simulated = std::chrono::steady_clock::now();
    output::write_epstein_file(path, force, validation, result);
    if (!quiet) {
        print_table(validation, result);
        std::int64_t agent_steps = 0;
        for (const agents::EpsteinArmResult& arm : result.arms) {
            for (const agents::EpsteinSeries& run : arm.runs) {
                for (std::size_t t = 1; t < run.size(); ++t) agent_steps += run.quiet[t] + run.active[t] + run.jailed[t] + run.cops[t];
            }
        }
        const double seconds = std::chrono::duration<double>(simulated - started).count();
        std::printf("wrote %s\n", path.c_str());
        std::printf("simulation %.3f s, %.3g agent-steps/s\n", seconds, static_cast<double>(agent_steps) / seconds);
    }
    return 0;
}

}  // namespace iraqsim::cli
