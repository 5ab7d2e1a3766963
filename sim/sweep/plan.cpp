#include "iraqsim/sweep/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "iraqsim/core/error.hpp"
#include "iraqsim/policy/catalogue.hpp"
#include "iraqsim/scenario/loader.hpp"
#include "iraqsim/scenario/registry.hpp"

namespace iraqsim::sweep {
namespace fs = std::filesystem;
namespace {

using scenario::Origin;
using scenario::Value;
using scenario::ValueType;

// Keys every run of a sweep must share: the time axis, the seeds, what is recorded.
std::string why_fixed(const std::string& key) {
    if (key == "scenario.seed") return "seeds come from the sweep's seed (sweep.seed)";
    if (key == "scenario.replicates") return "replicates are the sweep's (sweep.replicates)";
    if (key == "scenario.start" || key == "scenario.end" || key.starts_with("output.")) {
        return "every run of a sweep shares one time axis and one set of variables (set it in the base or with --set)";
    }
    if (key == "scenario.name") return "the sweep has one name (sweep.name)";
    return {};
}

// The scenario type of a key, where the key resolves: a registry parameter, or an event's field.
std::optional<ValueType> parameter_type(const scenario::Scenario& base, const std::string& key) {
    if (key.starts_with("event.")) {
        const std::size_t dot = key.find('.', 6);
        if (dot == std::string::npos) return std::nullopt;
        const std::string id = key.substr(6, dot - 6), field = key.substr(dot + 1);
        if (field == "date") return ValueType::date;
        if (field == "enabled") return ValueType::boolean;
        if (field == "policy") return ValueType::text;
        const auto event = std::find_if(base.events.begin(), base.events.end(), [&](const auto& e) { return e.id == id; });
        if (event == base.events.end()) return std::nullopt;
        const policy::PolicyDef* def = policy::find_policy(event->policy);
        if (def == nullptr) return std::nullopt;
        for (const policy::PolicyField& f : def->fields) {
            if (f.name == field) return f.type;
        }
        return std::nullopt;
    }
    const std::optional<scenario::ParamRef> ref = scenario::find_param(base, key);
    return ref ? std::optional<ValueType>(ref->def->type) : std::nullopt;
}

double as_number(const Value& v) {
    return std::holds_alternative<double>(v) ? std::get<double>(v) : static_cast<double>(std::get<std::int64_t>(v));
}

// The value at design coordinate u in [0, 1]: a level (u cut into equal bins) or a point of the range.
Value value_at(const Parameter& p, std::optional<ValueType> type, double u) {
    if (!p.levels.empty()) {
        const auto n = p.levels.size();
        return p.levels[std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
    }
    if (std::holds_alternative<core::Date>(*p.min)) {
        const std::int64_t d0 = std::get<core::Date>(*p.min).days_since_unix_epoch();
        const std::int64_t d1 = std::get<core::Date>(*p.max).days_since_unix_epoch();
        const auto offset = static_cast<std::int64_t>(std::floor(u * static_cast<double>(d1 - d0 + 1)));
        return core::Date::from_days_since_unix_epoch(std::min(d1, d0 + offset));
    }
    const double lo = as_number(*p.min), hi = as_number(*p.max);
    const bool log = p.distribution == Distribution::log_uniform;
    if (type == ValueType::integer) {
        const double a = std::ceil(lo), b = std::floor(hi);
        const double x = log ? std::round(std::exp(std::log(a) + u * (std::log(b) - std::log(a))))
                             : std::floor(a + u * (b - a + 1));
        return static_cast<std::int64_t>(std::clamp(x, a, b));
    }
    if (u <= 0) return lo;
    if (u >= 1) return hi;
    const double x = log ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo))) : lo + u * (hi - lo);
    return std::clamp(x, lo, hi);
}

std::string assignment(const std::string& key, const Value& value) { return key + "=" + scenario::to_toml(value); }

// Applies assignments to a copy of the base the way `--set` does, then validates the result.
// Problems found go to `found`; returns the scenario.
scenario::Scenario apply(const scenario::Scenario& base, const std::vector<std::string>& assignments, Diagnostics& found) {
    scenario::Scenario s = base;
    for (const std::string& a : assignments) scenario::apply_set(s, a, found);
    if (found.empty()) scenario::validate(s, policy::policy_catalogue(), found);
    return s;
}

// Re-files problems of an assignment at the sweep file's position that caused them, naming the
// value unless the message does.
void refile(const Diagnostics& found, const Origin& at, const std::string& value, const std::string& context, Diagnostics& d) {
    for (const scenario::Diagnostic& item : found.items()) {
        const bool ours = item.origin.file.starts_with("--set") || item.origin.line <= 0;
        const bool named = item.message.find(value) != std::string::npos;
        d.error(ours ? at : item.origin, item.key, context + (named || value.empty() ? "" : "value " + value + ": ") + item.message);
    }
}

