// Per-run summary metrics: scalars computed as a run ends, kept for every run of a sweep and the
// quantities sensitivity analysis ranks parameters by. For each faction its final national
// support and fighters; for each weekly flow the model records (civilian_deaths, attacks,
// us_fatalities) its total over the run, its peak week and its total in each calendar year,
// summed over provinces. Metrics come in groups (final_support, attacks_by_year, ...), each a
// variable of sweep.h5 over [run, replicate] and, for a group by faction or year, that dimension.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::sweep {

struct Metric {
    std::string name;  // final_support_jam, total_civilian_deaths, peak_attacks, attacks_2007
    std::string long_name;
    std::string units;
};

// What a group's last dimension is: none (one metric), the factions, or the calendar years.
enum class GroupDim { none, faction, year };

struct MetricGroup {
    std::string name;  // the sweep.h5 variable: final_support, total_attacks, attacks_by_year
    std::string long_name;
    std::string units;
    GroupDim dim = GroupDim::none;
    std::size_t first = 0;  // its metrics are metrics[first, first + count), in faction or year order
    std::size_t count = 1;
};

struct Metrics {
    std::vector<Metric> metrics;
    std::vector<MetricGroup> groups;
    // The weekly flows the totals, peaks and years come from, recorded every week of a run.
    std::vector<const output::VariableDef*> flows;
    std::vector<int> years;                // the calendar years a run's weekly records fall in
    std::vector<std::size_t> record_year;  // each weekly record's index into years

    [[nodiscard]] std::size_t size() const { return metrics.size(); }
};

// The metrics for this roster and this build's variable catalogue, for a run recording every
// week from `start` for `weeks` records (record w at start + 7w; a record's flows count in the
// calendar year of its date, as `iraqsim compare` counts them).
Metrics make_metrics(const world::Roster& roster, core::Date start, int weeks);

// The metrics a name stands for, in order: a metric ("attacks_2007", "final_support_jam") or a
// group ("attacks_by_year", "final_support": all its metrics). Empty when it names neither.
std::vector<std::size_t> select_metrics(const Metrics& metrics, std::string_view name);
// Every metric and group name, for suggestions.
std::vector<std::string> metric_and_group_names(const Metrics& metrics);

// Fills `out` (one value per metric). `flows[i]` holds flow i's weekly records, record-major.
void compute_metrics(const Metrics& metrics, const world::Roster& roster, const world::State& final_state,
                     std::span<const std::vector<float>* const> flows, std::span<double> out);

}  // namespace iraqsim::sweep
