// Violence: Lanchester's square law in closed form, and the expected effects of the drivers of
// each kind of violence (exposure, tension, protection, ceasefires, tips, posture) over ensembles
// of provinces and seeds; and the limits (no violence without fighters, no one lost twice).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "../support/iraq_world.hpp"
#include "iraqsim/core/date.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/violence.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using iraqsim::core::Date;
using iraqsim::engine::StepContext;
using iraqsim::model::lanchester_square;
using iraqsim::model::Levers;
using iraqsim::model::Offensive;
using iraqsim::model::community_protection;
using iraqsim::model::Relations;
using iraqsim::model::security_protection;
using iraqsim::model::update_violence;
using iraqsim::model::ViolenceParams;
using iraqsim::world::Roster;
using iraqsim::world::State;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {

StepContext context(std::uint64_t seed, int week = 200) {
    return StepContext(seed, 0, week, Date{2003, 5, 1}.plus_days(7 * week));
}

// ---- The embedded Iraq world at the default scenario's start (arms, troops, tips all set). ----

Eigen::ArrayXd armed_of(const State& s) { return iraqsim::model::armed_share(s, iraqsim::model::ForcesParams{}); }

// One week of violence in the Iraq world: next's troops and posture as given.
State violence_week(const State& prev, const Levers& levers, const ViolenceParams& params, std::uint64_t seed,
                    double troops, double posture) {
    State next = prev;
    next.us_troops.setConstant(troops);
    next.us_posture.setConstant(posture);
    const Eigen::ArrayXd armed = armed_of(prev);
    update_violence(iraq(), prev, next, levers, armed, community_protection(Relations(iraq()), prev, next, armed, params), params,
                    context(seed));
    return next;
}

// ---- A hand-built world for sectarian killing: one faction of community 0 killing community 1. ----

constexpr Eigen::Index killing_provinces = 40;

// One faction of community 0 with a single violence target, in 40 identical provinces.
Roster one_faction_roster(iraqsim::world::ViolenceTarget target) {
    Roster r;
    r.communities = {{"shia_arab", "Shia Arab"}, {"sunni_arab", "Sunni Arab"}};
    for (Eigen::Index p = 0; p < killing_provinces; ++p) {
        iraqsim::world::Province province;
        province.id = std::to_string(p);
        province.display_name = province.id;
        province.community_share = {0.5, 0.5};
        r.provinces.push_back(province);
    }
    iraqsim::world::Faction killers;
    killers.id = "death_squads";
    killers.display_name = "Death squads";
    killers.community_base = {iraqsim::world::CommunityId{0}};
    killers.violence_targets = {target};
    r.factions = {killers};
    return r;
}

// A faction of community 0 killing community 1.
Roster killers_roster() { return one_faction_roster({iraqsim::world::ViolenceTarget::Kind::community, 1, 1.0}); }

// Every array update_violence reads or writes, sized for the roster.
State blank_state(const Roster& r) {
    const auto P = static_cast<Eigen::Index>(r.province_count());
    const auto C = static_cast<Eigen::Index>(r.community_count());
    const auto F = static_cast<Eigen::Index>(r.faction_count());
    State s;
    s.residents = Eigen::ArrayXXd::Constant(P, C, 1e6);
    s.militia = Eigen::ArrayXXd::Zero(P, F);
    s.exposure = Eigen::ArrayXXd::Zero(C * P, C);
    s.tips = Eigen::ArrayXXd::Zero(P, C);
    s.tension = Eigen::ArrayXd::Ones(P);
    s.us_troops = Eigen::ArrayXd::Zero(P);
    s.us_posture = Eigen::ArrayXd::Zero(P);
    s.civilians_killed_by = Eigen::ArrayXXd::Zero(C * P, F);
    s.civilians_killed_by_us = Eigen::ArrayXXd::Zero(P, C);
    s.attacks_by = Eigen::ArrayXXd::Zero(P, F);
    s.attacks_on_us = Eigen::ArrayXd::Zero(P);
    s.us_fatalities = Eigen::ArrayXd::Zero(P);
    s.isf_deaths = Eigen::ArrayXd::Zero(P);
    s.fighters_killed = Eigen::ArrayXXd::Zero(P, F);
    s.fighters_detained = Eigen::ArrayXXd::Zero(P, F);
    s.cells = iraqsim::model::settled_cells(F, ViolenceParams{}.cells);
    return s;
}

struct Killing {
    double exposure = 0.2;    // of the killers' community to the victims'
    double tension = 1.0;
    double protection = 0.0;  // of the victims, 0-1
    double fighters = 10000;  // armed killers per province
    double revenge_max = 0;
    double killers_grievance = 0;  // of the killers' community, per 100,000 a week
    double victims_grievance = 0;
};

// Civilians of community 1 killed per province-week, averaged over the provinces and `seeds` seeds.
double sectarian_deaths(const Killing& k, int seeds = 5) {
    const Roster r = killers_roster();
    State prev = blank_state(r);
    const Eigen::Index P = killing_provinces;
    prev.militia.col(0).setConstant(k.fighters);
    prev.exposure.col(1).setConstant(k.exposure);
    prev.exposure.col(0) = 1.0 - prev.exposure.col(1);
    prev.tension.setConstant(k.tension);
    prev.grievance = Eigen::ArrayXXd::Zero(P, 2);
    prev.grievance.col(0).setConstant(k.killers_grievance);
    prev.grievance.col(1).setConstant(k.victims_grievance);
    ViolenceParams params;
    params.revenge_max = k.revenge_max;
    const Eigen::ArrayXd armed = Eigen::ArrayXd::Ones(1);
    const Eigen::ArrayXXd protection = Eigen::ArrayXXd::Constant(P, 2, k.protection);
    double total = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
        State next = prev;
        update_violence(r, prev, next, Levers(1), armed, protection, params, context(static_cast<std::uint64_t>(seed)));
        REQUIRE((next.civilians_killed_by.topRows(P) == 0).all());  // the killers' own community is spared
        total += next.civilians_killed_by.bottomRows(P).sum();
    }
    return total / (static_cast<double>(seeds) * static_cast<double>(P));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Lanchester's square law

TEST_CASE("a battle in which neither side is destroyed conserves b B^2 - r R^2", "[model][violence][lanchester]") {
    struct Case {
        double blue, red, b, r;
    };
    for (const Case c : {Case{100, 90, 0.2, 0.2}, Case{1000, 600, 0.05, 0.1}, Case{50, 70, 0.3, 0.1}, Case{10, 10, 0.4, 0.5}}) {
        const auto [blue, red] = lanchester_square(c.blue, c.red, c.b, c.r);
        INFO("B " << c.blue << " R " << c.red << " -> " << blue << ", " << red);
        REQUIRE(blue > 0);
        REQUIRE(red > 0);
        CHECK(blue < c.blue);
        CHECK(red < c.red);
        const double before = c.b * c.blue * c.blue - c.r * c.red * c.red;
        const double scale = c.b * c.blue * c.blue + c.r * c.red * c.red;
        CHECK(std::abs(c.b * blue * blue - c.r * red * red - before) < 1e-9 * scale);
    }
}

TEST_CASE("a battle stops when the weaker side is destroyed, the stronger keeping its square-law remainder",
          "[model][violence][lanchester]") {
    // Red is destroyed at t = atanh(0.3) ~ 0.31 of the unit time; blue must not go on losing after.
    const auto [blue, red] = lanchester_square(100, 30, 1.0, 1.0);
    CHECK(red == Approx(0).margin(1e-9));
    CHECK(blue == Approx(std::sqrt(100.0 * 100.0 - 30.0 * 30.0)).epsilon(1e-9));
    // The same with the sides swapped and unequal effects: sqrt((r R^2 - b B^2) / r).
    const auto [blue2, red2] = lanchester_square(20, 100, 0.5, 2.0);
    CHECK(blue2 == Approx(0).margin(1e-9));
    CHECK(red2 == Approx(std::sqrt((2.0 * 100 * 100 - 0.5 * 20 * 20) / 2.0)).epsilon(1e-9));
    // Survivors are never negative, however lopsided.
    const auto [blue3, red3] = lanchester_square(1e6, 1, 10.0, 10.0);
    CHECK(red3 == Approx(0).margin(1e-9));
    CHECK(blue3 == Approx(1e6).epsilon(1e-9));
}

TEST_CASE("equal strengths wear each other down as exp(-k t)", "[model][violence][lanchester]") {
    // b B^2 = r R^2: neither side wins in finite time; B(t) = B e^{-kt} with k = sqrt(b r).
    const auto [blue, red] = lanchester_square(50, 50, 0.3, 0.3);
    CHECK(blue == Approx(50 * std::exp(-0.3)).epsilon(1e-9));
    CHECK(red == Approx(50 * std::exp(-0.3)).epsilon(1e-9));
    const auto [blue2, red2] = lanchester_square(40, 20, 0.1, 0.4);  // 0.1 x 1600 = 0.4 x 400
    CHECK(blue2 == Approx(40 * std::exp(-0.2)).epsilon(1e-9));
    CHECK(red2 == Approx(20 * std::exp(-0.2)).epsilon(1e-9));
}

TEST_CASE("a side with no fighters or no fire changes nothing about itself", "[model][violence][lanchester]") {
    const auto [none_blue, none_red] = lanchester_square(0, 50, 0.2, 0.2);
    CHECK(none_blue == 0);
    CHECK(none_red == 50);
    const auto [blue_alone, red_gone] = lanchester_square(50, 0, 0.2, 0.2);
    CHECK(blue_alone == 50);
    CHECK(red_gone == 0);
    // A side that cannot hit anything loses at the other's constant rate b B and inflicts nothing:
    // the law's linear limit. A vanishing effect approaches it continuously ...
    const auto [blue, red] = lanchester_square(100, 50, 0.2, 1e-12);
    CHECK(blue == Approx(100).epsilon(1e-9));
    CHECK(red == Approx(50 - 0.2 * 100).epsilon(1e-6));
}

TEST_CASE("a side with zero effect is still worn down by the other's fire", "[model][violence][lanchester]") {
    // ... and the limit itself: dB/dt = -0 x R = 0, dR/dt = -b B, so R(1) = R - b B (until zero).
    const auto [blue, red] = lanchester_square(100, 50, 0.2, 0.0);
    CHECK(blue == 100);
    CHECK(red == Approx(30));
    const auto [blue2, red2] = lanchester_square(100, 50, 0.0, 1.0);
    CHECK(blue2 == Approx(50).epsilon(1e-9));  // dB/dt = -1 x 50 over unit time
    CHECK(red2 == 50);
}

// ---------------------------------------------------------------------------------------------
// The violence process

TEST_CASE("with no fighters anywhere there is no violence", "[model][violence]") {
    State prev = iraq_start();
    prev.militia.setZero();
    prev.tension.setConstant(5.0);
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        const State next = violence_week(prev, Levers(iraq().faction_count()), ViolenceParams{}, seed, 20000, 1.0);
        CHECK((next.civilians_killed_by == 0).all());
        CHECK((next.civilians_killed_by_us == 0).all());
        CHECK((next.attacks_by == 0).all());
        CHECK((next.attacks_on_us == 0).all());
        CHECK((next.us_fatalities == 0).all());
        CHECK((next.isf_deaths == 0).all());
        CHECK((next.fighters_killed == 0).all());
        CHECK((next.fighters_detained == 0).all());
    }
}

