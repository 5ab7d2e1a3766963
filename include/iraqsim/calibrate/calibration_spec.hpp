// A calibration file (scenarios/calibration/*.toml, docs/validation.md): a base scenario, the free
// parameters with their bounds and priors, the observed targets with weights, the method and its
// budget, the fit period and a seed. Parsed strictly, like a sweep file: unknown keys, wrong types
// and impossible combinations are errors that name file:line:column and the key path, all
// collected before anything runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/scenario/diagnostics.hpp"
#include "iraqsim/scenario/value.hpp"

namespace iraqsim::calibrate {

using scenario::Diagnostics;
using scenario::Origin;

enum class Method { abc_smc, smm };
enum class Prior { uniform, log_uniform };
// How a monthly count is transformed before it is compared: log(1 + x) (default; heavy tails),
// sqrt(x), or as is. Shares (ibc_categories, the governorate shares) are compared as they are.
enum class Transform { log1p, sqrt, identity };
// The per-moment loss: squared residuals (a root mean square), or Huber's (quadratic within
// huber_delta, linear beyond) so that a few extreme months cannot dominate.
enum class Loss { squared, huber };
// National monthly series, the IBC perpetrator categories' yearly shares, monthly series by
// governorate, and each governorate's yearly share of a national total (docs/validation.md, "Data").
enum class TargetKind {
    ibc_monthly,
    sigact_monthly,
    sigact_forces_monthly,
    us_fatalities_monthly,
    ibc_categories,
    ibc_governorate_monthly,
    sigact_governorate_monthly,
    us_fatalities_governorate_monthly,
    war_logs_killed_monthly,
    war_logs_detained_monthly,
    ibc_incidents_monthly,
    sigact_governorate_shares,
    us_fatalities_governorate_shares
};

std::string_view method_name(Method method);
std::string_view prior_name(Prior prior);
std::string_view transform_name(Transform transform);
std::string_view loss_name(Loss loss);
std::string_view target_name(TargetKind kind);
// Each governorate's share of the year's total over the located governorates: where the violence
// is, apart from how much of it there is (the monthly series by governorate mix the two).
bool governorate_shares(TargetKind kind);
// Whether the target's moments are shares, compared as they are (no transform).
bool compares_shares(TargetKind kind);

// The last month of data that may be fitted: later months are held back for validation.
inline constexpr core::Date last_fit_date{2006, 12, 31};
inline constexpr std::size_t max_parameters = 32;
inline constexpr std::size_t max_calibration_file_bytes = 1u << 20;
inline constexpr int max_populations = 100;
inline constexpr int max_particles = 100000;
inline constexpr int max_replicates = 1000;

struct FreeParameter {
    std::string key;  // a real-valued scenario key path, e.g. "model.violence.attack_rate"
    double lower = 0;
    double upper = 0;
    Prior prior = Prior::uniform;
    std::optional<double> truth;  // synthetic recovery: the value the "observed" data are simulated at
    Origin origin;                // the [[parameter]] table
    std::map<std::string, Origin> origins;

    [[nodiscard]] Origin origin_of(const std::string& field) const;
};

struct Target {
    TargetKind kind = TargetKind::ibc_monthly;
    Transform transform = Transform::log1p;
    double weight = 1;
    Origin origin;
    std::map<std::string, Origin> origins;
};

struct CalibrationSpec {
    std::string name;                           // default: the file's stem
    std::optional<std::filesystem::path> base;  // resolved against the file; none: the embedded baseline
    std::vector<std::string> sets;              // fixed overrides of the base, "path=value"
    std::uint64_t seed = 1;
    Method method = Method::abc_smc;
    int populations = 4;             // ABC-SMC: populations after the prior draw (population 0)
    int particles = 64;              // ABC-SMC: accepted particles per population
    double quantile = 0.5;           // ABC-SMC: the next tolerance is this quantile of the last distances
    double min_acceptance = 0.02;    // ABC-SMC: a population that accepts less stops the run
    int replicates = 1;              // simulations averaged per evaluation
    core::Date fit_start{2004, 1, 1};  // first day of a month
    core::Date fit_end{2006, 12, 31};  // last day of a month, at most last_fit_date
    Loss loss = Loss::squared;
    double huber_delta = 1.0;             // in transformed units
    bool common_random_numbers = false;   // every evaluation uses the seed's streams
    std::uint64_t synthetic_seed = 12345; // the simulated "observed" data of a synthetic recovery
    std::vector<FreeParameter> parameters;
    std::vector<Target> targets;
    std::string source;                           // the file, as given
    std::map<std::string, Origin> origins;        // "calibration.<key>" -> where it was set

    [[nodiscard]] bool synthetic() const { return !parameters.empty() && parameters.front().truth.has_value(); }
};

// Parses a calibration file; problems are added to `diagnostics` (the caller throws).
CalibrationSpec parse_calibration_spec(const std::string& text, const std::string& name, Diagnostics& diagnostics);
// Reads and parses a calibration file. An unreadable file is core::IoError; anything else, diagnostics.
CalibrationSpec read_calibration_spec(const std::filesystem::path& file, Diagnostics& diagnostics);

}  // namespace iraqsim::calibrate
