#include "iraqsim/agents/epstein_scenario.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/toml_reader.hpp"

namespace iraqsim::agents {
namespace {

using scenario::Diagnostics;
using scenario::Origin;

// Bounds that keep every id and count in the compact types of agents/epstein.hpp.
constexpr std::int64_t max_side = 2000;            // cells per side; cell ids fit 32 bits
constexpr std::int64_t max_steps = 1'000'000;
constexpr std::int64_t max_seeds = 100'000;
constexpr std::int64_t max_seed = 2'000'000'000;  // seed + seeds stays a 32-bit coordinate in the output
constexpr std::int64_t max_jail_term = 65'535;     // the jail counter is 16 bits
constexpr double max_arrest_constant = 100.0;      // P is 1 to double precision long before

const std::vector<std::string> validation_keys{"name",           "model",       "seed",         "seeds", "steps",
                                               "from_step",      "outburst_level", "quiet_level", "tipping_level"};
const std::vector<std::string> param_keys{"width",         "height",          "citizen_density", "cop_density",
                                          "citizen_vision", "cop_vision",     "legitimacy",      "max_jail_term",
                                          "threshold",     "arrest_constant", "arrest_rule",     "movement",
                                          "blue_share"};
const std::vector<std::string> top_keys{"validation", "epstein", "arm"};
constexpr std::size_t max_file_bytes = 1u << 20;
constexpr std::initializer_list<ArrestRule> arrest_rules{ArrestRule::literal, ArrestRule::rounded, ArrestRule::floored};
constexpr std::initializer_list<EpsteinModel> models{EpsteinModel::civil_violence, EpsteinModel::ethnic_violence};

std::string number_text(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

// The shared strict reader, with errors placed at the value (a schedule's bad pair, not its key).
class Reader {
public:
    Reader(std::string file, Diagnostics& d) : read_(std::move(file), d) {}

    scenario::TomlReader& toml() { return read_; }
    void error(const toml::node& node, const std::string& key, const std::string& message) {
        read_.error(read_.origin(node), key, message);
    }
    std::optional<std::int64_t> integer(const toml::node& node, const std::string& key, std::int64_t lo, std::int64_t hi) {
        return read_.integer(node, read_.origin(node), key, lo, hi);
    }
    std::optional<double> real(const toml::node& node, const std::string& key, double lo, double hi) {
        return read_.real(node, read_.origin(node), key, lo, hi);
    }
    std::optional<std::string> text(const toml::node& node, const std::string& key) { return read_.text(node, read_.origin(node), key); }

    // A number, or an array of [step, value] pairs with steps strictly increasing.
    std::optional<Schedule> schedule(const toml::node& node, const std::string& key, double lo, double hi,
                                     std::int64_t last_step) {
        if (!node.is_array()) {
            const auto v = real(node, key, lo, hi);
            if (!v) return std::nullopt;
            return Schedule::constant(*v);
        }
        const toml::array& points = *node.as_array();
        Schedule out;
        bool ok = !points.empty();
        if (points.empty()) error(node, key, "expected a number or a non-empty array of [step, value] pairs");
        for (const toml::node& item : points) {
            const toml::array* pair = item.as_array();
            if (pair == nullptr || pair->size() != 2) {
                error(item, key, "expected a [step, value] pair");
                ok = false;
                continue;
            }
            const auto step = integer(*pair->get(0), key, 0, last_step);
            const auto value = real(*pair->get(1), key, lo, hi);
            if (!step || !value) {
                ok = false;
                continue;
            }
            if (!out.points.empty() && *step <= out.points.back().first) {
                error(item, key, "steps must increase strictly (step " + std::to_string(*step) + " after step " +
                                     std::to_string(out.points.back().first) + ")");
                ok = false;
                continue;
            }
            out.points.emplace_back(static_cast<std::int32_t>(*step), *value);
        }
        if (!ok) return std::nullopt;
        return out;
    }

    // Applies one [epstein] or [[arm]] key; the parameters that need the arm whole are checked later.
    void param(EpsteinParams& p, const std::string& key, const toml::node& node, const std::string& path,
               std::int64_t steps) {
        const std::string where = path + "." + key;
        if (key == "width" || key == "height") {
            if (const auto v = integer(node, where, 3, max_side)) (key == "width" ? p.width : p.height) = static_cast<std::int32_t>(*v);
        } else if (key == "citizen_density") {
            if (const auto v = real(node, where, 0.0, 1.0)) p.citizen_density = *v;
        } else if (key == "cop_density") {
            if (auto v = schedule(node, where, 0.0, 1.0, steps)) {
                for (std::size_t i = 1; i < v->points.size(); ++i) {
                    if (v->points[i].second > v->points[i - 1].second) {
                        error(node, where, "cops can only be withdrawn: the density must not rise");
                        return;
                    }
                }
                p.cop_density = std::move(*v);
            }
        } else if (key == "citizen_vision" || key == "cop_vision") {
            if (const auto v = integer(node, where, 1, (max_side - 1) / 2)) {
                (key == "citizen_vision" ? p.citizen_vision : p.cop_vision) = static_cast<std::int32_t>(*v);
            }
        } else if (key == "legitimacy") {
            if (auto v = schedule(node, where, 0.0, 1.0, steps)) p.legitimacy = std::move(*v);
        } else if (key == "max_jail_term") {
            if (const auto v = integer(node, where, 0, max_jail_term)) p.max_jail_term = static_cast<std::int32_t>(*v);
        } else if (key == "threshold") {
            if (const auto v = real(node, where, 0.0, 1.0)) p.threshold = *v;
        } else if (key == "arrest_constant") {
            if (const auto v = real(node, where, 0.0, max_arrest_constant)) p.arrest_constant = *v;
        } else if (key == "arrest_rule") {
            if (const auto v = read_.one_of(node, read_.origin(node), where, arrest_rules, arrest_rule_name)) p.arrest_rule = *v;
        } else if (key == "movement") {
            if (const auto v = read_.boolean(node, read_.origin(node), where)) p.movement = *v;
        } else if (key == "blue_share") {
            if (const auto v = real(node, where, 0.0, 1.0)) p.blue_share = *v;
        }
    }

    void params_table(EpsteinParams& p, const toml::table& table, const std::string& path, std::int64_t steps,
                      const std::vector<std::string>& also_allowed = {}) {
        std::vector<std::string> known = param_keys;
        known.insert(known.end(), also_allowed.begin(), also_allowed.end());
        read_.each_key(table, path + ".", known, [&](const std::string& key, const toml::node& node, const Origin&, const std::string&) {
            if (std::find(also_allowed.begin(), also_allowed.end(), key) == also_allowed.end()) param(p, key, node, path, steps);
        });
    }

    // What needs the arm whole: the densities together, and vision against the torus.
    void check_arm(const EpsteinParams& p, const toml::node& where, const std::string& path) {
        const std::int32_t vision = std::max(p.citizen_vision, p.cop_vision);
        if (2 * vision + 1 > std::min(p.width, p.height)) {
            error(where, path, "vision " + std::to_string(vision) + " sees round the " + std::to_string(p.width) + " x " +
                                   std::to_string(p.height) + " torus: need 2 x vision + 1 <= width and height");
        }
        if (p.citizen_density + p.cop_density.at(0) > 1.0) {
            error(where, path, "citizen_density + cop_density at step 0 is " +
                                   number_text(p.citizen_density + p.cop_density.at(0)) + ": more agents than cells");
        }
    }

private:
    scenario::TomlReader read_;
};

}  // namespace

std::string_view arrest_rule_name(ArrestRule rule) {
    switch (rule) {
        case ArrestRule::literal: return "literal";
        case ArrestRule::rounded: return "rounded";
        case ArrestRule::floored: return "floored";
    }
    return "?";
}

std::string_view model_name(EpsteinModel model) {
    return model == EpsteinModel::ethnic_violence ? "ethnic_violence" : "civil_violence";
}

EpsteinValidation parse_epstein_validation(std::string_view text, const std::string& file) {
    Diagnostics d;
    Reader read(file, d);
    scenario::TomlReader& toml_read = read.toml();
    const std::optional<toml::table> parsed = toml_read.parse(text);
    d.throw_if_any();
    const toml::table& root = *parsed;
    EpsteinValidation v;
    v.source = file;
    v.text = std::string(text);
    EpsteinParams base;

    toml_read.each_key(root, "", top_keys, [](const std::string&, const toml::node&, const Origin&, const std::string&) {});
    const toml::table* validation = root["validation"].as_table();
    if (validation == nullptr) {
        d.error({file, 1, 1}, "validation", "missing table [validation] (name, model, seed, seeds, steps)");
        d.throw_if_any();
    }
    // steps first: schedules are checked against it.
    std::int64_t steps = base.steps;
    if (const toml::node* n = validation->get("steps")) {
        if (const auto s = read.integer(*n, "validation.steps", 1, max_steps)) steps = *s;
    }
    base.steps = static_cast<std::int32_t>(steps);
    toml_read.each_key(*validation, "validation.", validation_keys,
                       [&](const std::string& key, const toml::node& node, const Origin&, const std::string& where) {
        if (key == "name") {
            if (const auto s = toml_read.file_name(node, toml_read.origin(node), where, 64)) v.name = *s;
        } else if (key == "model") {
            if (const auto m = toml_read.one_of(node, toml_read.origin(node), where, models, model_name)) base.model = *m;
        } else if (key == "seed") {
            if (const auto s = read.integer(node, where, 0, max_seed)) v.seed = static_cast<std::uint64_t>(*s);
        } else if (key == "seeds") {
            if (const auto s = read.integer(node, where, 1, max_seeds)) v.seeds = static_cast<std::int32_t>(*s);
        } else if (key == "from_step") {
            if (const auto s = read.integer(node, where, 0, steps)) v.metrics.from_step = static_cast<std::int32_t>(*s);
        } else if (key == "outburst_level") {
            if (const auto s = read.real(node, where, 0.0, 1.0)) v.metrics.outburst_level = *s;
        } else if (key == "quiet_level") {
            if (const auto s = read.real(node, where, 0.0, 1.0)) v.metrics.quiet_level = *s;
        } else if (key == "tipping_level") {
            if (const auto s = read.real(node, where, 0.0, 1.0)) v.metrics.tipping_level = *s;
        }
    });
    if (v.name.empty() && !validation->contains("name")) read.error(*validation, "validation.name", "missing");
    if (v.metrics.quiet_level >= v.metrics.outburst_level) {
        read.error(*validation, "validation.quiet_level", "must be below outburst_level (an outburst must be able to end)");
    }

    const toml::node* params_node = root.get("epstein");
    if (params_node != nullptr) {
        if (const toml::table* t = toml_read.table(*params_node, toml_read.origin(*params_node), "epstein")) {
            read.params_table(base, *t, "epstein", steps);
        }
    }
    const toml::node* arms_node = root.get("arm");
    if (arms_node == nullptr) {
        if (params_node != nullptr) read.check_arm(base, *params_node, "epstein");
        v.arms.push_back({"base", base});
        d.throw_if_any();
        return v;
    }
    std::set<std::string> names;
    toml_read.each_table(*arms_node, toml_read.origin(*arms_node), "arm", [&](const toml::table& t, const Origin&, const std::string& path) {
        EpsteinArm arm{"", base};
        if (const toml::node* n = t.get("name")) {
            if (const auto s = read.text(*n, path + ".name")) {
                if (s->empty() || s->size() > 64) {
                    read.error(*n, path + ".name", "an arm's name is 1 to 64 characters");
                } else if (!names.insert(*s).second) {
                    read.error(*n, path + ".name", "a second arm named '" + *s + "'");
                }
                arm.name = *s;
            }
        } else {
            read.error(t, path + ".name", "missing: every arm has a name");
        }
        read.params_table(arm.params, t, path, steps, {"name"});
        read.check_arm(arm.params, t, path);
        v.arms.push_back(std::move(arm));
    });
    if (const toml::array* arms = arms_node->as_array(); arms != nullptr && arms->empty()) {
        read.error(*arms_node, "arm", "expected at least one [[arm]]");
    }
    d.throw_if_any();
    return v;
}

EpsteinValidation load_epstein_validation(const std::filesystem::path& path) {
    return parse_epstein_validation(scenario::read_toml_file(path, "validation scenario", max_file_bytes), path.string());
}

}  // namespace iraqsim::agents
