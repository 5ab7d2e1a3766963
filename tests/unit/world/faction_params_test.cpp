// Faction parameters from data/derived/factions.csv: in the embedded data, the roster, the scenario
// registry and the initial state's militia.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/simulation.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/loader.hpp"
#include "iraqsim/world/embedded_data.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

#include "../support/iraq_world.hpp"

using iraqsim::test::ix;
using iraqsim::world::Faction;
using iraqsim::world::iraq_roster;
using iraqsim::world::make_initial_state;
using iraqsim::world::Roster;
using iraqsim::world::State;

namespace {

const Faction& faction(const Roster& roster, const char* id) {
    const auto f = roster.find_faction(id);
    REQUIRE(f.has_value());
    return roster.factions[f->index()];
}

std::size_t province(const Roster& roster, const char* id) {
    const auto p = roster.find_province(id);
    REQUIRE(p.has_value());
    return p->index();
}

}  // namespace

TEST_CASE("the roster's factions carry the values of factions.csv", "[world][factions]") {
    const Roster& roster = iraq_roster();
    const Faction& isci = faction(roster, "isci");
    CHECK(isci.cohesion == Approx(0.80));
    CHECK(isci.initial_fighters == Approx(10000));
    CHECK(isci.home_revenue_usd_per_week == Approx(200000));
    CHECK(isci.foreignness == Approx(0.80));
    CHECK(faction(roster, "special_groups").initial_fighters == 0);
    CHECK(faction(roster, "awakening").initial_fighters == 0);
    CHECK(faction(roster, "kurdish_parties").initial_fighters == Approx(55000));
    CHECK(faction(roster, "government").home_revenue_usd_per_week == Approx(5e7));
    CHECK(faction(roster, "jam").cohesion == Approx(0.35));
    CHECK(faction(roster, "aqi").foreignness == Approx(0.90));

    // The channels and one tie of each sponsor, in the roster's order.
    REQUIRE(roster.channels.size() == 4);
    CHECK(roster.channels[0].id == "money");
    CHECK(roster.channels[3].id == "political_cover");
    CHECK(roster.channels[3].display_name == "Political cover");
    const std::size_t us = roster.find_sponsor("us")->index(), iran = roster.find_sponsor("iran")->index();
    const std::size_t saudi = roster.find_sponsor("saudi_arabia")->index(), syria = roster.find_sponsor("syria")->index();
    CHECK(isci.sponsor_ties[iran][0] == Approx(0.20));
    CHECK(isci.sponsor_ties[us][3] == Approx(0.04));
    CHECK(faction(roster, "government").sponsor_ties[us][2] == Approx(0.20));
    CHECK(faction(roster, "sunni_insurgents").sponsor_ties[saudi][0] == Approx(0.35));
    CHECK(faction(roster, "aqi").sponsor_ties[syria][3] == Approx(0.30));
    CHECK(faction(roster, "jam").sponsor_ties[us][0] == 0);
}

TEST_CASE("the faction order and the embedded rows agree", "[world][factions]") {
    const Roster& roster = iraq_roster();
    const auto records = iraqsim::world::data::factions();
    REQUIRE(records.size() == roster.faction_count());
    std::set<std::string> ids;
    for (const auto& r : records) ids.emplace(r.id);
    for (const Faction& f : roster.factions) CHECK(ids.count(f.id) == 1);
    CHECK(roster.factions.front().id == "isci");
    CHECK(roster.factions.back().id == "secular_nationalists");
}

