#include "iraqsim/sweep/sweep_spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "iraqsim/core/error.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/toml_reader.hpp"

namespace iraqsim::sweep {
namespace fs = std::filesystem;
namespace {

using scenario::Origin;
using scenario::Value;

constexpr std::int64_t max_replicates = 1'000'000;  // as scenario.replicates
constexpr int max_every_weeks = 520;                // as output.every_weeks
constexpr int max_morris_levels = 100;

const std::vector<std::string> sweep_keys{"name",         "base",          "set",        "replicates",
                                          "seed",         "design",        "points",     "trajectories",
                                          "morris_levels", "variables",    "every_weeks", "common_random_numbers"};
const std::vector<std::string> parameter_keys{"key", "levels", "min", "max", "distribution"};
constexpr std::initializer_list<Design> designs{Design::grid, Design::latin_hypercube, Design::sobol, Design::morris,
                                                Design::saltelli};
constexpr std::initializer_list<Distribution> distributions{Distribution::uniform, Distribution::log_uniform};

// A scalar TOML value as the scenario registry sees it; nullopt for tables, arrays, times.
std::optional<Value> scalar(const toml::node& node) {
    if (auto v = node.as_boolean()) return Value{v->get()};
    if (auto v = node.as_integer()) return Value{v->get()};
    if (auto v = node.as_floating_point()) return Value{v->get()};
    if (auto v = node.as_string()) return Value{v->get()};
    if (auto v = node.as_date()) return Value{core::Date{v->get().year, v->get().month, v->get().day}};
    return std::nullopt;
}

bool is_number(const Value& v) { return std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v); }

double number(const Value& v) {
    return std::holds_alternative<double>(v) ? std::get<double>(v) : static_cast<double>(std::get<std::int64_t>(v));
}

class Parser {
public:
    Parser(std::string file, Diagnostics& diagnostics) : file_(std::move(file)), read_(file_, diagnostics) {}

    SweepSpec parse(const std::string& text) {
        spec_.source = file_;
        spec_.name = fs::path(file_).stem().string();
        const std::optional<toml::table> root = read_.parse(text);
        if (!root) return spec_;
        read_.each_key(*root, "", {"sweep", "parameter"}, [&](const std::string& k, const toml::node& node, const Origin& at, const std::string&) {
            if (k == "sweep") {
                if (const toml::table* t = read_.table(node, at, "sweep")) read_sweep_table(*t);
            } else {
                read_parameters(node, at);
            }
        });
        if (root->get("sweep") == nullptr) read_.error({file_, 1, 1}, "sweep", "a sweep file needs a [sweep] table");
        if (spec_.parameters.empty() && root->get("parameter") == nullptr) {
            read_.error({file_, 1, 1}, "parameter", "a sweep needs at least one [[parameter]] table");
        }
        check_design();
        return spec_;
    }

private:
    void read_sweep_table(const toml::table& table) {
        read_.each_key(table, "sweep.", sweep_keys, [&](const std::string& k, const toml::node& value, const Origin& at, const std::string& path) {
            spec_.origins[path] = at;
            if (k == "name") {
                if (auto s = read_.file_name(value, at, path)) spec_.name = *s;
            } else if (k == "base") {
                if (auto base = read_.path_beside(value, at, path)) spec_.base = *base;
            } else if (k == "set") {
                if (auto list = read_.texts(value, at, path)) spec_.sets = *list;
            } else if (k == "replicates") {
                if (auto n = read_.integer(value, at, path, 1, max_replicates)) spec_.replicates = *n;
            } else if (k == "seed") {
                if (auto n = read_.integer(value, at, path, 0, std::numeric_limits<std::int64_t>::max())) {
                    spec_.seed = static_cast<std::uint64_t>(*n);
                }
            } else if (k == "design") {
                if (auto d = read_.one_of(value, at, path, designs, design_name)) spec_.design = *d;
            } else if (k == "points") {
                if (auto n = read_.integer(value, at, path, 1, max_points)) spec_.points = *n;
            } else if (k == "trajectories") {
                if (auto n = read_.integer(value, at, path, 1, max_points)) spec_.trajectories = *n;
            } else if (k == "morris_levels") {
                if (auto n = read_.integer(value, at, path, 2, max_morris_levels)) {
                    if (*n % 2 != 0) read_.error(at, path, "must be even (so that a step of p/(2(p-1)) stays on the grid)");
                    spec_.morris_levels = static_cast<int>(*n);
                }
            } else if (k == "variables") {
                read_variables(value, at, path);
            } else if (k == "every_weeks") {
                if (auto n = read_.integer(value, at, path, 1, max_every_weeks)) spec_.every_weeks = static_cast<int>(*n);
            } else if (k == "common_random_numbers") {
                if (auto b = read_.boolean(value, at, path)) spec_.common_random_numbers = *b;
            }
        });
    }

