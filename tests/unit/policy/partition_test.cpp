// partition: soft partition into the regions of each province's largest community. Who leaves and
// what is conserved; the nationalist backlash and its turn against the backers; and in paired
// replicates the unmixing and the focus it brings.
#include <catch2/catch.hpp>

#include "../support/policy_run.hpp"
#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/model/nationalism.hpp"
#include "iraqsim/model/partition.hpp"
#include "iraqsim/policy/actions.hpp"
#include "iraqsim/world/state.hpp"

using namespace iraqsim;
using core::Date;
using scenario::Value;

namespace {

using test::community;
using test::iraq;
using test::province;
using test::sponsor;

model::Levers partitioned(std::vector<std::pair<std::string, Value>> fields, int weeks_in = 1000) {
    const auto e = test::policy_event("three_regions", "partition", Date{2007, 10, 1}, std::move(fields));
    model::Levers levers(iraq().faction_count());
    const world::State s = world::make_initial_state(iraq());
    policy::compile_action(e, iraq())(levers, s, 0);
    levers.advance(iraq(), s, engine::StepContext(1, 0, weeks_in, Date{2007, 10, 1}));
    return levers;
}

}  // namespace

TEST_CASE("under partition the communities outside their own region leave and the returns into it stop, and no one is lost",
          "[policy][partition]") {
    const model::Levers levers = partitioned({{"relocation_per_week", 0.01}});
    REQUIRE(levers.partitions.front().progress == 1);
    const auto baghdad = province("baghdad"), anbar = province("anbar"), erbil = province("erbil");
    const auto shia = community("shia_arab"), sunni = community("sunni_arab"), kurd = community("kurd"), other = community("other");
    // Regions follow each province's largest community.
    CHECK(levers.partitions.front().region[static_cast<std::size_t>(baghdad)] == shia);
    CHECK(levers.partitions.front().region[static_cast<std::size_t>(anbar)] == sunni);
    CHECK(levers.partitions.front().region[static_cast<std::size_t>(erbil)] == kurd);
    CHECK_FALSE(levers.partitions.front().has_region[static_cast<std::size_t>(other)]);

    world::State next = world::make_initial_state(iraq());
    const world::State before = next;
    model::PopulationFlows flows{Eigen::ArrayXXd::Zero(next.residents.rows(), next.residents.cols()),
                                 Eigen::ArrayXXd::Constant(next.residents.rows(), next.residents.cols(), 10.0)};
    model::relocate_for_partition(next, flows, levers);
    // Sunni Arabs in Shia Baghdad: 1% leave, and this week's 10 returners stay displaced.
    CHECK(next.residents(baghdad, sunni) == Approx(0.99 * (before.residents(baghdad, sunni) - 10)));
    CHECK(flows.returned(baghdad, sunni) == 0);
    CHECK(flows.newly_displaced(baghdad, sunni) == Approx(0.01 * (before.residents(baghdad, sunni) - 10)));
    // The majority stays, and so do the communities with no region of their own.
    CHECK(next.residents(baghdad, shia) == before.residents(baghdad, shia));
    CHECK(flows.returned(baghdad, shia) == 10);
    CHECK(next.residents(baghdad, other) == before.residents(baghdad, other));
    CHECK(next.residents(anbar, shia) < before.residents(anbar, shia));
    CHECK(world::people_accounted(next) == Approx(world::people_accounted(before)).epsilon(1e-12));
}

