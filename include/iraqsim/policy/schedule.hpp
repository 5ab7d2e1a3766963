// The timeline of a run: every enabled event, at the week it fires, with what the policy log
// records of it. Compiled once from the scenario; the policies phase walks it week by week.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/policy/actions.hpp"
#include "iraqsim/policy/trigger.hpp"
#include "iraqsim/scenario/event.hpp"

namespace iraqsim::policy {

struct ScheduledEvent {
    int week;            // the first week starting on or after the event's date (conditional: watched from)
    core::Date date;     // the event's own date (conditional without one: the start)
    std::string id;
    std::string policy;
    std::string target;  // what it acts on, e.g. "baghdad anbar", "all"
    Action action;       // empty for policies that act through the troop plan
    // Conditional events fire the first week from `week` to `until_week` their trigger holds. A
    // weeks_since clause's event is an index into the schedule (schedule.size(): never fires).
    std::optional<Trigger> trigger;
    int until_week = 0;
};

// Enabled events whose date (for conditional events, the watch) falls in [start, start + 7 *
// week_count), sorted by week then date.
std::vector<ScheduledEvent> build_schedule(const std::vector<scenario::Event>& events, const core::Date& start,
                                           int week_count, const world::Roster& roster);

}  // namespace iraqsim::policy
