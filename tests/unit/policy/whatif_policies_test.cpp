// The what-if policies barriers, targeting, detente, stand_down and ceasefire_expiry: what each
// sets on the levers, and that each changes the dynamics it acts through, in paired replicates
// (common random numbers) against the same window without it.
#include <catch2/catch.hpp>

#include "../support/iraq_world.hpp"
#include "../support/policy_run.hpp"
#include "iraqsim/model/levers.hpp"
#include "iraqsim/policy/actions.hpp"

using namespace iraqsim;
using core::Date;
using scenario::Value;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {

model::Levers fire(const scenario::Event& e, int week, model::Levers levers = model::Levers(iraq().faction_count())) {
    const policy::Action action = policy::compile_action(e, iraq());
    REQUIRE(action);
    action(levers, world::make_initial_state(iraq()), week);
    return levers;
}

// Each replicate's what-if value is below (or above) its paired baseline value.
void check_paired(const std::vector<double>& base, const std::vector<double>& whatif, bool lower, const char* what) {
    REQUIRE(base.size() == whatif.size());
    for (std::size_t r = 0; r < base.size(); ++r) {
        INFO(what << ", replicate " << r << ": baseline " << base[r] << ", what-if " << whatif[r]);
        if (lower) CHECK(whatif[r] < base[r]);
        else CHECK(whatif[r] > base[r]);
    }
}

}  // namespace

TEST_CASE("barriers ramp up where built, the largest in force applies, and they expire", "[policy][whatif][barriers]") {
    const auto e = test::policy_event("walls", "barriers", Date{2007, 4, 10},
                                      {{"provinces", std::vector<std::string>{"baghdad"}}, {"reduction", 0.6}, {"ramp_weeks", 4.0},
                                       {"duration_weeks", 10.0}});
    model::Levers levers = fire(e, 10);
    const std::size_t baghdad = province_index("baghdad"), basra = province_index("basra");
    CHECK(levers.barrier(baghdad, 10) == Approx(0.15));
    CHECK(levers.barrier(baghdad, 13) == Approx(0.6));
    CHECK(levers.barrier(baghdad, 30) == Approx(0.6));
    CHECK(levers.barrier(basra, 13) == 0);
    levers = fire(test::policy_event("more", "barriers", Date{2007, 5, 1}, {{"provinces", std::vector<std::string>{"baghdad"}},
                                                                           {"reduction", 0.9}, {"ramp_weeks", 1.0}}),
                  12, levers);
    CHECK(levers.barrier(baghdad, 12) == Approx(0.9));
    levers.expire(20);  // the first has run its 10 weeks; the second stays
    CHECK(levers.barriers.size() == 1);
}

TEST_CASE("barriers in Baghdad lower its civilian deaths in every paired replicate", "[policy][whatif][barriers][engine]") {
    const std::vector<std::string> vars{"civilian_deaths"};
    const Date start{2006, 1, 5}, end{2006, 12, 28};
    const auto base = test::run_policy(start, end, {}, vars);
    const auto walled = test::run_policy(
        start, end,
        {test::policy_event("walls", "barriers", Date{2006, 3, 2},
                            {{"provinces", std::vector<std::string>{"baghdad"}}, {"reduction", 0.8}, {"ramp_weeks", 4.0}})},
        vars);
    const std::size_t baghdad = province_index("baghdad");
    auto deaths = [&](const test::PolicyRun& run) { return test::sum_per_replicate(run, 0, 16, 52, [&](std::size_t i) { return i == baghdad; }); };
    check_paired(deaths(base), deaths(walled), true, "Baghdad civilian deaths, May-December 2006");
}

