#include "iraqsim/output/ensemble_file.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <sstream>

#include "iraqsim/core/build_info.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/h5.hpp"

namespace iraqsim::output {
namespace {

// Weeks per chunk: as many as fit in HDF5's default chunk cache (1 MiB), up to the whole series.
// Most variables then take one chunk per replicate, one deflate call and one chunk write, where
// chunks of 64 weeks took eight calls of a few kilobytes each, most of their cost igzip's setting
// up of its Huffman tables. A reader inflates a whole chunk to read any part of it; within the
// cache it does so once.
constexpr hsize_t chunk_cache_bytes = hsize_t{1} << 20;

hsize_t weeks_per_chunk(hsize_t times, hsize_t values_per_week) {
    return std::clamp<hsize_t>(chunk_cache_bytes / (sizeof(float) * std::max<hsize_t>(1, values_per_week)), 1,
                               std::max<hsize_t>(1, times));
}

constexpr const char* data_credits =
    "Built from: ESOC Iraq v3 governorate population, ethnicity, elections and boundaries (cite Berman, "
    "Shapiro and Felter 2011, and the ESOC codebook); US troop levels from the Guardian Datablog via "
    "cochransean/iraq-war-vis (MIT). Full list with licences: data/NOTICE.md.";

template <class Entity>
std::vector<std::string> ids_of(const std::vector<Entity>& entities) {
    std::vector<std::string> out;
    for (const Entity& e : entities) out.push_back(e.id);
    return out;
}

template <class Entity>
std::vector<std::string> names_of(const std::vector<Entity>& entities) {
    std::vector<std::string> out;
    for (const Entity& e : entities) out.push_back(e.display_name);
    return out;
}

void write_provenance(hid_t file, const scenario::Scenario& scenario, const engine::EnsembleResult& result,
                      int spec_every_weeks) {
    h5::write_attribute(file, "title", "iraqsim run: " + scenario.name);
    write_build_provenance(file);
    h5::write_attribute(file, "scenario_name", scenario.name);
    h5::write_attribute(file, "scenario_source", scenario.source);
    h5::write_attribute(file, "scenario_text", scenario.text);
    h5::write_attribute(file, "seed", static_cast<std::int64_t>(scenario.seed));
    h5::write_attribute(file, "replicates", static_cast<std::int64_t>(result.replicates.size()));
    h5::write_attribute(file, "start_date", scenario.start.iso());
    h5::write_attribute(file, "end_date", scenario.end.iso());
    h5::write_attribute(file, "record_every_weeks", static_cast<std::int64_t>(spec_every_weeks));
    h5::write_attribute(file, "references", data_credits);
}

void describe_coordinate(hid_t ds, std::string_view long_name) { h5::write_attribute(ds, "long_name", long_name); }

}  // namespace

void write_build_provenance(hid_t file) {
    const core::BuildInfo& build = core::build_info();
    h5::write_attribute(file, "Conventions", "CF-1.8");
    h5::write_attribute(file, "source", std::string("iraqsim ") + build.version);
    h5::write_attribute(file, "iraqsim_version", build.version);
    h5::write_attribute(file, "git_revision", build.git_revision);
    h5::write_attribute(file, "compiler", build.compiler);
    h5::write_attribute(file, "build_type", build.build_type);
    h5::write_attribute(file, "library_versions", core::library_versions());
    h5::write_attribute(file, "format_version", format_version);
}

Dimensions write_dimensions(hid_t file, const world::Roster& roster, std::size_t replicates,
                            const std::vector<double>& time_days) {
    Dimensions dims;
    std::vector<std::int32_t> replicate(replicates);
    for (std::size_t r = 0; r < replicate.size(); ++r) replicate[r] = static_cast<std::int32_t>(r);
    auto& rep = dims.scales["replicate"] = h5::write_coordinate(file, "replicate", replicate);
    describe_coordinate(rep, "replicate index (its random streams are keyed by seed and this index)");

    auto& time = dims.scales["time"] = h5::write_coordinate(file, "time", time_days);
    h5::write_attribute(time, "units", core::time_units);
    h5::write_attribute(time, "calendar", "standard");
    h5::write_attribute(time, "axis", "T");
    describe_coordinate(time, "start of the week (flows are counted over the 7 days from this date)");

    auto add_string_dimension = [&](std::string_view name, std::vector<std::string> ids, std::string_view long_name) {
        auto& ds = dims.scales[std::string(name)] = h5::write_coordinate(file, name, ids);
        describe_coordinate(ds, long_name);
    };
    add_string_dimension("province", ids_of(roster.provinces), "governorate id");
    add_string_dimension("community", ids_of(roster.communities), "ethno-sectarian community id");
    add_string_dimension("other_community", ids_of(roster.communities), "the other community of a pair (exposure)");
    add_string_dimension("faction", ids_of(roster.factions), "faction id");
    add_string_dimension("sponsor", ids_of(roster.sponsors), "external sponsor id");
    add_string_dimension("channel", ids_of(roster.channels), "channel of backing id");
    return dims;
}

// Display names in common English, as auxiliary coordinates along each string dimension.
void write_display_names(hid_t file, const world::Roster& roster, const Dimensions& dims) {
    auto add = [&](std::string_view dim, const std::vector<std::string>& names) {
        const std::string name = std::string(dim) + "_name";
        h5::Handle ds = h5::write_string_variable(file, name, names);
        h5::attach_dimension(ds, dims[dim], 0);
        h5::write_attribute(ds, "long_name", std::string(dim) + " display name (common English)");
    };
    add("province", names_of(roster.provinces));
    add("community", names_of(roster.communities));
    add("other_community", names_of(roster.communities));
    add("faction", names_of(roster.factions));
    add("sponsor", names_of(roster.sponsors));
    add("channel", names_of(roster.channels));
}

void describe_series_variable(hid_t ds, const VariableDef& def, const Dimensions& dims,
                              std::initializer_list<std::string_view> leading) {
    h5::write_attribute(ds, "units", def.units);
    h5::write_attribute(ds, "long_name", def.long_name);
    std::vector<hid_t> scales;
    for (std::string_view d : leading) scales.push_back(dims[d]);
    std::string display_names;  // CF auxiliary coordinates: xarray shows them beside the ids
    for (Dim d : def.dims) {
        scales.push_back(dims[dim_name(d)]);
        display_names.append(display_names.empty() ? "" : " ").append(dim_name(d)).append("_name");
    }
    h5::attach_dimensions(ds, scales);
    if (!display_names.empty()) h5::write_attribute(ds, "coordinates", display_names);
}

namespace {

void write_variables(hid_t file, const world::Roster& roster, const RecordSpec& spec,
                     const engine::EnsembleResult& result, const Dimensions& dims,
                     const std::function<void()>& on_slab_written) {
    const auto replicates = static_cast<hsize_t>(result.replicates.size());
    const auto times = static_cast<hsize_t>(result.time_days.size());
    for (std::size_t v = 0; v < spec.variables.size(); ++v) {
        const VariableDef& def = *spec.variables[v];
        std::vector<hsize_t> shape{replicates, times};
        std::vector<hsize_t> chunk{1, 1};
        hsize_t values_per_week = 1;
        for (Dim d : def.dims) {
            shape.push_back(dim_size(d, roster));
            chunk.push_back(dim_size(d, roster));
            values_per_week *= dim_size(d, roster);
        }
        chunk[1] = weeks_per_chunk(times, values_per_week);
        h5::Handle ds = h5::create_float_variable(file, def.name, shape, chunk, static_cast<unsigned>(spec.compression));
        describe_series_variable(ds, def, dims, {"replicate", "time"});
        for (hsize_t r = 0; r < replicates; ++r) {
            h5::write_floats_slab(ds, r, result.replicates[r].values[v].data());
            if (on_slab_written) on_slab_written();
        }
    }
}

// A log: one entry per happening per replicate, written as 1-D variables along its own dimension
// (a compound table would be dropped by ncdump and break xarray's h5netcdf engine): the entry's
// replicate and week, then the log's own columns, each named <dimension>_<column>.
struct LogColumn {
    std::string_view name;
    std::string_view long_name;
    bool numeric = false;           // numbers, else text
    std::string_view units = {};    // numbers only
    std::vector<std::string> text = {};
    std::vector<double> numbers = {};
};

struct Log {
    std::string_view dimension;
    std::string_view long_name;
    std::string_view replicate_long_name;
    std::string_view time_long_name;
    std::vector<LogColumn> columns;
    std::vector<std::int32_t> replicate = {};
    std::vector<double> time = {};

