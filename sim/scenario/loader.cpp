#include "iraqsim/scenario/loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "iraqsim/core/error.hpp"
#include "iraqsim/policy/trigger.hpp"
#include "iraqsim/scenario/registry.hpp"

namespace iraqsim::scenario {
namespace fs = std::filesystem;
namespace {

Origin origin_of(const toml::source_region& region, const std::string& file) {
    return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

// Converts a TOML node to a Value; nullopt for types scenarios never use (times, mixed arrays).
std::optional<Value> to_value(const toml::node& node) {
    if (auto v = node.as_boolean()) return Value{v->get()};
    if (auto v = node.as_integer()) return Value{v->get()};
    if (auto v = node.as_floating_point()) return Value{v->get()};
    if (auto v = node.as_string()) return Value{v->get()};
    if (auto v = node.as_date()) {
        const toml::date& d = v->get();
        return Value{core::Date{d.year, d.month, d.day}};
    }
    if (auto a = node.as_array()) {
        if (!a->empty() && (a->front().is_integer() || a->front().is_floating_point())) {
            std::vector<double> numbers;
            for (const toml::node& item : *a) {
                if (auto i = item.as_integer()) {
                    numbers.push_back(static_cast<double>(i->get()));
                } else if (auto f = item.as_floating_point()) {
                    numbers.push_back(f->get());
                } else {
                    return std::nullopt;
                }
            }
            return Value{numbers};
        }
        std::vector<std::string> items;
        for (const toml::node& item : *a) {
            const auto s = item.as_string();
            if (!s) return std::nullopt;
            items.push_back(s->get());
        }
        return Value{items};
    }
    return std::nullopt;
}

std::string describe_node(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date-time";
        default: break;
    }
    std::ostringstream out;
    out << "of type " << node.type();
    return out.str();
}

bool is_snake_case_id(const std::string& id) {
    if (id.empty() || id.size() > 64 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// The 1-based line and column of the first byte that is not valid UTF-8, or {0, 0}. toml++ would
// report it too, but at the last valid character before it.
std::pair<int, int> find_invalid_utf8(std::string_view text) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
        if (length == 0 || i + length > text.size()) return {line, column};
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return {line, column};
        }
        if (b == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += length;
    }
    return {0, 0};
}

// Input that would make the parser recurse too deeply or build a huge table, found by a scan
// outside strings and comments: bracket nesting, dotted-key depth, the number of keys.
struct Excess {
    int line = 0;  // 1-based line of the first offence; 0 when there is none
    std::string what;
};

Excess find_excess(std::string_view text) {
    const std::string too_deep = "nesting deeper than " + std::to_string(max_nesting) +
                                 " levels (tables, arrays or dotted keys); scenarios need a handful";
    int line = 1, dots = 0, keys = 0;
    std::string brackets;  // the open '[' and '{', innermost last
    bool in_comment = false;
    char quote = 0;       // ' or " while inside a string
    bool triple = false;  // inside a multi-line string
    bool after_equals = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            in_comment = false;
            dots = 0;
            after_equals = false;
            if (quote && !triple) quote = 0;  // an unterminated string: the parser will report it
            continue;
        }
        if (in_comment) continue;
        if (quote) {
            if (c == '\\' && quote == '"') {
                ++i;
            } else if (c == quote) {
                if (!triple) {
                    quote = 0;
                } else if (text.substr(i, 3) == std::string(3, quote)) {
                    quote = 0;
                    triple = false;
                    i += 2;
                }
            }
            continue;
        }
        switch (c) {
            case '#': in_comment = true; break;
            case '"':
            case '\'':
                quote = c;
                triple = text.substr(i, 3) == std::string(3, c);
                if (triple) i += 2;
                break;
            case '[':
            case '{':
                brackets.push_back(c);
                if (static_cast<int>(brackets.size()) > max_nesting) return {line, too_deep};
                if (c == '{') after_equals = false;  // keys again inside an inline table
                break;
            case ']':
            case '}':
                if (!brackets.empty()) brackets.pop_back();
                break;
            case '=':
                after_equals = true;
                if (brackets.empty() && ++keys > max_keys) {
                    return {line, "more than " + std::to_string(max_keys) + " keys; scenarios need a few dozen"};
                }
                break;
            case ',':
                // Only inside an inline table does a comma start a new key; in an array it starts a value.
                if (!brackets.empty() && brackets.back() == '{') after_equals = false;
                break;
            case '.':
                if (!after_equals && ++dots > max_nesting) return {line, too_deep};
                break;
            default: break;
        }
    }
    return {};
}

