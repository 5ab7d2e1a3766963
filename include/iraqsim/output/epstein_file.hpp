// Writes a validation run of Epstein's models (agents/epstein_ensemble.hpp) as one self-describing
// HDF5 file, netCDF-4 compatible: coordinates arm, seed, step (and group for Model II) as
// dimension scales, units and long names on every variable, the scenario's text and the build's
// provenance as attributes. Written atomically: a failure leaves no file behind. docs/agents.md
// lists the variables.
#pragma once

#include <filesystem>

#include "iraqsim/agents/epstein_ensemble.hpp"
#include "iraqsim/agents/epstein_scenario.hpp"

namespace iraqsim::output {

void write_epstein_file(const std::filesystem::path& target, bool force, const agents::EpsteinValidation& validation,
                        const agents::EpsteinValidationResult& result);

}  // namespace iraqsim::output