// Why a key names nothing a scenario has (with the nearest that it does), or "".
std::string unknown_key(const scenario::Scenario& base, const std::string& key) {
    if (key.starts_with("event.")) {
        const std::size_t dot = key.find('.', 6);
        if (dot == std::string::npos) return "expected event.<id>.<field>";
        const std::string id = key.substr(6, dot - 6);
        std::vector<std::string> ids;
        for (const scenario::Event& e : base.events) ids.push_back(e.id);
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) return {};
        const std::string guess = scenario::nearest(id, ids);
        return "no event with id '" + id + "'" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)");
    }
    if (scenario::find_param(base, key)) return {};
    const std::string guess = scenario::nearest(key, scenario::all_paths(base));
    return "unknown key" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)");
}

// Diagnostics of the sweep file itself, as one error.
void throw_sweep_errors(const Diagnostics& d) {
    if (d.empty()) return;
    std::string message = d.format();
    if (!message.empty() && message.back() == '\n') message.pop_back();
    throw core::ScenarioError(std::to_string(d.count()) + " error(s) in the sweep:\n" + message);
}

// The text without its comment lines (which name where it was read from).
std::string without_comments(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        end = end == std::string::npos ? text.size() : end + 1;
        if (text[start] != '#') out.append(text, start, end - start);
        start = end;
    }
    return out;
}

std::string fnv1a_hex(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    char buffer[20];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
    return buffer;
}

void check_parameters(Plan& plan, Diagnostics& d) {
    const SweepSpec& spec = plan.spec;
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
        const Parameter& p = spec.parameters[i];
        const std::string path = "parameter[" + std::to_string(i + 1) + "]";
        const std::optional<ValueType> type = parameter_type(plan.base, p.key);
        plan.types.push_back(type.value_or(ValueType::real));
        if (const std::string why = why_fixed(p.key); !why.empty()) {
            d.error(p.origin_of("key"), path + ".key", "'" + p.key + "' cannot be swept: " + why);
            continue;
        }
        if (const std::string why = unknown_key(plan.base, p.key); !why.empty()) {
            d.error(p.origin_of("key"), p.key, why);
            continue;
        }
        if (p.has_range() && type) {
            const bool date = std::holds_alternative<core::Date>(*p.min);
            const bool numeric = *type == ValueType::real || *type == ValueType::integer;
            if (date != (*type == ValueType::date) || (!date && !numeric)) {
                d.error(p.origin_of("min"), path + ".min",
                        "'" + p.key + "' takes " + scenario::type_name(*type) + ": give " +
                            (numeric ? "numbers" : *type == ValueType::date ? "dates" : "levels, not min and max"));
                continue;
            }
            if (*type == ValueType::integer && std::ceil(as_number(*p.min)) > std::floor(as_number(*p.max))) {
                d.error(p.origin_of("max"), path + ".max", "no integer lies between min and max");
                continue;
            }
        }
        // Every level, and the extremes of a range, must be a value the key accepts.
        std::vector<std::pair<Value, Origin>> candidates;
        for (const Value& level : p.levels) candidates.emplace_back(level, p.origin_of("levels"));
        if (p.has_range()) {
            candidates.emplace_back(value_at(p, type, 0.0), p.origin_of("min"));
            candidates.emplace_back(value_at(p, type, 1.0), p.origin_of("max"));
        }
        for (const auto& [value, at] : candidates) {
            Diagnostics found;
            apply(plan.base, {assignment(p.key, value)}, found);
            refile(found, at, scenario::to_toml(value), "", d);
            if (!found.empty()) break;  // one bad value says enough about a parameter
        }
    }
}

void expand(Plan& plan) {
    const SweepSpec& spec = plan.spec;
    const std::size_t k = spec.parameters.size();
    switch (spec.design) {
        case Design::grid: {
            std::vector<std::size_t> counts;
            for (const Parameter& p : spec.parameters) counts.push_back(p.levels.size());
            plan.unit = grid_design(counts);
            plan.values.resize(plan.unit.size());
            for (std::size_t i = 0; i < plan.unit.size(); ++i) {
                const std::vector<std::size_t> index = grid_indices(i, counts);
                for (std::size_t j = 0; j < k; ++j) plan.values[i].push_back(spec.parameters[j].levels[index[j]]);
            }
            return;
        }
        case Design::latin_hypercube:
            plan.unit = latin_hypercube(static_cast<std::size_t>(spec.points), k, spec.seed);
            break;
        case Design::sobol: plan.unit = sobol_design(static_cast<std::size_t>(spec.points), k); break;
        case Design::saltelli: plan.unit = saltelli_design(static_cast<std::size_t>(spec.points), k); break;
        case Design::morris:
            plan.unit = morris_design(static_cast<std::size_t>(spec.trajectories), k, spec.morris_levels, spec.seed);
            break;
    }
    plan.values.resize(plan.unit.size());
    for (std::size_t i = 0; i < plan.unit.size(); ++i) {
        for (std::size_t j = 0; j < k; ++j) {
            plan.values[i].push_back(value_at(spec.parameters[j], plan.types[j], plan.unit[i][j]));
        }
    }
}

