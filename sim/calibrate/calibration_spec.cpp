#include "iraqsim/calibrate/calibration_spec.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/loader.hpp"

namespace iraqsim::calibrate {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> calibration_keys{
    "name", "base", "set", "seed", "method", "populations", "particles", "quantile", "min_acceptance", "replicates",
    "fit_start", "fit_end", "loss", "huber_delta", "common_random_numbers", "synthetic_seed"};
const std::vector<std::string> parameter_keys{"key", "lower", "upper", "prior", "truth"};
const std::vector<std::string> target_keys{"series", "transform", "weight"};

Origin origin_of(const toml::source_region& region, const std::string& file) {
    return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

template <typename E>
std::optional<E> choose(const std::string& text, std::initializer_list<E> options, std::string_view (*name)(E)) {
    for (E e : options) {
        if (text == name(e)) return e;
    }
    return std::nullopt;
}

template <typename E>
std::string choices(std::initializer_list<E> options, std::string_view (*name)(E)) {
    std::string out;
    for (E e : options) out += (out.empty() ? "\"" : ", \"") + std::string(name(e)) + "\"";
    return out;
}

constexpr std::initializer_list<Method> methods{Method::abc_smc, Method::smm};
constexpr std::initializer_list<Prior> priors{Prior::uniform, Prior::log_uniform};
constexpr std::initializer_list<Transform> transforms{Transform::log1p, Transform::sqrt, Transform::identity};
constexpr std::initializer_list<Loss> losses{Loss::squared, Loss::huber};
constexpr std::initializer_list<TargetKind> kinds{TargetKind::ibc_monthly, TargetKind::sigact_monthly,
                                                  TargetKind::sigact_forces_monthly, TargetKind::us_fatalities_monthly,
                                                  TargetKind::ibc_categories, TargetKind::ibc_governorate_monthly,
                                                  TargetKind::sigact_governorate_monthly,
                                                  TargetKind::us_fatalities_governorate_monthly};

class Parser {
public:
    Parser(std::string file, Diagnostics& diagnostics) : file_(std::move(file)), d_(diagnostics) {}

    CalibrationSpec parse(const std::string& text) {
        spec_.source = file_;
        spec_.name = fs::path(file_).stem().string();
        if (const scenario::TextProblem problem = scenario::find_text_problem(text); problem.line > 0) {
            d_.error({file_, problem.line, problem.column}, "", problem.what);
            return spec_;
        }
        toml::table root;
        try {
            root = toml::parse(text, file_);
        } catch (const toml::parse_error& e) {
            d_.error(origin_of(e.source(), file_), "", "malformed TOML: " + std::string(e.description()));
            return spec_;
        }
        for (auto&& [key, node] : root) {
            const std::string k(key.str());
            const Origin at = origin_of(key.source(), file_);
            if (k == "calibration") {
                read_calibration(node, at);
            } else if (k == "parameter") {
                read_array(node, at, "parameter", [&](const toml::table& t, const Origin& o, const std::string& p) { read_parameter(t, o, p); });
            } else if (k == "target") {
                read_array(node, at, "target", [&](const toml::table& t, const Origin& o, const std::string& p) { read_target(t, o, p); });
            } else {
                unknown(k, {"calibration", "parameter", "target"}, at, "");
            }
        }
        if (root.get("calibration") == nullptr) d_.error({file_, 1, 1}, "calibration", "a calibration file needs a [calibration] table");
        if (root.get("parameter") == nullptr) d_.error({file_, 1, 1}, "parameter", "a calibration needs at least one [[parameter]] table");
        if (root.get("target") == nullptr) d_.error({file_, 1, 1}, "target", "a calibration needs at least one [[target]] table");
        check();
        return spec_;
    }

private:
    void unknown(const std::string& key, const std::vector<std::string>& known, const Origin& where, const std::string& prefix) {
        std::string message = "unknown key";
        if (const std::string guess = scenario::nearest(key, known); !guess.empty()) {
            message += " (did you mean '" + prefix + guess + "'?)";
        }
        d_.error(where, prefix + key, message);
    }

    std::optional<std::int64_t> integer(const toml::node& node, const Origin& at, const std::string& path, std::int64_t min,
                                        std::int64_t max) {
        const auto* v = node.as_integer();
        if (v == nullptr) {
            d_.error(at, path, "expected an integer");
            return std::nullopt;
        }
        if (v->get() < min || v->get() > max) {
            d_.error(at, path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + std::to_string(v->get()));
            return std::nullopt;
        }
        return v->get();
    }

    std::optional<double> real(const toml::node& node, const Origin& at, const std::string& path) {
        double x = 0;
        if (const auto* v = node.as_floating_point()) {
            x = v->get();
        } else if (const auto* i = node.as_integer()) {
            x = static_cast<double>(i->get());
        } else {
            d_.error(at, path, "expected a number");
            return std::nullopt;
        }
        if (!std::isfinite(x)) {
            d_.error(at, path, "expected a finite number");
            return std::nullopt;
        }
        return x;
    }

    std::optional<double> fraction(const toml::node& node, const Origin& at, const std::string& path, bool open) {
        const auto x = real(node, at, path);
        if (!x) return std::nullopt;
        if (open ? !(*x > 0 && *x < 1) : !(*x > 0 && *x <= 1)) {
            d_.error(at, path, std::string("must be in ") + (open ? "(0, 1)" : "(0, 1]") + ", got " + scenario::to_toml(*x));
            return std::nullopt;
        }
        return x;
    }

    std::optional<std::string> text(const toml::node& node, const Origin& at, const std::string& path) {
        if (const auto* v = node.as_string()) return v->get();
        d_.error(at, path, "expected a string");
        return std::nullopt;
    }

    std::optional<core::Date> date(const toml::node& node, const Origin& at, const std::string& path) {
        if (const auto* v = node.as_date()) {
            const core::Date d{v->get().year, v->get().month, v->get().day};
            if (d.valid()) return d;
        }
        d_.error(at, path, "expected a date (YYYY-MM-DD, unquoted)");
        return std::nullopt;
    }

    template <typename E>
    void one_of(const toml::node& node, const Origin& at, const std::string& path, std::initializer_list<E> options,
                std::string_view (*name)(E), E& out) {
        const auto s = text(node, at, path);
        if (!s) return;
        if (const auto e = choose(*s, options, name)) {
            out = *e;
        } else {
            d_.error(at, path, "must be one of " + choices(options, name) + ", got \"" + *s + "\"");
        }
    }

    void read_calibration(const toml::node& node, const Origin& where) {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
            d_.error(where, "calibration", "expected a [calibration] table");
            return;
        }
        for (auto&& [key, value] : *table) {
            const std::string k(key.str());
            const std::string path = "calibration." + k;
            const Origin at = origin_of(key.source(), file_);
            spec_.origins[path] = at;
            if (k == "name") {
                if (auto s = text(value, at, path)) {
                    const bool ok = !s->empty() && s->size() <= 100 && std::all_of(s->begin(), s->end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                    });
                    if (ok) {
                        spec_.name = *s;
                    } else {
                        d_.error(at, path, "must be 1 to 100 letters, digits, '_', '-' or '.'");
                    }
                }
            } else if (k == "base") {
                if (auto s = text(value, at, path)) {
                    const fs::path p(*s);
                    spec_.base = p.is_absolute() ? p : fs::path(file_).parent_path() / p;
                }
            } else if (k == "set") {
                const toml::array* array = value.as_array();
                bool ok = array != nullptr;
                if (ok) {
                    for (const toml::node& item : *array) {
                        if (const auto* s = item.as_string()) {
                            spec_.sets.push_back(s->get());
                        } else {
                            ok = false;
                        }
                    }
                }
                if (!ok) d_.error(at, path, "expected an array of strings \"path=value\"");
            } else if (k == "seed") {
                if (auto n = integer(value, at, path, 0, (std::int64_t{1} << 62) - 1)) spec_.seed = static_cast<std::uint64_t>(*n);
            } else if (k == "synthetic_seed") {
                if (auto n = integer(value, at, path, 0, (std::int64_t{1} << 62) - 1)) spec_.synthetic_seed = static_cast<std::uint64_t>(*n);
            } else if (k == "method") {
                one_of(value, at, path, methods, method_name, spec_.method);
            } else if (k == "populations") {
                if (auto n = integer(value, at, path, 0, max_populations)) spec_.populations = static_cast<int>(*n);
            } else if (k == "particles") {
                if (auto n = integer(value, at, path, 2, max_particles)) spec_.particles = static_cast<int>(*n);
            } else if (k == "replicates") {
                if (auto n = integer(value, at, path, 1, max_replicates)) spec_.replicates = static_cast<int>(*n);
            } else if (k == "quantile") {
                if (auto x = fraction(value, at, path, true)) spec_.quantile = *x;
            } else if (k == "min_acceptance") {
                if (auto x = fraction(value, at, path, false)) spec_.min_acceptance = *x;
            } else if (k == "fit_start") {
                if (auto d = date(value, at, path)) spec_.fit_start = *d;
            } else if (k == "fit_end") {
                if (auto d = date(value, at, path)) spec_.fit_end = *d;
            } else if (k == "loss") {
                one_of(value, at, path, losses, loss_name, spec_.loss);
            } else if (k == "huber_delta") {
                if (auto x = real(value, at, path)) {
                    if (*x > 0) {
                        spec_.huber_delta = *x;
                    } else {
                        d_.error(at, path, "must be positive");
                    }
                }
            } else if (k == "common_random_numbers") {
                if (const auto* b = value.as_boolean()) {
                    spec_.common_random_numbers = b->get();
                } else {
                    d_.error(at, path, "expected a boolean");
                }
            } else {
                unknown(k, calibration_keys, at, "calibration.");
            }
        }
    }

