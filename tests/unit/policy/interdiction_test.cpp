// arms_interdiction: the US cuts a sponsor's supply lines where it patrols the border. What the
// lever stops follows the border length covered and the patrol's density, and in paired replicates
// the Special Groups' arms fall with it.
#include <catch2/catch.hpp>

#include "../support/policy_run.hpp"
#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/model/levers.hpp"
#include "iraqsim/policy/actions.hpp"
#include "iraqsim/world/state.hpp"

using namespace iraqsim;
using core::Date;
using scenario::Value;
using test::faction_index;
using test::iraq;
using test::province_index;
using test::sponsor_index;

namespace {

double iran_border_km(const char* p) { return iraq().provinces[province_index(p)].border_km_with_sponsor[sponsor_index("iran")]; }

double total_iran_border_km() {
    double km = 0;
    for (const auto& p : iraq().provinces) km += p.border_km_with_sponsor[sponsor_index("iran")];
    return km;
}

// The interdiction's lever after one week on `state`.
model::Levers interdict(std::vector<std::pair<std::string, Value>> fields, const world::State& state) {
    const auto e = test::policy_event("cut", "arms_interdiction", Date{2007, 2, 1}, std::move(fields));
    const policy::Action action = policy::compile_action(e, iraq());
    REQUIRE(action);
    model::Levers levers(iraq().faction_count());
    action(levers, state, 10);
    levers.expire(10);
    levers.advance(iraq(), state, engine::StepContext(1, 0, 10, Date{2007, 2, 1}));
    return levers;
}

world::State with_troops(std::vector<std::pair<const char*, double>> troops) {
    world::State s = world::make_initial_state(iraq());
    s.us_troops.setZero();
    for (const auto& [p, n] : troops) s.us_troops(static_cast<Eigen::Index>(province_index(p))) = n;
    return s;
}

}  // namespace

TEST_CASE("an interdiction stops each patrolled stretch's share of the crossing arms and training", "[policy][interdiction]") {
    REQUIRE(iran_border_km("diyala") > 0);
    REQUIRE(iran_border_km("baghdad") == 0);
    const world::State state = with_troops({{"diyala", 8000}, {"wasit", 2000}});
    const model::Levers levers = interdict({{"provinces", std::vector<std::string>{"diyala"}}, {"troop_share", 0.5},
                                            {"max_stop", 0.8}, {"half_density_per_km", 5.0}},
                                           state);
    const double density = 0.5 * 8000 / iran_border_km("diyala");
    const double stopped = iran_border_km("diyala") / total_iran_border_km() * 0.8 * density / (density + 5.0);
    const std::size_t iran = sponsor_index("iran");
    CHECK(levers.supply_factor(iran, faction_index("special_groups"), 1) == Approx(1.0 - stopped));
    CHECK(levers.supply_factor(iran, faction_index("jam"), 2) == Approx(1.0 - stopped));
    CHECK(levers.supply_factor(iran, faction_index("jam"), 0) == 1);  // money moves through banks
    CHECK(levers.supply_factor(iran, faction_index("sunni_insurgents"), 1) == 1);  // not Iran's client
    CHECK(levers.supply_factor(sponsor_index("us"), faction_index("government"), 1) == 1);
}

TEST_CASE("covering more of the border stops more, and the same troops on a longer border stop less per km",
          "[policy][interdiction]") {
    const std::size_t iran = sponsor_index("iran"), sg = faction_index("special_groups");
    const world::State state = with_troops({{"diyala", 8000}, {"wasit", 8000}, {"sulaymaniyah", 8000}});
    auto delivered = [&](std::vector<std::string> provinces) {
        return interdict({{"provinces", std::move(provinces)}, {"troop_share", 0.5}}, state).supply_factor(iran, sg, 1);
    };
    const double wasit = delivered({"wasit"}), diyala = delivered({"diyala"}), both = delivered({"wasit", "diyala"});
    CHECK(both < wasit);
    CHECK(both < diyala);
    // Sulaymaniyah's border is the longest: its stretch carries more of the flow, but the same
    // troops are spread thinner over it, so per km of border it stops less than Wasit.
    REQUIRE(iran_border_km("sulaymaniyah") > 2 * iran_border_km("wasit"));
    const double sulaymaniyah = delivered({"sulaymaniyah"});
    CHECK((1 - sulaymaniyah) / iran_border_km("sulaymaniyah") < (1 - wasit) / iran_border_km("wasit"));
    // Default: every province on the sponsor's border; no troops, nothing stopped.
    CHECK(interdict({}, with_troops({})).supply_factor(iran, sg, 1) == 1);
    CHECK(interdict({{"troop_share", 0.5}}, state).supply_factor(iran, sg, 1) < both);
}

TEST_CASE("the interdiction follows the troops week by week and expires", "[policy][interdiction]") {
    world::State state = with_troops({{"diyala", 8000}});
    model::Levers levers = interdict({{"duration_weeks", 3.0}, {"troop_share", 0.5}}, state);
    const std::size_t iran = sponsor_index("iran"), sg = faction_index("special_groups");
    const double with_8000 = levers.supply_factor(iran, sg, 1);
    state.us_troops(static_cast<Eigen::Index>(province_index("diyala"))) = 2000;
    levers.advance(iraq(), state, engine::StepContext(1, 0, 11, Date{2007, 2, 8}));
    CHECK(levers.supply_factor(iran, sg, 1) > with_8000);
    levers.expire(13);
    CHECK(levers.supply_factor(iran, sg, 1) == 1);
}

TEST_CASE("interdicting Iran's whole border leaves the Special Groups fewer arms than Wasit alone, in every paired replicate",
          "[policy][interdiction][engine]") {
    const std::vector<std::string> vars{"arms"};
    const Date start{2006, 6, 1}, end{2007, 12, 27};
    auto run = [&](std::vector<std::string> provinces) {
        return test::run_policy(start, end,
                                {test::policy_event("cut", "arms_interdiction", Date{2006, 7, 6},
                                                    {{"provinces", std::move(provinces)}, {"troop_share", 0.5}})},
                                vars);
    };
    const auto base = test::run_policy(start, end, {}, vars);
    const auto narrow = run({"wasit"});
    const auto wide = run({"basra", "diyala", "erbil", "maysan", "sulaymaniyah", "wasit"});
    const std::size_t sg = faction_index("special_groups");
    auto arms = [&](const test::PolicyRun& r) { return test::sum_per_replicate(r, 0, 70, 82, [&](std::size_t i) { return i == sg; }); };
    const auto a0 = arms(base), a1 = arms(narrow), a2 = arms(wide);
    for (std::size_t r = 0; r < a0.size(); ++r) {
        INFO("replicate " << r << ": baseline " << a0[r] << ", Wasit " << a1[r] << ", whole border " << a2[r]);
        CHECK(a1[r] < a0[r]);
        CHECK(a2[r] < a1[r]);
        CHECK(a2[r] < 0.95 * a0[r]);  // a cut worth the name
    }
}