TEST_CASE("a week's violence is a pure function of the stream keys", "[model][violence]") {
    State prev = iraq_start();
    prev.militia *= 5.0;
    const Levers levers(iraq().faction_count());
    const State a = violence_week(prev, levers, ViolenceParams{}, 3, 15000, 0.5);
    const State b = violence_week(prev, levers, ViolenceParams{}, 3, 15000, 0.5);
    const State c = violence_week(prev, levers, ViolenceParams{}, 4, 15000, 0.5);
    CHECK((a.civilians_killed_by == b.civilians_killed_by).all());
    CHECK((a.attacks_by == b.attacks_by).all());
    CHECK((a.fighters_killed == b.fighters_killed).all());
    CHECK(a.civilians_killed_by.sum() > 0);
    CHECK(!((a.civilians_killed_by == c.civilians_killed_by).all() && (a.attacks_by == c.attacks_by).all()));
}

TEST_CASE("sectarian killing matches its expected rate in incidents of power-law size", "[model][violence][sectarian]") {
    // Expected deaths = sectarian_rate x armed fighters x exposure x tension x (1 - protection); the
    // Poisson number of incidents times their mean size must reproduce it on average.
    const ViolenceParams params;
    const Killing k;
    const double expected = params.sectarian_rate * k.fighters * k.exposure;  // 300 a province-week
    CHECK(sectarian_deaths(k) == Approx(expected).epsilon(0.1));
}