    template <typename F>
    void read_array(const toml::node& node, const Origin& where, const std::string& name, F read) {
        const toml::array* tables = node.as_array();
        if (tables == nullptr) {
            d_.error(where, name, "expected [[" + name + "]] tables");
            return;
        }
        std::size_t index = 0;
        for (const toml::node& item : *tables) {
            const std::string path = name + "[" + std::to_string(++index) + "]";
            if (const toml::table* table = item.as_table()) {
                read(*table, origin_of(item.source(), file_), path);
            } else {
                d_.error(origin_of(item.source(), file_), name, "expected [[" + name + "]] tables");
            }
        }
    }

    void read_parameter(const toml::table& table, const Origin& where, const std::string& path) {
        FreeParameter p;
        p.origin = where;
        for (auto&& [key, value] : table) {
            const std::string k(key.str());
            const std::string field = path + "." + k;
            const Origin at = origin_of(key.source(), file_);
            p.origins[k] = at;
            if (k == "key") {
                if (auto s = text(value, at, field)) p.key = *s;
            } else if (k == "lower") {
                if (auto x = real(value, at, field)) p.lower = *x;
            } else if (k == "upper") {
                if (auto x = real(value, at, field)) p.upper = *x;
            } else if (k == "truth") {
                if (auto x = real(value, at, field)) p.truth = *x;
            } else if (k == "prior") {
                one_of(value, at, field, priors, prior_name, p.prior);
            } else {
                unknown(k, parameter_keys, at, path + ".");
            }
        }
        for (const char* required : {"key", "lower", "upper"}) {
            if (!table.contains(required)) d_.error(where, path + "." + required, std::string("every [[parameter]] needs ") + required);
        }
        if (table.contains("lower") && table.contains("upper")) {
            if (!(p.lower < p.upper)) {
                d_.error(p.origin_of("upper"), path + ".upper",
                         "upper (" + scenario::to_toml(p.upper) + ") must be greater than lower (" + scenario::to_toml(p.lower) + ")");
            } else if (p.prior == Prior::log_uniform && !(p.lower > 0)) {
                d_.error(p.origin_of("prior"), path + ".prior", "a log-uniform prior needs lower > 0");
            }
            if (p.truth && !(*p.truth >= p.lower && *p.truth <= p.upper)) {
                d_.error(p.origin_of("truth"), path + ".truth", "the true value must lie within [lower, upper]");
            }
        }
        if (!p.key.empty() && std::any_of(spec_.parameters.begin(), spec_.parameters.end(), [&](const FreeParameter& q) { return q.key == p.key; })) {
            d_.error(p.origin_of("key"), path + ".key", "'" + p.key + "' is a free parameter twice");
        }
        spec_.parameters.push_back(std::move(p));
    }

