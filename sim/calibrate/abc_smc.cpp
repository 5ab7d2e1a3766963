#include "iraqsim/calibrate/abc_smc.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "iraqsim/core/error.hpp"
#include "iraqsim/sweep/design.hpp"

namespace iraqsim::calibrate {
namespace {

// Calibration draws are keyed apart from every simulation stream: their own key (a hash of the
// seed that simulations never use as a key) and a purpose outside engine::Purpose's values.
constexpr auto calibration_purpose = engine::Purpose::calibration;
constexpr std::uint64_t key_salt = 0x6361'6c69'6272'6174ull;  // "calibrat"
constexpr int max_redraws = 10000;  // proposals outside the bounds before giving up on an attempt

}  // namespace

double PriorBox::to_internal(double theta) const { return log_scale ? std::log(theta) : theta; }
double PriorBox::from_internal(double z) const {
    return std::clamp(log_scale ? std::exp(z) : z, lower, upper);
}

engine::RandomStream attempt_stream(std::uint64_t seed, int population, std::int64_t attempt) {
    return engine::RandomStream(sweep::point_seed(seed, key_salt), static_cast<std::uint64_t>(population),
                                static_cast<std::uint64_t>(attempt), calibration_purpose, 0);
}

std::uint64_t attempt_seed(std::uint64_t seed, int population, std::int64_t attempt) {
    return sweep::point_seed(seed, (static_cast<std::uint64_t>(population) << 40) + static_cast<std::uint64_t>(attempt));
}

std::vector<double> sample_prior(const std::vector<PriorBox>& priors, engine::RandomStream& rng) {
    std::vector<double> theta;
    for (const PriorBox& p : priors) {
        const double a = p.internal_lower(), b = p.internal_upper();
        theta.push_back(p.from_internal(a + rng.uniform() * (b - a)));
    }
    return theta;
}

double Population::effective_sample_size() const {
    const double s = weights.squaredNorm();
    return s > 0 ? 1.0 / s : 0.0;
}

Eigen::VectorXd normalise(const Eigen::VectorXd& weights) {
    const double total = weights.sum();
    if (!(total > 0) || !std::isfinite(total) || (weights.array() < 0).any()) {
        throw core::ModelError("calibration: particle weights are not finite and positive (sum " + std::to_string(total) + ")");
    }
    return weights / total;
}

Eigen::MatrixXd weighted_covariance(const Eigen::MatrixXd& z, const Eigen::VectorXd& weights) {
    const Eigen::RowVectorXd mean = weights.transpose() * z;
    const Eigen::MatrixXd centred = z.rowwise() - mean;
    Eigen::MatrixXd cov = centred.transpose() * weights.asDiagonal() * centred;
    const double s2 = weights.squaredNorm();
    if (s2 < 1.0) cov /= (1.0 - s2);
    return cov;
}

Kernel::Kernel(const Eigen::MatrixXd& covariance, const Eigen::VectorXd& scale) {
    Eigen::MatrixXd twice = 2.0 * covariance;
    // A collapsed population (all particles equal in a parameter) still needs a proper kernel.
    for (Eigen::Index i = 0; i < twice.rows(); ++i) {
        twice(i, i) += 1e-10 * scale(i) * scale(i);
    }
    Eigen::LLT<Eigen::MatrixXd> llt(twice);
    if (llt.info() != Eigen::Success) {
        Eigen::MatrixXd diagonal = twice.diagonal().cwiseMax(1e-10 * scale.cwiseProduct(scale)).asDiagonal();
        llt.compute(diagonal);
    }
    l_ = llt.matrixL();
}

Eigen::VectorXd Kernel::perturb(const Eigen::VectorXd& z, engine::RandomStream& rng) const {
    Eigen::VectorXd n(z.size());
    for (Eigen::Index i = 0; i < n.size(); ++i) n(i) = rng.normal();
    return z + l_ * n;
}

double Kernel::log_density(const Eigen::VectorXd& to, const Eigen::VectorXd& from) const {
    const Eigen::VectorXd u = l_.triangularView<Eigen::Lower>().solve(to - from);
    return -0.5 * u.squaredNorm();
}

Eigen::VectorXd importance_weights(const Eigen::MatrixXd& z_new, const Eigen::MatrixXd& z_prev,
                                   const Eigen::VectorXd& w_prev, const Kernel& kernel) {
    const Eigen::Index n = z_new.rows(), m = z_prev.rows();
    Eigen::VectorXd log_w(n);
    std::vector<double> terms(static_cast<std::size_t>(m));
    for (Eigen::Index i = 0; i < n; ++i) {
        double top = -std::numeric_limits<double>::infinity();
        for (Eigen::Index j = 0; j < m; ++j) {
            const double t = w_prev(j) > 0 ? std::log(w_prev(j)) + kernel.log_density(z_new.row(i).transpose(), z_prev.row(j).transpose())
                                           : -std::numeric_limits<double>::infinity();
            terms[static_cast<std::size_t>(j)] = t;
            top = std::max(top, t);
        }
        double sum = 0;
        for (const double t : terms) sum += std::exp(t - top);
        log_w(i) = -(top + std::log(sum));
    }
    const double top = log_w.maxCoeff();
    return normalise((log_w.array() - top).exp().matrix());
}

double next_tolerance(const Eigen::VectorXd& distances, double q) {
    std::vector<double> d(distances.data(), distances.data() + distances.size());
    std::sort(d.begin(), d.end());
    if (d.empty()) return std::numeric_limits<double>::infinity();
    const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(d.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, d.size() - 1);
    return d[lo] + (pos - static_cast<double>(lo)) * (d[hi] - d[lo]);
}

double weighted_quantile(const Eigen::VectorXd& values, const Eigen::VectorXd& weights, double q) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(values.size()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return values(a) < values(b); });
    double cumulative = 0;
    for (const Eigen::Index i : order) {
        cumulative += weights(i);
        if (cumulative >= q - 1e-12) return values(i);
    }
    return order.empty() ? std::nan("") : values(order.back());
}

