// The immutable description of a run: period, seeds, what to record and every model parameter.
// Foundation II loads it from TOML against the parameter registry; until then the embedded
// default (the historical period) is the only scenario.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/model/params.hpp"

namespace iraqsim::scenario {

struct OutputSettings {
    std::vector<std::string> variables;  // empty: every variable the model produces
    int every_weeks = 1;                 // record every N weeks; week 0 is always recorded
};

struct Scenario {
    std::string name = "baseline";
    core::Date start{2003, 5, 1};  // "Mission Accomplished", 2003-05-01: the occupation begins
    core::Date end{2011, 12, 31};  // the last US troops left on 2011-12-18
    std::uint64_t seed = 1;
    std::int64_t replicates = 1;
    OutputSettings output;
    model::ModelParams params;
    std::string source;  // where it came from: a path, or "embedded default"
    std::string text;    // the scenario as resolved TOML, for provenance

    [[nodiscard]] int week_count() const { return core::weeks_between(start, end); }
};

Scenario default_scenario();

}  // namespace iraqsim::scenario