    void read_target(const toml::table& table, const Origin& where, const std::string& path) {
        Target t;
        t.origin = where;
        for (auto&& [key, value] : table) {
            const std::string k(key.str());
            const std::string field = path + "." + k;
            const Origin at = origin_of(key.source(), file_);
            t.origins[k] = at;
            if (k == "series") {
                one_of(value, at, field, kinds, target_name, t.kind);
            } else if (k == "transform") {
                one_of(value, at, field, transforms, transform_name, t.transform);
            } else if (k == "weight") {
                if (auto x = real(value, at, field)) {
                    if (*x > 0) {
                        t.weight = *x;
                    } else {
                        d_.error(at, field, "must be positive");
                    }
                }
            } else {
                unknown(k, target_keys, at, path + ".");
            }
        }
        if (!table.contains("series")) {
            d_.error(where, path + ".series", "every [[target]] needs a series (one of " + choices(kinds, target_name) + ")");
        }
        if (t.kind == TargetKind::ibc_categories) {
            if (table.contains("transform") && t.transform != Transform::identity) {
                d_.error(t.origins["transform"], path + ".transform", "ibc_categories are shares and are compared as they are (\"identity\")");
            }
            t.transform = Transform::identity;
        }
        if (table.contains("series") && std::any_of(spec_.targets.begin(), spec_.targets.end(), [&](const Target& o) { return o.kind == t.kind; })) {
            d_.error(t.origins["series"], path + ".series", "'" + std::string(target_name(t.kind)) + "' is a target twice");
        }
        spec_.targets.push_back(std::move(t));
    }

