// Nationalism's focus follows the foreign presence people see: the US through its troops, other
// powers through the backing their clients carry.
#include <catch2/catch.hpp>

#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/simulation.hpp"
#include "iraqsim/scenario/loader.hpp"

namespace {

struct Run {
    iraqsim::scenario::Scenario scenario;
    iraqsim::engine::CompiledModel model;
    iraqsim::world::State end;

    explicit Run(const std::vector<std::string>& sets)
        : scenario(iraqsim::scenario::load_scenario(std::nullopt, sets)),
          model(iraqsim::engine::compile_model(scenario, scenario.world)) {
        iraqsim::engine::Simulation sim(model, scenario.seed, 0);
        iraqsim::output::RecordSpec none;
        iraqsim::output::Recorder recorder(none, scenario.world, model.week_count);
        sim.run(recorder, true);  // checks the focus rows sum to 1 every week
        end = sim.state();
    }
    double focus(const char* province, const char* community, const char* sponsor) const {
        const auto& w = scenario.world;
        const auto P = static_cast<Eigen::Index>(w.province_count());
        const auto row = static_cast<Eigen::Index>(w.find_community(community)->index()) * P +
                         static_cast<Eigen::Index>(w.find_province(province)->index());
        return end.nationalism_focus(row, static_cast<Eigen::Index>(w.find_sponsor(sponsor)->index()));
    }
};

}  // namespace

TEST_CASE("a US withdrawal turns nationalism's focus from the US to Iran", "[model][nationalism]") {
    const std::vector<std::string> to_2008 = {"scenario.end=2008-06-30"};
    const Run stays(to_2008);
    auto leave = to_2008;
    leave.push_back("event.drawdown_2008.target=0");
    leave.push_back("event.drawdown_2008.by=2008-03-01");
    const Run leaves(leave);
    CHECK(leaves.focus("baghdad", "shia_arab", "iran") > stays.focus("baghdad", "shia_arab", "iran") + 0.1);
    CHECK(leaves.focus("baghdad", "shia_arab", "us") < stays.focus("baghdad", "shia_arab", "us") - 0.1);
    CHECK(stays.focus("anbar", "sunni_arab", "us") > stays.focus("anbar", "sunni_arab", "iran"));
}

TEST_CASE("no presence and no standing hostility: no focus on Iran", "[model][nationalism]") {
    const Run r({"scenario.end=2004-01-01", "sponsor.iran.budget_usd_per_week=0", "model.nationalism.iran_prior=0"});
    CHECK(r.focus("basra", "shia_arab", "iran") == Approx(0).margin(1e-12));
    CHECK(r.end.nationalism(0, 1) == Approx(0.88));  // the Sunni level of the PIPA poll
    const Run prior({"scenario.end=2004-01-01", "sponsor.iran.budget_usd_per_week=0", "model.nationalism.iran_prior=1"});
    CHECK(prior.focus("basra", "shia_arab", "iran") > 0.5);  // Basra has few US troops
}
