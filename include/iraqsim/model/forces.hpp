// Recruitment, attrition, realignment and splits (docs/model.md, "Forces"): the armed strength of
// each faction in each province, and its arms.
//
// Fighters grow logistically toward a capacity: the supporters willing to take up arms (volunteer factions) or
// the base-community men a faction can hire (salaried ones), limited by what the faction can pay.
// Losses (killed, detained) come off first. Fighters realign from a faction to one that draws on
// it (Sunni insurgents to the Awakening) as a function of al-Qaeda's predation on their community,
// local protection and pay, but only where a sponsor openly backs the receiving faction; a
// splinter forms (JAM's Special Groups) when the parent's cohesion is low and a sponsor courts its
// commanders, faster when the leader orders a ceasefire the hardliners reject.
#pragma once

#include <Eigen/Core>

#include <utility>
#include <vector>

#include "iraqsim/model/levers.hpp"
#include "iraqsim/model/relations.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

struct ForcesParams {
    // Largest share of a volunteer faction's supporters under arms. Default 0.02.
    double volunteer_mobilisation = 0.02;
    // Largest share of a salaried faction's base communities it can hire. Default 0.04.
    double salaried_mobilisation = 0.04;
    // Logistic growth rate of a salaried faction's fighters below capacity, per week (doubling in
    // about 35 weeks: the ISF grew from about 10,000 in mid-2003 to 560,000 in 2008). Default 0.02.
    double recruitment_rate = 0.02;
    // The same for a volunteer militia (doubling in about 14 weeks: the Mahdi Army grew from about
    // 1,000 in May 2003 to about 10,000 at the April 2004 uprising). Default 0.05.
    double volunteer_recruitment_rate = 0.05;
    // Where a sponsor offers a wage by policy, the weekly share of the open positions filled
    // (the Sons of Iraq grew to about 100,000 within a year of mid-2007). Default 0.04.
    double wage_hiring_rate = 0.04;
    // Weekly share of the excess over capacity that leaves. Default 0.01.
    double demobilisation_rate = 0.01;
    // Arms (USD) per fighter at which half of the fighters are armed. Default 500.
    double arms_per_fighter_usd = 500;
    // Arms stock at the start, as a multiple of arms_per_fighter_usd per fighter (Iraq's looted
    // depots of 2003). Default 3.
    double initial_arms_ratio = 3;
    // Share of own revenue and money backing spent on arms. Default 0.2.
    double arms_share_of_money = 0.2;
    // Weekly loss of the arms stock (wear, seizure). Default 0.005.
    double arms_depreciation = 0.005;
    // Arms used per attack, USD. Default 300.
    double arms_per_attack_usd = 300;
    // Realignment: at most this weekly share of the source faction's fighters switch. Default 0.02.
    double realignment_max_rate = 0.02;
    // Logistic weights of predation (Sunni Arabs killed by al-Qaeda per 100,000 per week,
    // smoothed), protection (0-1) and pay (wage offered / fighter cost), and the threshold.
    double realignment_predation = 1.0;
    double realignment_protection = 2.0;
    double realignment_pay = 1.0;
    double realignment_threshold = 3.0;
    // Where a pay grant hires for the receiver, at most this share of the hires are the source's
    // fighters (times their willingness, the realignment logistic). Default 1.
    double realignment_hire_share = 1.0;
    // Mean weeks a detained fighter is held (release at a constant hazard of 1/detention_weeks).
    // Default 104: Little's law on Task Force 134's figures of mid-2008, about 23,000 held and
    // about 30 admitted a day (Washington Times, 2008-08-12), gives 110 weeks.
    double detention_weeks = 104;
    // Share of the released who rejoin their faction; the rest go home. Default 0.25 (assumption:
    // TF-134's re-capture rate of about 1% in 2008 is a floor, and former Bucca detainees led the
    // Islamic State of Iraq: docs/model.md, "Detention").
    double released_rejoin_share = 0.25;
    // Splits: at most this weekly share of the parent's fighters leave for the splinter.
    double split_max_rate = 0.01;
    // How much a ceasefire order the hardliners reject speeds the split. Default 2.
    double split_ceasefire_push = 2.0;
    // Weeks over which pressure (losses as an annual share of fighters) is averaged. Default 26.
    double pressure_weeks = 26;
    // Home revenue falls as base / (1 + elasticity x pressure). Default 2.
    double revenue_pressure_elasticity = 2.0;
    // Weeks over which al-Qaeda's predation is remembered. Default 26.
    double predation_weeks = 26;
};

// Share of each faction's fighters that are armed, from its arms stock. [faction]
Eigen::ArrayXd armed_share(const world::State& state, const ForcesParams& params);

// Arms at the start for the initial fighters.
void initialise_arms(world::State& state, const ForcesParams& params);

// Writes next.militia, next.detainees, next.detainees_released, next.arms, next.defection,
// next.pressure, next.home_revenue and next.predation from prev and this week's violence (already in next).
void update_forces(const world::Roster& roster, const world::State& prev, world::State& next, const Levers& levers,
                   const ForcesParams& params, const Eigen::ArrayXd& protection);
void update_forces(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers,
                   const ForcesParams& params, const Eigen::ArrayXd& protection);

// What update_forces reuses from week to week (kept by the Simulation), so that no week allocates.
struct ForcesScratch {
    Eigen::ArrayXd pool;                 // [province] one faction's recruitment pool
    Eigen::ArrayXXd capacity_of;         // [province, faction]
    Eigen::ArrayXXd hired_of;            // [province, faction] hires under pay grants this week
    std::vector<std::pair<const Grant*, double>> grant_pools;  // one faction's grants and their pools
};
void update_forces(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers,
                   const ForcesParams& params, const Eigen::ArrayXd& protection, ForcesScratch& scratch);

}  // namespace iraqsim::model
