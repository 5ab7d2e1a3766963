// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC; Toni et al., J. R. Soc.
// Interface 6, 2009; Beaumont, Cornuet, Marin and Robert, Biometrika 96, 2009; docs/validation.md).
//
// Population 0 draws N particles from the prior and keeps them all. Population t draws an ancestor
// from population t-1 by weight, moves it by a Gaussian kernel with twice the weighted covariance of
// population t-1, simulates, and keeps the particle if its distance is at most the tolerance eps_t,
// the `quantile` of population t-1's distances; until N are kept. Kept particles are weighted by
// prior / sum_j W_j K(theta | theta_j). Parameters live in an internal space where every prior is
// uniform (a log-uniform prior is uniform in log theta), so the prior is a constant inside the
// bounds and proposals outside them are redrawn without simulating.
//
// Attempt a of population t draws from a stream keyed by (seed, t, a) and simulates with a seed
// that is a function of (seed, t, a) only; the population keeps the first N accepted attempts in
// attempt order. So the result does not depend on the thread count or the batch size, and a run
// resumed from any complete population ends where an uninterrupted one does.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "iraqsim/engine/random_stream.hpp"

namespace iraqsim::calibrate {

// One free parameter's prior: uniform on [lower, upper], in theta or in log theta.
struct PriorBox {
    double lower = 0;
    double upper = 1;
    bool log_scale = false;

    [[nodiscard]] double to_internal(double theta) const;
    [[nodiscard]] double from_internal(double z) const;
    [[nodiscard]] double internal_lower() const { return to_internal(lower); }
    [[nodiscard]] double internal_upper() const { return to_internal(upper); }
};

// The random stream of attempt `attempt` of population `population`.
engine::RandomStream attempt_stream(std::uint64_t seed, int population, std::int64_t attempt);
// The simulation seed of an attempt (below 2^62, a valid scenario.seed).
std::uint64_t attempt_seed(std::uint64_t seed, int population, std::int64_t attempt);

// A draw from the prior, in theta.
std::vector<double> sample_prior(const std::vector<PriorBox>& priors, engine::RandomStream& rng);

struct Population {
    int index = 0;
    double tolerance = std::numeric_limits<double>::infinity();  // population 0: none
    std::int64_t attempts = 0;  // attempts used: the last kept attempt's index + 1
    Eigen::MatrixXd theta;      // [particle][parameter], natural scale
    Eigen::VectorXd weights;    // normalised
    Eigen::VectorXd distances;

    [[nodiscard]] Eigen::Index size() const { return theta.rows(); }
    // Kish's effective sample size, 1 / sum w^2.
    [[nodiscard]] double effective_sample_size() const;
};

// Weights scaled to sum 1; core::ModelError when they are not finite and positive.
Eigen::VectorXd normalise(const Eigen::VectorXd& weights);

// The weighted covariance of rows of `z` (weights summing to 1), with the reliability correction
// 1 / (1 - sum w^2) so that equal weights give the usual sample covariance.
Eigen::MatrixXd weighted_covariance(const Eigen::MatrixXd& z, const Eigen::VectorXd& weights);

// The Gaussian perturbation kernel N(0, 2 Sigma) in the internal space (Beaumont et al. 2009).
class Kernel {
public:
    // `covariance` is Sigma; a singular Sigma gets a small diagonal jitter relative to `scale`
    // (each parameter's internal range).
    Kernel(const Eigen::MatrixXd& covariance, const Eigen::VectorXd& scale);

    [[nodiscard]] Eigen::VectorXd perturb(const Eigen::VectorXd& z, engine::RandomStream& rng) const;
    // log K(to | from) up to a constant shared by every pair.
    [[nodiscard]] double log_density(const Eigen::VectorXd& to, const Eigen::VectorXd& from) const;
    [[nodiscard]] const Eigen::MatrixXd& cholesky() const { return l_; }

private:
    Eigen::MatrixXd l_;  // lower Cholesky factor of 2 Sigma
};

// Importance weights of new particles (rows of z_new, internal space) against the previous
// population (rows of z_prev with weights w_prev), under a uniform prior: 1 / sum_j w_j K(z | z_j),
// normalised. Computed with log-sum-exp.
Eigen::VectorXd importance_weights(const Eigen::MatrixXd& z_new, const Eigen::MatrixXd& z_prev,
                                   const Eigen::VectorXd& w_prev, const Kernel& kernel);

// The next tolerance: the q-quantile (linear interpolation) of the distances.
double next_tolerance(const Eigen::VectorXd& distances, double q);

// The q-quantile of values under normalised weights (the smallest value whose cumulative weight
// reaches q).
double weighted_quantile(const Eigen::VectorXd& values, const Eigen::VectorXd& weights, double q);

struct AbcSettings {
    std::uint64_t seed = 1;
    int populations = 4;  // after population 0
    int particles = 64;
    double quantile = 0.5;
    double min_acceptance = 0.02;
    int threads = 0;  // 0: all cores
    // Several processes (MPI ranks) share each batch: this one evaluates the attempts a with
    // a % ranks == rank, and callbacks.share_distances gives every rank every distance.
    int rank = 0;
    int ranks = 1;
};

struct AbcCallbacks {
    // The distance of theta simulated with `seed`; called from worker threads; +inf or NaN rejects.
    std::function<double(const std::vector<double>& theta, std::uint64_t seed)> distance;
    // After each complete population (write its state here).
    std::function<void(const Population&)> on_population;
    // After each batch of attempts: population, attempts evaluated so far in it, accepted so far.
    std::function<void(int population, std::int64_t evaluated, std::int64_t accepted)> on_batch;
    // With several ranks: sums each batch's distances over the ranks (each rank holds 0 for the
    // attempts it did not evaluate), so that every rank holds them all.
    std::function<void(std::vector<double>& distances)> share_distances;
};

struct AbcResult {
    std::vector<Population> populations;
    bool stopped_early = false;  // a population accepted less than min_acceptance
    std::int64_t evaluations = 0;  // simulations run in this session (batches overshoot `attempts`)
};

// Runs populations after those in `done` (empty: from the prior) up to settings.populations.
AbcResult run_abc_smc(const std::vector<PriorBox>& priors, const AbcSettings& settings, std::vector<Population> done,
                      const AbcCallbacks& callbacks);

}  // namespace iraqsim::calibrate
