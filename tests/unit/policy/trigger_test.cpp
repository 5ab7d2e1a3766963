// Conditional policies: the condition language (policy/trigger.hpp), its errors, the windows it
// sums over, and conditional events firing in a run exactly when their condition first holds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../support/iraq_world.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/policy/trigger.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using namespace iraqsim;
using policy::Comparison;
using policy::Metric;
using policy::parse_trigger;
using policy::TriggerNames;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {

TriggerNames names() {
    TriggerNames n;
    for (const auto& p : iraq().provinces) n.provinces.push_back(p.id);
    for (const auto& f : iraq().factions) n.factions.push_back(f.id);
    for (const auto& s : iraq().sponsors) n.sponsors.push_back(s.id);
    n.events = {"surge_2007", "sadr_ceasefire_2007"};
    return n;
}

std::string error_of(const std::string& text) { return parse_trigger(text, names()).error; }

}  // namespace

TEST_CASE("conditions parse into clauses: metric, arguments, window, comparison, with and binding tighter than or",
          "[policy][trigger]") {
    const auto parsed = parse_trigger(
        "fighters_lost(jam, baghdad, basra) over 8 weeks > 1500 and dependence(special_groups, iran) >= 0.4 "
        "or weeks_since(surge_2007) > 20",
        names());
    REQUIRE(parsed.trigger);
    const auto& t = *parsed.trigger;
    REQUIRE(t.any_of.size() == 2);
    REQUIRE(t.any_of[0].size() == 2);
    REQUIRE(t.any_of[1].size() == 1);
    const policy::Clause& lost = t.any_of[0][0];
    CHECK(lost.metric == Metric::fighters_lost);
    CHECK(lost.faction == faction_index("jam"));
    CHECK(lost.provinces == std::vector<std::size_t>{province_index("baghdad"), province_index("basra")});
    CHECK(lost.window_weeks == 8);
    CHECK(lost.comparison == Comparison::above);
    CHECK(lost.threshold == 1500);
    CHECK(t.any_of[0][1].metric == Metric::dependence);
    CHECK(t.any_of[0][1].sponsor == iraq().find_sponsor("iran")->index());
    CHECK(t.any_of[0][1].comparison == Comparison::at_least);
    CHECK(t.any_of[1][0].metric == Metric::weeks_since);
    CHECK(t.any_of[1][0].event == 0);
    CHECK(parse_trigger("us_troops() < 1e5", names()).trigger->any_of[0][0].threshold == 1e5);
}

TEST_CASE("bad conditions are rejected with the offending word and a suggestion", "[policy][trigger]") {
    CHECK_THAT(error_of("fighter_lost(jam) > 5"), Catch::Contains("unknown metric 'fighter_lost'") &&
                                                      Catch::Contains("did you mean 'fighters_lost'"));
    CHECK_THAT(error_of("fighters(jmm) > 5"), Catch::Contains("unknown faction 'jmm'") && Catch::Contains("'jam'"));
    CHECK_THAT(error_of("civilian_deaths(bagdad) > 5"), Catch::Contains("unknown province 'bagdad'"));
    CHECK_THAT(error_of("weeks_since(surge) > 5"), Catch::Contains("unknown event 'surge'"));
    CHECK_THAT(error_of("support(jam) over 4 weeks > 0.2"), Catch::Contains("is a level, not a count"));
    CHECK_THAT(error_of("fighters(jam)"), Catch::Contains("expected a comparison"));
    CHECK_THAT(error_of("fighters(jam) > many"), Catch::Contains("expected a number"));
    CHECK_THAT(error_of("fighters(jam) > 5 but attacks() > 3"), Catch::Contains("expected 'and', 'or'"));
    CHECK_THAT(error_of("dependence(jam) > 0.5"), Catch::Contains("dependence takes (faction, sponsor)"));
    CHECK_THAT(error_of("battle_deaths(jam, jam) > 5"), Catch::Contains("two different factions"));
    CHECK_THAT(error_of("attacks() over 0 weeks > 5"), Catch::Contains("whole number of weeks"));
    CHECK_THAT(error_of("attacks() over 2 days > 5"), Catch::Contains("expected 'weeks'"));
    CHECK_THAT(error_of("attacks() = 5"), Catch::Contains("unexpected character '='"));
    CHECK_THAT(error_of(""), Catch::Contains("expected a metric"));
}

