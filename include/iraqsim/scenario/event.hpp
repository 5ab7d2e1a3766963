// A policy event of the timeline, as the scenario gives it: dated, or conditional (`when`, watched
// from `date` if given, until `until`). Events have unique ids so that an overlay can change one
// (give its id and the fields to replace) or remove it (enabled = false).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "iraqsim/core/date.hpp"
#include "iraqsim/scenario/value.hpp"

namespace iraqsim::scenario {

struct Event {
    std::string id;  // snake_case, unique in the scenario
    bool enabled = true;
    std::optional<core::Date> date;
    std::string when;                  // a condition (policy/trigger.hpp); empty: fires on its date
    std::optional<core::Date> until;   // a conditional event is watched until this date
    std::string policy;
    std::map<std::string, Value> fields;  // the policy's own parameters
    std::map<std::string, Origin> origins;  // where each field (and "id", "date", "policy") was set
    Origin origin;  // where the event was first defined
};

}  // namespace iraqsim::scenario
