// Assassination campaigns (docs/policies.md, "Assassination campaign"): a faction's death squads
// hunt another faction's commanders and members and the figures of its community (Badr's killing
// of former officers, Baathists and Sunni professionals; the wave of killings of Awakening leaders
// from late 2007). Victims are counted in the violence outputs; the commanders lost cut the
// target's cohesion (Levers::cohesion_loss), which recovers as they are replaced.
#pragma once

#include <vector>

#include "iraqsim/model/levers.hpp"
#include "iraqsim/model/violence.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::engine {
class StepContext;
}

namespace iraqsim::model {

// For each campaign in force, in each of its provinces: killings ~ Poisson(kills_per_squad_week x
// squads x reach), squads = squad_share x the perpetrator's armed fighters there not holding fire,
// reach = m / (m + faction_half_presence) for the target's m fighters there. civilian_share of the
// victims are civilians of the target's community (next.civilians_killed_by, one-sided), the rest
// its fighters (next.fighters_killed, at most those left after this week's other losses). Then
// cohesion_loss[target] grows by the commanders killed (leader_share of the members) over the
// target's commanders (its fighters / fighters_per_leader). Runs after update_violence.
void update_assassinations(const world::Roster& roster, const world::State& prev, world::State& next, Levers& levers,
                           const Eigen::ArrayXd& armed, const ViolenceParams& params, const engine::StepContext& ctx,
                           std::vector<Incident>* incidents);

}  // namespace iraqsim::model
