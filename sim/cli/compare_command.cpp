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
#include "iraqsim/calibrate/posterior_sample.hpp"
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

bool is_output_file(const std::string& arg) { return fs::path(arg).extension() == ".h5"; }

// A scenario side's file, or none for the embedded baseline (the word `baseline`, unless a file of
// that name exists).
std::optional<fs::path> scenario_file(const std::string& arg) {
    if (arg == "baseline" && !fs::exists(arg)) return std::nullopt;
    return fs::path(arg);
}

// A side of the comparison: an output file read as it is, or a scenario (or the word `baseline`
// for the embedded one) run here with the common seed and replicate count, and `overrides` (a
// posterior draw's values) on top of the scenario's own.
output::ComparedRun load_side(const std::string& arg, const RunSettings& settings, std::optional<std::int64_t> seed,
                              const std::vector<std::string>& overrides = {}) {
    if (is_output_file(arg)) return output::read_compared_run(arg);
    std::vector<std::string> sets = overrides;
    if (seed) sets.push_back("scenario.seed=" + std::to_string(*seed));
    sets.push_back("scenario.replicates=" + std::to_string(settings.replicates.value_or(32)));
    const std::optional<fs::path> file = scenario_file(arg);
    scenario::Scenario s = scenario::load_scenario(file, sets);
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
    side.source = file ? arg : "the embedded baseline";
    return side;
}

