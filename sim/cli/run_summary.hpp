// The one-screen summary `iraqsim run` prints: what ran, and the headline numbers.
#pragma once

#include <ostream>

#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"

namespace iraqsim::cli {

void print_run_summary(std::ostream& out, const scenario::Scenario& scenario, const world::Roster& roster,
                       const output::RecordSpec& spec, const engine::EnsembleResult& result);

}  // namespace iraqsim::cli
