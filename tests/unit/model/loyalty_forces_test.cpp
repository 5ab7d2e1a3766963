// The forces on loyalty beyond diffusion (backlash, protection, patronage, the nationalist penalty,
// identity pull, supporters following defectors) and the tips civilians pass to the security forces.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "../support/iraq_world.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using iraqsim::model::apply_loyalty_forces;
using iraqsim::model::fights_security_forces;
using iraqsim::model::LoyaltyForceParams;
using iraqsim::model::update_tips;
using iraqsim::world::Roster;
using iraqsim::world::State;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {

const Eigen::ArrayXXd& anchor() { return iraq_start().loyalty; }

Eigen::Index row(const char* community, const char* province_id) {
    return static_cast<Eigen::Index>(iraq().find_community(community)->index()) * P() + province(province_id);
}

// The start with no forces acting: no violence, no money, no nationalism.
State quiet_start() {
    State s = iraq_start();
    s.civilians_killed_by.setZero();
    s.civilians_killed_by_us.setZero();
    s.home_revenue.setZero();
    s.backing.setZero();
    s.nationalism.setZero();
    s.defection.setZero();
    return s;
}

State forced(const State& prev, State next, const LoyaltyForceParams& params = LoyaltyForceParams{}) {
    apply_loyalty_forces(iraq(), prev, next, params, anchor());
    return next;
}

void require_simplex(const Eigen::ArrayXXd& loyalty) {
    INFO("largest row sum - 1: " << loyalty.rowwise().sum().maxCoeff() - 1);
    REQUIRE(loyalty.allFinite());
    REQUIRE((loyalty >= 0).all());
    REQUIRE((loyalty <= 1).all());
    REQUIRE((loyalty.rowwise().sum() <= 1 + 1e-9).all());  // check_invariants' tolerance
}

}  // namespace

TEST_CASE("the forces leave nothing to do at the anchor when nothing acts", "[model][loyalty_forces]") {
    const State prev = quiet_start();
    const State next = forced(prev, prev);
    CHECK((next.loyalty - prev.loyalty).abs().maxCoeff() < 1e-12);
}

TEST_CASE("shares stay on the simplex under extreme forces", "[model][loyalty_forces]") {
    const State prev = iraq_start();
    State next = prev;
    next.civilians_killed_by.setConstant(1e6);
    next.civilians_killed_by.col(faction("jam")).setZero();  // some factions kill, some protect
    next.civilians_killed_by_us.setConstant(1e5);
    next.home_revenue.setConstant(1e12);
    next.nationalism.setConstant(1.0);
    next.nationalism_focus.setZero();
    next.nationalism_focus.col(sponsor("iran")).setConstant(1.0);
    next.dependence.setConstant(1.0);
    next.defection.setConstant(0.5);  // far above any weekly rate
    LoyaltyForceParams strong;
    strong.backlash = 1e3;
    strong.protection = 1e3;
    strong.patronage = 1e3;
    strong.nationalist_penalty = 10;
    strong.identity_pull = 1;
    const State after = forced(prev, next, strong);
    require_simplex(after.loyalty);
    // Run on from there for a while: still on the simplex.
    State s = after;
    for (int week = 0; week < 20; ++week) {
        State n = s;
        n.civilians_killed_by = next.civilians_killed_by;
        n.civilians_killed_by_us = next.civilians_killed_by_us;
        s = forced(s, n, strong);
        INFO("week " << week);
        require_simplex(s.loyalty);
    }
}

