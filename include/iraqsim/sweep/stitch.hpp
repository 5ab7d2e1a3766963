// The top-level file of a sweep, DIR/sweep.h5: each time series a virtual dataset
// [run, replicate, time, ...] over the shards (HDF5 virtual datasets: nothing is copied), the
// sampled parameters per run, the summary metrics per run and replicate, and, for a Morris design,
// the elementary effects of each parameter on each metric. netCDF-4 compatible like every
// iraqsim file (docs/output.md, docs/sweeps.md), so it opens in xarray.
//
// A virtual dataset over a missing shard reads silently as fill values, so the stitch first
// verifies every run: each must be journaled, its shard present, readable, of this sweep, and
// long enough. Otherwise nothing is written and the error names what is missing.
#pragma once

#include <cstdint>
#include <filesystem>

#include "iraqsim/sweep/plan.hpp"

namespace iraqsim::sweep {

struct StitchResult {
    std::filesystem::path file;
    std::int64_t runs = 0;
    std::size_t shards = 0;
};

// Throws core::IoError naming the missing or damaged shards and runs; writes DIR/sweep.h5
// atomically (an existing one only with `force`).
StitchResult stitch(const Plan& plan, const std::filesystem::path& dir, bool force);

}  // namespace iraqsim::sweep