    void add_entry(std::size_t r, const scenario::Scenario& scenario, int week) {
        replicate.push_back(static_cast<std::int32_t>(r));
        time.push_back(static_cast<double>(core::days_since_origin(scenario.start)) + 7.0 * week);
    }
};

void write_log(hid_t file, const Log& log) {
    const std::string prefix = std::string(log.dimension) + "_";
    std::vector<std::int32_t> index(log.replicate.size());
    std::iota(index.begin(), index.end(), 0);
    h5::Handle dimension = h5::write_coordinate(file, std::string(log.dimension), index);
    h5::write_attribute(dimension, "long_name", log.long_name);
    auto add = [&](h5::Handle ds, std::string_view long_name) {
        h5::attach_dimension(ds, dimension, 0);
        h5::write_attribute(ds, "long_name", long_name);
        return ds;
    };
    add(h5::write_variable(file, prefix + "replicate", log.replicate), log.replicate_long_name);
    h5::Handle t = add(h5::write_variable(file, prefix + "time", log.time), log.time_long_name);
    h5::write_attribute(t, "units", core::time_units);
    h5::write_attribute(t, "calendar", "standard");
    for (const LogColumn& c : log.columns) {
        const std::string name = prefix + std::string(c.name);
        if (c.numeric) {
            h5::Handle ds = add(h5::write_variable(file, name, c.numbers), c.long_name);
            if (!c.units.empty()) h5::write_attribute(ds, "units", c.units);
        } else {
            add(h5::write_string_variable(file, name, c.text), c.long_name);
        }
    }
}

// The policy log: one entry per firing per replicate.
void write_policy_log(hid_t file, const scenario::Scenario& scenario, const engine::EnsembleResult& result) {
    Log log{"event", "policy log entry (one per firing per replicate)", "replicate in which the policy fired",
            "start of the week in which the policy fired",
            {{"id", "event id in the scenario"}, {"policy", "policy"},
             {"target", "what the policy acts on (provinces, factions, scope)"}}};
    for (std::size_t r = 0; r < result.replicates.size(); ++r) {
        for (const PolicyFiring& f : result.replicates[r].policy_log) {
            log.add_entry(r, scenario, f.week);
            log.columns[0].text.push_back(f.id);
            log.columns[1].text.push_back(f.policy);
            log.columns[2].text.push_back(f.target);
        }
    }
    write_log(file, log);
}

// The incident log: one entry per killing incident per replicate, written only when the spec asks for it.
void write_incident_log(hid_t file, const scenario::Scenario& scenario, const world::Roster& roster,
                        const engine::EnsembleResult& result) {
    Log log{"incident", "incident log entry (one per killing incident per replicate)", "replicate of the incident",
            "start of the week of the incident",
            {{"province", "province id"},
             {"perpetrator", "faction id of the perpetrator"},
             {"kind", "one_sided (killing of civilians of the target community) or battle (against the target faction)"},
             {"target", "community id (one_sided) or faction id (battle)"},
             {"deaths", "deaths in the incident (battle: fighters of both sides and civilians)", true, "persons"}}};
    for (std::size_t r = 0; r < result.replicates.size(); ++r) {
        for (const model::Incident& i : result.replicates[r].incidents) {
            const bool one_sided = i.kind == model::Incident::Kind::one_sided;
            log.add_entry(r, scenario, i.week);
            log.columns[0].text.push_back(roster.provinces[i.province].id);
            log.columns[1].text.push_back(roster.factions[i.perpetrator].id);
            log.columns[2].text.emplace_back(one_sided ? "one_sided" : "battle");
            log.columns[3].text.push_back(one_sided ? roster.communities[i.target].id : roster.factions[i.target].id);
            log.columns[4].numbers.push_back(i.deaths);
        }
    }
    write_log(file, log);
}

}  // namespace

void write_ensemble_file(const std::filesystem::path& target, bool force, const scenario::Scenario& scenario,
                         const world::Roster& roster, const RecordSpec& spec, const engine::EnsembleResult& result,
                         const std::function<void()>& on_slab_written) {
    AtomicOutput output(target, force);
    {
        h5::Handle file = h5::create_file(output.temporary_path().string());
        write_provenance(file, scenario, result, spec.every_weeks);
        const Dimensions dims = write_dimensions(file, roster, result.replicates.size(), result.time_days);
        write_display_names(file, roster, dims);
        write_variables(file, roster, spec, result, dims, on_slab_written);
        write_policy_log(file, scenario, result);
        if (spec.incidents) write_incident_log(file, scenario, roster, result);
        h5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush", target.string());
    }
    output.commit();
}

std::string describe_file(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) throw core::IoError("cannot read " + path.string() + ": no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw core::IoError("cannot read " + path.string() + ": not an HDF5 file");
    h5::Handle file = h5::open_file_read_only(path.string());
    std::ostringstream out;
    out << path.string() << "\n";
    for (const char* key : {"scenario_name", "scenario_source", "iraqsim_version", "git_revision",
                            "start_date", "end_date"}) {
        if (h5::has_attribute(file, key)) out << "  " << key << ": " << h5::read_string_attribute(file, key) << "\n";
    }
    for (const char* key : {"format_version", "seed", "replicates", "record_every_weeks"}) {
        if (!h5::has_attribute(file, key)) continue;
        h5::Handle attr(H5Aopen(file, key, H5P_DEFAULT), H5Aclose, key);
        std::int64_t value = 0;
        if (H5Aread(attr, H5T_NATIVE_INT64, &value) >= 0) out << "  " << key << ": " << value << "\n";
    }
    out << "variables:\n";
    struct Visit {
        std::ostringstream* out;
    } visit{&out};
    const H5L_iterate_t callback = [](hid_t group, const char* name, const H5L_info_t*, void* data) -> herr_t {
        auto& o = *static_cast<Visit*>(data)->out;
        h5::Handle ds(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, name);
        const auto shape = h5::dataset_shape(ds);
        const auto names = h5::dimension_names(ds);
        o << "  " << name << "(";
        for (std::size_t i = 0; i < shape.size(); ++i) {
            o << (i ? ", " : "") << (H5DSis_scale(ds) > 0 ? std::string(name) : names[i]) << "=" << shape[i];
        }
        o << ")";
        if (h5::has_attribute(ds, "units")) o << " [" << h5::read_string_attribute(ds, "units") << "]";
        if (h5::has_attribute(ds, "long_name")) o << "  " << h5::read_string_attribute(ds, "long_name");
        o << "\n";
        return 0;
    };
    hsize_t index = 0;
    h5::check(H5Literate(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, callback, &visit), "list variables",
              path.string());
    return out.str();
}

}  // namespace iraqsim::output
