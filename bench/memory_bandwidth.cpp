#include "memory_bandwidth.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

namespace iraqsim::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t elements_per_task = std::size_t{1} << 16;  // 512 KiB of each array per task

template <class F>
void for_each_chunk(std::size_t n, F&& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, elements_per_task),
                      [&](const tbb::blocked_range<std::size_t>& r) { f(r.begin(), r.end()); },
                      tbb::static_partitioner());
}

// Seconds of the fastest of `repeats` runs of f.
template <class F>
double best_seconds(int repeats, F&& f) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    }
    return best;
}

}  // namespace

MemoryBandwidth measure_memory_bandwidth(int threads, std::size_t bytes_per_array, int repeats) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(std::max(1, threads)));
    const std::size_t n = bytes_per_array / sizeof(double);
    // Uninitialised storage, first touched by the threads that will stream it (as STREAM does).
    const std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
    for_each_chunk(n, [&](std::size_t first, std::size_t last) {
        std::fill(a.get() + first, a.get() + last, 0.0);
        std::fill(b.get() + first, b.get() + last, 1.0);
        std::fill(c.get() + first, c.get() + last, 2.0);
    });
    const double copy = best_seconds(repeats, [&] {
        for_each_chunk(n, [&](std::size_t first, std::size_t last) { std::copy(b.get() + first, b.get() + last, a.get() + first); });
    });
    const double scalar = 3.0;
    const double triad = best_seconds(repeats, [&] {
        for_each_chunk(n, [&](std::size_t first, std::size_t last) {
            for (std::size_t i = first; i < last; ++i) a[i] = b[i] + scalar * c[i];
        });
    });
    // Without a use of the result the compiler could drop the loops.
    if (a[n / 2] != 7.0) throw std::logic_error("memory bandwidth: the triad computed a wrong value");
    const auto bytes = static_cast<double>(n * sizeof(double));
    return MemoryBandwidth{threads, 2 * bytes / copy / 1e9, 3 * bytes / triad / 1e9};
}

}  // namespace iraqsim::bench
