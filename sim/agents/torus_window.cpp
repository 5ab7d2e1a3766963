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
    const auto cells = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    row_.resize(cells);
    column_.resize(cells);
    for (std::size_t c = 0; c < cells; ++c) {
        row_[c] = static_cast<std::int32_t>(c / static_cast<std::size_t>(width));
        column_[c] = static_cast<std::int32_t>(c % static_cast<std::size_t>(width));
    }
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

}  // namespace iraqsim::agents
