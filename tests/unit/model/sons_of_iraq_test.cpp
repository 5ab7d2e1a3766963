// How the Sons of Iraq and Sadr's freeze act in the historical baseline (docs/model.md, "Forces"
// and "Violence"), each against the same replicates with the mechanism turned off (common random
// numbers): the wage enrols insurgents willing to switch, the partners' tips steer targeting onto
// the insurgents, and units obeying a ceasefire stop recruiting.
#include <catch2/catch.hpp>

#include "../support/policy_run.hpp"

using namespace iraqsim;

namespace {

const core::Date start{2003, 5, 1};

// Per replicate, the sum of `variable` over the factions named, in the records [first, last)
// (all provinces); last = 0 for the final record only.
std::vector<double> faction_sum(const test::PolicyRun& run, std::size_t v, std::string_view faction, std::size_t first = 0,
                                std::size_t last = 0) {
    const std::size_t F = world::iraq_roster().faction_count(), f = test::faction_index(faction);
    const std::size_t end = run.result.time_days.size();
    if (last == 0) first = end - 1, last = end;
    return test::sum_per_replicate(run, v, first, last, [&](std::size_t i) { return i % F == f; });
}

// The record index of the first week on or after `date`.
std::size_t record_at(const test::PolicyRun& run, core::Date date) {
    const auto day = static_cast<double>(core::days_since_origin(date));
    std::size_t i = 0;
    while (i < run.result.time_days.size() && run.result.time_days[i] < day) ++i;
    return i;
}

}  // namespace

TEST_CASE("the Sons of Iraq's wage enrols insurgents willing to switch, so the insurgency shrinks and the Awakening does not double count",
          "[model][forces][realignment][engine]") {
    // January 2008, half a year into the Sons of Iraq's hiring. With the fit of the resistance term
    // shared among the resisters (seed 1, 4 replicates) the insurgents enrolling are 0.83-0.84 of
    // those apart in September 2007, 0.70-0.72 in December 2007 and 0.63-0.72 in March 2008; from
    // mid-2008 the ratio passes 1, the smaller insurgency regrowing (its standing as the resistance
    // does not shrink with it). (With the first form of the resistance term the enrolment showed
    // until July 2008, and with the fit of the tension-driven flight only from 2009.)
    const core::Date end{2008, 1, 3};
    auto run = [&](double hire_share) {
        return test::run_policy(start, end, {}, {"militia"}, 4,
                                [&](scenario::Scenario& s) { s.params.forces.realignment_hire_share = hire_share; });
    };
    const test::PolicyRun enrolling = run(1.0), apart = run(0.0);
    const auto insurgents = faction_sum(enrolling, 0, "sunni_insurgents"), insurgents_apart = faction_sum(apart, 0, "sunni_insurgents");
    const auto sons = faction_sum(enrolling, 0, "awakening"), sons_apart = faction_sum(apart, 0, "awakening");
    for (std::size_t r = 0; r < insurgents.size(); ++r) {
        INFO("replicate " << r << ": insurgents " << insurgents[r] << " (enrolling) against " << insurgents_apart[r]
                          << "; Sons of Iraq " << sons[r] << " against " << sons_apart[r]);
        CHECK(insurgents[r] < 0.85 * insurgents_apart[r]);
        // The wage hires as many either way: who they are changes, not how many.
        CHECK(sons[r] == Approx(sons_apart[r]).epsilon(0.1));
    }
}

TEST_CASE("the Awakening's tips steer targeting onto the insurgents it fights where the US backs it", "[model][violence][targeting][engine]") {
    const core::Date end{2008, 1, 3};
    auto run = [&](double intelligence) {
        return test::run_policy(start, end, {}, {"fighters_killed", "fighters_detained"}, 4,
                                [&](scenario::Scenario& s) { s.params.violence.partner_intelligence = intelligence; });
    };
    const test::PolicyRun partners = run(0.5), alone = run(0.0);
    const std::size_t from = record_at(partners, core::Date{2006, 9, 14}), to = partners.result.time_days.size();
    // Al-Qaeda, a few hundred men in each province, draws a small share of the effort: the
    // insurgents, thousands, show the tips.
    const auto with = faction_sum(partners, 1, "sunni_insurgents", from, to), without = faction_sum(alone, 1, "sunni_insurgents", from, to);
    for (std::size_t r = 0; r < with.size(); ++r) {
        INFO("insurgents detained from 2006-09-14, replicate " << r << ": " << with[r] << " with partner tips, " << without[r] << " without");
        CHECK(with[r] > 1.5 * without[r]);
    }
    // Before any faction is openly backed, the partners give nothing.
    const std::size_t before = record_at(partners, core::Date{2006, 9, 1});
    CHECK(faction_sum(partners, 1, "sunni_insurgents", 0, before) == faction_sum(alone, 1, "sunni_insurgents", 0, before));
}

TEST_CASE("units obeying Sadr's freeze do not recruit, so JAM ends the freeze smaller than without it",
          "[model][forces][ceasefire][engine]") {
    const core::Date end{2008, 2, 21};
    auto run = [&](bool freeze) {
        return test::run_policy(start, end, {}, {"militia"}, 4, [&](scenario::Scenario& s) {
            for (scenario::Event& e : s.events)
                if (e.id == "sadr_ceasefire_2007") e.enabled = freeze;
        });
    };
    const test::PolicyRun frozen = run(true), free = run(false);
    const auto jam = faction_sum(frozen, 0, "jam"), jam_free = faction_sum(free, 0, "jam");
    const std::size_t at = record_at(frozen, core::Date{2007, 8, 29});
    const auto jam_before = faction_sum(frozen, 0, "jam", at, at + 1);
    for (std::size_t r = 0; r < jam.size(); ++r) {
        INFO("replicate " << r << ": JAM " << jam_before[r] << " when the freeze began, " << jam[r] << " at its end, "
                          << jam_free[r] << " at the same date without it");
        CHECK(jam[r] < jam_free[r]);
        CHECK(jam[r] <= 1.02 * jam_before[r]);  // losses and splits only: no growth while frozen
    }
}