TEST_CASE("a targeting campaign removes more of its target, and misdirection turns removals into civilian deaths",
          "[policy][whatif][targeting][engine]") {
    const std::vector<std::string> vars{"fighters_killed", "fighters_detained", "civilian_deaths_by_us", "militia"};
    const Date start{2006, 6, 1}, end{2007, 6, 28};
    auto campaign = [](double misdirection) {
        return std::vector<scenario::Event>{test::policy_event(
            "hunt_jam", "targeting", Date{2006, 7, 6},
            {{"target", std::string("jam")}, {"informant", std::string("isci")}, {"troop_share", 0.5}, {"misdirection", misdirection},
             {"duration_weeks", 40.0}})};
    };
    const auto base = test::run_policy(start, end, {}, vars);
    const auto straight = test::run_policy(start, end, campaign(0.0), vars);
    const auto played = test::run_policy(start, end, campaign(0.6), vars);
    const std::size_t F = iraq().faction_count(), jam = faction_index("jam");
    // Records [first, last): the whole window, or the campaign's first 12 weeks (from 2006-07-06),
    // before the fighters it has removed leave fewer to remove.
    auto jam_lost = [&](const test::PolicyRun& run, std::size_t first = 0, std::size_t last = 60) {
        const auto killed = test::sum_per_replicate(run, 0, first, last, [&](std::size_t i) { return i % F == jam; });
        const auto detained = test::sum_per_replicate(run, 1, first, last, [&](std::size_t i) { return i % F == jam; });
        std::vector<double> lost(killed.size());
        for (std::size_t r = 0; r < lost.size(); ++r) lost[r] = killed[r] + detained[r];
        return lost;
    };
    auto by_us = [&](const test::PolicyRun& run) { return test::sum_per_replicate(run, 2, 0, 60, [](std::size_t) { return true; }); };
    // Over the whole window the campaign need not remove more: JAM, starting small in 2006 here,
    // grows through its fighters, and the campaign's early removals leave fewer to grow and remove.
    // What it must do is remove more while it starts and hold JAM below the baseline while it runs
    // (record 40, nine months in). After it stops (week 45) JAM may grow past the baseline, as it
    // does from week 48 at the default of the fit matched to 2007: what JAM reaches then is not
    // the campaign's direct effect.
    check_paired(jam_lost(base, 5, 17), jam_lost(straight, 5, 17), false, "JAM fighters lost in the campaign's first 12 weeks");
    auto jam_at = [&](const test::PolicyRun& run, std::size_t record) {
        return test::sum_per_replicate(run, 3, record, record + 1, [&](std::size_t i) { return i % F == jam; });
    };
    check_paired(jam_at(base, 40), jam_at(straight, 40), true, "JAM fighters nine months into the campaign");
    check_paired(jam_lost(played, 5, 17), jam_lost(straight, 5, 17), false,
                 "JAM fighters lost in the campaign's first 12 weeks without misdirection vs with");
    check_paired(by_us(straight), by_us(played), false, "civilians killed by US forces with misdirection vs without");
}

TEST_CASE("detente restrains both sides: Iran's arms to its clients and US targeting of them", "[policy][whatif][detente]") {
    const model::Levers levers = fire(test::policy_event("deal", "detente", Date{2007, 6, 1}, {{"restraint", 0.6}}), 200);
    const std::size_t iran = sponsor_index("iran"), us = sponsor_index("us");
    // By default the factions Iran supplies: ISCI and JAM among them; not the Sunni insurgents.
    CHECK(levers.supply_factor(iran, faction_index("isci"), 1) == Approx(0.4));
    CHECK(levers.supply_factor(iran, faction_index("jam"), 2) == Approx(0.4));
    CHECK(levers.supply_factor(iran, faction_index("jam"), 0) == 1);  // money is not restrained
    CHECK(levers.supply_factor(iran, faction_index("sunni_insurgents"), 1) == 1);
    CHECK(levers.supply_factor(us, faction_index("government"), 1) == 1);
    CHECK(levers.us_targeting(faction_index("jam")) == Approx(0.4));
    CHECK(levers.us_targeting(faction_index("aqi")) == 1);
    const model::Levers named =
        fire(test::policy_event("deal", "detente", Date{2007, 6, 1}, {{"to", std::vector<std::string>{"special_groups"}}}), 200);
    CHECK(named.us_targeting(faction_index("special_groups")) == Approx(0.5));
    CHECK(named.us_targeting(faction_index("jam")) == 1);
}