    void read_variables(const toml::node& node, const Origin& at, const std::string& path) {
        const auto names = read_.texts(node, at, path);
        if (!names) return;
        std::vector<std::string> known;
        for (const output::VariableDef& v : output::variable_catalogue()) known.emplace_back(v.name);
        std::set<std::string> seen;
        for (const std::string& name : *names) {
            if (output::find_variable(name) == nullptr) {
                std::string message = "unknown variable '" + name + "'";
                if (const std::string guess = scenario::nearest(name, known); !guess.empty()) {
                    message += " (did you mean '" + guess + "'?)";
                }
                read_.error(at, path, message);
            } else if (!seen.insert(name).second) {
                read_.error(at, path, "variable '" + name + "' is listed twice");
            }
        }
        spec_.variables = *names;
    }

    void read_parameters(const toml::node& node, const Origin& where) {
        std::set<std::string> keys;
        read_.each_table(node, where, "parameter", [&](const toml::table& table, const Origin& at, const std::string& path) {
            Parameter p = read_parameter(table, at, path);
            if (!p.key.empty() && !keys.insert(p.key).second) {
                read_.error(p.origin_of("key"), path + ".key", "'" + p.key + "' is swept twice");
            }
            spec_.parameters.push_back(std::move(p));
        });
        if (spec_.parameters.size() > max_parameters) {
            read_.error(where, "parameter", "more than " + std::to_string(max_parameters) + " parameters");
        }
    }

    Parameter read_parameter(const toml::table& table, const Origin& where, const std::string& path) {
        Parameter p;
        p.origin = where;
        read_.each_key(table, path + ".", parameter_keys, [&](const std::string& k, const toml::node& value, const Origin& at, const std::string& field) {
            p.origins[k] = at;
            if (k == "key") {
                if (auto s = read_.text(value, at, field)) p.key = *s;
            } else if (k == "levels") {
                const toml::array* array = value.as_array();
                if (array == nullptr || array->empty()) {
                    read_.error(at, field, "expected a non-empty array of values");
                    return;
                }
                for (const toml::node& level : *array) {
                    std::optional<Value> v = scalar(level);
                    if (!v || !finite(*v)) {
                        read_.error(read_.origin(level), field, "each level must be a number, a date, a string or a boolean");
                        continue;
                    }
                    p.levels.push_back(*v);
                }
            } else if (k == "min" || k == "max") {
                std::optional<Value> v = scalar(value);
                if (!v || !(is_number(*v) || std::holds_alternative<core::Date>(*v)) || !finite(*v)) {
                    read_.error(at, field, "expected a finite number or a date");
                    return;
                }
                (k == "min" ? p.min : p.max) = *v;
            } else if (k == "distribution") {
                if (auto d = read_.one_of(value, at, field, distributions, distribution_name)) p.distribution = *d;
            }
        });
        if (!table.contains("key")) read_.error(where, path + ".key", "every [[parameter]] needs a key (a scenario key path)");
        check_range(p, path);
        return p;
    }

    static bool finite(const Value& v) { return !std::holds_alternative<double>(v) || std::isfinite(std::get<double>(v)); }

    void check_range(const Parameter& p, const std::string& path) {
        if (p.min.has_value() != p.max.has_value()) {
            const char* given = p.min ? "min" : "max";
            read_.error(p.origin_of(given), path, "give both min and max");
            return;
        }
        if (!p.min) return;
        const bool numbers = is_number(*p.min) && is_number(*p.max);
        const bool dates = std::holds_alternative<core::Date>(*p.min) && std::holds_alternative<core::Date>(*p.max);
        if (!numbers && !dates) {
            read_.error(p.origin_of("max"), path + ".max", "min and max must both be numbers or both dates");
            return;
        }
        if (numbers ? !(number(*p.min) < number(*p.max)) : !(std::get<core::Date>(*p.min) < std::get<core::Date>(*p.max))) {
            read_.error(p.origin_of("max"), path + ".max",
                     "max (" + scenario::to_toml(*p.max) + ") must be greater than min (" + scenario::to_toml(*p.min) + ")");
        }
        if (p.distribution == Distribution::log_uniform && (!numbers || number(*p.min) <= 0)) {
            read_.error(p.origin_of("distribution"), path + ".distribution", "log_uniform needs numbers with min > 0");
        }
    }

