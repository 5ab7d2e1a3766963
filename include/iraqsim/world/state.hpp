// The dynamic state of one replicate in one week, as structure-of-arrays over the roster's
// dimensions. A process reads last week's State and writes next week's.
#pragma once

#include <Eigen/Core>

#include "iraqsim/core/date.hpp"
#include "iraqsim/world/roster.hpp"

namespace iraqsim::world {

struct State {
    // Residents living at home, by province and community, persons. [province, community]
    Eigen::ArrayXXd residents;
    // Displaced inside Iraq, by province of origin and community, persons. [province, community]
    Eigen::ArrayXXd displaced;
    // Refugees abroad, by community, persons. [community]
    Eigen::ArrayXd refugees;
    // Violent deaths since the start, by province and community, persons. [province, community]
    Eigen::ArrayXXd violent_deaths;
    // The population at the start, and the persons added by growth since: with the stocks above,
    // everyone is accounted for (people_accounted(state) == initial_population + net_growth).
    double initial_population = 0;
    double net_growth = 0;
    // Share of each community in each province that supports each faction; the rest is
    // unaligned, so each row sums to at most 1. Row c * P + p holds community c in province p,
    // so that one community's block over all provinces is contiguous. [community x province, faction]
    Eigen::ArrayXXd loyalty;
    // US troops stationed in each province, persons. [province]
    Eigen::ArrayXd us_troops;
    // Share of those troops dispersed among the population (outposts) rather than on large bases. [province]
    Eigen::ArrayXd us_posture;
    // Armed fighters of each faction in each province, persons; for the government, the Iraqi
    // Security Forces. A stock. [province, faction]
    Eigen::ArrayXXd militia;
    // Backing by channel, row s * F + f for sponsor s and faction f: money, arms and training in US
    // dollars per week, political cover as a share of the sponsor's attention. [sponsor x faction, channel]
    Eigen::ArrayXXd backing;
    // Share of each faction's resources (own revenue + material backing) from each sponsor. [sponsor, faction]
    Eigen::ArrayXXd dependence;
    // Share of each community hostile to foreign presence. [province, community]
    Eigen::ArrayXXd nationalism;
    // How that hostility divides among the sponsors it sees; rows sum to 1. Row c * P + p as in
    // loyalty. [community x province, sponsor]
    Eigen::ArrayXXd nationalism_focus;

    [[nodiscard]] Eigen::Index loyalty_row(CommunityId c, ProvinceId p, Eigen::Index province_count) const {
        return static_cast<Eigen::Index>(c.index()) * province_count + static_cast<Eigen::Index>(p.index());
    }
};

// Residents + displaced + refugees + violent deaths.
double people_accounted(const State& state);

// Population-weighted support of each faction in each province, share of all residents.
// [province, faction]
Eigen::ArrayXXd support_by_province(const Roster& roster, const State& state);

// Residents, initial loyalty and militia from the embedded data (docs/model.md, "Initial state",
// "Factions and sponsors").
State make_initial_state(const Roster& roster);

}  // namespace iraqsim::world