TEST_CASE("detente lowers what the US and Iraqi forces remove of JAM in every paired replicate", "[policy][whatif][detente][engine]") {
    const std::vector<std::string> vars{"fighters_detained"};
    const Date start{2006, 6, 1}, end{2007, 6, 28};
    const auto base = test::run_policy(start, end, {}, vars);
    const auto deal = test::run_policy(start, end,
                                       {test::policy_event("deal", "detente", Date{2006, 7, 6},
                                                           {{"restraint", 0.9}, {"to", std::vector<std::string>{"jam"}}})},
                                       vars);
    const std::size_t F = iraq().faction_count(), jam = faction_index("jam");
    auto detained = [&](const test::PolicyRun& run) { return test::sum_per_replicate(run, 0, 6, 60, [&](std::size_t i) { return i % F == jam; }); };
    check_paired(detained(base), detained(deal), true, "JAM fighters detained");
}

TEST_CASE("a stand-down sends home share x cohesion of the faction's fighters that week", "[policy][whatif][stand_down][engine]") {
    const std::vector<std::string> vars{"militia"};
    const Date start{2007, 1, 4}, end{2007, 3, 1};
    const auto base = test::run_policy(start, end, {}, vars);
    const auto order = test::run_policy(
        start, end, {test::policy_event("home", "stand_down", Date{2007, 2, 1}, {{"faction", std::string("jam")}, {"share", 1.0}})}, vars);
    const std::size_t F = iraq().faction_count(), jam = faction_index("jam");
    auto fighters = [&](const test::PolicyRun& run, std::size_t week) {
        return test::sum_per_replicate(run, 0, week, week + 1, [&](std::size_t i) { return i % F == jam; });
    };
    const double cohesion = iraq().factions[jam].cohesion;
    const auto before_base = fighters(base, 3), before_order = fighters(order, 3);
    const auto after_base = fighters(base, 4), after_order = fighters(order, 4);
    for (std::size_t r = 0; r < after_base.size(); ++r) {
        CHECK(before_order[r] == before_base[r]);  // nothing changes before the order
        // Those who obey leave at once; recruitment that week adds back a little at most.
        CHECK(after_order[r] == Approx((1.0 - cohesion) * after_base[r]).epsilon(0.05));
    }
    // The order acts on the faction alone: ISCI's fighters that week are untouched.
    const std::size_t isci = faction_index("isci");
    const auto isci_base = test::sum_per_replicate(base, 0, 4, 5, [&](std::size_t i) { return i % F == isci; });
    const auto isci_order = test::sum_per_replicate(order, 0, 4, 5, [&](std::size_t i) { return i % F == isci; });
    CHECK(isci_order == isci_base);
}

TEST_CASE("ceasefire_expiry ends a ceasefire in force for the faction and its splinters", "[policy][whatif][ceasefire]") {
    model::Levers levers = fire(test::policy_event("freeze", "ceasefire", Date{2007, 8, 29},
                                                   {{"faction", std::string("jam")}, {"duration_weeks", 26.0},
                                                    {"sponsor", std::string("iran")}, {"pressure", 1.0}}),
                                10);
    const auto jam = faction("jam"), sg = faction("special_groups");
    REQUIRE(levers.compliance(jam) > 0);
    levers = fire(test::policy_event("lifted", "ceasefire_expiry", Date{2007, 10, 1}, {{"faction", std::string("jam")}}), 15, levers);
    levers.expire(15);
    CHECK(levers.compliance(jam) == 0);
    CHECK(levers.compliance(sg) == 0);
    CHECK(levers.ceasefire_until(jam) == -1);
}

TEST_CASE("a US strike makes Iran arm its proxies more, for a while", "[policy][whatif][strike]") {
    model::Levers levers = fire(test::policy_event("strike", "strike", Date{2007, 6, 1},
                                                   {{"retaliation", 1.5}, {"duration_weeks", 10.0}}),
                                100);
    const std::size_t iran = sponsor_index("iran");
    CHECK(levers.supply_factor(iran, faction_index("jam"), 1) == Approx(2.5));
    CHECK(levers.supply_factor(iran, faction_index("special_groups"), 2) == Approx(2.5));
    CHECK(levers.supply_factor(iran, faction_index("jam"), 0) == 1);  // money unchanged
    CHECK(levers.supply_factor(iran, faction_index("aqi"), 1) == 1);
    levers.expire(110);
    CHECK(levers.supply_factor(iran, faction_index("jam"), 1) == 1);
}