TEST_CASE("revenge multiplies the killing of other communities by the killers' own grievance, up to its bound",
          "[model][violence][sectarian][revenge]") {
    const Killing base;
    const double deaths = sectarian_deaths(base);
    REQUIRE(deaths > 0);
    const double half = ViolenceParams{}.revenge_half_per_100k;

    Killing aggrieved = base;
    aggrieved.revenge_max = 2.0;
    aggrieved.killers_grievance = half;  // half the largest rise: x 2
    CHECK(sectarian_deaths(aggrieved) / deaths == Approx(2.0).epsilon(0.15));
    aggrieved.killers_grievance = 1000 * half;  // close to the bound: x 3
    CHECK(sectarian_deaths(aggrieved) / deaths == Approx(3.0).epsilon(0.15));

    // The victims' grievance does not arm their killers, and with no revenge grievance is inert.
    Killing victims = base;
    victims.revenge_max = 2.0;
    victims.victims_grievance = 1000 * half;
    CHECK(sectarian_deaths(victims) / deaths == Approx(1.0).epsilon(0.1));
    Killing forgiving = base;
    forgiving.killers_grievance = 1000 * half;
    CHECK(sectarian_deaths(forgiving) == sectarian_deaths(base));
}

TEST_CASE("sectarian killing rises with exposure and tension and falls with protection", "[model][violence][sectarian]") {
    const Killing base;
    const double deaths = sectarian_deaths(base);
    REQUIRE(deaths > 0);

    Killing mixed = base;
    mixed.exposure = 0.4;
    CHECK(sectarian_deaths(mixed) / deaths == Approx(2.0).epsilon(0.15));

    Killing tense = base;
    tense.tension = 3.0;
    CHECK(sectarian_deaths(tense) / deaths == Approx(3.0).epsilon(0.15));

    Killing protected_ = base;
    protected_.protection = 0.75;
    CHECK(sectarian_deaths(protected_) / deaths == Approx(0.25).epsilon(0.2));

    Killing separated = base;
    separated.exposure = 0.0;
    CHECK(sectarian_deaths(separated) == 0);
    Killing guarded = base;
    guarded.protection = 1.0;
    CHECK(sectarian_deaths(guarded) == 0);
}

