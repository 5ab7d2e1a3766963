// Forces: logistic recruitment toward what a faction can draw and pay, demobilisation above it,
// losses first; realignment only where a sponsor openly backs the receiver, rising with
// predation; splits, faster under a ceasefire; arms that run down with use and wear; home revenue
// under pressure.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "../support/iraq_world.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/sponsors.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using iraqsim::model::armed_share;
using iraqsim::model::ForcesParams;
using iraqsim::model::Grant;
using iraqsim::model::Levers;
using iraqsim::model::update_forces;
using iraqsim::world::Roster;
using iraqsim::world::State;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {

// ---- One province, one community, one volunteer militia, and (optionally) one sponsor. ----

Roster militia_roster(double home_revenue, double cost = 10) {
    Roster r;
    r.communities = {{"shia_arab", "Shia Arab"}};
    iraqsim::world::Province p;
    p.id = "basra";
    p.display_name = "Basra";
    p.community_share = {1.0};
    r.provinces = {p};
    r.sponsors = {{"iran", "Iran", 0.0}};
    iraqsim::world::Faction f;
    f.id = "militia";
    f.display_name = "Militia";
    f.community_base = {iraqsim::world::CommunityId{0}};
    f.recruitment = iraqsim::world::Recruitment::volunteer;
    f.fighter_cost_usd_per_week = cost;
    f.home_revenue_usd_per_week = home_revenue;
    r.factions = {f};
    return r;
}

// Every array update_forces reads or writes, for a roster of P provinces, C communities, F factions
// and S sponsors, with 1e6 residents per community and no violence.
State forces_state(const Roster& r) {
    const auto P = static_cast<Eigen::Index>(r.province_count());
    const auto C = static_cast<Eigen::Index>(r.community_count());
    const auto F = static_cast<Eigen::Index>(r.faction_count());
    const auto S = static_cast<Eigen::Index>(r.sponsor_count());
    State s;
    s.residents = Eigen::ArrayXXd::Constant(P, C, 1e6);
    s.loyalty = Eigen::ArrayXXd::Constant(C * P, F, 0.5 / static_cast<double>(F));
    s.militia = Eigen::ArrayXXd::Zero(P, F);
    s.backing = Eigen::ArrayXXd::Zero(S * F, 4);
    s.arms = Eigen::ArrayXd::Zero(F);
    s.pressure = Eigen::ArrayXd::Zero(F);
    s.home_revenue = Eigen::ArrayXd::Zero(F);
    s.predation = Eigen::ArrayXd::Zero(P);
    s.civilians_killed_by = Eigen::ArrayXXd::Zero(C * P, F);
    s.attacks_by = Eigen::ArrayXXd::Zero(P, F);
    s.fighters_killed = Eigen::ArrayXXd::Zero(P, F);
    s.fighters_detained = Eigen::ArrayXXd::Zero(P, F);
    s.detainees = Eigen::ArrayXXd::Zero(P, F);
    s.detainees_released = Eigen::ArrayXXd::Zero(P, F);
    s.defection = Eigen::ArrayXXd::Zero(P, F);
    return s;
}

// Runs `weeks` weeks of forces alone (no violence, no backing); returns the militia each week.
std::vector<double> militia_path(const Roster& r, State s, const ForcesParams& params, int weeks) {
    std::vector<double> path{s.militia(0, 0)};
    const Levers levers(r.faction_count());
    const Eigen::ArrayXd protection = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(r.province_count()));
    for (int w = 0; w < weeks; ++w) {
        State next = s;
        update_forces(r, s, next, levers, params, protection);
        s = next;
        path.push_back(s.militia(0, 0));
    }
    return path;
}

// ---- The embedded Iraq world at the default scenario's start. ----

// One week of forces in a world, with this week's backing from its sponsors and levers (or none).
State forces_week(const Roster& r, const State& prev, const Levers& levers, const ForcesParams& params,
                  double protection = 0.0, bool backed = true) {
    State next = prev;
    iraqsim::model::update_sponsors(r, prev, next, levers);
    if (!backed) next.backing.setZero();
    next.fighters_killed.setZero();
    next.fighters_detained.setZero();
    next.civilians_killed_by.setZero();
    next.attacks_by.setZero();
    update_forces(r, prev, next, levers, params,
                  Eigen::ArrayXd::Constant(static_cast<Eigen::Index>(r.province_count()), protection));
    return next;
}

