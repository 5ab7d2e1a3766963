// Writes an ensemble's time series as one self-describing HDF5 file, netCDF-4 compatible
// (docs/output.md): coordinate variables as dimension scales, CF attributes, provenance.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "iraqsim/engine/ensemble.hpp"
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

// A readable summary of a file iraqsim wrote: provenance, dimensions, variables and shapes.
std::string describe_file(const std::filesystem::path& path);

}  // namespace iraqsim::output
