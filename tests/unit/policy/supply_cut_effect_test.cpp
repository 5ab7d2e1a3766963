// Supply cuts act through mechanisms, not flags: Iran cutting its money and arms to the Special
// Groups shrinks their purse and arms, so they keep fewer fighters than in the same replicates
// without the cut (common random numbers).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"

using namespace iraqsim;

namespace {

// Special Groups fighters at the end of each replicate, 2006-2009.
std::vector<double> special_groups_at_end(bool cut) {
    scenario::Scenario s = scenario::default_scenario();
    s.start = core::Date{2006, 1, 5};
    s.end = core::Date{2009, 1, 1};
    if (cut) {
        for (const char* policy : {"arms_restriction", "funding_cut"}) {
            scenario::Event e;
            e.id = std::string("iran_") + policy;
            e.policy = policy;
            e.date = core::Date{2006, 6, 1};
            e.fields["sponsor"] = std::string("iran");
            e.fields["to"] = std::vector<std::string>{"special_groups"};
            e.fields["factor"] = 0.0;
            s.events.push_back(e);
        }
    }
    const auto model = engine::compile_model(s, world::iraq_roster());
    output::RecordSpec spec;
    const auto& catalogue = output::variable_catalogue();
    spec.variables.push_back(&*std::find_if(catalogue.begin(), catalogue.end(), [](const auto& v) { return v.name == "militia"; }));
    spec.every_weeks = 1;
    engine::EnsembleSettings settings;
    settings.replicates = 4;
    settings.threads = 1;
    const auto result = engine::run_ensemble(model, spec, settings);
    const auto& roster = world::iraq_roster();
    const std::size_t P = roster.province_count(), F = roster.faction_count();
    const std::size_t sg = roster.find_faction("special_groups")->index();
    std::vector<double> ends;
    for (const auto& r : result.replicates) {
        const std::vector<float>& m = r.values.at(0);
        const std::size_t last = m.size() / (P * F) - 1;
        double total = 0;
        for (std::size_t p = 0; p < P; ++p) total += m[(last * P + p) * F + sg];
        ends.push_back(total);
    }
    return ends;
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
