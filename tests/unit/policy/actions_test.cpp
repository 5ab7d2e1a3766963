// What each policy does to the levers when it fires (ceasefire, arm_faction, pay, offensive, uprising, shock),
// and when what it set expires (docs/policies.md).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "../support/iraq_world.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/model/levers.hpp"
#include "iraqsim/policy/actions.hpp"
#include "iraqsim/scenario/event.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using iraqsim::model::Levers;
using iraqsim::policy::Action;
using iraqsim::policy::compile_action;
using iraqsim::scenario::Event;
using iraqsim::scenario::Value;
using iraqsim::world::Roster;
using iraqsim::world::State;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {

Event event(const std::string& policy, std::vector<std::pair<std::string, Value>> fields) {
    Event e;
    e.id = "test_" + policy;
    e.policy = policy;
    for (auto& [name, value] : fields) e.fields[name] = std::move(value);
    return e;
}

Value text(const char* s) { return Value{std::string(s)}; }
Value list(std::vector<std::string> items) { return Value{std::move(items)}; }

// A state whose only content the actions read: dependence on each sponsor.
State with_dependence(double jam_on_iran, double sg_on_iran) {
    State s = iraqsim::world::make_initial_state(iraq());
    s.dependence.setZero();
    s.dependence(sponsor("iran"), faction("jam")) = jam_on_iran;
    s.dependence(sponsor("iran"), faction("special_groups")) = sg_on_iran;
    return s;
}

Levers fired(const Event& e, const State& state, int week, Levers levers = Levers(iraq().faction_count())) {
    const Action action = compile_action(e, iraq());
    REQUIRE(action);
    action(levers, state, week);
    return levers;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Ceasefire

TEST_CASE("a ceasefire's compliance combines cohesion with the sponsor's leverage", "[policy][actions][ceasefire]") {
    const Eigen::Index jam = faction("jam"), sg = faction("special_groups");
    const double cohesion = iraq().factions[static_cast<std::size_t>(jam)].cohesion;
    REQUIRE(cohesion > 0);
    REQUIRE(cohesion < 1);
    const Event e = event("ceasefire", {{"faction", text("jam")}, {"sponsor", text("iran")}, {"pressure", Value{0.5}},
                                        {"duration_weeks", Value{26.0}}});
    const Levers levers = fired(e, with_dependence(0.4, 0.9), 10);
    // 1 - (1 - cohesion)(1 - pressure x dependence): the leader's order, and Iran's weight behind it.
    CHECK(levers.compliance(jam) == Approx(1 - (1 - cohesion) * (1 - 0.5 * 0.4)));
    // The Special Groups do not obey Sadr: only Iran's pressure reaches them.
    CHECK(levers.compliance(sg) == Approx(0.5 * 0.9));
    CHECK(levers.ceasefire_declared(jam) == 1);
    CHECK(levers.ceasefire_declared(sg) == 0);
    // No one else is touched.
    for (Eigen::Index f = 0; f < levers.compliance.size(); ++f) {
        if (f == jam || f == sg) continue;
        CHECK(levers.compliance(f) == 0);
        CHECK(levers.ceasefire_declared(f) == 0);
        CHECK(levers.ceasefire_until(f) == -1);
    }
}

TEST_CASE("without a sponsor pressing, a ceasefire holds as far as cohesion reaches", "[policy][actions][ceasefire]") {
    const Eigen::Index jam = faction("jam"), sg = faction("special_groups");
    const double cohesion = iraq().factions[static_cast<std::size_t>(jam)].cohesion;
    const Levers alone = fired(event("ceasefire", {{"faction", text("jam")}}), with_dependence(0.4, 0.9), 0);
    CHECK(alone.compliance(jam) == Approx(cohesion));
    CHECK(alone.compliance(sg) == 0);
    // A sponsor with no leverage adds nothing; full pressure on full dependence means full compliance.
    const Levers no_leverage = fired(event("ceasefire", {{"faction", text("jam")}, {"sponsor", text("iran")}, {"pressure", Value{1.0}}}),
                                     with_dependence(0.0, 0.0), 0);
    CHECK(no_leverage.compliance(jam) == Approx(cohesion));
    CHECK(no_leverage.compliance(sg) == 0);
    const Levers total = fired(event("ceasefire", {{"faction", text("jam")}, {"sponsor", text("iran")}, {"pressure", Value{1.0}}}),
                               with_dependence(1.0, 1.0), 0);
    CHECK(total.compliance(jam) == Approx(1.0));
    CHECK(total.compliance(sg) == Approx(1.0));
}

TEST_CASE("compliance rises with the sponsor's pressure and the faction's dependence", "[policy][actions][ceasefire]") {
    const Eigen::Index jam = faction("jam"), sg = faction("special_groups");
    auto compliance = [&](double pressure, double dependence) {
        const Levers l = fired(event("ceasefire", {{"faction", text("jam")}, {"sponsor", text("iran")}, {"pressure", Value{pressure}}}),
                               with_dependence(dependence, dependence), 0);
        return std::pair<double, double>{l.compliance(jam), l.compliance(sg)};
    };
    double last_jam = -1, last_sg = -1;
    for (const double pressure : {0.0, 0.25, 0.5, 1.0}) {
        const auto [j, s] = compliance(pressure, 0.6);
        CHECK(j > last_jam);
        CHECK(s >= last_sg);
        CHECK(j >= s);  // the leader's own men comply at least as much as the splinter
        CHECK(j <= 1);
        last_jam = j;
        last_sg = s;
    }
    CHECK(compliance(0.5, 0.8).first > compliance(0.5, 0.2).first);
}

TEST_CASE("a ceasefire expires after its duration, for the faction and its splinters", "[policy][actions][ceasefire]") {
    const Eigen::Index jam = faction("jam"), sg = faction("special_groups");
    const Event e = event("ceasefire", {{"faction", text("jam")}, {"sponsor", text("iran")}, {"pressure", Value{0.5}},
                                        {"duration_weeks", Value{26.0}}});
    Levers levers = fired(e, with_dependence(0.4, 0.9), 10);
    CHECK(levers.ceasefire_until(jam) == 35);  // weeks 10 .. 35: 26 weeks
    levers.expire(35);
    CHECK(levers.compliance(jam) > 0);
    CHECK(levers.compliance(sg) > 0);
    CHECK(levers.ceasefire_declared(jam) == 1);
    levers.expire(36);
    CHECK(levers.compliance(jam) == 0);
    CHECK(levers.compliance(sg) == 0);
    CHECK(levers.ceasefire_declared(jam) == 0);
    CHECK(levers.ceasefire_until(jam) == -1);
    CHECK(levers.ceasefire_until(sg) == -1);
}

TEST_CASE("an extension replaces the ceasefire in force and runs from its own date", "[policy][actions][ceasefire]") {
    const Eigen::Index jam = faction("jam");
    const Event first = event("ceasefire", {{"faction", text("jam")}, {"duration_weeks", Value{26.0}}});
    const Event extension = event("ceasefire", {{"faction", text("jam")}, {"sponsor", text("iran")}, {"pressure", Value{1.0}},
                                                {"duration_weeks", Value{26.0}}});
    const State state = with_dependence(0.5, 0.5);
    Levers levers = fired(first, state, 10);
    levers.expire(30);
    levers = fired(extension, state, 30, levers);
    levers.expire(40);  // past the first's end
    CHECK(levers.ceasefire_declared(jam) == 1);
    CHECK(levers.ceasefire_until(jam) == 55);
    CHECK(levers.compliance(jam) > iraq().factions[static_cast<std::size_t>(jam)].cohesion);
    levers.expire(56);
    CHECK(levers.compliance(jam) == 0);
}

TEST_CASE("a duration in fractions of a week rounds up to whole weeks", "[policy][actions][ceasefire]") {
    const Eigen::Index jam = faction("jam");
    Levers levers = fired(event("ceasefire", {{"faction", text("jam")}, {"duration_weeks", Value{0.5}}}), with_dependence(0, 0), 4);
    levers.expire(4);
    CHECK(levers.ceasefire_declared(jam) == 1);
    levers.expire(5);
    CHECK(levers.ceasefire_declared(jam) == 0);
}

// ---------------------------------------------------------------------------------------------
// Grants, offensives, shocks

TEST_CASE("arming a faction backs it openly where given, until it expires", "[policy][actions][grants]") {
    const Event e = event("arm_faction", {{"sponsor", text("us")}, {"faction", text("awakening")}, {"provinces", list({"anbar"})},
                                          {"usd_per_week", Value{2e5}}, {"duration_weeks", Value{52.0}}});
    Levers levers = fired(e, with_dependence(0, 0), 100);
    REQUIRE(levers.grants.size() == 1);
    const auto& g = levers.grants.front();
    const auto awakening = faction_index("awakening");
    CHECK(g.sponsor == static_cast<std::size_t>(sponsor("us")));
    CHECK(g.faction == awakening);
    CHECK(iraq().channels[g.channel].id == "arms");
    CHECK(g.usd_per_week == 2e5);
    CHECK(g.usd_per_fighter_week == 0);
    CHECK(levers.openly_backed(awakening, province_index("anbar")));
    CHECK_FALSE(levers.openly_backed(awakening, province_index("baghdad")));
    CHECK_FALSE(levers.openly_backed(faction_index("sunni_insurgents"), province_index("anbar")));
    CHECK(levers.wage_offer(awakening, province_index("anbar")) == 0);
    levers.expire(151);
    CHECK(levers.grants.size() == 1);
    levers.expire(152);
    CHECK(levers.grants.empty());
    CHECK_FALSE(levers.openly_backed(awakening, province_index("anbar")));
}

TEST_CASE("a grant without provinces is given everywhere", "[policy][actions][grants]") {
    const Levers levers = fired(event("arm_faction", {{"sponsor", text("iran")}, {"faction", text("special_groups")}}),
                                with_dependence(0, 0), 0);
    const auto sg = faction_index("special_groups");
    for (std::size_t p = 0; p < iraq().province_count(); ++p) CHECK(levers.openly_backed(sg, p));
}

TEST_CASE("pay offers a wage per fighter in its provinces, defaults from the catalogue", "[policy][actions][grants]") {
    const auto awakening = faction_index("awakening");
    Levers levers = fired(event("pay", {{"sponsor", text("us")}, {"faction", text("awakening")},
                                        {"provinces", list({"anbar", "diyala"})}, {"usd_per_fighter_week", Value{70.0}},
                                        {"max_fighters", Value{20000.0}}, {"duration_weeks", Value{38.0}}}),
                          with_dependence(0, 0), 5);
    // A second, better wage in Anbar: the best offer stands.
    levers = fired(event("pay", {{"sponsor", text("us")}, {"faction", text("awakening")}, {"provinces", list({"anbar"})},
                                 {"usd_per_fighter_week", Value{90.0}}, {"duration_weeks", Value{4.0}}}),
                   with_dependence(0, 0), 6, levers);
    REQUIRE(levers.grants.size() == 2);
    CHECK(iraq().channels[levers.grants.front().channel].id == "money");
    CHECK(levers.grants.front().max_fighters == 20000);
    CHECK(levers.grants.back().max_fighters == 100000);  // the catalogue's default
    CHECK(levers.wage_offer(awakening, province_index("anbar")) == 90);
    CHECK(levers.wage_offer(awakening, province_index("diyala")) == 70);
    CHECK(levers.wage_offer(awakening, province_index("basra")) == 0);
    CHECK(levers.openly_backed(awakening, province_index("diyala")));
    levers.expire(10);  // the second (weeks 6 .. 9) has ended
    CHECK(levers.wage_offer(awakening, province_index("anbar")) == 70);
    levers.expire(43);  // the first: weeks 5 .. 42
    CHECK(levers.wage_offer(awakening, province_index("anbar")) == 0);
}

TEST_CASE("an offensive names its attacker (the government by default) and expires", "[policy][actions][offensive]") {
    Levers levers = fired(event("offensive", {{"target", text("jam")}, {"provinces", list({"basra"})}}), with_dependence(0, 0), 20);
    REQUIRE(levers.offensives.size() == 1);
    const auto& o = levers.offensives.front();
    CHECK(o.attacker == faction_index("government"));
    CHECK(o.target == faction_index("jam"));
    CHECK(o.provinces[province_index("basra")]);
    CHECK_FALSE(o.provinces[province_index("baghdad")]);
    CHECK(o.intensity == 3.0);   // catalogue defaults
    CHECK(o.us_support == 0.3);
    levers.expire(27);  // 8 weeks: 20 .. 27
    CHECK(levers.offensives.size() == 1);
    levers.expire(28);
    CHECK(levers.offensives.empty());

    const Levers by_isci = fired(event("offensive", {{"faction", text("isci")}, {"target", text("jam")}, {"provinces", list({"karbala"})},
                                                     {"intensity", Value{5.0}}}),
                                 with_dependence(0, 0), 0);
    CHECK(by_isci.offensives.front().attacker == faction_index("isci"));
    CHECK(by_isci.offensives.front().intensity == 5.0);
}

TEST_CASE("an uprising is answered by the faction's cohesion, where it is called, and expires", "[policy][actions][uprising]") {
    const std::size_t jam = faction_index("jam");
    const double cohesion = iraq().factions[jam].cohesion;
    Levers levers = fired(event("uprising", {{"faction", text("jam")}, {"provinces", list({"najaf", "baghdad"})}}),
                          with_dependence(0, 0), 50);
    REQUIRE(levers.uprisings.size() == 1);
    // The catalogue's intensity 3: the units that answer attack three times as often.
    CHECK(levers.uprising(jam, province_index("najaf")) == Approx(1 + 2 * cohesion));
    CHECK(levers.uprising(jam, province_index("baghdad")) == Approx(1 + 2 * cohesion));
    CHECK(levers.uprising(jam, province_index("basra")) == 1.0);
    CHECK(levers.uprising(faction_index("isci"), province_index("najaf")) == 1.0);
    levers.expire(57);  // 8 weeks: 50 .. 57
    CHECK(levers.uprisings.size() == 1);
    levers.expire(58);
    CHECK(levers.uprisings.empty());
    CHECK(levers.uprising(jam, province_index("najaf")) == 1.0);
}

TEST_CASE("a shock raises tension where it strikes, halving every half-life", "[policy][actions][shock]") {
    Levers levers = fired(event("shock", {{"tension", Value{1.5}}, {"half_life_weeks", Value{52.0}}, {"provinces", list({"baghdad"})}}),
                          with_dependence(0, 0), 150);
    const std::size_t baghdad = province_index("baghdad"), basra = province_index("basra");
    CHECK(levers.tension(baghdad, 149) == 1.0);  // not before it strikes
    CHECK(levers.tension(baghdad, 150) == Approx(2.5));
    CHECK(levers.tension(baghdad, 202) == Approx(1.75));
    CHECK(levers.tension(baghdad, 254) == Approx(1.375));
    CHECK(levers.tension(baghdad, 150 + 520) == Approx(1.0).margin(2e-3));
    for (int w = 151; w < 300; ++w) REQUIRE(levers.tension(baghdad, w) < levers.tension(baghdad, w - 1));
    CHECK(levers.tension(basra, 150) == 1.0);
    // Shocks are not withdrawn: expiry leaves them to decay.
    levers.expire(1000);
    CHECK(levers.tension(baghdad, 202) == Approx(1.75));
    // A second shock adds to what is left of the first; without provinces it strikes everywhere.
    levers = fired(event("shock", {{"tension", Value{1.0}}, {"half_life_weeks", Value{10.0}}}), with_dependence(0, 0), 202, levers);
    CHECK(levers.tension(baghdad, 202) == Approx(2.75));
    CHECK(levers.tension(basra, 212) == Approx(1.5));
}

TEST_CASE("troop policies act through the troop plan, not the levers", "[policy][actions]") {
    for (const char* policy : {"surge", "drawdown", "withdrawal"}) CHECK_FALSE(compile_action(event(policy, {}), iraq()));
}

TEST_CASE("the baseline's ceasefires and grants fire into the levers on their dates", "[policy][actions]") {
    const auto model = iraqsim::engine::compile_model(iraqsim::scenario::default_scenario(), iraq());
    Levers levers(iraq().faction_count());
    bool ceasefire = false, pay = false;
    for (const auto& e : model.schedule) {
        if (!e.action) continue;
        e.action(levers, model.initial_state, e.week);
        if (e.policy == "ceasefire") {
            ceasefire = true;
            CHECK(levers.ceasefire_declared(faction("jam")) == 1);
            CHECK(levers.ceasefire_until(faction("jam")) >= e.week);
        }
        if (e.policy == "pay") pay = true;
    }
    CHECK(ceasefire);
    CHECK(pay);
    CHECK_FALSE(levers.grants.empty());
}

TEST_CASE("supply cuts: arms_restriction, funding_cut and sanctions cut their channels, compound, and expire",
          "[policy][actions][supply]") {
    const auto iran = static_cast<std::size_t>(sponsor("iran")), us = static_cast<std::size_t>(sponsor("us"));
    const auto sg = faction_index("special_groups"), jam = faction_index("jam");
    const auto isci = faction_index("isci");
    const State state = with_dependence(0, 0);
    Levers levers = fired(event("arms_restriction", {{"sponsor", text("iran")}, {"to", list({"special_groups", "jam"})},
                                                     {"factor", Value{0.3}}, {"duration_weeks", Value{10.0}}}),
                          state, 100);
    // Arms (1) and training (2) are cut to the factions named; money (0), cover (3), others are not.
    CHECK(levers.supply_factor(iran, sg, 1) == Approx(0.3));
    CHECK(levers.supply_factor(iran, jam, 2) == Approx(0.3));
    CHECK(levers.supply_factor(iran, sg, 0) == 1);
    CHECK(levers.supply_factor(iran, sg, 3) == 1);
    CHECK(levers.supply_factor(iran, isci, 1) == 1);
    CHECK(levers.supply_factor(us, sg, 1) == 1);
    // A funding cut on top cuts the money; sanctions compound with the restriction.
    levers = fired(event("funding_cut", {{"sponsor", text("iran")}, {"to", list({"special_groups"})}, {"factor", Value{0.0}}}),
                   state, 100, levers);
    CHECK(levers.supply_factor(iran, sg, 0) == 0);
    levers = fired(event("sanctions", {{"sponsor", text("iran")}}), state, 100, levers);  // default factor 0.7, all factions
    CHECK(levers.supply_factor(iran, sg, 1) == Approx(0.3 * 0.7));
    CHECK(levers.supply_factor(iran, isci, 1) == Approx(0.7));
    CHECK(levers.supply_factor(iran, isci, 3) == 1);  // political cover is not material
    levers.expire(109);
    CHECK(levers.supply_factor(iran, sg, 1) == Approx(0.3 * 0.7));
    levers.expire(110);  // the 10-week restriction is over; the 520-week ones remain
    CHECK(levers.supply_factor(iran, sg, 1) == Approx(0.7));
    CHECK(levers.supply_factor(iran, sg, 0) == 0);
}
