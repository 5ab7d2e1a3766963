// Loading a scenario: the embedded Iraq world and its history, then the file (its includes first,
// relative to the including file), then `--set` overrides, each checked against the registry and
// the policy catalogue. Every problem is collected; if there is any, the load throws one
// core::ScenarioError listing them all (file:line:column, key path, a suggestion where one is close).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/policy/catalogue.hpp"
#include "iraqsim/scenario/diagnostics.hpp"
#include "iraqsim/scenario/scenario.hpp"

namespace iraqsim::scenario {

// Bounds that keep a hostile file from exhausting the parser (toml++ overflows its stack on keys
// nested about 100,000 deep) or memory.
inline constexpr std::size_t max_file_bytes = 16u << 20;
inline constexpr int max_nesting = 64;
inline constexpr int max_keys = 100000;  // key = value lines in one file
inline constexpr int max_include_depth = 32;
inline constexpr int max_files = 256;  // files loaded in all, so that repeated includes cannot explode
inline constexpr int max_weeks = 5200;  // a century

// The first problem in a text that the TOML parser must not see: bytes that are not UTF-8, or
// nesting or keys past the bounds above (line 0 when there is none). Other TOML readers (sweep
// files) share the scenario loader's guard.
struct TextProblem {
    int line = 0;
    int column = 0;
    std::string what;
};
TextProblem find_text_problem(std::string_view text);

// How messages name the compiled-in baseline.
inline constexpr const char* embedded_baseline_name = "scenarios/history/baseline.toml (embedded)";

Scenario load_scenario(const std::optional<std::filesystem::path>& file, const std::vector<std::string>& sets,
                       const std::vector<policy::PolicyDef>& catalogue = policy::policy_catalogue());

// Layers applied one after another onto a scenario, collecting diagnostics (used by the loader,
// exposed for tests).
void apply_file(Scenario& scenario, const std::filesystem::path& file, Diagnostics& diagnostics);
void apply_set(Scenario& scenario, const std::string& assignment, Diagnostics& diagnostics);
// A scenario given as text (the embedded baseline); `name` stands for its file in messages.
void apply_text(Scenario& scenario, const std::string& text, const std::string& name, Diagnostics& diagnostics);
void validate(const Scenario& scenario, const std::vector<policy::PolicyDef>& catalogue, Diagnostics& diagnostics);

// The resolved scenario as TOML that `iraqsim run` accepts and that reproduces the same run.
std::string to_config_toml(const Scenario& scenario);

}  // namespace iraqsim::scenario
