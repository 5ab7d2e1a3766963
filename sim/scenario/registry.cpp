#include "iraqsim/scenario/registry.hpp"

#include <cmath>
#include <sstream>

#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/diagnostics.hpp"

namespace iraqsim::scenario {
namespace {

constexpr double max_int64_as_double = 9223372036854775807.0;  // rounds to 2^63

template <class T>
const T& as(const Value& v) {
    return std::get<T>(v);
}

std::string check_scenario_name(const Value& v) {
    const std::string& name = as<std::string>(v);
    if (name.empty() || name.size() > 100) return "must be 1 to 100 characters";
    for (const char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
            return "may hold only letters, digits, '_', '-' and '.' (it names the output file)";
        }
    }
    return {};
}

std::string check_variables(const Value& v) {
    std::vector<std::string> known;
    for (const output::VariableDef& def : output::variable_catalogue()) known.emplace_back(def.name);
    for (const std::string& name : as<std::vector<std::string>>(v)) {
        if (output::find_variable(name) != nullptr) continue;
        std::string message = "unknown variable '" + name + "'";
        if (const std::string guess = nearest(name, known); !guess.empty()) message += " (did you mean '" + guess + "'?)";
        return message;
    }
    return {};
}

struct Builder {
    std::vector<ParamDef> defs;

