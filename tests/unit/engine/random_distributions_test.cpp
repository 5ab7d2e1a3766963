// The distributions the violence process draws from: Poisson counts (inversion below a mean of 30,
// a normal approximation above) and truncated power-law incident sizes. Moments and tails over
// tens of thousands of draws, with tolerances of four to five standard errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "iraqsim/engine/random_stream.hpp"

using iraqsim::engine::Purpose;
using iraqsim::engine::RandomStream;

namespace {

struct SampleMoments {
    double mean = 0;
    double variance = 0;
    double zero_share = 0;
};

SampleMoments poisson_moments(double lambda, int n, std::uint64_t entity) {
    RandomStream rng(31, 0, 7, Purpose::violence, entity);
    double sum = 0, sum_sq = 0;
    int zeros = 0;
    for (int i = 0; i < n; ++i) {
        const auto k = rng.poisson(lambda);
        REQUIRE(k >= 0);
        const auto x = static_cast<double>(k);
        sum += x;
        sum_sq += x * x;
        if (k == 0) ++zeros;
    }
    SampleMoments m;
    m.mean = sum / n;
    m.variance = (sum_sq - n * m.mean * m.mean) / (n - 1);
    m.zero_share = static_cast<double>(zeros) / n;
    return m;
}

std::vector<double> pareto_draws(double x_min, double alpha, double x_max, int n, std::uint64_t entity) {
    RandomStream rng(5, 1, 3, Purpose::violence, entity);
    std::vector<double> xs(static_cast<std::size_t>(n));
    for (double& x : xs) x = rng.pareto(x_min, alpha, x_max);
    return xs;
}

double share_above(const std::vector<double>& xs, double x) {
    const auto count = std::count_if(xs.begin(), xs.end(), [x](double v) { return v > x; });
    return static_cast<double>(count) / static_cast<double>(xs.size());
}

}  // namespace

TEST_CASE("Poisson draws have mean and variance equal to the mean asked for", "[engine][random][poisson]") {
    constexpr int n = 20000;
    // 0.5 and 5 go through inversion; 50 through the normal approximation.
    for (const double lambda : {0.5, 5.0, 50.0}) {
        const SampleMoments m = poisson_moments(lambda, n, static_cast<std::uint64_t>(lambda * 10));
        INFO("mean " << lambda << ": sample mean " << m.mean << ", variance " << m.variance);
        CHECK(std::abs(m.mean - lambda) < 4.5 * std::sqrt(lambda / n));
        // Var(sample variance) of a Poisson law is about (lambda + 2 lambda^2) / n.
        CHECK(std::abs(m.variance - lambda) < 4.5 * std::sqrt((lambda + 2 * lambda * lambda) / n));
    }
}

TEST_CASE("Poisson draws with a small mean put the right mass on zero", "[engine][random][poisson]") {
    constexpr int n = 20000;
    const SampleMoments m = poisson_moments(0.5, n, 99);
    const double p0 = std::exp(-0.5);
    CHECK(std::abs(m.zero_share - p0) < 4.5 * std::sqrt(p0 * (1 - p0) / n));
}

TEST_CASE("Poisson draws agree on both sides of the switch to the normal approximation", "[engine][random][poisson]") {
    constexpr int n = 20000;
    const SampleMoments below = poisson_moments(29.9, n, 1);
    const SampleMoments above = poisson_moments(30.1, n, 2);
    CHECK(std::abs(below.mean - 29.9) < 4.5 * std::sqrt(29.9 / n));
    CHECK(std::abs(above.mean - 30.1) < 4.5 * std::sqrt(30.1 / n));
    CHECK(std::abs(below.variance - 29.9) < 4.5 * std::sqrt((29.9 + 2 * 29.9 * 29.9) / n));
    CHECK(std::abs(above.variance - 30.1) < 4.5 * std::sqrt((30.1 + 2 * 30.1 * 30.1) / n));
}

TEST_CASE("Poisson draws below a mean of 1 are the plain inversion's, bit for bit", "[engine][random][poisson]") {
    // poisson() skips the exponential when the uniform is clearly below exp(-mean); the counts must
    // be those of the walk from zero on the same uniforms, for means from 1e-9 to just under 1 (the
    // tiny ones, where the shortcut's bound and exp(-mean) are closest).
    RandomStream drawn(5, 0, 0, Purpose::violence, 7), uniforms(5, 0, 0, Purpose::violence, 7);
    int differ = 0;
    for (int i = 0; i < 200000; ++i) {
        const double mean = i % 3 == 0 ? 1e-9 * (i % 1000) : std::fmod(0.618033988749895 * i, 1.0);
        const std::int64_t k = drawn.poisson(mean);
        if (!(mean > 0)) continue;  // no uniform drawn
        const double u = uniforms.uniform();
        double term = std::exp(-mean), cumulative = term;
        std::int64_t expected = 0;
        while (u > cumulative && expected < 1000) {
            ++expected;
            term *= mean / static_cast<double>(expected);
            cumulative += term;
        }
        differ += k != expected;
    }
    CHECK(differ == 0);
}