namespace {

struct Attempt {
    std::vector<double> theta;
    double distance = std::numeric_limits<double>::infinity();
    bool proposed = false;  // false: no proposal inside the bounds was found
};

// The proposal of attempt `a`: a prior draw (population 0) or a perturbed ancestor.
Attempt propose(const std::vector<PriorBox>& priors, const AbcSettings& settings, int t, std::int64_t a,
                const Population* previous, const Eigen::MatrixXd& z_prev, const Kernel* kernel) {
    engine::RandomStream rng = attempt_stream(settings.seed, t, a);
    Attempt out;
    if (previous == nullptr) {
        out.theta = sample_prior(priors, rng);
        out.proposed = true;
        return out;
    }
    const double u = rng.uniform();
    double cumulative = 0;
    Eigen::Index ancestor = previous->size() - 1;
    for (Eigen::Index j = 0; j < previous->size(); ++j) {
        cumulative += previous->weights(j);
        if (u < cumulative) {
            ancestor = j;
            break;
        }
    }
    const Eigen::VectorXd from = z_prev.row(ancestor).transpose();
    for (int tries = 0; tries < max_redraws; ++tries) {
        const Eigen::VectorXd z = kernel->perturb(from, rng);
        bool inside = true;
        for (std::size_t k = 0; k < priors.size(); ++k) {
            const auto i = static_cast<Eigen::Index>(k);
            inside = inside && z(i) >= priors[k].internal_lower() && z(i) <= priors[k].internal_upper();
        }
        if (inside) {
            for (std::size_t k = 0; k < priors.size(); ++k) out.theta.push_back(priors[k].from_internal(z(static_cast<Eigen::Index>(k))));
            out.proposed = true;
            return out;
        }
    }
    return out;
}

Eigen::MatrixXd internal(const std::vector<PriorBox>& priors, const Eigen::MatrixXd& theta) {
    Eigen::MatrixXd z(theta.rows(), theta.cols());
    for (Eigen::Index i = 0; i < theta.rows(); ++i) {
        for (Eigen::Index k = 0; k < theta.cols(); ++k) z(i, k) = priors[static_cast<std::size_t>(k)].to_internal(theta(i, k));
    }
    return z;
}

}  // namespace