TEST_CASE("a fully aligned community stays on the simplex when all its factions lose support together",
          "[model][loyalty_forces]") {
    // Every faction of the row loses support at the clamp (-5 a week); the renormalisation must
    // give the shares back their sum, 1, and no more. Here the shares start a rounding error (two
    // ulps) above 1, as a renormalised row can: an unaligned share taken as 1 - sum is then
    // negative, and each week multiplies it by e^5 ~ 148 unless it is kept at or above zero.
    State s = quiet_start();
    const Eigen::Index r = row("shia_arab", "baghdad");
    const Eigen::Index isci = faction("isci"), jam = faction("jam"), gov = faction("government");
    s.loyalty.row(r).setZero();
    s.loyalty(r, isci) = 0.1;
    s.loyalty(r, jam) = 0.2;
    s.loyalty(r, gov) = std::nextafter(std::nextafter(0.7, 1.0), 1.0);
    REQUIRE(s.loyalty.row(r).sum() - 1 > 0);
    REQUIRE(s.loyalty.row(r).sum() - 1 < 1e-15);
    for (int week = 0; week < 10; ++week) {
        State next = s;
        for (const Eigen::Index f : {isci, jam, gov}) next.civilians_killed_by(r, f) = 1e5;
        s = forced(s, next);
        INFO("week " << week << ": row sum - 1 = " << s.loyalty.row(r).sum() - 1);
        REQUIRE(s.loyalty.row(r).sum() <= 1 + 1e-9);
    }
}

TEST_CASE("a faction that kills a community's civilians loses its support there", "[model][loyalty_forces]") {
    const State prev = quiet_start();
    const Eigen::Index jam = faction("jam"), gov = faction("government");
    const Eigen::Index r = row("shia_arab", "baghdad"), elsewhere = row("shia_arab", "basra");
    REQUIRE(prev.loyalty(r, jam) > 0);
    State next = prev;
    next.civilians_killed_by(r, jam) = 200;
    const State after = forced(prev, next);
    CHECK(after.loyalty(r, jam) < 0.95 * prev.loyalty(r, jam));
    CHECK(after.loyalty(elsewhere, jam) == Approx(prev.loyalty(elsewhere, jam)).epsilon(1e-12));
    // More killing, more backlash.
    next.civilians_killed_by(r, jam) = 400;
    CHECK(forced(prev, next).loyalty(r, jam) < after.loyalty(r, jam));

    // Killing by US forces costs the factions that depend on the US.
    State by_us = prev;
    by_us.civilians_killed_by_us(province("baghdad"), static_cast<Eigen::Index>(iraq().find_community("shia_arab")->index())) = 200;
    REQUIRE(prev.dependence(sponsor("us"), gov) > 0.3);
    REQUIRE(prev.loyalty(r, gov) > 0);
    const State after_us = forced(prev, by_us);
    CHECK(after_us.loyalty(r, gov) < prev.loyalty(r, gov));
    CHECK(after_us.loyalty(r, gov) / prev.loyalty(r, gov) < after_us.loyalty(r, jam) / prev.loyalty(r, jam));
}

TEST_CASE("a community attacked by others rallies to the armed factions that defend it", "[model][loyalty_forces]") {
    const State prev = quiet_start();
    const Eigen::Index insurgents = faction("sunni_insurgents"), jam = faction("jam");
    const Eigen::Index r = row("sunni_arab", "baghdad");
    REQUIRE(prev.militia(province("baghdad"), insurgents) > 0);
    REQUIRE(prev.loyalty(r, insurgents) > 0);
    State next = prev;
    next.civilians_killed_by(r, jam) = 100;  // JAM's death squads
    const State after = forced(prev, next);
    CHECK(after.loyalty(r, insurgents) > prev.loyalty(r, insurgents));
    // The same killing by the community's own faction is no reason to rally to it.
    State own = prev;
    own.civilians_killed_by(r, insurgents) = 100;
    CHECK(forced(prev, own).loyalty(r, insurgents) < prev.loyalty(r, insurgents));
}

TEST_CASE("money spent where a faction is present buys support in its base", "[model][loyalty_forces]") {
    const State prev = quiet_start();
    const Eigen::Index isci = faction("isci");
    const Eigen::Index r = row("shia_arab", "basra"), kurd_row = row("kurd", "basra");
    REQUIRE(prev.militia(province("basra"), isci) > 0);
    State rich = prev;
    rich.home_revenue(isci) = 5e7;
    const State after = forced(prev, rich);
    CHECK(after.loyalty(r, isci) > prev.loyalty(r, isci));
    // Outside its base communities the money buys nothing (the renormalisation aside).
    if (prev.loyalty(kurd_row, isci) > 0) CHECK(after.loyalty(kurd_row, isci) <= prev.loyalty(kurd_row, isci) + 1e-15);
}

