// Every model parameter of a run, grouped by process. Each field documents its default, unit,
// range and scenario key where it is declared.
#pragma once

#include "iraqsim/model/control.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/loyalty.hpp"
#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/model/nationalism.hpp"
#include "iraqsim/model/population.hpp"
#include "iraqsim/model/observation.hpp"
#include "iraqsim/model/troop_plan.hpp"
#include "iraqsim/model/violence.hpp"

namespace iraqsim::model {

struct ModelParams {
    LoyaltyParams loyalty;
    TroopPolicyParams us_troops;
    PopulationParams population;
    NationalismParams nationalism;
    ViolenceParams violence;
    ForcesParams forces;
    LoyaltyForceParams loyalty_forces;
    ControlParams control;
    ObservationParams observation;
};

}  // namespace iraqsim::model