TEST_CASE("partisan Iraqi forces protect the government's community, US troops every community", "[model][violence]") {
    ViolenceParams params;
    const State& prev = iraq_start();
    const Eigen::ArrayXd armed = armed_of(prev);
    State next = prev;
    const Eigen::Index shia = community("shia_arab"), sunni = community("sunni_arab"), baghdad = province("baghdad");
    auto protection = [&](double partisanship, double troops) {
        params.isf_partisanship = partisanship;
        next.us_troops.setConstant(troops);
        next.us_posture.setConstant(1.0);
        return community_protection(Relations(iraq()), prev, next, armed, params);
    };
    // Impartial forces: every community has the province's protection, to the bit.
    const Eigen::ArrayXXd impartial = protection(0.0, 0.0);
    for (Eigen::Index c = 0; c < C(); ++c) CHECK((impartial.col(c) == security_protection(iraq(), prev, next, armed, params)).all());
    REQUIRE(impartial(baghdad, sunni) > 0);
    // Wholly partisan, with no US troops: the government's own community keeps it all, the others none.
    const Eigen::ArrayXXd partisan = protection(1.0, 0.0);
    CHECK(partisan(baghdad, shia) == impartial(baghdad, shia));
    CHECK(partisan(baghdad, sunni) == 0);
    const double half = protection(0.5, 0.0)(baghdad, sunni);
    CHECK(half > 0);
    CHECK(half < impartial(baghdad, sunni));
    // US troops protect whom the Iraqi forces do not.
    const Eigen::ArrayXXd guarded = protection(1.0, 20000);
    CHECK(guarded(baghdad, sunni) > 0);
    CHECK(guarded(baghdad, sunni) < guarded(baghdad, shia));
}

TEST_CASE("one-sided killing of a community falls with that community's protection, not another's", "[model][violence]") {
    const ViolenceParams params;
    const State& prev = iraq_start();
    const Eigen::ArrayXd armed = armed_of(prev);
    const Eigen::Index shia = community("shia_arab"), sunni = community("sunni_arab");
    // Civilians of community c killed over 10 seeds (all provinces), with the given protection.
    auto killed = [&](const Eigen::ArrayXXd& protection, Eigen::Index c) {
        double total = 0;
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            State next = prev;
            update_violence(iraq(), prev, next, Levers(iraq().faction_count()), armed, protection, params, context(seed));
            total += next.civilians_killed_by.middleRows(c * P(), P()).sum();
        }
        return total;
    };
    const Eigen::ArrayXXd guarded = Eigen::ArrayXXd::Constant(P(), C(), 0.5);
    Eigen::ArrayXXd sunni_unguarded = guarded;
    sunni_unguarded.col(sunni).setZero();
    REQUIRE(killed(guarded, sunni) > 0);
    // The Sunni Arabs' one-sided deaths double (1 - protection from 0.5 to 1); the Shia's barely move
    // (only the other draws that follow in the week's stream differ).
    CHECK(killed(sunni_unguarded, sunni) > 1.5 * killed(guarded, sunni));
    CHECK(killed(sunni_unguarded, shia) == Approx(killed(guarded, shia)).epsilon(0.1));
}

