// Political control (docs/model.md, "Control and dependence"): who holds each province. Control
// follows armed force weighted by local support, and moves toward it at a weekly rate (a
// checkpoint network, a council, a police station change hands slowly).
#pragma once

#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

struct ControlParams {
    // Weekly share of the gap to the force-and-support balance closed. Default 0.05.
    double rate = 0.05;
    // Weight of local support against armed force: strength = fighters x armed x (1 - w + w x
    // support / mean support). Default 0.5.
    double support_weight = 0.5;
};

// Target control shares; rows sum to 1 where any faction has armed fighters. [province, faction]
Eigen::ArrayXXd control_balance(const world::Roster& roster, const world::State& state, const Eigen::ArrayXd& armed,
                                const ControlParams& params);

// next.control from prev.control and next's forces and loyalty.
void update_control(const world::Roster& roster, const world::State& prev, world::State& next, const Eigen::ArrayXd& armed,
                    const ControlParams& params);

}  // namespace iraqsim::model