class Loader {
public:
    Loader(Scenario& scenario, Diagnostics& diagnostics)
        : s_(scenario), d_(diagnostics), paths_(all_paths(scenario)) {}

    void apply_file(const fs::path& path, const Origin& included_from, int depth) {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(path, ec);
        const std::string name = path.string();
        if (depth > max_include_depth) {
            d_.error(included_from, "include", "includes nested more than " + std::to_string(max_include_depth) + " deep");
            return;
        }
        if (std::find(stack_.begin(), stack_.end(), canonical) != stack_.end()) {
            std::string cycle;
            for (const fs::path& p : stack_) cycle += p.filename().string() + " -> ";
            d_.error(included_from, "include", "include cycle: " + cycle + path.filename().string());
            return;
        }
        if (++files_loaded_ > max_files) {
            if (files_loaded_ == max_files + 1) {
                d_.error(included_from, "include", "more than " + std::to_string(max_files) + " files included");
            }
            return;
        }
        const std::optional<std::string> text = read(path, included_from);
        if (!text) return;
        stack_.push_back(canonical);
        apply_text(*text, path, depth);
        stack_.pop_back();
    }

    // `path` names the text in messages and anchors its includes.
    void apply_text(const std::string& text, const fs::path& path, int depth) {
        const std::string name = path.string();
        if (const auto [line, column] = find_invalid_utf8(text); line > 0) {
            d_.error({name, line, column}, "", "malformed TOML: not valid UTF-8 (scenario files are UTF-8 text)");
            return;
        }
        if (const Excess excess = find_excess(text); excess.line > 0) {
            d_.error({name, excess.line, 1}, "", excess.what);
            return;
        }
        toml::table root;
        try {
            root = toml::parse(text, name);
        } catch (const toml::parse_error& e) {
            d_.error(origin_of(e.source(), name), "", "malformed TOML: " + std::string(e.description()));
            return;
        }
        apply_includes(root, path, depth);
        std::set<std::string> ids_in_file;
        for (auto&& [key, node] : root) {
            const std::string k(key.str());
            if (k == "include") continue;
            if (k == "event") {
                apply_events(node, name, ids_in_file);
                continue;
            }
            if (k.find('.') != std::string::npos || k.empty()) {
                unknown_key("\"" + k + "\"", origin_of(key.source(), name));
                continue;
            }
            walk(k, node, origin_of(key.source(), name));
        }
    }

