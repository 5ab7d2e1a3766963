#include "iraqsim/sweep/stitch.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "iraqsim/core/error.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/ensemble_file.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/sweep/runner.hpp"
#include "iraqsim/sweep/sensitivity.hpp"
#include "iraqsim/sweep/shard.hpp"

namespace iraqsim::sweep {
namespace fs = std::filesystem;
namespace h5 = output::h5;
namespace {

constexpr std::size_t max_problems_shown = 20;

struct Shard {
    fs::path path;
    std::string relative;  // as the virtual datasets name it: "shards/<name>.h5"
    std::vector<JournalEntry> entries;  // the runs this shard provides, in run order
};

struct Verified {
    std::vector<Shard> shards;
    std::vector<double> summary;  // [run][metric]
};

std::string list_runs(const std::vector<std::int64_t>& runs) {
    std::string out;
    for (std::size_t i = 0; i < runs.size() && i < 8; ++i) out += (i ? ", " : "") + std::to_string(runs[i]);
    if (runs.size() > 8) out += ", ...";
    return out;
}

// The worker count a shard name records ("s001-w0003of0004.h5" -> 4), or 0.
std::int64_t workers_in_name(const std::string& name) {
    const std::size_t of = name.find("of");
    std::int64_t workers = 0;
    if (of == std::string::npos) return 0;
    std::from_chars(name.data() + of + 2, name.data() + name.size(), workers);
    return workers;
}

// Names the runs no journal records, by the worker that owed them where the shards tell the split.
std::vector<std::string> describe_missing(const Plan& plan, const std::vector<std::int64_t>& missing,
                                          const std::vector<Journal>& journals) {
    std::vector<std::string> lines;
    std::set<std::int64_t> splits;
    std::map<std::int64_t, bool> has_shard;  // worker -> any shard
    for (const Journal& j : journals) {
        const std::string name = j.shard.filename().string();
        if (const std::int64_t w = workers_in_name(name); w > 0) splits.insert(w);
    }
    lines.push_back(std::to_string(missing.size()) + " of " + std::to_string(plan.run_count()) +
                    " runs are missing (no journal records them): runs " + list_runs(missing));
    if (splits.size() != 1) return lines;
    const std::int64_t workers = *splits.begin();
    for (const Journal& j : journals) {
        const std::string name = j.shard.filename().string();
        const std::size_t w = name.find("-w");
        std::int64_t index = -1;
        if (w != std::string::npos) std::from_chars(name.data() + w + 2, name.data() + name.size(), index);
        has_shard[index] = true;
    }
    std::map<std::int64_t, std::vector<std::int64_t>> by_worker;
    for (std::int64_t run : missing) by_worker[run % workers].push_back(run);
    for (const auto& [worker, runs] : by_worker) {
        lines.push_back("worker (rank or array task) " + std::to_string(worker) + " of " + std::to_string(workers) + ": " +
                        std::to_string(runs.size()) + " runs missing" +
                        (has_shard.contains(worker) ? " (its shards are incomplete: rerun it with --resume)"
                                                    : " (it left no shard: did it run?)"));
    }
    return lines;
}

// Opens a shard and checks it against the plan and its journal; returns what is wrong, if anything.
std::string check_shard(const Plan& plan, const Shard& shard, std::vector<double>& summary) {
    const std::string name = shard.relative;
    std::error_code ec;
    if (!fs::exists(shard.path, ec)) {
        return "shard " + name + " is missing (its journal records " + std::to_string(shard.entries.size()) +
               " runs): remove the journal and rerun its worker with --resume";
    }
    h5::ErrorPrintingOff quiet;
    if (H5Fis_hdf5(shard.path.c_str()) <= 0) return "shard " + name + " is not an HDF5 file (damaged or short)";
    const hid_t id = H5Fopen(shard.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) return "shard " + name + " cannot be opened (short or damaged): remove it and its journal, then --resume";
    h5::Handle file(id, H5Fclose, name);
    try {
        if (!h5::has_attribute(file, "sweep_fingerprint") ||
            h5::read_string_attribute(file, "sweep_fingerprint") != plan.fingerprint) {
            return "shard " + name + " belongs to another sweep";
        }
        h5::Handle runs(H5Dopen2(file, "run", H5P_DEFAULT), H5Dclose, name + "/run");
        const auto slots = static_cast<std::int64_t>(h5::dataset_shape(runs).at(0));
        std::vector<std::int64_t> run_of_slot(static_cast<std::size_t>(slots));
        if (slots > 0) h5::read_all(runs, H5T_NATIVE_INT64, run_of_slot.data());
        for (const JournalEntry& e : shard.entries) {
            if (e.slot >= slots || run_of_slot[static_cast<std::size_t>(e.slot)] != e.run) {
                return "shard " + name + " is short or does not match its journal (run " + std::to_string(e.run) +
                       " in slot " + std::to_string(e.slot) + " of " + std::to_string(slots) + ")";
            }
        }
        for (const output::VariableDef* v : plan.output.variables) {
            const std::string var(v->name);
            if (H5Lexists(file, var.c_str(), H5P_DEFAULT) <= 0) return "shard " + name + " lacks variable " + var;
            h5::Handle ds(H5Dopen2(file, var.c_str(), H5P_DEFAULT), H5Dclose, name + "/" + var);
            const std::vector<hsize_t> shape = h5::dataset_shape(ds);
            if (shape.empty() || static_cast<std::int64_t>(shape[0]) != slots || shape[1] != plan.time_days.size()) {
                return "shard " + name + ": variable " + var + " does not have this sweep's shape";
            }
        }
        const std::size_t metrics = plan.metrics.size();
        h5::Handle ds(H5Dopen2(file, "summary", H5P_DEFAULT), H5Dclose, name + "/summary");
        const std::size_t width = std::max<std::size_t>(1, metrics);
        std::vector<double> rows(static_cast<std::size_t>(slots) * width);
        if (h5::dataset_shape(ds) != std::vector<hsize_t>{static_cast<hsize_t>(slots), width}) {
            return "shard " + name + ": summary does not have this sweep's shape";
        }
        if (slots > 0) h5::read_all(ds, H5T_NATIVE_DOUBLE, rows.data());
        for (const JournalEntry& e : shard.entries) {
            const double* row = rows.data() + static_cast<std::size_t>(e.slot) * width;
            if (metrics > 0 && std::all_of(row, row + metrics, [](double x) { return std::isnan(x); })) {
                return "shard " + name + ": run " + std::to_string(e.run) + " is journaled but its data is not there";
            }
            std::copy(row, row + metrics, summary.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(e.run) * metrics));
        }
    } catch (const core::Error& e) {
        return "shard " + name + " cannot be read (" + e.what() + ")";
    }
    return {};
}

Verified verify(const Plan& plan, const fs::path& dir) {
    const std::vector<Journal> journals = read_journals(dir / "shards");
    std::vector<int> owner(static_cast<std::size_t>(plan.run_count()), -1);
    Verified v;
    for (const Journal& journal : journals) {
        Shard shard{journal.shard, "shards/" + journal.shard.filename().string(), {}};
        for (const JournalEntry& e : journal.entries) {
            // A run done twice (two sessions, the same data) is read from the first shard.
            if (e.run >= plan.run_count() || owner[static_cast<std::size_t>(e.run)] >= 0) continue;
            owner[static_cast<std::size_t>(e.run)] = static_cast<int>(v.shards.size());
            shard.entries.push_back(e);
        }
        std::sort(shard.entries.begin(), shard.entries.end(), [](const auto& a, const auto& b) { return a.run < b.run; });
        if (!shard.entries.empty()) v.shards.push_back(std::move(shard));
    }
    std::vector<std::string> problems;
    std::vector<std::int64_t> missing;
    for (std::int64_t run = 0; run < plan.run_count(); ++run) {
        if (owner[static_cast<std::size_t>(run)] < 0) missing.push_back(run);
    }
    if (!missing.empty()) problems = describe_missing(plan, missing, journals);
    v.summary.assign(static_cast<std::size_t>(plan.run_count()) * plan.metrics.size(), std::numeric_limits<double>::quiet_NaN());
    for (const Shard& shard : v.shards) {
        if (std::string problem = check_shard(plan, shard, v.summary); !problem.empty()) problems.push_back(std::move(problem));
    }
    if (!problems.empty()) {
        std::string message = "cannot stitch " + dir.string() + ":";
        for (std::size_t i = 0; i < problems.size() && i < max_problems_shown; ++i) message += "\n  " + problems[i];
        if (problems.size() > max_problems_shown) {
            message += "\n  ... and " + std::to_string(problems.size() - max_problems_shown) + " more";
        }
        throw core::IoError(message);
    }
    return v;
}

// The selections of one shard's runs: in the virtual dataset [run, replicate, rest...] and in the
// shard's [slot, rest...]. Runs that follow each other in both become one block per point row.
void select_runs(const Plan& plan, const Shard& shard, const std::vector<hsize_t>& rest, hid_t virtual_space,
                 hid_t source_space) {
    const auto replicates = plan.replicates();
    bool first_virtual = true, first_source = true;
    auto add = [&](hid_t space, bool& first, std::vector<hsize_t> start, std::vector<hsize_t> count) {
        start.insert(start.end(), rest.size(), 0);
        count.insert(count.end(), rest.begin(), rest.end());
        h5::check(H5Sselect_hyperslab(space, first ? H5S_SELECT_SET : H5S_SELECT_OR, start.data(), nullptr,
                                      count.data(), nullptr),
                  "select runs", shard.relative);
        first = false;
    };
    for (std::size_t i = 0; i < shard.entries.size();) {
        std::size_t j = i + 1;
        while (j < shard.entries.size() && shard.entries[j].run == shard.entries[j - 1].run + 1 &&
               shard.entries[j].slot == shard.entries[j - 1].slot + 1) {
            ++j;
        }
        const std::int64_t first_run = shard.entries[i].run, end_run = shard.entries[j - 1].run + 1;
        add(source_space, first_source, {static_cast<hsize_t>(shard.entries[i].slot)}, {static_cast<hsize_t>(j - i)});
        // [first_run, end_run) as a partial row, whole rows, a partial row.
        for (std::int64_t run = first_run; run < end_run;) {
            const std::int64_t point = run / replicates, replicate = run % replicates;
            if (replicate == 0 && end_run - run >= replicates) {
                const std::int64_t rows = (end_run - run) / replicates;
                add(virtual_space, first_virtual, {static_cast<hsize_t>(point), 0},
                    {static_cast<hsize_t>(rows), static_cast<hsize_t>(replicates)});
                run += rows * replicates;
            } else {
                const std::int64_t n = std::min(end_run - run, replicates - replicate);
                add(virtual_space, first_virtual, {static_cast<hsize_t>(point), static_cast<hsize_t>(replicate)},
                    {1, static_cast<hsize_t>(n)});
                run += n;
            }
        }
        i = j;
    }
}

void write_virtual_variable(hid_t file, const Plan& plan, const output::VariableDef& def,
                            const std::vector<Shard>& shards, const output::Dimensions& dims) {
    const std::string name(def.name);
    std::vector<hsize_t> rest{static_cast<hsize_t>(plan.time_days.size())};
    for (output::Dim d : def.dims) rest.push_back(output::dim_size(d, plan.base.world));
    std::vector<hsize_t> shape{static_cast<hsize_t>(plan.point_count()), static_cast<hsize_t>(plan.replicates())};
    shape.insert(shape.end(), rest.begin(), rest.end());
    h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset creation properties");
    const float fill = std::numeric_limits<float>::quiet_NaN();
    h5::check(H5Pset_fill_value(dcpl, H5T_NATIVE_FLOAT, &fill), "set fill value", name);
    h5::check(H5Pset_obj_track_times(dcpl, false), "disable timestamps", name);
    h5::check(H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "track attribute order", name);
    h5::Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose, name);
    std::vector<hsize_t> source_shape{0};
    source_shape.insert(source_shape.end(), rest.begin(), rest.end());
    const std::string dataset = "/" + name;
    for (const Shard& shard : shards) {
        source_shape[0] = static_cast<hsize_t>(shard.entries.back().slot + 1);
        h5::Handle virtual_space(H5Scopy(space), H5Sclose, name);
        h5::Handle source_space(H5Screate_simple(static_cast<int>(source_shape.size()), source_shape.data(), nullptr),
                                H5Sclose, shard.relative);
        select_runs(plan, shard, rest, virtual_space, source_space);
        h5::check(H5Pset_virtual(dcpl, virtual_space, shard.relative.c_str(), dataset.c_str(), source_space),
                  "map the shard into", name);
    }
    h5::Handle ds(H5Dcreate2(file, name.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, name);
    h5::write_attribute(ds, "_FillValue", fill);
    output::describe_series_variable(ds, def, dims, {"run", "replicate", "time"});
}

void write_provenance(hid_t file, const Plan& plan) {
    const SweepSpec& spec = plan.spec;
    h5::write_attribute(file, "title", "iraqsim sweep: " + spec.name);
    output::write_build_provenance(file);
    h5::write_attribute(file, "sweep_name", spec.name);
    h5::write_attribute(file, "sweep_design", design_name(spec.design));
    h5::write_attribute(file, "sweep_text", plan.sweep_toml);
    h5::write_attribute(file, "sweep_fingerprint", plan.fingerprint);
    h5::write_attribute(file, "scenario_name", plan.base.name);
    h5::write_attribute(file, "scenario_text", plan.base_toml);
    h5::write_attribute(file, "seed", static_cast<std::int64_t>(spec.seed));
    h5::write_attribute(file, "replicates", spec.replicates);
    h5::write_attribute(file, "points", plan.point_count());
    h5::write_attribute(file, "runs", plan.run_count());
    h5::write_attribute(file, "start_date", plan.base.start.iso());
    h5::write_attribute(file, "end_date", plan.base.end.iso());
    h5::write_attribute(file, "record_every_weeks", static_cast<std::int64_t>(plan.output.every_weeks));
}

// Each parameter's value at each point, as a variable named after its key (dates decoded by xarray).
void write_parameters(hid_t file, const Plan& plan, hid_t run, hid_t parameter) {
    const std::size_t points = static_cast<std::size_t>(plan.point_count());
    for (std::size_t j = 0; j < plan.spec.parameters.size(); ++j) {
        const std::string& key = plan.spec.parameters[j].key;
        h5::Handle ds;
        const scenario::Value& first = plan.values.front()[j];
        if (std::holds_alternative<std::string>(first)) {
            std::vector<std::string> values;
            for (std::size_t p = 0; p < points; ++p) values.push_back(std::get<std::string>(plan.values[p][j]));
            ds = h5::write_string_variable(file, key, values);
        } else if (std::holds_alternative<bool>(first)) {
            std::vector<std::int32_t> values;
            for (std::size_t p = 0; p < points; ++p) values.push_back(std::get<bool>(plan.values[p][j]) ? 1 : 0);
            ds = h5::write_variable(file, key, values);
        } else {
            std::vector<double> values;
            for (std::size_t p = 0; p < points; ++p) {
                const scenario::Value& v = plan.values[p][j];
                values.push_back(std::holds_alternative<core::Date>(v)   ? static_cast<double>(core::days_since_origin(std::get<core::Date>(v)))
                                 : std::holds_alternative<double>(v)     ? std::get<double>(v)
                                 : std::holds_alternative<std::int64_t>(v) ? static_cast<double>(std::get<std::int64_t>(v))
                                                                           : std::numeric_limits<double>::quiet_NaN());
            }
            ds = h5::write_variable(file, key, values);
            if (std::holds_alternative<core::Date>(first)) {
                h5::write_attribute(ds, "units", core::time_units);
                h5::write_attribute(ds, "calendar", "standard");
            }
        }
        h5::attach_dimension(ds, run, 0);
        h5::write_attribute(ds, "long_name", "value of " + key + " at each point");
    }
    std::vector<double> unit;
    for (const std::vector<double>& point : plan.unit) unit.insert(unit.end(), point.begin(), point.end());
    h5::Handle ds = h5::write_array(file, "unit_sample", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                    {points, plan.spec.parameters.size()}, unit.data());
    h5::attach_dimension(ds, run, 0);
    h5::attach_dimension(ds, parameter, 1);
    h5::write_attribute(ds, "long_name", "the point's coordinates in the design's unit hypercube");
    std::vector<std::int64_t> seeds;
    for (std::size_t p = 0; p < points; ++p) seeds.push_back(static_cast<std::int64_t>(plan.seed_of(static_cast<std::int64_t>(p))));
    h5::Handle seed = h5::write_array(file, "seed", H5T_STD_I64LE, H5T_NATIVE_INT64, {points}, seeds.data());
    h5::attach_dimension(seed, run, 0);
    h5::write_attribute(seed, "long_name", "the seed of the point's replicates (iraqsim run --seed reproduces them)");
}

void write_summary(hid_t file, const Plan& plan, const std::vector<double>& summary, const output::Dimensions& dims,
                   hid_t run, hid_t metric) {
    const auto points = static_cast<hsize_t>(plan.point_count());
    const auto replicates = static_cast<hsize_t>(plan.replicates());
    h5::Handle ds = h5::write_array(file, "summary", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                    {points, replicates, plan.metrics.size()}, summary.data());
    h5::attach_dimension(ds, run, 0);
    h5::attach_dimension(ds, dims["replicate"], 1);
    h5::attach_dimension(ds, metric, 2);
    h5::write_attribute(ds, "long_name", "summary metrics of each run (metric_long_name and metric_units describe each)");
    std::vector<std::string> long_names, units;
    for (const Metric& m : plan.metrics.metrics) {
        long_names.push_back(m.long_name);
        units.push_back(m.units);
    }
    h5::Handle l = h5::write_string_variable(file, "metric_long_name", long_names);
    h5::attach_dimension(l, metric, 0);
    h5::Handle u = h5::write_string_variable(file, "metric_units", units);
    h5::attach_dimension(u, metric, 0);
}

// Each group of metrics as a variable of its own, [run, replicate] and, for a group by faction or
// calendar year, that dimension: what an analyst selects by name (ds.attacks_by_year.sel(year=2007)).
void write_metric_groups(hid_t file, const Plan& plan, const std::vector<double>& summary, const output::Dimensions& dims) {
    const Metrics& metrics = plan.metrics;
    const auto points = static_cast<hsize_t>(plan.point_count());
    const auto replicates = static_cast<hsize_t>(plan.replicates());
    h5::Handle year;
    if (!metrics.years.empty()) {
        year = h5::write_coordinate(file, "year", std::vector<std::int32_t>(metrics.years.begin(), metrics.years.end()));
        h5::write_attribute(year, "long_name", "calendar year (a weekly record counts in the year of its date)");
    }
    const std::size_t rows = static_cast<std::size_t>(points * replicates);
    for (const MetricGroup& g : metrics.groups) {
        std::vector<double> values;
        values.reserve(rows * g.count);
        for (std::size_t row = 0; row < rows; ++row) {
            const auto first = summary.begin() + static_cast<std::ptrdiff_t>(row * metrics.size() + g.first);
            values.insert(values.end(), first, first + static_cast<std::ptrdiff_t>(g.count));
        }
        std::vector<hsize_t> shape{points, replicates};
        if (g.dim != GroupDim::none) shape.push_back(g.count);
        h5::Handle ds = h5::write_array(file, g.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, shape, values.data());
        h5::attach_dimension(ds, dims["run"], 0);
        h5::attach_dimension(ds, dims["replicate"], 1);
        if (g.dim == GroupDim::faction) h5::attach_dimension(ds, dims["faction"], 2);
        if (g.dim == GroupDim::year) h5::attach_dimension(ds, year, 2);
        h5::write_attribute(ds, "long_name", g.long_name);
        h5::write_attribute(ds, "units", g.units);
    }
}

// Metric m's mean over the replicates of each point.
std::vector<double> replicate_means(const Plan& plan, const std::vector<double>& summary, std::size_t m) {
    const std::size_t metrics = plan.metrics.size();
    const auto points = static_cast<std::size_t>(plan.point_count());
    const auto replicates = static_cast<std::size_t>(plan.replicates());
    std::vector<double> means(points);
    for (std::size_t p = 0; p < points; ++p) {
        double sum = 0;
        for (std::size_t r = 0; r < replicates; ++r) sum += summary[(p * replicates + r) * metrics + m];
        means[p] = sum / static_cast<double>(replicates);
    }
    return means;
}

// Sensitivity measures, each a [parameter, metric] variable.
void write_measures(hid_t file, std::size_t k, std::size_t metrics, hid_t parameter, hid_t metric,
                    std::initializer_list<std::tuple<const char*, const std::vector<double>*, std::string>> measures) {
    for (const auto& [name, values, long_name] : measures) {
        h5::Handle ds = h5::write_array(file, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {k, metrics}, values->data());
        h5::attach_dimension(ds, parameter, 0);
        h5::attach_dimension(ds, metric, 1);
        h5::write_attribute(ds, "long_name", long_name);
    }
}

// Morris elementary effects of each parameter on each metric, from the replicate means.
void write_morris(hid_t file, const Plan& plan, const std::vector<double>& summary, hid_t parameter, hid_t metric) {
    const std::size_t k = plan.spec.parameters.size(), metrics = plan.metrics.size();
    std::vector<double> mu(k * metrics), mu_star(k * metrics), sigma(k * metrics);
    for (std::size_t m = 0; m < metrics; ++m) {
        const ElementaryEffects e = morris_effects(plan.unit, replicate_means(plan, summary, m), k);
        for (std::size_t j = 0; j < k; ++j) {
            mu[j * metrics + m] = e.mu[j];
            mu_star[j * metrics + m] = e.mu_star[j];
            sigma[j * metrics + m] = e.sigma[j];
        }
    }
    const std::string per_unit = " (change of the metric's replicate mean per unit of the parameter's range; step " +
                                 std::to_string(morris_delta(plan.spec.morris_levels)) + ")";
    write_measures(file, k, metrics, parameter, metric,
                   {{"morris_mu_star", &mu_star, "Morris mu*: mean absolute elementary effect" + per_unit},
                    {"morris_mu", &mu, "Morris mu: mean elementary effect" + per_unit},
                    {"morris_sigma", &sigma, "Morris sigma: standard deviation of the elementary effects" + per_unit}});
}

// First-order and total Sobol indices of each parameter on each metric, from the replicate means.
void write_sobol(hid_t file, const Plan& plan, const std::vector<double>& summary, hid_t parameter, hid_t metric) {
    const std::size_t k = plan.spec.parameters.size(), metrics = plan.metrics.size();
    std::vector<std::vector<double>> v(6, std::vector<double>(k * metrics));
    for (std::size_t m = 0; m < metrics; ++m) {
        const SobolIndices s = sobol_indices(replicate_means(plan, summary, m), k, 500, plan.spec.seed);
        for (std::size_t j = 0; j < k; ++j) {
            const std::size_t at = j * metrics + m;
            v[0][at] = s.first[j], v[1][at] = s.first_low[j], v[2][at] = s.first_high[j];
            v[3][at] = s.total[j], v[4][at] = s.total_low[j], v[5][at] = s.total_high[j];
        }
    }
    write_measures(file, k, metrics, parameter, metric,
                   {{"sobol_first", &v[0], "first-order Sobol index (Saltelli et al. 2010 estimator)"},
                    {"sobol_first_low", &v[1], "first-order Sobol index: 2.5% bootstrap quantile"},
                    {"sobol_first_high", &v[2], "first-order Sobol index: 97.5% bootstrap quantile"},
                    {"sobol_total", &v[3], "total Sobol index (Jansen 1999 estimator)"},
                    {"sobol_total_low", &v[4], "total Sobol index: 2.5% bootstrap quantile"},
                    {"sobol_total_high", &v[5], "total Sobol index: 97.5% bootstrap quantile"}});
}

}  // namespace

