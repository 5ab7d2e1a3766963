#include "iraqsim/model/loyalty_forces.hpp"

#include <algorithm>
#include <cmath>

#include "iraqsim/model/loyalty.hpp"
#include "iraqsim/model/relations.hpp"

namespace iraqsim::model {
namespace {

// The week's quantities the force terms share: per faction (spending, ties, foreignness), then per
// row (one community in one province) as the caller visits it. Built once per call, so the terms
// of a cell cost a few multiplications and no allocation per row.
class ForceField {
public:
    ForceField(const Relations& relations, const world::State& prev, const world::State& next, const LoyaltyForceParams& params)
        : prev_(prev), next_(next), params_(params), base_(relations.base), defender_(relations.base),
          resists_us_(relations.resists_us), us_(relations.us) {
        const world::Roster& roster = *relations.roster;
        const auto F = static_cast<Eigen::Index>(roster.faction_count());
        const auto S = static_cast<Eigen::Index>(roster.sponsor_count());
        P_ = static_cast<Eigen::Index>(roster.province_count());
        const Eigen::Index us = relations.us;
        // The state's forces protect through the violence process (protection), not by a rally of
        // loyalty: in 2006 the Shia turned to the militias because the state did not protect them.
        if (relations.government >= 0) defender_.col(relations.government).setConstant(false);
        // Money each faction spends per week (own revenue and money backing), and its fighters.
        Eigen::ArrayXd spending = next.home_revenue;
        for (Eigen::Index s = 0; s < S; ++s)
            for (Eigen::Index f = 0; f < F; ++f) spending(f) += next.backing(s * F + f, 0);
        const Eigen::ArrayXd fighters = next.militia.colwise().sum().transpose();
        // Nationalist exposure of each faction to each sponsor: dependence x foreignness [sponsor,
        // faction].
        foreign_ = next.dependence;
        for (Eigen::Index f = 0; f < F; ++f) foreign_.col(f) *= roster.factions[static_cast<std::size_t>(f)].foreignness;
        // Per faction: the US's share in its backlash for the civilians the US kills, and the money
        // it spends per fighter (patronage goes where its fighters are).
        us_tie_.resize(F);
        spend_per_fighter_.resize(F);
        for (Eigen::Index f = 0; f < F; ++f) {
            us_tie_(f) = us >= 0 ? next.dependence(us, f) : 0.0;
            spend_per_fighter_(f) = fighters(f) > 0 ? spending(f) / fighters(f) : 0.0;
        }
        // The resisters' fighters in each province, among whom the resistance's standing is shared.
        resisting_ = Eigen::ArrayXd::Zero(P_);
        for (Eigen::Index p = 0; p < P_; ++p)
            for (Eigen::Index f = 0; f < F; ++f)
                if (resists_us_[static_cast<std::size_t>(f)]) resisting_(p) += next.militia(p, f);
    }

    // Moves to community c in province p; false if the community has no members there.
    bool visit(Eigen::Index p, Eigen::Index c) {
        p_ = p;
        c_ = c;
        row_ = c * P_ + p;
        const double members = prev_.residents(p, c);
        if (members <= 0) return false;
        const double residents = next_.residents.row(p).sum();
        patronage_ = residents > 0 ? params_.patronage / residents : 0.0;
        per_10k_ = 1e4 / members;
        // Killed by others than the community's own factions, US included.
        double by_others = next_.civilians_killed_by_us(p, c);
        double defence = 0;
        for (Eigen::Index f = 0; f < base_.cols(); ++f) {
            if (defender_(c, f)) defence += next_.militia(p, f);
            if (!base_(c, f)) by_others += next_.civilians_killed_by(row_, f);
        }
        us_harm_ = next_.civilians_killed_by_us(p, c) * per_10k_;
        rally_ = defence > 0 ? params_.protection * by_others * per_10k_ / defence : 0.0;
        // The standing resistance earns is shared among the province's resisters by their fighters,
        // as the rally is among the defenders: it does not multiply with the number of factions.
        resistance_per_fighter_ =
            us_ >= 0 && resisting_(p) > 0 ? params_.resistance * next_.nationalism_focus(row_, us_) / resisting_(p) : 0.0;
        return true;
    }
    [[nodiscard]] Eigen::Index row() const { return row_; }

