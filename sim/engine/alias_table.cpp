#include "iraqsim/engine/alias_table.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace iraqsim::engine {

AliasTable::AliasTable(const std::vector<double>& weights) : threshold_(weights.size()), alias_(weights.size()) {
    const std::size_t n = weights.size();
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (n == 0 || n > 0xffffffffU || !(total > 0) || !std::isfinite(total)) {
        throw std::invalid_argument("AliasTable: weights must be finite, non-negative and not all zero");
    }
    std::vector<double> scaled(n);
    std::vector<std::size_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
        if (!(weights[i] >= 0)) throw std::invalid_argument("AliasTable: negative weight");
        scaled[i] = weights[i] * static_cast<double>(n) / total;
        (scaled[i] < 1.0 ? small : large).push_back(i);
    }
    constexpr double full = 4294967296.0;  // 2^32: a threshold at or above it always keeps the column
    while (!small.empty() && !large.empty()) {
        const std::size_t s = small.back(), l = large.back();
        small.pop_back();
        threshold_[s] = static_cast<std::uint64_t>(scaled[s] * full);
        alias_[s] = static_cast<std::uint32_t>(l);
        scaled[l] -= 1.0 - scaled[s];
        if (scaled[l] < 1.0) {
            large.pop_back();
            small.push_back(l);
        }
    }
    // What is left holds probability 1 up to rounding.
    for (std::size_t i : small) threshold_[i] = static_cast<std::uint64_t>(full), alias_[i] = static_cast<std::uint32_t>(i);
    for (std::size_t i : large) threshold_[i] = static_cast<std::uint64_t>(full), alias_[i] = static_cast<std::uint32_t>(i);
}

}  // namespace iraqsim::engine