AbcResult run_abc_smc(const std::vector<PriorBox>& priors, const AbcSettings& settings, std::vector<Population> done,
                      const AbcCallbacks& callbacks) {
    AbcResult result;
    result.populations = std::move(done);
    const auto k = static_cast<Eigen::Index>(priors.size());
    const auto n = static_cast<std::int64_t>(settings.particles);
    Eigen::VectorXd scale(k);
    for (Eigen::Index i = 0; i < k; ++i) {
        const PriorBox& p = priors[static_cast<std::size_t>(i)];
        scale(i) = p.internal_upper() - p.internal_lower();
    }
    const int threads = settings.threads > 0 ? settings.threads : tbb::task_arena::automatic;
    tbb::task_arena arena(threads);
    const auto max_attempts = static_cast<std::int64_t>(std::ceil(static_cast<double>(n) / settings.min_acceptance));

    // The attempts this process evaluates (all of them without MPI ranks).
    const auto mine = [&](std::int64_t attempt) { return attempt % settings.ranks == settings.rank; };
    for (int t = static_cast<int>(result.populations.size()); t <= settings.populations; ++t) {
        const Population* previous = t > 0 ? &result.populations.back() : nullptr;
        Eigen::MatrixXd z_prev;
        std::optional<Kernel> kernel;
        Population pop;
        pop.index = t;
        if (previous != nullptr) {
            z_prev = internal(priors, previous->theta);
            kernel.emplace(weighted_covariance(z_prev, previous->weights), scale);
            pop.tolerance = next_tolerance(previous->distances, settings.quantile);
        }
        std::vector<Attempt> kept;
        std::int64_t next = 0;       // the next attempt index to evaluate
        double acceptance = 1.0;     // estimate, for sizing batches
        while (static_cast<std::int64_t>(kept.size()) < n && next < max_attempts) {
            const std::int64_t missing = n - static_cast<std::int64_t>(kept.size());
            std::int64_t batch = static_cast<std::int64_t>(std::ceil(1.2 * static_cast<double>(missing) / std::max(acceptance, 0.05)));
            batch = std::clamp<std::int64_t>(batch, std::min<std::int64_t>(missing, 16), 4 * n);
            if (t == 0) batch = missing;  // every prior draw is kept
            batch = std::min(batch, max_attempts - next);
            std::vector<Attempt> attempts(static_cast<std::size_t>(batch));
            arena.execute([&] {
                tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, batch, 1), [&](const tbb::blocked_range<std::int64_t>& range) {
                    for (std::int64_t i = range.begin(); i != range.end(); ++i) {
                        const std::int64_t a = next + i;
                        Attempt& at = attempts[static_cast<std::size_t>(i)];
                        at = propose(priors, settings, t, a, previous, z_prev, kernel ? &*kernel : nullptr);
                        if (at.proposed && mine(a)) at.distance = callbacks.distance(at.theta, attempt_seed(settings.seed, t, a));
                    }
                });
            });
            if (settings.ranks > 1) {
                // Every rank proposed every attempt alike; the distances are pooled, so every rank
                // keeps the same particles in the same order.
                std::vector<double> distances(static_cast<std::size_t>(batch), 0.0);
                for (std::int64_t i = 0; i < batch; ++i) {
                    const Attempt& at = attempts[static_cast<std::size_t>(i)];
                    if (at.proposed && mine(next + i))
                        distances[static_cast<std::size_t>(i)] = std::isnan(at.distance) ? std::numeric_limits<double>::infinity() : at.distance;
                }
                callbacks.share_distances(distances);
                for (std::int64_t i = 0; i < batch; ++i) attempts[static_cast<std::size_t>(i)].distance = distances[static_cast<std::size_t>(i)];
            }
            result.evaluations += batch;
            std::int64_t accepted_in_batch = 0;
            for (std::int64_t i = 0; i < batch && static_cast<std::int64_t>(kept.size()) < n; ++i) {
                Attempt& at = attempts[static_cast<std::size_t>(i)];
                const bool ok = at.proposed && std::isfinite(at.distance) && (t == 0 || at.distance <= pop.tolerance);
                if (ok) {
                    kept.push_back(std::move(at));
                    pop.attempts = next + i + 1;
                    ++accepted_in_batch;
                }
            }
            next += batch;
            acceptance = std::max(static_cast<double>(kept.size()), 1.0) / static_cast<double>(next);
            if (callbacks.on_batch) callbacks.on_batch(t, next, static_cast<std::int64_t>(kept.size()));
        }
        if (static_cast<std::int64_t>(kept.size()) < n) {
            result.stopped_early = true;
            break;
        }
        pop.theta.resize(n, k);
        pop.distances.resize(n);
        for (std::int64_t i = 0; i < n; ++i) {
            const auto r = static_cast<Eigen::Index>(i);
            for (Eigen::Index j = 0; j < k; ++j) pop.theta(r, j) = kept[static_cast<std::size_t>(i)].theta[static_cast<std::size_t>(j)];
            pop.distances(r) = kept[static_cast<std::size_t>(i)].distance;
        }
        if (previous == nullptr) {
            pop.weights = Eigen::VectorXd::Constant(n, 1.0 / static_cast<double>(n));
        } else {
            pop.weights = importance_weights(internal(priors, pop.theta), z_prev, previous->weights, *kernel);
        }
        result.populations.push_back(std::move(pop));
        if (callbacks.on_population) callbacks.on_population(result.populations.back());
    }
    return result;
}

}  // namespace iraqsim::calibrate
