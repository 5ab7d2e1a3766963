#include "iraqsim/output/csv_export.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <string_view>

#include "iraqsim/core/date.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/h5.hpp"

namespace iraqsim::output {
namespace fs = std::filesystem;
namespace {

// The entity columns of csv_header, in order; a dimension of one of these names fills its column.
constexpr std::array<std::string_view, 6> entity_columns{"province",        "community", "other_community",
                                                         "faction",         "sponsor",   "channel"};
constexpr std::size_t flush_bytes = std::size_t{1} << 20;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes.
std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string format_double(double v) {
    if (std::isnan(v)) return {};
    std::array<char, 40> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v, std::chars_format::general, 9);
    return std::string(buffer.data(), result.ptr);
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) out.append(out.empty() ? "" : ", ").append(s);
    return out;
}

bool dataset_exists(hid_t file, const std::string& name) {
    return H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0 && H5Oexists_by_name(file, name.c_str(), H5P_DEFAULT) > 0;
}

h5::Handle open_dataset(hid_t file, const std::string& name) {
    return h5::Handle(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, name);
}

// A 1-D coordinate's values as text: strings as they are, integers in decimal, floats as %.9g.
std::vector<std::string> read_labels(hid_t file, const std::string& name) {
    h5::Handle ds = open_dataset(file, name);
    const auto shape = h5::dataset_shape(ds);
    if (shape.size() != 1) throw core::IoError("coordinate " + name + " is not one-dimensional");
    const auto n = static_cast<std::size_t>(shape[0]);
    std::vector<std::string> labels;
    labels.reserve(n);
    if (n == 0) return labels;
    h5::Handle type(H5Dget_type(ds), H5Tclose, name);
    switch (H5Tget_class(type)) {
        case H5T_STRING: labels = h5::read_strings(ds, name); break;
        case H5T_INTEGER: {
            std::vector<std::int64_t> values(n);
            h5::check(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read", name);
            for (std::int64_t v : values) labels.push_back(std::to_string(v));
            break;
        }
        case H5T_FLOAT: {
            std::vector<double> values(n);
            h5::check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read", name);
            for (double v : values) labels.push_back(format_double(v));
            break;
        }
        default:
            throw core::IoError("coordinate " + name + " is neither text nor a number");
    }
    for (std::string& label : labels) label = csv_field(label);
    return labels;
}

// The `time` coordinate as ISO dates; its units must be the format's.
std::vector<std::string> read_dates(hid_t file, const std::string& path) {
    if (!dataset_exists(file, "time")) {
        throw core::IoError("cannot export " + path + ": it has no `time` coordinate (is it an iraqsim output file?)");
    }
    h5::Handle time = open_dataset(file, "time");
    const std::string units = h5::has_attribute(time, "units") ? h5::read_string_attribute(time, "units") : "";
    if (units != core::time_units) {
        throw core::IoError("cannot export " + path + ": time units are '" + units + "', expected '" +
                            core::time_units + "'");
    }
    const auto shape = h5::dataset_shape(time);
    if (shape.size() != 1) throw core::IoError("cannot export " + path + ": `time` is not one-dimensional");
    std::vector<double> days(static_cast<std::size_t>(shape[0]));
    if (!days.empty()) {
        h5::check(H5Dread(time, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, days.data()), "read", "time");
    }
    std::vector<std::string> dates;
    dates.reserve(days.size());
    for (double d : days) {
        if (!std::isfinite(d) || std::abs(d) > 1e7) {
            dates.emplace_back();
            continue;
        }
        dates.push_back(core::time_origin.plus_days(static_cast<std::int64_t>(std::floor(d))).iso());
    }
    return dates;
}

h5::Handle open_output_file(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw core::IoError("cannot read " + path.string() + ": no such file");
    if (fs::is_directory(path, ec)) throw core::IoError("cannot read " + path.string() + ": it is a directory");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw core::IoError("cannot read " + path.string() + ": not an HDF5 file");
    return h5::open_file_read_only(path.string());
}

std::vector<std::string> root_links(hid_t file, const std::string& path) {
    std::vector<std::string> names;
    const H5L_iterate_t collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    // netCDF-4 files index creation order; plain HDF5 files may not, and list by name.
    unsigned order = 0;
    {
        h5::Handle root(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, "root group of " + path);
        h5::Handle gcpl(H5Gget_create_plist(root), H5Pclose, "root group creation properties");
        h5::check(H5Pget_link_creation_order(gcpl, &order), "read link order", path);
    }
    const H5_index_t by = (order & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    hsize_t index = 0;
    h5::check(H5Literate(file, by, H5_ITER_INC, &index, collect, &names), "list variables", path);
    return names;
}

// A time series iraqsim writes: float, [replicate, time, ...], not a coordinate or auxiliary.
bool is_exportable(hid_t file, const std::string& name) {
    if (ends_with(name, "_name") || starts_with(name, "event_")) return false;
    if (H5Oexists_by_name(file, name.c_str(), H5P_DEFAULT) <= 0) return false;
    {
        h5::Handle object(H5Oopen(file, name.c_str(), H5P_DEFAULT), H5Oclose, name);
        if (H5Iget_type(object) != H5I_DATASET) return false;
    }
    h5::Handle ds = open_dataset(file, name);
    if (H5DSis_scale(ds) > 0) return false;
    h5::Handle type(H5Dget_type(ds), H5Tclose, name);
    if (H5Tget_class(type) != H5T_FLOAT) return false;
    const auto dims = h5::dimension_names(ds);
    return dims.size() >= 2 && dims[0] == "replicate" && dims[1] == "time";
}

std::vector<std::string> list_exportable(hid_t file, const std::string& path) {
    std::vector<std::string> out;
    for (const std::string& name : root_links(file, path)) {
        if (is_exportable(file, name)) out.push_back(name);
    }
    return out;
}

// One variable, ready to stream: the entity and variable columns of each element of a time step
// (row-major over the dimensions after time), and the units column.
struct Plan {
    std::string name;
    h5::Handle dataset;
    std::vector<hsize_t> shape;
    std::vector<std::string> middle;  // "province,...,channel,variable," per element
    std::string suffix;               // ",units\n"
};

Plan make_plan(hid_t file, const std::string& path, const std::string& name, std::size_t replicates,
               std::size_t times, std::map<std::string, std::vector<std::string>>& labels_cache) {
    Plan plan;
    plan.name = name;
    plan.dataset = open_dataset(file, name);
    plan.shape = h5::dataset_shape(plan.dataset);
    const auto dims = h5::dimension_names(plan.dataset);
    if (plan.shape[0] != replicates || plan.shape[1] != times) {
        throw core::IoError("cannot export " + path + ": " + name + " has " + std::to_string(plan.shape[0]) +
                            " replicates and " + std::to_string(plan.shape[1]) + " times, the coordinates " +
                            std::to_string(replicates) + " and " + std::to_string(times));
    }
    // Each entity column's label along the element index; empty for columns the variable lacks.
    std::vector<std::vector<std::string>> columns(entity_columns.size(), std::vector<std::string>(1));
    std::array<bool, entity_columns.size()> used{};
    for (std::size_t axis = 2; axis < dims.size(); ++axis) {
        const std::string& dim = dims[axis];
        const auto column = static_cast<std::size_t>(
            std::find(entity_columns.begin(), entity_columns.end(), dim) - entity_columns.begin());
        if (column == entity_columns.size()) {
            throw core::IoError("cannot export " + name + ": its dimension '" + dim +
                                "' has no column in the CSV layout (columns: province, community, "
                                "other_community, faction, sponsor, channel)");
        }
        if (used[column]) throw core::IoError("cannot export " + name + ": dimension '" + dim + "' appears twice");
        used[column] = true;
        auto cached = labels_cache.find(dim);
        if (cached == labels_cache.end()) cached = labels_cache.emplace(dim, read_labels(file, dim)).first;
        const std::vector<std::string>& labels = cached->second;
        if (labels.size() != plan.shape[axis]) {
            throw core::IoError("cannot export " + name + ": coordinate " + dim + " has " +
                                std::to_string(labels.size()) + " values, the variable " +
                                std::to_string(plan.shape[axis]));
        }
        // Row-major: the new dimension varies fastest.
        for (std::size_t c = 0; c < columns.size(); ++c) {
            std::vector<std::string> grown;
            grown.reserve(columns[c].size() * labels.size());
            for (const std::string& outer : columns[c]) {
                for (const std::string& label : labels) grown.push_back(c == column ? label : outer);
            }
            columns[c] = std::move(grown);
        }
    }
    const std::size_t elements = columns.front().size();
    const std::string variable = csv_field(name);
    plan.middle.assign(elements, std::string());
    for (std::size_t e = 0; e < elements; ++e) {
        std::string& m = plan.middle[e];
        for (const auto& col : columns) m.append(col[e]).append(",");
        m.append(variable).append(",");
    }
    const std::string units =
        h5::has_attribute(plan.dataset, "units") ? h5::read_string_attribute(plan.dataset, "units") : "";
    plan.suffix.assign(",").append(csv_field(units)).append("\n");
    return plan;
}

class Sink {
public:
    explicit Sink(std::ostream& out) : out_(out) { buffer_.reserve(flush_bytes + 4096); }
    std::string& buffer() { return buffer_; }
    void maybe_flush() {
        if (buffer_.size() >= flush_bytes) flush();
    }
    void flush() {
        out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        buffer_.clear();
        if (!out_) throw core::IoError("cannot write the CSV output (disk full or stream closed?)");
    }

private:
    std::ostream& out_;
    std::string buffer_;
};

void write_rows(const Plan& plan, const std::vector<std::string>& replicates, const std::vector<std::string>& dates,
                Sink& sink) {
    const std::size_t elements = plan.middle.size();
    const std::size_t times = dates.size();
    std::vector<float> slab(times * elements);
    h5::Handle file_space(H5Dget_space(plan.dataset), H5Sclose, plan.name);
    std::vector<hsize_t> start(plan.shape.size(), 0);
    std::vector<hsize_t> count = plan.shape;
    count[0] = 1;
    h5::Handle memory_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose,
                            plan.name);
    std::array<char, 40> number{};
    std::string prefix;
    for (std::size_t r = 0; r < replicates.size(); ++r) {
        if (slab.empty()) break;
        start[0] = r;
        h5::check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
                  "select replicate " + std::to_string(r), plan.name);
        h5::check(H5Dread(plan.dataset, H5T_NATIVE_FLOAT, memory_space, file_space, H5P_DEFAULT, slab.data()),
                  "read replicate " + std::to_string(r), plan.name);
        const float* value = slab.data();
        for (std::size_t t = 0; t < times; ++t) {
            prefix.assign(replicates[r]).append(",").append(dates[t]).append(",");
            for (std::size_t e = 0; e < elements; ++e, ++value) {
                std::string& out = sink.buffer();
                out.append(prefix).append(plan.middle[e]);
                if (!std::isnan(*value)) {
                    const auto result = std::to_chars(number.data(), number.data() + number.size(), *value,
                                                      std::chars_format::general, 9);
                    out.append(number.data(), result.ptr);
                }
                out.append(plan.suffix);
            }
            sink.maybe_flush();
        }
    }
}

}  // namespace

