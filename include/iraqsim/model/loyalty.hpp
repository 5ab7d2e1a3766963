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
    // The same weights flattened over loyalty rows (c * P + p), for the weekly step: row r's
    // neighbours are source[k] with weight[k], k in [first[r], first[r + 1]).
    std::vector<std::size_t> first;
    std::vector<Eigen::Index> source;
    std::vector<double> weight;
};

DiffusionOperator build_diffusion_operator(const world::Roster& roster);

// The week's log-rate on each loyalty share: [province-community row (c * P + p), faction], and
// the unaligned share's in the last column. Diffusion moves the shares first; then every other
// process (noise here, the forces of loyalty_forces.hpp) adds its log-rate to one drive, and
// apply_loyalty_drive moves each share once: share x exp(drive), renormalised with the unaligned
// share. One exponential per share and one renormalisation per row, whatever the number of forces.
using LoyaltyDrive = Eigen::ArrayXXd;

// A zero drive shaped for the state's loyalty.
LoyaltyDrive zero_drive(const world::State& state);

// next.loyalty = prev.loyalty diffused between neighbouring governorates (a convex combination of
// shares, so each row stays a sub-probability vector).
void diffuse_loyalty(const world::State& prev, world::State& next, const DiffusionOperator& diffusion, double rate);

// Opinion noise: a log-normal shock to each non-zero share and to the unaligned share of every
// inhabited row of next (drift -sigma^2/2, so the shock has mean 1).
void add_opinion_noise(const world::State& next, LoyaltyDrive& drive, const LoyaltyParams& params,
                       const engine::StepContext& ctx);

// share x exp(drive) for every non-zero share and the unaligned share, renormalised; a zero share
// stays zero. The drive is clamped to +-5 a week (a factor of 150), far beyond any calibrated force.
void apply_loyalty_drive(world::State& next, const LoyaltyDrive& drive);

// Diffusion and noise alone (a step with no other force): next.loyalty from prev.loyalty;
// next.residents must already hold this week's residents.
void update_loyalty(const world::State& prev, world::State& next, const DiffusionOperator& diffusion,
                    const LoyaltyParams& params, const engine::StepContext& ctx);

}  // namespace iraqsim::model