    void apply_set(const std::string& assignment) {
        const Origin origin{"--set '" + assignment + "'", 0, 0};
        const std::size_t eq = assignment.find('=');
        if (eq == std::string::npos || eq == 0) {
            d_.error(origin, "", "expected path=value, e.g. --set scenario.seed=7");
            return;
        }
        std::string path = assignment.substr(0, eq);
        const std::string text = assignment.substr(eq + 1);
        if (text.find('\n') != std::string::npos || text.size() > 10000) {
            d_.error(origin, path, "the value must be one line of at most 10,000 characters");
            return;
        }
        std::optional<Value> value;
        try {
            const std::string document = "v = " + text;
            const toml::table t = toml::parse(std::string_view(document), std::string_view("--set"));
            value = to_value(*t.get("v"));
        } catch (const toml::parse_error&) {
            value = Value{text};  // a bare word: a string
        }
        if (!value) {
            d_.error(origin, path, "unsupported value '" + text + "'");
            return;
        }
        if (path.starts_with("event.")) {
            const std::size_t dot = path.find('.', 6);
            if (dot == std::string::npos) {
                d_.error(origin, path, "expected event.<id>.<field>");
                return;
            }
            Event* event = find_event(path.substr(6, dot - 6));
            if (event == nullptr) {
                d_.error(origin, path, "no event with id '" + path.substr(6, dot - 6) + "'" + suggest_event(path.substr(6, dot - 6)));
                return;
            }
            set_event_field(*event, path.substr(dot + 1), *value, origin, path);
            return;
        }
        set_param(path, *value, origin);
    }

private:
    std::optional<std::string> read(const fs::path& path, const Origin& included_from) {
        const std::string name = path.string();
        std::error_code ec;
        const bool top_level = included_from.line <= 0;
        auto unreadable = [&](const std::string& why) -> std::optional<std::string> {
            // The file named on the command line is an I/O problem; an include is the scenario's.
            if (top_level) throw core::IoError("cannot read scenario " + name + ": " + why);
            d_.error(included_from, "include", "cannot read " + name + ": " + why);
            return std::nullopt;
        };
        if (!fs::exists(path, ec)) return unreadable("no such file");
        if (!fs::is_regular_file(path, ec)) return unreadable("not a regular file");
        if (::access(path.c_str(), R_OK) != 0) return unreadable(std::strerror(errno));
        const auto size = fs::file_size(path, ec);
        if (ec || size > max_file_bytes) {
            d_.error({name, 0, 0}, "", "file is larger than the " + std::to_string(max_file_bytes >> 20) +
                                          " MiB limit for scenario files");
            return std::nullopt;
        }
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        if (!in && !in.eof()) {
            d_.error({name, 0, 0}, "", "cannot read " + name);
            return std::nullopt;
        }
        std::string text = buffer.str();
        if (text.find('\0') != std::string::npos) {
            d_.error({name, 0, 0}, "", "not a text file (it contains NUL bytes)");
            return std::nullopt;
        }
        return text;
    }

    void apply_includes(const toml::table& root, const fs::path& path, int depth) {
        const toml::node* node = root.get("include");
        if (node == nullptr) return;
        const std::string name = path.string();
        const Origin origin = origin_of(node->source(), name);
        std::vector<std::pair<std::string, Origin>> files;
        if (auto s = node->as_string()) {
            files.emplace_back(s->get(), origin);
        } else if (auto a = node->as_array()) {
            for (const toml::node& item : *a) {
                if (auto f = item.as_string()) {
                    files.emplace_back(f->get(), origin_of(item.source(), name));
                } else {
                    d_.error(origin_of(item.source(), name), "include", "expected a file path (a string)");
                }
            }
        } else {
            d_.error(origin, "include", "expected a file path or an array of file paths");
        }
        for (const auto& [file, where] : files) {
            const fs::path target = fs::path(file).is_absolute() ? fs::path(file) : path.parent_path() / file;
            apply_file(target, where, depth + 1);
        }
    }

    void walk(const std::string& path, const toml::node& node, const Origin& origin) {
        if (const toml::table* table = node.as_table()) {
            if (find_param(s_, path)) {
                d_.error(origin, path, std::string("expected ") + type_name(find_param(s_, path)->def->type) + ", got a table");
                return;
            }
            if (!is_prefix_of_some_key(path)) {
                unknown_key(path, origin);
                return;
            }
            for (auto&& [key, child] : *table) {
                const std::string k(key.str());
                const Origin where = origin_of(key.source(), origin.file);
                // A quoted key with a dot is one key, never a path: "scenario.seed" = 5 is not scenario.seed.
                if (k.find('.') != std::string::npos || k.empty()) {
                    unknown_key(path + ".\"" + k + "\"", where);
                    continue;
                }
                walk(path + "." + k, child, where);
            }
            return;
        }
        const std::optional<Value> value = to_value(node);
        if (!find_param(s_, path)) {
            if (is_prefix_of_some_key(path)) {
                d_.error(origin, path, "expected a table ([" + path + "]), got " + describe_node(node));
                return;
            }
            unknown_key(path, origin);
            return;
        }
        if (!value) {
            d_.error(origin, path, "unsupported value " + describe_node(node));
            return;
        }
        set_param(path, *value, origin);
    }

