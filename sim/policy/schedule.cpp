#include "iraqsim/policy/schedule.hpp"

#include <algorithm>

namespace iraqsim::policy {
namespace {

// The fields that say what an event acts on, in the order they are looked for.
std::string target_of(const scenario::Event& e) {
    std::string target;
    for (const char* field : {"to", "faction", "target", "sponsor", "provinces", "scope"}) {
        const auto it = e.fields.find(field);
        if (it == e.fields.end()) continue;
        if (const auto* list = std::get_if<std::vector<std::string>>(&it->second)) {
            for (const std::string& item : *list) target += (target.empty() ? "" : " ") + item;
        } else if (const auto* text = std::get_if<std::string>(&it->second)) {
            target += (target.empty() ? "" : " ") + *text;
        }
    }
    return target;
}

}  // namespace

std::vector<ScheduledEvent> build_schedule(const std::vector<scenario::Event>& events, const core::Date& start,
                                           int week_count, const world::Roster& roster) {
    std::vector<ScheduledEvent> schedule;
    const std::int64_t first = start.days_since_unix_epoch();
    for (const scenario::Event& e : events) {
        if (!e.enabled || !e.date) continue;
        const std::int64_t offset = e.date->days_since_unix_epoch() - first;
        if (offset < 0) continue;
        const auto week = static_cast<int>((offset + 6) / 7);
        if (week >= week_count) continue;
        schedule.push_back({week, *e.date, e.id, e.policy, target_of(e), compile_action(e, roster)});
    }
    std::stable_sort(schedule.begin(), schedule.end(), [](const ScheduledEvent& a, const ScheduledEvent& b) {
        return a.week != b.week ? a.week < b.week : a.date < b.date;
    });
    return schedule;
}

}  // namespace iraqsim::policy