TEST_CASE("security forces' protection rises with dispersed troops and armed Iraqi forces", "[model][violence]") {
    const ViolenceParams params;
    State prev = iraq_start();
    const Eigen::ArrayXd armed = armed_of(prev);
    State next = prev;
    auto protection = [&](double troops, double posture) {
        next.us_troops.setConstant(troops);
        next.us_posture.setConstant(posture);
        return security_protection(iraq(), prev, next, armed, params);
    };
    const Eigen::ArrayXd on_bases = protection(20000, 0.0);
    const Eigen::ArrayXd dispersed = protection(20000, 1.0);
    CHECK((dispersed > on_bases).all());
    CHECK((dispersed < 1).all());
    CHECK((on_bases >= 0).all());
    // Troops on large bases do not protect the population; only the Iraqi forces do.
    prev.militia.col(faction("government")).setZero();
    CHECK((protection(20000, 0.0) == 0).all());
    CHECK((protection(20000, 0.5) > 0).all());
}

TEST_CASE("a ceasefire held by every unit removes the faction's offensive violence", "[model][violence][ceasefire]") {
    State prev = iraq_start();
    const Eigen::Index jam = faction("jam");
    prev.militia.col(jam) *= 50.0;  // the Mahdi Army of 2006-2007
    prev.tension.setConstant(2.0);
    Levers holding(iraq().faction_count());
    holding.compliance(jam) = 1.0;
    holding.ceasefire_declared(jam) = 1.0;
    double attacks_free = 0, killed_free = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const State held = violence_week(prev, holding, ViolenceParams{}, seed, 15000, 0.5);
        INFO("seed " << seed);
        CHECK((held.attacks_by.col(jam) == 0).all());
        CHECK((held.civilians_killed_by.col(jam) == 0).all());
        const State free = violence_week(prev, Levers(iraq().faction_count()), ViolenceParams{}, seed, 15000, 0.5);
        attacks_free += free.attacks_by.col(jam).sum();
        killed_free += free.civilians_killed_by.col(jam).sum();
    }
    CHECK(attacks_free > 0);
    CHECK(killed_free > 0);
}

TEST_CASE("partial compliance scales a faction's attacks down", "[model][violence][ceasefire]") {
    State prev = iraq_start();
    const Eigen::Index jam = faction("jam");
    prev.militia.col(jam) *= 50.0;
    Levers half(iraq().faction_count());
    half.compliance(jam) = 0.5;
    double full = 0, halved = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        full += violence_week(prev, Levers(iraq().faction_count()), ViolenceParams{}, seed, 15000, 0.5).attacks_by.col(jam).sum();
        halved += violence_week(prev, half, ViolenceParams{}, seed, 15000, 0.5).attacks_by.col(jam).sum();
    }
    REQUIRE(full > 100);
    CHECK(halved / full == Approx(0.5).epsilon(0.25));
}

TEST_CASE("better intelligence removes more fighters and kills fewer bystanders", "[model][violence][targeting]") {
    // Only targeting: no attacks on forces, no sectarian killing, no battles.
    ViolenceParams params;
    params.attack_rate = 0;
    params.sectarian_rate = 0;
    params.battle_rate = 0;
    State prev = iraq_start();
    const Eigen::Index gov = faction("government");
    prev.militia *= 3.0;
    auto outcome = [&](double tips) {
        State p = prev;
        p.tips.setConstant(tips);
        double removed = 0, collateral = 0;
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            const State next = violence_week(p, Levers(iraq().faction_count()), params, seed, 20000, 0.5);
            for (Eigen::Index f = 0; f < next.fighters_killed.cols(); ++f)
                if (f != gov) removed += next.fighters_killed.col(f).sum() + next.fighters_detained.col(f).sum();
            collateral += next.civilians_killed_by.col(gov).sum() + next.civilians_killed_by_us.sum();
            CHECK(next.fighters_killed.col(gov).sum() == 0);
        }
        return std::pair<double, double>{removed, collateral};
    };
    const auto [removed_blind, collateral_blind] = outcome(0.1);
    const auto [removed_informed, collateral_informed] = outcome(0.9);
    INFO("removed " << removed_blind << " -> " << removed_informed << ", collateral " << collateral_blind << " -> "
                    << collateral_informed);
    CHECK(removed_informed > 3 * removed_blind);
    CHECK(collateral_informed < 0.4 * collateral_blind);
    // With no tips at all, targeting finds no one and all its effort is blind.
    const auto [removed_none, collateral_none] = outcome(0.0);
    CHECK(removed_none == 0);
    CHECK(collateral_none > 3 * collateral_informed);
}