    void set_param(const std::string& path, Value value, const Origin& origin) {
        const std::optional<ParamRef> ref = find_param(s_, path);
        if (!ref) {
            unknown_key(path, origin);
            return;
        }
        if (const std::string problem = check_value(*ref->def, value, s_); !problem.empty()) {
            d_.error(origin, path, problem);
            return;
        }
        ref->def->set(s_, ref->entity, value);
        s_.origins[path] = origin;
    }

    bool is_prefix_of_some_key(const std::string& path) const {
        const std::string prefix = path + ".";
        for (const std::string& p : paths_) {
            if (p.starts_with(prefix)) return true;
        }
        return false;
    }

    void unknown_key(const std::string& path, const Origin& origin) {
        std::string message = "unknown key";
        if (d_.full()) return d_.error(origin, path, message);  // counted, not shown: skip the search
        std::vector<std::string> candidates = paths_;
        // Tables are keys too: offer "scenario" for "scenari".
        for (const std::string& p : paths_) {
            for (std::size_t dot = p.find('.'); dot != std::string::npos; dot = p.find('.', dot + 1)) {
                candidates.push_back(p.substr(0, dot));
            }
        }
        if (const std::string guess = nearest(path, candidates); !guess.empty()) {
            message += " (did you mean '" + guess + "'?)";
        }
        d_.error(origin, path, message);
    }

    Event* find_event(const std::string& id) {
        for (Event& e : s_.events)
            if (e.id == id) return &e;
        return nullptr;
    }

    std::string suggest_event(const std::string& id) const {
        std::vector<std::string> ids;
        for (const Event& e : s_.events) ids.push_back(e.id);
        const std::string guess = nearest(id, ids);
        return guess.empty() ? "" : " (did you mean '" + guess + "'?)";
    }

    void apply_events(const toml::node& node, const std::string& file, std::set<std::string>& ids_in_file) {
        const toml::array* tables = node.as_array();
        if (tables == nullptr) {
            d_.error(origin_of(node.source(), file), "event", "expected [[event]] tables");
            return;
        }
        for (const toml::node& item : *tables) {
            const Origin where = origin_of(item.source(), file);
            const toml::table* table = item.as_table();
            if (table == nullptr) {
                d_.error(where, "event", "expected [[event]] tables");
                continue;
            }
            apply_event(*table, where, file, ids_in_file);
        }
    }

    void apply_event(const toml::table& table, const Origin& where, const std::string& file,
                     std::set<std::string>& ids_in_file) {
        const toml::node* id_node = table.get("id");
        if (id_node == nullptr || !id_node->is_string()) {
            d_.error(where, "event", "every [[event]] needs an id (a snake_case string)");
            return;
        }
        const std::string id = id_node->as_string()->get();
        const std::string key = "event." + id;
        if (!is_snake_case_id(id)) {
            d_.error(origin_of(id_node->source(), file), key, "an event id must be snake_case: lower-case letters, digits and '_'");
            return;
        }
        if (!ids_in_file.insert(id).second) {
            d_.error(origin_of(id_node->source(), file), key, "duplicate event id in this file");
            return;
        }
        const toml::node* enabled_node = table.get("enabled");
        const bool removing = enabled_node != nullptr && enabled_node->is_boolean() && !enabled_node->as_boolean()->get();
        Event* event = find_event(id);
        if (event == nullptr) {
            if (removing) {
                d_.error(origin_of(enabled_node->source(), file), key,
                         "enabled = false removes an inherited event, but there is no event with this id" + suggest_event(id));
                return;
            }
            if ((table.get("date") == nullptr && table.get("when") == nullptr) || table.get("policy") == nullptr) {
                d_.error(where, key, "a new event needs 'policy' and a 'date' or a condition 'when'" + suggest_event(id));
                return;
            }
            Event fresh;
            fresh.id = id;
            fresh.origin = where;
            s_.events.push_back(std::move(fresh));
            event = &s_.events.back();
        }
        for (auto&& [k, v] : table) {
            const std::string field(k.str());
            if (field == "id") continue;
            const Origin field_origin = origin_of(k.source(), file);
            const std::optional<Value> value = to_value(v);
            if (!value) {
                d_.error(field_origin, key + "." + field, "unsupported value " + describe_node(v));
                continue;
            }
            set_event_field(*event, field, *value, field_origin, key + "." + field);
        }
    }

