#include "iraqsim/scenario/event_fields.hpp"

#include <cmath>

#include "iraqsim/policy/catalogue.hpp"

namespace iraqsim::scenario {

double event_number(const Event& e, const std::string& name) {
    if (const auto it = e.fields.find(name); it != e.fields.end()) {
        if (const auto* d = std::get_if<double>(&it->second)) return *d;
        if (const auto* i = std::get_if<std::int64_t>(&it->second)) return static_cast<double>(*i);
    }
    if (const policy::PolicyDef* def = policy::find_policy(e.policy)) {
        for (const auto& f : def->fields)
            if (f.name == name) return f.default_value;
    }
    return std::nan("");
}

std::string event_text(const Event& e, const std::string& name) {
    const auto it = e.fields.find(name);
    if (it == e.fields.end()) return {};
    const auto* text = std::get_if<std::string>(&it->second);
    return text ? *text : std::string();
}

std::vector<std::string> event_list(const Event& e, const std::string& name) {
    const auto it = e.fields.find(name);
    if (it == e.fields.end()) return {};
    const auto* list = std::get_if<std::vector<std::string>>(&it->second);
    return list ? *list : std::vector<std::string>{};
}

std::optional<core::Date> event_date(const Event& e, const std::string& name) {
    const auto it = e.fields.find(name);
    if (it == e.fields.end()) return std::nullopt;
    const auto* d = std::get_if<core::Date>(&it->second);
    return d ? std::optional<core::Date>(*d) : std::nullopt;
}

}  // namespace iraqsim::scenario