// The seed a scenario side runs with when --seed does not set it.
std::int64_t scenario_seed(const std::string& arg) {
    return static_cast<std::int64_t>(scenario::load_scenario(scenario_file(arg), {}).seed);
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

// With `shares` (one per effect: the parameter share of its variance over posterior draws), the
// interval column holds the draws' 5-95% range and a last column the share.
void print_table(std::ostream& out, const std::vector<output::Effect>& effects, const std::vector<double>* shares = nullptr) {
    char line[300];
    std::snprintf(line, sizeof line, "%-25s %-6s %-15s %12s %12s %12s  %-27s %9s%s\n", "variable", "period", "where", "baseline",
                  "what-if", "difference", shares ? "[5-95% of draws]" : "[95% interval]", "relative",
                  shares ? "  parameter share" : "");
    out << line;
    for (std::size_t i = 0; i < effects.size(); ++i) {
        const output::Effect& e = effects[i];
        // Formatted into buffers: GCC 12 warns falsely (-Wrestrict) on short std::string assignments
        // once inlined, as in a unity build.
        char interval[96] = "n/a", relative[48] = "n/a", share[24] = "";
        if (!std::isnan(e.low)) {
            std::snprintf(interval, sizeof interval, "[%s, %s]", signed_number(e.low).c_str(), signed_number(e.high).c_str());
        }
        if (!std::isnan(e.relative)) std::snprintf(relative, sizeof relative, "%s%%", signed_number(100 * e.relative).c_str());
        if (shares) {
            const double x = (*shares)[i];
            if (std::isnan(x)) std::snprintf(share, sizeof share, "  n/a");
            else std::snprintf(share, sizeof share, "  %ld%%", std::lround(100 * x));
        }
        std::snprintf(line, sizeof line, "%-25s %-6s %-15s %12s %12s %12s  %-27s %9s%s\n", e.variable.c_str(), e.period.c_str(),
                      e.province.c_str(), number(e.baseline_mean).c_str(), number(e.whatif_mean).c_str(),
                      signed_number(e.difference_mean).c_str(), interval, relative, share);
        out << line;
    }
}

void write_csv(const std::string& path, bool force, const std::vector<output::Effect>& effects, const std::vector<double>* shares = nullptr) {
    output::write_stream_atomically(path, force, [&](std::ostream& stream) {
        stream << "variable,period,province,baseline_mean,whatif_mean,difference_mean,difference_low,difference_high,relative"
               << (shares ? ",parameter_share\n" : "\n");
        stream.precision(9);
        for (std::size_t i = 0; i < effects.size(); ++i) {
            const output::Effect& e = effects[i];
            auto field = [&](double x) -> std::ostream& { return std::isnan(x) ? stream : stream << x; };
            stream << e.variable << ',' << e.period << ',' << e.province << ',';
            field(e.baseline_mean) << ',';
            field(e.whatif_mean) << ',';
            field(e.difference_mean) << ',';
            field(e.low) << ',';
            field(e.high) << ',';
            field(e.relative);
            if (shares) {
                stream << ',';
                field((*shares)[i]);
            }
            stream << '\n';
        }
    });
}

// Both scenarios at each posterior draw, the same seed and replicates at every draw.
void compare_over_posterior(const std::vector<std::string>& sides, RunSettings settings, const output::CompareOptions& compare,
                            const std::string& posterior_file, std::int64_t draws, std::optional<std::int64_t> draw_seed,
                            const std::optional<std::string>& csv, bool force) {
    const calibrate::PosteriorSample posterior = calibrate::read_posterior_sample(posterior_file);
    const bool quiet = settings.quiet;
    settings.quiet = true;  // one bar for the draws, not one per run
    std::vector<std::vector<output::Effect>> effects;
    std::string baseline_name, whatif_name;
    std::int64_t replicates = 0;
    // The baseline's seed (unless --seed) is the common seed and, unless --draw-seed, the draws'.
    const std::int64_t seed = settings.seed.value_or(scenario_seed(sides[0]));
    const std::vector<std::size_t> picks =
        calibrate::draw_by_weight(posterior.weights, static_cast<std::size_t>(draws), static_cast<std::uint64_t>(draw_seed.value_or(seed)));
    {
        Progress progress("posterior draws", draws, quiet);
        for (std::int64_t d = 0; d < draws; ++d) {
            const std::vector<std::string> overrides = calibrate::particle_overrides(posterior, picks[static_cast<std::size_t>(d)]);
            const output::ComparedRun baseline = load_side(sides[0], settings, seed, overrides);
            const output::ComparedRun whatif = load_side(sides[1], settings, seed, overrides);
            effects.push_back(output::compare_runs(baseline, whatif, compare));
            baseline_name = baseline.scenario_name;
            whatif_name = whatif.scenario_name;
            replicates = baseline.replicates;
            progress.advance();
        }
    }
    const std::vector<output::PosteriorEffect> combined = output::combine_draws(effects, replicates);
    std::vector<output::Effect> means;
    std::vector<double> shares;
    for (const output::PosteriorEffect& e : combined) {
        means.push_back(e.mean);
        shares.push_back(e.parameter_share);
    }
    std::cout << "effect of '" << whatif_name << "' against '" << baseline_name << "' over " << draws
              << " draws from population " << posterior.population << " of " << posterior_file << " (" << posterior.keys.size()
              << " parameters), " << replicates << " paired replicates each, seed " << seed
              << "; what-if minus baseline, sums over each period; the draws' 5-95% range and the parameter share of the variance\n";
    print_table(std::cout, means, &shares);
    if (csv) write_csv(*csv, force, means, &shares);
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
        "With --posterior, both scenarios run at each of --draws particles drawn by weight from a\n"
        "calibration's posterior (the same replicates at every draw), and the table gives the effect's\n"
        "mean over draws, the 5-95% range of the draws' effects and the share of the effect's variance\n"
        "that is parameter uncertainty rather than the model's noise (docs/validation.md).\n"
        "Example: iraqsim compare baseline scenarios/whatif/no-surge.toml --replicates 32\n"
        "         iraqsim compare baseline scenarios/whatif/no-surge.toml --replicates 4 \\\n"
        "             --posterior scenarios/calibration/baseline-2004-2006.posterior.csv --draws 16");
    options.add_options()
        ("replicates", po::value<std::int64_t>(), "paired replicates for scenario sides (default 32)")
        ("seed", po::value<std::int64_t>(), "common seed for scenario sides (default: the baseline's)")
        ("threads", po::value<int>()->default_value(0), "worker threads (0: all cores); results do not depend on it")
        ("var", po::value<std::vector<std::string>>()->composing(), "compare only this variable (repeatable or comma-separated)")
        ("by-province", "also give each province's effect over the whole period")
        ("posterior", po::value<std::string>(), "run both scenarios over draws from this posterior (posterior.csv of `iraqsim calibrate`)")
        ("draws", po::value<std::int64_t>()->default_value(16), "posterior draws (with --posterior)")
        ("draw-seed", po::value<std::int64_t>(), "seed of the posterior draws (default: the common seed)")
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

    if (vm.count("posterior")) {
        for (const std::string& side : parsed.positional) {
            if (is_output_file(side)) throw core::UsageError("--posterior runs both sides at each draw: give scenarios, not output files (" + side + ")");
        }
        const std::int64_t draws = vm["draws"].as<std::int64_t>();
        if (draws < 2 || draws > 100000) throw core::UsageError("--draws must be between 2 and 100000");
        std::optional<std::int64_t> draw_seed;
        if (vm.count("draw-seed")) {
            draw_seed = vm["draw-seed"].as<std::int64_t>();
            if (*draw_seed < 0) throw core::UsageError("--draw-seed must be >= 0");
        }
        compare_over_posterior(parsed.positional, settings, compare, vm["posterior"].as<std::string>(), draws, draw_seed,
                               vm.count("csv") ? std::optional<std::string>(vm["csv"].as<std::string>()) : std::nullopt, force);
        return 0;
    }
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