    void set_event_field(Event& event, const std::string& field, const Value& value, const Origin& origin,
                         const std::string& path) {
        if (field == "enabled") {
            if (!std::holds_alternative<bool>(value)) return d_.error(origin, path, "expected a boolean");
            event.enabled = std::get<bool>(value);
        } else if (field == "date") {
            if (!std::holds_alternative<core::Date>(value)) {
                return d_.error(origin, path, std::string("expected ") + type_name(ValueType::date) + ", got " + to_toml(value));
            }
            event.date = std::get<core::Date>(value);
        } else if (field == "until") {
            if (!std::holds_alternative<core::Date>(value)) {
                return d_.error(origin, path, std::string("expected ") + type_name(ValueType::date) + ", got " + to_toml(value));
            }
            event.until = std::get<core::Date>(value);
        } else if (field == "when") {
            if (!std::holds_alternative<std::string>(value)) {
                return d_.error(origin, path, "expected a condition (a string such as \"fighters_lost(jam) over 4 weeks > 500\")");
            }
            event.when = std::get<std::string>(value);
        } else if (field == "policy") {
            if (!std::holds_alternative<std::string>(value)) return d_.error(origin, path, "expected a policy name (a string)");
            event.policy = std::get<std::string>(value);
        } else if (field.empty() || field.find('.') != std::string::npos) {
            return d_.error(origin, path, "expected event.<id>.<field>");
        } else {
            event.fields[field] = value;
        }
        event.origins[field] = origin;
    }

    Scenario& s_;
    Diagnostics& d_;
    const std::vector<std::string> paths_;  // every key the scenario accepts; ids do not change while loading
    std::vector<fs::path> stack_;
    int files_loaded_ = 0;
};

Origin event_field_origin(const Event& e, const std::string& field) {
    const auto it = e.origins.find(field);
    return it != e.origins.end() ? it->second : e.origin;
}

// The names a condition may use: the world's ids and the enabled events.
policy::TriggerNames trigger_names(const Scenario& s) {
    policy::TriggerNames names;
    for (const auto& p : s.world.provinces) names.provinces.push_back(p.id);
    for (const auto& f : s.world.factions) names.factions.push_back(f.id);
    for (const auto& x : s.world.sponsors) names.sponsors.push_back(x.id);
    for (const Event& e : s.events)
        if (e.enabled) names.events.push_back(e.id);
    return names;
}

void validate_condition(const Scenario& s, const Event& e, Diagnostics& d) {
    const std::string key = "event." + e.id + ".when";
    const Origin where = event_field_origin(e, "when");
    if (e.policy == "surge" || e.policy == "drawdown" || e.policy == "withdrawal") {
        d.error(where, key, "policy '" + e.policy + "' cannot be conditional: troop policies are compiled into the troop path before the run");
        return;
    }
    const policy::TriggerParse parsed = policy::parse_trigger(e.when, trigger_names(s));
    if (!parsed.trigger) d.error(where, key, "in \"" + e.when + "\": " + parsed.error);
    if (e.date && e.until && *e.until < *e.date) {
        d.error(event_field_origin(e, "until"), "event." + e.id + ".until",
                "until " + e.until->iso() + " is before the event's date " + e.date->iso());
    }
}

