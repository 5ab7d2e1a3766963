// The citizens' part of a checkpoint (engine/checkpoint.hpp, docs/agents.md "Checkpoint and
// restart"): what the citizen engine needs to continue after a week, and the loyalty it wrote into
// the world state in every week so far. With that log the aggregate core replays the weeks up to
// the checkpoint without stepping the citizens, and re-derives everything else (policies in force,
// the recorded series) exactly.
#pragma once

#include <Eigen/Core>

#include <vector>

#include "iraqsim/agents/citizen_tables.hpp"
#include "iraqsim/agents/citizens.hpp"
#include "iraqsim/core/binary_stream.hpp"

namespace iraqsim::agents {

class CitizenEngine;

struct CitizenCheckpoint {
    int week = 0;                 // the last week stepped
    CitizenPopulation citizens;   // week `week` in buffer `current`; the other buffer is not kept
    CitizenCounts counts;         // of week `week`
    CitizenMemory memory;         // after week `week`
    std::vector<double> district_share0;
    std::vector<Eigen::ArrayXXd> loyalty_log;  // state.loyalty after weeks 0 .. week
};

void write_citizen_checkpoint(core::BinaryWriter& out, const CitizenEngine& engine, int week);
// Throws core::IoError naming the file when the record is truncated or inconsistent.
CitizenCheckpoint read_citizen_checkpoint(core::BinaryReader& in);

}  // namespace iraqsim::agents