    // Backlash, US harm, protection and patronage on faction f's share in the current row.
    [[nodiscard]] double force(Eigen::Index f) const {
        double d = -params_.backlash * (next_.civilians_killed_by(row_, f) * per_10k_ + us_harm_ * us_tie_(f));
        if (defender_(c_, f)) d += rally_ * next_.militia(p_, f);
        if (base_(c_, f)) d += patronage_ * spend_per_fighter_(f) * next_.militia(p_, f);
        return d;
    }
    // The nationalist penalty per unit of nationalism on faction f's share in the current row, less
    // the standing nationalism gives those who resist the US when its focus is on the US.
    [[nodiscard]] double nationalist(Eigen::Index f) const {
        double focus = 0;
        for (Eigen::Index s = 0; s < foreign_.rows(); ++s) focus += next_.nationalism_focus(row_, s) * foreign_(s, f);
        double penalty = params_.nationalist_penalty * focus;
        if (resists_us_[static_cast<std::size_t>(f)]) penalty -= resistance_per_fighter_ * next_.militia(p_, f);
        return penalty;
    }

private:
    const world::State& prev_;
    const world::State& next_;
    const LoyaltyForceParams& params_;
    const Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>& base_;  // [community, faction]
    Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> defender_;     // [community, faction]
    Eigen::ArrayXXd foreign_;                                             // [sponsor, faction]
    Eigen::ArrayXd us_tie_, spend_per_fighter_;                           // [faction]
    const std::vector<char>& resists_us_;                                 // [faction]
    Eigen::ArrayXd resisting_;                                            // [province]
    Eigen::Index us_;
    Eigen::Index P_ = 0, p_ = 0, c_ = 0, row_ = 0;
    double patronage_ = 0, per_10k_ = 0, us_harm_ = 0, rally_ = 0, resistance_per_fighter_ = 0;
};

}  // namespace

bool fights_security_forces(const world::Roster& roster, std::size_t faction) {
    const std::optional<world::FactionId> gov = roster.find_faction("government");
    for (const world::ViolenceTarget& t : roster.factions[faction].violence_targets) {
        if (t.kind == world::ViolenceTarget::Kind::us_forces) return true;
        if (t.kind == world::ViolenceTarget::Kind::faction && gov && t.index == gov->index()) return true;
    }
    return false;
}

LoyaltyForceTerms loyalty_force_terms(const world::Roster& roster, const world::State& prev, const world::State& next,
                                      const LoyaltyForceParams& params, bool supported_only) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    const Relations relations(roster);
    ForceField field(relations, prev, next, params);
    LoyaltyForceTerms terms{Eigen::ArrayXXd::Zero(C * P, F), Eigen::ArrayXXd::Zero(C * P, F)};
    for (Eigen::Index p = 0; p < P; ++p) {
        for (Eigen::Index c = 0; c < C; ++c) {
            if (!field.visit(p, c)) continue;
            const Eigen::Index row = field.row();
            for (Eigen::Index f = 0; f < F; ++f) {
                if (supported_only && next.loyalty(row, f) == 0) continue;
                terms.forces(row, f) = field.force(f);
                terms.nationalist(row, f) = field.nationalist(f);
            }
        }
    }
    return terms;
}

void add_loyalty_forces(const world::Roster& roster, const world::State& prev, const world::State& next,
                        const LoyaltyForceParams& params, const Eigen::ArrayXXd& anchor, Eigen::ArrayXXd& drive) {
    add_loyalty_forces(Relations(roster), prev, next, params, anchor, drive);
}

