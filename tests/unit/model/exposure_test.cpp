// Exposure (how mixed each community's neighbourhoods are) and the week's violent deaths by
// community: flight unmixes neighbourhoods, rows stay shares, and the dead are counted once.
#include <catch2/catch.hpp>

#include <cmath>

#include "../support/iraq_world.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/model/population.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using iraqsim::model::PopulationFlows;
using iraqsim::model::PopulationParams;
using iraqsim::model::update_exposure;
using iraqsim::model::violent_deaths_this_week;
using iraqsim::world::Roster;
using iraqsim::world::State;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {


// Flows in which a share of each community's residents is newly displaced.
PopulationFlows displacing(const State& s, const Eigen::ArrayXXd& share) {
    PopulationFlows flows;
    flows.newly_displaced = s.residents * share;
    flows.returned = Eigen::ArrayXXd::Zero(s.residents.rows(), s.residents.cols());
    return flows;
}

State exposed(const State& prev, const PopulationFlows& flows, const PopulationParams& params = PopulationParams{}) {
    State next = prev;
    update_exposure(prev, next, flows, params);
    return next;
}

void require_rows_are_shares(const Eigen::ArrayXXd& exposure) {
    REQUIRE(exposure.allFinite());
    REQUIRE((exposure >= 0).all());
    REQUIRE((exposure <= 1 + 1e-12).all());
    for (Eigen::Index r = 0; r < exposure.rows(); ++r) {
        INFO("row " << r);
        REQUIRE(exposure.row(r).sum() == Approx(1.0).epsilon(1e-12));
    }
}

}  // namespace

TEST_CASE("the initial exposure rows are shares", "[model][population][exposure]") {
    require_rows_are_shares(iraq_start().exposure);
}

TEST_CASE("with no one displaced exposure is unchanged", "[model][population][exposure]") {
    const State prev = iraq_start();
    const State next = exposed(prev, displacing(prev, Eigen::ArrayXXd::Zero(P(), C())));
    CHECK((next.exposure - prev.exposure).abs().maxCoeff() < 1e-12);
}

TEST_CASE("exposure rows keep summing to 1 as neighbourhoods unmix", "[model][population][exposure]") {
    State s = iraq_start();
    // Different rates of flight by province and community, heavy enough to empty some mixed areas.
    Eigen::ArrayXXd share(P(), C());
    for (Eigen::Index p = 0; p < P(); ++p)
        for (Eigen::Index c = 0; c < C(); ++c) share(p, c) = 0.001 * static_cast<double>((p * 3 + c * 5) % 13);
    for (int week = 0; week < 100; ++week) {
        const State next = exposed(s, displacing(s, share));
        INFO("week " << week);
        require_rows_are_shares(next.exposure);
        // Mixing only falls: no off-diagonal share rises.
        for (Eigen::Index c = 0; c < C(); ++c)
            for (Eigen::Index c2 = 0; c2 < C(); ++c2)
                if (c2 != c) REQUIRE((next.exposure.middleRows(c * P(), P()).col(c2) <=
                                      s.exposure.middleRows(c * P(), P()).col(c2) + 1e-15).all());
        s = next;
    }
}

