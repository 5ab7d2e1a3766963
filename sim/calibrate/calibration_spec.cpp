#include "iraqsim/calibrate/calibration_spec.hpp"

#include <algorithm>
#include <cmath>

#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/toml_reader.hpp"

namespace iraqsim::calibrate {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> calibration_keys{
    "name", "base", "set", "seed", "method", "populations", "particles", "quantile", "min_acceptance", "replicates",
    "fit_start", "fit_end", "loss", "huber_delta", "common_random_numbers", "synthetic_seed"};
const std::vector<std::string> parameter_keys{"key", "lower", "upper", "prior", "truth"};
const std::vector<std::string> target_keys{"series", "transform", "weight"};
constexpr std::int64_t max_seed = (std::int64_t{1} << 62) - 1;

constexpr std::initializer_list<Method> methods{Method::abc_smc, Method::smm};
constexpr std::initializer_list<Prior> priors{Prior::uniform, Prior::log_uniform};
constexpr std::initializer_list<Transform> transforms{Transform::log1p, Transform::sqrt, Transform::identity};
constexpr std::initializer_list<Loss> losses{Loss::squared, Loss::huber};
constexpr std::initializer_list<TargetKind> kinds{TargetKind::ibc_monthly, TargetKind::sigact_monthly,
                                                  TargetKind::sigact_forces_monthly, TargetKind::us_fatalities_monthly,
                                                  TargetKind::ibc_categories, TargetKind::ibc_governorate_monthly,
                                                  TargetKind::sigact_governorate_monthly,
                                                  TargetKind::us_fatalities_governorate_monthly,
                                                  TargetKind::war_logs_killed_monthly, TargetKind::war_logs_detained_monthly,
                                                  TargetKind::ibc_incidents_monthly, TargetKind::sigact_governorate_shares,
                                                  TargetKind::us_fatalities_governorate_shares};

class Parser {
public:
    Parser(std::string file, Diagnostics& diagnostics) : file_(std::move(file)), read_(file_, diagnostics) {}

    CalibrationSpec parse(const std::string& text) {
        spec_.source = file_;
        spec_.name = fs::path(file_).stem().string();
        const std::optional<toml::table> root = read_.parse(text);
        if (!root) return spec_;
        read_.each_key(*root, "", {"calibration", "parameter", "target"}, [&](const std::string& k, const toml::node& node, const Origin& at, const std::string&) {
            if (k == "calibration") {
                if (const toml::table* t = read_.table(node, at, "calibration")) read_calibration(*t);
            } else if (k == "parameter") {
                read_.each_table(node, at, "parameter", [&](const toml::table& t, const Origin& o, const std::string& p) { read_parameter(t, o, p); });
            } else {
                read_.each_table(node, at, "target", [&](const toml::table& t, const Origin& o, const std::string& p) { read_target(t, o, p); });
            }
        });
        if (root->get("calibration") == nullptr) read_.error({file_, 1, 1}, "calibration", "a calibration file needs a [calibration] table");
        if (root->get("parameter") == nullptr) read_.error({file_, 1, 1}, "parameter", "a calibration needs at least one [[parameter]] table");
        if (root->get("target") == nullptr) read_.error({file_, 1, 1}, "target", "a calibration needs at least one [[target]] table");
        check();
        return spec_;
    }

private:
    void read_calibration(const toml::table& table) {
        read_.each_key(table, "calibration.", calibration_keys, [&](const std::string& k, const toml::node& value, const Origin& at, const std::string& path) {
            spec_.origins[path] = at;
            if (k == "name") {
                if (auto s = read_.file_name(value, at, path)) spec_.name = *s;
            } else if (k == "base") {
                if (auto base = read_.path_beside(value, at, path)) spec_.base = *base;
            } else if (k == "set") {
                if (auto list = read_.texts(value, at, path)) spec_.sets = *list;
            } else if (k == "seed") {
                if (auto n = read_.integer(value, at, path, 0, max_seed)) spec_.seed = static_cast<std::uint64_t>(*n);
            } else if (k == "synthetic_seed") {
                if (auto n = read_.integer(value, at, path, 0, max_seed)) spec_.synthetic_seed = static_cast<std::uint64_t>(*n);
            } else if (k == "method") {
                if (auto m = read_.one_of(value, at, path, methods, method_name)) spec_.method = *m;
            } else if (k == "populations") {
                if (auto n = read_.integer(value, at, path, 0, max_populations)) spec_.populations = static_cast<int>(*n);
            } else if (k == "particles") {
                if (auto n = read_.integer(value, at, path, 2, max_particles)) spec_.particles = static_cast<int>(*n);
            } else if (k == "replicates") {
                if (auto n = read_.integer(value, at, path, 1, max_replicates)) spec_.replicates = static_cast<int>(*n);
            } else if (k == "quantile") {
                if (auto x = fraction(value, at, path, true)) spec_.quantile = *x;
            } else if (k == "min_acceptance") {
                if (auto x = fraction(value, at, path, false)) spec_.min_acceptance = *x;
            } else if (k == "fit_start") {
                if (auto d = read_.date(value, at, path)) spec_.fit_start = *d;
            } else if (k == "fit_end") {
                if (auto d = read_.date(value, at, path)) spec_.fit_end = *d;
            } else if (k == "loss") {
                if (auto l = read_.one_of(value, at, path, losses, loss_name)) spec_.loss = *l;
            } else if (k == "huber_delta") {
                if (auto x = read_.positive(value, at, path)) spec_.huber_delta = *x;
            } else if (k == "common_random_numbers") {
                if (auto b = read_.boolean(value, at, path)) spec_.common_random_numbers = *b;
            }
        });
    }

