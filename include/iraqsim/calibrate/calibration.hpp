// A calibration problem: the calibration file, its base scenario, and the observed targets, with
// the simulation of one parameter point and its distance to the data (docs/validation.md).
//
// Monthly targets compare the model's monthly sums, national or by governorate, with the data
// month by month (by governorate: every governorate-month with data); a week's
// flow (the record of week w, the violence of days start + 7 (w - 1) to start + 7 w) is spread
// evenly over its seven days, so weeks that straddle two months count in both. `ibc_categories`
// compares, for each year of the fit, the shares of the coalition, insurgent and sectarian
// categories among the civilian deaths with a known perpetrator. The model side is always the
// observation process's reported_* output (and us_fatalities, which the data count in full).
//
// The distance is a weighted root mean square over targets of each target's own root mean loss of
// transformed residuals:
//     d_t^2 = mean_i rho(T(sim_i) - T(obs_i)),   D = sqrt(sum_t w_t d_t^2 / sum_t w_t)
// with rho(r) = r^2 (loss "squared") or Huber's 2 rho_delta(r) (r^2 within delta, 2 delta |r| - delta^2
// beyond), so that every target counts by its weight whatever its number of months.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "iraqsim/calibrate/abc_smc.hpp"
#include "iraqsim/calibrate/calibration_spec.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/scenario/registry.hpp"
#include "iraqsim/scenario/scenario.hpp"

namespace iraqsim::calibrate {

// One target's moments: what each is (a month "2005-03", or "2005 sectarian") and the data.
struct TargetData {
    Target target;
    std::vector<std::string> labels;
    std::vector<double> observed;  // raw (untransformed) values
    // Monthly targets: the month index of each moment; categories: the year's first month index
    // (the year's fit months run to the next year's).
    std::vector<int> months;
    std::vector<int> provinces;  // by-governorate targets: the province index of each moment (else empty)
    // Governorate shares: one past the year's last month with data (the year's moments share it).
    std::vector<int> months_end;
    std::string data;  // where the observed values come from, for provenance
};

using Moments = std::vector<std::vector<double>>;  // [target][moment], raw

class Calibration {
public:
    // Validates the file's parameters and targets against the base scenario and the data; every
    // problem is collected into one core::ScenarioError.
    explicit Calibration(CalibrationSpec spec);

    [[nodiscard]] const CalibrationSpec& spec() const { return spec_; }
    // The base scenario the points are applied to (its end moved to the fit's end).
    [[nodiscard]] const scenario::Scenario& base() const { return base_; }
    [[nodiscard]] const std::vector<TargetData>& targets() const { return targets_; }
    [[nodiscard]] std::vector<PriorBox> priors() const;
    [[nodiscard]] std::vector<std::string> keys() const;
    // A hash of the resolved calibration and base: a directory's states belong to one calibration.
    [[nodiscard]] const std::string& fingerprint() const { return fingerprint_; }

    // The base with the point's values set.
    [[nodiscard]] scenario::Scenario point_scenario(const std::vector<double>& theta) const;
    // The free parameters' values in the base scenario itself (`iraqsim calibrate --evaluate`).
    [[nodiscard]] std::vector<double> base_point() const;
    // The targets' moments simulated at theta, averaged over `replicates` replicates of `seed`,
    // on one thread. A core::ModelError propagates.
    [[nodiscard]] Moments simulate(const std::vector<double>& theta, std::uint64_t seed, int replicates) const;
    // Each target's d_t, and the weighted total D.
    [[nodiscard]] std::vector<double> target_distances(const Moments& simulated) const;
    [[nodiscard]] double distance(const Moments& simulated) const;
    // The distance at theta with the file's replicates; +inf when the model fails.
    [[nodiscard]] double distance_at(const std::vector<double>& theta, std::uint64_t seed) const;

private:
    void set_targets(Diagnostics& d);

    CalibrationSpec spec_;
    scenario::Scenario base_;
    std::vector<scenario::ParamRef> refs_;
    std::vector<TargetData> targets_;
    output::RecordSpec record_;
    std::vector<std::size_t> variable_of_target_;  // first variable index in record_ of each target
    // For each record (week), the months its days fall in and the share of the week in each.
    std::vector<std::vector<std::pair<int, double>>> week_months_;
    int month_count_ = 0;
    std::string fingerprint_;
};

// Reads a calibration file with `sets` added to its base overrides, and validates it.
Calibration load_calibration(const std::filesystem::path& file, const std::vector<std::string>& sets);

// Values of a parameter over a population: weighted mean and quantiles.
struct ParameterSummary {
    std::string key;
    double mean = 0;
    double q05 = 0;
    double median = 0;
    double q95 = 0;
    double lower = 0;
    double upper = 0;
};
std::vector<ParameterSummary> summarise(const Calibration& calibration, const Population& population);

// Files of a calibration directory (docs/validation.md, "Output"). Each is written whole or not at all.
void write_population_state(const std::filesystem::path& dir, const Calibration& calibration, const Population& population);
// The complete populations a directory holds, in order; core::IoError when they belong to another
// calibration (the fingerprint differs) or a file is damaged.
std::vector<Population> read_population_states(const std::filesystem::path& dir, const Calibration& calibration);
std::string posterior_csv(const Calibration& calibration, const std::vector<Population>& populations);
std::string populations_csv(const Calibration& calibration, const std::vector<Population>& populations);
// Observed and simulated moments at `theta`, one row per moment.
std::string fit_csv(const Calibration& calibration, const Moments& simulated);
// The scenario overlay with the posterior means, headed by provenance comments. `base_include`
// is the include path of the base scenario as seen from the overlay (empty: the embedded baseline).
std::string calibrated_toml(const Calibration& calibration, const std::vector<Population>& populations,
                            std::int64_t evaluations, const std::string& base_include, const std::string& command);

}  // namespace iraqsim::calibrate
