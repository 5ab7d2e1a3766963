// The week's tables for the citizens' step, from the aggregate world state and last week's counts
// of citizens (docs/agents.md, "Tables"): everything costly is computed here once per district,
// community and faction, never per citizen.
#pragma once

#include <Eigen/Core>

#include <vector>

#include "iraqsim/agents/citizen_step.hpp"
#include "iraqsim/agents/citizens.hpp"
#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::agents {

// What citizens remember of the forces on loyalty: each is an exponentially weighted sum of the
// weekly forces, decaying at the aggregate core's identity pull (x <- (1 - pull) x + force), so a
// force shifts the log-odds of a choice exactly as it shifts the aggregate core's log-share.
// Rows c * P + p as in world::State::loyalty. [community x province, faction]
struct CitizenMemory {
    Eigen::ArrayXXd forces;       // protection, patronage, backlash
    Eigen::ArrayXXd nationalist;  // the nationalist penalty, felt only by hostile citizens
};

struct TableInputs {
    const world::Roster& roster;
    const world::State& prev;  // last week
    const world::State& next;  // this week, with its violence, forces, population and nationalism
    const CitizenPopulation& citizens;
    const CitizenCounts& counts;  // last week's
    const CitizenParams& params;
    const model::LoyaltyForceParams& forces;
    const Eigen::ArrayXXd& anchor;  // the initial loyalty [community x province, faction]
    // Share of each district's citizens at home with each loyalty column at week 0. [district * (F + 1) + column]
    const std::vector<double>& district_share0;
};

// Builds this week's tables and advances the memory by one week.
CitizenTables build_citizen_tables(const TableInputs& in, CitizenMemory& memory);

// Share of each district's citizens at home with each loyalty column. [district * (F + 1) + column]
std::vector<double> district_loyalty_shares(const CitizenPopulation& citizens, const CitizenCounts& counts);

}  // namespace iraqsim::agents
