// Conditional policies: an event with `when = "..."` fires the first week its condition holds on
// last week's state (design section 2: "Any policy may be conditional"). A condition is a small
// expression over named metrics, e.g.
//     fighters_lost(jam) over 8 weeks > 1500 and weeks_since(surge_2007) >= 20
// Names are resolved to roster indices when the condition is compiled, never in the step loop.
// docs/policies.md, "Conditional policies", lists the metrics and the grammar.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::policy {

enum class Metric {
    fighters,         // (faction, provinces...) fighters, a stock
    fighters_lost,    // (faction, provinces...) killed + detained, a weekly flow
    civilian_deaths,  // (provinces...) a weekly flow
    attacks,          // (provinces...) attacks on US and Iraqi forces, a weekly flow
    us_fatalities,    // (provinces...) a weekly flow
    us_troops,        // (provinces...) a stock
    support,          // (faction, provinces...) population-weighted share of residents
    control,          // (faction, provinces...) population-weighted share of control
    dependence,       // (faction, sponsor) share of the faction's resources
    battle_deaths,    // (faction, faction) fighters killed in battles between the two, a weekly flow
    weeks_since,      // (event) weeks since the event fired; the clause is false until it has
};

enum class Comparison { above, at_least, below, at_most };

struct Clause {
    Metric metric{};
    std::size_t faction = 0, other = 0;  // faction and, for battle_deaths, the opponent
    std::size_t sponsor = 0;
    std::size_t event = 0;               // index into TriggerNames::events
    std::vector<std::size_t> provinces;  // empty: all of Iraq
    int window_weeks = 1;                // flows: summed over this many weeks
    Comparison comparison{};
    double threshold = 0;
};

// OR over groups, AND within a group ("and" binds tighter than "or").
struct Trigger {
    std::vector<std::vector<Clause>> any_of;
    std::string text;
};

// The ids a condition may name.
struct TriggerNames {
    std::vector<std::string> provinces, factions, sponsors, events;
};

struct TriggerParse {
    std::optional<Trigger> trigger;
    std::string error;  // empty when parsed; else what is wrong, quoting the offending word
};

TriggerParse parse_trigger(std::string_view text, const TriggerNames& names);

// True for metrics that are weekly counts (they may be summed `over N weeks`).
bool is_flow(Metric metric);

// The metric's value in `state` (for flows: last week's count). weeks_since reads `fired_week`
// (by event index; negative: not fired) at `week`.
double metric_value(const Clause& clause, const world::Roster& roster, const world::State& state,
                    const std::vector<int>& fired_week, int week);

// A trigger being watched during one run: keeps the recent values its windows sum over.
class TriggerWatch {
public:
    explicit TriggerWatch(const Trigger& trigger);

    // Records this week's values and says whether the condition holds.
    bool observe(const world::Roster& roster, const world::State& state, const std::vector<int>& fired_week, int week);

private:
    const Trigger* trigger_;
    std::vector<std::vector<double>> recent_;  // per clause (in order), a ring of window_weeks values
    int observed_ = 0;
};

}  // namespace iraqsim::policy