    std::optional<double> fraction(const toml::node& node, const Origin& at, const std::string& path, bool open) {
        const auto x = read_.real(node, at, path);
        if (!x) return std::nullopt;
        if (open ? !(*x > 0 && *x < 1) : !(*x > 0 && *x <= 1)) {
            read_.error(at, path, std::string("must be in ") + (open ? "(0, 1)" : "(0, 1]") + ", got " + scenario::to_toml(*x));
            return std::nullopt;
        }
        return x;
    }

    void read_parameter(const toml::table& table, const Origin& where, const std::string& path) {
        FreeParameter p;
        p.origin = where;
        read_.each_key(table, path + ".", parameter_keys, [&](const std::string& k, const toml::node& value, const Origin& at, const std::string& field) {
            p.origins[k] = at;
            if (k == "key") {
                if (auto s = read_.text(value, at, field)) p.key = *s;
            } else if (k == "lower") {
                if (auto x = read_.real(value, at, field)) p.lower = *x;
            } else if (k == "upper") {
                if (auto x = read_.real(value, at, field)) p.upper = *x;
            } else if (k == "truth") {
                if (auto x = read_.real(value, at, field)) p.truth = *x;
            } else if (k == "prior") {
                if (auto prior = read_.one_of(value, at, field, priors, prior_name)) p.prior = *prior;
            }
        });
        for (const char* required : {"key", "lower", "upper"}) {
            if (!table.contains(required)) read_.error(where, path + "." + required, std::string("every [[parameter]] needs ") + required);
        }
        if (table.contains("lower") && table.contains("upper")) {
            if (!(p.lower < p.upper)) {
                read_.error(p.origin_of("upper"), path + ".upper",
                            "upper (" + scenario::to_toml(p.upper) + ") must be greater than lower (" + scenario::to_toml(p.lower) + ")");
            } else if (p.prior == Prior::log_uniform && !(p.lower > 0)) {
                read_.error(p.origin_of("prior"), path + ".prior", "a log-uniform prior needs lower > 0");
            }
            if (p.truth && !(*p.truth >= p.lower && *p.truth <= p.upper)) {
                read_.error(p.origin_of("truth"), path + ".truth", "the true value must lie within [lower, upper]");
            }
        }
        if (!p.key.empty() && std::any_of(spec_.parameters.begin(), spec_.parameters.end(), [&](const FreeParameter& q) { return q.key == p.key; })) {
            read_.error(p.origin_of("key"), path + ".key", "'" + p.key + "' is a free parameter twice");
        }
        spec_.parameters.push_back(std::move(p));
    }

    void read_target(const toml::table& table, const Origin& where, const std::string& path) {
        Target t;
        t.origin = where;
        read_.each_key(table, path + ".", target_keys, [&](const std::string& k, const toml::node& value, const Origin& at, const std::string& field) {
            t.origins[k] = at;
            if (k == "series") {
                if (auto kind = read_.one_of(value, at, field, kinds, target_name)) t.kind = *kind;
            } else if (k == "transform") {
                if (auto transform = read_.one_of(value, at, field, transforms, transform_name)) t.transform = *transform;
            } else if (k == "weight") {
                if (auto x = read_.positive(value, at, field)) t.weight = *x;
            }
        });
        if (!table.contains("series")) {
            read_.error(where, path + ".series", "every [[target]] needs a series (one of " + scenario::quoted_choices(kinds, target_name) + ")");
        }
        if (compares_shares(t.kind)) {
            if (table.contains("transform") && t.transform != Transform::identity) {
                read_.error(t.origins["transform"], path + ".transform",
                            std::string(target_name(t.kind)) + " are shares and are compared as they are (\"identity\")");
            }
            t.transform = Transform::identity;
        }
        if (table.contains("series") && std::any_of(spec_.targets.begin(), spec_.targets.end(), [&](const Target& o) { return o.kind == t.kind; })) {
            read_.error(t.origins["series"], path + ".series", "'" + std::string(target_name(t.kind)) + "' is a target twice");
        }
        spec_.targets.push_back(std::move(t));
    }

