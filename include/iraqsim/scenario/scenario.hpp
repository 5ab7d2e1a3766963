// The description of a run: period, seeds, what to record, the world, every model parameter and
// the timeline of events. Loaded from TOML against the parameter registry (scenario/loader.hpp),
// validated whole, then treated as immutable.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "iraqsim/agents/citizens.hpp"
#include "iraqsim/core/date.hpp"
#include "iraqsim/model/params.hpp"
#include "iraqsim/scenario/event.hpp"
#include "iraqsim/world/roster.hpp"

namespace iraqsim::scenario {

struct OutputSettings {
    std::vector<std::string> variables;  // empty: every variable the model produces
    int every_weeks = 1;                 // record every N weeks; week 0 is always recorded
    bool incidents = false;              // write the incident log (docs/output.md)
    int compression = 1;                 // zlib level of the time series in the file (0: none)
};

// How the population is represented (docs/agents.md): as shares per province and community (the
// aggregate core), or as citizen agents whose counts replace the aggregate loyalty.
enum class PopulationMode { aggregate, agents };

struct PopulationSettings {
    PopulationMode mode = PopulationMode::aggregate;
    // Persons one citizen agent stands for (agents mode). Default 1, range [1, 1e6]; key population.persons_per_agent.
    double persons_per_agent = 1;
    agents::CitizenParams citizens;
};

struct Scenario {
    std::string name = "baseline";
    core::Date start{2003, 5, 1};  // "Mission Accomplished", 2003-05-01: the occupation begins
    core::Date end{2011, 12, 31};  // the last US troops left on 2011-12-18
    std::uint64_t seed = 1;
    std::int64_t replicates = 1;
    OutputSettings output;
    PopulationSettings population;
    model::ModelParams params;
    world::Roster world = world::iraq_roster();
    std::vector<Event> events;  // in order of definition
    std::map<std::string, Origin> origins;  // where each key path was last set, for later errors
    std::string source;  // where it came from: a path, or "embedded default"
    std::string text;    // the scenario as resolved TOML, for provenance

    [[nodiscard]] int week_count() const { return core::weeks_between(start, end); }
};

// The embedded default: the historical baseline (scenarios/history/baseline.toml, compiled in)
// over the embedded Iraq world.
Scenario default_scenario();

// The embedded Iraq world with built-in defaults and no events: what the baseline overlays.
Scenario bare_scenario();

}  // namespace iraqsim::scenario
