// A thin RAII layer over the HDF5 C API: every handle closes itself, every failed call throws
// core::IoError naming the object and the operation. Only what iraqsim's files need.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace iraqsim::output::h5 {

class Handle {
public:
    using Closer = herr_t (*)(hid_t);

    Handle() = default;
    Handle(hid_t id, Closer closer, std::string_view what);
    ~Handle();
    Handle(Handle&& other) noexcept;
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    [[nodiscard]] hid_t id() const { return id_; }
    operator hid_t() const { return id_; }  // NOLINT: handles pass straight to the C API

private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

// Silences HDF5's error printing while it lives: for probing files that may be damaged (the
// failure is then reported as an iraqsim error) and for tests that fail on purpose.
class ErrorPrintingOff {
public:
    ErrorPrintingOff();
    ~ErrorPrintingOff();
    ErrorPrintingOff(const ErrorPrintingOff&) = delete;
    ErrorPrintingOff& operator=(const ErrorPrintingOff&) = delete;

private:
    H5E_auto2_t function_ = nullptr;
    void* data_ = nullptr;
};

// Throws core::IoError("<operation>: <what>") when status < 0.
void check(herr_t status, std::string_view operation, std::string_view what);

// A new file laid out as netCDF-4 expects: link and attribute creation order tracked and
// indexed, file format bounded to 1.8 so that netCDF 4.9 and h5py read it, no object timestamps.
Handle create_file(const std::string& path);
// The same, with the 1.10 format allowed above the 1.8 bounds where a file needs it (virtual
// datasets); the superblock stays the 1.8 one, so a reader of 1.8-format files still opens it.
Handle create_file_with_virtual_datasets(const std::string& path);
Handle open_file_read_only(const std::string& path);

void write_attribute(hid_t object, std::string_view name, std::string_view value);  // fixed-length UTF-8 text
void write_attribute(hid_t object, std::string_view name, double value);
void write_attribute(hid_t object, std::string_view name, std::int64_t value);
void write_attribute(hid_t object, std::string_view name, float value);

// A 1-D variable of variable-length UTF-8 strings (not a dimension scale).
Handle write_string_variable(hid_t file, std::string_view name, const std::vector<std::string>& values);

// A 1-D numeric variable (not a dimension scale), unchunked.
Handle write_variable(hid_t file, std::string_view name, const std::vector<double>& values);
Handle write_variable(hid_t file, std::string_view name, const std::vector<std::int32_t>& values);

// A 1-D coordinate variable made a dimension scale of its own name.
Handle write_coordinate(hid_t file, std::string_view name, const std::vector<std::string>& values);
Handle write_coordinate(hid_t file, std::string_view name, const std::vector<double>& values);
Handle write_coordinate(hid_t file, std::string_view name, const std::vector<std::int32_t>& values);

// A float32 variable, chunked along time (dimension 1), with _FillValue; deflated at
// `deflate_level` (1-9; 0 writes it unfiltered). No shuffle filter: on these series it made the
// chunks no smaller and the writing slower (docs/output.md).
Handle create_float_variable(hid_t file, std::string_view name, const std::vector<hsize_t>& shape,
                             const std::vector<hsize_t>& chunk, unsigned deflate_level = 1);
void write_floats(hid_t dataset, const float* data);
// Writes data into the slab [index, ...] of the first dimension of a variable made by
// create_float_variable, whose chunks must span every dimension after time.
void write_floats_slab(hid_t dataset, hsize_t index, const float* data);

void attach_dimension(hid_t variable, hid_t scale, unsigned axis);
// scales[axis] for every axis of a variable that has none attached yet, in the layout
// attach_dimension (H5DSattach_scale) writes: one write of the variable's DIMENSION_LIST instead
// of a read and rewrite per axis, and none of its checks; a sixth of the writing of a file.
void attach_dimensions(hid_t variable, const std::vector<hid_t>& scales);

// An n-D numeric variable (not a dimension scale), unchunked; `data` is row-major in `memory_type`.
Handle write_array(hid_t file, std::string_view name, hid_t file_type, hid_t memory_type,
                   const std::vector<hsize_t>& shape, const void* data);
// Reads a whole dataset into `data` (sized by the caller) as `memory_type`.
void read_all(hid_t dataset, hid_t memory_type, void* data);

// Reading, for `iraqsim info` and tests.
std::vector<hsize_t> dataset_shape(hid_t dataset);
std::vector<std::string> dimension_names(hid_t dataset);
std::string read_string_attribute(hid_t object, std::string_view name);
bool has_attribute(hid_t object, std::string_view name);
std::int64_t read_int_attribute(hid_t object, std::string_view name);
// A 1-D dataset of strings (fixed or variable length); `name` is for messages.
std::vector<std::string> read_strings(hid_t dataset, const std::string& name);

}  // namespace iraqsim::output::h5
