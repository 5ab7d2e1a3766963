// A sweep file (scenarios/sweeps/*.toml, docs/sweeps.md): a base scenario, the parameters to vary
// with their levels or ranges, a design, replicates per point and a master seed. Parsed strictly,
// like a scenario: unknown keys, wrong types and impossible combinations are errors that name
// file:line:column and the key path, all collected before anything runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/scenario/diagnostics.hpp"
#include "iraqsim/scenario/value.hpp"

namespace iraqsim::sweep {

using scenario::Diagnostics;

enum class Design { grid, latin_hypercube, sobol, morris, saltelli };
enum class Distribution { uniform, log_uniform };

std::string_view design_name(Design design);
std::string_view distribution_name(Distribution distribution);

// Limits that keep a sweep file from asking for more than a cluster could run or a file could hold.
inline constexpr std::int64_t max_points = 10'000'000;
inline constexpr std::int64_t max_runs = 100'000'000;
inline constexpr std::size_t max_parameters = 64;
inline constexpr std::size_t max_sweep_file_bytes = 1u << 20;

struct Parameter {
    std::string key;                      // a scenario key path, e.g. "model.loyalty.diffusion_rate"
    std::vector<scenario::Value> levels;  // grid levels, or the choices of a sampled design
    std::optional<scenario::Value> min;   // a number or a date (sampled designs)
    std::optional<scenario::Value> max;
    Distribution distribution = Distribution::uniform;
    scenario::Origin origin;                            // the [[parameter]] table
    std::map<std::string, scenario::Origin> origins;  // each field

    [[nodiscard]] bool has_range() const { return min.has_value(); }
    [[nodiscard]] scenario::Origin origin_of(const std::string& field) const;
};

struct SweepSpec {
    std::string name;                           // default: the file's stem
    std::optional<std::filesystem::path> base;  // resolved against the sweep file; none: the embedded baseline
    std::vector<std::string> sets;              // fixed overrides of the base, "path=value"
    std::int64_t replicates = 1;
    std::uint64_t seed = 1;
    Design design = Design::grid;
    std::int64_t points = 0;        // latin_hypercube, sobol; saltelli: base samples N (N (k + 2) points)
    std::int64_t trajectories = 0;  // morris
    int morris_levels = 4;          // even; a step is morris_levels / (2 (morris_levels - 1))
    // What each run keeps as time series; none: the defaults (docs/sweeps.md); empty: summaries only.
    std::optional<std::vector<std::string>> variables;
    std::optional<int> every_weeks;       // none: the base scenario's output.every_weeks
    bool common_random_numbers = false;  // every point uses the master seed instead of its own
    std::vector<Parameter> parameters;
    std::string source;  // the file, as given
    std::map<std::string, scenario::Origin> origins;  // "sweep.<key>" -> where it was set
};

// Parses a sweep file; problems are added to `diagnostics` (the caller throws).
SweepSpec parse_sweep_spec(const std::string& text, const std::string& name, Diagnostics& diagnostics);
// Reads and parses a sweep file. An unreadable file is core::IoError; anything else, diagnostics.
SweepSpec read_sweep_spec(const std::filesystem::path& file, Diagnostics& diagnostics);

// The sweep as TOML that parse_sweep_spec reads back to the same sweep, with `base` naming
// `base_name` (the resolved base scenario written beside it) and no `set` (folded into the base).
std::string to_sweep_toml(const SweepSpec& spec, const std::string& base_name);

}  // namespace iraqsim::sweep
