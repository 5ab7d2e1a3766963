#include "iraqsim/agents/citizens.hpp"

namespace iraqsim::agents {

std::uint64_t CitizenCounts::in_state(std::size_t block, CitizenState s) const {
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < columns(); ++k) total += at(block, s, k);
    return total;
}

std::uint64_t CitizenCounts::at_home(std::size_t block, std::size_t column) const {
    std::uint64_t total = 0;
    for (const CitizenState s : {CitizenState::quiet, CitizenState::supporter, CitizenState::fighter, CitizenState::detained})
        total += at(block, s, column);
    return total;
}

std::uint64_t CitizenCounts::total() const {
    std::uint64_t sum = 0;
    for (const std::uint64_t x : n) sum += x;
    return sum;
}

}  // namespace iraqsim::agents
