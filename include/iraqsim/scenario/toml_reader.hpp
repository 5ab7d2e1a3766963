// Strict reading of the small TOML files beside scenarios (sweep files, calibration files, Epstein
// validation scenarios): one parse guarded as the scenario loader guards it, tables whose unknown
// keys are errors with a suggestion, and typed getters with range checks. Every problem goes to a
// Diagnostics as file:line:column, key path and message, so that a reader reports all of them at
// once. Scenarios themselves are read against the parameter registry (loader.hpp), not by this.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <utility>
#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/scenario/diagnostics.hpp"
#include "iraqsim/scenario/value.hpp"

namespace iraqsim::scenario {

// "\"a\", \"b\", \"c\"": the choices as messages list them.
template <typename E>
std::string quoted_choices(std::initializer_list<E> choices, std::string_view (*name)(E)) {
    std::string out;
    for (E e : choices) out += (out.empty() ? "\"" : ", \"") + std::string(name(e)) + "\"";
    return out;
}

// The text of a TOML file of the kind `what` ("sweep", "calibration"); throws core::IoError naming
// the file when it is missing, unreadable or larger than `max_bytes`.
std::string read_toml_file(const std::filesystem::path& file, std::string_view what, std::size_t max_bytes);

class TomlReader {
public:
    TomlReader(std::string file, Diagnostics& diagnostics) : file_(std::move(file)), d_(diagnostics) {}

    // The document, or nullopt after reporting why not (bytes that are not UTF-8, nesting past the
    // loader's bounds, malformed TOML).
    std::optional<toml::table> parse(std::string_view text);

    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] Origin origin(const toml::node& node) const { return origin(node.source()); }
    [[nodiscard]] Origin origin(const toml::key& key) const { return origin(key.source()); }
    [[nodiscard]] Origin origin(const toml::source_region& region) const;
    void error(const Origin& at, std::string key, std::string message) { d_.error(at, std::move(key), std::move(message)); }

    // Calls visit(key, value, origin of the key, key path) for each key of `table` in `known`,
    // and reports every other key as unknown (with the nearest known one). `prefix` is the
    // table's path ("sweep."; empty at the top level).
    template <typename Visit>
    void each_key(const toml::table& table, const std::string& prefix, const std::vector<std::string>& known, Visit visit) {
        for (auto&& [key, value] : table) {
            const std::string k(key.str());
            const Origin at = origin(key);
            if (std::find(known.begin(), known.end(), k) == known.end()) {
                unknown_key(k, known, at, prefix);
            } else {
                visit(k, value, at, prefix + k);
            }
        }
    }
    void unknown_key(const std::string& key, const std::vector<std::string>& known, const Origin& at, const std::string& prefix);

    // `node` as a [name] table, or nullptr after reporting that it is not one.
    const toml::table* table(const toml::node& node, const Origin& at, const std::string& name);
    // Calls visit(table, origin of the table, "name[i]") for each [[name]] table, i from 1, and
    // reports anything else.
    template <typename Visit>
    void each_table(const toml::node& node, const Origin& at, const std::string& name, Visit visit) {
        const toml::array* tables = node.as_array();
        if (tables == nullptr) {
            error(at, name, "expected [[" + name + "]] tables");
            return;
        }
        std::size_t index = 0;
        for (const toml::node& item : *tables) {
            const std::string path = name + "[" + std::to_string(++index) + "]";
            if (const toml::table* t = item.as_table()) {
                visit(*t, origin(item), path);
            } else {
                error(origin(item), name, "expected [[" + name + "]] tables");
            }
        }
    }

    // Typed values; each reports a wrong type or a value out of [min, max] and returns nullopt.
    std::optional<std::int64_t> integer(const toml::node& node, const Origin& at, const std::string& path, std::int64_t min,
                                        std::int64_t max);
    // A finite number (integers accepted) within [min, max].
    std::optional<double> real(const toml::node& node, const Origin& at, const std::string& path,
                               double min = -std::numeric_limits<double>::max(),
                               double max = std::numeric_limits<double>::max());
    // A number > 0.
    std::optional<double> positive(const toml::node& node, const Origin& at, const std::string& path);
    std::optional<bool> boolean(const toml::node& node, const Origin& at, const std::string& path);
    std::optional<std::string> text(const toml::node& node, const Origin& at, const std::string& path);
    std::optional<std::vector<std::string>> texts(const toml::node& node, const Origin& at, const std::string& path);
    // A file path, relative to the directory of the file being read unless absolute.
    std::optional<std::filesystem::path> path_beside(const toml::node& node, const Origin& at, const std::string& path);
    // A TOML date (unquoted YYYY-MM-DD).
    std::optional<core::Date> date(const toml::node& node, const Origin& at, const std::string& path);
    // A name that can stand in a file name: 1 to `max_length` letters, digits, '_', '-' or '.'.
    std::optional<std::string> file_name(const toml::node& node, const Origin& at, const std::string& path,
                                         std::size_t max_length = 100);
    // One of the named choices: "must be one of "a", "b", got "c"" otherwise.
    template <typename E>
    std::optional<E> one_of(const toml::node& node, const Origin& at, const std::string& path,
                            std::initializer_list<E> choices, std::string_view (*name)(E)) {
        const auto s = text(node, at, path);
        if (!s) return std::nullopt;
        std::vector<std::string> names;
        for (E e : choices) {
            if (*s == name(e)) return e;
            names.emplace_back(name(e));
        }
        not_one_of(*s, names, at, path);
        return std::nullopt;
    }
    void not_one_of(const std::string& given, const std::vector<std::string>& names, const Origin& at, const std::string& path);

private:
    std::string file_;
    Diagnostics& d_;
};

}  // namespace iraqsim::scenario