StitchResult stitch(const Plan& plan, const fs::path& dir, bool force) {
    const Verified verified = verify(plan, dir);
    StitchResult result{dir / "sweep.h5", plan.run_count(), verified.shards.size()};
    output::AtomicOutput out(result.file, force);
    {
        h5::Handle file = h5::create_file_with_virtual_datasets(out.temporary_path().string());
        write_provenance(file, plan);
        output::Dimensions dims =
            output::write_dimensions(file, plan.base.world, static_cast<std::size_t>(plan.replicates()), plan.time_days);
        output::write_display_names(file, plan.base.world, dims);
        std::vector<std::int32_t> points(static_cast<std::size_t>(plan.point_count()));
        for (std::size_t p = 0; p < points.size(); ++p) points[p] = static_cast<std::int32_t>(p);
        h5::Handle run = h5::write_coordinate(file, "run", points);
        h5::write_attribute(run, "long_name", "sweep point: one set of parameter values (its replicates share its seed)");
        std::vector<std::string> keys, metric_names;
        for (const Parameter& p : plan.spec.parameters) keys.push_back(p.key);
        for (const Metric& m : plan.metrics.metrics) metric_names.push_back(m.name);
        h5::Handle parameter = h5::write_coordinate(file, "parameter", keys);
        h5::write_attribute(parameter, "long_name", "swept scenario key");
        h5::Handle metric = h5::write_coordinate(file, "metric", metric_names);
        h5::write_attribute(metric, "long_name", "summary metric of a run");
        dims.scales.emplace("run", std::move(run));
        write_parameters(file, plan, dims["run"], parameter);
        for (const output::VariableDef* v : plan.output.variables) write_virtual_variable(file, plan, *v, verified.shards, dims);
        write_summary(file, plan, verified.summary, dims, dims["run"], metric);
        write_metric_groups(file, plan, verified.summary, dims);
        if (plan.spec.design == Design::morris) write_morris(file, plan, verified.summary, parameter, metric);
        if (plan.spec.design == Design::saltelli) write_sobol(file, plan, verified.summary, parameter, metric);
        h5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush", result.file.string());
    }
    out.commit();
    return result;
}

}  // namespace iraqsim::sweep
