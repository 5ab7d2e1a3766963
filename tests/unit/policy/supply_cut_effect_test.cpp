// Supply cuts act through mechanisms, not flags: Iran cutting its money and arms to the Special
// Groups shrinks their purse and arms, so they keep fewer fighters than in the same replicates
// without the cut (common random numbers).
#include <catch2/catch.hpp>

#include "../support/policy_run.hpp"

using namespace iraqsim;

namespace {

// Special Groups fighters at the end of each replicate, 2006-2009.
std::vector<double> special_groups_at_end(bool cut) {
    std::vector<scenario::Event> events;
    if (cut) {
        for (const char* policy : {"arms_restriction", "funding_cut"}) {
            events.push_back(test::policy_event(std::string("iran_") + policy, policy, core::Date{2006, 6, 1},
                                                {{"sponsor", std::string("iran")},
                                                 {"to", std::vector<std::string>{"special_groups"}},
                                                 {"factor", 0.0}}));
        }
    }
    const test::PolicyRun run = test::run_policy(core::Date{2006, 1, 5}, core::Date{2009, 1, 1}, events, {"militia"});
    const auto& roster = world::iraq_roster();
    const std::size_t F = roster.faction_count(), sg = roster.find_faction("special_groups")->index();
    const std::size_t last = run.result.time_days.size() - 1;
    return test::sum_per_replicate(run, 0, last, last + 1, [&](std::size_t i) { return i % F == sg; });
}

}  // namespace

TEST_CASE("Iran cutting off the Special Groups leaves them fewer fighters in every replicate", "[policy][supply][engine]") {
    const std::vector<double> base = special_groups_at_end(false), cut = special_groups_at_end(true);
    REQUIRE(base.size() == cut.size());
    for (std::size_t r = 0; r < base.size(); ++r) {
        INFO("replicate " << r << ": " << base[r] << " fighters without the cut, " << cut[r] << " with it");
        CHECK(base[r] > 0);
        CHECK(cut[r] < 0.8 * base[r]);
    }
}
