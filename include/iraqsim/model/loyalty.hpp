// Loyalty and information: how each community's support for each faction moves week by week.
// Now: diffusion between neighbouring governorates and local opinion noise (docs/model.md,
// "Loyalty"). Protection, backlash, patronage and the nationalist penalty come with Foundation III.
#pragma once

#include <Eigen/SparseCore>
#include <vector>

#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::engine {
class StepContext;
}

namespace iraqsim::model {

struct LoyaltyParams {
    // Weekly rate at which a community's loyalty moves toward the border-weighted mean of the
    // same community in neighbouring governorates. Default 0.01 /week, range [0, 1];
    // key model.loyalty.diffusion_rate.
    double diffusion_rate = 0.01;
    // Standard deviation of the weekly log-normal shock to each loyalty share (and to the
    // unaligned share), renormalised. Default 0.02, range [0, 1]; key model.loyalty.opinion_noise.
    double opinion_noise = 0.02;
};

// Row-stochastic diffusion weights, one matrix per community over provinces: the weight of
// neighbour q for province p is proportional to the shared border length times q's share of
// that community, so opinion travels only where the community lives on both sides.
struct DiffusionOperator {
    std::vector<Eigen::SparseMatrix<double, Eigen::RowMajor>> by_community;
};

DiffusionOperator build_diffusion_operator(const world::Roster& roster);

// next.loyalty from prev.loyalty; next.residents must already hold this week's residents.
void update_loyalty(const world::State& prev, world::State& next, const DiffusionOperator& diffusion,
                    const LoyaltyParams& params, const engine::StepContext& ctx);

}  // namespace iraqsim::model
