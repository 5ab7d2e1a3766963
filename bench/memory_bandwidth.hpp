// The machine's memory bandwidth, measured as STREAM does (J. D. McCalpin's benchmark): copy
// a = b and triad a = b + s c over arrays far larger than the caches, in parallel chunks at a given
// thread count, the best of several repeats. Benchmarks print it beside their throughput, so that
// the distance to the limit is visible.
#pragma once

#include <cstddef>

namespace iraqsim::bench {

struct MemoryBandwidth {
    int threads = 1;
    double copy_gb_per_s = 0;   // 16 bytes per element: one read, one write
    double triad_gb_per_s = 0;  // 24 bytes per element: two reads, one write
};

// Bytes moved are counted as STREAM counts them: the write-allocate reads a store also causes are
// not counted, so the figure is what a loop of loads and stores can use. Uses three arrays of
// `bytes_per_array` (default 128 MiB, far beyond any last-level cache of today).
MemoryBandwidth measure_memory_bandwidth(int threads, std::size_t bytes_per_array = std::size_t{128} << 20,
                                         int repeats = 5);

}  // namespace iraqsim::bench