TEST_CASE("partition raises Arab nationalism and turns its focus on the backers", "[policy][partition]") {
    const model::NationalismParams params;
    // US troops everywhere: every sponsor's focus share is strictly between 0 and 1 to start with.
    world::State prev = world::make_initial_state(iraq());
    prev.us_troops.setConstant(10000);
    world::State calm = prev, angry = prev;
    model::update_nationalism(iraq(), prev, calm, params);
    const model::Levers levers = partitioned({{"backlash", 0.1}, {"salience", 2.0}});
    model::update_nationalism(iraq(), prev, angry, params, &levers);
    const auto baghdad = province("baghdad"), P = static_cast<Eigen::Index>(iraq().province_count());
    const auto shia = community("shia_arab"), kurd = community("kurd");
    CHECK(angry.nationalism(baghdad, shia) == Approx(calm.nationalism(baghdad, shia) + 0.1));
    CHECK(angry.nationalism(baghdad, kurd) == calm.nationalism(baghdad, kurd));  // the Kurds wanted a region
    CHECK(angry.nationalism_focus(shia * P + baghdad, sponsor("us")) > calm.nationalism_focus(shia * P + baghdad, sponsor("us")));
    CHECK(angry.nationalism_focus(shia * P + baghdad, sponsor("iran")) < calm.nationalism_focus(shia * P + baghdad, sponsor("iran")));
    // Backed by Iran instead, the focus turns on Iran.
    const model::Levers iranian = partitioned({{"backers", std::vector<std::string>{"iran"}}, {"salience", 2.0}});
    world::State turned = prev;
    model::update_nationalism(iraq(), prev, turned, params, &iranian);
    CHECK(turned.nationalism_focus(shia * P + baghdad, sponsor("iran")) > calm.nationalism_focus(shia * P + baghdad, sponsor("iran")));
    // Half-way up the ramp, half the rise.
    const model::Levers ramping = partitioned({{"backlash", 0.1}, {"ramp_weeks", 10.0}}, 4);
    world::State half = prev;
    model::update_nationalism(iraq(), prev, half, params, &ramping);
    CHECK(half.nationalism(baghdad, shia) == Approx(calm.nationalism(baghdad, shia) + 0.05));
}

TEST_CASE("partition unmixes Baghdad, displaces more and turns nationalism on the US, in every paired replicate",
          "[policy][partition][engine]") {
    const std::vector<std::string> vars{"exposure", "displaced", "nationalism_focus"};
    const Date start{2007, 6, 7}, end{2008, 12, 25};
    const auto base = test::run_policy(start, end, {}, vars);
    const auto split = test::run_policy(
        start, end, {test::policy_event("three_regions", "partition", Date{2007, 10, 4}, {{"relocation_per_week", 0.005}})}, vars);
    const std::size_t C = iraq().community_count(), S = iraq().sponsor_count();
    const auto baghdad = static_cast<std::size_t>(province("baghdad"));
    const auto sunni = static_cast<std::size_t>(community("sunni_arab")), shia = static_cast<std::size_t>(community("shia_arab"));
    const auto us = static_cast<std::size_t>(sponsor("us"));
    const std::size_t last = 80;
    auto exposure = [&](const test::PolicyRun& r) {
        return test::sum_per_replicate(r, 0, last, last + 1, [&](std::size_t i) { return i == (baghdad * C + sunni) * C + shia; });
    };
    auto displaced = [&](const test::PolicyRun& r) { return test::sum_per_replicate(r, 1, last, last + 1, [](std::size_t) { return true; }); };
    auto focus_us = [&](const test::PolicyRun& r) {
        return test::sum_per_replicate(r, 2, last, last + 1, [&](std::size_t i) { return i % S == us && (i / S) % C == shia; });
    };
    const auto e0 = exposure(base), e1 = exposure(split), d0 = displaced(base), d1 = displaced(split), f0 = focus_us(base),
               f1 = focus_us(split);
    for (std::size_t r = 0; r < e0.size(); ++r) {
        INFO("replicate " << r << ": exposure " << e0[r] << " -> " << e1[r] << ", displaced " << d0[r] << " -> " << d1[r]
                          << ", Shia focus on the US " << f0[r] << " -> " << f1[r]);
        CHECK(e1[r] < e0[r]);
        CHECK(d1[r] > d0[r]);
        CHECK(f1[r] > f0[r]);
    }
}