TEST_CASE("nationalism hurts a foreign-backed faction most when aimed at its sponsor", "[model][loyalty_forces]") {
    State prev = quiet_start();
    const Eigen::Index isci = faction("isci"), gov = faction("government");
    const Eigen::Index iran = sponsor("iran"), us = sponsor("us");
    REQUIRE(prev.dependence(iran, isci) > 0.5);
    prev.nationalism.setConstant(0.8);
    auto with_focus = [&](Eigen::Index on) {
        State next = prev;
        next.nationalism_focus.setZero();
        next.nationalism_focus.col(on).setConstant(1.0);
        return forced(prev, next);
    };
    const State at_iran = with_focus(iran), at_us = with_focus(us);
    const Eigen::Index r = row("shia_arab", "najaf");
    REQUIRE(prev.loyalty(r, isci) > 0);
    CHECK(at_iran.loyalty(r, isci) < prev.loyalty(r, isci));
    CHECK(at_iran.loyalty(r, isci) < at_us.loyalty(r, isci));
    // And the US-dependent government the other way round.
    CHECK(at_us.loyalty(r, gov) < at_iran.loyalty(r, gov));
    // No nationalism, no penalty.
    State calm = prev;
    calm.nationalism.setZero();
    State calm_next = calm;
    calm_next.nationalism_focus.setZero();
    calm_next.nationalism_focus.col(iran).setConstant(1.0);
    CHECK(forced(calm, calm_next).loyalty(r, isci) == Approx(calm.loyalty(r, isci)).epsilon(1e-12));
}

TEST_CASE("nationalism aimed at the US lends standing to those who fight it, and only to them", "[model][loyalty_forces]") {
    State prev = quiet_start();
    prev.nationalism.setConstant(0.8);
    const Eigen::Index insurgents = faction("sunni_insurgents"), parties = faction("sunni_parties");
    const Eigen::Index iran = sponsor("iran"), us = sponsor("us");
    const Eigen::Index r = row("sunni_arab", "anbar");
    // The insurgents' share against the unaligned share, which no force moves: the renormalisation
    // after other factions' penalties leaves it unchanged unless the insurgents themselves are driven.
    auto standing = [&](const State& s) { return s.loyalty(r, insurgents) / (1.0 - s.loyalty.row(r).sum()); };
    REQUIRE(prev.loyalty(r, insurgents) > 0);
    REQUIRE(prev.loyalty(r, parties) > 0);
    REQUIRE(prev.loyalty.row(r).sum() < 0.99);
    auto with = [&](double resistance, Eigen::Index on, const State& from) {
        State next = from;
        next.nationalism_focus.setZero();
        next.nationalism_focus.col(on).setConstant(1.0);
        LoyaltyForceParams params;
        params.resistance = resistance;
        return forced(from, next, params);
    };
    // Off, the insurgents (dependent on no sponsor) feel nothing from nationalism.
    CHECK(standing(with(0.0, us, prev)) == Approx(standing(prev)).epsilon(1e-9));
    // On and aimed at the US, they gain, the more the stronger it is; the party that does not fight
    // the US loses share to them.
    const State some = with(0.1, us, prev), more = with(0.3, us, prev);
    CHECK(standing(some) > standing(prev));
    CHECK(standing(more) > standing(some));
    CHECK(more.loyalty(r, parties) < with(0.0, us, prev).loyalty(r, parties));
    // Aimed at Iran instead, fighting the US earns nothing.
    CHECK(standing(with(0.3, iran, prev)) == Approx(standing(prev)).epsilon(1e-9));
    // No nationalism, no standing.
    State calm = prev;
    calm.nationalism.setZero();
    CHECK(standing(with(0.3, us, calm)) == Approx(standing(calm)).epsilon(1e-9));
}