TEST_CASE("Poisson draws with no mean are zero and large means stay finite", "[engine][random][poisson]") {
    RandomStream rng(1, 0, 0, Purpose::violence, 0);
    CHECK(rng.poisson(0.0) == 0);
    CHECK(rng.poisson(-3.0) == 0);
    CHECK(rng.poisson(std::numeric_limits<double>::quiet_NaN()) == 0);
    for (int i = 0; i < 100; ++i) {
        const auto k = static_cast<double>(rng.poisson(1e6));
        REQUIRE(k > 1e6 - 6e3);  // six standard deviations
        REQUIRE(k < 1e6 + 6e3);
    }
}

TEST_CASE("Pareto draws stay within their bounds", "[engine][random][pareto]") {
    for (const double alpha : {1.5, 2.5, 4.0}) {
        const auto xs = pareto_draws(1.0, alpha, 501.0, 20000, static_cast<std::uint64_t>(alpha * 10));
        INFO("alpha " << alpha);
        CHECK(*std::min_element(xs.begin(), xs.end()) >= 1.0);
        CHECK(*std::max_element(xs.begin(), xs.end()) <= 501.0);
    }
    const auto scaled = pareto_draws(10.0, 2.5, 20.0, 20000, 77);
    CHECK(*std::min_element(scaled.begin(), scaled.end()) >= 10.0);
    CHECK(*std::max_element(scaled.begin(), scaled.end()) <= 20.0);
    // The upper part of the range is reached: the truncation does not clip the draws below x_max.
    CHECK(*std::max_element(scaled.begin(), scaled.end()) > 19.0);
}

TEST_CASE("Pareto draws have the survival function's tail exponent alpha - 1", "[engine][random][pareto]") {
    // P(X > x) ~ x^-(alpha - 1) (random_stream.hpp; Bohorquez et al. 2009 give alpha ~ 2.5 for
    // event sizes). With x_max far away the law is a plain Pareto law.
    constexpr int n = 100000;
    for (const double alpha : {2.0, 2.5, 3.0}) {
        const auto xs = pareto_draws(1.0, alpha, 1e9, n, static_cast<std::uint64_t>(alpha * 100));
        INFO("alpha " << alpha);
        // Least-squares slope of log S(x) against log x over x = 1.5 .. 30.
        std::vector<double> lx, ls;
        for (double x = 1.5; x <= 30; x *= 1.4) {
            lx.push_back(std::log(x));
            ls.push_back(std::log(share_above(xs, x)));
        }
        const double k = static_cast<double>(lx.size());
        double mx = 0, ms = 0;
        for (std::size_t i = 0; i < lx.size(); ++i) {
            mx += lx[i] / k;
            ms += ls[i] / k;
        }
        double sxy = 0, sxx = 0;
        for (std::size_t i = 0; i < lx.size(); ++i) {
            sxy += (lx[i] - mx) * (ls[i] - ms);
            sxx += (lx[i] - mx) * (lx[i] - mx);
        }
        const double slope = sxy / sxx;
        CHECK(slope == Approx(-(alpha - 1)).margin(0.06));
        // The maximum-likelihood (Hill) estimate of the exponent: standard error (alpha - 1) / sqrt(n).
        double sum_log = 0;
        for (double x : xs) sum_log += std::log(x);
        const double hill = n / sum_log;
        CHECK(std::abs(hill - (alpha - 1)) < 5 * (alpha - 1) / std::sqrt(n));
    }
}

TEST_CASE("truncated Pareto draws follow the truncated law up to x_max", "[engine][random][pareto]") {
    constexpr int n = 100000;
    const double alpha = 2.5, x_max = 501;
    const auto xs = pareto_draws(1.0, alpha, x_max, n, 4242);
    const double a = alpha - 1, floor_mass = std::pow(x_max, -a);
    for (const double x : {2.0, 5.0, 20.0, 100.0, 300.0}) {
        const double expected = (std::pow(x, -a) - floor_mass) / (1 - floor_mass);
        INFO("x " << x);
        CHECK(std::abs(share_above(xs, x) - expected) < 5 * std::sqrt(expected * (1 - expected) / n));
    }
}

TEST_CASE("Poisson and Pareto draws are pure functions of the stream key", "[engine][random]") {
    RandomStream a(9, 2, 40, Purpose::violence, 13), b(9, 2, 40, Purpose::violence, 13);
    RandomStream other(9, 2, 40, Purpose::violence, 14);
    int differ = 0;
    for (int i = 0; i < 2000; ++i) {
        const double mean = 0.1 + (i % 70);  // both Poisson branches
        const auto ka = a.poisson(mean), kb = b.poisson(mean);
        REQUIRE(ka == kb);
        if (other.poisson(mean) != ka) ++differ;
        const double xa = a.pareto(1, 2.5, 501), xb = b.pareto(1, 2.5, 501);
        REQUIRE(xa == xb);
        if (other.pareto(1, 2.5, 501) != xa) ++differ;
    }
    CHECK(differ > 1000);
}
