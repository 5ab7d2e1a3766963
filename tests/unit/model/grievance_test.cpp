// Grievance: a community remembers the civilians killed by other communities' factions and the US,
// per 100,000 members, not those its own factions kill; the memory fades at its stated rate.
#include <catch2/catch.hpp>

#include <cmath>

#include "iraqsim/model/grievance.hpp"
#include "../support/iraq_world.hpp"

using iraqsim::model::revenge_factor;
using iraqsim::model::update_grievance;
using iraqsim::model::ViolenceParams;
using iraqsim::world::State;

namespace {

// A quiet week after `prev`: nothing killed.
State quiet_after(const State& prev) {
    State next = prev;
    next.civilians_killed_by.setZero();
    next.civilians_killed_by_us.setZero();
    return next;
}

}  // namespace

TEST_CASE("grievance counts the dead killed by others per 100,000, not by the community's own factions",
          "[model][grievance]") {
    using namespace iraqsim::test;
    const auto& roster = iraq();
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    State prev = iraq_start();
    prev.grievance.setZero();
    const Eigen::Index baghdad = province("baghdad"), shia = community("shia_arab");
    const double members = prev.residents(baghdad, shia);
    ViolenceParams params;
    params.grievance_weeks = 10;

    State by_others = quiet_after(prev);
    by_others.civilians_killed_by(shia * P + baghdad, faction("aqi")) = 40;
    by_others.civilians_killed_by_us(baghdad, shia) = 10;
    update_grievance(roster, prev, by_others, params);
    CHECK(by_others.grievance(baghdad, shia) == Approx(0.1 * 1e5 * 50 / members));
    CHECK((by_others.grievance.col(community("sunni_arab")) == 0).all());

    State by_own = quiet_after(prev);
    by_own.civilians_killed_by(shia * P + baghdad, faction("jam")) = 40;
    update_grievance(roster, prev, by_own, params);
    CHECK(by_own.grievance(baghdad, shia) == 0);

    // With no more killing it fades by 1 - 1/m a week.
    State later = quiet_after(by_others);
    update_grievance(roster, by_others, later, params);
    CHECK(later.grievance(baghdad, shia) == Approx(0.9 * by_others.grievance(baghdad, shia)));
}

TEST_CASE("the revenge factor is 1 without revenge and rises to at most 1 + revenge_max", "[model][grievance]") {
    using namespace iraqsim::test;
    State s = iraq_start();
    s.grievance.setConstant(1e6);
    ViolenceParams params;
    CHECK(revenge_factor(s, 0, 0, params) == 1.0);
    params.revenge_max = 4;
    CHECK(revenge_factor(s, 0, 0, params) > 4.99);
    CHECK(revenge_factor(s, 0, 0, params) <= 5.0);
    s.grievance.setConstant(params.revenge_half_per_100k);
    CHECK(revenge_factor(s, 0, 0, params) == Approx(3.0));
    s.grievance.setZero();
    CHECK(revenge_factor(s, 0, 0, params) == 1.0);
}