// Rules that tie one event's fields together or to the world, beyond each field's own type,
// range and ids (checked first: a field already in error is not checked again here).
void validate_policy_rules(const Scenario& s, const Event& e, Diagnostics& d) {
    const std::string key = "event." + e.id;
    auto text = [&](const char* name) {
        const auto it = e.fields.find(name);
        const auto* v = it == e.fields.end() ? nullptr : std::get_if<std::string>(&it->second);
        return v ? *v : std::string();
    };
    auto list = [&](const char* name) -> std::optional<std::vector<std::string>> {
        const auto it = e.fields.find(name);
        const auto* v = it == e.fields.end() ? nullptr : std::get_if<std::vector<std::string>>(&it->second);
        return v ? std::optional(*v) : std::nullopt;
    };
    if (e.policy == "arms_interdiction") {
        const std::string sponsor_id = text("sponsor").empty() ? "iran" : text("sponsor");
        const auto sponsor = s.world.find_sponsor(sponsor_id);
        if (!sponsor) return;
        const std::size_t k = sponsor->index();
        std::string bordering;
        for (const auto& p : s.world.provinces)
            if (k < p.border_km_with_sponsor.size() && p.border_km_with_sponsor[k] > 0) bordering += (bordering.empty() ? "" : ", ") + p.id;
        if (bordering.empty()) {
            d.error(e.fields.contains("sponsor") ? event_field_origin(e, "sponsor") : e.origin, key + ".sponsor",
                    "sponsor '" + sponsor_id + "' has no border with Iraq: there are no supply lines to interdict");
            return;
        }
        for (const std::string& id : list("provinces").value_or(std::vector<std::string>{})) {
            const auto p = s.world.find_province(id);
            if (p && !(k < s.world.provinces[p->index()].border_km_with_sponsor.size() &&
                       s.world.provinces[p->index()].border_km_with_sponsor[k] > 0)) {
                d.error(event_field_origin(e, "provinces"), key + ".provinces",
                        "province '" + id + "' has no border with '" + sponsor_id + "' (provinces that do: " + bordering + ")");
            }
        }
    } else if (e.policy == "accord") {
        if (const auto parties = list("parties")) {
            std::set<std::size_t> distinct;
            for (const std::string& id : *parties)
                if (const auto f = s.world.find_faction(id)) distinct.insert(f->index());
            if (distinct.size() < 2) {
                d.error(event_field_origin(e, "parties"), key + ".parties", "an accord needs at least two distinct factions, got " +
                                                                                 std::to_string(distinct.size()));
            }
        }
    } else if (e.policy == "assassination_campaign") {
        const auto by = s.world.find_faction(text("faction")), target = s.world.find_faction(text("target"));
        if (by && target && by->index() == target->index()) {
            d.error(event_field_origin(e, "target"), key + ".target", "a faction cannot run an assassination campaign against itself");
        }
    } else if (e.policy == "partition") {
        std::vector<std::string> ids;
        for (const auto& c : s.world.communities) ids.push_back(c.id);
        for (const std::string& id : list("backlash_communities").value_or(std::vector<std::string>{})) {
            if (s.world.find_community(id)) continue;
            std::string message = "unknown community '" + id + "'";
            if (const std::string guess = nearest(id, ids); !guess.empty()) message += " (did you mean '" + guess + "'?)";
            d.error(event_field_origin(e, "backlash_communities"), key + ".backlash_communities", message);
        }
    }
}