    ParamDef& add(std::string path, ValueType type, std::string unit, double min, double max, std::string help,
                  std::string source, std::function<void(Scenario&, std::size_t, const Value&)> set,
                  std::function<Value(const Scenario&, std::size_t)> get) {
        defs.push_back({std::move(path), type, std::move(unit), min, max, std::move(help), std::move(source),
                        std::move(set), std::move(get)});
        return defs.back();
    }
};

// A scalar real parameter stored in one field of the scenario.
using RealField = double& (*)(Scenario&);

void add_real(Builder& b, std::string path, std::string unit, double min, double max, std::string help,
              std::string source, RealField field) {
    b.add(std::move(path), ValueType::real, std::move(unit), min, max, std::move(help), std::move(source),
          [field](Scenario& s, std::size_t, const Value& v) { field(s) = as<double>(v); },
          // The getter only reads: the field accessor is shared with the setter.
          [field](const Scenario& s, std::size_t) { return Value{field(const_cast<Scenario&>(s))}; });
}

std::vector<ParamDef> build_registry() {
    using T = ValueType;
    constexpr double inf = std::numeric_limits<double>::infinity();
    Builder b;
    b.add("scenario.name", T::text, "", -inf, inf,
          "Name of the scenario: in the output's provenance, and the default output file <name>.h5.", "",
          [](Scenario& s, std::size_t, const Value& v) { s.name = as<std::string>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.name}; });
    b.add("scenario.start", T::date, "date", -inf, inf,
          "First simulated week (week 0 holds the initial state).",
          "2003-05-01: the occupation begins (\"Mission Accomplished\" speech)",
          [](Scenario& s, std::size_t, const Value& v) { s.start = as<core::Date>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.start}; });
    b.add("scenario.end", T::date, "date", -inf, inf, "Last date whose week is simulated.",
          "2011-12-31: the last US troops left Iraq on 2011-12-18",
          [](Scenario& s, std::size_t, const Value& v) { s.end = as<core::Date>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.end}; });
    b.add("scenario.seed", T::integer, "", 0, max_int64_as_double,
          "Master seed: with the replicate index it keys every random stream.", "",
          [](Scenario& s, std::size_t, const Value& v) { s.seed = static_cast<std::uint64_t>(as<std::int64_t>(v)); },
          [](const Scenario& s, std::size_t) { return Value{static_cast<std::int64_t>(s.seed)}; });
    b.add("scenario.replicates", T::integer, "", 1, 1e6, "Number of replicates (independent random streams).", "",
          [](Scenario& s, std::size_t, const Value& v) { s.replicates = as<std::int64_t>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.replicates}; });
    b.add("output.variables", T::text_list, "", -inf, inf,
          "Variables to record (docs/output.md); empty: every variable.", "",
          [](Scenario& s, std::size_t, const Value& v) { s.output.variables = as<std::vector<std::string>>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.output.variables}; });
    b.add("output.every_weeks", T::integer, "weeks", 1, 520, "Record every N weeks (week 0 always).", "",
          [](Scenario& s, std::size_t, const Value& v) { s.output.every_weeks = static_cast<int>(as<std::int64_t>(v)); },
          [](const Scenario& s, std::size_t) { return Value{static_cast<std::int64_t>(s.output.every_weeks)}; });
    add_real(b, "model.loyalty.diffusion_rate", "1/week", 0, 1,
          "Weekly rate at which a community's loyalty moves toward the border-weighted mean of the same "
          "community in neighbouring governorates.",
          "assumption, to be calibrated; docs/model.md, Loyalty",
          [](Scenario& s) -> double& { return s.params.loyalty.diffusion_rate; });
    add_real(b, "model.loyalty.opinion_noise", "1/sqrt(week)", 0, 1,
          "Standard deviation of the weekly log-normal shock to each loyalty share.",
          "assumption, to be calibrated; docs/model.md, Loyalty",
          [](Scenario& s) -> double& { return s.params.loyalty.opinion_noise; });
    add_real(b, "model.population.growth_per_year", "1/year", 0, 0.1,
          "Natural growth of the population inside Iraq.", "WFP governorate totals 2005-2007 (data/world); docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.growth_per_year; });
    add_real(b, "model.population.displaced_per_death", "persons", 0, 1000,
          "People displaced per violent death in their community and province.",
          "IOM 2008 (1.6 million post-Samarra displaced) against IBC deaths 2006-2007; docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.displaced_per_death; });
    add_real(b, "model.population.refugee_share", "1", 0, 1, "Share of the newly displaced who leave Iraq.",
          "UNHCR 2008: 2.2 million abroad, 2.5 million displaced inside; docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.refugee_share; });
    add_real(b, "model.population.return_rate", "1/week", 0, 1,
          "Weekly share of the displaced inside Iraq who return home.", "IOM returnee counts to 2009; docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.return_rate; });
    static const char* const community[] = {"shia_arab", "sunni_arab", "kurd", "other"};  // the roster's order
    for (std::size_t c = 0; c < std::size(community); ++c) {
        b.add(std::string("model.nationalism.level_") + community[c], T::real, "1", 0, 1,
              std::string("Share of the ") + community[c] + " community hostile to foreign presence.",
              "PIPA poll, January 2006: approval of attacks on US-led forces (Shia 41%, Sunni 88%, Kurds 16%)",
              [c](Scenario& s, std::size_t, const Value& v) { s.params.nationalism.level[c] = as<double>(v); },
              [c](const Scenario& s, std::size_t) { return Value{s.params.nationalism.level[c]}; });
    }
    add_real(b, "model.nationalism.iran_prior", "presence", 0, 10,
          "Standing hostility toward Iran, in units of a typical foreign presence.",
          "assumption: the 1980-88 war; Freeman in the seed article; PIPA Sept 2006 (US 79% negative, Iran 52%)",
          [](Scenario& s) -> double& { return s.params.nationalism.iran_prior; });
    add_real(b, "model.nationalism.us_reference_per_1000", "troops per 1000 residents", 1e-3, 100,
          "US troops per 1,000 residents that count as a typical foreign presence.",
          "about 140,000 troops among 28 million Iraqis, 2004-2006",
          [](Scenario& s) -> double& { return s.params.nationalism.us_reference_per_1000; });
    add_real(b, "model.nationalism.backing_reference_usd_per_1000", "USD per 1000 residents per week", 1e-3, 1e6,
          "Material backing reaching a province through a foreign power's clients that counts as a typical presence.",
          "Iran's budget ($1.5 million a week) over about 29 million Iraqis",
          [](Scenario& s) -> double& { return s.params.nationalism.backing_reference_usd_per_1000; });
    add_real(b, "model.nationalism.focus_rate", "1/week", 0, 1,
          "Weekly rate at which nationalism's focus moves toward the foreign presence seen now.",
          "assumption (half-life about 14 weeks), to be calibrated",
          [](Scenario& s) -> double& { return s.params.nationalism.focus_rate; });
    add_real(b, "model.us_troops.base_posture", "1", 0, 1,
          "Share of US troops dispersed among the population (outposts, joint security stations) when no "
          "policy sets it.",
          "assumption: before 2007 US forces were consolidated on large forward operating bases; docs/policies.md",
          [](Scenario& s) -> double& { return s.params.us_troops.base_posture; });
    b.add("sponsor.*.budget_usd_per_week", T::real, "USD/week", 0, 1e10,
          "What the sponsor spends on Iraqi factions (money, arms, training), split by its ties.",
          "data/derived/factions.md, Sponsors (US: ISFF and CERP; Iran: scaled from Bergner 2007; Saudi private: assumption)",
          [](Scenario& s, std::size_t i, const Value& v) { s.world.sponsors[i].budget_usd_per_week = as<double>(v); },
          [](const Scenario& s, std::size_t i) { return Value{s.world.sponsors[i].budget_usd_per_week}; });
    b.add("province.*.population_2007", T::real, "persons", 0, 1e8,
          "Residents at the start (the WFP 2007 estimate), split by the province's community shares.",
          "data/world/governorate_population_ethnicity.csv (WFP via ESOC)",
          [](Scenario& s, std::size_t p, const Value& v) { s.world.provinces[p].population_2007 = as<double>(v); },
          [](const Scenario& s, std::size_t p) { return Value{s.world.provinces[p].population_2007}; });
    b.add("province.*.us_troop_share", T::real, "1", 0, 1,
          "Share of the national US troop level stationed in the province before the surge; shares are "
          "renormalised to sum to 1 over provinces.",
          "data/derived/us_troop_allocation.csv",
          [](Scenario& s, std::size_t p, const Value& v) { s.world.provinces[p].us_troop_share = as<double>(v); },
          [](const Scenario& s, std::size_t p) { return Value{s.world.provinces[p].us_troop_share}; });
    b.add("faction.*.bloc_weight", T::real, "1", 0, 1,
          "The faction's share of its December 2005 electoral bloc's vote, which sets its initial loyalty.",
          "docs/model.md, Initial loyalty (UIA seat split)",
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].bloc_weight = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].bloc_weight}; });
    const std::string factions_source = "data/derived/factions.csv (sources in factions.md)";
    b.add("faction.*.cohesion", T::real, "1", 0, 1,
          "How far the faction's leadership controls its fighters (1: a disciplined hierarchy, 0: autonomous "
          "gangs). Every value is an assumption graded from qualitative sources.",
          factions_source,
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].cohesion = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].cohesion}; });
    b.add("faction.*.initial_fighters", T::real, "persons", 0, 1e7,
          "National total of the faction's armed men at the start (2003-05-01), placed in the provinces by "
          "its fighters distribution; for the government, the Iraqi Security Forces.",
          factions_source,
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].initial_fighters = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].initial_fighters}; });
    b.add("faction.*.home_revenue_usd_per_week", T::real, "USD/week", 0, 1e10,
          "The faction's own (non-sponsor) income at 2003-2005 levels.", factions_source,
          [](Scenario& s, std::size_t f, const Value& v) {
              s.world.factions[f].home_revenue_usd_per_week = as<double>(v);
          },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].home_revenue_usd_per_week}; });
    b.add("faction.*.foreignness", T::real, "1", 0, 1,
          "How visibly foreign-backed the faction is in Iraqi eyes (0: wholly Iraqi, 1: a foreign proxy). "
          "Every value is an assumption graded from the sources.",
          factions_source,
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].foreignness = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].foreignness}; });
    return std::move(b.defs);
}

