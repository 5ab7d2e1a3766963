// A sweep expanded into indexed runs. Run i is (point i / R, replicate i % R) for R replicates per
// point; a point is one set of parameter values, applied to the base scenario through the
// scenario loader's `--set` machinery (so a sweep accepts exactly what `iraqsim run --set` does),
// and its replicates draw from streams keyed by the point's seed. Any worker that expands the
// same sweep gets the same runs, values and seeds (docs/sweeps.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "iraqsim/output/recorder.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/scenario/value.hpp"
#include "iraqsim/sweep/design.hpp"
#include "iraqsim/sweep/metrics.hpp"
#include "iraqsim/sweep/sweep_spec.hpp"

namespace iraqsim::sweep {

// Default time series of a sweep run: the headline variables, where this build records them.
inline constexpr std::string_view default_variables[] = {"support", "us_troops", "civilian_deaths", "attacks"};

struct Plan {
    SweepSpec spec;
    scenario::Scenario base;  // the base scenario with the sweep's fixed overrides, validated
    std::string sweep_toml;   // the sweep as resolved (to_sweep_toml), naming "base.toml"
    std::string base_toml;    // the base as resolved (iraqsim config)
    std::string fingerprint;  // a hash of both: shards and directories belong to one sweep
    std::vector<scenario::ValueType> types;  // each parameter's scenario type
    UnitPoints unit;                               // [point][parameter], the design's coordinates
    std::vector<std::vector<scenario::Value>> values;  // [point][parameter]
    Metrics metrics;
    output::RecordSpec output;     // the time series kept of each run
    output::RecordSpec simulated;  // what a run records: output and metric flows, weekly when flows need it
    std::vector<std::size_t> output_in_simulated;  // index of each output variable in `simulated`
    std::vector<std::size_t> flows_in_simulated;   // index of each metric flow in `simulated`
    std::vector<double> time_days;                 // the output's records, days since 2003-01-01
    int week_count = 0;

    [[nodiscard]] std::int64_t point_count() const { return static_cast<std::int64_t>(values.size()); }
    [[nodiscard]] std::int64_t replicates() const { return spec.replicates; }
    [[nodiscard]] std::int64_t run_count() const { return point_count() * spec.replicates; }
    [[nodiscard]] std::int64_t point_of(std::int64_t run) const { return run / spec.replicates; }
    [[nodiscard]] std::int64_t replicate_of(std::int64_t run) const { return run % spec.replicates; }
    [[nodiscard]] std::uint64_t seed_of(std::int64_t point) const;
};

// Points up to which every point's scenario is validated before anything runs; beyond, each
// parameter's levels and extremes are (and a point that still fails stops its worker).
inline constexpr std::int64_t validate_every_point_up_to = 1000;

// Expands and validates a sweep. Every problem (in the sweep file, the base scenario, or a value
// that a parameter would give its key) is collected into one core::ScenarioError.
Plan make_plan(SweepSpec spec);
// Reads the sweep file, adds `sets` (command-line overrides of the base) and expands it.
Plan load_plan(const std::filesystem::path& sweep_file, const std::vector<std::string>& sets);

// A hash of the resolved sweep and base, comments aside (they name where the texts were read).
std::string sweep_fingerprint(const std::string& sweep_toml, const std::string& base_toml);

// The scenario of one point: the base with the point's values set.
scenario::Scenario point_scenario(const Plan& plan, std::int64_t point);

// The assignments a point makes, "key=value" as `--set` takes them.
std::vector<std::string> point_assignments(const Plan& plan, std::int64_t point);

}  // namespace iraqsim::sweep
