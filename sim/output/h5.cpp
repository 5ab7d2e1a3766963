#include "iraqsim/output/h5.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>
#include <span>
#include <utility>

#include "iraqsim/core/error.hpp"
#include "iraqsim/output/chunk_deflater.hpp"

namespace iraqsim::output::h5 {
namespace {

constexpr unsigned creation_order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

std::string text(std::string_view s) { return std::string(s); }

Handle make_utf8_string_type(std::size_t size) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    check(H5Tset_size(type, size), "set string size", "string type");
    check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8", "string type");
    if (size != H5T_VARIABLE) check(H5Tset_strpad(type, H5T_STR_NULLTERM), "set string padding", "string type");
    return type;
}

Handle scalar_space() { return Handle(H5Screate(H5S_SCALAR), H5Sclose, "scalar dataspace"); }

Handle simple_space(const std::vector<hsize_t>& shape) {
    return Handle(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose, "dataspace");
}

Handle dataset_creation_properties() {
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset creation properties");
    check(H5Pset_obj_track_times(dcpl, false), "disable timestamps", "dataset");
    check(H5Pset_attr_creation_order(dcpl, creation_order), "track attribute order", "dataset");
    return dcpl;
}

void write_numeric_attribute(hid_t object, std::string_view name, hid_t type, const void* value) {
    const std::string n = text(name);
    Handle space = scalar_space();
    Handle attr(H5Acreate2(object, n.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, n);
    check(H5Awrite(attr, type, value), "write attribute", n);
}

template <class T>
Handle write_numeric(hid_t file, std::string_view name, const std::vector<T>& values, hid_t file_type,
                     hid_t memory_type) {
    const std::string n = text(name);
    Handle space = simple_space({values.size()});
    Handle dcpl = dataset_creation_properties();
    Handle ds(H5Dcreate2(file, n.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, n);
    if (!values.empty()) check(H5Dwrite(ds, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write", n);
    return ds;
}

template <class T>
Handle write_numeric_coordinate(hid_t file, std::string_view name, const std::vector<T>& values, hid_t file_type,
                                hid_t memory_type) {
    Handle ds = write_numeric(file, name, values, file_type, memory_type);
    const std::string n = text(name);
    check(H5DSset_scale(ds, n.c_str()), "make dimension scale", n);
    return ds;
}

}  // namespace

Handle::Handle(hid_t id, Closer closer, std::string_view what) : id_(id), closer_(closer) {
    if (id_ < 0) throw core::IoError("HDF5: cannot create or open " + text(what));
}

Handle::~Handle() {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
}

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(std::exchange(other.closer_, nullptr)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        if (id_ >= 0 && closer_ != nullptr) closer_(id_);
        id_ = std::exchange(other.id_, H5I_INVALID_HID);
        closer_ = std::exchange(other.closer_, nullptr);
    }
    return *this;
}

ErrorPrintingOff::ErrorPrintingOff() {
    H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorPrintingOff::~ErrorPrintingOff() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }

void check(herr_t status, std::string_view operation, std::string_view what) {
    if (status < 0) throw core::IoError("HDF5: cannot " + text(operation) + ": " + text(what));
}

namespace {

Handle create_file_bounded(const std::string& path, H5F_libver_t high) {
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file creation properties");
    check(H5Pset_link_creation_order(fcpl, creation_order), "track link order", path);
    check(H5Pset_attr_creation_order(fcpl, creation_order), "track attribute order", path);
    check(H5Pset_obj_track_times(fcpl, false), "disable timestamps", path);
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
    check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, high), "bound the format version", path);
    return Handle(H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl, fapl), H5Fclose, path);
}

}  // namespace

Handle create_file(const std::string& path) { return create_file_bounded(path, H5F_LIBVER_V18); }

Handle create_file_with_virtual_datasets(const std::string& path) { return create_file_bounded(path, H5F_LIBVER_V110); }

Handle open_file_read_only(const std::string& path) {
    return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, path);
}

