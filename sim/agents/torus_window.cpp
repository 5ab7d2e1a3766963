#include "iraqsim/agents/torus_window.hpp"

#include "iraqsim/core/error.hpp"

namespace iraqsim::agents {

TorusWindowCounts::TorusWindowCounts(std::int32_t width, std::int32_t height, std::int32_t max_radius)
    : width_(width), height_(height), pad_(max_radius), stride_(width + 2 * max_radius + 1) {
    if (width < 1 || height < 1 || max_radius < 0 || 2 * max_radius + 1 > width || 2 * max_radius + 1 > height) {
        throw core::ModelError("torus window: a window of radius " + std::to_string(max_radius) +
                               " does not fit a " + std::to_string(width) + " x " + std::to_string(height) + " torus");
    }
    sums_.assign(static_cast<std::size_t>(stride_) * static_cast<std::size_t>(height + 2 * max_radius + 1), 0);
}

void TorusWindowCounts::build(const std::vector<std::uint8_t>& per_cell) {
    const std::int32_t rows = height_ + 2 * pad_, cols = width_ + 2 * pad_;
    for (std::int32_t py = 0; py < rows; ++py) {
        const std::int32_t y = ((py - pad_) % height_ + height_) % height_;
        const std::uint8_t* source = per_cell.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width_);
        const std::int32_t* above = sums_.data() + static_cast<std::size_t>(py) * static_cast<std::size_t>(stride_) + 1;
        std::int32_t* here = sums_.data() + static_cast<std::size_t>(py + 1) * static_cast<std::size_t>(stride_) + 1;
        std::int32_t row_sum = 0;
        // Padded column px reads grid column (px - pad) mod width: the left pad, the row, the right pad.
        std::int32_t x = width_ - pad_;
        for (std::int32_t px = 0; px < cols; ++px, ++x) {
            if (x == width_) x = 0;
            row_sum += source[x];
            here[px] = above[px] + row_sum;
        }
    }
}

std::int32_t TorusWindowCounts::count(std::uint32_t cell, std::int32_t radius) const {
    const auto y = static_cast<std::int32_t>(cell / static_cast<std::uint32_t>(width_));
    const auto x = static_cast<std::int32_t>(cell % static_cast<std::uint32_t>(width_));
    // Padded coordinates of the window's corners: rows y0..y1 and columns x0..x1, inclusive.
    const std::int32_t y0 = y + pad_ - radius, y1 = y + pad_ + radius;
    const std::int32_t x0 = x + pad_ - radius, x1 = x + pad_ + radius;
    auto at = [&](std::int32_t row, std::int32_t col) {
        return sums_[static_cast<std::size_t>(row) * static_cast<std::size_t>(stride_) + static_cast<std::size_t>(col)];
    };
    return at(y1 + 1, x1 + 1) - at(y0, x1 + 1) - at(y1 + 1, x0) + at(y0, x0);
}

}  // namespace iraqsim::agents