std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        parts.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return parts;
}

template <class Entity>
std::vector<std::string> ids_of(const std::vector<Entity>& entities) {
    std::vector<std::string> ids;
    for (const Entity& e : entities) ids.push_back(e.id);
    return ids;
}

}  // namespace

std::vector<std::string> entity_ids(const Scenario& s, EntityKind kind) {
    switch (kind) {
        case EntityKind::province: return ids_of(s.world.provinces);
        case EntityKind::faction: return ids_of(s.world.factions);
        case EntityKind::sponsor: return ids_of(s.world.sponsors);
        case EntityKind::none: break;
    }
    return {};
}

EntityKind ParamDef::entity_kind() const {
    if (path.starts_with("province.*.")) return EntityKind::province;
    if (path.starts_with("faction.*.")) return EntityKind::faction;
    if (path.starts_with("sponsor.*.")) return EntityKind::sponsor;
    return EntityKind::none;
}

const std::vector<ParamDef>& registry() {
    static const std::vector<ParamDef> defs = build_registry();
    return defs;
}

std::optional<ParamRef> find_param(const Scenario& scenario, std::string_view path) {
    const std::vector<std::string> parts = split(path);
    for (const ParamDef& def : registry()) {
        const EntityKind kind = def.entity_kind();
        if (kind == EntityKind::none) {
            if (def.path == path) return ParamRef{&def, 0, def.path};
            continue;
        }
        const std::vector<std::string> pattern = split(def.path);
        if (parts.size() != pattern.size() || parts[0] != pattern[0] || parts[2] != pattern[2]) continue;
        const std::vector<std::string> ids = entity_ids(scenario, kind);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (ids[i] == parts[1]) return ParamRef{&def, i, std::string(path)};
        }
    }
    return std::nullopt;
}

std::vector<std::string> all_paths(const Scenario& scenario) {
    std::vector<std::string> paths;
    for (const ParamDef& def : registry()) {
        const EntityKind kind = def.entity_kind();
        if (kind == EntityKind::none) {
            paths.push_back(def.path);
            continue;
        }
        const std::vector<std::string> pattern = split(def.path);
        for (const std::string& id : entity_ids(scenario, kind)) paths.push_back(pattern[0] + "." + id + "." + pattern[2]);
    }
    return paths;
}

