#include "iraqsim/scenario/value.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace iraqsim::scenario {

const char* type_name(ValueType type) {
    switch (type) {
        case ValueType::boolean: return "a boolean";
        case ValueType::integer: return "an integer";
        case ValueType::real: return "a number";
        case ValueType::text: return "a string";
        case ValueType::date: return "a date (YYYY-MM-DD, unquoted)";
        case ValueType::text_list: return "an array of strings";
        case ValueType::real_list: return "an array of numbers";
    }
    return "?";
}

std::string Origin::describe() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7f) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string format_real(double v) {
    char buffer[40];
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {  // 17500.0, not 1.75e+04
        std::snprintf(buffer, sizeof buffer, "%.1f", v);
        return buffer;
    }
    // Shortest text that reads back as the same double, always with a decimal point or exponent.
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
        if (std::strtod(buffer, nullptr) == v) break;
    }
    std::string s = buffer;
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
    return s;
}

}  // namespace

std::string to_toml(const Value& value) {
    struct Visitor {
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const { return format_real(v); }
        std::string operator()(const std::string& v) const { return quote(v); }
        std::string operator()(const core::Date& v) const { return v.iso(); }
        std::string operator()(const std::vector<std::string>& v) const {
            std::string out = "[";
            for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
            return out + "]";
        }
        std::string operator()(const std::vector<double>& v) const {
            std::string out = "[";
            for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + format_real(v[i]);
            return out + "]";
        }
    };
    return std::visit(Visitor{}, value);
}

}  // namespace iraqsim::scenario
