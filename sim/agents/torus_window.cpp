#include "iraqsim/agents/torus_window.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <string>

#include "iraqsim/core/error.hpp"

namespace iraqsim::agents {
namespace {

constexpr std::int32_t sums_per_task = 16384;  // a few microseconds of additions per TBB task

}  // namespace

TorusWindowCounts::TorusWindowCounts(std::int32_t width, std::int32_t height, std::int32_t max_radius, std::int32_t lanes)
    : width_(width),
      height_(height),
      pad_(max_radius),
      stride_(width + 2 * max_radius + 1),
      lanes_(lanes),
      lane_bits_(64 / std::max(1, lanes)),
      lane_mask_(lane_bits_ >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << lane_bits_) - 1) {
    if (width < 1 || height < 1 || max_radius < 0 || 2 * max_radius + 1 > width || 2 * max_radius + 1 > height) {
        throw core::ModelError("torus window: a window of radius " + std::to_string(max_radius) +
                               " does not fit a " + std::to_string(width) + " x " + std::to_string(height) + " torus");
    }
    if (!fits(max_radius, lanes)) {
        throw core::ModelError("torus window: " + std::to_string(lanes) + " counts over windows of radius " +
                               std::to_string(max_radius) + " do not fit 64 bits");
    }
    sums_.assign(static_cast<std::size_t>(stride_) * static_cast<std::size_t>(height + 2 * max_radius + 1), 0);
}

bool TorusWindowCounts::fits(std::int32_t max_radius, std::int32_t lanes) {
    if (lanes < 1 || lanes > 8) return false;
    const std::int32_t lane_bits = 64 / lanes;
    const auto side = static_cast<std::uint64_t>(2 * max_radius + 1);
    return lane_bits >= 64 || side * side < (std::uint64_t{1} << lane_bits);
}

void TorusWindowCounts::build(const std::vector<std::uint8_t>& per_cell, int first_bit) {
    const std::int32_t rows = height_ + 2 * pad_, cols = width_ + 2 * pad_;
    std::uint64_t* const sums = sums_.data();
    const auto row_of_sums = [&](std::int32_t py) { return sums + static_cast<std::ptrdiff_t>(py) * stride_ + 1; };
    // A byte's bits first_bit.. spread to the lanes: 256 entries, computed once a build.
    std::array<std::uint64_t, 256> spread{};
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
        for (std::int32_t i = 0; i < lanes_; ++i) {
            if ((byte >> (first_bit + i)) & 1U) spread[byte] |= std::uint64_t{1} << (i * lane_bits_);
        }
    }
    // Prefix sums along each padded row (padded row py holds grid row (py - pad) mod height, and
    // padded column px grid column (px - pad) mod width: the left pad, the row, the right pad).
    tbb::parallel_for(tbb::blocked_range<std::int32_t>(0, rows, static_cast<std::size_t>(std::max(1, sums_per_task / cols))),
                      [&](const tbb::blocked_range<std::int32_t>& r) {
                          for (std::int32_t py = r.begin(); py != r.end(); ++py) {
                              const std::int32_t y = ((py - pad_) % height_ + height_) % height_;
                              const std::uint8_t* source = per_cell.data() + static_cast<std::ptrdiff_t>(y) * width_;
                              std::uint64_t* here = row_of_sums(py + 1);
                              std::uint64_t row_sum = 0;
                              std::int32_t x = width_ - pad_;
                              for (std::int32_t px = 0; px < cols; ++px, ++x) {
                                  if (x == width_) x = 0;
                                  row_sum += spread[source[x]];
                                  here[px] = row_sum;
                              }
                          }
                      });
    // Then down each column, in strips of columns so that every row's strip is read contiguously.
    constexpr std::int32_t strip = 256;
    tbb::parallel_for(tbb::blocked_range<std::int32_t>(0, (cols + strip - 1) / strip, 1),
                      [&](const tbb::blocked_range<std::int32_t>& r) {
                          for (std::int32_t s = r.begin(); s != r.end(); ++s) {
                              const std::int32_t first = s * strip, last = std::min(cols, first + strip);
                              for (std::int32_t py = 1; py < rows; ++py) {
                                  const std::uint64_t* above = row_of_sums(py);
                                  std::uint64_t* here = row_of_sums(py + 1);
                                  for (std::int32_t px = first; px < last; ++px) here[px] += above[px];
                              }
                          }
                      });
}

}  // namespace iraqsim::agents
