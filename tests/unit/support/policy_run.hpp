// Shared fixture for policy effect tests: the embedded baseline over a window, with extra events,
// a few replicates on one thread, and a sum of one recorded variable.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraq_world.hpp"

namespace iraqsim::test {

struct PolicyRun {
    output::RecordSpec spec;
    engine::EnsembleResult result;
};

// An event of `policy` on `date` with `fields`.
inline scenario::Event policy_event(std::string id, std::string policy, core::Date date,
                                    std::vector<std::pair<std::string, scenario::Value>> fields) {
    scenario::Event e;
    e.id = std::move(id);
    e.policy = std::move(policy);
    e.date = date;
    for (auto& [name, value] : fields) e.fields[name] = std::move(value);
    return e;
}

// The baseline from `start` to `end` plus `events`, recording `variables` weekly; `adjust` may
// change the scenario's parameters or events first.
inline PolicyRun run_policy(core::Date start, core::Date end, const std::vector<scenario::Event>& events,
                            const std::vector<std::string>& variables, std::int64_t replicates = 4,
                            const std::function<void(scenario::Scenario&)>& adjust = {}) {
    scenario::Scenario s = scenario::default_scenario();
    s.start = start;
    s.end = end;
    for (const auto& e : events) s.events.push_back(e);
    if (adjust) adjust(s);
    const auto model = engine::compile_model(s, world::iraq_roster());
    PolicyRun run;
    for (const std::string& name : variables) run.spec.variables.push_back(output::find_variable(name));
    engine::EnsembleSettings settings;
    settings.replicates = replicates;
    settings.threads = 1;
    run.result = engine::run_ensemble(model, run.spec, settings);
    return run;
}

// Per replicate, the sum of variable `v` (index into the spec) over records [first, last) and the
// elements `select` picks from each record (its index within the record's values).
template <typename Select>
std::vector<double> sum_per_replicate(const PolicyRun& run, std::size_t v, std::size_t first, std::size_t last, Select select) {
    const std::size_t size = run.spec.variables[v]->size(world::iraq_roster());
    std::vector<double> sums;
    for (const auto& r : run.result.replicates) {
        double total = 0;
        const std::size_t records = r.values[v].size() / size;
        for (std::size_t t = first; t < std::min(last, records); ++t)
            for (std::size_t i = 0; i < size; ++i)
                if (select(i)) total += r.values[v][t * size + i];
        sums.push_back(total);
    }
    return sums;
}

}  // namespace iraqsim::test
