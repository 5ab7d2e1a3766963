// The stylized facts a validation run is judged by (docs/agents.md): outbursts, peaks, tipping
// into lasting rebellion, and the extinction of a community. Measured per run, then summarised
// over the seeds of an arm by medians and counts, so that tests assert orderings and effect sizes
// rather than exact numbers.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "iraqsim/agents/epstein.hpp"
#include "iraqsim/agents/epstein_scenario.hpp"

namespace iraqsim::agents {

struct EpsteinRunMetrics {
    std::int32_t outbursts = 0;     // times actives rose to outburst_level after falling to quiet_level
    std::int32_t peak_active = 0;   // most actives at any step from from_step
    std::int32_t peak_step = -1;    // the first step with that many
    double median_active = 0.0;     // median actives over the steps from from_step
    // When the run ends with at least tipping_level active: the first step from which actives never
    // again fell to quiet_level (society tipped into lasting rebellion); -1 otherwise.
    std::int32_t tipping_step = -1;
    double cop_density_at_tipping = std::numeric_limits<double>::quiet_NaN();
    std::int32_t extinction_step = -1;  // first step a community had no one left alive; -1: none
};

// `cells` is the grid's size (for the cop density at tipping). Levels are shares of the
// citizens at step 0.
EpsteinRunMetrics measure_run(const EpsteinSeries& series, const EpsteinMetricSettings& settings, std::int32_t cells);

struct EpsteinArmSummary {
    std::string name;
    std::int32_t runs = 0;
    double median_outbursts = 0.0;
    double median_peak_active = 0.0;
    double median_active = 0.0;     // median over runs of each run's median actives
    std::int32_t runs_tipped = 0;
    double median_tipping_step = std::numeric_limits<double>::quiet_NaN();  // over the runs that tipped
    double median_cop_density_at_tipping = std::numeric_limits<double>::quiet_NaN();
    std::int32_t runs_extinct = 0;
    // Over every run, a run without extinction counting as never: +infinity when most never did.
    double median_extinction_step = std::numeric_limits<double>::infinity();
};

EpsteinArmSummary summarise_arm(const std::string& name, const std::vector<EpsteinRunMetrics>& runs);

// The median of the values (the mean of the middle two for an even count); NaN when empty.
double median(std::vector<double> values);

}  // namespace iraqsim::agents
