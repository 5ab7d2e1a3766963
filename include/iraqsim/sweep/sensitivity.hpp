// Sensitivity measures computed from a sweep's per-point outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "iraqsim/sweep/design.hpp"

namespace iraqsim::sweep {

// Morris elementary effects per factor (Morris 1991; mu* after Campolongo, Cariboni and Saltelli
// 2007): along each trajectory, the change of the output over the change of the one factor that
// moved, in unit-cube units (so effects of parameters with different ranges compare). mu is the
// mean effect, mu_star the mean absolute effect (importance), sigma the standard deviation
// (interactions and non-linearity; NaN with fewer than two effects). Points whose output is NaN
// are skipped, with the effects they take part in.
struct ElementaryEffects {
    std::vector<double> mu;
    std::vector<double> mu_star;
    std::vector<double> sigma;
    std::vector<std::size_t> count;  // effects that entered each factor's statistics
};

// `unit` and `outputs` hold the points of a morris_design, trajectory after trajectory.
ElementaryEffects morris_effects(const UnitPoints& unit, std::span<const double> outputs, std::size_t factors);

// Sobol indices per factor from the outputs at the points of a saltelli_design: the first-order
// index by the estimator of Saltelli et al. (2010), the total index by Jansen's (1999), both over
// the variance of the A and B samples, with 95% bootstrap percentile intervals (resampling the
// base samples with a generator seeded by `seed`). Base samples with any NaN output are dropped.
struct SobolIndices {
    std::vector<double> first, total;
    std::vector<double> first_low, first_high, total_low, total_high;
};
SobolIndices sobol_indices(std::span<const double> outputs, std::size_t factors, std::size_t resamples = 500,
                           std::uint64_t seed = 1);

}  // namespace iraqsim::sweep
