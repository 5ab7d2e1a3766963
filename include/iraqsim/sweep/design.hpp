// Designs of experiments over k factors, as points in the unit hypercube [0, 1]^k; the plan maps
// each coordinate onto its parameter's levels or range. Every design is a pure function of its
// arguments (and the master seed), so any worker can expand it and get the same points.
#pragma once

#include <cstdint>
#include <vector>

namespace iraqsim::sweep {

using UnitPoints = std::vector<std::vector<double>>;  // [point][factor]

// Full factorial over the level counts, the last factor varying fastest; coordinates are level
// indices scaled to [0, 1] (i / (n - 1), or 0 for a single level).
UnitPoints grid_design(const std::vector<std::size_t>& level_counts);
// The level indices of grid point `point` (inverse of the ordering above).
std::vector<std::size_t> grid_indices(std::size_t point, const std::vector<std::size_t>& level_counts);

// Latin hypercube (McKay, Beckman and Conover 1979): each factor's range is cut into `points`
// equal strata and each stratum is hit exactly once, at a uniform position within it.
UnitPoints latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed);

// The first `points` points of the Sobol sequence (Boost.Random's `sobol`, Joe-Kuo direction
// numbers), skipping the origin; in [0, 1).
UnitPoints sobol_design(std::size_t points, std::size_t factors);

// Morris (1991) trajectories in the Campolongo, Cariboni and Saltelli (2007) form: a random start
// on the grid {0, 1/(p-1), ..., 1}, then one factor at a time, in random order, moved by
// delta = p / (2 (p - 1)) up (or down, where up would leave [0, 1]). Trajectory t holds points
// t (k + 1) ... t (k + 1) + k.
UnitPoints morris_design(std::size_t trajectories, std::size_t factors, int levels, std::uint64_t seed);
double morris_delta(int levels);

// Saltelli's (2010) design for Sobol indices from N base samples: two N x k matrices A and B
// (the first and last k coordinates of the first N points of a 2k-dimensional Sobol sequence),
// then for each factor j the matrix AB_j, A with column j taken from B. Base sample i contributes
// points i (k + 2) + 0 (A_i), + 1 (B_i) and + 2 + j (AB_j,i).
UnitPoints saltelli_design(std::size_t base_samples, std::size_t factors);

// The seed of a design point's replicates: a hash of (master seed, point), below 2^62 so that it
// is also a valid scenario.seed (`iraqsim run --seed` reproduces any run of a sweep).
std::uint64_t point_seed(std::uint64_t master_seed, std::uint64_t point);

}  // namespace iraqsim::sweep
