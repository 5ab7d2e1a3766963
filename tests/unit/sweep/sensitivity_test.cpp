// Morris elementary effects against functions whose effects are known.
#include <catch2/catch.hpp>

#include <cmath>

#include "iraqsim/sweep/design.hpp"
#include "iraqsim/sweep/sensitivity.hpp"

using namespace iraqsim::sweep;

TEST_CASE("Morris: a linear function's effects are its coefficients, with no spread", "[sweep][sensitivity]") {
    const std::vector<double> a{3.0, -2.0, 0.0, 0.5};
    const UnitPoints points = morris_design(10, a.size(), 4, 3);
    std::vector<double> y;
    for (const auto& p : points) {
        double v = 1.0;
        for (std::size_t j = 0; j < a.size(); ++j) v += a[j] * p[j];
        y.push_back(v);
    }
    const ElementaryEffects e = morris_effects(points, y, a.size());
    for (std::size_t j = 0; j < a.size(); ++j) {
        CHECK(e.count[j] == 10);
        CHECK(e.mu[j] == Approx(a[j]).margin(1e-12));
        CHECK(e.mu_star[j] == Approx(std::fabs(a[j])).margin(1e-12));
        CHECK(e.sigma[j] == Approx(0.0).margin(1e-12));
    }
}

TEST_CASE("Morris: an interaction shows as spread, an inert factor as zero", "[sweep][sensitivity]") {
    const UnitPoints points = morris_design(30, 3, 4, 5);
    std::vector<double> y;
    for (const auto& p : points) y.push_back(p[0] * p[1]);  // x2 inert
    const ElementaryEffects e = morris_effects(points, y, 3);
    CHECK(e.mu_star[0] > 0.1);
    CHECK(e.sigma[0] > 0.1);
    CHECK(e.mu_star[2] == 0.0);
}

TEST_CASE("Morris: a missing output drops only the effects it takes part in", "[sweep][sensitivity]") {
    const UnitPoints points = morris_design(4, 2, 4, 1);
    std::vector<double> y;
    for (const auto& p : points) y.push_back(2 * p[0] + p[1]);
    y[0] = std::nan("");  // the first trajectory's start
    const ElementaryEffects e = morris_effects(points, y, 2);
    CHECK(e.count[0] + e.count[1] == 7);
    CHECK(e.mu[0] == Approx(2.0));
}

TEST_CASE("Sobol indices of the Ishigami function match the analytic values", "[sweep][sensitivity]") {
    // Ishigami and Homma (1990), a = 7, b = 0.1, x uniform on [-pi, pi]^3; the indices are known
    // in closed form (Saltelli et al. 2008, section 4.9).
    constexpr double pi = 3.14159265358979323846, a = 7.0, b = 0.1;
    const UnitPoints points = saltelli_design(4096, 3);
    REQUIRE(points.size() == 4096 * 5);
    std::vector<double> y;
    for (const auto& u : points) {
        const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
        y.push_back(std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1));
    }
    const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2), v2 = a * a / 8;
    const double v13 = std::pow(b, 2) * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50), v = v1 + v2 + v13;
    const double first[3] = {v1 / v, v2 / v, 0.0}, total[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    const SobolIndices s = sobol_indices(y, 3, 200, 1);
    for (std::size_t j = 0; j < 3; ++j) {
        CHECK(s.first[j] == Approx(first[j]).margin(0.03));
        CHECK(s.total[j] == Approx(total[j]).margin(0.03));
        CHECK(s.first_low[j] <= s.first[j]);
        CHECK(s.first[j] <= s.first_high[j]);
        CHECK(s.total_low[j] <= total[j] + 0.03);
        CHECK(total[j] - 0.03 <= s.total_high[j]);
    }
    CHECK(first[0] == Approx(0.3139).margin(1e-4));  // the textbook values
    CHECK(total[2] == Approx(0.2437).margin(1e-4));
}

TEST_CASE("Saltelli design: A, B, then A with one column of B per factor", "[sweep][design]") {
    const UnitPoints points = saltelli_design(8, 3);
    REQUIRE(points.size() == 8 * 5);
    for (std::size_t i = 0; i < 8; ++i) {
        const auto& a = points[i * 5];
        const auto& bb = points[i * 5 + 1];
        for (std::size_t j = 0; j < 3; ++j) {
            for (std::size_t c = 0; c < 3; ++c) CHECK(points[i * 5 + 2 + j][c] == (c == j ? bb[c] : a[c]));
        }
    }
}
