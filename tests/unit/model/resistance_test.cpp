// The resistance term of loyalty in the historical baseline (docs/model.md, "Loyalty forces"):
// with it, the insurgency the model grows where the US is densest per head, Anbar above all, holds
// more of the attacks, and more of them against Baghdad's, against the same replicates with the
// term off (common random numbers).
#include <catch2/catch.hpp>

#include "../support/iraq_world.hpp"
#include "../support/policy_run.hpp"

using namespace iraqsim;

TEST_CASE("nationalism aimed at the US grows Anbar's insurgency and its share of the attacks", "[model][loyalty_forces][engine]") {
    const core::Date start{2003, 5, 1}, end{2006, 1, 5};
    auto run = [&](double resistance) {
        return test::run_policy(start, end, {}, {"attacks", "militia"}, 4,
                                [&](scenario::Scenario& s) { s.params.loyalty_forces.resistance = resistance; });
    };
    const double calibrated = scenario::default_scenario().params.loyalty_forces.resistance;
    REQUIRE(calibrated > 0);
    const test::PolicyRun on = run(calibrated), off = run(0.0);
    const std::size_t F = world::iraq_roster().faction_count();
    const std::size_t anbar = test::province_index("anbar"), baghdad = test::province_index("baghdad");
    const std::size_t insurgents = test::faction_index("sunni_insurgents");
    const std::size_t records = on.result.time_days.size();
    // 2004-2005: the records from week 35 (January 2004) on.
    auto share = [&](const test::PolicyRun& r, std::size_t province) {
        const auto here = test::sum_per_replicate(r, 0, 35, records, [&](std::size_t i) { return i == province; });
        const auto all = test::sum_per_replicate(r, 0, 35, records, [](std::size_t) { return true; });
        std::vector<double> s(here.size());
        for (std::size_t k = 0; k < s.size(); ++k) s[k] = here[k] / all[k];
        return s;
    };
    const auto anbar_on = share(on, anbar), anbar_off = share(off, anbar);
    const auto baghdad_on = share(on, baghdad), baghdad_off = share(off, baghdad);
    const auto fighters_on = test::sum_per_replicate(on, 1, records - 1, records, [&](std::size_t i) { return i == anbar * F + insurgents; });
    const auto fighters_off = test::sum_per_replicate(off, 1, records - 1, records, [&](std::size_t i) { return i == anbar * F + insurgents; });
    for (std::size_t r = 0; r < anbar_on.size(); ++r) {
        INFO("replicate " << r << ": Anbar's share of 2004-2005 attacks " << anbar_on[r] << " with resistance, " << anbar_off[r]
                          << " without; Baghdad's " << baghdad_on[r] << " and " << baghdad_off[r] << "; Anbar's insurgents in January 2006 "
                          << fighters_on[r] << " and " << fighters_off[r]);
        CHECK(anbar_on[r] > 1.3 * anbar_off[r]);
        // Anbar gains on Baghdad: the term favours the insurgency where the US is densest per head.
        // (Baghdad's own share may rise too, at the expense of the provinces with few troops.)
        CHECK(anbar_on[r] / baghdad_on[r] > anbar_off[r] / baghdad_off[r]);
        CHECK(fighters_on[r] > 1.5 * fighters_off[r]);
    }
}
