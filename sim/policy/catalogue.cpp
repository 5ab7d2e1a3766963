#include "iraqsim/policy/catalogue.hpp"

#include <algorithm>

namespace iraqsim::policy {
namespace {

using scenario::ValueType;
constexpr double inf = std::numeric_limits<double>::infinity();


// US force posture and level (docs/policies.md, "Troop policies"). The national level is forcing
// from data/; historical troop events label parts of that series, and a scenario that removes or
// resizes one replaces the path from its date by the documented counterfactual.
PolicyDef surge() {
    return {"surge",
            "Extra US troops sent to chosen provinces, ramped up, and dispersed into outposts. Without "
            "`total` the increment is the troop data's rise above its level on the event date (history); "
            "with `total` it is a counterfactual of that size.",
            {policy_field("to", ValueType::text_list, "", -inf, inf, true, Reference::province, "provinces receiving the surge"),
             policy_field("troops", ValueType::real_list, "persons", 0, 1e6, true, Reference::none,
              "combat troops sent to each province of `to`, in order: the split of the increment"),
             policy_field("total", ValueType::real, "persons", 0, 1e6, false, Reference::none,
              "size of a counterfactual surge; absent: the troop data's increment"),
             policy_field("ramp_weeks", ValueType::real, "weeks", 1, 104, false, Reference::none, "weeks to full strength", 22.0),
             policy_field("duration_weeks", ValueType::real, "weeks", 1, 520, false, Reference::none,
              "weeks at full strength of a counterfactual surge before it ramps down again", 78.0),
             policy_field("posture", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of US troops in the surge provinces dispersed into outposts at full strength", 0.5)}};
}

PolicyDef drawdown() {
    return {"drawdown",
            "US troop reductions. Without `target` the level follows the troop data (history); with "
            "`target` and `by` it falls linearly from the event date to `target` by `by`. Removing the "
            "historical drawdown holds the level of its date (less the surge's own return) until the "
            "final withdrawal.",
            {policy_field("target", ValueType::real, "persons", 0, 1e6, false, Reference::none, "level to reach by `by`"),
             policy_field("by", ValueType::date, "date", -inf, inf, false, Reference::none, "date the target is reached")}};
}

PolicyDef withdrawal() {
    return {"withdrawal",
            "US withdrawal: scope \"cities\" moves US troops out of the cities (a posture change: "
            "fewer dispersed outposts); scope \"all\" takes the level linearly to zero by `by`.",
            {policy_field("scope", ValueType::text, "", -inf, inf, true, Reference::none, "\"cities\" or \"all\"", std::nan(""),
              {"cities", "all"}),
             policy_field("by", ValueType::date, "date", -inf, inf, false, Reference::none,
              "date the last troops leave (scope \"all\"; default: the event date)"),
             policy_field("posture", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of US troops dispersed among the population afterwards (scope \"cities\")", 0.05)}};
}

}  // namespace

const std::vector<PolicyDef>& policy_catalogue() {
    static const std::vector<PolicyDef> catalogue{surge(), drawdown(), withdrawal()};
    return catalogue;
}

const PolicyDef* find_policy(const std::string& name) {
    const auto& c = policy_catalogue();
    const auto it = std::find_if(c.begin(), c.end(), [&](const PolicyDef& p) { return p.name == name; });
    return it == c.end() ? nullptr : &*it;
}

}  // namespace iraqsim::policy
