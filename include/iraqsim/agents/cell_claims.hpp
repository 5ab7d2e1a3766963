// Claims on grid cells, resolved the same way whatever the order in which they are made: each
// claimed cell goes to its highest-priority claimant, the lowest id on an exact tie. Claims are
// made from parallel threads without atomics by sweeping the torus in bands of rows: a mover
// claims cells at most `radius` rows away, so bands at least 2 radius rows high, taken every other
// one, never claim the same cell (for_each_band_in_two_waves).
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace iraqsim::agents {

class CellClaims {
public:
    explicit CellClaims(std::size_t cells) : best_(cells, 0), winner_(cells, nobody) {}

    // Forgets the cell's claims; called for every cell before a round of claims.
    void clear(std::size_t cell) {
        best_[cell] = 0;
        winner_[cell] = nobody;
    }
    void claim(std::size_t cell, std::uint64_t priority, std::uint32_t id) {
        if (priority > best_[cell] || (priority == best_[cell] && id < winner_[cell])) {
            best_[cell] = priority;
            winner_[cell] = id;
        }
    }
    // Once every claim is in.
    [[nodiscard]] bool won(std::size_t cell, std::uint32_t id) const { return winner_[cell] == id; }

private:
    static constexpr std::uint32_t nobody = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint64_t> best_;
    std::vector<std::uint32_t> winner_;
};

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
