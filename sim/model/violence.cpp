#include "iraqsim/model/violence.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/model/grievance.hpp"

namespace iraqsim::model {
namespace {

using world::ViolenceTarget;
using Kind = world::ViolenceTarget::Kind;

// Intelligence on faction e in province p: the tips of its own communities, population-weighted.
double community_tips(const world::Roster& roster, const world::State& prev, Eigen::Index p, Eigen::Index e) {
    double tips = 0, weight = 0;
    for (world::CommunityId c : roster.factions[static_cast<std::size_t>(e)].community_base) {
        tips += prev.tips(p, static_cast<Eigen::Index>(c.index())) * prev.residents(p, static_cast<Eigen::Index>(c.index()));
        weight += prev.residents(p, static_cast<Eigen::Index>(c.index()));
    }
    return weight > 0 ? tips / weight : 0.0;
}

// Intelligence on faction e from the factions a sponsor openly backs in province p that fight it
// (the Sons of Iraq on al-Qaeda): the best informant, by its presence.
double partner_tips(const Relations& relations, const world::State& prev, const Levers& levers, Eigen::Index p, Eigen::Index e,
                    const ViolenceParams& params) {
    double best = 0;
    for (Eigen::Index a = 0; a < relations.targets.rows(); ++a) {
        if (!relations.targets(a, e) || !levers.openly_backed(static_cast<std::size_t>(a), static_cast<std::size_t>(p))) continue;
        const double present = prev.militia(p, a);
        best = std::max(best, params.partner_intelligence * present / (present + params.faction_half_presence));
    }
    return best;
}

}  // namespace

std::pair<double, double> lanchester_square(double blue, double red, double blue_effect, double red_effect) {
    // dB/dt = -r R, dR/dt = -b B: B(t) = B cosh(kt) - sqrt(r/b) R sinh(kt), k = sqrt(b r).
    if (blue <= 0 || red <= 0) return {blue, red};
    // A side that cannot hurt the other is still worn down, linearly, by the other's constant fire.
    if (blue_effect <= 0 && red_effect <= 0) return {blue, red};
    if (blue_effect <= 0) return {std::max(0.0, blue - red_effect * red), red};
    if (red_effect <= 0) return {blue, std::max(0.0, red - blue_effect * blue)};
    const double k = std::sqrt(blue_effect * red_effect);
    const double blue_strength = blue_effect * blue * blue, red_strength = red_effect * red * red;
    // Time at which the weaker side is destroyed, if within the unit time.
    double t = 1.0;
    if (blue_strength < red_strength) t = std::min(t, std::atanh(std::sqrt(blue_effect / red_effect) * blue / red) / k);
    if (red_strength < blue_strength) t = std::min(t, std::atanh(std::sqrt(red_effect / blue_effect) * red / blue) / k);
    const double c = std::cosh(k * t), s = std::sinh(k * t);
    const double b = std::max(0.0, blue * c - std::sqrt(red_effect / blue_effect) * red * s);
    const double r = std::max(0.0, red * c - std::sqrt(blue_effect / red_effect) * blue * s);
    return {b, r};
}

Eigen::ArrayXd security_protection(const world::Roster& roster, const world::State& prev, const world::State& next,
                                   const Eigen::ArrayXd& armed, const ViolenceParams& params) {
    return security_protection(Relations(roster), prev, next, armed, params);
}

namespace {

// Security persons per 1,000 residents of province p: US troops as dispersed as their posture, and
// the armed Iraqi forces counted at `isf_reach`.
double guards_per_1000(const Relations& relations, const world::State& prev, const world::State& next, const Eigen::ArrayXd& armed,
                       Eigen::Index p, double residents, double isf_reach) {
    const Eigen::Index gov = relations.government;
    const double isf = gov >= 0 ? prev.militia(p, gov) * armed(gov) : 0.0;
    return (next.us_troops(p) * next.us_posture(p) + isf * isf_reach) * 1000.0 / residents;
}

}  // namespace

Eigen::ArrayXd security_protection(const Relations& relations, const world::State& prev, const world::State& next,
                                   const Eigen::ArrayXd& armed, const ViolenceParams& params) {
    const Eigen::Index P = prev.residents.rows();
    Eigen::ArrayXd protection = Eigen::ArrayXd::Zero(P);
    for (Eigen::Index p = 0; p < P; ++p) {
        const double residents = prev.residents.row(p).sum();
        if (residents <= 0) continue;
        const double guards = guards_per_1000(relations, prev, next, armed, p, residents, 1.0);
        protection(p) = guards / (guards + params.protection_half_per_1000);
    }
    return protection;
}

Eigen::ArrayXXd community_protection(const Relations& relations, const world::State& prev, const world::State& next,
                                     const Eigen::ArrayXd& armed, const ViolenceParams& params) {
    const Eigen::Index P = prev.residents.rows(), C = prev.residents.cols(), gov = relations.government;
    Eigen::ArrayXd reach(C);
    for (Eigen::Index c = 0; c < C; ++c) reach(c) = gov < 0 || relations.base(c, gov) ? 1.0 : 1.0 - params.isf_partisanship;
    Eigen::ArrayXXd protection = Eigen::ArrayXXd::Zero(P, C);
    for (Eigen::Index p = 0; p < P; ++p) {
        const double residents = prev.residents.row(p).sum();
        if (residents <= 0) continue;
        for (Eigen::Index c = 0; c < C; ++c) {
            const double guards = guards_per_1000(relations, prev, next, armed, p, residents, reach(c));
            protection(p, c) = guards / (guards + params.protection_half_per_1000);
        }
    }
    return protection;
}

void update_violence(const world::Roster& roster, const world::State& prev, world::State& next, const Levers& levers,
                     const Eigen::ArrayXd& armed, const Eigen::ArrayXXd& protection, const ViolenceParams& params,
                     const engine::StepContext& ctx, std::vector<Incident>* incidents) {
    ViolenceScratch scratch;
    update_violence(Relations(roster), prev, next, levers, armed, protection, params, ctx, scratch, incidents);
}

void update_violence(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers,
                     const Eigen::ArrayXd& armed, const Eigen::ArrayXXd& protection, const ViolenceParams& params,
                     const engine::StepContext& ctx, ViolenceScratch& scratch, std::vector<Incident>* incidents) {
    const world::Roster& roster = *relations.roster;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    next.civilians_killed_by.setZero();
    next.civilians_killed_by_us.setZero();
    next.attacks_by.setZero();
    next.attacks_on_us.setZero();
    next.us_fatalities.setZero();
    next.isf_deaths.setZero();
    next.fighters_killed.setZero();
    // Sized here as well as zeroed: this process owns these flows, whoever built the state.
    next.battle_deaths.setZero(F, F);
    next.civilians_killed_one_sided.setZero(P, F);
    next.fighters_detained.setZero();
    next.fighters_killed_by_forces.setZero(P, F);
    next.civilian_incidents.setZero(P);
    auto record_battle = [&](Eigen::Index f, Eigen::Index g, double killed) {
        next.battle_deaths(f, g) += killed;
        next.battle_deaths(g, f) += killed;
    };

    const Eigen::Index gov = relations.government;
    if (next.cells.cols() != F || next.cells.rows() == 0)
        throw std::logic_error("update_violence: the state has no cells (compile_model or settled_cells makes them)");
    // The cells each faction's incidents come from this week, and their mean size.
    std::vector<CellCensus>& cells = scratch.cells;
    cells.resize(static_cast<std::size_t>(F));
    Eigen::ArrayXd mean_size(F);
    for (Eigen::Index f = 0; f < F; ++f) {
        cells[static_cast<std::size_t>(f)].read(next.cells.col(f));
        mean_size(f) = cells[static_cast<std::size_t>(f)].mean_size();
    }
    Eigen::ArrayXd killed_by(F);  // one community's one-sided deaths this week, by perpetrator
    // Its perpetrators (those with a positive rate, in faction order) and their expected incidents.
    Eigen::Array<Eigen::Index, Eigen::Dynamic, 1> perpetrator(F);
    Eigen::ArrayXd incident_rate(F);

    // Expected values per perpetrator, drawn as one Poisson total per province and target.
    Eigen::ArrayXd on_us(F), on_isf(F), collateral(F);
    Eigen::ArrayXXd on_community(C, F);
    Eigen::ArrayXd effective(F), fighting(F);

    for (Eigen::Index p = 0; p < P; ++p) {
        const auto pu = static_cast<std::size_t>(p);
        const double residents = prev.residents.row(p).sum();
        if (residents <= 0) continue;
        engine::RandomStream rng = ctx.stream(engine::Purpose::violence, static_cast<std::uint64_t>(p));

        // Armed strength: `fighting` ignores ceasefires (defenders fight back); `effective` is
        // what the faction puts into offensive violence.
        for (Eigen::Index f = 0; f < F; ++f) {
            fighting(f) = prev.militia(p, f) * armed(f);
            effective(f) = fighting(f) * (1.0 - levers.compliance(f));
        }
        const double troops = next.us_troops(p);
        const double posture = next.us_posture(p);
        const double troops_per_1000 = troops * 1000.0 / residents;
        const double us_presence = troops_per_1000 / (troops_per_1000 + params.troop_half_per_1000) *
                                   (1.0 + params.dispersed_exposure * posture) / (1.0 + params.dispersed_exposure);
        // Walls and checkpoints cut the contact through which killers reach other communities.
        const double walled = levers.barriers.empty() ? 0.0 : levers.barrier(pu, ctx.week());

        on_us.setZero();
        on_isf.setZero();
        on_community.setZero();
        for (Eigen::Index f = 0; f < F; ++f) {
            if (effective(f) <= 0) continue;
            const world::Faction& faction = roster.factions[static_cast<std::size_t>(f)];
            const world::CommunityId home = faction.community_base.empty() ? world::CommunityId(0) : faction.community_base.front();
            const auto h = static_cast<Eigen::Index>(home.index());
            const double risen = levers.uprisings.empty() ? 1.0 : levers.uprising(static_cast<std::size_t>(f), pu);
            double force_effort = 0;  // the effort aimed at forces, in strength
            for (const ViolenceTarget& t : faction.violence_targets) {
                const double effort = effective(f) * t.weight;
                switch (t.kind) {
                    case Kind::us_forces:
                        on_us(f) += params.attack_rate * effort * us_presence * risen;
                        force_effort += params.attack_rate * effort * risen;
                        break;
                    case Kind::faction: {
                        const auto g = static_cast<Eigen::Index>(t.index);
                        if (g != gov) break;  // other factions: pitched battles, below
                        const double m = prev.militia(p, g);
                        on_isf(f) += params.attack_rate * effort * m / (m + params.faction_half_presence) *
                                     levers.truce(static_cast<std::size_t>(f), static_cast<std::size_t>(g)) * risen;
                        force_effort += params.attack_rate * effort * risen;
                        break;
                    }
                    case Kind::community: {
                        const auto c = static_cast<Eigen::Index>(t.index);
                        if (prev.residents(p, c) <= 0) break;
                        // Killing of other communities: through walls, and avenging the home community's dead.
                        const double across = c == h ? 1.0 : (1.0 - walled) * revenge_factor(prev, p, h, params);
                        on_community(c, f) += params.sectarian_rate * effort * prev.exposure(h * P + p, c) *
                                              prev.tension(p) * (1.0 - protection(p, c)) * across;
                        break;
                    }
                }
            }
            // Substitution: the forces' mean presence S within reach sets the attacks as S / (1 - s + s S).
            if (params.attack_substitution > 0 && force_effort > 0) {
                const double presence = (on_us(f) + on_isf(f)) / force_effort;
                const double scale = 1.0 / (1.0 - params.attack_substitution + params.attack_substitution * presence);
                on_us(f) *= scale;
                on_isf(f) *= scale;
            }
        }

        // 1. Attacks on US and Iraqi forces.
        const double us_expected = on_us.sum(), isf_expected = on_isf.sum();
        const auto us_attacks = static_cast<double>(rng.poisson(us_expected));
        const auto isf_attacks = static_cast<double>(rng.poisson(isf_expected));
        if (us_expected > 0) next.attacks_by.row(p) += (us_attacks / us_expected * on_us).transpose();
        if (isf_expected > 0) next.attacks_by.row(p) += (isf_attacks / isf_expected * on_isf).transpose();
        next.attacks_on_us(p) = us_attacks;
        next.us_fatalities(p) = static_cast<double>(rng.poisson(params.us_lethality * us_attacks));
        if (gov >= 0) {
            const double isf_killed = std::min(static_cast<double>(rng.poisson(params.isf_lethality * isf_attacks)),
                                               prev.militia(p, gov));
            next.isf_deaths(p) = isf_killed;
            next.fighters_killed(p, gov) += isf_killed;
        }
        // Bystanders of attacks on forces: among the province's residents, by community share.
        const double bystanders = static_cast<double>(rng.poisson(params.civilians_per_attack * (us_attacks + isf_attacks)));
        if (bystanders > 0 && us_attacks + isf_attacks > 0) {
            // The attacks that killed any of them: the expected number of the A attacks hit when
            // B victims fall on them at random, A (1 - (1 - 1/A)^B); no new draw.
            const double attacks = us_attacks + isf_attacks;
            next.civilian_incidents(p) += attacks * (1.0 - std::pow(1.0 - 1.0 / attacks, bystanders));
            // Each attacker's bystanders (killed_by as scratch: the one-sided killing resets it).
            for (Eigen::Index f = 0; f < F; ++f) killed_by(f) = next.attacks_by(p, f) / (us_attacks + isf_attacks) * bystanders;
            for (Eigen::Index c = 0; c < C; ++c) {
                const double share = prev.residents(p, c) / residents;
                for (Eigen::Index f = 0; f < F; ++f) next.civilians_killed_by(c * P + p, f) += killed_by(f) * share;
            }
        }

        // 3. One-sided killing of each community: incidents, each carried out by one cell of a
        //    perpetrator and as large as the cell (cells.hpp). The perpetrators' incident streams
        //    are Poisson with rates E[c, f] / mean cell size of f; their sum is drawn once and each
        //    incident given to a perpetrator in proportion to its rate (the same law, one draw).
        for (Eigen::Index c = 0; c < C; ++c) {
            double rate = 0;
            Eigen::Index perpetrators = 0;
            for (const Eigen::Index f : relations.one_sided_killers) {
                if (!(on_community(c, f) > 0)) continue;  // adds nothing to the sum: its rounding is unchanged
                const double r = on_community(c, f) / mean_size(f);
                rate += r;
                perpetrator(perpetrators) = f;
                incident_rate(perpetrators++) = r;
            }
            if (rate <= 0) continue;
            killed_by.setZero();
            double deaths = 0;
            const std::int64_t count = rng.poisson(rate);
            for (std::int64_t i = 0; i < count; ++i) {
                double pick = rng.uniform() * rate;
                Eigen::Index f = 0;
                for (Eigen::Index k = 0; k < perpetrators; ++k) {
                    f = perpetrator(k);  // the last with a rate, should rounding leave `pick` past the end
                    if (pick < incident_rate(k)) break;
                    pick -= incident_rate(k);
                }
                const auto size = static_cast<double>(cells[static_cast<std::size_t>(f)].pick_by_cell(rng));
                killed_by(f) += size;
                deaths += size;
                if (incidents) {
                    incidents->push_back({ctx.week(), static_cast<std::uint16_t>(p), static_cast<std::uint16_t>(f),
                                          Incident::Kind::one_sided, static_cast<std::uint16_t>(c), size});
                }
            }
            // No more can die than live there.
            if (deaths > prev.residents(p, c)) killed_by *= prev.residents(p, c) / deaths;
            next.civilian_incidents(p) += static_cast<double>(count);
            next.civilians_killed_by.row(c * P + p) += killed_by.transpose();
            next.civilians_killed_one_sided.row(p) += killed_by.transpose();
        }

        // 2. Targeting of the security forces' enemies (the government's target list) by US and
        //    Iraqi forces, guided by tips from the enemies' own communities.
        if (gov >= 0) {
            const world::Faction& g = roster.factions[static_cast<std::size_t>(gov)];
            double threat_total = 0;
            for (const ViolenceTarget& t : g.violence_targets)
                if (t.kind == Kind::faction) threat_total += t.weight * prev.militia(p, static_cast<Eigen::Index>(t.index));
            const double us_effort = troops * (0.5 + 0.5 * posture);
            const double isf_effort = params.isf_effectiveness * fighting(gov);
            collateral.setZero();
            double collateral_us = 0;
            for (const ViolenceTarget& t : g.violence_targets) {
                if (t.kind != Kind::faction || threat_total <= 0) continue;
                const auto e = static_cast<Eigen::Index>(t.index);
                const double m = prev.militia(p, e);
                if (m <= 0) continue;
                double share = t.weight * m / threat_total;
                double us = us_effort * share * levers.us_targeting(static_cast<std::size_t>(e));
                double isf = isf_effort * share * levers.truce(static_cast<std::size_t>(gov), static_cast<std::size_t>(e));
                for (const Offensive& o : levers.offensives) {
                    if (!o.provinces[pu] || static_cast<Eigen::Index>(o.target) != e) continue;
                    isf += params.isf_effectiveness * fighting(static_cast<Eigen::Index>(o.attacker)) * (o.intensity - 1.0) * share;
                    us += troops * o.us_support * o.intensity * share;
                }
                const double intelligence = std::max(community_tips(roster, prev, p, e), partner_tips(relations, prev, levers, p, e, params));
                const double expected = params.targeting_rate * (us + isf) * intelligence * m / (m + params.faction_half_presence);
                const double removed = std::min(static_cast<double>(rng.poisson(expected)), 0.25 * m);
                const double killed = std::round(params.kill_share * removed);
                next.fighters_killed(p, e) += killed;
                next.fighters_killed_by_forces(p, e) += killed;
                next.fighters_detained(p, e) += removed - killed;
                // Unguided effort falls on the enemy's community.
                const double contact = m / (m + params.faction_half_presence);
                const double blind = params.collateral_per_1000 / 1000.0 * (1.0 - intelligence) * contact;
                collateral(gov) += blind * isf;
                collateral_us += blind * us;
            }
            // US campaigns against one faction, steered by an informant's intelligence.
            for (const Campaign& campaign : levers.campaigns) {
                const auto e = static_cast<Eigen::Index>(campaign.target);
                const double m = prev.militia(p, e);
                if (!campaign.provinces[pu] || m <= 0) continue;
                const double us = troops * campaign.troop_share * (0.5 + 0.5 * posture) * levers.us_targeting(campaign.target);
                double intelligence = community_tips(roster, prev, p, e);
                if (campaign.informant) {
                    const double present = prev.militia(p, static_cast<Eigen::Index>(*campaign.informant));
                    intelligence = std::max(intelligence, campaign.informant_quality * present / (present + params.faction_half_presence));
                }
                const double expected = params.targeting_rate * us * intelligence * m / (m + params.faction_half_presence);
                const double removed = std::min(static_cast<double>(rng.poisson(expected)), 0.25 * m);
                // What the informant points at: its rivals' fighters, and a share of civilians.
                const double fighters = std::round((1.0 - campaign.misdirection) * removed);
                const double killed = std::round(params.kill_share * fighters);
                next.fighters_killed(p, e) += killed;
                next.fighters_killed_by_forces(p, e) += killed;
                next.fighters_detained(p, e) += fighters - killed;
                const world::Faction& enemy = roster.factions[static_cast<std::size_t>(e)];
                if (!enemy.community_base.empty()) {
                    const auto c = static_cast<Eigen::Index>(enemy.community_base.front().index());
                    const double misdirected = std::min(std::round(params.kill_share * (removed - fighters)), prev.residents(p, c));
                    next.civilians_killed_by_us(p, c) += misdirected;
                    next.civilian_incidents(p) += misdirected;  // a raid on the wrong house kills one
                }
                const double contact = m / (m + params.faction_half_presence);
                collateral_us += params.collateral_per_1000 / 1000.0 * (1.0 - intelligence) * contact * us;
            }
            const double expected_collateral = collateral(gov) + collateral_us;
            if (expected_collateral > 0) {
                const double victims = static_cast<double>(rng.poisson(expected_collateral));
                next.civilian_incidents(p) += victims;  // each a raid or strike gone wrong
                // Victims among the targeted communities: here, in proportion to residents (the
                // enemies' communities dominate where the enemies are).
                for (Eigen::Index c = 0; c < C; ++c) {
                    const double share = prev.residents(p, c) / residents;
                    next.civilians_killed_by(c * P + p, gov) += victims * collateral(gov) / expected_collateral * share;
                    next.civilians_killed_by_us(p, c) += victims * collateral_us / expected_collateral * share;
                }
            }
        }

        // 4. Pitched battles between co-located hostile factions (other than the attacks on the
        //    Iraqi forces above), and the offensives' set battles.
        engine::RandomStream battle_rng = ctx.stream(engine::Purpose::battles, static_cast<std::uint64_t>(p));
        for (Eigen::Index f = 0; f < F; ++f) {
            // The government fights by targeting and offensives.
            if (effective(f) <= 0 || f == gov) continue;
            const world::Faction& faction = roster.factions[static_cast<std::size_t>(f)];
            for (const ViolenceTarget& t : faction.violence_targets) {
                if (t.kind != Kind::faction) continue;
                const auto g = static_cast<Eigen::Index>(t.index);
                if (g == f || fighting(g) <= 0) continue;
                double chance = params.battle_rate * t.weight * (1.0 - levers.compliance(f)) *
                                levers.truce(static_cast<std::size_t>(f), static_cast<std::size_t>(g));
                double engaged = params.battle_engaged;
                for (const Offensive& o : levers.offensives) {
                    if (o.provinces[pu] && static_cast<Eigen::Index>(o.attacker) == f && static_cast<Eigen::Index>(o.target) == g) {
                        chance = 1.0;
                        engaged *= o.intensity;
                    }
                }
                if (battle_rng.uniform() >= chance) continue;
                const double blue = std::min(1.0, engaged) * effective(f), red = std::min(1.0, engaged) * fighting(g);
                const auto [blue_left, red_left] =
                    lanchester_square(blue, red, params.battle_lethality * armed(f), params.battle_lethality * armed(g));
                const double blue_lost = std::round(blue - blue_left), red_lost = std::round(red - red_left);
                const double attackers_killed = std::min(blue_lost, prev.militia(p, f));
                const double defenders_killed = std::min(red_lost, prev.militia(p, g));
                next.fighters_killed(p, f) += attackers_killed;
                next.fighters_killed(p, g) += defenders_killed;
                // Attackers the Iraqi forces kill defending themselves are the forces' kills too.
                if (g == gov) next.fighters_killed_by_forces(p, f) += attackers_killed;
                record_battle(f, g, attackers_killed + defenders_killed);
                const double victims = std::round(params.civilians_per_battle_loss * (blue_lost + red_lost));
                if (victims > 0) next.civilian_incidents(p) += 1.0;
                for (Eigen::Index c = 0; c < C; ++c)
                    next.civilians_killed_by(c * P + p, f) += victims * prev.residents(p, c) / residents;
                if (incidents && blue_lost + red_lost + victims > 0) {  // a clash with no one killed is not an incident
                    incidents->push_back({ctx.week(), static_cast<std::uint16_t>(p), static_cast<std::uint16_t>(f),
                                          Incident::Kind::battle, static_cast<std::uint16_t>(g), blue_lost + red_lost + victims});
                }
            }
        }
        // Offensives of the government itself: set battles against the target.
        for (const Offensive& o : levers.offensives) {
            const auto a = static_cast<Eigen::Index>(o.attacker), g = static_cast<Eigen::Index>(o.target);
            if (!o.provinces[pu] || a != gov || fighting(g) <= 0 || fighting(a) <= 0) continue;
            // The target commits its usual share (or what the assault draws in); the attacker brings
            // `intensity` times as many.
            const double red = (std::isnan(o.target_engaged) ? params.battle_engaged : o.target_engaged) * fighting(g);
            const double blue = std::min(fighting(a) + o.us_support * troops, o.intensity * red);
            const double engaged = fighting(a) + o.us_support * troops > 0 ? blue / (fighting(a) + o.us_support * troops) : 0.0;
            const auto [blue_left, red_left] =
                lanchester_square(blue, red, params.battle_lethality * armed(a), params.battle_lethality * armed(g));
            // The attacker's losses fall on the Iraqi forces in proportion to their part of the force.
            const double iraqi_part = blue > 0 ? engaged * fighting(a) / blue : 0.0;
            const double iraqi_killed = std::min(std::round((blue - blue_left) * iraqi_part), prev.militia(p, a));
            next.fighters_killed(p, a) += iraqi_killed;
            const double enemy_killed = std::min(std::round(red - red_left), prev.militia(p, g));
            next.fighters_killed(p, g) += enemy_killed;
            next.fighters_killed_by_forces(p, g) += enemy_killed;
            // The US part of the assault loses men at its own exchange rate, not the militias'.
            const double us_dead = params.us_deaths_per_enemy_killed * (1.0 - iraqi_part) * enemy_killed;
            if (us_dead > 0) next.us_fatalities(p) += static_cast<double>(battle_rng.poisson(us_dead));
            record_battle(a, g, iraqi_killed + enemy_killed);
            const double victims = std::round(params.civilians_per_battle_loss * ((blue - blue_left) + (red - red_left)));
            if (victims > 0) next.civilian_incidents(p) += 1.0;
            for (Eigen::Index c = 0; c < C; ++c)
                next.civilians_killed_by(c * P + p, a) += victims * prev.residents(p, c) / residents;
            const double battle_deaths = std::round((blue - blue_left) + (red - red_left)) + victims;
            if (incidents && battle_deaths > 0) {
                incidents->push_back({ctx.week(), static_cast<std::uint16_t>(p), static_cast<std::uint16_t>(a), Incident::Kind::battle,
                                      static_cast<std::uint16_t>(g), battle_deaths});
            }
        }
        // No one dies twice: fighters lost cannot exceed the fighters there.
        for (Eigen::Index f = 0; f < F; ++f) {
            const double lost = next.fighters_killed(p, f) + next.fighters_detained(p, f);
            if (lost > prev.militia(p, f) && lost > 0) {
                const double scale = prev.militia(p, f) / lost;
                next.fighters_killed(p, f) *= scale;
                next.fighters_killed_by_forces(p, f) *= scale;
                next.fighters_detained(p, f) *= scale;
            }
        }
    }
}

}  // namespace iraqsim::model
