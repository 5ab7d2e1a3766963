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
