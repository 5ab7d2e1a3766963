// Draws from a fixed discrete distribution in constant time (Walker's alias method, in Vose's
// numerically stable construction: M. D. Vose, IEEE TSE 17(9), 1991): one 64-bit draw per
// variate, the high half picking a column and the low half tossing its coin, where inversion
// costs a search or a transcendental call.
#pragma once

#include <cstdint>
#include <vector>

#include "iraqsim/engine/random_stream.hpp"

namespace iraqsim::engine {

class AliasTable {
public:
    AliasTable() = default;
    // `weights`: non-negative, not all zero; value i is drawn with probability weights[i] / sum.
    explicit AliasTable(const std::vector<double>& weights);

    [[nodiscard]] std::size_t size() const { return threshold_.size(); }

    std::size_t operator()(RandomStream& rng) const {
        const std::uint64_t u = rng.next_u64();
        const auto column = static_cast<std::size_t>(((u >> 32) * threshold_.size()) >> 32);
        return (u & 0xffffffffU) < threshold_[column] ? column : alias_[column];
    }

private:
    std::vector<std::uint64_t> threshold_;  // keep the column when the low 32 bits fall below this
    std::vector<std::uint32_t> alias_;
};

}  // namespace iraqsim::engine
