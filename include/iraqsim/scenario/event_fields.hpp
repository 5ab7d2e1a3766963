// Typed access to an event's fields, falling back to the policy catalogue's defaults. The loader
// has already checked every field's type against the catalogue, so the accessors do not re-check.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "iraqsim/scenario/event.hpp"

namespace iraqsim::scenario {

// A numeric field, or its catalogue default (NaN when it has none).
double event_number(const Event& e, const std::string& name);
// A text field, or "" when absent.
std::string event_text(const Event& e, const std::string& name);
// A text-list field, or {} when absent.
std::vector<std::string> event_list(const Event& e, const std::string& name);
std::optional<core::Date> event_date(const Event& e, const std::string& name);

}  // namespace iraqsim::scenario