void write_attribute(hid_t object, std::string_view name, std::string_view value) {
    const std::string n = text(name);
    Handle type = make_utf8_string_type(value.empty() ? 1 : value.size());
    Handle space = scalar_space();
    Handle attr(H5Acreate2(object, n.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, n);
    const std::string padded = value.empty() ? std::string(1, '\0') : text(value);
    check(H5Awrite(attr, type, padded.data()), "write attribute", n);
}

void write_attribute(hid_t object, std::string_view name, double value) {
    write_numeric_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}
void write_attribute(hid_t object, std::string_view name, std::int64_t value) {
    write_numeric_attribute(object, name, H5T_NATIVE_INT64, &value);
}
void write_attribute(hid_t object, std::string_view name, float value) {
    write_numeric_attribute(object, name, H5T_NATIVE_FLOAT, &value);
}

Handle write_string_variable(hid_t file, std::string_view name, const std::vector<std::string>& values) {
    const std::string n = text(name);
    Handle type = make_utf8_string_type(H5T_VARIABLE);
    Handle space = simple_space({values.size()});
    Handle dcpl = dataset_creation_properties();
    Handle ds(H5Dcreate2(file, n.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, n);
    std::vector<const char*> pointers;
    for (const std::string& v : values) pointers.push_back(v.c_str());
    // The strings are converted to the file's form through a buffer that HDF5 otherwise allocates
    // and zeroes at 1 MB per write, most of a small file's writing time; sized to the data instead.
    constexpr std::size_t converted_size = 64;  // bytes of a converted element, with room to spare
    Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "transfer properties");
    check(H5Pset_buffer(dxpl, std::max<std::size_t>(values.size(), 1) * converted_size, nullptr, nullptr),
          "size the conversion buffer", n);
    if (!values.empty()) check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, dxpl, pointers.data()), "write", n);
    return ds;
}

Handle write_coordinate(hid_t file, std::string_view name, const std::vector<std::string>& values) {
    Handle ds = write_string_variable(file, name, values);
    const std::string n = text(name);
    check(H5DSset_scale(ds, n.c_str()), "make dimension scale", n);
    return ds;
}