TEST_CASE("at fixed troops, dispersal exposes them to more attacks", "[model][violence][us]") {
    ViolenceParams params;
    params.battle_rate = 0;
    const State prev = iraq_start();
    double on_bases = 0, dispersed = 0, none = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        on_bases += violence_week(prev, Levers(iraq().faction_count()), params, seed, 10000, 0.0).attacks_on_us.sum();
        dispersed += violence_week(prev, Levers(iraq().faction_count()), params, seed, 10000, 1.0).attacks_on_us.sum();
        none += violence_week(prev, Levers(iraq().faction_count()), params, seed, 0, 1.0).attacks_on_us.sum();
    }
    REQUIRE(on_bases > 50);
    // Dispersed troops are `dispersed_exposure + 1` = 4 times as exposed as troops on bases.
    CHECK(dispersed / on_bases == Approx(1 + params.dispersed_exposure).epsilon(0.2));
    CHECK(none == 0);
}

TEST_CASE("attackers meet the US troops as densely as these are spread among the province's residents",
          "[model][violence][us]") {
    // 10,000 armed attackers of the US in each of 40 provinces, troops on bases (posture 0): the
    // expected attacks are attack_rate * 10,000 * d / (d + h) / (1 + dispersed_exposure), d the
    // troops per 1,000 residents and h the half density.
    const Roster r = one_faction_roster({iraqsim::world::ViolenceTarget::Kind::us_forces, 0, 1.0});
    ViolenceParams params;
    params.battle_rate = 0;
    const double h = params.troop_half_per_1000;
    auto attacks = [&](double troops, double residents_per_community) {
        State prev = blank_state(r);
        prev.residents.setConstant(residents_per_community);
        prev.militia.col(0).setConstant(10000);
        double total = 0;
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            State next = prev;
            next.us_troops.setConstant(troops);
            update_violence(r, prev, next, Levers(1), Eigen::ArrayXd::Ones(1), Eigen::ArrayXXd::Zero(killing_provinces, static_cast<Eigen::Index>(r.community_count())), params,
                            context(seed));
            total += next.attacks_on_us.sum();
        }
        return total / (5.0 * killing_provinces);
    };
    auto expected = [&](double density) { return params.attack_rate * 10000 * density / (density + h) / (1 + params.dispersed_exposure); };
    // 10,000 troops among 2 million residents (5 per 1,000), then among 4 million (2.5 per 1,000).
    const double dense = attacks(10000, 1e6), sparse = attacks(10000, 2e6);
    CHECK(dense == Approx(expected(5.0)).epsilon(0.03));
    CHECK(sparse == Approx(expected(2.5)).epsilon(0.03));
    CHECK(dense / sparse == Approx(expected(5.0) / expected(2.5)).epsilon(0.05));
    // Twice the troops among twice the people: the same density, the same attacks.
    CHECK(attacks(20000, 2e6) == Approx(dense).epsilon(0.03));
}

