#include "iraqsim/output/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "iraqsim/core/date.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/output/variables.hpp"

namespace iraqsim::output {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool exists(hid_t file, const std::string& name) {
    return H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0 && H5Oexists_by_name(file, name.c_str(), H5P_DEFAULT) > 0;
}

int year_of(double days) {
    return core::time_origin.plus_days(static_cast<std::int64_t>(std::floor(days))).year;
}

// Sum over replicate r's records in [first, last) and the provinces `which` (all when empty).
double total(const ComparedRun& run, std::size_t variable, std::size_t r, std::size_t first, std::size_t last, std::ptrdiff_t province) {
    const std::size_t P = run.provinces.size(), T = run.time_days.size();
    const std::vector<double>& v = run.values[variable];
    double sum = 0;
    for (std::size_t t = first; t < last; ++t) {
        const std::size_t at = (r * T + t) * P;
        if (province >= 0) {
            sum += v[at + static_cast<std::size_t>(province)];
        } else {
            for (std::size_t p = 0; p < P; ++p) sum += v[at + p];
        }
    }
    return sum;
}

}  // namespace

const std::vector<std::string>& compared_variables() {
    static const std::vector<std::string> names{"civilian_deaths", "attacks", "attacks_on_us", "us_fatalities", "isf_deaths",
                                                "reported_civilian_deaths", "reported_attacks"};
    return names;
}

RecordSpec compared_spec(int every_weeks) {
    RecordSpec spec;
    spec.every_weeks = every_weeks;
    for (const std::string& name : compared_variables()) spec.variables.push_back(find_variable(name));
    return spec;
}

ComparedRun read_compared_run(const std::filesystem::path& file) {
    const std::string path = file.string();
    if (!std::filesystem::is_regular_file(file)) throw core::IoError("cannot read " + path + ": no such file");
    h5::Handle f = h5::open_file_read_only(path);
    ComparedRun run;
    run.source = path;
    for (const char* required : {"time", "province", "replicate"}) {
        if (!exists(f, required)) throw core::IoError(path + " has no `" + required + "` coordinate: is it a file `iraqsim run` wrote?");
    }
    if (!h5::has_attribute(f, "seed")) throw core::IoError(path + " has no `seed` attribute: is it a file `iraqsim run` wrote?");
    run.seed = h5::read_int_attribute(f, "seed");
    run.scenario_name = h5::has_attribute(f, "scenario_name") ? h5::read_string_attribute(f, "scenario_name") : path;
    {
        h5::Handle time(H5Dopen2(f, "time", H5P_DEFAULT), H5Dclose, "time");
        run.time_days.resize(static_cast<std::size_t>(h5::dataset_shape(time).at(0)));
        if (!run.time_days.empty()) h5::read_all(time, H5T_NATIVE_DOUBLE, run.time_days.data());
        h5::Handle province(H5Dopen2(f, "province", H5P_DEFAULT), H5Dclose, "province");
        run.provinces = h5::read_strings(province, "province");
        h5::Handle replicate(H5Dopen2(f, "replicate", H5P_DEFAULT), H5Dclose, "replicate");
        run.replicates = static_cast<std::int64_t>(h5::dataset_shape(replicate).at(0));
    }
    const std::size_t T = run.time_days.size(), P = run.provinces.size(), R = static_cast<std::size_t>(run.replicates);
    for (const std::string& name : compared_variables()) {
        if (!exists(f, name)) continue;
        h5::Handle ds(H5Dopen2(f, name.c_str(), H5P_DEFAULT), H5Dclose, name);
        const auto shape = h5::dataset_shape(ds);
        if (shape != std::vector<hsize_t>{R, T, P}) throw core::IoError(path + ": `" + name + "` is not [replicate, time, province]");
        std::vector<double> values(R * T * P);
        if (!values.empty()) h5::read_all(ds, H5T_NATIVE_DOUBLE, values.data());
        run.variables.push_back(name);
        run.values.push_back(std::move(values));
    }
    if (run.variables.empty()) throw core::IoError(path + " holds none of the compared variables (civilian_deaths, attacks, ...)");
    return run;
}

