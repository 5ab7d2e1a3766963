#include <boost/program_options.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "parse_args.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/compare.hpp"
#include "iraqsim/scenario/loader.hpp"
#include "progress.hpp"

namespace iraqsim::cli {
namespace {

namespace fs = std::filesystem;

struct RunSettings {
    std::optional<std::int64_t> seed, replicates;
    int threads = 0;
    bool quiet = false;
};

// A side of the comparison: an output file read as it is, or a scenario (or the word `baseline`
// for the embedded one) run here with the common seed and replicate count.
output::ComparedRun load_side(const std::string& arg, const RunSettings& settings, std::optional<std::int64_t> seed) {
    if (fs::path(arg).extension() == ".h5") return output::read_compared_run(arg);
    std::vector<std::string> sets;
    if (seed) sets.push_back("scenario.seed=" + std::to_string(*seed));
    sets.push_back("scenario.replicates=" + std::to_string(settings.replicates.value_or(32)));
    const bool embedded = arg == "baseline" && !fs::exists(arg);
    scenario::Scenario s = scenario::load_scenario(embedded ? std::nullopt : std::optional<fs::path>(arg), sets);
    const engine::CompiledModel model = engine::compile_model(s, s.world);
    const output::RecordSpec spec = output::compared_spec(s.output.every_weeks);
    engine::EnsembleSettings run;
    run.seed = s.seed;
    run.replicates = s.replicates;
    run.threads = settings.threads;
    engine::EnsembleResult result;
    {
        Progress progress("run " + s.name, s.replicates, settings.quiet);
        result = engine::run_ensemble(model, spec, run, [&] { progress.advance(); });
    }
    output::ComparedRun side = output::compared_run(s, spec, result);
    side.source = embedded ? "the embedded baseline" : arg;
    return side;
}

std::string number(double x) {
    if (std::isnan(x)) return "n/a";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, std::fabs(x) >= 100 ? "%.0f" : "%.3g", x);
    return buffer;
}

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string temporaries.
std::string signed_number(double x) {
    std::string out = std::isnan(x) || x < 0 ? "" : "+";
    out.append(number(x));
    return out;
}

void print_table(std::ostream& out, const std::vector<output::Effect>& effects) {
    char line[256];
    std::snprintf(line, sizeof line, "%-25s %-6s %-15s %12s %12s %12s  %-27s %9s\n", "variable", "period", "where", "baseline",
                  "what-if", "difference", "[95% interval]", "relative");
    out << line;
    for (const output::Effect& e : effects) {
        std::string interval = "n/a", relative = "n/a";
        if (!std::isnan(e.low)) {
            interval = "[";
            interval.append(signed_number(e.low)).append(", ").append(signed_number(e.high)).append("]");
        }
        if (!std::isnan(e.relative)) relative = signed_number(100 * e.relative).append("%");
        std::snprintf(line, sizeof line, "%-25s %-6s %-15s %12s %12s %12s  %-27s %9s\n", e.variable.c_str(), e.period.c_str(),
                      e.province.c_str(), number(e.baseline_mean).c_str(), number(e.whatif_mean).c_str(),
                      signed_number(e.difference_mean).c_str(), interval.c_str(), relative.c_str());
        out << line;
    }
}

void write_csv(const std::string& path, bool force, const std::vector<output::Effect>& effects) {
    output::write_stream_atomically(path, force, [&](std::ostream& stream) {
        stream << "variable,period,province,baseline_mean,whatif_mean,difference_mean,difference_low,difference_high,relative\n";
        stream.precision(9);
        for (const output::Effect& e : effects) {
            auto field = [&](double x) -> std::ostream& { return std::isnan(x) ? stream : stream << x; };
            stream << e.variable << ',' << e.period << ',' << e.province << ',';
            field(e.baseline_mean) << ',';
            field(e.whatif_mean) << ',';
            field(e.difference_mean) << ',';
            field(e.low) << ',';
            field(e.high) << ',';
            field(e.relative) << '\n';
        }
    });
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim compare BASELINE WHATIF [options]: the effect of a what-if against its baseline, as paired\n"
        "differences over replicates with common random numbers (replicate r of both draws from the same\n"
        "streams). Each side is an output file of `iraqsim run` (*.h5, read as it is: both must have the\n"
        "same seed, replicates and period) or a scenario file run here (`baseline` is the embedded one).\n"
        "Prints, for each count (civilian_deaths, attacks, attacks_on_us, us_fatalities, isf_deaths and\n"
        "the reported ones), baseline and what-if means, the mean difference with its 95% paired-t\n"
        "interval and the relative change, by calendar year and for the whole period.\n"
        "Example: iraqsim compare baseline scenarios/whatif/no-surge.toml --replicates 32");
    options.add_options()
        ("replicates", po::value<std::int64_t>(), "paired replicates for scenario sides (default 32)")
        ("seed", po::value<std::int64_t>(), "common seed for scenario sides (default: the baseline's)")
        ("threads", po::value<int>()->default_value(0), "worker threads (0: all cores); results do not depend on it")
        ("var", po::value<std::vector<std::string>>()->composing(), "compare only this variable (repeatable or comma-separated)")
        ("by-province", "also give each province's effect over the whole period")
        ("csv", po::value<std::string>(), "also write the effects as CSV to this file (atomically)")
        ("force", "overwrite the CSV file if it exists")
        ("quiet,q", "print nothing but the table and errors")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    if (parsed.positional.size() != 2) {
        throw core::UsageError("compare: give BASELINE and WHATIF (got " + std::to_string(parsed.positional.size()) + " arguments)");
    }
    RunSettings settings;
    if (vm.count("replicates")) {
        settings.replicates = vm["replicates"].as<std::int64_t>();
        if (*settings.replicates < 2 || *settings.replicates > 100000) throw core::UsageError("--replicates must be between 2 and 100000");
    }
    if (vm.count("seed")) {
        settings.seed = vm["seed"].as<std::int64_t>();
        if (*settings.seed < 0) throw core::UsageError("--seed must be >= 0");
    }
    settings.threads = vm["threads"].as<int>();
    if (settings.threads < 0 || settings.threads > 4096) throw core::UsageError("--threads must be between 0 and 4096");
    settings.quiet = vm.count("quiet") > 0;
    output::CompareOptions compare;
    compare.by_province = vm.count("by-province") > 0;
    compare.variables = split_names(strings(vm, "var"), "--var");
    for (const std::string& v : compare.variables) {
        const auto& known = output::compared_variables();
        if (std::find(known.begin(), known.end(), v) == known.end()) {
            std::string list;
            for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
            throw core::UsageError("--var: '" + v + "' is not a compared variable (" + list + ")");
        }
    }
    const bool force = vm.count("force") > 0;
    if (vm.count("csv")) output::check_output_path(vm["csv"].as<std::string>(), force);  // fail before running

    // The baseline fixes the common seed unless --seed does.
    const output::ComparedRun baseline = load_side(parsed.positional[0], settings, settings.seed);
    const output::ComparedRun whatif = load_side(parsed.positional[1], settings, settings.seed.value_or(baseline.seed));
    const std::vector<output::Effect> effects = output::compare_runs(baseline, whatif, compare);
    std::cout << "effect of '" << whatif.scenario_name << "' against '" << baseline.scenario_name << "': " << baseline.replicates
              << " paired replicates, seed " << baseline.seed << "; what-if minus baseline, sums over each period (persons or "
              << "attacks), 95% paired-t interval\n";
    print_table(std::cout, effects);
    if (vm.count("csv")) write_csv(vm["csv"].as<std::string>(), force, effects);
    return 0;
}

}  // namespace iraqsim::cli
