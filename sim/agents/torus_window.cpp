#include "iraqsim/agents/torus_window.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>

#include "iraqsim/core/error.hpp"

namespace iraqsim::agents {
namespace {

constexpr std::int32_t sums_per_task = 16384;  // a few microseconds of additions per TBB task

}  // namespace

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
    std::int32_t* const sums = sums_.data();
    const auto row_of_sums = [&](std::int32_t py) { return sums + static_cast<std::ptrdiff_t>(py) * stride_ + 1; };
    // Prefix sums along each padded row (padded row py holds grid row (py - pad) mod height, and
    // padded column px grid column (px - pad) mod width: the left pad, the row, the right pad).
    tbb::parallel_for(tbb::blocked_range<std::int32_t>(0, rows, static_cast<std::size_t>(std::max(1, sums_per_task / cols))),
                      [&](const tbb::blocked_range<std::int32_t>& r) {
                          for (std::int32_t py = r.begin(); py != r.end(); ++py) {
                              const std::int32_t y = ((py - pad_) % height_ + height_) % height_;
                              const std::uint8_t* source = per_cell.data() + static_cast<std::ptrdiff_t>(y) * width_;
                              std::int32_t* here = row_of_sums(py + 1);
                              std::int32_t row_sum = 0;
                              std::int32_t x = width_ - pad_;
                              for (std::int32_t px = 0; px < cols; ++px, ++x) {
                                  if (x == width_) x = 0;
                                  row_sum += source[x];
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
                                  const std::int32_t* above = row_of_sums(py);
                                  std::int32_t* here = row_of_sums(py + 1);
                                  for (std::int32_t px = first; px < last; ++px) here[px] += above[px];
                              }
                          }
                      });
}

}  // namespace iraqsim::agents