void add_loyalty_forces(const Relations& relations, const world::State& prev, const world::State& next,
                        const LoyaltyForceParams& params, const Eigen::ArrayXXd& anchor, Eigen::ArrayXXd& drive) {
    const world::Roster& roster = *relations.roster;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    ForceField field(relations, prev, next, params);
    for (Eigen::Index p = 0; p < P; ++p) {
        for (Eigen::Index c = 0; c < C; ++c) {
            if (!field.visit(p, c)) continue;
            const Eigen::Index row = field.row();
            for (Eigen::Index f = 0; f < F; ++f) {
                const double share = next.loyalty(row, f);
                if (share == 0) continue;  // a zero share stays zero (transfers start it)
                double d = field.force(f) - next.nationalism(p, c) * field.nationalist(f);
                const double home = anchor(row, f);
                if (home > 0) d -= params.identity_pull * std::log(share / home);
                drive(row, f) += d;
            }
        }
    }
}

void transfer_loyalty(const world::Roster& roster, world::State& next) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    for (Eigen::Index to = 0; to < F; ++to) {
        const world::Faction& receiver = roster.factions[static_cast<std::size_t>(to)];
        for (const auto& source : {receiver.realigns_from, receiver.splinter_of}) {
            if (!source) continue;
            const auto from = static_cast<Eigen::Index>(source->index());
            for (Eigen::Index p = 0; p < P; ++p) {
                const double share = next.defection(p, to);
                if (share <= 0) continue;
                for (Eigen::Index c = 0; c < C; ++c) {
                    const double moved = share * next.loyalty(c * P + p, from);
                    next.loyalty(c * P + p, from) -= moved;
                    next.loyalty(c * P + p, to) += moved;
                }
            }
        }
    }
}

void apply_loyalty_forces(const world::Roster& roster, const world::State& prev, world::State& next,
                          const LoyaltyForceParams& params, const Eigen::ArrayXXd& anchor) {
    Eigen::ArrayXXd drive = zero_drive(next);
    add_loyalty_forces(roster, prev, next, params, anchor, drive);
    apply_loyalty_drive(next, drive);
    transfer_loyalty(roster, next);
}

void update_tips(const world::Roster& roster, const world::State& prev, world::State& next, const LoyaltyForceParams& params,
                 const Eigen::ArrayXd& protection) {
    update_tips(Relations(roster), prev, next, params, protection);
}

void update_tips(const Relations& relations, const world::State& prev, world::State& next, const LoyaltyForceParams& params,
                 const Eigen::ArrayXd& protection) {
    const world::Roster& roster = *relations.roster;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    const auto& base = relations.base;
    // Tips: support for the side of the security forces, less intimidation.
    const std::vector<char>& hostile = relations.fights_security_forces;
    for (Eigen::Index p = 0; p < P; ++p) {
        for (Eigen::Index c = 0; c < C; ++c) {
            const Eigen::Index row = c * P + p;
            const double members = next.residents(p, c);
            if (members <= 0) continue;
            double friendly = 0, enemies = 0;
            for (Eigen::Index f = 0; f < F; ++f) {
                if (hostile[static_cast<std::size_t>(f)]) {
                    if (base(c, f)) enemies += next.militia(p, f);
                } else {
                    friendly += next.loyalty(row, f);
                }
            }
            const double unaligned = std::max(0.0, 1.0 - next.loyalty.row(row).sum());
            const double per_1000 = enemies * 1000.0 / members * (1.0 - protection(p));
            const double intimidation = per_1000 / (per_1000 + params.intimidation_half_per_1000);
            const double target = std::min(1.0, friendly + params.tips_unaligned * unaligned) * (1.0 - intimidation);
            next.tips(p, c) = prev.tips(p, c) + params.tips_rate * (target - prev.tips(p, c));
        }
    }
}

}  // namespace iraqsim::model