void validate_event(const Scenario& s, const Event& e, const std::vector<Event>& history,
                    const std::vector<policy::PolicyDef>& catalogue, Diagnostics& d) {
    const std::string key = "event." + e.id;
    if (!e.date && e.when.empty()) d.error(e.origin, key, "the event has neither a date nor a condition (when)");
    if (e.until && e.when.empty()) {
        d.error(event_field_origin(e, "until"), key + ".until", "'until' ends the watch of a conditional event; this event has no 'when'");
    }
    if (!e.when.empty()) validate_condition(s, e, d);
    // An inherited historical event outside a shorter period simply never fires; one the user
    // dated outside the period is a mistake. A date that restates the history's (as `iraqsim
    // config` writes every event) is inherited.
    const bool restated = std::any_of(history.begin(), history.end(), [&](const Event& h) { return h.id == e.id && h.date == e.date; });
    const bool dated_by_user = !event_field_origin(e, "date").file.starts_with(embedded_baseline_name) && !restated;
    if (e.date && dated_by_user && (*e.date < s.start || s.end < *e.date)) {
        d.error(event_field_origin(e, "date"), key + ".date",
                "date " + e.date->iso() + " is outside the scenario's period " + s.start.iso() + " to " + s.end.iso());
    }
    const auto policy = std::find_if(catalogue.begin(), catalogue.end(), [&](const auto& p) { return p.name == e.policy; });
    if (policy == catalogue.end()) {
        std::vector<std::string> names;
        for (const policy::PolicyDef& p : catalogue) names.push_back(p.name);
        std::string message = "unknown policy '" + e.policy + "'";
        if (const std::string guess = nearest(e.policy, names); !guess.empty()) message += " (did you mean '" + guess + "'?)";
        if (names.empty()) message += " (this build implements no policies yet)";
        d.error(event_field_origin(e, "policy"), key + ".policy", message);
        return;
    }
    for (const auto& [name, value] : e.fields) {
        const auto field = std::find_if(policy->fields.begin(), policy->fields.end(), [&](const auto& f) { return f.name == name; });
        const Origin where = event_field_origin(e, name);
        if (field == policy->fields.end()) {
            std::vector<std::string> names;
            for (const policy::PolicyField& f : policy->fields) names.push_back(f.name);
            std::string message = "policy '" + e.policy + "' has no field '" + name + "'";
            if (const std::string guess = nearest(name, names); !guess.empty()) message += " (did you mean '" + guess + "'?)";
            d.error(where, key + "." + name, message);
            continue;
        }
        ParamDef def{name, field->type, field->unit, field->min, field->max, field->help, "", nullptr, nullptr};
        Value v = value;
        if (const std::string problem = check_value(def, v, s); !problem.empty()) {
            d.error(where, key + "." + name, problem);
            continue;
        }
        if (!field->choices.empty() && std::holds_alternative<std::string>(v) &&
            std::find(field->choices.begin(), field->choices.end(), std::get<std::string>(v)) == field->choices.end()) {
            std::string allowed;
            for (const std::string& c : field->choices) allowed += (allowed.empty() ? "" : ", ") + to_toml(Value{c});
            d.error(where, key + "." + name, "must be one of " + allowed + ", got " + to_toml(v));
        }
        std::vector<std::string> refs;
        if (std::holds_alternative<std::string>(v)) refs.push_back(std::get<std::string>(v));
        if (std::holds_alternative<std::vector<std::string>>(v)) refs = std::get<std::vector<std::string>>(v);
        for (const std::string& ref : refs) {
            bool known = true;
            std::vector<std::string> ids;
            switch (field->reference) {
                case policy::Reference::province: known = s.world.find_province(ref).has_value(); for (auto& p : s.world.provinces) ids.push_back(p.id); break;
                case policy::Reference::faction: known = s.world.find_faction(ref).has_value(); for (auto& f : s.world.factions) ids.push_back(f.id); break;
                case policy::Reference::sponsor: known = s.world.find_sponsor(ref).has_value(); for (auto& x : s.world.sponsors) ids.push_back(x.id); break;
                case policy::Reference::none: break;
            }
            if (!known) {
                std::string message = "unknown id '" + ref + "'";
                if (const std::string guess = nearest(ref, ids); !guess.empty()) message += " (did you mean '" + guess + "'?)";
                d.error(where, key + "." + name, message);
            }
        }
    }
    for (const policy::PolicyField& f : policy->fields) {
        if (f.required && !e.fields.contains(f.name)) {
            d.error(e.origin, key + "." + f.name, "policy '" + e.policy + "' needs the field '" + f.name + "'");
        }
    }
    validate_policy_rules(s, e, d);
}

}  // namespace

TextProblem find_text_problem(std::string_view text) {
    if (const auto [line, column] = find_invalid_utf8(text); line > 0) {
        return {line, column, "malformed TOML: not valid UTF-8 (files are UTF-8 text)"};
    }
    if (const Excess excess = find_excess(text); excess.line > 0) return {excess.line, 1, excess.what};
    return {};
}

void apply_file(Scenario& scenario, const fs::path& file, Diagnostics& diagnostics) {
    Loader(scenario, diagnostics).apply_file(file, Origin{file.string(), 0, 0}, 0);
}