    // What each design needs of the [sweep] table and of every parameter.
    void check_design() {
        const std::string design(design_name(spec_.design));
        const Origin design_at = origin("sweep.design");
        const bool sampled = spec_.design == Design::latin_hypercube || spec_.design == Design::sobol ||
                             spec_.design == Design::saltelli;
        if (sampled && spec_.points == 0) read_.error(design_at, "sweep.points", "a " + design + " design needs points");
        if (!sampled && spec_.points != 0) {
            read_.error(origin("sweep.points"), "sweep.points", "points is for latin_hypercube, sobol and saltelli designs, not " + design);
        }
        if (spec_.design == Design::morris && spec_.trajectories == 0) {
            read_.error(design_at, "sweep.trajectories", "a morris design needs trajectories");
        }
        if (spec_.design != Design::morris) {
            for (const char* key : {"sweep.trajectories", "sweep.morris_levels"}) {
                if (spec_.origins.contains(key)) read_.error(origin(key), key, "is for the morris design, not " + design);
            }
        }
        std::int64_t grid_points = 1;
        for (std::size_t i = 0; i < spec_.parameters.size(); ++i) {
            const Parameter& p = spec_.parameters[i];
            const std::string path = "parameter[" + std::to_string(i + 1) + "]";
            if (spec_.design == Design::grid) {
                if (p.levels.empty()) read_.error(p.origin, path + ".levels", "a grid design needs levels for every parameter");
                for (const char* field : {"min", "max", "distribution"}) {
                    if (p.origins.contains(field)) {
                        read_.error(p.origin_of(field), path + "." + field, "a grid design takes levels, not min/max");
                    }
                }
                grid_points = std::min(max_points + 1, grid_points * static_cast<std::int64_t>(std::max<std::size_t>(1, p.levels.size())));
            } else if (p.levels.empty() == !p.has_range()) {
                read_.error(p.origin, path, "give either min and max or levels (discrete choices)");
            } else if (!p.levels.empty() && p.origins.contains("distribution")) {
                read_.error(p.origin_of("distribution"), path + ".distribution", "a distribution goes with min and max, not levels");
            }
        }
        const auto k = static_cast<std::int64_t>(spec_.parameters.size());
        const std::int64_t points = spec_.design == Design::grid     ? grid_points
                                    : spec_.design == Design::morris   ? spec_.trajectories * (k + 1)
                                    : spec_.design == Design::saltelli ? std::min(max_points + 1, spec_.points * (k + 2))
                                                                       : spec_.points;
        if (points > max_points) {
            read_.error(design_at, "sweep.design", "the design has more than " + std::to_string(max_points) + " points");
        } else if (points * spec_.replicates > max_runs) {
            read_.error(origin("sweep.replicates"), "sweep.replicates",
                     "points x replicates is more than " + std::to_string(max_runs) + " runs");
        }
    }

    Origin origin(const std::string& key) const {
        const auto it = spec_.origins.find(key);
        return it != spec_.origins.end() ? it->second : Origin{file_, 1, 1};
    }

    std::string file_;
    scenario::TomlReader read_;
    SweepSpec spec_;
};

}  // namespace

std::string_view design_name(Design design) {
    switch (design) {
        case Design::grid: return "grid";
        case Design::latin_hypercube: return "latin_hypercube";
        case Design::sobol: return "sobol";
        case Design::morris: return "morris";
        case Design::saltelli: return "saltelli";
    }
    return "?";
}

std::string_view distribution_name(Distribution distribution) {
    return distribution == Distribution::log_uniform ? "log_uniform" : "uniform";
}

scenario::Origin Parameter::origin_of(const std::string& field) const {
    const auto it = origins.find(field);
    return it != origins.end() ? it->second : origin;
}

SweepSpec parse_sweep_spec(const std::string& text, const std::string& name, Diagnostics& diagnostics) {
    return Parser(name, diagnostics).parse(text);
}

SweepSpec read_sweep_spec(const fs::path& file, Diagnostics& diagnostics) {
    return parse_sweep_spec(scenario::read_toml_file(file, "sweep", max_sweep_file_bytes), file.string(), diagnostics);
}

std::string to_sweep_toml(const SweepSpec& spec, const std::string& base_name) {
    using scenario::to_toml;
    std::ostringstream out;
    out << "# Sweep '" << spec.name << "' as resolved from " << spec.source << " (docs/sweeps.md).\n"
        << "[sweep]\n"
        << "name = " << to_toml(Value{spec.name}) << "\n"
        << "base = " << to_toml(Value{base_name}) << "\n"
        << "replicates = " << spec.replicates << "\n"
        << "seed = " << spec.seed << "\n"
        << "design = " << to_toml(Value{std::string(design_name(spec.design))}) << "\n";
    if (spec.points > 0) out << "points = " << spec.points << "\n";
    if (spec.design == Design::morris) {
        out << "trajectories = " << spec.trajectories << "\nmorris_levels = " << spec.morris_levels << "\n";
    }
    if (spec.variables) out << "variables = " << to_toml(Value{*spec.variables}) << "\n";
    if (spec.every_weeks) out << "every_weeks = " << *spec.every_weeks << "\n";
    if (spec.common_random_numbers) out << "common_random_numbers = true\n";
    for (const Parameter& p : spec.parameters) {
        out << "\n[[parameter]]\nkey = " << to_toml(Value{p.key}) << "\n";
        if (!p.levels.empty()) {
            out << "levels = [";
            for (std::size_t i = 0; i < p.levels.size(); ++i) out << (i ? ", " : "") << to_toml(p.levels[i]);
            out << "]\n";
        }
        if (p.min) {
            out << "min = " << to_toml(*p.min) << "\nmax = " << to_toml(*p.max) << "\n"
                << "distribution = " << to_toml(Value{std::string(distribution_name(p.distribution))}) << "\n";
        }
    }
    return out.str();
}

}  // namespace iraqsim::sweep