ComparedRun compared_run(const scenario::Scenario& scenario, const RecordSpec& spec, const engine::EnsembleResult& result) {
    ComparedRun run;
    run.scenario_name = scenario.name;
    run.source = scenario.source;
    run.seed = static_cast<std::int64_t>(scenario.seed);
    run.replicates = static_cast<std::int64_t>(result.replicates.size());
    run.time_days = result.time_days;
    for (const auto& p : scenario.world.provinces) run.provinces.push_back(p.id);
    for (std::size_t i = 0; i < spec.variables.size(); ++i) {
        const VariableDef& def = *spec.variables[i];
        if (std::find(compared_variables().begin(), compared_variables().end(), def.name) == compared_variables().end()) continue;
        std::vector<double> values;
        for (const ReplicateSeries& r : result.replicates) values.insert(values.end(), r.values[i].begin(), r.values[i].end());
        run.variables.emplace_back(def.name);
        run.values.push_back(std::move(values));
    }
    return run;
}

void check_pairable(const ComparedRun& a, const ComparedRun& b) {
    const std::string both = a.source + " and " + b.source;
    if (a.seed != b.seed) {
        throw core::UsageError("cannot pair " + both + ": their seeds differ (" + std::to_string(a.seed) + " and " +
                               std::to_string(b.seed) + "); pairing needs common random numbers: rerun one with --seed " +
                               std::to_string(a.seed));
    }
    if (a.replicates != b.replicates) {
        throw core::UsageError("cannot pair " + both + ": " + std::to_string(a.replicates) + " and " +
                               std::to_string(b.replicates) + " replicates; rerun with the same --replicates");
    }
    if (a.time_days != b.time_days) throw core::UsageError("cannot pair " + both + ": their time axes differ (period or record interval)");
    if (a.provinces != b.provinces) throw core::UsageError("cannot pair " + both + ": their provinces differ");
}