TEST_CASE("fighters distributions are shares over the roster's provinces", "[world][factions]") {
    const Roster& roster = iraq_roster();
    for (const Faction& f : roster.factions) {
        INFO(f.id);
        REQUIRE(f.fighters_distribution.size() == roster.province_count());
        double sum = 0;
        for (const double x : f.fighters_distribution) {
            CHECK(x >= 0);
            CHECK(x <= 1);
            sum += x;
        }
        CHECK(sum == Approx(1).margin(1e-12));
        CHECK(f.cohesion >= 0);
        CHECK(f.cohesion <= 1);
        CHECK(f.foreignness >= 0);
        CHECK(f.foreignness <= 1);
        CHECK(f.initial_fighters >= 0);
        CHECK(f.home_revenue_usd_per_week >= 0);
    }
    // The rule "residents outside the Kurdistan Region": the government has no share there.
    const Faction& government = faction(roster, "government");
    for (const char* p : {"dohuk", "erbil", "sulaymaniyah"}) CHECK(government.fighters_distribution[province(roster, p)] == 0);
    CHECK(government.fighters_distribution[province(roster, "baghdad")] == Approx(0.277));
    // The Sunni Arab residents rule puts the Sunni factions where Sunni Arabs live.
    const Faction& insurgents = faction(roster, "sunni_insurgents");
    CHECK(insurgents.fighters_distribution[province(roster, "anbar")] == Approx(0.212));
    CHECK(insurgents.fighters_distribution[province(roster, "basra")] == 0);
}

TEST_CASE("the Peshmerga are mostly in the three Kurdish governorates", "[world][factions]") {
    const Roster& roster = iraq_roster();
    const Faction& kurds = faction(roster, "kurdish_parties");
    double region = 0;
    for (const char* p : {"dohuk", "erbil", "sulaymaniyah"}) region += kurds.fighters_distribution[province(roster, p)];
    CHECK(region > 0.8);
    CHECK(kurds.fighters_distribution[province(roster, "basra")] == 0);
}

TEST_CASE("each sponsor's ties sum to 1 over factions and channels", "[world][factions]") {
    const Roster& roster = iraq_roster();
    for (std::size_t s = 0; s < roster.sponsor_count(); ++s) {
        INFO(roster.sponsors[s].id);
        double sum = 0;
        for (const Faction& f : roster.factions) {
            REQUIRE(f.sponsor_ties.size() == roster.sponsor_count());
            for (const double w : f.sponsor_ties[s]) {
                CHECK(w >= 0);
                CHECK(w <= 1);
                sum += w;
            }
        }
        CHECK(std::abs(sum - 1.0) < 1e-6);
    }
}

TEST_CASE("the initial militia places each faction's fighters by its distribution", "[world][factions][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    REQUIRE(s.militia.rows() == ix(roster.province_count()));
    REQUIRE(s.militia.cols() == ix(roster.faction_count()));
    CHECK((s.militia >= 0).all());
    for (std::size_t f = 0; f < roster.faction_count(); ++f) {
        const Faction& faction_f = roster.factions[f];
        INFO(faction_f.id);
        CHECK(s.militia.col(ix(f)).sum() == Approx(faction_f.initial_fighters).margin(1e-6));
        for (std::size_t p = 0; p < roster.province_count(); ++p) {
            CHECK(s.militia(ix(p), ix(f)) ==
                  Approx(faction_f.initial_fighters * faction_f.fighters_distribution[p]).margin(1e-9));
        }
    }
    const std::size_t isci = roster.find_faction("isci")->index();
    CHECK(s.militia(ix(province(roster, "baghdad")), ix(isci)) == Approx(3000));
}

TEST_CASE("faction parameters can be set through the scenario", "[world][factions][scenario]") {
    using iraqsim::scenario::load_scenario;
    const auto s = load_scenario(std::nullopt, {"faction.jam.cohesion=0.3", "faction.isci.initial_fighters=12000",
                                                "faction.aqi.foreignness=0.5",
                                                "faction.government.home_revenue_usd_per_week=1e8"});
    CHECK(faction(s.world, "jam").cohesion == Approx(0.3));
    CHECK(faction(s.world, "isci").cohesion == Approx(0.8));  // untouched
    CHECK(faction(s.world, "aqi").foreignness == Approx(0.5));
    CHECK(faction(s.world, "government").home_revenue_usd_per_week == Approx(1e8));
    const Faction& isci = faction(s.world, "isci");
    CHECK(isci.initial_fighters == Approx(12000));
    // The overridden total flows into the initial militia.
    const State state = make_initial_state(s.world);
    const std::size_t f = s.world.find_faction("isci")->index();
    CHECK(state.militia.col(ix(f)).sum() == Approx(12000));
}

