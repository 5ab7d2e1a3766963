// The policies the engine implements, each with the fields its events take. Events name a policy
// by its catalogue name; the loader checks every event against this catalogue, so an event the
// engine would not act on is an error, never silently ignored. Policies join the catalogue with
// their mechanisms (Foundation III and the what-if issue); docs/policies.md documents each.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "iraqsim/scenario/value.hpp"

namespace iraqsim::policy {

// What a text (or text list) field refers to; its values must be ids of that kind.
enum class Reference { none, province, faction, sponsor };

struct PolicyField {
    std::string name;
    scenario::ValueType type;
    std::string unit;
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool required = false;
    Reference reference = Reference::none;
    std::string help;
    double default_value = std::nan("");  // for optional numeric fields
    std::vector<std::string> choices;      // for text fields with a fixed set of values
};

inline PolicyField policy_field(std::string name, scenario::ValueType type, std::string unit, double min, double max,
                                bool required, Reference reference, std::string help,
                                double default_value = std::nan(""), std::vector<std::string> choices = {}) {
    return {std::move(name), type,      std::move(unit), min, max, required, reference, std::move(help),
            default_value,   std::move(choices)};
}

struct PolicyDef {
    std::string name;
    std::string help;
    std::vector<PolicyField> fields;
};

const std::vector<PolicyDef>& policy_catalogue();
const PolicyDef* find_policy(const std::string& name);

}  // namespace iraqsim::policy
