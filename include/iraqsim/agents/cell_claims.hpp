// Claims on grid cells made from parallel threads without atomics (the Epstein grid's moves,
// epstein.hpp, where each claimed cell goes to the highest claim key): the torus is swept in bands
// of rows; a mover claims cells at most `radius` rows away, so bands at least 2 radius rows high,
// taken every other one, never claim the same cell (for_each_band_in_two_waves).
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <cstdint>

namespace iraqsim::agents {

// Runs f(first_row, end_row) over bands of rows covering 0..height, so that two bands running at
// once are separated by at least 2 * radius rows (on the torus too): an even number of bands of at
// least 2 * radius rows each, the even-numbered ones in parallel, then the odd-numbered ones. A
// torus too small for four such bands runs as one band.
template <class F>
void for_each_band_in_two_waves(std::int32_t height, std::int32_t radius, F&& f) {
    const std::int32_t bands = (height / std::max(1, 2 * radius)) / 2 * 2;
    if (bands < 4) {
        f(0, height);
        return;
    }
    const auto band_start = [&](std::int32_t b) {
        return static_cast<std::int32_t>(static_cast<std::int64_t>(height) * b / bands);
    };
    for (std::int32_t wave = 0; wave < 2; ++wave) {
        tbb::parallel_for(
            tbb::blocked_range<std::int32_t>(0, bands / 2, 1),
            [&](const tbb::blocked_range<std::int32_t>& r) {
                for (std::int32_t half = r.begin(); half != r.end(); ++half) {
                    const std::int32_t b = 2 * half + wave;
                    f(band_start(b), band_start(b + 1));
                }
            },
            tbb::simple_partitioner());
    }
}

}  // namespace iraqsim::agents