std::string check_value(const ParamDef& def, Value& value, const Scenario&) {
    if (def.type == ValueType::real && std::holds_alternative<std::int64_t>(value)) {
        value = static_cast<double>(std::get<std::int64_t>(value));
    }
    if (def.type == ValueType::real_list && std::holds_alternative<std::vector<std::string>>(value) &&
        std::get<std::vector<std::string>>(value).empty()) {
        value = std::vector<double>{};  // [] parses as an empty list of strings
    }
    const bool type_ok = [&] {
        switch (def.type) {
            case ValueType::boolean: return std::holds_alternative<bool>(value);
            case ValueType::integer: return std::holds_alternative<std::int64_t>(value);
            case ValueType::real: return std::holds_alternative<double>(value);
            case ValueType::text: return std::holds_alternative<std::string>(value);
            case ValueType::date: return std::holds_alternative<core::Date>(value);
            case ValueType::text_list: return std::holds_alternative<std::vector<std::string>>(value);
            case ValueType::real_list: return std::holds_alternative<std::vector<double>>(value);
        }
        return false;
    }();
    if (!type_ok) return std::string("expected ") + type_name(def.type) + ", got " + to_toml(value);
    auto out_of_range = [&](double x) {
        std::ostringstream m;
        m << "value " << to_toml(value) << " is out of range [" << def.min << ", " << def.max << "]";
        if (!def.unit.empty()) m << " " << def.unit;
        return x < def.min || x > def.max ? m.str() : std::string();
    };
    if (def.type == ValueType::real) {
        const double x = std::get<double>(value);
        if (!std::isfinite(x)) return "must be a finite number, got " + to_toml(value);
        return out_of_range(x);
    }
    if (def.type == ValueType::integer) return out_of_range(static_cast<double>(std::get<std::int64_t>(value)));
    if (def.type == ValueType::real_list) {
        for (const double x : std::get<std::vector<double>>(value)) {
            if (!std::isfinite(x)) return "must hold finite numbers, got " + to_toml(value);
            if (const std::string problem = out_of_range(x); !problem.empty()) return problem;
        }
    }
    if (def.path == "scenario.name") return check_scenario_name(value);
    if (def.path == "output.variables") return check_variables(value);
    return {};
}

std::string registry_markdown() {
    const Scenario defaults = default_scenario();
    std::ostringstream out;
    out << "# Scenario keys\n\n"
           "Generated from the parameter registry (`iraqsim config --docs`); a test fails when this file and the\n"
           "registry differ. Regenerate with `build/iraqsim config --docs > docs/scenario.md`.\n\n"
           "A scenario file is TOML. A file that defines no world is an overlay on the embedded Iraq world and\n"
           "its history: it gives only what it changes. Unknown keys are errors. `include = [\"base.toml\"]`\n"
           "(paths relative to the including file) applies other files first; `--set path=value` on the command\n"
           "line applies last. Entity keys take the entity's id in place of `*` (`province.baghdad.population_2007`,\n"
           "`faction.jam.bloc_weight`). Events are `[[event]]` tables with a unique `id` (see below).\n\n"
           "| key | type | unit | range | default | meaning | source |\n|---|---|---|---|---|---|---|\n";
    for (const ParamDef& def : registry()) {
        std::string range;
        if (def.type == ValueType::integer || def.type == ValueType::real) {
            std::ostringstream r;
            r << "[" << def.min << ", " << def.max << "]";
            range = r.str();
        }
        out << "| `" << def.path << "` | " << type_name(def.type) << " | " << def.unit << " | " << range << " | ";
        if (def.entity_kind() == EntityKind::none) {
            out << '`' << to_toml(def.get(defaults, 0)) << '`';
        } else {
            out << "per entity, from data";
        }
        out << " | " << def.help << " | " << def.source << " |\n";
    }
    out << "\n## Events\n\n"
           "Each `[[event]]` table has a unique `id` (snake_case). A table whose id is new adds an event and must\n"
           "give at least `date` (an ISO date, unquoted, within the scenario's period) and `policy`; a table whose\n"
           "id is inherited (from the embedded history or an included file) replaces the fields it gives;\n"
           "`enabled = false` removes an inherited event (on an id that does not exist, it is an error).\n"
           "`--set event.<id>.<field>=value` changes one field of an existing event.\n\n"
           "| field | type | meaning |\n|---|---|---|\n"
           "| `id` | a string | unique snake_case id |\n"
           "| `enabled` | a boolean | false removes the event (default true) |\n"
           "| `date` | a date | first day the policy acts |\n"
           "| `policy` | a string | one of the policies the engine implements (docs/policies.md) |\n"
           "| other fields | per policy | the policy's own parameters |\n";
    return out.str();
}

}  // namespace iraqsim::scenario