TEST_CASE("the resisters share one standing by their fighters, and a splinter draws none", "[model][loyalty_forces]") {
    State prev = quiet_start();
    prev.nationalism.setConstant(0.8);
    State next = prev;
    next.nationalism_focus.setZero();
    next.nationalism_focus.col(sponsor("us")).setConstant(1.0);
    const Eigen::Index jam = faction("jam"), special_groups = faction("special_groups"), baghdad = province("baghdad");
    // Fighters for every resister in Baghdad, the splinter too, so that sharing shows.
    next.militia(baghdad, special_groups) = 500;
    REQUIRE(next.militia(baghdad, jam) > 0);
    LoyaltyForceParams on;
    on.resistance = 0.3;
    LoyaltyForceParams off = on;
    off.resistance = 0;
    const auto with = iraqsim::model::loyalty_force_terms(iraq(), prev, next, on, false);
    const auto without = iraqsim::model::loyalty_force_terms(iraq(), prev, next, off, false);
    const Eigen::Index r = row("shia_arab", "baghdad");
    double total = 0, fighters = 0;
    for (Eigen::Index f = 0; f < ix(iraq().faction_count()); ++f) {
        const double standing = without.nationalist(r, f) - with.nationalist(r, f);
        INFO("faction " << iraq().factions[static_cast<std::size_t>(f)].id << ": standing " << standing);
        const bool splinter = iraq().factions[static_cast<std::size_t>(f)].splinter_of.has_value();
        if (splinter) CHECK(standing == 0.0);
        if (standing != 0) fighters += next.militia(baghdad, f);
        total += standing;
        CHECK(standing >= 0);
    }
    // The whole standing is the rate at full focus, however many resist; each holds its fighters' part.
    CHECK(total == Approx(0.3).epsilon(1e-12));
    CHECK(without.nationalist(r, jam) - with.nationalist(r, jam) == Approx(0.3 * next.militia(baghdad, jam) / fighters).epsilon(1e-12));
}

TEST_CASE("identity pulls a displaced share back toward its anchor", "[model][loyalty_forces]") {
    const Eigen::Index isci = faction("isci");
    const Eigen::Index r = row("shia_arab", "basra");
    State s = quiet_start();
    const double home = anchor()(r, isci);
    REQUIRE(home > 0.05);
    s.loyalty(r, isci) = home / 4;  // support collapsed
    double distance = std::abs(std::log(s.loyalty(r, isci) / home));
    const double initial = distance;
    LoyaltyForceParams params;
    params.identity_pull = 0.03;  // a faster pull, for a shorter test
    for (int week = 0; week < 100; ++week) {
        s = forced(s, s, params);
        const double d = std::abs(std::log(s.loyalty(r, isci) / home));
        INFO("week " << week);
        REQUIRE(d < distance);
        distance = d;
        require_simplex(s.loyalty);
    }
    CHECK(distance < 0.1 * initial);
    // Without the pull, the displaced share stays where it was.
    State still = quiet_start();
    still.loyalty(r, isci) = home / 4;
    LoyaltyForceParams no_pull;
    no_pull.identity_pull = 0;
    CHECK(forced(still, still, no_pull).loyalty(r, isci) == Approx(home / 4).epsilon(1e-12));
}

TEST_CASE("supporters follow the fighters who realign", "[model][loyalty_forces]") {
    const State prev = quiet_start();
    const Eigen::Index awakening = faction("awakening"), insurgents = faction("sunni_insurgents");
    const Eigen::Index anbar = province("anbar");
    State next = prev;
    next.defection(anbar, awakening) = 0.1;
    const State moved = forced(prev, next), stayed = forced(prev, prev);
    for (Eigen::Index c = 0; c < static_cast<Eigen::Index>(iraq().community_count()); ++c) {
        const Eigen::Index r = c * P() + anbar;
        INFO("community " << c);
        CHECK(moved.loyalty(r, awakening) - stayed.loyalty(r, awakening) ==
              Approx(0.1 * stayed.loyalty(r, insurgents)).margin(1e-15));
        CHECK(moved.loyalty(r, insurgents) == Approx(0.9 * stayed.loyalty(r, insurgents)).margin(1e-15));
        CHECK(moved.loyalty.row(r).sum() == Approx(stayed.loyalty.row(r).sum()).epsilon(1e-12));
    }
    REQUIRE(stayed.loyalty(row("sunni_arab", "anbar"), insurgents) > 0);
    // Elsewhere nothing moves.
    const Eigen::Index r = row("sunni_arab", "nineveh");
    CHECK((moved.loyalty.row(r) == stayed.loyalty.row(r)).all());
}

