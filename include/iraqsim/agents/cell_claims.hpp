// Claims on grid cells made by many agents at once, from parallel threads, resolved the same way
// whatever the order of claims and threads: each claimed cell goes to its highest-priority
// claimant, the lowest id on an exact tie. Three rounds, each complete before the next starts:
// every claimant offers its priority, then those whose priority is the cell's best settle the
// tie, then every claimant asks whether it won.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

namespace iraqsim::agents {

class CellClaims {
public:
    explicit CellClaims(std::size_t cells) : best_(cells, 0), winner_(cells, nobody) {}

    // Forgets the cell's claims; called for every cell before a round of offers, from one thread per cell.
    void clear(std::size_t cell) {
        best_[cell] = 0;
        winner_[cell] = nobody;
    }
    // Round 1: raises the cell's best priority to `priority`.
    void offer(std::size_t cell, std::uint64_t priority) {
        std::atomic_ref<std::uint64_t> best(best_[cell]);
        std::uint64_t seen = best.load(std::memory_order_relaxed);
        while (seen < priority && !best.compare_exchange_weak(seen, priority, std::memory_order_relaxed)) {
        }
    }
    // Round 2: among the claimants with the best priority, the lowest id wins.
    void settle(std::size_t cell, std::uint64_t priority, std::uint32_t id) {
        if (priority != best_[cell]) return;
        std::atomic_ref<std::uint32_t> winner(winner_[cell]);
        std::uint32_t seen = winner.load(std::memory_order_relaxed);
        while (id < seen && !winner.compare_exchange_weak(seen, id, std::memory_order_relaxed)) {
        }
    }
    // Round 3.
    [[nodiscard]] bool won(std::size_t cell, std::uint32_t id) const { return winner_[cell] == id; }

private:
    static constexpr std::uint32_t nobody = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint64_t> best_;
    std::vector<std::uint32_t> winner_;
};

}  // namespace iraqsim::agents