TEST_CASE("a window sums the last N weeks of a flow, and weeks_since is false until its event fires",
          "[policy][trigger]") {
    const auto parsed = parse_trigger("fighters_lost(jam) over 3 weeks > 100 and weeks_since(surge_2007) >= 2", names());
    REQUIRE(parsed.trigger);
    policy::TriggerWatch watch(*parsed.trigger);
    world::State state = world::make_initial_state(iraq());
    state.fighters_killed.setZero();
    state.fighters_detained.setZero();
    const auto jam = faction("jam");
    const auto baghdad = province("baghdad");
    std::vector<int> fired{-1, -1, -1};
    // Weekly losses 40, 40, 40 (120 over 3 weeks), but the surge has not fired: false.
    state.fighters_killed(baghdad, jam) = 40;
    CHECK_FALSE(watch.observe(iraq(), state, fired, 0));
    CHECK_FALSE(watch.observe(iraq(), state, fired, 1));
    CHECK_FALSE(watch.observe(iraq(), state, fired, 2));
    fired[0] = 2;
    CHECK_FALSE(watch.observe(iraq(), state, fired, 3));  // one week since: not yet 2
    CHECK(watch.observe(iraq(), state, fired, 4));         // 2 weeks since, 120 lost over 3 weeks
    // Losses stop: the window drains week by week.
    state.fighters_killed(baghdad, jam) = 0;
    state.fighters_detained(baghdad, jam) = 25;  // detentions count as lost too
    CHECK(watch.observe(iraq(), state, fired, 5));         // 40 + 40 + 25
    CHECK_FALSE(watch.observe(iraq(), state, fired, 6));   // 40 + 25 + 25
}

TEST_CASE("support and control conditions are population-weighted shares over the named provinces",
          "[policy][trigger]") {
    world::State state = world::make_initial_state(iraq());
    const auto national = parse_trigger("support(isci) > 0", names()).trigger->any_of[0][0];
    const auto basra = parse_trigger("support(isci, basra) > 0", names()).trigger->any_of[0][0];
    const double share_national = policy::metric_value(national, iraq(), state, {}, 0);
    const double share_basra = policy::metric_value(basra, iraq(), state, {}, 0);
    const Eigen::ArrayXXd support = world::support_by_province(iraq(), state);
    CHECK(share_basra == Approx(support(province("basra"), faction("isci"))));
    CHECK(share_national > 0);
    CHECK(share_national < 1);
}

TEST_CASE("conditional events fire in a run the first week their condition holds, once, within their watch",
          "[policy][trigger][engine]") {
    scenario::Scenario s = scenario::default_scenario();
    s.start = core::Date{2006, 1, 5};
    s.end = core::Date{2006, 12, 28};
    // Killing in Baghdad passes 1 civilian a week at once; an impossible threshold never holds;
    // a chained event fires 3 weeks after the first; one watched only from June waits for it.
    auto conditional = [](std::string id, std::string when, std::optional<core::Date> date = std::nullopt) {
        scenario::Event e;
        e.id = std::move(id);
        e.policy = "shock";
        e.when = std::move(when);
        e.date = date;
        return e;
    };
    s.events.push_back(conditional("early", "civilian_deaths(baghdad) > 1"));
    s.events.push_back(conditional("never", "civilian_deaths() > 1e9"));
    s.events.push_back(conditional("chained", "weeks_since(early) >= 3"));
    s.events.push_back(conditional("from_june", "civilian_deaths(baghdad) > 1", core::Date{2006, 6, 1}));
    const auto model = engine::compile_model(s, iraq());
    output::RecordSpec spec;
    spec.every_weeks = 52;
    engine::EnsembleSettings settings;
    settings.replicates = 1;
    settings.threads = 1;
    const auto result = engine::run_ensemble(model, spec, settings);
    const auto& log = result.replicates.at(0).policy_log;
    auto week_of = [&](const std::string& id) {
        int found = -1, count = 0;
        for (const auto& firing : log)
            if (firing.id == id) found = firing.week, ++count;
        CHECK(count <= 1);  // a conditional event fires once
        return found;
    };
    const int early = week_of("early");
    // Week 1 is the first with killing; a condition reads last week's state, so it fires in week 2.
    CHECK(early == 2);
    CHECK(week_of("never") == -1);
    CHECK(week_of("chained") == early + 3);
    CHECK(week_of("from_june") == 21);  // 2006-06-01 is 21 weeks after 2006-01-05
}
