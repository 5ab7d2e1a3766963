// The fields of one line of the plain CSV iraqsim writes (no quoting: no field holds a comma or a
// quote): split at every comma, a trailing comma giving an empty last field.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace iraqsim::core {

inline std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

}  // namespace iraqsim::core
