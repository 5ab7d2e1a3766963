// Shared test fixtures: a short ensemble with every variable recorded, and a guard that silences
// HDF5's error stack for tests that fail on purpose.
#pragma once

#include <hdf5.h>

#include <cstdint>

#include "iraqsim/core/date.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"

namespace iraqsim::test {

using QuietHdf5 = output::h5::ErrorPrintingOff;

inline output::RecordSpec all_variables(int every_weeks = 1) {
    output::RecordSpec spec;
    for (const auto& v : output::variable_catalogue()) spec.variables.push_back(&v);
    spec.every_weeks = every_weeks;
    return spec;
}

struct Run {
    scenario::Scenario scenario;
    output::RecordSpec spec;
    engine::EnsembleResult result;
};

// 2 replicates of 10 weeks from 2007-01-04 (the surge's first weeks), every variable, one thread.
inline Run small_run(std::uint64_t seed = 1) {
    Run run;
    run.scenario = scenario::default_scenario();
    run.scenario.start = core::Date{2007, 1, 4};
    run.scenario.end = core::Date{2007, 3, 8};
    run.scenario.seed = seed;
    run.scenario.replicates = 2;
    run.spec = all_variables();
    const auto model = engine::compile_model(run.scenario, world::iraq_roster());
    engine::EnsembleSettings settings;
    settings.seed = seed;
    settings.replicates = 2;
    settings.threads = 1;
    run.result = engine::run_ensemble(model, run.spec, settings);
    return run;
}

}  // namespace iraqsim::test
