#include "iraqsim/agents/citizen_engine.hpp"

#include "iraqsim/agents/citizen_population.hpp"
#include "iraqsim/agents/citizen_step.hpp"
#include "iraqsim/core/error.hpp"

namespace iraqsim::agents {

CitizenEngine::CitizenEngine(const world::Roster& roster, world::State& initial, const CitizenParams& params,
                             double persons_per_agent, std::uint64_t seed, std::uint64_t replicate)
    : roster_(roster),
      params_(params),
      seed_(seed),
      replicate_(replicate),
      citizens_(make_citizens(roster, initial, persons_per_agent, seed, replicate)),
      counts_(count_citizens(citizens_)),
      anchor_(initial.loyalty) {
    memory_.forces = Eigen::ArrayXXd::Zero(initial.loyalty.rows(), initial.loyalty.cols());
    memory_.nationalist = memory_.forces;
    district_share0_ = district_loyalty_shares(citizens_, counts_);
    write_loyalty(citizens_, counts_, initial);
    loyalty_log_.push_back(initial.loyalty);
}

CitizenEngine::CitizenEngine(const world::Roster& roster, world::State& initial, const CitizenParams& params,
                             std::uint64_t seed, std::uint64_t replicate, CitizenCheckpoint saved)
    : roster_(roster),
      params_(params),
      seed_(seed),
      replicate_(replicate),
      citizens_(std::move(saved.citizens)),
      counts_(std::move(saved.counts)),
      memory_(std::move(saved.memory)),
      anchor_(initial.loyalty),
      district_share0_(std::move(saved.district_share0)),
      loyalty_log_(std::move(saved.loyalty_log)),
      replay_until_(saved.week) {
    if (citizens_.community_count != roster.community_count() || citizens_.faction_count != roster.faction_count() ||
        memory_.forces.rows() != initial.loyalty.rows() || memory_.forces.cols() != initial.loyalty.cols() ||
        memory_.nationalist.rows() != initial.loyalty.rows() || memory_.nationalist.cols() != initial.loyalty.cols() ||
        loyalty_log_.empty() || loyalty_log_.front().rows() != initial.loyalty.rows() ||
        loyalty_log_.front().cols() != initial.loyalty.cols()) {
        throw core::ModelError("citizen agents: the checkpoint's citizens do not fit the scenario's world");
    }
    initial.loyalty = loyalty_log_.front();
}

void CitizenEngine::step(const world::State& prev, world::State& next, const model::LoyaltyForceParams& forces, int week) {
    if (week <= replay_until_) {
        next.loyalty = loyalty_log_.at(static_cast<std::size_t>(week));
        return;
    }
    const CitizenTables tables =
        build_citizen_tables({roster_, prev, next, citizens_, counts_, params_, forces, anchor_, district_share0_}, memory_);
    step_citizens(citizens_, tables, {seed_, replicate_, static_cast<std::uint64_t>(week)}, counts_);
    write_loyalty(citizens_, counts_, next);
    loyalty_log_.push_back(next.loyalty);
}

void write_loyalty(const CitizenPopulation& citizens, const CitizenCounts& counts, world::State& state) {
    const std::size_t D = citizens.district_count, C = citizens.community_count, F = citizens.faction_count;
    const auto P = state.residents.rows();
    std::vector<std::uint64_t> home(static_cast<std::size_t>(P) * C * (F + 1), 0);
    for (std::size_t d = 0; d < D; ++d) {
        const std::size_t p = citizens.district_province[d];
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t k = 0; k <= F; ++k) home[(p * C + c) * (F + 1) + k] += counts.at_home(d * C + c, k);
    }
    for (Eigen::Index p = 0; p < P; ++p) {
        for (std::size_t c = 0; c < C; ++c) {
            const std::uint64_t* n = home.data() + (static_cast<std::size_t>(p) * C + c) * (F + 1);
            std::uint64_t total = 0;
            for (std::size_t k = 0; k <= F; ++k) total += n[k];
            if (total == 0) continue;
            const Eigen::Index row = static_cast<Eigen::Index>(c) * P + p;
            for (std::size_t f = 0; f < F; ++f)
                state.loyalty(row, static_cast<Eigen::Index>(f)) = static_cast<double>(n[f]) / static_cast<double>(total);
        }
    }
}

}  // namespace iraqsim::agents
