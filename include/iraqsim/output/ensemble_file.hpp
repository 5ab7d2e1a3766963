// Writes an ensemble's time series as one self-describing HDF5 file, netCDF-4 compatible
// (docs/output.md): coordinate variables as dimension scales, CF attributes, provenance.
#pragma once

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"

namespace iraqsim::output {

// Bumped whenever the layout changes in a way a reader would notice.
inline constexpr std::int64_t format_version = 1;

// `on_slab_written`, when given, is called after each (variable, replicate) slab: variables x
// replicates calls in all.
void write_ensemble_file(const std::filesystem::path& target, bool force, const scenario::Scenario& scenario,
                         const world::Roster& roster, const RecordSpec& spec, const engine::EnsembleResult& result,
                         const std::function<void()>& on_slab_written = nullptr);

// The parts of this layout that other writers share (sweep/stitch.cpp).
// Provenance of the build: Conventions, version, git revision, compiler, libraries, format_version.
void write_build_provenance(hid_t file);

// The coordinate variables, each a dimension scale of its own name: replicate, time and the
// roster's dimensions.
struct Dimensions {
    std::map<std::string, h5::Handle, std::less<>> scales;
    hid_t operator[](std::string_view name) const { return scales.find(name)->second; }
};
Dimensions write_dimensions(hid_t file, const world::Roster& roster, std::size_t replicates,
                            const std::vector<double>& time_days);
// Display names in common English, as auxiliary coordinates along each string dimension.
void write_display_names(hid_t file, const world::Roster& roster, const Dimensions& dims);
// A time-series variable's units and long name, its dimension scales (the `leading` ones, then
// the variable's own) and the CF coordinates attribute that names the display names.
void describe_series_variable(hid_t ds, const VariableDef& def, const Dimensions& dims,
                              std::initializer_list<std::string_view> leading);

// A readable summary of a file iraqsim wrote: provenance, dimensions, variables and shapes.
std::string describe_file(const std::filesystem::path& path);

}  // namespace iraqsim::output
