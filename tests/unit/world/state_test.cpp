#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

#include "../support/iraq_world.hpp"

using iraqsim::test::ix;
using iraqsim::world::iraq_roster;
using iraqsim::world::make_initial_state;
using iraqsim::world::Roster;
using iraqsim::world::State;

TEST_CASE("initial state has the roster's shape", "[world][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    const auto P = ix(roster.province_count());
    const auto C = ix(roster.community_count());
    CHECK(s.residents.rows() == P);
    CHECK(s.residents.cols() == C);
    CHECK(s.loyalty.rows() == C * P);
    CHECK(s.loyalty.cols() == ix(roster.faction_count()));
    CHECK(s.us_troops.size() == P);
    CHECK(s.loyalty_row(iraqsim::core::CommunityId{2}, iraqsim::core::ProvinceId{5}, P) == 2 * P + 5);
}

TEST_CASE("initial residents are the 2007 population times the community share", "[world][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    for (std::size_t p = 0; p < roster.province_count(); ++p) {
        const auto& province = roster.provinces[p];
        INFO(province.id);
        double total = 0;
        for (std::size_t c = 0; c < roster.community_count(); ++c) {
            const double expected = province.population_2007 * province.community_share[c];
            CHECK(s.residents(ix(p), ix(c)) == Approx(expected).epsilon(1e-12));
            CHECK(s.residents(ix(p), ix(c)) >= 0);
            total += s.residents(ix(p), ix(c));
        }
        CHECK(total == Approx(province.population_2007).epsilon(1e-9));
    }
}

TEST_CASE("initial loyalty rows are sub-probability vectors", "[world][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    for (Eigen::Index row = 0; row < s.loyalty.rows(); ++row) {
        INFO("row " << row);
        for (Eigen::Index f = 0; f < s.loyalty.cols(); ++f) {
            const double v = s.loyalty(row, f);
            CHECK(std::isfinite(v));
            CHECK(v >= 0.0);
            CHECK(v <= 1.0);
        }
        CHECK(s.loyalty.row(row).sum() <= 1.0 + 1e-12);
    }
    // Not all zero: the election gives the parties real support.
    CHECK(s.loyalty.maxCoeff() > 0.5);
}

TEST_CASE("factions without an electoral bloc start with no support", "[world][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    // The insurgents and AQI take a share of the Sunni lists' voters (docs/model.md, "Initial loyalty").
    for (const char* name : {"aqi", "sunni_insurgents"}) {
        INFO(name);
        const auto f = roster.find_faction(name);
        REQUIRE(f.has_value());
        CHECK(roster.factions[f->index()].bloc == iraqsim::world::ElectoralBloc::sunni_lists);
        CHECK(s.loyalty.col(ix(f->index())).maxCoeff() > 0.0);
    }
    for (const char* name : {"special_groups", "awakening"}) {
        INFO(name);
        const auto f = roster.find_faction(name);
        REQUIRE(f.has_value());
        CHECK(roster.factions[f->index()].bloc == iraqsim::world::ElectoralBloc::none);
        CHECK((s.loyalty.col(ix(f->index())) == 0.0).all());
    }
}

TEST_CASE("a faction has loyalty only in the communities it recruits from", "[world][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    const auto P = ix(roster.province_count());
    for (std::size_t f = 0; f < roster.faction_count(); ++f) {
        const auto& faction = roster.factions[f];
        for (std::size_t c = 0; c < roster.community_count(); ++c) {
            bool in_base = false;
            for (auto b : faction.community_base) in_base = in_base || b.index() == c;
            if (in_base) continue;
            INFO(faction.id << " / " << roster.communities[c].id);
            CHECK((s.loyalty.block(ix(c) * P, ix(f), P, 1) == 0.0).all());
        }
    }
}

TEST_CASE("support_by_province is a share of residents", "[world][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    const Eigen::ArrayXXd support = iraqsim::world::support_by_province(roster, s);
    REQUIRE(support.rows() == ix(roster.province_count()));
    REQUIRE(support.cols() == ix(roster.faction_count()));
    for (Eigen::Index p = 0; p < support.rows(); ++p) {
        INFO(roster.provinces[static_cast<std::size_t>(p)].id);
        CHECK((support.row(p) >= 0.0).all());
        CHECK((support.row(p) <= 1.0).all());
        CHECK(support.row(p).sum() <= 1.0 + 1e-12);
    }
}

TEST_CASE("support_by_province weights communities by residents", "[world][state]") {
    const Roster& roster = iraq_roster();
    State s = make_initial_state(roster);
    const auto P = ix(roster.province_count());
    const auto p = ix(roster.find_province("kirkuk")->index());
    const auto f = ix(roster.find_faction("secular_nationalists")->index());
    s.loyalty.col(f).setZero();
    // Only Kurds of Kirkuk support the faction, wholly.
    s.loyalty(2 * P + p, f) = 1.0;
    const Eigen::ArrayXXd support = iraqsim::world::support_by_province(roster, s);
    const double kurd_share = s.residents(p, 2) / s.residents.row(p).sum();
    CHECK(support(p, f) == Approx(kurd_share).epsilon(1e-12));
    for (Eigen::Index q = 0; q < P; ++q) {
        if (q != p) CHECK(support(q, f) == 0.0);
    }
}

TEST_CASE("Kurdish parties dominate Erbil and are absent from Basra", "[world][state]") {
    const Roster& roster = iraq_roster();
    const State s = make_initial_state(roster);
    const Eigen::ArrayXXd support = iraqsim::world::support_by_province(roster, s);
    const auto kurdish = ix(roster.find_faction("kurdish_parties")->index());
    const auto erbil = ix(roster.find_province("erbil")->index());
    const auto basra = ix(roster.find_province("basra")->index());
    CHECK(support(erbil, kurdish) > 0.9);
    CHECK(support(basra, kurdish) < 0.05);
    // The Shia lists' parties lead in Basra.
    const auto isci = ix(roster.find_faction("isci")->index());
    CHECK(support(basra, isci) > support(basra, kurdish));
}
