// Sponsors: backing follows budgets and ties to the factions that exist; dependence is the share
// of a faction's resources from each sponsor.
#include <catch2/catch.hpp>

#include "iraqsim/model/sponsors.hpp"
#include "iraqsim/scenario/loader.hpp"

namespace {

struct Setup {
    iraqsim::scenario::Scenario scenario;
    iraqsim::world::State state;
    explicit Setup(const std::vector<std::string>& sets = {})
        : scenario(iraqsim::scenario::load_scenario(std::nullopt, sets)),
          state(iraqsim::world::make_initial_state(scenario.world)) {
        iraqsim::model::update_sponsors(scenario.world, state, state, iraqsim::model::Levers(scenario.world.faction_count()));
    }
    Eigen::Index faction(const char* id) const { return static_cast<Eigen::Index>(scenario.world.find_faction(id)->index()); }
    Eigen::Index sponsor(const char* id) const { return static_cast<Eigen::Index>(scenario.world.find_sponsor(id)->index()); }
    double dependence(const char* s, const char* f) const { return state.dependence(sponsor(s), faction(f)); }
    double backing(const char* s, const char* f, Eigen::Index channel) const {
        const auto F = static_cast<Eigen::Index>(scenario.world.faction_count());
        return state.backing(sponsor(s) * F + faction(f), channel);
    }
};

}  // namespace

TEST_CASE("dependence is a share, and shares over sponsors leave room for own revenue", "[model][sponsors]") {
    const Setup s;
    CHECK((s.state.dependence >= 0).all());
    CHECK((s.state.dependence.colwise().sum() < 1).all());  // every faction has some revenue of its own
    // The article's first paradox: Iran's closest ally is ISCI, more dependent on it than the Sadrists.
    CHECK(s.dependence("iran", "isci") > s.dependence("iran", "jam"));
    CHECK(s.dependence("iran", "isci") > 0.5);
    CHECK(s.dependence("us", "government") > 0.3);
}

TEST_CASE("money earmarked for factions history has not produced yet is not spent", "[model][sponsors]") {
    const Setup s;
    for (Eigen::Index k = 0; k < s.state.backing.cols(); ++k) {
        CHECK(s.backing("us", "awakening", k) == 0);
        CHECK(s.backing("iran", "special_groups", k) == 0);
    }
    CHECK(s.backing("iran", "isci", 0) == Approx(0.2 * 1.5e6));  // tie x budget
}

TEST_CASE("a sponsor with no budget makes no one dependent on it", "[model][sponsors]") {
    const Setup s({"sponsor.iran.budget_usd_per_week=0"});
    CHECK(s.dependence("iran", "isci") == 0);
    CHECK(s.backing("iran", "isci", 3) > 0);  // political cover is not money: it remains
    const Setup richer({"sponsor.iran.budget_usd_per_week=3e6"});
    const Setup base;
    CHECK(richer.dependence("iran", "isci") > base.dependence("iran", "isci"));
    const Setup self_funded({"faction.isci.home_revenue_usd_per_week=1e9"});
    CHECK(self_funded.dependence("iran", "isci") < 0.01);
}

TEST_CASE("a supply cut scales the sponsor's backing on its channels, and dependence falls with it", "[model][sponsors][supply]") {
    Setup cut;
    iraqsim::model::Levers levers(cut.scenario.world.faction_count());
    iraqsim::model::SupplyChange c;
    c.sponsor = static_cast<std::size_t>(cut.sponsor("iran"));
    c.factions.assign(cut.scenario.world.faction_count(), false);
    c.factions[static_cast<std::size_t>(cut.faction("isci"))] = true;
    c.channels = {true, true, false, false};  // money and arms
    c.factor = 0.25;
    c.until_week = 10;
    levers.supply_changes.push_back(c);
    const iraqsim::world::State before = cut.state;
    iraqsim::model::update_sponsors(cut.scenario.world, before, cut.state, levers);
    const Setup base;
    CHECK(cut.backing("iran", "isci", 0) == Approx(0.25 * base.backing("iran", "isci", 0)));
    CHECK(cut.backing("iran", "isci", 1) == Approx(0.25 * base.backing("iran", "isci", 1)));
    CHECK(cut.backing("iran", "isci", 2) == Approx(base.backing("iran", "isci", 2)));
    CHECK(cut.backing("iran", "jam", 0) == Approx(base.backing("iran", "jam", 0)));
    CHECK(cut.dependence("iran", "isci") < base.dependence("iran", "isci"));
}
