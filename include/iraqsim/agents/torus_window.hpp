// Counts over square windows of a torus grid in O(1): a summed-area table over the grid padded by
// the largest radius with wrapped-around copies. A Moore neighbourhood of radius r is such a window
// of side 2r + 1, so a citizen's count of cops or actives within its vision costs four reads
// instead of (2r + 1)^2, and several counts packed in one table cost the same four.
#pragma once

#include <cstdint>
#include <vector>

namespace iraqsim::agents {

class TorusWindowCounts {
public:
    // Windows must fit the torus once: 2 * max_radius + 1 <= width and height. `lanes` fields are
    // counted at once, each in its own 64 / lanes bits of one 64-bit table (see fits()).
    TorusWindowCounts(std::int32_t width, std::int32_t height, std::int32_t max_radius, std::int32_t lanes = 1);

    // Whether `lanes` counts over windows of up to max_radius fit one 64-bit entry. The sums wrap
    // around modulo 2^64, carrying from lane to lane, but a window's count is a sum of four of them
    // with signs, so every lane of it comes out exact as long as the window's count fits its lane.
    [[nodiscard]] static bool fits(std::int32_t max_radius, std::int32_t lanes);

    // Sets the per-cell values (row-major, width x height): lane i counts bit first_bit + i of each
    // cell's byte. Rows, then columns, are summed in parallel chunks; integer sums, so the table is
    // the same at any thread count.
    void build(const std::vector<std::uint8_t>& per_cell, int first_bit = 0);
    // Every lane's sum over the window of the given radius centred on row y, column x, centre
    // included; lane() takes one out.
    [[nodiscard]] std::uint64_t packed(std::int32_t y, std::int32_t x, std::int32_t radius) const {
        // Padded coordinates of the window's corners: rows y0..y1 and columns x0..x1, inclusive.
        const std::int32_t py = y + pad_, px = x + pad_;
        const std::uint64_t* top = sums_.data() + static_cast<std::ptrdiff_t>(py - radius) * stride_;
        const std::uint64_t* bottom = sums_.data() + static_cast<std::ptrdiff_t>(py + radius + 1) * stride_;
        return bottom[px + radius + 1] - top[px + radius + 1] - bottom[px - radius] + top[px - radius];
    }
    [[nodiscard]] std::int32_t lane(std::uint64_t packed_counts, std::int32_t i) const {
        return static_cast<std::int32_t>((packed_counts >> (i * lane_bits_)) & lane_mask_);
    }
    [[nodiscard]] std::int32_t count(std::int32_t y, std::int32_t x, std::int32_t radius, std::int32_t i = 0) const {
        return lane(packed(y, x, radius), i);
    }
    [[nodiscard]] std::int32_t count(std::uint32_t cell, std::int32_t radius) const {
        const auto w = static_cast<std::uint32_t>(width_);
        return count(static_cast<std::int32_t>(cell / w), static_cast<std::int32_t>(cell % w), radius);
    }

private:
    std::int32_t width_, height_, pad_, stride_, lanes_, lane_bits_;
    std::uint64_t lane_mask_;
    std::vector<std::uint64_t> sums_;  // (height + 2 pad + 1) x (width + 2 pad + 1)
};

// The cell at offset (dy, dx) from `cell` on the torus.
inline std::uint32_t torus_offset(std::uint32_t cell, std::int32_t dy, std::int32_t dx, std::int32_t width,
                                  std::int32_t height) {
    const auto y = static_cast<std::int32_t>(cell / static_cast<std::uint32_t>(width));
    const auto x = static_cast<std::int32_t>(cell % static_cast<std::uint32_t>(width));
    const std::int32_t ny = ((y + dy) % height + height) % height;
    const std::int32_t nx = ((x + dx) % width + width) % width;
    return static_cast<std::uint32_t>(ny * width + nx);
}

}  // namespace iraqsim::agents