TEST_CASE("with substitution, added US troops draw attacks from the Iraqi forces more than they add to them",
          "[model][violence][us]") {
    // Insurgents (10,000 armed in each of 40 provinces) aim at the US and at the government's forces
    // (2,000 there: presence 0.8); troops dispersed, 2,000 or 20,000 among 2 million residents
    // (presence 0.25 or 0.77 at the default half density of 3 per 1,000).
    Roster r = one_faction_roster({iraqsim::world::ViolenceTarget::Kind::us_forces, 0, 1.0});
    r.factions[0].violence_targets.push_back({iraqsim::world::ViolenceTarget::Kind::faction, 1, 1.0});
    iraqsim::world::Faction government;
    government.id = "government";
    government.display_name = "Government";
    government.community_base = {iraqsim::world::CommunityId{0}};
    r.factions.push_back(government);
    struct Attacks {
        double on_us = 0, on_isf = 0;
    };
    auto attacks = [&](double substitution, double troops) {
        ViolenceParams params;
        params.battle_rate = 0;
        params.attack_substitution = substitution;
        State prev = blank_state(r);
        prev.militia.col(0).setConstant(10000);
        prev.militia.col(1).setConstant(2000);
        Attacks a;
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            State next = prev;
            next.us_troops.setConstant(troops);
            next.us_posture.setConstant(1.0);
            update_violence(r, prev, next, Levers(2), Eigen::ArrayXd::Ones(2), Eigen::ArrayXXd::Zero(killing_provinces, 2), params,
                            context(seed));
            a.on_us += next.attacks_on_us.sum() / (5.0 * killing_provinces);
            a.on_isf += (next.attacks_by.col(0).sum() - next.attacks_on_us.sum()) / (5.0 * killing_provinces);
        }
        return a;
    };
    const double rate = ViolenceParams{}.attack_rate * 10000;
    // Without substitution each added soldier is an added target: the attacks on the Iraqi forces
    // stay where they were, and all the US's added attacks add to the total.
    const Attacks few = attacks(0.0, 2000), many = attacks(0.0, 20000);
    CHECK(many.on_isf == Approx(few.on_isf).epsilon(0.03));
    CHECK(many.on_us - few.on_us == Approx(rate * (10.0 / 13.0 - 0.25)).epsilon(0.05));
    // With substitution 0.9 the total is rate x 2S / (0.1 + 0.9 S), S the mean presence: it rises by
    // a fifth of what the US gains, the rest drawn from the Iraqi forces.
    const Attacks few_s = attacks(0.9, 2000), many_s = attacks(0.9, 20000);
    auto total = [&](double us_presence) {
        const double presence = (us_presence + 0.8) / 2;
        return rate * 2 * presence / (0.1 + 0.9 * presence);
    };
    CHECK(few_s.on_us + few_s.on_isf == Approx(total(0.25)).epsilon(0.03));
    CHECK(many_s.on_us + many_s.on_isf == Approx(total(10.0 / 13.0)).epsilon(0.03));
    CHECK(many_s.on_us > 2 * few_s.on_us);
    CHECK(many_s.on_isf < 0.75 * few_s.on_isf);
    CHECK((many_s.on_us + many_s.on_isf) - (few_s.on_us + few_s.on_isf) < 0.3 * (many_s.on_us - few_s.on_us));
}

TEST_CASE("no fighters are lost beyond those present, whatever the violence", "[model][violence]") {
    ViolenceParams params;
    params.attack_rate = 5;
    params.isf_lethality = 5;
    params.targeting_rate = 1;
    params.battle_rate = 1;
    params.battle_engaged = 1;
    params.battle_lethality = 5;
    State prev = iraq_start();
    prev.tips.setConstant(1.0);
    // Small forces everywhere make every cap bind; a few zeros test the edges.
    prev.militia = (prev.militia > 0).select(prev.militia.min(40.0), 3.0);
    prev.militia.row(0).setZero();
    Levers levers(iraq().faction_count());
    const std::vector<bool> everywhere(iraq().province_count(), true);
    levers.offensives.push_back(Offensive{faction_index("government"),
                                          faction_index("jam"), everywhere, 20, 1, 999});
    levers.offensives.push_back(Offensive{faction_index("isci"),
                                          faction_index("sunni_insurgents"), everywhere, 20, 1, 999});
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const State next = violence_week(prev, levers, params, seed, 30000, 1.0);
        const Eigen::ArrayXXd lost = next.fighters_killed + next.fighters_detained;
        INFO("seed " << seed);
        CHECK((next.fighters_killed >= 0).all());
        CHECK((next.fighters_detained >= 0).all());
        CHECK((lost <= prev.militia + 1e-9).all());
        CHECK((next.isf_deaths <= prev.militia.col(faction("government")) + 1e-9).all());
        CHECK(next.civilians_killed_by.allFinite());
        CHECK((next.civilians_killed_by >= 0).all());
        CHECK((next.civilians_killed_by_us >= 0).all());
        CHECK(lost.sum() > 0);
    }
}

TEST_CASE("an uprising multiplies the faction's attacks on the forces where it is called, and nowhere else",
          "[model][violence][uprising]") {
    State prev = iraq_start();
    const Eigen::Index jam = faction("jam");
    const Eigen::Index baghdad = province("baghdad");
    prev.militia.col(jam) *= 50.0;
    Levers risen(iraq().faction_count());
    std::vector<bool> where(iraq().province_count(), false);
    where[static_cast<std::size_t>(baghdad)] = true;
    risen.uprisings.push_back(iraqsim::model::Uprising{static_cast<std::size_t>(jam), where, 2.0, 999});
    double calm = 0, up = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const State before = violence_week(prev, Levers(iraq().faction_count()), ViolenceParams{}, seed, 15000, 0.5);
        const State after = violence_week(prev, risen, ViolenceParams{}, seed, 15000, 0.5);
        calm += before.attacks_by(baghdad, jam);
        up += after.attacks_by(baghdad, jam);
        // Each province draws from its own stream: elsewhere the week is the same, draw for draw.
        for (Eigen::Index p = 0; p < prev.militia.rows(); ++p)
            if (p != baghdad) REQUIRE((before.attacks_by.row(p) == after.attacks_by.row(p)).all());
    }
    REQUIRE(calm > 100);
    CHECK(up / calm == Approx(2.0).epsilon(0.2));
}