Grant open_backing(const char* sponsor, const char* faction_id, std::vector<const char*> provinces, double usd_per_week) {
    Grant g;
    g.sponsor = iraq().find_sponsor(sponsor)->index();
    g.faction = iraq().find_faction(faction_id)->index();
    g.channel = 1;
    g.provinces.assign(iraq().province_count(), false);
    for (const char* p : provinces) g.provinces[iraq().find_province(p)->index()] = true;
    g.usd_per_week = usd_per_week;
    g.until_week = 10000;
    return g;
}

// Recruitment, demobilisation and arms flows off: only realignment and splits move fighters.
ForcesParams flows_only() {
    ForcesParams params;
    params.recruitment_rate = 0;
    params.volunteer_recruitment_rate = 0;
    params.wage_hiring_rate = 0;
    params.demobilisation_rate = 0;
    params.arms_depreciation = 0;
    params.arms_share_of_money = 0;
    return params;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Recruitment and demobilisation

TEST_CASE("the detained are held, released at 1/detention_weeks a week, and a share rejoin", "[model][forces][detention]") {
    const Roster r = militia_roster(0);
    ForcesParams params;
    params.volunteer_recruitment_rate = 0;
    params.demobilisation_rate = 0;
    params.detention_weeks = 50;
    params.released_rejoin_share = 0.4;
    State s = forces_state(r);
    s.militia(0, 0) = 1000;
    // Week 1: 200 detained; nothing is released yet.
    State next = s;
    next.fighters_detained(0, 0) = 200;
    update_forces(r, s, next, Levers(1), params, Eigen::ArrayXd::Zero(1));
    CHECK(next.detainees(0, 0) == Approx(200));
    CHECK(next.detainees_released(0, 0) == 0);
    CHECK(next.militia(0, 0) == Approx(800));
    // Later weeks: 2% of the held leave a week; 40% of them come back under arms.
    s = next;
    double militia = s.militia(0, 0), held = s.detainees(0, 0), released_total = 0;
    for (int w = 0; w < 100; ++w) {
        next = s;
        next.fighters_detained.setZero();
        update_forces(r, s, next, Levers(1), params, Eigen::ArrayXd::Zero(1));
        CHECK(next.detainees_released(0, 0) == Approx(held / 50));
        CHECK(next.militia(0, 0) - militia == Approx(0.4 * next.detainees_released(0, 0)));
        // Everyone detained is held or released.
        released_total += next.detainees_released(0, 0);
        CHECK(next.detainees(0, 0) + released_total == Approx(200));
        militia = next.militia(0, 0);
        held = next.detainees(0, 0);
        s = next;
    }
    // After two mean stays, about e^-2 of them are still held.
    CHECK(held == Approx(200 * std::pow(1 - 1.0 / 50, 100)));
    CHECK(held / 200 == Approx(std::exp(-2.0)).epsilon(0.03));
}

TEST_CASE("a militia grows logistically toward its capacity and no further", "[model][forces]") {
    // Capacity: 2% of its supporters (half of 1e6) = 10,000; money is no limit.
    const Roster r = militia_roster(1e9);
    State s = forces_state(r);
    s.militia(0, 0) = 100;
    const ForcesParams params;
    const auto path = militia_path(r, s, params, 400);
    const double capacity = params.volunteer_mobilisation * 0.5 * 1e6;
    for (std::size_t w = 1; w < path.size(); ++w) {
        INFO("week " << w);
        REQUIRE(path[w] > path[w - 1]);
        REQUIRE(path[w] <= capacity);
    }
    CHECK(path.back() == Approx(capacity).epsilon(1e-3));
    // Small militias double in about 14 weeks (the Mahdi Army of 2003-2004, forces.hpp).
    std::size_t doubled = 0;
    while (path[doubled] < 200) ++doubled;
    CHECK(doubled >= 13);
    CHECK(doubled <= 16);
    // The logistic's inflection: growth is fastest near half the capacity.
    std::size_t fastest = 1;
    for (std::size_t w = 1; w < path.size(); ++w)
        if (path[w] - path[w - 1] > path[fastest] - path[fastest - 1]) fastest = w;
    CHECK(path[fastest - 1] / capacity == Approx(0.5).margin(0.06));
}

TEST_CASE("a militia is capped by what it can pay", "[model][forces]") {
    // 20,000 USD a week at 10 USD a fighter pays for 2,000 fighters, below the 10,000 volunteers.
    const Roster r = militia_roster(20000, 10);
    State s = forces_state(r);
    s.militia(0, 0) = 100;
    const auto path = militia_path(r, s, ForcesParams{}, 600);
    for (double m : path) REQUIRE(m <= 2000 + 1e-9);
    CHECK(path.back() == Approx(2000).epsilon(1e-3));
}

TEST_CASE("a militia above its capacity shrinks toward it without undershooting", "[model][forces]") {
    const Roster r = militia_roster(1e9);
    State s = forces_state(r);
    s.militia(0, 0) = 30000;  // three times the 10,000 it can raise
    const auto path = militia_path(r, s, ForcesParams{}, 1000);
    for (std::size_t w = 1; w < path.size(); ++w) {
        REQUIRE(path[w] < path[w - 1]);
        REQUIRE(path[w] > 10000);
    }
    CHECK(path[1] > 29000);  // slow: about 1% of the excess a week
    CHECK(path.back() < 10100);
}

TEST_CASE("a faction absent from a province does not grow there by itself", "[model][forces]") {
    const Roster r = militia_roster(1e9);
    const auto path = militia_path(r, forces_state(r), ForcesParams{}, 200);
    for (double m : path) CHECK(m == 0);
}

TEST_CASE("losses come off first and fighters never go negative", "[model][forces]") {
    const Roster r = militia_roster(1e9);
    State prev = forces_state(r);
    prev.militia(0, 0) = 1000;
    State next = prev;
    next.fighters_killed(0, 0) = 900;
    next.fighters_detained(0, 0) = 600;  // more than there are
    update_forces(r, prev, next, Levers(1), ForcesParams{}, Eigen::ArrayXd::Zero(1));
    CHECK(next.militia(0, 0) == 0);

    next = prev;
    next.fighters_killed(0, 0) = 400;
    update_forces(r, prev, next, Levers(1), ForcesParams{}, Eigen::ArrayXd::Zero(1));
    CHECK(next.militia(0, 0) > 600);   // the survivors recruit ...
    CHECK(next.militia(0, 0) < 700);   // ... at about 5% a week
}

TEST_CASE("a wage offer hires up to its positions where it is offered, even from no fighters", "[model][forces]") {
    // The Anbar police of 2006 (scenarios/history/baseline.toml): 20,000 positions in Anbar alone.
    const Roster& r = iraq();
    const Eigen::Index awakening = faction("awakening", r), anbar = province("anbar");
    Grant wage;
    wage.sponsor = r.find_sponsor("us")->index();
    wage.faction = static_cast<std::size_t>(awakening);
    wage.channel = 0;
    wage.provinces.assign(r.province_count(), false);
    wage.provinces[static_cast<std::size_t>(anbar)] = true;
    wage.usd_per_fighter_week = 70;
    wage.max_fighters = 20000;
    wage.until_week = 10000;
    Levers levers(r.faction_count());
    levers.grants.push_back(wage);
    ForcesParams params;
    params.realignment_max_rate = 0;  // hiring alone
    State s = iraq_start();
    REQUIRE(s.militia.col(awakening).sum() == 0);
    for (int week = 0; week < 200; ++week) s = forces_week(r, s, levers, params);
    // The positions, plus what the Awakening's own revenue pays for in Anbar.
    const double own = r.factions[static_cast<std::size_t>(awakening)].home_revenue_usd_per_week /
                       r.factions[static_cast<std::size_t>(awakening)].fighter_cost_usd_per_week;
    CHECK(s.militia(anbar, awakening) > 0.95 * 20000);
    CHECK(s.militia(anbar, awakening) <= 20000 + own + 1e-6);
    for (Eigen::Index p = 0; p < s.militia.rows(); ++p)
        if (p != anbar) CHECK(s.militia(p, awakening) == 0);
}

// ---------------------------------------------------------------------------------------------
// Pressure and revenue

TEST_CASE("home revenue falls as pressure rises and recovers as it eases", "[model][forces]") {
    const Roster r = militia_roster(1e6);
    State s = forces_state(r);
    s.militia(0, 0) = 5000;
    s.home_revenue(0) = 1e6;
    const ForcesParams params;
    std::vector<double> revenue;
    for (int w = 0; w < 60; ++w) {
        State next = s;
        next.fighters_killed(0, 0) = w < 30 ? 100 : 0;  // a campaign, then quiet
        update_forces(r, s, next, Levers(1), params, Eigen::ArrayXd::Zero(1));
        next.militia(0, 0) = 5000;  // held fixed: pressure is losses over fighters
        s = next;
        revenue.push_back(s.home_revenue(0));
        REQUIRE(s.pressure(0) >= 0);
        REQUIRE(s.home_revenue(0) <= 1e6);
        REQUIRE(s.home_revenue(0) > 0);
    }
    for (std::size_t w = 1; w < 30; ++w) CHECK(revenue[w] < revenue[w - 1]);
    for (std::size_t w = 31; w < 60; ++w) CHECK(revenue[w] > revenue[w - 1]);
    CHECK(revenue[29] < 0.6e6);  // 100 of 5,000 a week is about 100% a year: a heavy toll

    // Heavier losses, lower revenue.
    State light = forces_state(r), heavy = forces_state(r);
    light.militia(0, 0) = heavy.militia(0, 0) = 5000;
    State light_next = light, heavy_next = heavy;
    light_next.fighters_killed(0, 0) = 10;
    heavy_next.fighters_detained(0, 0) = 500;
    update_forces(r, light, light_next, Levers(1), params, Eigen::ArrayXd::Zero(1));
    update_forces(r, heavy, heavy_next, Levers(1), params, Eigen::ArrayXd::Zero(1));
    CHECK(heavy_next.pressure(0) > light_next.pressure(0));
    CHECK(heavy_next.home_revenue(0) < light_next.home_revenue(0));
}

// ---------------------------------------------------------------------------------------------
// Arms

TEST_CASE("attacks use up arms, and a stock cannot go below zero", "[model][forces][arms]") {
    const Roster r = militia_roster(0);
    State prev = forces_state(r);
    prev.militia(0, 0) = 1000;
    prev.arms(0) = 1e6;
    ForcesParams params;
    State quiet = prev, busy = prev, frantic = prev;
    busy.attacks_by(0, 0) = 1000;
    frantic.attacks_by(0, 0) = 1e6;
    update_forces(r, prev, quiet, Levers(1), params, Eigen::ArrayXd::Zero(1));
    update_forces(r, prev, busy, Levers(1), params, Eigen::ArrayXd::Zero(1));
    update_forces(r, prev, frantic, Levers(1), params, Eigen::ArrayXd::Zero(1));
    CHECK(quiet.arms(0) == Approx(1e6 * (1 - params.arms_depreciation)));
    CHECK(quiet.arms(0) - busy.arms(0) == Approx(1000 * params.arms_per_attack_usd));
    CHECK(frantic.arms(0) == 0);
    CHECK(armed_share(frantic, params)(0) == 0);
    CHECK(armed_share(busy, params)(0) < armed_share(quiet, params)(0));
}

TEST_CASE("an arms cut lowers the armed share only as the stock runs down", "[model][forces][arms]") {
    // A militia supplied with arms by its sponsor at steady state; then the supply stops.
    const Roster r = militia_roster(0);
    ForcesParams params;
    params.volunteer_recruitment_rate = 0;
    params.demobilisation_rate = 0;
    params.arms_share_of_money = 0;
    State s = forces_state(r);
    s.militia(0, 0) = 1000;
    const double supply = 50000;  // USD a week
    s.arms(0) = supply / params.arms_depreciation;  // the stock the supply sustains
    auto week = [&](double arms_in) {
        State next = s;
        next.backing(0, 1) = arms_in;
        update_forces(r, s, next, Levers(1), params, Eigen::ArrayXd::Zero(1));
        s = next;
        return armed_share(s, params)(0);
    };
    const double before = armed_share(s, params)(0);
    REQUIRE(before > 0.9);
    CHECK(week(supply) == Approx(before).epsilon(1e-12));  // steady while supplied
    std::vector<double> share;
    for (int w = 0; w < 520; ++w) share.push_back(week(0.0));
    CHECK(share[0] > 0.99 * before);  // a week after the cut the fighters are still armed
    for (std::size_t w = 1; w < share.size(); ++w) REQUIRE(share[w] < share[w - 1]);
    CHECK(share[51] < before);
    CHECK(share[51] > 0.9 * before);  // after a year most are still armed (0.5% wear a week)
    CHECK(share.back() < 0.7 * before);
}

// ---------------------------------------------------------------------------------------------
// Realignment and splits (the Iraq world: Sunni insurgents -> Awakening, JAM -> Special Groups)

TEST_CASE("fighters realign only where a sponsor openly backs the receiving faction", "[model][forces][realignment]") {
    const Roster& r = iraq();
    const Eigen::Index awakening = faction("awakening", r), insurgents = faction("sunni_insurgents", r);
    const Eigen::Index anbar = province("anbar"), nineveh = province("nineveh");
    State prev = iraq_start();
    prev.predation.setConstant(5.0);  // al-Qaeda has been killing its own base
    REQUIRE(prev.militia(anbar, insurgents) > 0);
    REQUIRE(prev.militia(nineveh, insurgents) > 0);

    const State unbacked = forces_week(r, prev, Levers(r.faction_count()), ForcesParams{}, 0.5);
    CHECK((unbacked.defection.col(awakening) == 0).all());
    CHECK((unbacked.militia.col(awakening) == 0).all());

    Levers levers(r.faction_count());
    levers.grants.push_back(open_backing("us", "awakening", {"anbar"}, 2e5));
    const State backed = forces_week(r, prev, levers, ForcesParams{}, 0.5);
    CHECK(backed.defection(anbar, awakening) > 0);
    CHECK(backed.militia(anbar, awakening) > 0);
    for (Eigen::Index p = 0; p < backed.militia.rows(); ++p) {
        if (p == anbar) continue;
        INFO("province " << r.provinces[static_cast<std::size_t>(p)].id);
        CHECK(backed.defection(p, awakening) == 0);
        CHECK(backed.militia(p, awakening) == 0);
    }
    // The fighters who switch come from the insurgents.
    CHECK(backed.militia(anbar, insurgents) < unbacked.militia(anbar, insurgents));
}

TEST_CASE("realignment conserves fighters and their arms", "[model][forces][realignment]") {
    const Roster& r = iraq();
    const Eigen::Index awakening = faction("awakening", r), insurgents = faction("sunni_insurgents", r);
    State prev = iraq_start();
    prev.predation.setConstant(10.0);
    Levers levers(r.faction_count());
    levers.grants.push_back(open_backing("us", "awakening", {"anbar", "salah_ad_din", "baghdad"}, 0.0));
    const ForcesParams params = flows_only();
    const State next = forces_week(r, prev, levers, params, 0.8, false);
    const double moved = next.militia.col(awakening).sum();
    REQUIRE(moved > 0);
    CHECK(next.militia.col(insurgents).sum() == Approx(prev.militia.col(insurgents).sum() - moved));
    CHECK(next.militia.sum() == Approx(prev.militia.sum()).epsilon(1e-12));
    CHECK(next.arms.sum() == Approx(prev.arms.sum()).epsilon(1e-12));
    // The arms travel with the fighters: the same share of the insurgents' stock as of their men.
    CHECK(next.arms(awakening) / prev.arms(insurgents) == Approx(moved / prev.militia.col(insurgents).sum()).epsilon(1e-9));
}

TEST_CASE("realignment rises with al-Qaeda's predation and with protection", "[model][forces][realignment]") {
    const Roster& r = iraq();
    const Eigen::Index awakening = faction("awakening", r);
    const Eigen::Index anbar = province("anbar");
    Levers levers(r.faction_count());
    levers.grants.push_back(open_backing("us", "awakening", {"anbar"}, 2e5));
    auto defection = [&](double predation, double protection) {
        State prev = iraq_start();
        prev.predation.setConstant(predation);
        return forces_week(r, prev, levers, ForcesParams{}, protection).defection(anbar, awakening);
    };
    const double none = defection(0, 0), some = defection(2, 0), much = defection(8, 0);
    CHECK(none > 0);  // openly backed: a trickle even without predation
    CHECK(some > none);
    CHECK(much > some);
    CHECK(much > 10 * none);
    CHECK(much <= ForcesParams{}.realignment_max_rate);
    CHECK(defection(0, 1.0) > none);
    // Predation this week feeds the memory: al-Qaeda killing Sunni Arabs in Anbar raises it.
    State prev = iraq_start();
    State next = prev;
    iraqsim::model::update_sponsors(r, prev, next, levers);
    const auto P = static_cast<Eigen::Index>(r.province_count());
    const auto sunni = static_cast<Eigen::Index>(r.find_community("sunni_arab")->index());
    next.civilians_killed_by(sunni * P + anbar, faction("aqi", r)) = 100;
    update_forces(r, prev, next, levers, ForcesParams{}, Eigen::ArrayXd::Zero(P));
    CHECK(next.predation(anbar) > 0);
    CHECK(next.predation(province("basra")) == 0);
}

TEST_CASE("a splinter draws fighters from its parent, faster under a declared ceasefire", "[model][forces][split]") {
    const Roster& r = iraq();
    const Eigen::Index jam = faction("jam", r), sg = faction("special_groups", r);
    State prev = iraq_start();
    REQUIRE(prev.militia.col(sg).sum() == 0);
    const ForcesParams params = flows_only();

    const State calm = forces_week(r, prev, Levers(r.faction_count()), params, 0.0, false);
    Levers ceasefire(r.faction_count());
    ceasefire.compliance(jam) = 0.6;
    ceasefire.ceasefire_declared(jam) = 1.0;
    const State ordered = forces_week(r, prev, ceasefire, params, 0.0, false);

    const double split_calm = calm.militia.col(sg).sum(), split_ordered = ordered.militia.col(sg).sum();
    CHECK(split_calm > 0);
    CHECK(split_ordered > 1.5 * split_calm);
    // Where the parent is, the splinter appears; it comes out of the parent, arms and all.
    for (Eigen::Index p = 0; p < prev.militia.rows(); ++p) CHECK((ordered.militia(p, sg) > 0) == (prev.militia(p, jam) > 0));
    CHECK(ordered.militia.col(jam).sum() + split_ordered == Approx(prev.militia.col(jam).sum()));
    CHECK(ordered.arms(sg) > 0);
    CHECK(ordered.arms(jam) + ordered.arms(sg) == Approx(prev.arms(jam) + prev.arms(sg)));
}

TEST_CASE("no sponsor courting the commanders, no split - a cohesive parent splits less", "[model][forces][split]") {
    Roster r = iraq();
    const Eigen::Index jam = faction("jam", r), sg = faction("special_groups", r);
    const State prev = iraq_start();
    const ForcesParams params = flows_only();
    const double base = forces_week(r, prev, Levers(r.faction_count()), params).militia.col(sg).sum();
    REQUIRE(base > 0);

    Roster cohesive = r;
    cohesive.factions[static_cast<std::size_t>(jam)].cohesion = 0.9;
    CHECK(forces_week(cohesive, prev, Levers(r.faction_count()), params).militia.col(sg).sum() < base);

    Roster uncourted = r;
    uncourted.factions[static_cast<std::size_t>(sg)].sponsor_ties.assign(r.sponsor_count(), {0, 0, 0, 0});
    CHECK(forces_week(uncourted, prev, Levers(r.faction_count()), params).militia.col(sg).sum() == 0);
}

TEST_CASE("militia and arms stay finite and non-negative over years of forces alone", "[model][forces]") {
    const Roster& r = iraq();
    State s = iraq_start();
    Levers levers(r.faction_count());
    levers.grants.push_back(open_backing("us", "awakening", {"anbar", "baghdad"}, 5e5));
    levers.ceasefire_declared(faction("jam", r)) = 1.0;
    s.predation.setConstant(3.0);
    for (int w = 0; w < 150; ++w) {
        s = forces_week(r, s, levers, ForcesParams{}, 0.3);
        INFO("week " << w);
        REQUIRE(s.militia.allFinite());
        REQUIRE((s.militia >= 0).all());
        REQUIRE((s.arms >= 0).all());
        REQUIRE((s.defection >= 0).all());
        REQUIRE((s.defection <= 1).all());
    }
}
