#include "iraqsim/policy/schedule.hpp"

#include <algorithm>

#include "iraqsim/core/error.hpp"

namespace iraqsim::policy {
namespace {

// The fields that say what an event acts on, in the order they are looked for.
std::string target_of(const scenario::Event& e) {
    std::string target;
    for (const char* field : {"to", "parties", "faction", "target", "sponsor", "backers", "provinces", "scope"}) {
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
    auto week_of = [&](const core::Date& d) {
        const std::int64_t offset = d.days_since_unix_epoch() - first;
        return offset < 0 ? -1 : static_cast<int>((offset + 6) / 7);
    };
    TriggerNames names;
    for (const auto& p : roster.provinces) names.provinces.push_back(p.id);
    for (const auto& f : roster.factions) names.factions.push_back(f.id);
    for (const auto& s : roster.sponsors) names.sponsors.push_back(s.id);
    for (const scenario::Event& e : events)
        if (e.enabled) names.events.push_back(e.id);
    for (const scenario::Event& e : events) {
        if (!e.enabled) continue;
        ScheduledEvent scheduled{0, start, e.id, e.policy, target_of(e), compile_action(e, roster), std::nullopt, week_count - 1};
        if (!e.when.empty()) {
            TriggerParse parsed = parse_trigger(e.when, names);
            if (!parsed.trigger) throw core::ModelError("event " + e.id + ": condition not validated: " + parsed.error);
            scheduled.trigger = std::move(parsed.trigger);
            if (e.date) {
                scheduled.date = *e.date;
                scheduled.week = std::max(0, week_of(*e.date));
            }
            if (e.until) scheduled.until_week = std::min(week_count - 1, week_of(*e.until));
            if (scheduled.week >= week_count || scheduled.until_week < scheduled.week) continue;
        } else {
            if (!e.date) continue;
            scheduled.date = *e.date;
            scheduled.week = week_of(*e.date);
            if (scheduled.week < 0 || scheduled.week >= week_count) continue;
        }
        schedule.push_back(std::move(scheduled));
    }
    std::stable_sort(schedule.begin(), schedule.end(), [](const ScheduledEvent& a, const ScheduledEvent& b) {
        return a.week != b.week ? a.week < b.week : a.date < b.date;
    });
    // weeks_since clauses: from the names' order to the schedule's.
    for (ScheduledEvent& scheduled : schedule) {
        if (!scheduled.trigger) continue;
        for (auto& group : scheduled.trigger->any_of) {
            for (Clause& clause : group) {
                if (clause.metric != Metric::weeks_since) continue;
                const std::string& id = names.events[clause.event];
                const auto it = std::find_if(schedule.begin(), schedule.end(), [&](const ScheduledEvent& x) { return x.id == id; });
                clause.event = static_cast<std::size_t>(it - schedule.begin());
            }
        }
    }
    return schedule;
}

}  // namespace iraqsim::policy
