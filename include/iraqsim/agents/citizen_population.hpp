// The citizens at week 0: how many, where, with which traits, loyalty and state
// (docs/agents.md, "The population at week 0").
#pragma once

#include <cstdint>

#include "iraqsim/agents/citizens.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::agents {

// One agent per `persons_per_agent` residents and displaced of each community in each province of
// `initial` (rounded to the nearest agent), spread over the province's districts in proportion to
// the community's members there (data/world/district_population_ethnicity.csv, 2007; largest
// remainders). Traits are uniform (hardship, risk aversion, nationalism rank); loyalty is drawn
// from the community's loyalty in the province, state from its displaced share. Draws:
// Purpose::citizen_traits keyed by agent. Throws core::ModelError if the roster's provinces are
// not the embedded world's (districts are known only for those) or there are too many factions.
CitizenPopulation make_citizens(const world::Roster& roster, const world::State& initial, double persons_per_agent,
                       std::uint64_t seed, std::uint64_t replicate);

// Agents for each district and community: the allocation make_citizens uses. [district * C + c]
std::vector<std::uint64_t> allocate_citizens(const world::Roster& roster, const world::State& initial,
                                             double persons_per_agent);

}  // namespace iraqsim::agents
