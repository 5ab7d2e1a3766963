// Control (who holds each province: armed force weighted by support, approached at a weekly rate)
// and observation (what SIGACT-like and IBC-like records would show of the true violence).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "../support/iraq_world.hpp"
#include "iraqsim/core/date.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/model/control.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/model/observation.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using iraqsim::model::control_balance;
using iraqsim::model::ControlParams;
using iraqsim::model::ObservationParams;
using iraqsim::model::update_control;
using iraqsim::model::update_observation;
using iraqsim::world::Roster;
using iraqsim::world::State;
using namespace iraqsim::test;  // iraq(), iraq_start(), faction(), province(), ...

namespace {

// A week whose SIGACT-like records hold incidents against civilians too (from April 2006).
const iraqsim::core::Date observed_week_2007{2007, 1, 4};

Eigen::ArrayXd armed_of(const State& s) { return iraqsim::model::armed_share(s, iraqsim::model::ForcesParams{}); }

// A week's true violence, varied over provinces, factions and communities.
State with_violence(State s) {
    const Eigen::Index P = s.us_troops.size();
    for (Eigen::Index row = 0; row < s.civilians_killed_by.rows(); ++row)
        for (Eigen::Index f = 0; f < s.civilians_killed_by.cols(); ++f)
            s.civilians_killed_by(row, f) = static_cast<double>((row * 7 + f * 3) % 11);
    for (Eigen::Index p = 0; p < P; ++p) {
        for (Eigen::Index c = 0; c < s.civilians_killed_by_us.cols(); ++c)
            s.civilians_killed_by_us(p, c) = static_cast<double>((p + c) % 3);
        for (Eigen::Index f = 0; f < s.attacks_by.cols(); ++f) s.attacks_by(p, f) = static_cast<double>((p * 5 + f) % 9);
        s.attacks_on_us(p) = 0.5 * s.attacks_by.row(p).sum();
    }
    // Half of each faction's victims died in one-sided killing, the rest as bystanders.
    s.civilians_killed_one_sided.setZero();
    for (Eigen::Index row = 0; row < s.civilians_killed_by.rows(); ++row)
        s.civilians_killed_one_sided.row(row % P) += 0.5 * s.civilians_killed_by.row(row);
    return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Control

TEST_CASE("control shares sum to 1 where any faction is armed, and are zero where none is", "[model][control]") {
    State s = iraq_start();
    const Eigen::Index empty = province("muthanna");
    s.militia.row(empty).setZero();
    const Eigen::ArrayXXd balance = control_balance(iraq(), s, armed_of(s), ControlParams{});
    REQUIRE(balance.rows() == s.militia.rows());
    for (Eigen::Index p = 0; p < balance.rows(); ++p) {
        INFO("province " << iraq().provinces[static_cast<std::size_t>(p)].id);
        CHECK((balance.row(p) >= 0).all());
        if (p == empty) {
            CHECK(balance.row(p).sum() == 0);
        } else {
            CHECK(balance.row(p).sum() == Approx(1.0).epsilon(1e-12));
        }
    }
    // The initial state starts from the balance.
    CHECK((iraq_start().control.rowwise().sum() - 1.0).abs().maxCoeff() < 1e-12);
}

TEST_CASE("control follows armed force: more fighters or arms, more control - none, no control", "[model][control]") {
    const State s = iraq_start();
    const Eigen::ArrayXd armed = armed_of(s);
    const ControlParams params;
    const Eigen::Index baghdad = province("baghdad"), jam = faction("jam");
    const Eigen::ArrayXXd base = control_balance(iraq(), s, armed, params);
    REQUIRE(base(baghdad, jam) > 0);

    State stronger = s;
    stronger.militia(baghdad, jam) *= 10;
    CHECK(control_balance(iraq(), stronger, armed, params)(baghdad, jam) > base(baghdad, jam));

    Eigen::ArrayXd better_armed = armed;
    better_armed(jam) = std::min(1.0, 2 * armed(jam));
    REQUIRE(better_armed(jam) > armed(jam));
    CHECK(control_balance(iraq(), s, better_armed, params)(baghdad, jam) > base(baghdad, jam));

    Eigen::ArrayXd unarmed = armed;
    unarmed(jam) = 0;
    CHECK((control_balance(iraq(), s, unarmed, params).col(jam) == 0).all());
}

TEST_CASE("with equal forces, the better supported faction holds more", "[model][control]") {
    State s = iraq_start();
    const Eigen::Index basra = province("basra"), isci = faction("isci"), jam = faction("jam");
    s.militia.row(basra).setZero();
    s.militia(basra, isci) = 1000;
    s.militia(basra, jam) = 1000;
    // The Sadrists three times as popular as ISCI among Basra's Shia.
    const Eigen::Index shia_row = static_cast<Eigen::Index>(iraq().find_community("shia_arab")->index()) *
                                      static_cast<Eigen::Index>(iraq().province_count()) + basra;
    s.loyalty(shia_row, isci) = 0.1;
    s.loyalty(shia_row, jam) = 0.3;
    const Eigen::ArrayXd armed = Eigen::ArrayXd::Constant(armed_of(s).size(), 0.8);
    const Eigen::ArrayXXd support = iraqsim::world::support_by_province(iraq(), s);
    REQUIRE(support(basra, jam) > support(basra, isci));

    ControlParams by_support;
    by_support.support_weight = 1.0;
    const Eigen::ArrayXXd weighted = control_balance(iraq(), s, armed, by_support);
    CHECK(weighted(basra, jam) > weighted(basra, isci));
    CHECK(weighted(basra, jam) / weighted(basra, isci) == Approx(support(basra, jam) / support(basra, isci)));
    ControlParams halfway;  // the default: half force, half support
    const Eigen::ArrayXXd mixed = control_balance(iraq(), s, armed, halfway);
    CHECK(mixed(basra, jam) > mixed(basra, isci));
    CHECK(mixed(basra, jam) < weighted(basra, jam));

    ControlParams by_force;
    by_force.support_weight = 0.0;
    const Eigen::ArrayXXd forced = control_balance(iraq(), s, armed, by_force);
    CHECK(forced(basra, isci) == Approx(0.5));
    CHECK(forced(basra, jam) == Approx(0.5));
}

TEST_CASE("control moves toward the balance at its weekly rate", "[model][control]") {
    const Eigen::ArrayXd armed = armed_of(iraq_start());
    ControlParams params;
    params.rate = 0.1;
    State prev = iraq_start();
    // Everyone's control handed to the government: far from the balance.
    prev.control.setZero();
    prev.control.col(faction("government")).setConstant(1.0);
    const Eigen::ArrayXXd balance = control_balance(iraq(), prev, armed, params);
    const double initial_gap = (prev.control - balance).abs().sum();
    REQUIRE(initial_gap > 1);
    double gap = initial_gap;
    for (int week = 0; week < 50; ++week) {
        State next = prev;
        update_control(iraq(), prev, next, armed, params);
        const double next_gap = (next.control - balance).abs().sum();
        INFO("week " << week);
        REQUIRE(next_gap == Approx(0.9 * gap).epsilon(1e-9));
        REQUIRE((next.control >= 0).all());
        REQUIRE((next.control.rowwise().sum() - 1.0).abs().maxCoeff() < 1e-9);
        gap = next_gap;
        prev = next;
    }
    CHECK(gap < 0.01 * initial_gap);
}

TEST_CASE("a province no one held goes straight to the balance - one no one is armed in stays as it was",
          "[model][control]") {
    const Eigen::ArrayXd armed = armed_of(iraq_start());
    const ControlParams params;
    State prev = iraq_start();
    const Eigen::Index unheld = province("karbala"), abandoned = province("dohuk");
    prev.control.row(unheld).setZero();
    State next = prev;
    next.militia.row(abandoned).setZero();
    const Eigen::ArrayXXd balance = control_balance(iraq(), next, armed, params);
    update_control(iraq(), prev, next, armed, params);
    CHECK(((next.control.row(unheld) - balance.row(unheld)).abs() < 1e-12).all());
    CHECK((next.control.row(abandoned) == prev.control.row(abandoned)).all());
}

// ---------------------------------------------------------------------------------------------
// Observation

TEST_CASE("IBC-like counts record a fixed share of the true civilian deaths", "[model][observation]") {
    State s = with_violence(iraq_start());
    ObservationParams params;
    params.ibc_coverage = 0.6;
    update_observation(iraq(), s, params, observed_week_2007);
    const Eigen::Index P = s.us_troops.size();
    for (Eigen::Index p = 0; p < P; ++p) {
        double truth = s.civilians_killed_by_us.row(p).sum();
        for (Eigen::Index c = 0; c < s.civilians_killed_by_us.cols(); ++c) truth += s.civilians_killed_by.row(c * P + p).sum();
        INFO("province " << p);
        CHECK(s.reported_civilian_deaths(p) == Approx(0.6 * truth));
    }
    // Troop levels do not change what the press and morgues count.
    State more = with_violence(iraq_start());
    more.us_troops *= 5;
    update_observation(iraq(), more, params, observed_week_2007);
    CHECK((more.reported_civilian_deaths == s.reported_civilian_deaths).all());
}

TEST_CASE("IBC-like incidents: recorded as their deaths are, then listed on their own or within an aggregate entry",
          "[model][observation]") {
    State s = with_violence(iraq_start());
    for (Eigen::Index p = 0; p < s.civilian_incidents.size(); ++p) s.civilian_incidents(p) = static_cast<double>(3 * p + 1);
    ObservationParams params;
    params.ibc_coverage = 0.6;
    params.ibc_incident_share = 0.25;
    update_observation(iraq(), s, params, observed_week_2007);
    for (Eigen::Index p = 0; p < s.civilian_incidents.size(); ++p) {
        INFO("province " << p);
        CHECK(s.reported_civilian_incidents(p) == Approx(0.6 * 0.25 * static_cast<double>(3 * p + 1)));
    }
    // The share changes the incidents listed, not the deaths recorded.
    const Eigen::ArrayXd deaths = s.reported_civilian_deaths;
    params.ibc_incident_share = 0.5;
    update_observation(iraq(), s, params, observed_week_2007);
    CHECK((s.reported_civilian_deaths == deaths).all());
    CHECK(s.reported_civilian_incidents(0) == Approx(0.6 * 0.5));
}

TEST_CASE("SIGACT-like coverage rises with US troops, from its base toward full", "[model][observation]") {
    const ObservationParams params;
    auto reported = [&](double troops) {
        State s = with_violence(iraq_start());
        s.us_troops.setConstant(troops);
        update_observation(iraq(), s, params, observed_week_2007);
        return s.reported_attacks;
    };
    const Eigen::ArrayXd none = reported(0), some = reported(2000), many = reported(50000), all = reported(1e12);
    const State truth = with_violence(iraq_start());
    const Eigen::ArrayXd deaths = iraqsim::world::civilian_deaths(truth);
    for (Eigen::Index p = 0; p < none.size(); ++p) {
        INFO("province " << p);
        REQUIRE(none(p) > 0);
        CHECK(some(p) > none(p));
        CHECK(many(p) > some(p));
        CHECK(all(p) >= many(p));
        // At full coverage every attack on US forces is reported; those on Iraqi forces and
        // sectarian incidents less.
        const double on_isf = truth.attacks_by.row(p).sum() - truth.attacks_on_us(p);
        const double full = truth.attacks_on_us(p) + params.sigact_isf_share * on_isf +
                            params.sigact_per_sectarian_death * deaths(p);
        CHECK(all(p) == Approx(full).epsilon(1e-6));
        CHECK(none(p) == Approx(params.sigact_base_coverage * full));
        CHECK(all(p) <= truth.attacks_by.row(p).sum() + params.sigact_per_sectarian_death * deaths(p) + 1e-9);
    }
}

TEST_CASE("attacks on Iraqi forces reach the SIGACT record less often than attacks on US forces", "[model][observation]") {
    State on_us = iraq_start(), on_isf = iraq_start();
    for (State* s : {&on_us, &on_isf}) {
        s->civilians_killed_by.setZero();
        s->civilians_killed_by_us.setZero();
        s->attacks_by.setZero();
        s->attacks_on_us.setZero();
        s->us_troops.setConstant(5000);
    }
    const Eigen::Index insurgents = faction("sunni_insurgents");
    on_us.attacks_by.col(insurgents).setConstant(100);
    on_us.attacks_on_us.setConstant(100);
    on_isf.attacks_by.col(insurgents).setConstant(100);
    update_observation(iraq(), on_us, ObservationParams{}, observed_week_2007);
    update_observation(iraq(), on_isf, ObservationParams{}, observed_week_2007);
    CHECK((on_isf.reported_attacks < on_us.reported_attacks).all());
    CHECK((on_isf.reported_attacks > 0).all());
    CHECK((on_us.reported_attacks <= 100 + 1e-9).all());
}

TEST_CASE("IBC-like categories: coalition, insurgent and sectarian deaths sum to the IBC-like total", "[model][observation]") {
    State s = with_violence(iraq_start());
    ObservationParams params;
    params.ibc_coverage = 0.5;
    params.ibc_sectarian_share_sunni = 0.25;
    update_observation(iraq(), s, params, observed_week_2007);
    const Eigen::Index P = s.us_troops.size(), gov = faction("government");
    for (Eigen::Index p = 0; p < P; ++p) {
        INFO("province " << p);
        const auto& by = s.reported_civilian_deaths_by_category;
        CHECK(by.row(p).sum() == Approx(s.reported_civilian_deaths(p)));
        double forces = s.civilians_killed_by_us.row(p).sum();
        for (Eigen::Index c = 0; c < s.civilians_killed_by_us.cols(); ++c) forces += s.civilians_killed_by(c * P + p, gov);
        CHECK(by(p, 0) == Approx(0.5 * forces));
        // Shia militias' one-sided killing is all sectarian; Sunni groups' a quarter of it.
        double sectarian = 0;
        for (const char* id : {"isci", "jam", "special_groups", "kurdish_parties", "secular_nationalists", "awakening"})
            sectarian += s.civilians_killed_one_sided(p, faction(id)) * (std::string(id) == "awakening" ? 0.25 : 1.0);
        for (const char* id : {"sunni_insurgents", "aqi", "sunni_parties"}) sectarian += 0.25 * s.civilians_killed_one_sided(p, faction(id));
        CHECK(by(p, 2) == Approx(0.5 * sectarian));
        // The insurgent category is the rest, never negative.
        CHECK(by(p, 1) == Approx(std::max(0.0, s.reported_civilian_deaths(p) - 0.5 * forces - 0.5 * sectarian)).margin(1e-9));
    }
    // Only the share parameter moves deaths between the insurgent and sectarian categories.
    State all_sectarian = with_violence(iraq_start());
    params.ibc_sectarian_share_sunni = 1.0;
    update_observation(iraq(), all_sectarian, params, observed_week_2007);
    CHECK((all_sectarian.reported_civilian_deaths_by_category.col(2) > s.reported_civilian_deaths_by_category.col(2)).any());
    CHECK(((all_sectarian.reported_civilian_deaths_by_category.col(0) - s.reported_civilian_deaths_by_category.col(0)).abs() < 1e-9).all());
}

TEST_CASE("SIGACT-like records hold incidents against civilians only from their start date", "[model][observation]") {
    State before = with_violence(iraq_start());
    State after = with_violence(iraq_start());
    ObservationParams params;
    params.sigact_per_sectarian_death = 0.5;
    update_observation(iraq(), before, params, iraqsim::core::Date{2006, 3, 30});
    update_observation(iraq(), after, params, iraqsim::core::Date{2006, 4, 6});
    CHECK((before.reported_attacks == before.reported_attacks_on_forces).all());
    CHECK((after.reported_attacks_on_forces == before.reported_attacks_on_forces).all());
    CHECK((after.reported_attacks > after.reported_attacks_on_forces).any());
    // The date is the scenario's: moved earlier, the records hold them from then.
    params.sigact_civilian_records_from = iraqsim::core::Date{2004, 1, 1};
    update_observation(iraq(), before, params, iraqsim::core::Date{2006, 3, 30});
    CHECK((before.reported_attacks == after.reported_attacks).all());
}

TEST_CASE("SIG_1-like reports leave out the records of civilian deaths", "[model][observation]") {
    State s = with_violence(iraq_start());
    const ObservationParams params;
    update_observation(iraq(), s, params, observed_week_2007);
    CHECK((s.reported_attacks_on_forces <= s.reported_attacks).all());
    s.civilians_killed_by.setZero();
    s.civilians_killed_by_us.setZero();
    s.civilians_killed_one_sided.setZero();
    update_observation(iraq(), s, params, observed_week_2007);
    CHECK(((s.reported_attacks_on_forces - s.reported_attacks).abs() < 1e-9).all());
}

TEST_CASE("War Logs-like counts: the forces' kills in full, detentions with the suspects taken", "[model][observation]") {
    State s = with_violence(iraq_start());
    const Eigen::Index P = s.us_troops.size();
    for (Eigen::Index p = 0; p < P; ++p)
        for (Eigen::Index f = 0; f < s.fighters_killed.cols(); ++f) {
            s.fighters_killed_by_forces(p, f) = static_cast<double>((p + 2 * f) % 5);
            s.fighters_killed(p, f) = s.fighters_killed_by_forces(p, f) + 3;  // battles between factions too
            s.fighters_detained(p, f) = static_cast<double>((3 * p + f) % 7);
        }
    ObservationParams params;
    params.detained_fighter_share = 0.25;
    update_observation(iraq(), s, params, observed_week_2007);
    for (Eigen::Index p = 0; p < P; ++p) {
        INFO("province " << p);
        // Battle deaths between factions are not the forces' kills.
        CHECK(s.reported_enemy_killed(p) == Approx(s.fighters_killed_by_forces.row(p).sum()));
        CHECK(s.reported_enemy_killed(p) < s.fighters_killed.row(p).sum());
        CHECK(s.reported_enemy_detained(p) == Approx(4.0 * s.fighters_detained.row(p).sum()));
    }
    // Troop levels change SIGACT's coverage, not these.
    State more = s;
    more.us_troops *= 5;
    update_observation(iraq(), more, params, observed_week_2007);
    CHECK((more.reported_enemy_detained == s.reported_enemy_detained).all());
}