TEST_CASE("out-of-range faction parameters are rejected", "[world][factions][scenario]") {
    using iraqsim::scenario::load_scenario;
    for (const std::string set : {"faction.jam.cohesion=1.3", "faction.jam.cohesion=-0.1",
                                  "faction.isci.initial_fighters=-5", "faction.isci.initial_fighters=2e7",
                                  "faction.aqi.foreignness=2", "faction.aqi.home_revenue_usd_per_week=-1",
                                  "faction.jam.cohesion=\"high\"", "faction.nobody.cohesion=0.5"}) {
        INFO(set);
        CHECK_THROWS_AS(load_scenario(std::nullopt, {set}), iraqsim::core::ScenarioError);
    }
    try {
        load_scenario(std::nullopt, {"faction.jam.cohesion=1.3"});
        FAIL("accepted an out-of-range cohesion");
    } catch (const iraqsim::core::ScenarioError& e) {
        const std::string message = e.what();
        CHECK(message.find("faction.jam.cohesion") != std::string::npos);
        CHECK(message.find("out of range") != std::string::npos);
    }
}

TEST_CASE("the engine records the militia from its initial placement", "[world][factions][engine]") {
    const Roster& roster = iraq_roster();
    auto scenario = iraqsim::scenario::default_scenario();
    scenario.end = iraqsim::core::Date{2003, 8, 1};  // 14 weeks
    const auto model = iraqsim::engine::compile_model(scenario, roster);
    const auto* militia = iraqsim::output::find_variable("militia");
    REQUIRE(militia != nullptr);
    CHECK(militia->units == "persons");
    REQUIRE(militia->dims.size() == 2);
    CHECK(militia->dims[0] == iraqsim::output::Dim::province);
    CHECK(militia->dims[1] == iraqsim::output::Dim::faction);
    iraqsim::output::RecordSpec spec;
    spec.variables.push_back(militia);
    iraqsim::engine::Simulation sim(model, 1, 0);
    iraqsim::output::Recorder recorder(spec, roster, model.week_count);
    REQUIRE_NOTHROW(sim.run(recorder, true));
    // Forces move (recruitment, losses); week 0 holds the initial placement.
    CHECK((sim.state().militia != model.initial_state.militia).any());
    const auto series = recorder.take();
    const std::size_t size = militia->size(roster);
    REQUIRE(series.values.at(0).size() == static_cast<std::size_t>(model.week_count) * size);
    const std::size_t kurds = roster.find_faction("kurdish_parties")->index();
    const std::size_t erbil = province(roster, "erbil");
    CHECK(series.values[0][erbil * roster.faction_count() + kurds] ==
          Approx(55000 * faction(roster, "kurdish_parties").fighters_distribution[erbil]));
}

TEST_CASE("check_invariants rejects a negative or NaN militia", "[world][factions][engine]") {
    const Roster& roster = iraq_roster();
    State s = make_initial_state(roster);
    CHECK_NOTHROW(iraqsim::engine::check_invariants(roster, s, 0));
    const auto aqi = ix(roster.find_faction("aqi")->index());
    s.militia(ix(province(roster, "anbar")), aqi) = -1;
    CHECK_THROWS_WITH(iraqsim::engine::check_invariants(roster, s, 4), Catch::Contains("militia at anbar/aqi"));
    s.militia(ix(province(roster, "anbar")), aqi) = std::nan("");
    CHECK_THROWS_AS(iraqsim::engine::check_invariants(roster, s, 4), iraqsim::core::ModelError);
}

