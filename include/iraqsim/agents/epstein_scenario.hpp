// A validation scenario for Epstein's models (scenarios/validation/epstein-*.toml): the model, the
// seeds, the parameters shared by every arm ([epstein]) and the arms that change some of them
// ([[arm]]). Read strictly: unknown keys, wrong types and out-of-range values are all reported
// together with file:line:column and key (core::ScenarioError, exit code 3). docs/agents.md lists
// the keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/agents/epstein.hpp"

namespace iraqsim::agents {

struct EpsteinArm {
    std::string name;
    EpsteinParams params;
};

// How runs are summarised (agents/epstein_metrics.hpp); levels are shares of the citizens.
struct EpsteinMetricSettings {
    std::int32_t from_step = 0;     // [validation] from_step: steps before it are ignored
    double outburst_level = 0.05;   // [validation] outburst_level: an outburst starts at this share active
    double quiet_level = 0.01;      // [validation] quiet_level: ... and ends at or below this one
    double tipping_level = 0.3;     // [validation] tipping_level: a run ending with this share active has tipped
};

struct EpsteinValidation {
    std::string name;    // [validation] name: names the default output file
    std::string source;  // the file's path as given
    std::string text;    // the file's text, stored in the output
    std::uint64_t seed = 1;       // runs use seeds seed, seed + 1, ...; every arm the same ones
    std::int32_t seeds = 20;      // runs per arm
    EpsteinMetricSettings metrics;
    std::vector<EpsteinArm> arms;  // at least one; "base" when the file has no [[arm]]
};

// Throws core::IoError when the file cannot be read and core::ScenarioError listing every problem.
EpsteinValidation load_epstein_validation(const std::filesystem::path& path);
// The same from text; `file` names it in messages.
EpsteinValidation parse_epstein_validation(std::string_view text, const std::string& file);

std::string_view arrest_rule_name(ArrestRule rule);
std::string_view model_name(EpsteinModel model);

}  // namespace iraqsim::agents
