// What a process knows about the step it runs in, beyond the state: the date, the week index and
// the keys of its random streams.
#pragma once

#include <cstdint>

#include "iraqsim/core/date.hpp"
#include "iraqsim/engine/random_stream.hpp"

namespace iraqsim::engine {

class StepContext {
public:
    StepContext(std::uint64_t seed, std::uint64_t replicate, int week, core::Date date)
        : seed_(seed), replicate_(replicate), week_(week), date_(date) {}

    [[nodiscard]] int week() const { return week_; }
    [[nodiscard]] const core::Date& date() const { return date_; }

    [[nodiscard]] RandomStream stream(Purpose purpose, std::uint64_t entity) const {
        return RandomStream(seed_, replicate_, static_cast<std::uint64_t>(week_), purpose, entity);
    }

private:
    std::uint64_t seed_;
    std::uint64_t replicate_;
    int week_;
    core::Date date_;
};

}  // namespace iraqsim::engine
