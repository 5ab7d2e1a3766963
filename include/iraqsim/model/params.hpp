// Every model parameter of a run, grouped by process. Each field documents its default, unit,
// range and scenario key where it is declared.
#pragma once

#include "iraqsim/model/loyalty.hpp"

namespace iraqsim::model {

struct ModelParams {
    LoyaltyParams loyalty;
};

}  // namespace iraqsim::model
