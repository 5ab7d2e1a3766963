// accord: a peace deal between factions brokered by a sponsor. What each party honours, what the
// truce restrains, the keyed weekly collapse, and in paired replicates the parties' losses.
#include <catch2/catch.hpp>

#include <cmath>

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

scenario::Event pact(std::string id, std::vector<std::pair<std::string, Value>> extra = {}, Date date = Date{2007, 10, 6}) {
    std::vector<std::pair<std::string, Value>> fields{{"parties", std::vector<std::string>{"jam", "isci"}}, {"sponsor", std::string("iran")}};
    for (auto& f : extra) fields.push_back(std::move(f));
    return test::policy_event(std::move(id), "accord", date, std::move(fields));
}

model::Levers fire(const scenario::Event& e, const world::State& state, int week) {
    const policy::Action action = policy::compile_action(e, iraq());
    REQUIRE(action);
    model::Levers levers(iraq().faction_count());
    action(levers, state, week);
    return levers;
}

// Weeks until the accord collapses (limit: it held throughout), with the draws of seed and replicate.
int lifetime(const scenario::Event& e, std::uint64_t seed, std::uint64_t replicate, int limit = 400) {
    const world::State state = world::make_initial_state(iraq());
    model::Levers levers = fire(e, state, 0);
    for (int week = 1; week <= limit; ++week) {
        levers.expire(week);
        const auto events = levers.advance(iraq(), state, engine::StepContext(seed, replicate, week, Date{2007, 10, 6}));
        if (!events.empty()) {
            CHECK(events.front().id == e.id);
            CHECK(events.front().policy == "accord_collapse");
            CHECK(levers.accords.empty());
            return week;
        }
    }
    return limit;
}

}  // namespace

TEST_CASE("an accord restrains each party against the others as far as it honours the deal", "[policy][accord]") {
    world::State state = world::make_initial_state(iraq());
    const std::size_t jam = faction_index("jam"), isci = faction_index("isci"), iran = sponsor_index("iran");
    state.dependence(static_cast<Eigen::Index>(iran), static_cast<Eigen::Index>(jam)) = 0.4;
    state.dependence(static_cast<Eigen::Index>(iran), static_cast<Eigen::Index>(isci)) = 0.2;
    const model::Levers levers = fire(pact("pact", {{"restraint", 0.8}, {"guarantee", 0.5}}), state, 30);
    const double honour_jam = 1 - (1 - iraq().factions[jam].cohesion) * (1 - 0.5 * 0.4);
    const double honour_isci = 1 - (1 - iraq().factions[isci].cohesion) * (1 - 0.5 * 0.2);
    CHECK(levers.truce(jam, isci) == Approx(1 - 0.8 * honour_jam));
    CHECK(levers.truce(isci, jam) == Approx(1 - 0.8 * honour_isci));
    // A less cohesive party honours less: JAM keeps more of its violence than disciplined Badr.
    CHECK(levers.truce(jam, isci) > levers.truce(isci, jam));
    // Only between the parties.
    CHECK(levers.truce(jam, faction_index("sunni_insurgents")) == 1);
    CHECK(levers.truce(isci, faction_index("aqi")) == 1);
    CHECK(levers.truce(jam, jam) == 1);
    // The broker's leverage matters: with no dependence on Iran, JAM honours only as its cohesion.
    state.dependence.setZero();
    const model::Levers weak = fire(pact("pact", {{"restraint", 0.8}, {"guarantee", 0.5}}), state, 30);
    CHECK(weak.truce(jam, isci) == Approx(1 - 0.8 * iraq().factions[jam].cohesion));
}

TEST_CASE("an accord holds its first week, then collapses with its weekly chance, from a keyed draw", "[policy][accord]") {
    CHECK(lifetime(pact("sure", {{"collapse_per_week", 1.0}}), 1, 0) == 1);
    CHECK(lifetime(pact("never", {{"collapse_per_week", 0.0}}), 1, 0) == 400);
    // Same seed, replicate and id: the same collapse week; the draws are the accord's own.
    const auto e = pact("sadr_hakim", {{"collapse_per_week", 0.05}});
    CHECK(lifetime(e, 7, 3) == lifetime(e, 7, 3));
    // Over many replicates the lifetime is geometric with the weekly chance: mean 1 / 0.05 = 20 weeks.
    double total = 0;
    const int n = 2000;
    for (int r = 0; r < n; ++r) total += lifetime(e, 1, static_cast<std::uint64_t>(r), 100000);
    CHECK(total / n == Approx(20.0).epsilon(0.08));
}

TEST_CASE("an accord between JAM and ISCI that holds lowers their losses, in every paired replicate", "[policy][accord][engine]") {
    const std::vector<std::string> vars{"fighters_killed"};
    const Date start{2006, 6, 1}, end{2007, 6, 28};
    const auto base = test::run_policy(start, end, {}, vars);
    const auto holds = test::run_policy(
        start, end, {pact("pact", {{"restraint", 1.0}, {"guarantee", 1.0}, {"collapse_per_week", 0.0}}, Date{2006, 7, 6})}, vars);
    const std::size_t F = iraq().faction_count(), jam = faction_index("jam"), isci = faction_index("isci");
    auto lost = [&](const test::PolicyRun& r) {
        return test::sum_per_replicate(r, 0, 0, 60, [&](std::size_t i) { return i % F == jam || i % F == isci; });
    };
    const auto b = lost(base), h = lost(holds);
    for (std::size_t r = 0; r < b.size(); ++r) {
        INFO("replicate " << r << ": baseline " << b[r] << ", accord " << h[r]);
        CHECK(h[r] < b[r]);
    }
}
