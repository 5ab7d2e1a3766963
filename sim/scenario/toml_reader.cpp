#include "iraqsim/scenario/toml_reader.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/loader.hpp"

namespace iraqsim::scenario {
namespace fs = std::filesystem;
namespace {

// The shortest text that reads back as `x` ("1", "0.25"), as people write numbers in messages.
std::string number_text(double x) {
    char buffer[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
        if (std::strtod(buffer, nullptr) == x) break;
    }
    return buffer;
}

}  // namespace

std::string read_toml_file(const fs::path& file, std::string_view what, std::size_t max_bytes) {
    const std::string cannot = "cannot read " + std::string(what) + " " + file.string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw core::IoError(cannot + ": no such file");
    if (fs::file_size(file, ec) > max_bytes) {
        throw core::IoError(cannot + ": larger than the " + std::to_string(max_bytes >> 10) + " KiB limit for " +
                            std::string(what) + " files");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw core::IoError(cannot + ": not readable");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof()) throw core::IoError(cannot);
    return buffer.str();
}

std::optional<toml::table> TomlReader::parse(std::string_view text) {
    if (const TextProblem problem = find_text_problem(text); problem.line > 0) {
        error({file_, problem.line, problem.column}, "", problem.what);
        return std::nullopt;
    }
    try {
        return toml::parse(text, file_);
    } catch (const toml::parse_error& e) {
        error(origin(e.source()), "", "malformed TOML: " + std::string(e.description()));
        return std::nullopt;
    }
}

Origin TomlReader::origin(const toml::source_region& region) const {
    return {file_, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

void TomlReader::unknown_key(const std::string& key, const std::vector<std::string>& known, const Origin& at,
                             const std::string& prefix) {
    std::string message = "unknown key";
    if (const std::string guess = nearest(key, known); !guess.empty()) message += " (did you mean '" + prefix + guess + "'?)";
    error(at, prefix + key, message);
}

void TomlReader::not_one_of(const std::string& given, const std::vector<std::string>& names, const Origin& at,
                            const std::string& path) {
    std::string message = "must be one of ";
    for (std::size_t i = 0; i < names.size(); ++i) message += (i ? ", \"" : "\"") + names[i] + "\"";
    message += ", got \"" + given + "\"";
    if (const std::string guess = nearest(given, names); !guess.empty()) message += " (did you mean \"" + guess + "\"?)";
    error(at, path, message);
}

const toml::table* TomlReader::table(const toml::node& node, const Origin& at, const std::string& name) {
    const toml::table* t = node.as_table();
    if (t == nullptr) error(at, name, "expected a [" + name + "] table");
    return t;
}

std::optional<std::int64_t> TomlReader::integer(const toml::node& node, const Origin& at, const std::string& path,
                                                std::int64_t min, std::int64_t max) {
    const auto* v = node.as_integer();
    if (v == nullptr) {
        error(at, path, "expected an integer");
        return std::nullopt;
    }
    if (v->get() < min || v->get() > max) {
        error(at, path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                            std::to_string(v->get()));
        return std::nullopt;
    }
    return v->get();
}

std::optional<double> TomlReader::real(const toml::node& node, const Origin& at, const std::string& path, double min,
                                       double max) {
    double x = 0;
    if (const auto* f = node.as_floating_point()) {
        x = f->get();
    } else if (const auto* i = node.as_integer()) {
        x = static_cast<double>(i->get());
    } else {
        error(at, path, "expected a number");
        return std::nullopt;
    }
    if (!std::isfinite(x)) {
        error(at, path, "expected a finite number");
        return std::nullopt;
    }
    if (x < min || x > max) {
        error(at, path, "must be between " + number_text(min) + " and " + number_text(max) + ", got " + number_text(x));
        return std::nullopt;
    }
    return x;
}

std::optional<double> TomlReader::positive(const toml::node& node, const Origin& at, const std::string& path) {
    const auto x = real(node, at, path);
    if (x && !(*x > 0)) {
        error(at, path, "must be positive, got " + number_text(*x));
        return std::nullopt;
    }
    return x;
}

std::optional<bool> TomlReader::boolean(const toml::node& node, const Origin& at, const std::string& path) {
    if (const auto* v = node.as_boolean()) return v->get();
    error(at, path, "expected true or false");
    return std::nullopt;
}

std::optional<std::string> TomlReader::text(const toml::node& node, const Origin& at, const std::string& path) {
    if (const auto* v = node.as_string()) return v->get();
    error(at, path, "expected a string");
    return std::nullopt;
}

std::optional<std::vector<std::string>> TomlReader::texts(const toml::node& node, const Origin& at, const std::string& path) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
        error(at, path, "expected an array of strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const toml::node& item : *array) {
        const auto* s = item.as_string();
        if (s == nullptr) {
            error(origin(item), path, "expected an array of strings");
            return std::nullopt;
        }
        out.push_back(s->get());
    }
    return out;
}

std::optional<fs::path> TomlReader::path_beside(const toml::node& node, const Origin& at, const std::string& path) {
    const auto s = text(node, at, path);
    if (!s) return std::nullopt;
    const fs::path p(*s);
    return p.is_absolute() ? p : fs::path(file_).parent_path() / p;
}

std::optional<core::Date> TomlReader::date(const toml::node& node, const Origin& at, const std::string& path) {
    if (const auto* v = node.as_date()) {
        const core::Date d{v->get().year, v->get().month, v->get().day};
        if (d.valid()) return d;
    }
    error(at, path, "expected a date (YYYY-MM-DD, unquoted)");
    return std::nullopt;
}

std::optional<std::string> TomlReader::file_name(const toml::node& node, const Origin& at, const std::string& path,
                                                 std::size_t max_length) {
    auto s = text(node, at, path);
    if (!s) return std::nullopt;
    const bool ok = !s->empty() && s->size() <= max_length && std::all_of(s->begin(), s->end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
    });
    if (!ok) {
        error(at, path, "must be 1 to " + std::to_string(max_length) + " letters, digits, '_', '-' or '.' (it names files)");
        return std::nullopt;
    }
    return s;
}

}  // namespace iraqsim::scenario
