// iraqsim analyze DIR: the sensitivity measures a stitched sweep holds (Morris elementary effects
// or Sobol indices, docs/sweeps.md "Sensitivity analysis") for chosen summary metrics, as a table
// or a long CSV.
#include <hdf5.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <span>
#include <sstream>

#include "commands.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/scenario/diagnostics.hpp"
#include "iraqsim/sweep/runner.hpp"
#include "parse_args.hpp"

namespace iraqsim::cli {
namespace {

namespace fs = std::filesystem;
namespace h5 = output::h5;

struct Measure {
    const char* variable;  // in sweep.h5, [parameter, metric]
    const char* header;
};

constexpr Measure morris_measures[] = {{"morris_mu_star", "mu*"}, {"morris_mu", "mu"}, {"morris_sigma", "sigma"}};
constexpr Measure sobol_measures[] = {{"sobol_first", "S1"},       {"sobol_first_low", "S1 2.5%"},
                                      {"sobol_first_high", "S1 97.5%"}, {"sobol_total", "ST"},
                                      {"sobol_total_low", "ST 2.5%"},   {"sobol_total_high", "ST 97.5%"}};

// The metrics asked for (every metric when none is named), each name a metric or a group.
std::vector<std::size_t> chosen_metrics(const sweep::Metrics& metrics, const std::vector<std::string>& names) {
    std::vector<std::size_t> chosen;
    if (names.empty()) {
        for (std::size_t i = 0; i < metrics.size(); ++i) chosen.push_back(i);
        return chosen;
    }
    for (const std::string& name : names) {
        const std::vector<std::size_t> found = sweep::select_metrics(metrics, name);
        if (found.empty()) {
            std::string message = "analyze: no metric or metric group '" + name + "' in this sweep";
            const std::string guess = scenario::nearest(name, sweep::metric_and_group_names(metrics));
            if (!guess.empty()) message += " (did you mean '" + guess + "'?)";
            throw core::UsageError(message + "; docs/sweeps.md lists them");
        }
        chosen.insert(chosen.end(), found.begin(), found.end());
    }
    return chosen;
}

// A [parameter, metric] measure, row-major.
std::vector<double> read_measure(hid_t file, const char* name, std::size_t parameters, std::size_t metrics,
                                 const std::string& path) {
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0) throw core::IoError(path + " lacks " + name + ": stitch it again");
    h5::Handle ds(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, name);
    if (h5::dataset_shape(ds) != std::vector<hsize_t>{parameters, metrics}) {
        throw core::IoError(path + ": " + name + " does not have this sweep's shape");
    }
    std::vector<double> values(parameters * metrics);
    h5::read_all(ds, H5T_NATIVE_DOUBLE, values.data());
    return values;
}

std::string number(double x, int digits) {
    char text[40];
    std::snprintf(text, sizeof text, "%.*g", digits, x);
    return text;
}

}  // namespace

int analyze_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim analyze DIR [--metric NAME]... [--csv OUT.csv] [--force]: the sensitivity of a stitched\n"
        "sweep's summary metrics to its parameters, from DIR/sweep.h5: Morris mu*, mu and sigma (morris\n"
        "designs) or first-order and total Sobol indices with 95% bootstrap intervals (saltelli designs).\n"
        "NAME is a metric (total_civilian_deaths, peak_attacks, attacks_2007, final_support_jam) or a\n"
        "group of them (attacks_by_year, final_support, final_militia); docs/sweeps.md lists them");
    options.add_options()
        ("metric", po::value<std::vector<std::string>>()->composing(),
         "analyze this metric or metric group (repeatable, or comma-separated; default: every metric)")
        ("csv", po::value<std::string>(), "also write metric,parameter,measure,value rows to this file, atomically")
        ("force", "overwrite the CSV file if it exists")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    if (parsed.positional.size() != 1) throw core::UsageError("analyze: give exactly one sweep directory DIR");
    fs::path dir(parsed.positional.front());
    if (dir.filename() == "sweep.h5") dir = dir.parent_path();
    const bool force = vm.count("force") > 0;
    const std::optional<std::string> csv =
        vm.count("csv") ? std::optional<std::string>(vm["csv"].as<std::string>()) : std::nullopt;
    if (csv) output::check_output_path(*csv, force);  // fail before reading

    const sweep::Plan plan = sweep::load_directory_plan(dir);
    const std::vector<std::size_t> chosen = chosen_metrics(plan.metrics, split_names(strings(vm, "metric"), "--metric"));
    const bool morris = plan.spec.design == sweep::Design::morris;
    if (!morris && plan.spec.design != sweep::Design::saltelli) {
        throw core::UsageError("analyze: sweep '" + plan.spec.name + "' has a " + std::string(sweep::design_name(plan.spec.design)) +
                               " design; sensitivity measures need a morris or saltelli design");
    }
    const fs::path path = dir / "sweep.h5";
    if (!fs::is_regular_file(path)) {
        throw core::IoError("cannot read " + path.string() + ": no such file (stitch the sweep first: iraqsim sweep --stitch DIR)");
    }
    h5::ErrorPrintingOff quiet;
    h5::Handle file = h5::open_file_read_only(path.string());
    h5::Handle metric_ds(H5Dopen2(file, "metric", H5P_DEFAULT), H5Dclose, "metric");
    std::vector<std::string> names;
    for (const sweep::Metric& m : plan.metrics.metrics) names.push_back(m.name);
    if (h5::read_strings(metric_ds, "metric") != names) {
        throw core::IoError(path.string() + " was stitched with other metrics than this build computes: stitch it again");
    }
    const std::size_t parameters = plan.spec.parameters.size(), metrics = names.size();
    const std::span<const Measure> measures = morris ? std::span<const Measure>(morris_measures) : std::span<const Measure>(sobol_measures);
    std::vector<std::vector<double>> values;
    for (const Measure& m : measures) values.push_back(read_measure(file, m.variable, parameters, metrics, path.string()));

    std::size_t width = 9;
    for (const sweep::Parameter& p : plan.spec.parameters) width = std::max(width, p.key.size());
    std::ostringstream rows;
    rows << "metric,parameter,measure,value\n";
    std::printf("sweep '%s' (%s design, %lld points x %lld replicates): %s, from the replicate means\n", plan.spec.name.c_str(),
                std::string(sweep::design_name(plan.spec.design)).c_str(), static_cast<long long>(plan.point_count()),
                static_cast<long long>(plan.replicates()), morris ? "Morris elementary effects" : "Sobol indices");
    for (std::size_t m : chosen) {
        const sweep::Metric& metric = plan.metrics.metrics[m];
        std::printf("\n%s [%s]: %s\n  %-*s", metric.name.c_str(), metric.units.c_str(), metric.long_name.c_str(),
                    static_cast<int>(width), "parameter");
        for (const Measure& measure : measures) std::printf(" %10s", measure.header);
        std::printf("\n");
        for (std::size_t j = 0; j < parameters; ++j) {
            const std::string& key = plan.spec.parameters[j].key;
            std::printf("  %-*s", static_cast<int>(width), key.c_str());
            for (std::size_t k = 0; k < measures.size(); ++k) {
                const double x = values[k][j * metrics + m];
                std::printf(" %10s", number(x, 4).c_str());
                rows << metric.name << ',' << key << ',' << measures[k].variable << ',';
                if (!std::isnan(x)) rows << number(x, 9);
                rows << '\n';
            }
            std::printf("\n");
        }
    }
    if (csv) output::write_text_atomically(*csv, rows.str(), force);
    return 0;
}

}  // namespace iraqsim::cli