void check_points(const Plan& plan, Diagnostics& d) {
    if (plan.point_count() > validate_every_point_up_to) return;
    const Origin at = plan.spec.origins.contains("sweep.design") ? plan.spec.origins.at("sweep.design")
                                                                 : Origin{plan.spec.source, 1, 1};
    for (std::int64_t point = 0; point < plan.point_count() && !d.full(); ++point) {
        Diagnostics found;
        const std::vector<std::string> assignments = point_assignments(plan, point);
        apply(plan.base, assignments, found);
        std::string context = "point " + std::to_string(point) + " (";
        for (std::size_t j = 0; j < assignments.size(); ++j) context += (j ? ", " : "") + assignments[j];
        refile(found, at, "", context + "): ", d);
    }
}

void plan_recording(Plan& plan) {
    const SweepSpec& spec = plan.spec;
    plan.output.every_weeks = spec.every_weeks.value_or(plan.base.output.every_weeks);
    if (spec.variables) {
        for (const std::string& name : *spec.variables) plan.output.variables.push_back(output::find_variable(name));
    } else {
        for (std::string_view name : default_variables) {
            if (const output::VariableDef* v = output::find_variable(name)) plan.output.variables.push_back(v);
        }
    }
    plan.metrics = make_metrics(plan.base.world, plan.base.start, plan.base.week_count());
    // Totals and peaks need every week of a flow; the kept series are then every N-th record.
    plan.simulated.every_weeks = plan.metrics.flows.empty() ? plan.output.every_weeks : 1;
    auto index_of = [&](const output::VariableDef* v) {
        const auto it = std::find(plan.simulated.variables.begin(), plan.simulated.variables.end(), v);
        if (it != plan.simulated.variables.end()) return static_cast<std::size_t>(it - plan.simulated.variables.begin());
        plan.simulated.variables.push_back(v);
        return plan.simulated.variables.size() - 1;
    };
    for (const output::VariableDef* v : plan.output.variables) plan.output_in_simulated.push_back(index_of(v));
    for (const output::VariableDef* v : plan.metrics.flows) plan.flows_in_simulated.push_back(index_of(v));
    plan.week_count = plan.base.week_count();
    const double start = static_cast<double>(core::days_since_origin(plan.base.start));
    for (int week = 0; week < plan.week_count; ++week) {
        if (plan.output.records(week)) plan.time_days.push_back(start + 7.0 * week);
    }
}

}  // namespace

std::uint64_t Plan::seed_of(std::int64_t point) const {
    return spec.common_random_numbers ? spec.seed : point_seed(spec.seed, static_cast<std::uint64_t>(point));
}

Plan make_plan(SweepSpec spec) {
    Diagnostics d;
    if (spec.base && !fs::is_regular_file(*spec.base)) {
        const auto it = spec.origins.find("sweep.base");
        d.error(it != spec.origins.end() ? it->second : Origin{spec.source, 1, 1}, "sweep.base",
                "cannot read the base scenario " + spec.base->string() + ": no such file");
        throw_sweep_errors(d);
    }
    Plan plan;
    plan.base = scenario::load_scenario(spec.base, spec.sets);
    plan.spec = std::move(spec);
    check_parameters(plan, d);
    throw_sweep_errors(d);
    expand(plan);
    check_points(plan, d);
    throw_sweep_errors(d);
    plan_recording(plan);
    plan.sweep_toml = to_sweep_toml(plan.spec, "base.toml");
    plan.base_toml = plan.base.text;
    plan.fingerprint = sweep_fingerprint(plan.sweep_toml, plan.base_toml);
    return plan;
}

Plan load_plan(const fs::path& sweep_file, const std::vector<std::string>& sets) {
    Diagnostics d;
    SweepSpec spec = read_sweep_spec(sweep_file, d);
    throw_sweep_errors(d);
    spec.sets.insert(spec.sets.end(), sets.begin(), sets.end());
    return make_plan(std::move(spec));
}

std::string sweep_fingerprint(const std::string& sweep_toml, const std::string& base_toml) {
    return fnv1a_hex(without_comments(sweep_toml) + '\0' + without_comments(base_toml));
}

std::vector<std::string> point_assignments(const Plan& plan, std::int64_t point) {
    std::vector<std::string> out;
    const auto& values = plan.values[static_cast<std::size_t>(point)];
    for (std::size_t j = 0; j < values.size(); ++j) out.push_back(assignment(plan.spec.parameters[j].key, values[j]));
    return out;
}

scenario::Scenario point_scenario(const Plan& plan, std::int64_t point) {
    Diagnostics found;
    scenario::Scenario s = apply(plan.base, point_assignments(plan, point), found);
    if (!found.empty()) {
        throw core::ScenarioError("sweep point " + std::to_string(point) + " is not a valid scenario:\n" + found.format());
    }
    return s;
}

}  // namespace iraqsim::sweep
