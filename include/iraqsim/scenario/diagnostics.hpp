// All the problems found in a scenario, collected so that a user sees every one of them at once
// ("file:line:column: key: message (did you mean ...?)"), up to a cap.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/scenario/value.hpp"

namespace iraqsim::scenario {

struct Diagnostic {
    Origin origin;
    std::string key;  // the key path, e.g. "faction.jam.cohesion"
    std::string message;
    int file_rank = 0;  // files in the order first reported; --set after them

    [[nodiscard]] std::string format() const;
};

class Diagnostics {
public:
    static constexpr std::size_t cap = 50;

    void error(Origin origin, std::string key, std::string message);
    [[nodiscard]] bool empty() const { return total_ == 0; }
    [[nodiscard]] std::size_t count() const { return total_; }
    [[nodiscard]] bool full() const { return total_ >= cap; }
    [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
    // All messages, one per line, with "... and N more" past the cap.
    [[nodiscard]] std::string format() const;
    // Throws core::ScenarioError with format() when any error was recorded.
    void throw_if_any() const;

private:
    static constexpr int set_rank = 1 << 30;
    static bool before(const Diagnostic& a, const Diagnostic& b);

    std::vector<Diagnostic> items_;
    std::size_t latest_ = 0;  // index of the last item in reading order, once items_ is full
    std::size_t total_ = 0;
    std::map<std::string, int, std::less<>> file_rank_;
};

// The closest candidate by edit distance, if it is close enough to be a plausible typo.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace iraqsim::scenario
