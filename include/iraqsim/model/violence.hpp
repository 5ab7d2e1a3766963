// Violence, four kinds (docs/model.md, "Violence"):
//  1. attacks on US and Iraqi forces, scaling with the attackers' armed strength and with the
//     troops' exposure (posture: dispersed outposts are easier to reach);
//  2. targeting of the security forces' enemies by US and Iraqi forces, limited by the
//     intelligence civilians share (Kress and Szechtman 2009): what tips do not guide hits
//     civilians instead;
//  3. one-sided sectarian killing, scaling with the killers' armed strength, the victims' exposure
//     to them (mixed neighbourhoods), hostility (tension) and the protection the victims lack;
//  4. rare pitched battles between co-located hostile forces, by Lanchester's square law.
// Counts are drawn per province as Poisson numbers of incidents; each killing incident's size is
// drawn from a truncated power law, so event-size statistics emerge (Bohorquez et al. 2009).
#pragma once

#include <cstdint>
#include <vector>

#include "iraqsim/model/cells.hpp"
#include "iraqsim/model/levers.hpp"
#include "iraqsim/model/relations.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::engine {
class StepContext;
}

namespace iraqsim::model {

// One killing incident, as the incident log records it.
struct Incident {
    enum class Kind : std::uint8_t { one_sided, battle };
    int week = 0;
    std::uint16_t province = 0;
    std::uint16_t perpetrator = 0;  // faction index
    Kind kind = Kind::one_sided;
    std::uint16_t target = 0;  // community index (one_sided) or faction index (battle)
    double deaths = 0;         // civilians (one_sided); fighters lost on both sides and civilians (battle)
};

struct ViolenceParams {
    // Attacks per armed fighter-week of effort aimed at forces present in strength. Default 0.08.
    double attack_rate = 0.08;
    // US troops per 1,000 residents of a province at which its attackers find half of what they
    // would find in strength: a province's insurgents meet the troops as densely as they are
    // spread among its people (Anbar's 30 per 1,000 in 2004-2006, Baghdad's 7), not as many as
    // there are. Calibrated (docs/validation.md); the FM 3-24 ratio of 20 per 1,000 is the density
    // of a full counterinsurgency. Hand-set default 3: the former half presence, 3,000 troops, in a
    // governorate of about a million residents.
    double troop_half_per_1000 = 3.0;
    // Exposure of dispersed troops relative to troops on large bases. Default 3 (outposts reached
    // three times as easily; US fatalities rose in the first months of the 2007 dispersal).
    double dispersed_exposure = 3.0;
    // How far a faction's attacks on the security forces are set by its own effort rather than by
    // the forces within its reach (0-1). Its attacks on US and Iraqi forces together are
    // attack_rate x effort x weight x S / (1 - s + s S), S its forces' mean presence (0-1): at 0
    // they grow with the forces present (each added soldier an added target); towards 1 a faction
    // attacks nearly as often however few the forces, and added US troops draw its attacks from
    // the Iraqi forces more than they add to them (substitution among targets, Enders and Sandler
    // 1993; the War Logs' host-nation share of casualties, 26% in early 2004 and 69% in late 2006
    // as the Iraqi forces grew). Default 0: no substitution.
    double attack_substitution = 0.0;
    // US fatalities per attack on US forces. Default 0.03.
    double us_lethality = 0.03;
    // Iraqi security force deaths per attack on them. Default 0.08.
    double isf_lethality = 0.08;
    // Civilians killed per attack on forces (IEDs, crossfire). Default 0.08.
    double civilians_per_attack = 0.08;
    // Fighters of another faction at which it is found half as easily as in strength.
    double faction_half_presence = 500;
    // Civilians killed per armed fighter-week of effort aimed at a community, at full exposure,
    // tension 1 and no protection. Default 0.15.
    double sectarian_rate = 0.15;
    // Incident sizes: the cells that carry the incidents out (cells.hpp).
    CellParams cells;
    // Security forces (US dispersed troops, Iraqi forces) per 1,000 residents giving half
    // protection. Default 20 (the FM 3-24 ratio).
    double protection_half_per_1000 = 20;
    // Share of the Iraqi forces' protection withheld from the communities outside the government's
    // community base: a partisan police and army guard their own (docs/model.md). Default 1.
    double isf_partisanship = 1;
    // Targeting: enemy fighters removed per security person-week at full intelligence. Default 0.002.
    double targeting_rate = 0.002;
    // Effectiveness of an Iraqi security person relative to a US soldier in targeting. Default 0.3.
    double isf_effectiveness = 0.3;
    // Intelligence a faction openly backed by a sponsor gives the security forces on the enemies it
    // fights, where it is strongly present (0-1, like the tips of a community). Default 0.5.
    double partner_intelligence = 0.5;
    // Share of the fighters removed who are killed (the rest detained). Default 0.3.
    double kill_share = 0.3;
    // Civilians killed per 1,000 security person-weeks of targeting effort that intelligence does
    // not guide, in contact with the enemy. Default 0.1.
    double collateral_per_1000 = 0.1;
    // Weekly chance of a pitched battle between two co-located hostile factions at full
    // hostility. Default 0.05.
    double battle_rate = 0.05;
    // Share of each side's effective fighters engaged in a battle. Default 0.05.
    double battle_engaged = 0.05;
    // Lanchester aimed-fire coefficient over a battle: the share of the enemy each armed fighter
    // puts out of action. Default 0.2.
    double battle_lethality = 0.2;
    // Civilians killed per fighter lost in battle. Default 0.5.
    double civilians_per_battle_loss = 0.5;
    // US soldiers killed per enemy fighter killed in a government offensive's set battles, for the
    // US share of the attacking force. Default 0.06 (the second battle of Fallujah: about 95 US
    // dead against 1,200-1,500 insurgents killed by US count).
    double us_deaths_per_enemy_killed = 0.06;
    // Revenge (grievance.hpp): at most a (1 + revenge_max)-fold rise of a faction's killing of
    // other communities when its own community's grievance is high, half of it at
    // revenge_half_per_100k. Default 0 (off) until calibrated (issue 8).
    double revenge_max = 0;
    double revenge_half_per_100k = 5;
    // Weeks over which a community remembers its dead (the grievance's smoothing). Default 26.
    double grievance_weeks = 26;
};

// Lanchester's square law for aimed fire over unit time: dB/dt = -r R, dR/dt = -b B. Returns the
// survivors (B, R), stopping when one side is destroyed; b B^2 - r R^2 is conserved.
std::pair<double, double> lanchester_square(double blue, double red, double blue_effect, double red_effect);

// Writes this week's violence flows into `next` (civilians_killed_by[_us], attacks_by,
// attacks_on_us, us_fatalities, isf_deaths, fighters_killed, fighters_detained) from prev's forces,
// exposure, tips and tension and next's US troops and posture.
// Protection the security forces give civilians (0-1): US troops dispersed among the population
// and armed Iraqi forces (prev's), per 1,000 residents, against protection_half_per_1000; US troops
// and posture are next's (this week's). [province]
Eigen::ArrayXd security_protection(const world::Roster& roster, const world::State& prev, const world::State& next,
                                   const Eigen::ArrayXd& armed, const ViolenceParams& params);
Eigen::ArrayXd security_protection(const Relations& relations, const world::State& prev, const world::State& next,
                                   const Eigen::ArrayXd& armed, const ViolenceParams& params);
// The protection each community has against one-sided killing (0-1): as security_protection, with
// the Iraqi forces counted at 1 - isf_partisanship for a community outside the government's
// community base. [province, community]
Eigen::ArrayXXd community_protection(const Relations& relations, const world::State& prev, const world::State& next,
                                     const Eigen::ArrayXd& armed, const ViolenceParams& params);

// What the cell and violence processes reuse from week to week (kept by the Simulation), so
// that the cells' storage is not allocated again every week.
struct ViolenceScratch {
    CellProcess process;            // one faction's cells while update_cells moves them
    std::vector<CellCensus> cells;  // every faction's cells this week, as update_violence reads them
};

// `incidents`, when given, receives every killing incident of the week; its perpetrator is drawn
// from a stream of its own, so that logging never changes the run.
// `armed` [faction]: the share of each faction's fighters that are armed (forces.hpp); `protection`
// [province, community]: each community's protection against one-sided killing (community_protection).
void update_violence(const world::Roster& roster, const world::State& prev, world::State& next, const Levers& levers,
                     const Eigen::ArrayXd& armed, const Eigen::ArrayXXd& protection, const ViolenceParams& params,
                     const engine::StepContext& ctx, std::vector<Incident>* incidents = nullptr);
void update_violence(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers,
                     const Eigen::ArrayXd& armed, const Eigen::ArrayXXd& protection, const ViolenceParams& params,
                     const engine::StepContext& ctx, ViolenceScratch& scratch, std::vector<Incident>* incidents = nullptr);

}  // namespace iraqsim::model
