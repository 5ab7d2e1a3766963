// What moves loyalty beyond diffusion and noise (docs/model.md, "Loyalty and information"):
//  - protection: a community attacked by others rallies to the armed factions that defend it;
//  - backlash: a faction (or the US) that kills a community's civilians loses its support
//    (Condra and Shapiro 2012);
//  - patronage: money a faction spends where it is present buys support;
//  - the nationalist penalty: support for a visibly foreign-backed faction falls with the
//    community's nationalism aimed at its sponsors (the seed's second paradox);
//  - realignment and splits carry the supporters of the fighters who move.
// Each acts as a log-rate on the faction's share (share x exp(delta), then renormalised with the
// unaligned share), so shares stay on the simplex. Against them, identity pulls each share back
// toward its anchor (the initial loyalty, from the December 2005 vote) at a weekly rate: loyalty is
// an Ornstein-Uhlenbeck process in log-share, whose resting point the forces shift by delta / pull,
// so a standing force moves support by a bounded amount instead of without end.
// Tips, the information civilians share with the security forces (Berman, Shapiro and Felter
// 2011), follow support for the factions that do not fight them, less the intimidation of armed
// enemies the security forces do not hold off.
#pragma once

#include "iraqsim/model/relations.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

struct LoyaltyForceParams {
    // Weekly pull of each log-share back toward its anchor. Default 0.01 (half-life about 70
    // weeks: Iraqi voting blocs were stable from January to December 2005 and into 2010).
    double identity_pull = 0.01;
    // Log-rate of support per civilian of the community killed by others per 10,000 members,
    // for its defenders in proportion to their share of the defence. Default 0.5.
    double protection = 0.5;
    // Log-rate of support lost per civilian of the community killed by the faction per 10,000
    // members. Default 2.
    double backlash = 2.0;
    // Log-rate of support per USD a week the faction spends per resident of the province. Default 0.001.
    double patronage = 0.001;
    // Weekly log-rate lost at full nationalism, focus and dependence on the focused sponsor, per
    // unit of foreignness. Default 0.05.
    double nationalist_penalty = 0.05;
    // Weekly log-rate gained at full nationalism and focus on the US by the factions that attack US
    // forces (splinters excepted), shared among them by their fighters in the province: the other
    // face of the same nationalism, the standing of those who resist the occupier. Default 0 (off;
    // the calibration sets it).
    double resistance = 0.0;
    // Tips: weekly share of the gap to the target closed. Default 0.05.
    double tips_rate = 0.05;
    // Willingness of unaligned civilians to pass tips, relative to supporters of the security
    // forces' side. Default 0.2.
    double tips_unaligned = 0.2;
    // Enemy fighters per 1,000 members at which intimidation halves tips (unprotected). Default 2.
    double intimidation_half_per_1000 = 2.0;
};

// The forces' log-rates on each faction's share in each community and province, but for
// identity's pull and the level of nationalism: `forces` (backlash, US harm, protection,
// patronage) and `nationalist` (the penalty per unit of nationalism). [community x province,
// faction]; with `supported_only`, only where next's share is non-zero (zero elsewhere).
struct LoyaltyForceTerms {
    Eigen::ArrayXXd forces;
    Eigen::ArrayXXd nationalist;
};
LoyaltyForceTerms loyalty_force_terms(const world::Roster& roster, const world::State& prev, const world::State& next,
                                      const LoyaltyForceParams& params, bool supported_only);

// Adds the forces' log-rates to the drive (loyalty.hpp), from next's violence, forces, backing and
// nationalism and next's (diffused) loyalty. `anchor`: the loyalty identity pulls toward (the
// initial loyalty); a faction with no anchor (one history produced later) feels no pull.
void add_loyalty_forces(const world::Roster& roster, const world::State& prev, const world::State& next,
                        const LoyaltyForceParams& params, const Eigen::ArrayXXd& anchor, Eigen::ArrayXXd& drive);
void add_loyalty_forces(const Relations& relations, const world::State& prev, const world::State& next,
                        const LoyaltyForceParams& params, const Eigen::ArrayXXd& anchor, Eigen::ArrayXXd& drive);

// Supporters follow the fighters who realigned or split this week (next.defection).
void transfer_loyalty(const world::Roster& roster, world::State& next);

// The forces alone, applied to next.loyalty, then the transfers (a step with no noise).
void apply_loyalty_forces(const world::Roster& roster, const world::State& prev, world::State& next,
                          const LoyaltyForceParams& params, const Eigen::ArrayXXd& anchor);

// next.tips from prev.tips, moving toward the target next's loyalty and forces imply.
// `protection` [province]: the security forces' protection (0-1), violence.hpp.
void update_tips(const world::Roster& roster, const world::State& prev, world::State& next, const LoyaltyForceParams& params,
                 const Eigen::ArrayXd& protection);
void update_tips(const Relations& relations, const world::State& prev, world::State& next, const LoyaltyForceParams& params,
                 const Eigen::ArrayXd& protection);

// Whether the faction fights the US or the Iraqi government (its supporters share no tips).
bool fights_security_forces(const world::Roster& roster, std::size_t faction);

}  // namespace iraqsim::model