TEST_CASE("recruitment, fighter cost and the splinter and realignment links parse", "[world][factions]") {
    using iraqsim::world::Recruitment;
    const Roster& roster = iraq_roster();
    const Faction& special_groups = faction(roster, "special_groups");
    REQUIRE(special_groups.splinter_of.has_value());
    CHECK(roster.factions[special_groups.splinter_of->index()].id == "jam");
    CHECK_FALSE(special_groups.realigns_from.has_value());
    const Faction& awakening = faction(roster, "awakening");
    REQUIRE(awakening.realigns_from.has_value());
    CHECK(roster.factions[awakening.realigns_from->index()].id == "sunni_insurgents");
    CHECK_FALSE(awakening.splinter_of.has_value());
    for (const Faction& f : roster.factions) {
        INFO(f.id);
        CHECK(f.fighter_cost_usd_per_week > 0);
        if (f.id != "special_groups") CHECK_FALSE(f.splinter_of.has_value());
        if (f.id != "awakening") CHECK_FALSE(f.realigns_from.has_value());
        const bool salaried = f.id == "government" || f.id == "awakening" || f.id == "kurdish_parties";
        CHECK(f.recruitment == (salaried ? Recruitment::salaried : Recruitment::volunteer));
    }
    CHECK(faction(roster, "aqi").fighter_cost_usd_per_week == Approx(10));
    CHECK(faction(roster, "government").fighter_cost_usd_per_week == Approx(120));
    CHECK(faction(roster, "awakening").fighter_cost_usd_per_week == Approx(70));
}

TEST_CASE("violence targets name the US, a faction or a community and sum to 1", "[world][factions]") {
    using Kind = iraqsim::world::ViolenceTarget::Kind;
    const Roster& roster = iraq_roster();
    for (std::size_t f = 0; f < roster.faction_count(); ++f) {
        const Faction& faction_f = roster.factions[f];
        INFO(faction_f.id);
        if (faction_f.violence_targets.empty()) continue;
        double sum = 0;
        for (const auto& t : faction_f.violence_targets) {
            CHECK(t.weight > 0);
            CHECK(t.weight <= 1);
            sum += t.weight;
            if (t.kind == Kind::faction) {
                CHECK(t.index < roster.faction_count());
                CHECK(t.index != f);
            }
            if (t.kind == Kind::community) CHECK(t.index < roster.community_count());
            if (t.kind == Kind::us_forces) CHECK(t.index == 0);
        }
        CHECK(sum == Approx(1).margin(1e-12));
    }
    CHECK(faction(roster, "sunni_parties").violence_targets.empty());
    CHECK(faction(roster, "secular_nationalists").violence_targets.empty());

    auto weight_of = [&](const char* faction_id, Kind kind, std::size_t index) {
        double w = 0;
        for (const auto& t : faction(roster, faction_id).violence_targets) {
            if (t.kind == kind && t.index == index) w += t.weight;
        }
        return w;
    };
    const std::size_t shia = roster.find_community("shia_arab")->index();
    const std::size_t sunni = roster.find_community("sunni_arab")->index();
    const std::size_t aqi = roster.find_faction("aqi")->index();
    const std::size_t jam = roster.find_faction("jam")->index();
    CHECK(weight_of("aqi", Kind::community, shia) == Approx(0.4));
    CHECK(weight_of("aqi", Kind::community, sunni) == Approx(0.1));
    CHECK(weight_of("aqi", Kind::us_forces, 0) == Approx(0.2));
    CHECK(weight_of("special_groups", Kind::us_forces, 0) == Approx(0.6));
    CHECK(weight_of("isci", Kind::faction, jam) == Approx(0.3));
    CHECK(weight_of("awakening", Kind::faction, aqi) == Approx(0.8));
    CHECK(weight_of("kurdish_parties", Kind::faction, aqi) == Approx(1.0));
    CHECK(faction(roster, "kurdish_parties").violence_targets.size() == 1);
}
