#include "iraqsim/engine/random_stream.hpp"

#include <cmath>

namespace iraqsim::engine {
namespace {

// Inverse of the standard normal CDF by P. J. Acklam's rational approximation (relative error
// below 1.2e-9): one uniform per variate, and no transcendental call in the central 95% of draws,
// where Box-Muller needs a log, a square root and a sine or cosine for every pair.
double inverse_normal_cdf(double p) {
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double low = 0.02425, high = 1 - low;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > high) {
        const double q = std::sqrt(-2 * std::log(1 - p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

}  // namespace

double RandomStream::normal() { return inverse_normal_cdf(uniform()); }

std::int64_t RandomStream::poisson(double mean) {
    if (!(mean > 0)) return 0;
    if (mean >= 30) {
        const double x = std::floor(mean + std::sqrt(mean) * normal() + 0.5);
        return x > 0 ? static_cast<std::int64_t>(x) : 0;
    }
    // Inversion: walk the CDF from zero with one uniform.
    const double u = uniform();
    // Most draws of the violence process have small means and are zero: below 1 - mean (a lower
    // bound of exp(-mean), here less a margin far above the rounding of both sides) the walk would
    // stop at once, so the exponential is not needed. The same count as the walk, bit for bit.
    if (mean < 1 && u < (1.0 - mean) - 1e-12) return 0;
    double term = std::exp(-mean), cumulative = term;
    std::int64_t k = 0;
    while (u > cumulative && k < 1000) {
        ++k;
        term *= mean / static_cast<double>(k);
        cumulative += term;
    }
    return k;
}

// Inverse CDF of the truncated Pareto law.
TruncatedPareto::TruncatedPareto(double x_min, double alpha, double x_max)
    : x_min_(x_min), tail_(1.0 - std::pow(x_min / x_max, alpha - 1.0)), exponent_(-1.0 / (alpha - 1.0)) {}

double TruncatedPareto::operator()(RandomStream& rng) const { return x_min_ * std::pow(1.0 - rng.uniform() * tail_, exponent_); }

double RandomStream::pareto(double x_min, double alpha, double x_max) { return TruncatedPareto(x_min, alpha, x_max)(*this); }

}  // namespace iraqsim::engine