    void check() {
        if (spec_.method == Method::smm) {
            read_.error(origin("calibration.method"), "calibration.method",
                     "\"smm\" (simulated method of moments) is not implemented yet; use \"abc-smc\" (docs/validation.md)");
        }
        if (spec_.fit_start.day != 1) {
            read_.error(origin("calibration.fit_start"), "calibration.fit_start", "must be the first day of a month, got " + spec_.fit_start.iso());
        }
        if (spec_.fit_end.plus_days(1).day != 1) {
            read_.error(origin("calibration.fit_end"), "calibration.fit_end", "must be the last day of a month, got " + spec_.fit_end.iso());
        }
        if (spec_.fit_end > last_fit_date) {
            read_.error(origin("calibration.fit_end"), "calibration.fit_end",
                     "must be on or before " + last_fit_date.iso() + ": later data are held back for validation");
        }
        if (!(spec_.fit_start < spec_.fit_end)) {
            read_.error(origin("calibration.fit_end"), "calibration.fit_end", "must be after fit_start");
        }
        if (spec_.parameters.size() > max_parameters) {
            read_.error(spec_.parameters[max_parameters].origin, "parameter", "more than " + std::to_string(max_parameters) + " free parameters");
        }
        const auto with_truth = std::count_if(spec_.parameters.begin(), spec_.parameters.end(), [](const FreeParameter& p) { return p.truth.has_value(); });
        if (with_truth != 0 && static_cast<std::size_t>(with_truth) != spec_.parameters.size()) {
            for (const FreeParameter& p : spec_.parameters) {
                if (!p.truth) read_.error(p.origin, p.key, "a synthetic recovery needs a truth for every parameter (or none)");
            }
        }
        if (with_truth == 0 && spec_.origins.contains("calibration.synthetic_seed")) {
            read_.error(origin("calibration.synthetic_seed"), "calibration.synthetic_seed", "is for a synthetic recovery (parameters with a truth)");
        }
        if (spec_.loss != Loss::huber && spec_.origins.contains("calibration.huber_delta")) {
            read_.error(origin("calibration.huber_delta"), "calibration.huber_delta", "goes with loss = \"huber\"");
        }
    }

    Origin origin(const std::string& key) const {
        const auto it = spec_.origins.find(key);
        return it != spec_.origins.end() ? it->second : Origin{file_, 1, 1};
    }

    std::string file_;
    scenario::TomlReader read_;
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
        case TargetKind::war_logs_killed_monthly: return "war_logs_killed_monthly";
        case TargetKind::war_logs_detained_monthly: return "war_logs_detained_monthly";
        case TargetKind::ibc_incidents_monthly: return "ibc_incidents_monthly";
        case TargetKind::sigact_governorate_shares: return "sigact_governorate_shares";
        case TargetKind::us_fatalities_governorate_shares: return "us_fatalities_governorate_shares";
    }
    return "?";
}

bool governorate_shares(TargetKind kind) {
    return kind == TargetKind::sigact_governorate_shares || kind == TargetKind::us_fatalities_governorate_shares;
}

bool compares_shares(TargetKind kind) { return kind == TargetKind::ibc_categories || governorate_shares(kind); }

Origin FreeParameter::origin_of(const std::string& field) const {
    const auto it = origins.find(field);
    return it != origins.end() ? it->second : origin;
}

CalibrationSpec parse_calibration_spec(const std::string& text, const std::string& name, Diagnostics& diagnostics) {
    return Parser(name, diagnostics).parse(text);
}

CalibrationSpec read_calibration_spec(const fs::path& file, Diagnostics& diagnostics) {
    return parse_calibration_spec(scenario::read_toml_file(file, "calibration", max_calibration_file_bytes), file.string(), diagnostics);
}

}  // namespace iraqsim::calibrate
