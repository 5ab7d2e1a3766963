// Counts over square windows of a torus grid in O(1): a summed-area table over the grid padded by
// the largest radius with wrapped-around copies. A Moore neighbourhood of radius r is such a window
// of side 2r + 1, so a citizen's count of cops or actives within its vision costs four reads
// instead of (2r + 1)^2.
#pragma once

#include <cstdint>
#include <vector>

namespace iraqsim::agents {

class TorusWindowCounts {
public:
    // Windows must fit the torus once: 2 * max_radius + 1 <= width and height.
    TorusWindowCounts(std::int32_t width, std::int32_t height, std::int32_t max_radius);

    // Sets the per-cell values (row-major, width x height; each 0 or 1 in practice). Rows, then
    // columns, are summed in parallel chunks; integer sums, so the table is the same at any thread count.
    void build(const std::vector<std::uint8_t>& per_cell);
    // Sum over the window of the given radius centred on row y, column x, centre included.
    [[nodiscard]] std::int32_t count(std::int32_t y, std::int32_t x, std::int32_t radius) const {
        // Padded coordinates of the window's corners: rows y0..y1 and columns x0..x1, inclusive.
        const std::int32_t py = y + pad_, px = x + pad_;
        const std::int32_t* top = sums_.data() + static_cast<std::ptrdiff_t>(py - radius) * stride_;
        const std::int32_t* bottom = sums_.data() + static_cast<std::ptrdiff_t>(py + radius + 1) * stride_;
        return bottom[px + radius + 1] - top[px + radius + 1] - bottom[px - radius] + top[px - radius];
    }
    [[nodiscard]] std::int32_t count(std::uint32_t cell, std::int32_t radius) const {
        const auto w = static_cast<std::uint32_t>(width_);
        return count(static_cast<std::int32_t>(cell / w), static_cast<std::int32_t>(cell % w), radius);
    }

private:
    std::int32_t width_, height_, pad_, stride_;
    std::vector<std::int32_t> sums_;  // (height + 2 pad + 1) x (width + 2 pad + 1)
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