// ---------------------------------------------------------------------------------------------
// Tips

TEST_CASE("who fights the security forces", "[model][loyalty_forces][tips]") {
    const Roster& r = iraq();
    for (const char* hostile : {"jam", "special_groups", "sunni_insurgents", "aqi"})
        CHECK(fights_security_forces(r, r.find_faction(hostile)->index()));
    for (const char* friendly : {"government", "isci", "awakening", "kurdish_parties", "sunni_parties", "secular_nationalists"})
        CHECK_FALSE(fights_security_forces(r, r.find_faction(friendly)->index()));
}

TEST_CASE("tips stay within 0 and 1 and fall with the intimidation of armed enemies", "[model][loyalty_forces][tips]") {
    LoyaltyForceParams settle;
    settle.tips_rate = 1.0;  // straight to the target
    const Eigen::ArrayXd unprotected = Eigen::ArrayXd::Zero(P());
    State prev = iraq_start();
    const Eigen::Index anbar = province("anbar"), insurgents = faction("sunni_insurgents");
    const auto sunni = static_cast<Eigen::Index>(iraq().find_community("sunni_arab")->index());
    auto tips_with = [&](double fighters, const Eigen::ArrayXd& protection) {
        State next = prev;
        next.militia(anbar, insurgents) = fighters;
        update_tips(iraq(), prev, next, settle, protection);
        REQUIRE((next.tips >= 0).all());
        REQUIRE((next.tips <= 1).all());
        return next.tips(anbar, sunni);
    };
    const double few = tips_with(10, unprotected), some = tips_with(2000, unprotected), many = tips_with(50000, unprotected);
    CHECK(few > some);
    CHECK(some > many);
    CHECK(many < 0.1 * few);
    // Security forces that hold the enemies off lift the intimidation.
    CHECK(tips_with(50000, Eigen::ArrayXd::Ones(P())) == Approx(tips_with(0, Eigen::ArrayXd::Ones(P()))));
    CHECK(tips_with(50000, Eigen::ArrayXd::Ones(P())) > few);
    CHECK(tips_with(50000, Eigen::ArrayXd::Constant(P(), 0.9)) > many);

    // Extreme inputs: everyone loyal to the government, or to the insurgents.
    State loyal = prev;
    loyal.loyalty.setZero();
    loyal.loyalty.col(faction("government")).setConstant(1.0);
    State next = loyal;
    update_tips(iraq(), loyal, next, settle, unprotected);
    CHECK((next.tips <= 1).all());
    CHECK((next.tips >= 0).all());
    State hostile = prev;
    hostile.loyalty.setZero();
    hostile.loyalty.col(insurgents).setConstant(1.0);
    State hostile_next = hostile;
    update_tips(iraq(), hostile, hostile_next, settle, Eigen::ArrayXd::Ones(P()));
    CHECK((hostile_next.tips == 0).all());  // no friends, no unaligned
    CHECK(next.tips(anbar, sunni) > hostile_next.tips(anbar, sunni));
}

TEST_CASE("tips move toward their target at the tips rate", "[model][loyalty_forces][tips]") {
    const State prev = iraq_start();
    const Eigen::ArrayXd protection = Eigen::ArrayXd::Constant(P(), 0.3);
    LoyaltyForceParams settle;
    settle.tips_rate = 1.0;
    State target = prev;
    update_tips(iraq(), prev, target, settle, protection);
    State stepped = prev;
    update_tips(iraq(), prev, stepped, LoyaltyForceParams{}, protection);
    const double rate = LoyaltyForceParams{}.tips_rate;
    for (Eigen::Index p = 0; p < prev.tips.rows(); ++p)
        for (Eigen::Index c = 0; c < prev.tips.cols(); ++c) {
            if (prev.residents(p, c) <= 0) continue;
            CHECK(stepped.tips(p, c) == Approx(prev.tips(p, c) + rate * (target.tips(p, c) - prev.tips(p, c))).margin(1e-12));
        }
}
