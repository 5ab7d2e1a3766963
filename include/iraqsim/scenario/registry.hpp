// The parameter registry: every scenario key with its type, unit, valid range and help. The loader
// walks TOML against it, `--set` and sweeps address values through it, `iraqsim config` prints the
// resolved scenario from it, and docs/scenario.md is generated from it.
#pragma once

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/scenario/value.hpp"

namespace iraqsim::scenario {

// An entity segment in a path: "province.*.population_2007" takes any province id.
enum class EntityKind { none, province, faction, sponsor };

struct ParamDef {
    std::string path;  // dotted, with "*" for the entity segment
    ValueType type;
    std::string unit;  // "" for text and dimensionless counts
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    std::string help;
    std::string source;  // where the default comes from
    std::function<void(Scenario&, std::size_t entity, const Value&)> set;
    std::function<Value(const Scenario&, std::size_t entity)> get;

    [[nodiscard]] EntityKind entity_kind() const;
};

const std::vector<ParamDef>& registry();

struct ParamRef {
    const ParamDef* def = nullptr;
    std::size_t entity = 0;
    std::string path;  // concrete, e.g. "province.baghdad.population_2007"
};

// Resolves a concrete path against the registry and the scenario's roster.
std::optional<ParamRef> find_param(const Scenario& scenario, std::string_view path);

// The ids an entity segment takes, in roster order (empty for EntityKind::none).
std::vector<std::string> entity_ids(const Scenario& scenario, EntityKind kind);

// Every concrete key path the scenario accepts (for suggestions).
std::vector<std::string> all_paths(const Scenario& scenario);

// Checks type and range; returns an empty string when the value is acceptable, else why not.
// Converts integers to reals where a real is expected.
std::string check_value(const ParamDef& def, Value& value, const Scenario& scenario);

// docs/scenario.md, generated.
std::string registry_markdown();

}  // namespace iraqsim::scenario
