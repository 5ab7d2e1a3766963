// Designs of experiments: the properties each promises, for any seed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "iraqsim/sweep/design.hpp"

using namespace iraqsim::sweep;

TEST_CASE("Latin hypercube: every stratum of every factor is hit exactly once", "[sweep][design]") {
    for (std::uint64_t seed : {1ull, 2ull, 99ull}) {
        const std::size_t n = 37, k = 4;
        const UnitPoints points = latin_hypercube(n, k, seed);
        REQUIRE(points.size() == n);
        for (std::size_t j = 0; j < k; ++j) {
            std::set<std::size_t> strata;
            for (const auto& p : points) {
                REQUIRE(p[j] >= 0.0);
                REQUIRE(p[j] < 1.0);
                strata.insert(static_cast<std::size_t>(std::floor(p[j] * static_cast<double>(n))));
            }
            CHECK(strata.size() == n);
        }
    }
    CHECK(latin_hypercube(10, 2, 5) == latin_hypercube(10, 2, 5));
    CHECK(latin_hypercube(10, 2, 5) != latin_hypercube(10, 2, 6));
}

// No square bracket in a test name: CMake does not split a list inside an unclosed bracket, so
// catch_discover_tests would fold every later test into one that runs nothing.
TEST_CASE("Sobol: points lie in the unit interval, are distinct and fill the square evenly", "[sweep][design]") {
    const UnitPoints points = sobol_design(64, 3);
    std::set<std::vector<double>> distinct(points.begin(), points.end());
    CHECK(distinct.size() == 64);
    int quadrant[4] = {0, 0, 0, 0};
    for (const auto& p : points) {
        for (double x : p) {
            REQUIRE(x >= 0.0);
            REQUIRE(x < 1.0);
        }
        ++quadrant[(p[0] < 0.5 ? 0 : 1) + (p[1] < 0.5 ? 0 : 2)];
    }
    for (int q : quadrant) CHECK(q == 16);  // a low-discrepancy sequence balances 2^k blocks exactly
    CHECK(points.front() == std::vector<double>{0.5, 0.5, 0.5});  // the origin is skipped
}

TEST_CASE("Morris: each step of a trajectory moves one factor by delta, each factor once", "[sweep][design]") {
    const std::size_t trajectories = 12, k = 5;
    const int levels = 4;
    const double delta = morris_delta(levels);
    CHECK(delta == Approx(2.0 / 3.0));
    const UnitPoints points = morris_design(trajectories, k, levels, 7);
    REQUIRE(points.size() == trajectories * (k + 1));
    for (std::size_t t = 0; t < trajectories; ++t) {
        std::set<std::size_t> moved;
        for (std::size_t step = 0; step < k; ++step) {
            const auto& a = points[t * (k + 1) + step];
            const auto& b = points[t * (k + 1) + step + 1];
            std::vector<std::size_t> changed;
            for (std::size_t j = 0; j < k; ++j) {
                REQUIRE(b[j] >= 0.0);
                REQUIRE(b[j] <= 1.0);
                if (a[j] != b[j]) changed.push_back(j);
            }
            REQUIRE(changed.size() == 1);
            CHECK(std::fabs(b[changed[0]] - a[changed[0]]) == Approx(delta));
            moved.insert(changed[0]);
        }
        CHECK(moved.size() == k);
        for (double x : points[t * (k + 1)]) {  // starts on the grid {0, 1/3, 2/3, 1}
            CHECK(std::fabs(x * (levels - 1) - std::round(x * (levels - 1))) < 1e-12);
        }
    }
}

TEST_CASE("Grid: full factorial, last factor fastest", "[sweep][design]") {
    const UnitPoints points = grid_design({2, 3});
    REQUIRE(points.size() == 6);
    CHECK(points[0] == std::vector<double>{0.0, 0.0});
    CHECK(points[1] == std::vector<double>{0.0, 0.5});
    CHECK(points[5] == std::vector<double>{1.0, 1.0});
    CHECK(grid_indices(4, {2, 3}) == std::vector<std::size_t>{1, 1});
}

TEST_CASE("Point seeds: deterministic, distinct, valid scenario seeds", "[sweep][design]") {
    std::set<std::uint64_t> seeds;
    for (std::uint64_t p = 0; p < 1000; ++p) {
        const std::uint64_t s = point_seed(42, p);
        CHECK(s < (1ull << 62));
        seeds.insert(s);
    }
    CHECK(seeds.size() == 1000);
    CHECK(point_seed(42, 3) == point_seed(42, 3));
    CHECK(point_seed(42, 3) != point_seed(43, 3));
}