double t_quantile_975(std::int64_t df) {
    // Student's t, two-sided 95%: exact table to 30 degrees of freedom, then the normal limit
    // corrected to first order in 1/df.
    static constexpr double table[] = {12.706, 4.303, 3.182,       2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                       2.201,  2.179, 2.160,       2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                       2.080,  2.074, 2.069,       2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return nan;
    if (df <= 30) return table[df - 1];
    return 1.959964 + 2.37 / static_cast<double>(df);
}

std::vector<Effect> compare_runs(const ComparedRun& baseline, const ComparedRun& whatif, const CompareOptions& options) {
    check_pairable(baseline, whatif);
    std::vector<std::string> names = options.variables;
    if (names.empty()) {
        for (const std::string& v : baseline.variables)
            if (std::find(whatif.variables.begin(), whatif.variables.end(), v) != whatif.variables.end()) names.push_back(v);
    }
    // Periods: each calendar year the records touch, then the whole run.
    struct Period {
        std::string label;
        std::size_t first, last;
    };
    std::vector<Period> periods;
    const std::size_t T = baseline.time_days.size();
    for (std::size_t t = 0; t < T;) {
        const int year = year_of(baseline.time_days[t]);
        std::size_t end = t;
        while (end < T && year_of(baseline.time_days[end]) == year) ++end;
        periods.push_back({std::to_string(year), t, end});
        t = end;
    }
    periods.push_back({"all", 0, T});

    const auto R = static_cast<std::size_t>(baseline.replicates);
    std::vector<Effect> effects;
    auto effect = [&](const std::string& name, const Period& period, std::ptrdiff_t province) {
        const auto find = [&](const ComparedRun& run) {
            const auto it = std::find(run.variables.begin(), run.variables.end(), name);
            if (it == run.variables.end()) throw core::UsageError(run.source + " has no variable `" + name + "`");
            return static_cast<std::size_t>(it - run.variables.begin());
        };
        const std::size_t va = find(baseline), vb = find(whatif);
        Effect e;
        e.variable = name;
        e.period = period.label;
        e.province = province < 0 ? "Iraq" : baseline.provinces[static_cast<std::size_t>(province)];
        std::vector<double> d(R);
        for (std::size_t r = 0; r < R; ++r) {
            const double a = total(baseline, va, r, period.first, period.last, province);
            const double b = total(whatif, vb, r, period.first, period.last, province);
            e.baseline_mean += a / static_cast<double>(R);
            e.whatif_mean += b / static_cast<double>(R);
            d[r] = b - a;
        }
        e.difference_mean = e.whatif_mean - e.baseline_mean;
        if (R > 1) {
            double squares = 0;
            for (double x : d) squares += (x - e.difference_mean) * (x - e.difference_mean);
            const double se = std::sqrt(squares / static_cast<double>(R - 1) / static_cast<double>(R));
            const double t = t_quantile_975(static_cast<std::int64_t>(R) - 1);
            e.low = e.difference_mean - t * se;
            e.high = e.difference_mean + t * se;
            e.difference_variance = squares / static_cast<double>(R - 1);
        } else {
            e.low = e.high = e.difference_variance = nan;
        }
        e.relative = e.baseline_mean != 0 ? e.difference_mean / e.baseline_mean : nan;
        effects.push_back(e);
    };
    for (const std::string& name : names) {
        for (const Period& period : periods) effect(name, period, -1);
        if (options.by_province) {
            for (std::size_t p = 0; p < baseline.provinces.size(); ++p) effect(name, periods.back(), static_cast<std::ptrdiff_t>(p));
        }
    }
    return effects;
}

std::vector<PosteriorEffect> combine_draws(const std::vector<std::vector<Effect>>& draws, std::int64_t replicates) {
    std::vector<PosteriorEffect> combined;
    if (draws.empty()) return combined;
    const std::size_t D = draws.size();
    for (const auto& d : draws) {
        if (d.size() != draws.front().size()) throw std::logic_error("combine_draws: the draws' comparisons have different rows");
    }
    // Linear interpolation between order statistics (type 7, as NumPy's default).
    auto quantile = [](std::vector<double> x, double q) {
        std::sort(x.begin(), x.end());
        const double h = q * static_cast<double>(x.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(h));
        const std::size_t hi = std::min(lo + 1, x.size() - 1);
        return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
    };
    for (std::size_t i = 0; i < draws.front().size(); ++i) {
        PosteriorEffect out;
        Effect& m = out.mean;
        m.variable = draws.front()[i].variable;
        m.period = draws.front()[i].period;
        m.province = draws.front()[i].province;
        m.baseline_mean = m.whatif_mean = m.difference_mean = m.difference_variance = 0;
        std::vector<double> differences;
        for (const auto& d : draws) {
            m.baseline_mean += d[i].baseline_mean / static_cast<double>(D);
            m.whatif_mean += d[i].whatif_mean / static_cast<double>(D);
            m.difference_variance += d[i].difference_variance / static_cast<double>(D);
            differences.push_back(d[i].difference_mean);
        }
        m.difference_mean = m.whatif_mean - m.baseline_mean;
        m.relative = m.baseline_mean != 0 ? m.difference_mean / m.baseline_mean : nan;
        m.low = quantile(differences, 0.05);
        m.high = quantile(differences, 0.95);
        double between = nan;
        if (D > 1) {
            double squares = 0;
            for (double x : differences) squares += (x - m.difference_mean) * (x - m.difference_mean);
            between = std::max(0.0, squares / static_cast<double>(D - 1) - m.difference_variance / static_cast<double>(replicates));
        }
        const double total = between + m.difference_variance;
        out.parameter_share = total > 0 ? between / total : nan;  // no effect in any member: no split
        combined.push_back(out);
    }
    return combined;
}

}  // namespace iraqsim::output
