// Per-run summary metrics: scalars computed as a run ends, kept for every run of a sweep and the
// quantities sensitivity analysis ranks parameters by. Final national support of each faction,
// and for each weekly flow the model records (civilian_deaths, attacks) its total over the run
// and its peak week, summed over provinces.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "iraqsim/output/variables.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::sweep {

struct Metric {
    std::string name;  // final_support_jam, total_civilian_deaths, peak_attacks
    std::string long_name;
    std::string units;
};

struct Metrics {
    std::vector<Metric> metrics;
    // The weekly flows the totals and peaks come from, recorded every week of a run.
    std::vector<const output::VariableDef*> flows;

    [[nodiscard]] std::size_t size() const { return metrics.size(); }
};

// The metrics for this roster and this build's variable catalogue.
Metrics make_metrics(const world::Roster& roster);

// Fills `out` (one value per metric). `flows[i]` holds flow i's weekly records, record-major.
void compute_metrics(const Metrics& metrics, const world::Roster& roster, const world::State& final_state,
                     std::span<const std::vector<float>* const> flows, std::span<double> out);

}  // namespace iraqsim::sweep
