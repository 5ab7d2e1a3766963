// The dynamic state of one replicate in one week, as structure-of-arrays over the roster's
// dimensions. A process reads last week's State and writes next week's.
#pragma once

#include <Eigen/Core>

#include <array>

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

    // Share of each community's neighbours (district-level mixing) who belong to each community;
    // rows sum to 1. Falls as killing and flight unmix neighbourhoods. Row c * P + p.
    // [community x province, other_community]
    Eigen::ArrayXXd exposure;
    // Share of each community willing to pass tips to the security forces (Berman, Shapiro and
    // Felter 2011). [province, community]
    Eigen::ArrayXXd tips;
    // Sectarian hostility, 1 = the level of 2003; shocks (Samarra) raise it. [province]
    Eigen::ArrayXd tension;
    // al-Qaeda's predation on its own base: Sunni Arabs it killed per 100,000, smoothed. [province]
    Eigen::ArrayXd predation;
    // Each community's grievance: its civilians killed by factions of other communities (and the
    // US), per 100,000 members per week, smoothed (grievance.hpp). [province, community]
    Eigen::ArrayXXd grievance;
    // How each faction's organisation is split into cells: the number of cells of each size, in
    // units, as (size, count) pairs (model/cells.hpp). Empty until compile_model settles it.
    // [model::cell_rows(units), faction]
    Eigen::ArrayXXd cells;
    // Fighters held in detention, by province of capture and faction, persons. A stock: the
    // detained enter it and leave it when released (forces.hpp). [province, faction]
    Eigen::ArrayXXd detainees;
    // Arms stock of each faction, US dollars' worth. [faction]
    Eigen::ArrayXd arms;
    // Pressure on each faction: its losses as an annual share of its fighters, smoothed. [faction]
    Eigen::ArrayXd pressure;
    // The faction's own (non-sponsor) income this week, USD per week. [faction]
    Eigen::ArrayXd home_revenue;
    // Share of political control of each province held by each faction; rows sum to 1 where any
    // faction has fighters. [province, faction]
    Eigen::ArrayXXd control;

    // ---- Flows of this week (counts over the 7 days from the week's date) ----
    // Civilians killed, by victim community (row c * P + p) and perpetrator faction. [community x province, faction]
    Eigen::ArrayXXd civilians_killed_by;
    // Civilians killed by US forces. [province, community]
    Eigen::ArrayXXd civilians_killed_by_us;
    // Attacks on US and Iraqi forces, by attacking faction. [province, faction]
    Eigen::ArrayXXd attacks_by;
    Eigen::ArrayXd attacks_on_us;  // [province]
    Eigen::ArrayXd us_fatalities;  // [province]
    Eigen::ArrayXd isf_deaths;     // [province]
    Eigen::ArrayXXd fighters_killed;    // [province, faction]
    Eigen::ArrayXXd fighters_detained;  // [province, faction]
    // Of fighters_killed, those the US and Iraqi forces killed (targeting, campaigns, the
    // government's set battles, attackers killed in pitched battles with it), as the War
    // Logs' "enemy killed in action" would count them. [province, faction]
    Eigen::ArrayXXd fighters_killed_by_forces;
    // Detainees released this week (forces.hpp: some rejoin their faction). [province, faction]
    Eigen::ArrayXXd detainees_released;
    // Fighters killed in pitched and set battles between two factions, both sides, all of Iraq;
    // symmetric. Read by conditional policies (an intra-Shia battle such as Karbala 2007). [faction, faction]
    Eigen::ArrayXXd battle_deaths;
    // Share of a faction's fighters (and their supporters) moving to each faction that realigns or
    // splits from it this week, indexed by the receiving faction. [province, faction]
    Eigen::ArrayXXd defection;
    // Civilians killed in one-sided killing (not as bystanders of attacks or battles). [province, faction]
    Eigen::ArrayXXd civilians_killed_one_sided;
    // Incidents in which civilians died: one-sided killings, attacks and battles with civilian
    // victims, the forces' raids that killed civilians (model/violence.hpp). [province]
    Eigen::ArrayXd civilian_incidents;
    // What SIGACT-like reports and IBC-like counts would record. [province]
    Eigen::ArrayXd reported_attacks;
    Eigen::ArrayXd reported_civilian_deaths;
    // The incidents an IBC-like count would record (its deaths are reported_civilian_deaths). [province]
    Eigen::ArrayXd reported_civilian_incidents;
    // SIGACT-like reports of attacks on US and Iraqi forces only (the ESOC `SIG_1` count). [province]
    Eigen::ArrayXd reported_attacks_on_forces;
    // IBC-like deaths by the perpetrator categories of the ESOC-coded IBC data; the columns are
    // ibc_categories (coalition, insurgent, sectarian) and sum to reported_civilian_deaths. [province, 3]
    Eigen::ArrayXXd reported_civilian_deaths_by_category;
    // War Logs-like counts: enemies killed in action, and detentions (fighters and the suspects
    // picked up with them; ObservationParams::detained_fighter_share). [province]
    Eigen::ArrayXd reported_enemy_killed;
    Eigen::ArrayXd reported_enemy_detained;

    [[nodiscard]] Eigen::Index loyalty_row(CommunityId c, ProvinceId p, Eigen::Index province_count) const {
        return static_cast<Eigen::Index>(c.index()) * province_count + static_cast<Eigen::Index>(p.index());
    }
};

// The perpetrator categories of the ESOC-coded IBC data (data/observed/esoc_ibc_civcas_*).
inline constexpr std::array<const char*, 3> ibc_categories{"coalition", "insurgent", "sectarian"};

// Civilians killed this week by province (sum over communities and perpetrators, US included). [province]
Eigen::ArrayXd civilian_deaths(const State& state);

// Residents + displaced + refugees + violent deaths.
double people_accounted(const State& state);

// Population-weighted support of each faction in each province, share of all residents.
// [province, faction]
Eigen::ArrayXXd support_by_province(const Roster& roster, const State& state);

// Residents, initial loyalty and militia from the embedded data (docs/model.md, "Initial state",
// "Factions and sponsors").
State make_initial_state(const Roster& roster);

}  // namespace iraqsim::world