TEST_CASE("every week with civilian deaths has incidents, and no incident kills fewer than one",
          "[model][violence][incidents]") {
    State prev = iraq_start();
    prev.militia *= 20.0;
    prev.tension.setConstant(2.0);
    int violent_weeks = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const State next = violence_week(prev, Levers(iraq().faction_count()), ViolenceParams{}, seed, 15000, 0.5);
        const Eigen::ArrayXd deaths = iraqsim::world::civilian_deaths(next);
        for (Eigen::Index p = 0; p < deaths.size(); ++p) {
            INFO("seed " << seed << ", province " << p << ": " << deaths(p) << " deaths, " << next.civilian_incidents(p)
                         << " incidents");
            CHECK(next.civilian_incidents(p) <= deaths(p) + 1e-9);
            CHECK((deaths(p) > 0) == (next.civilian_incidents(p) > 0));
            if (deaths(p) > 0) ++violent_weeks;
        }
    }
    CHECK(violent_weeks > 50);
}

namespace {

// Only the government offensives' set battles: no attacks, no one-sided killing, no pitched
// battles, no targeting.
ViolenceParams set_battles_only() {
    ViolenceParams params;
    params.attack_rate = 0;
    params.sectarian_rate = 0;
    params.battle_rate = 0;
    params.targeting_rate = 0;
    return params;
}

// The Iraq world at the start with ten times the fighters, so that every battle has losses.
State assault_world() {
    State prev = iraq_start();
    prev.militia *= 10.0;
    return prev;
}

}  // namespace

TEST_CASE("an assault that draws in more of the target kills more of it, and the forces' kills are recorded",
          "[model][violence][offensive]") {
    ViolenceParams params = set_battles_only();  // no attacks on US forces either
    const State prev = assault_world();
    const Eigen::Index target = faction("sunni_insurgents");
    const std::vector<bool> everywhere(iraq().province_count(), true);
    auto killed = [&](double engaged) {
        Levers levers(iraq().faction_count());
        levers.offensives.push_back(
            Offensive{faction_index("government"), static_cast<std::size_t>(target), everywhere, 3, 0.3, 999, engaged});
        double total = 0;
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            const State next = violence_week(prev, levers, params, seed, 15000, 0.5);
            CHECK(next.fighters_killed_by_forces.col(target).sum() == next.fighters_killed.col(target).sum());
            total += next.fighters_killed.col(target).sum();
        }
        return total;
    };
    const double usual = killed(std::nan("")), assault = killed(0.3);
    INFO("killed at the usual engagement " << usual << ", in an assault " << assault);
    REQUIRE(usual > 0);
    CHECK(assault > 3 * usual);
}

TEST_CASE("the US troops in a government offensive lose men at their own exchange rate", "[model][violence][offensive]") {
    ViolenceParams params = set_battles_only();  // no attacks on US forces either
    const State prev = assault_world();
    const Eigen::Index target = faction("sunni_insurgents");
    const std::vector<bool> everywhere(iraq().province_count(), true);
    auto outcome = [&](double us_support, double per_enemy) {
        Levers levers(iraq().faction_count());
        levers.offensives.push_back(
            Offensive{faction_index("government"), static_cast<std::size_t>(target), everywhere, 3, us_support, 999, 0.3});
        params.us_deaths_per_enemy_killed = per_enemy;
        double enemy = 0, us = 0;
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            const State next = violence_week(prev, levers, params, seed, 15000, 0.5);
            enemy += next.fighters_killed.col(target).sum();
            us += next.us_fatalities.sum();
        }
        return std::pair<double, double>{enemy, us};
    };
    const auto [enemy, us] = outcome(0.5, 0.06);
    INFO(enemy << " enemies killed, " << us << " US dead");
    REQUIRE(enemy > 500);
    // At most 0.06 per enemy killed (the US share of the force is below 1), and some.
    CHECK(us > 0);
    CHECK(us < 0.06 * enemy * 1.3);
    CHECK(outcome(0.5, 0.0).second == 0);
    CHECK(outcome(0.0, 0.06).second == 0);  // no US troops in the assault, no US losses
}
