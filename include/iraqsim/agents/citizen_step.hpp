// One synchronous week of the citizens (docs/agents.md, "A citizen's week"): every citizen reads
// its own fields and the week's tables and updates its own fields in place, in parallel chunks.
// The tables hold everything costly (exponentials, softmax, ratios), computed per district and
// community; per citizen the step is one random draw and integer comparisons against the tables.
#pragma once

#include <cstdint>
#include <vector>

#include "iraqsim/agents/citizens.hpp"

namespace iraqsim::agents {

// Probabilities are thresholds on a 32-bit uniform u: the event happens when u < threshold, so a
// probability p is the threshold round(p 2^32), and p = 1 is 2^32 (hence 64-bit thresholds).
inline constexpr double threshold_scale = 4294967296.0;  // 2^32
std::uint64_t probability_threshold(double p);

struct CitizenTables {
    // ---- per district ----
    // Detention of a citizen who was active last week. [district]
    std::vector<std::uint64_t> arrest;
    // Epstein's estimated arrest probability P divided by 256 (risk aversion is stored x 256). [district]
    std::vector<float> risk;
    // Leaving the current faction for its realigning or splinter faction. [district * F + faction]
    std::vector<std::uint64_t> defect;

    // ---- per block (district, community) ----
    // 1 - perceived legitimacy, divided by 256 (hardship is stored x 256). [block]
    std::vector<float> grievance;
    // Leaving home (at home) and coming back (displaced). [block]
    std::vector<std::uint64_t> displace;
    std::vector<std::uint64_t> come_back;
    // Nationalism ranks below this are hostile to foreign backers (0 - 256). [block]
    std::vector<std::uint16_t> hostile_below;
    // Cumulative thresholds of the loyalty choice: [(block * 2 + hostile) * (F + 1) + option], the
    // options being the factions and then none; the last equals `revise`, so one comparison chain
    // decides both whether the citizen reconsiders and what it picks.
    std::vector<std::uint64_t> choice;

    // ---- per faction ----
    std::vector<std::uint8_t> defect_to;   // receiving faction, or no_faction. [faction]
    std::vector<std::uint8_t> opposition;  // 1 if the faction fights the security forces. [faction]

    std::uint64_t revise = 0;
    float threshold = 0.1F;
    float fighter_threshold = 0.4F;
    int max_detention_weeks = 104;
};

struct StepKeys {
    std::uint64_t seed = 0;
    std::uint64_t replicate = 0;
    std::uint64_t week = 0;
};

// Advances the citizens one week and brings `counts`, which must be the citizens' counts before
// the step, to those of the new week by adding only the citizens that change.
// Draws: one Philox4x64-10 block per eight consecutive citizens, keyed by (seed, replicate) with
// counter (week, Purpose::citizens, agent / 8, 0); citizen i takes the 32-bit half i mod 8 (low
// half of word (i mod 8) / 2 first), one uniform for all its decisions. So each citizen's draws
// are a pure function of (seed, replicate, week, agent), whatever the chunks.
void step_citizens(CitizenPopulation& citizens, const CitizenTables& tables, const StepKeys& keys, CitizenCounts& counts);

// Counts of the citizens as they are (week 0, and a check of the step in debug builds).
CitizenCounts count_citizens(const CitizenPopulation& citizens);

}  // namespace iraqsim::agents