void apply_text(Scenario& scenario, const std::string& text, const std::string& name, Diagnostics& diagnostics) {
    Loader(scenario, diagnostics).apply_text(text, fs::path(name), 0);
}

void apply_set(Scenario& scenario, const std::string& assignment, Diagnostics& diagnostics) {
    Loader(scenario, diagnostics).apply_set(assignment);
}

void validate(const Scenario& s, const std::vector<policy::PolicyDef>& catalogue, Diagnostics& d) {
    auto origin = [&](const std::string& key) {
        const auto it = s.origins.find(key);
        return it != s.origins.end() ? it->second : Origin{s.source, 0, 0};
    };
    if (s.end < s.start) {
        d.error(origin("scenario.end"), "scenario.end", "end " + s.end.iso() + " is before start " + s.start.iso());
    } else if (s.week_count() > max_weeks) {
        d.error(origin("scenario.end"), "scenario.end",
                "the period spans " + std::to_string(s.week_count()) + " weeks; the limit is " + std::to_string(max_weeks));
    }
    if (s.start < core::time_origin) {
        d.error(origin("scenario.start"), "scenario.start", "start " + s.start.iso() + " is before the time origin 2003-01-01");
    }
    const Scenario history = default_scenario();
    for (const Event& e : s.events) {
        if (e.enabled) validate_event(s, e, history.events, catalogue, d);
    }
}

Scenario load_scenario(const std::optional<fs::path>& file, const std::vector<std::string>& sets,
                       const std::vector<policy::PolicyDef>& catalogue) {
    Scenario scenario = default_scenario();
    Diagnostics diagnostics;
    if (file) {
        scenario.source = file->string();
        apply_file(scenario, *file, diagnostics);
    }
    for (const std::string& assignment : sets) apply_set(scenario, assignment, diagnostics);
    if (diagnostics.empty()) validate(scenario, catalogue, diagnostics);
    diagnostics.throw_if_any();
    scenario.text = to_config_toml(scenario);
    return scenario;
}

std::string to_config_toml(const Scenario& s) {
    const Scenario embedded = default_scenario();
    std::ostringstream out;
    out << "# Resolved scenario '" << s.name << "' (from " << s.source << ").\n"
        << "# An overlay on the embedded Iraq world: `iraqsim run` on this file reproduces the run.\n";
    std::string section;
    for (const ParamDef& def : registry()) {
        const bool per_entity = def.entity_kind() != EntityKind::none;
        const std::vector<std::string> ids = entity_ids(s, def.entity_kind());
        const std::size_t count = per_entity ? ids.size() : 1;
        for (std::size_t i = 0; i < count; ++i) {
            const Value value = def.get(s, i);
            // Entity values are printed only where they differ from the embedded world.
            if (per_entity && to_toml(value) == to_toml(def.get(embedded, i))) continue;
            std::string path = def.path;
            if (per_entity) {
                path.replace(path.find('*'), 1, ids[i]);
            }
            const std::size_t dot = path.rfind('.');
            if (path.substr(0, dot) != section) {
                section = path.substr(0, dot);
                out << "\n[" << section << "]\n";
            }
            out << path.substr(dot + 1) << " = " << to_toml(value) << "\n";
        }
    }
    for (const Event& e : s.events) {
        const bool embedded_event = std::any_of(embedded.events.begin(), embedded.events.end(),
                                                [&](const Event& x) { return x.id == e.id; });
        // A removed event that the embedded history lacks needs no mention: it is simply absent.
        if (!e.enabled && !embedded_event) continue;
        out << "\n[[event]]\nid = " << to_toml(Value{e.id}) << "\n";
        if (!e.enabled) {
            out << "enabled = false\n";
            continue;
        }
        if (e.date) out << "date = " << e.date->iso() << "\n";
        if (!e.when.empty()) out << "when = " << to_toml(Value{e.when}) << "\n";
        if (e.until) out << "until = " << e.until->iso() << "\n";
        out << "policy = " << to_toml(Value{e.policy}) << "\n";
        for (const auto& [name, value] : e.fields) out << name << " = " << to_toml(value) << "\n";
    }
    return out.str();
}

}  // namespace iraqsim::scenario