Handle write_variable(hid_t file, std::string_view name, const std::vector<double>& values) {
    return write_numeric(file, name, values, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

Handle write_variable(hid_t file, std::string_view name, const std::vector<std::int32_t>& values) {
    return write_numeric(file, name, values, H5T_STD_I32LE, H5T_NATIVE_INT32);
}

Handle write_coordinate(hid_t file, std::string_view name, const std::vector<double>& values) {
    return write_numeric_coordinate(file, name, values, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

Handle write_coordinate(hid_t file, std::string_view name, const std::vector<std::int32_t>& values) {
    return write_numeric_coordinate(file, name, values, H5T_STD_I32LE, H5T_NATIVE_INT32);
}

Handle create_float_variable(hid_t file, std::string_view name, const std::vector<hsize_t>& shape,
                             const std::vector<hsize_t>& chunk, unsigned deflate_level) {
    const std::string n = text(name);
    Handle space = simple_space(shape);
    Handle dcpl = dataset_creation_properties();
    const float fill = std::numeric_limits<float>::quiet_NaN();
    check(H5Pset_fill_value(dcpl, H5T_NATIVE_FLOAT, &fill), "set fill value", n);
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "set chunking", n);
    if (deflate_level > 0) check(H5Pset_deflate(dcpl, deflate_level), "set deflate filter", n);
    Handle ds(H5Dcreate2(file, n.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, n);
    write_attribute(ds, "_FillValue", fill);
    return ds;
}

void write_floats(hid_t dataset, const float* data) {
    check(H5Dwrite(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write", "variable");
}

namespace {

// What write_floats_slab needs to know of a variable create_float_variable made.
struct FloatLayout {
    std::vector<hsize_t> shape;
    std::vector<hsize_t> chunk;
    unsigned deflate_level = 0;
    float fill = 0;
};

FloatLayout float_layout(hid_t dataset) {
    FloatLayout layout;
    layout.shape = dataset_shape(dataset);
    Handle dcpl(H5Dget_create_plist(dataset), H5Pclose, "dataset creation properties");
    layout.chunk.resize(layout.shape.size());
    if (layout.shape.size() < 2 || H5Pget_chunk(dcpl, static_cast<int>(layout.chunk.size()), layout.chunk.data()) !=
                                       static_cast<int>(layout.shape.size())) {
        throw core::IoError("HDF5: not a chunked time series variable");
    }
    for (std::size_t d = 2; d < layout.shape.size(); ++d) {
        if (layout.chunk[0] != 1 || layout.chunk[d] != layout.shape[d]) {
            throw core::IoError("HDF5: a slab must span whole chunks after the time dimension");
        }
    }
    const int filters = H5Pget_nfilters(dcpl);
    for (int i = 0; i < filters; ++i) {
        unsigned flags = 0;
        std::size_t count = 1;
        unsigned level = 0;
        const H5Z_filter_t id =
            H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &count, &level, 0, nullptr, nullptr);
        if (id != H5Z_FILTER_DEFLATE) throw core::IoError("HDF5: a filter other than deflate on a time series variable");
        layout.deflate_level = level;
    }
    check(H5Pget_fill_value(dcpl, H5T_NATIVE_FLOAT, &layout.fill), "read fill value", "variable");
    return layout;
}

}  // namespace

void write_floats_slab(hid_t dataset, hsize_t index, const float* data) {
    // The chunks go straight to the file, deflated by ChunkDeflater: the slab's chunks follow
    // each other in `data` (time is the only chunked dimension), so only the last, partial one
    // is copied, padded with the fill value as HDF5 pads it.
    static_assert(std::endian::native == std::endian::little, "the file type is little-endian float32");
    const FloatLayout layout = float_layout(dataset);
    std::size_t row = 1;  // values per time point
    for (std::size_t d = 2; d < layout.shape.size(); ++d) row *= static_cast<std::size_t>(layout.shape[d]);
    const auto times = static_cast<std::size_t>(layout.shape[1]);
    const auto chunk_times = static_cast<std::size_t>(layout.chunk[1]);
    ChunkDeflater* deflater = layout.deflate_level > 0 ? &ChunkDeflater::for_this_thread(layout.deflate_level) : nullptr;
    std::vector<float> edge;
    std::vector<hsize_t> offset(layout.shape.size(), 0);
    offset[0] = index;
    for (std::size_t t = 0; t < times; t += chunk_times) {
        const float* chunk = data + t * row;
        if (times - t < chunk_times) {
            edge.assign(chunk_times * row, layout.fill);
            std::copy(chunk, chunk + (times - t) * row, edge.begin());
            chunk = edge.data();
        }
        auto bytes = std::as_bytes(std::span(chunk, chunk_times * row));
        if (deflater) bytes = deflater->deflate(bytes);
        offset[1] = t;
        check(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, offset.data(), bytes.size(), bytes.data()), "write chunk",
              "variable");
    }
}

void attach_dimension(hid_t variable, hid_t scale, unsigned axis) {
    check(H5DSattach_scale(variable, scale, axis), "attach dimension scale", "variable");
}

namespace {

// An entry of a scale's REFERENCE_LIST, and its type, as HDF5's dimension scale library declares
// them (H5DS.c: ds_list_t).
struct ScaleReference {
    hobj_ref_t dataset;
    int axis;
};

Handle reference_list_type() {
    Handle type(H5Tcreate(H5T_COMPOUND, sizeof(ScaleReference)), H5Tclose, "REFERENCE_LIST type");
    check(H5Tinsert(type, "dataset", offsetof(ScaleReference, dataset), H5T_STD_REF_OBJ), "build", "REFERENCE_LIST type");
    check(H5Tinsert(type, "dimension", offsetof(ScaleReference, axis), H5T_NATIVE_INT), "build", "REFERENCE_LIST type");
    return type;
}

hobj_ref_t reference_to(hid_t object) {
    hobj_ref_t ref{};
    check(H5Rcreate(&ref, object, ".", H5R_OBJECT, -1), "reference", "dimension scale or variable");
    return ref;
}

void append_reference(hid_t scale, const ScaleReference& entry, hid_t type) {
    constexpr const char* name = "REFERENCE_LIST";
    std::vector<ScaleReference> list;
    if (H5Aexists(scale, name) > 0) {
        {
            Handle attr(H5Aopen(scale, name, H5P_DEFAULT), H5Aclose, name);
            Handle space(H5Aget_space(attr), H5Sclose, name);
            list.resize(static_cast<std::size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(space))));
            check(H5Aread(attr, type, list.data()), "read attribute", name);
        }
        check(H5Adelete(scale, name), "replace attribute", name);  // its size changes
    }
    list.push_back(entry);
    Handle space = simple_space({list.size()});
    Handle attr(H5Acreate2(scale, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, name);
    check(H5Awrite(attr, type, list.data()), "write attribute", name);
}

}  // namespace

void attach_dimensions(hid_t variable, const std::vector<hid_t>& scales) {
    if (dataset_shape(variable).size() != scales.size()) throw core::IoError("HDF5: one dimension scale per axis");
    std::vector<hobj_ref_t> refs(scales.size());
    std::vector<hvl_t> dimension_list(scales.size());
    for (std::size_t axis = 0; axis < scales.size(); ++axis) {
        refs[axis] = reference_to(scales[axis]);
        dimension_list[axis] = hvl_t{1, &refs[axis]};
    }
    Handle list_type(H5Tvlen_create(H5T_STD_REF_OBJ), H5Tclose, "DIMENSION_LIST type");
    Handle space = simple_space({scales.size()});
    Handle attr(H5Acreate2(variable, "DIMENSION_LIST", list_type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                "DIMENSION_LIST");
    check(H5Awrite(attr, list_type, dimension_list.data()), "write attribute", "DIMENSION_LIST");
    const Handle reference_type = reference_list_type();
    const hobj_ref_t self = reference_to(variable);
    for (std::size_t axis = 0; axis < scales.size(); ++axis) {
        append_reference(scales[axis], ScaleReference{self, static_cast<int>(axis)}, reference_type);
    }
}

Handle write_array(hid_t file, std::string_view name, hid_t file_type, hid_t memory_type,
                   const std::vector<hsize_t>& shape, const void* data) {
    const std::string n = text(name);
    Handle space = simple_space(shape);
    Handle dcpl = dataset_creation_properties();
    Handle ds(H5Dcreate2(file, n.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, n);
    if (H5Sget_simple_extent_npoints(space) > 0) {
        check(H5Dwrite(ds, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write", n);
    }
    return ds;
}

void read_all(hid_t dataset, hid_t memory_type, void* data) {
    check(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "read", "variable");
}

std::vector<hsize_t> dataset_shape(hid_t dataset) {
    Handle space(H5Dget_space(dataset), H5Sclose, "dataspace");
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> shape(static_cast<std::size_t>(rank < 0 ? 0 : rank));
    if (rank > 0) H5Sget_simple_extent_dims(space, shape.data(), nullptr);
    return shape;
}

std::vector<std::string> dimension_names(hid_t dataset) {
    std::vector<std::string> names;
    const auto rank = dataset_shape(dataset).size();
    for (unsigned axis = 0; axis < rank; ++axis) {
        std::string name;
        const H5DS_iterate_t visit = [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
            char buffer[256] = {};
            if (H5DSget_scale_name(scale, buffer, sizeof buffer) > 0) *static_cast<std::string*>(out) = buffer;
            return 1;
        };
        if (H5DSis_scale(dataset) <= 0) H5DSiterate_scales(dataset, axis, nullptr, visit, &name);
        names.push_back(name.empty() ? "?" : name);
    }
    return names;
}

bool has_attribute(hid_t object, std::string_view name) { return H5Aexists(object, text(name).c_str()) > 0; }

std::int64_t read_int_attribute(hid_t object, std::string_view name) {
    const std::string n = text(name);
    Handle attr(H5Aopen(object, n.c_str(), H5P_DEFAULT), H5Aclose, n);
    std::int64_t value = 0;
    check(H5Aread(attr, H5T_NATIVE_INT64, &value), "read attribute", n);
    return value;
}

std::vector<std::string> read_strings(hid_t dataset, const std::string& name) {
    const auto shape = dataset_shape(dataset);
    const auto n = shape.empty() ? std::size_t{0} : static_cast<std::size_t>(shape[0]);
    std::vector<std::string> labels;
    if (n == 0) return labels;
    Handle type(H5Dget_type(dataset), H5Tclose, name);
    if (H5Tget_class(type) != H5T_STRING) throw core::IoError(name + " is not text");
    if (H5Tis_variable_str(type) > 0) {
        Handle memory_type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
        check(H5Tset_size(memory_type, H5T_VARIABLE), "set string size", name);
        check(H5Tset_cset(memory_type, H5Tget_cset(type)), "set string encoding", name);
        std::vector<char*> values(n, nullptr);
        check(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read", name);
        for (char* v : values) labels.emplace_back(v != nullptr ? v : "");
        Handle space(H5Dget_space(dataset), H5Sclose, name);
#if H5_VERSION_GE(1, 12, 0)
        H5Treclaim(memory_type, space, H5P_DEFAULT, values.data());
#else
        H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, values.data());
#endif
    } else {
        const std::size_t size = H5Tget_size(type);
        std::string buffer(size * n, '\0');
        check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), "read", name);
        for (std::size_t i = 0; i < n; ++i) {
            std::string v = buffer.substr(i * size, size);
            v.resize(std::min(v.find('\0'), v.size()));
            labels.push_back(std::move(v));
        }
    }
    return labels;
}

std::string read_string_attribute(hid_t object, std::string_view name) {
    const std::string n = text(name);
    Handle attr(H5Aopen(object, n.c_str(), H5P_DEFAULT), H5Aclose, n);
    Handle type(H5Aget_type(attr), H5Tclose, n);
    if (H5Tget_class(type) != H5T_STRING) throw core::IoError("attribute " + n + " is not text");
    if (H5Tis_variable_str(type) > 0) {
        Handle memory_type = make_utf8_string_type(H5T_VARIABLE);
        char* value = nullptr;
        check(H5Aread(attr, memory_type, &value), "read attribute", n);
        std::string result = value != nullptr ? value : "";
        H5free_memory(value);
        return result;
    }
    const std::size_t size = H5Tget_size(type);
    std::string buffer(size, '\0');
    check(H5Aread(attr, type, buffer.data()), "read attribute", n);
    buffer.resize(buffer.find('\0') == std::string::npos ? size : buffer.find('\0'));
    return buffer;
}

}  // namespace iraqsim::output::h5