std::vector<std::string> exportable_variables(const fs::path& h5_file) {
    h5::Handle file = open_output_file(h5_file);
    (void)read_dates(file, h5_file.string());
    return list_exportable(file, h5_file.string());
}

void export_csv(const fs::path& h5_file, const std::vector<std::string>& variables, std::ostream& out) {
    const std::string path = h5_file.string();
    h5::Handle file = open_output_file(h5_file);
    const std::vector<std::string> dates = read_dates(file, path);
    const std::vector<std::string> valid = list_exportable(file, path);

    std::vector<std::string> selected;
    for (const std::string& name : variables.empty() ? valid : variables) {
        if (std::find(valid.begin(), valid.end(), name) == valid.end()) {
            throw core::UsageError("unknown variable '" + name + "' in " + path + " (variables: " +
                                   (valid.empty() ? std::string("none") : join(valid)) + ")");
        }
        if (std::find(selected.begin(), selected.end(), name) == selected.end()) selected.push_back(name);
    }

    // Everything is read and checked before the first byte is written.
    std::vector<std::string> replicates;
    std::map<std::string, std::vector<std::string>> labels;
    std::vector<Plan> plans;
    for (const std::string& name : selected) {
        if (replicates.empty()) {
            h5::Handle ds = open_dataset(file, name);
            const auto n = static_cast<std::size_t>(h5::dataset_shape(ds)[0]);
            replicates = dataset_exists(file, "replicate") ? read_labels(file, "replicate") : std::vector<std::string>{};
            if (replicates.size() != n) {
                replicates.clear();
                for (std::size_t r = 0; r < n; ++r) replicates.push_back(std::to_string(r));
            }
        }
        plans.push_back(make_plan(file, path, name, replicates.size(), dates.size(), labels));
    }

    Sink sink(out);
    sink.buffer().append(csv_header).append("\n");
    for (const Plan& plan : plans) write_rows(plan, replicates, dates, sink);
    sink.flush();
    out.flush();
    if (!out) throw core::IoError("cannot write the CSV output (disk full or stream closed?)");
}

}  // namespace iraqsim::output
