// Richardson's arms race (Richardson 1960) as a limit of the sponsors and forces processes: two
// rival factions, each armed by its own sponsor with a standing supply (Richardson's grievance
// terms g, h) and a reaction to the rival's arsenal (his defence coefficients k, l), their stocks
// worn out at the depreciation rate (his fatigue a = b). The model's arsenals then follow
//     x' = (1 - a) x + k y + g,   y' = (1 - a) y + l x + h,
// the discrete form of dx/dt = k y - a x + g, dy/dt = l x - b y + h, which settles at its
// equilibrium if and only if a b > k l and otherwise grows without bound.
#include <catch2/catch.hpp>

#include <cmath>

#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/sponsors.hpp"
#include "../support/iraq_world.hpp"

namespace {

using namespace iraqsim;

struct Rivals {
    world::Roster roster = test::iraq();
    model::ForcesParams params;
    Eigen::Index x = test::faction("isci"), y = test::faction("sunni_insurgents");
    world::State state;

    // k: the reaction of x's sponsor to y's arms; l: of y's sponsor to x's arms; g, h: standing
    // supplies in USD a week; a: the depreciation (fatigue) of both stocks.
    Rivals(double a, double k, double l, double g, double h) {
        for (world::Faction& f : roster.factions) {
            for (auto& tie : f.sponsor_ties) tie.fill(0.0);
            f.violence_targets.clear();
            f.home_revenue_usd_per_week = 0;
            f.splinter_of.reset();
            f.realigns_from.reset();
        }
        for (world::Sponsor& s : roster.sponsors) s = {s.id, s.display_name, 0.0, 0.0};
        const std::size_t us = test::sponsor_index("us"), iran = test::sponsor_index("iran");
        constexpr std::size_t arms = 1;
        roster.factions[static_cast<std::size_t>(x)].sponsor_ties[us][arms] = 1.0;
        roster.factions[static_cast<std::size_t>(y)].sponsor_ties[iran][arms] = 1.0;
        roster.factions[static_cast<std::size_t>(x)].violence_targets = {{world::ViolenceTarget::Kind::faction, static_cast<std::size_t>(y), 1.0}};
        roster.sponsors[us] = {"us", "United States", g, k};
        roster.sponsors[iran] = {"iran", "Iran", h, l};
        params.arms_depreciation = a;
        state = test::iraq_start();
        state.arms.setZero();
        state.arms(x) = 1000;
        state.arms(y) = 5000;
    }

    // One week of the two processes that move arms, with no fighting.
    void week() {
        world::State next = state;
        model::Levers levers(roster.faction_count());
        next.fighters_killed.setZero();
        next.fighters_detained.setZero();
        next.attacks_by.setZero();
        model::update_sponsors(roster, state, next, levers);
        model::update_forces(roster, state, next, levers, params, Eigen::ArrayXd::Zero(state.us_troops.size()));
        state = std::move(next);
    }
};

}  // namespace

TEST_CASE("two rivals armed by reacting sponsors follow Richardson's recursion", "[model][sponsors][richardson]") {
    const double a = 0.1, k = 0.05, l = 0.1, g = 2000, h = 500;
    Rivals r(a, k, l, g, h);
    REQUIRE(r.state.militia.col(r.x).sum() > 0);
    REQUIRE(r.state.militia.col(r.y).sum() > 0);
    double x = r.state.arms(r.x), y = r.state.arms(r.y);
    for (int t = 0; t < 60; ++t) {
        r.week();
        const double x_next = (1 - a) * x + k * y + g, y_next = (1 - a) * y + l * x + h;
        x = x_next;
        y = y_next;
        REQUIRE(r.state.arms(r.x) == Approx(x).epsilon(1e-12));
        REQUIRE(r.state.arms(r.y) == Approx(y).epsilon(1e-12));
    }
}

TEST_CASE("Richardson's arms race settles at its equilibrium when a b > k l", "[model][sponsors][richardson]") {
    const double a = 0.1, k = 0.05, l = 0.1, g = 2000, h = 500;  // k l = 0.005 < a b = 0.01
    Rivals r(a, k, l, g, h);
    for (int t = 0; t < 1500; ++t) r.week();
    // The equilibrium of dx/dt = k y - a x + g, dy/dt = l x - a y + h.
    const double det = a * a - k * l;
    CHECK(r.state.arms(r.x) == Approx((a * g + k * h) / det).epsilon(1e-6));
    CHECK(r.state.arms(r.y) == Approx((a * h + l * g) / det).epsilon(1e-6));
}

TEST_CASE("Richardson's arms race runs away exactly when k l exceeds a b", "[model][sponsors][richardson]") {
    const double a = 0.1, g = 2000, h = 500;
    // k l as a multiple of a b = 0.01, on both sides of the threshold.
    for (const double ratio : {0.5, 0.8, 1.25, 2.0}) {
        const double l = 0.1, k = ratio * a * a / l;
        Rivals r(a, k, l, g, h);
        for (int t = 0; t < 1000; ++t) r.week();
        const double total = r.state.arms(r.x) + r.state.arms(r.y);
        const double scale = (g + h) / a;  // the stock the standing supplies alone would keep
        INFO("k l / a b = " << ratio << ", arms after 1000 weeks " << total);
        if (ratio < 1) {
            CHECK(total < 20 * scale);
        } else {
            CHECK(total > 1000 * scale);
        }
    }
}

TEST_CASE("a sponsor with no reaction supplies only its standing ties", "[model][sponsors][richardson]") {
    Rivals r(0.1, 0.0, 0.0, 2000, 500);
    for (int t = 0; t < 400; ++t) r.week();
    // Each stock settles at its own supply over its depreciation: no coupling without reaction.
    CHECK(r.state.arms(r.x) == Approx(2000 / 0.1).epsilon(1e-6));
    CHECK(r.state.arms(r.y) == Approx(500 / 0.1).epsilon(1e-6));
}
