// Agent mode's replacement for the aggregate core's loyalty process (docs/agents.md): the citizens
// of one replicate, stepped each week from the aggregate world state, and aggregated back into it
// as integer counts, so that loyalty and support keep their meaning in every output.
#pragma once

#include <cstdint>
#include <vector>

#include "iraqsim/agents/citizen_checkpoint.hpp"
#include "iraqsim/agents/citizen_tables.hpp"
#include "iraqsim/agents/citizens.hpp"
#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::agents {

class CitizenEngine {
public:
    // Creates the citizens from `initial` (make_citizens) and writes their loyalty into it, so
    // that week 0 already reports the agents' loyalty.
    CitizenEngine(const world::Roster& roster, world::State& initial, const CitizenParams& params,
                  double persons_per_agent, std::uint64_t seed, std::uint64_t replicate);
    // Resumes from a checkpoint: up to its week, step() replays the logged loyalty (the citizens
    // stay as saved); after it, the citizens step on from the saved state.
    CitizenEngine(const world::Roster& roster, world::State& initial, const CitizenParams& params, std::uint64_t seed,
                  std::uint64_t replicate, CitizenCheckpoint saved);

    // One week: tables from last week's state `prev` and this week's `next` (violence, forces,
    // population and nationalism already updated), the citizens' step, and next.loyalty from the
    // counts of citizens at home.
    void step(const world::State& prev, world::State& next, const model::LoyaltyForceParams& forces, int week);

    [[nodiscard]] const CitizenPopulation& citizens() const { return citizens_; }
    [[nodiscard]] const CitizenCounts& counts() const { return counts_; }
    [[nodiscard]] const CitizenMemory& memory() const { return memory_; }
    [[nodiscard]] const std::vector<double>& district_share0() const { return district_share0_; }
    // state.loyalty after each week so far, for checkpoints. [week]
    [[nodiscard]] const std::vector<Eigen::ArrayXXd>& loyalty_log() const { return loyalty_log_; }

private:
    const world::Roster& roster_;
    CitizenParams params_;
    std::uint64_t seed_;
    std::uint64_t replicate_;
    CitizenPopulation citizens_;
    CitizenCounts counts_;
    CitizenMemory memory_;
    Eigen::ArrayXXd anchor_;
    std::vector<double> district_share0_;
    std::vector<Eigen::ArrayXXd> loyalty_log_;
    int replay_until_ = 0;  // weeks up to this one replay the log (resumed from a checkpoint)
};

// next.loyalty from the counts of citizens at home: the share of each community in each province
// loyal to each faction. A community with no citizen at home in a province keeps its loyalty.
void write_loyalty(const CitizenPopulation& citizens, const CitizenCounts& counts, world::State& state);

}  // namespace iraqsim::agents