TEST_CASE("more flight, less mixing: off-diagonal shares fall with displacement", "[model][population][exposure]") {
    const State prev = iraq_start();
    const Eigen::Index baghdad = province("baghdad"), shia = community("shia_arab"), sunni = community("sunni_arab");
    const Eigen::Index row = shia * P() + baghdad;
    REQUIRE(prev.exposure(row, sunni) > 0.05);
    double last = prev.exposure(row, sunni);
    for (const double rate : {0.001, 0.01, 0.05, 0.1}) {
        const State next = exposed(prev, displacing(prev, Eigen::ArrayXXd::Constant(P(), C(), rate)));
        INFO("displaced share " << rate);
        CHECK(next.exposure(row, sunni) < last);
        CHECK(next.exposure(row, shia) > prev.exposure(row, shia));
        last = next.exposure(row, sunni);
    }
    // Past the point where every mixed neighbourhood has emptied: each community among its own.
    const State sorted = exposed(prev, displacing(prev, Eigen::ArrayXXd::Constant(P(), C(), 0.5)));
    require_rows_are_shares(sorted.exposure);
    for (Eigen::Index c = 0; c < C(); ++c)
        for (Eigen::Index p = 0; p < P(); ++p)
            if (prev.residents(p, c) > 0) CHECK(sorted.exposure(c * P() + p, c) == Approx(1.0));
    // No unmixing, no change however many flee.
    PopulationParams stay_mixed;
    stay_mixed.unmixing = 0;
    const State mixed = exposed(prev, displacing(prev, Eigen::ArrayXXd::Constant(P(), C(), 0.2)), stay_mixed);
    CHECK((mixed.exposure - prev.exposure).abs().maxCoeff() < 1e-12);
}

TEST_CASE("flight thins both sides of a mixed neighbourhood and no one else's", "[model][population][exposure]") {
    const State prev = iraq_start();
    const Eigen::Index baghdad = province("baghdad"), shia = community("shia_arab"), sunni = community("sunni_arab"),
                       kurd = community("kurd");
    REQUIRE(prev.residents(baghdad, kurd) > 0);
    REQUIRE(prev.exposure(shia * P() + baghdad, kurd) > 0);
    // Only Sunni Arabs flee Baghdad.
    Eigen::ArrayXXd share = Eigen::ArrayXXd::Zero(P(), C());
    share(baghdad, sunni) = 0.02;
    const State next = exposed(prev, displacing(prev, share));
    CHECK(next.exposure(shia * P() + baghdad, sunni) < prev.exposure(shia * P() + baghdad, sunni));  // the others' side
    CHECK(next.exposure(sunni * P() + baghdad, shia) < prev.exposure(sunni * P() + baghdad, shia));  // their own side
    CHECK(next.exposure(shia * P() + baghdad, kurd) == Approx(prev.exposure(shia * P() + baghdad, kurd)).epsilon(1e-12));
    // Elsewhere, nothing.
    const Eigen::Index basra = province("basra");
    CHECK((next.exposure.row(shia * P() + basra) == prev.exposure.row(shia * P() + basra)).all());
}

// ---------------------------------------------------------------------------------------------
// The week's violent deaths

TEST_CASE("this week's violent deaths count civilians and fighters killed once, by community", "[model][population]") {
    State s = iraq_start();
    s.civilians_killed_by.setZero();
    s.civilians_killed_by_us.setZero();
    s.fighters_killed.setZero();
    s.fighters_detained.setZero();
    const Eigen::Index baghdad = province("baghdad"), anbar = province("anbar");
    const Eigen::Index shia = community("shia_arab"), sunni = community("sunni_arab");
    s.civilians_killed_by(sunni * P() + baghdad, faction("jam")) = 30;
    s.civilians_killed_by(sunni * P() + baghdad, faction("isci")) = 5;
    s.civilians_killed_by_us(baghdad, sunni) = 2;
    s.civilians_killed_by(shia * P() + baghdad, faction("aqi")) = 50;
    s.fighters_killed(anbar, faction("aqi")) = 7;         // Sunni Arab fighters
    s.fighters_killed(baghdad, faction("government")) = 4;  // Shia Arab (the forces' base)
    s.fighters_detained(anbar, faction("sunni_insurgents")) = 100;  // detained: alive
    const Eigen::ArrayXXd deaths = violent_deaths_this_week(iraq(), s);
    REQUIRE(deaths.rows() == P());
    REQUIRE(deaths.cols() == C());
    CHECK(deaths(baghdad, sunni) == 37);
    CHECK(deaths(baghdad, shia) == 54);
    CHECK(deaths(anbar, sunni) == 7);
    CHECK(deaths.sum() == 37 + 54 + 7);
    CHECK((deaths >= 0).all());
}
