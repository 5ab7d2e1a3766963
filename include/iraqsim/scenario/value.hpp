// A scenario value as the registry sees it: typed, and with the place it came from, so that any
// later error can still name file, line and column.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "iraqsim/core/date.hpp"

namespace iraqsim::scenario {

enum class ValueType { boolean, integer, real, text, date, text_list, real_list };

const char* type_name(ValueType type);

using Value =
    std::variant<bool, std::int64_t, double, std::string, core::Date, std::vector<std::string>, std::vector<double>>;

// Where a value was set: a file position, or a --set argument (line 0).
struct Origin {
    std::string file;  // path as given, or "--set"
    int line = 0;
    int column = 0;

    [[nodiscard]] std::string describe() const;  // "file:line:column" or "--set"
};

// Formats a value as TOML (what `iraqsim config` prints).
std::string to_toml(const Value& value);

}  // namespace iraqsim::scenario