    void check() {
        if (spec_.method == Method::smm) {
            d_.error(origin("calibration.method"), "calibration.method",
                     "\"smm\" (simulated method of moments) is not implemented yet; use \"abc-smc\" (docs/validation.md)");
        }
        if (spec_.fit_start.day != 1) {
            d_.error(origin("calibration.fit_start"), "calibration.fit_start", "must be the first day of a month, got " + spec_.fit_start.iso());
        }
        if (spec_.fit_end.plus_days(1).day != 1) {
            d_.error(origin("calibration.fit_end"), "calibration.fit_end", "must be the last day of a month, got " + spec_.fit_end.iso());
        }
        if (spec_.fit_end > last_fit_date) {
            d_.error(origin("calibration.fit_end"), "calibration.fit_end",
                     "must be on or before " + last_fit_date.iso() + ": later data are held back for validation");
        }
        if (!(spec_.fit_start < spec_.fit_end)) {
            d_.error(origin("calibration.fit_end"), "calibration.fit_end", "must be after fit_start");
        }
        if (spec_.parameters.size() > max_parameters) {
            d_.error(spec_.parameters[max_parameters].origin, "parameter", "more than " + std::to_string(max_parameters) + " free parameters");
        }
        const auto with_truth = std::count_if(spec_.parameters.begin(), spec_.parameters.end(), [](const FreeParameter& p) { return p.truth.has_value(); });
        if (with_truth != 0 && static_cast<std::size_t>(with_truth) != spec_.parameters.size()) {
            for (const FreeParameter& p : spec_.parameters) {
                if (!p.truth) d_.error(p.origin, p.key, "a synthetic recovery needs a truth for every parameter (or none)");
            }
        }
        if (with_truth == 0 && spec_.origins.contains("calibration.synthetic_seed")) {
            d_.error(origin("calibration.synthetic_seed"), "calibration.synthetic_seed", "is for a synthetic recovery (parameters with a truth)");
        }
        if (spec_.loss != Loss::huber && spec_.origins.contains("calibration.huber_delta")) {
            d_.error(origin("calibration.huber_delta"), "calibration.huber_delta", "goes with loss = \"huber\"");
        }
    }

    Origin origin(const std::string& key) const {
        const auto it = spec_.origins.find(key);
        return it != spec_.origins.end() ? it->second : Origin{file_, 1, 1};
    }

    std::string file_;
    Diagnostics& d_;
    CalibrationSpec spec_;
};

}  // namespace

std::string_view method_name(Method method) { return method == Method::smm ? "smm" : "abc-smc"; }
std::string_view prior_name(Prior prior) { return prior == Prior::log_uniform ? "log-uniform" : "uniform"; }
std::string_view transform_name(Transform transform) {
    switch (transform) {
        case Transform::log1p: return "log1p";
        case Transform::sqrt: return "sqrt";
        case Transform::identity: return "identity";
    }
    return "?";
}
std::string_view loss_name(Loss loss) { return loss == Loss::huber ? "huber" : "squared"; }
std::string_view target_name(TargetKind kind) {
    switch (kind) {
        case TargetKind::ibc_monthly: return "ibc_monthly";
        case TargetKind::sigact_monthly: return "sigact_monthly";
        case TargetKind::sigact_forces_monthly: return "sigact_forces_monthly";
        case TargetKind::us_fatalities_monthly: return "us_fatalities_monthly";
        case TargetKind::ibc_categories: return "ibc_categories";
        case TargetKind::ibc_governorate_monthly: return "ibc_governorate_monthly";
        case TargetKind::sigact_governorate_monthly: return "sigact_governorate_monthly";
        case TargetKind::us_fatalities_governorate_monthly: return "us_fatalities_governorate_monthly";
    }
    return "?";
}

Origin FreeParameter::origin_of(const std::string& field) const {
    const auto it = origins.find(field);
    return it != origins.end() ? it->second : origin;
}

CalibrationSpec parse_calibration_spec(const std::string& text, const std::string& name, Diagnostics& diagnostics) {
    return Parser(name, diagnostics).parse(text);
}

CalibrationSpec read_calibration_spec(const fs::path& file, Diagnostics& diagnostics) {
    const std::string name = file.string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw core::IoError("cannot read calibration " + name + ": no such file");
    if (fs::file_size(file, ec) > max_calibration_file_bytes) {
        throw core::IoError("cannot read calibration " + name + ": larger than the 1 MiB limit for calibration files");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof()) throw core::IoError("cannot read calibration " + name);
    return parse_calibration_spec(buffer.str(), name, diagnostics);
}

}  // namespace iraqsim::calibrate
