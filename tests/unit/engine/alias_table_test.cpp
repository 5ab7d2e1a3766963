// The alias table draws each value with its weight's share of the total: frequencies over 200,000
// draws within four standard errors, zero weights never drawn, and bad weights refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "iraqsim/engine/alias_table.hpp"

using iraqsim::engine::AliasTable;
using iraqsim::engine::Purpose;
using iraqsim::engine::RandomStream;

namespace {

void check_frequencies(const std::vector<double>& weights, std::uint64_t entity) {
    const AliasTable table(weights);
    REQUIRE(table.size() == weights.size());
    double total = 0;
    for (double w : weights) total += w;
    constexpr int n = 200000;
    std::vector<int> count(weights.size(), 0);
    RandomStream rng(5, 0, 1, Purpose::violence, entity);
    for (int i = 0; i < n; ++i) ++count.at(table(rng));
    // Values expected at least 25 times are checked one by one; the rare ones pooled into one.
    auto check = [&](double p, double drawn, std::size_t value) {
        const double se = std::sqrt(p * (1 - p) / n);
        INFO("value " << value << " (or the pooled rare values) weight share " << p << " drawn " << drawn);
        CHECK(std::fabs(drawn / n - p) <= 4 * se + 1e-12);
    };
    double rare_p = 0, rare_drawn = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double p = weights[i] / total;
        if (p == 0) {
            CHECK(count[i] == 0);
        } else if (p * n >= 25) {
            check(p, count[i], i);
        } else {
            rare_p += p;
            rare_drawn += count[i];
        }
    }
    if (rare_p > 0) check(rare_p, rare_drawn, weights.size());
}

}  // namespace

TEST_CASE("alias table frequencies match the weights", "[engine][random][alias]") {
    check_frequencies({1, 1, 1, 1}, 1);
    check_frequencies({0.5, 0.25, 0.125, 0.125}, 2);
    check_frequencies({3, 0, 1, 0, 6}, 3);
    check_frequencies({1}, 4);
    // A power law over 500 sizes, as the incident sizes: the head and the first of the tail.
    std::vector<double> law(500);
    for (std::size_t k = 1; k <= law.size(); ++k) {
        const auto x = static_cast<double>(k);
        law[k - 1] = std::pow(x, -1.5) - std::pow(x + 1.0, -1.5);
    }
    check_frequencies(law, 5);
}

TEST_CASE("alias table refuses weights it cannot draw from", "[engine][random][alias]") {
    CHECK_THROWS_AS(AliasTable(std::vector<double>{}), std::invalid_argument);
    CHECK_THROWS_AS(AliasTable(std::vector<double>{0, 0}), std::invalid_argument);
    CHECK_THROWS_AS(AliasTable(std::vector<double>{1, -1, 2}), std::invalid_argument);
    CHECK_THROWS_AS(AliasTable(std::vector<double>{1, std::nan("")}), std::invalid_argument);
}
