#include "iraqsim/model/forces.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace iraqsim::model {
namespace {

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Material support a faction's sponsors intend for it (ties x budget), whether or not it exists yet.
double intended_backing(const world::Roster& roster, std::size_t faction) {
    double total = 0;
    const auto& ties = roster.factions[faction].sponsor_ties;
    for (std::size_t s = 0; s < ties.size() && s < roster.sponsor_count(); ++s)
        for (std::size_t k = 0; k < world::channel_count; ++k)
            if (k != world::political_cover_channel) total += ties[s][k] * roster.sponsors[s].budget_usd_per_week;
    return total;
}

}  // namespace

Eigen::ArrayXd armed_share(const world::State& state, const ForcesParams& params) {
    const Eigen::ArrayXd fighters = state.militia.colwise().sum().transpose();
    const Eigen::ArrayXd need = params.arms_per_fighter_usd * fighters;
    return (need > 0).select(state.arms / (state.arms + need), 0.0);
}

void initialise_arms(world::State& state, const ForcesParams& params) {
    state.arms = params.initial_arms_ratio * params.arms_per_fighter_usd * state.militia.colwise().sum().transpose();
}

void update_forces(const world::Roster& roster, const world::State& prev, world::State& next, const Levers& levers,
                   const ForcesParams& params, const Eigen::ArrayXd& protection) {
    update_forces(Relations(roster), prev, next, levers, params, protection);
}

void update_forces(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers,
                   const ForcesParams& params, const Eigen::ArrayXd& protection) {
    ForcesScratch scratch;
    update_forces(relations, prev, next, levers, params, protection, scratch);
}

void update_forces(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers,
                   const ForcesParams& params, const Eigen::ArrayXd& protection, ForcesScratch& scratch) {
    const world::Roster& roster = *relations.roster;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    const Eigen::Index aqi = relations.aqi, sunni = relations.sunni_arab;

    // Pressure and home revenue: losses as an annual share of fighters, smoothed.
    const Eigen::ArrayXd fighters = prev.militia.colwise().sum().transpose();
    const Eigen::ArrayXd losses = (next.fighters_killed + next.fighters_detained).colwise().sum().transpose();
    const double keep = 1.0 - 1.0 / params.pressure_weeks;
    for (Eigen::Index f = 0; f < F; ++f) {
        const double rate = fighters(f) > 0 ? 52.0 * losses(f) / fighters(f) : 0.0;
        next.pressure(f) = keep * prev.pressure(f) + (1.0 - keep) * rate;
        next.home_revenue(f) = roster.factions[static_cast<std::size_t>(f)].home_revenue_usd_per_week /
                               (1.0 + params.revenue_pressure_elasticity * next.pressure(f));
    }

    // al-Qaeda's predation on the Sunni Arab community, per 100,000 per week, remembered.
    const double forget = 1.0 - 1.0 / params.predation_weeks;
    for (Eigen::Index p = 0; p < P; ++p) {
        double killed = 0, members = 0;
        if (aqi >= 0 && sunni >= 0) {
            killed = next.civilians_killed_by(sunni * P + p, aqi);
            members = prev.residents(p, sunni);
        }
        next.predation(p) = forget * prev.predation(p) + (1.0 - forget) * (members > 0 ? 1e5 * killed / members : 0.0);
    }

    // Resources: own revenue and material backing (this week's, from the sponsors phase).
    const auto S = static_cast<Eigen::Index>(roster.sponsor_count());
    Eigen::ArrayXd money = next.home_revenue, arms_in = Eigen::ArrayXd::Zero(F);
    for (Eigen::Index s = 0; s < S; ++s)
        for (Eigen::Index f = 0; f < F; ++f) {
            const auto row = s * F + f;
            money(f) += next.backing(row, 0) + next.backing(row, 2);  // money and training
            arms_in(f) += next.backing(row, 1);
        }

    // Capacity by province: the pool (supporters or base residents) and what the faction can pay.
    next.militia = prev.militia - next.fighters_killed - next.fighters_detained;
    next.militia = next.militia.max(0.0);
    // Detention: the detained are held, and leave at a constant hazard; those of the released who
    // go back to the fight rejoin their faction where they were taken.
    next.detainees_released = prev.detainees / params.detention_weeks;
    next.detainees = prev.detainees - next.detainees_released + next.fighters_detained;
    next.militia += params.released_rejoin_share * next.detainees_released;
    // Stand-down orders: the units that obey (share x cohesion) go home this week.
    for (const StandDown& order : levers.stand_downs) {
        const auto f = static_cast<Eigen::Index>(order.faction);
        const double leaving = order.share * levers.cohesion(order.faction, roster.factions[order.faction].cohesion);
        for (Eigen::Index p = 0; p < P; ++p)
            if (order.provinces[static_cast<std::size_t>(p)]) next.militia(p, f) *= 1.0 - leaving;
    }
    next.defection.setZero();
    Eigen::ArrayXd& pool = scratch.pool;
    pool.resize(P);
    Eigen::ArrayXXd& capacity_of = scratch.capacity_of;
    capacity_of.resize(P, F);
    Eigen::ArrayXXd& hired_of = scratch.hired_of;
    hired_of.setZero(P, F);  // hires under pay grants this week
    std::vector<std::pair<const Grant*, double>>& grant_pools = scratch.grant_pools;
    for (Eigen::Index f = 0; f < F; ++f) {
        const world::Faction& faction = roster.factions[static_cast<std::size_t>(f)];
        const double cost = std::max(1.0, faction.fighter_cost_usd_per_week);
        for (Eigen::Index p = 0; p < P; ++p) {
            double x = 0;
            if (faction.recruitment == world::Recruitment::salaried) {
                for (world::CommunityId c : faction.community_base) x += prev.residents(p, static_cast<Eigen::Index>(c.index()));
                x *= params.salaried_mobilisation;
            } else {
                for (Eigen::Index c = 0; c < C; ++c) x += prev.loyalty(c * P + p, f) * prev.residents(p, c);
                x *= params.volunteer_mobilisation;
            }
            pool(p) = x;
        }
        const double pool_total = pool.sum();
        // The grants paying this faction's fighters, each with the pool of its own provinces.
        grant_pools.clear();
        for (const Grant& g : levers.grants) {
            if (static_cast<Eigen::Index>(g.faction) != f || g.usd_per_fighter_week <= 0) continue;
            double grant_pool = 0;
            for (Eigen::Index q = 0; q < P; ++q)
                if (g.provinces[static_cast<std::size_t>(q)]) grant_pool += pool(q);
            grant_pools.emplace_back(&g, grant_pool);
        }
        for (Eigen::Index p = 0; p < P; ++p) {
            const auto pu = static_cast<std::size_t>(p);
            // A wage offered by policy pays for its positions here; otherwise the faction's purse,
            // shared over provinces by pool.
            double positions = 0;
            bool hiring = false;
            for (const auto& [g, grant_pool] : grant_pools)
                if (g->provinces[pu]) {
                    // The grant's positions are shared over its own provinces by pool.
                    positions += g->max_fighters * pool(p) / std::max(grant_pool, 1.0);
                    hiring = true;
                }
            // Where a wage is offered by policy its positions are the purse (the wage is already in
            // the money backing: counting both would pay each fighter twice).
            const double purse = hiring ? next.home_revenue(f) : money(f);
            const double affordable = (pool_total > 0 ? purse / cost * pool(p) / pool_total : 0.0) + positions;
            const double capacity = std::min(pool(p), affordable);
            capacity_of(p, f) = capacity;
            const double m = next.militia(p, f);
            // Logistic growth: recruits come through the fighters already there (networks,
            // recruiters, training cadres), so a faction absent from a province cannot grow there
            // until realignment or a split seeds it.
            const double rate = faction.recruitment == world::Recruitment::salaried ? params.recruitment_rate
                                                                                    : params.volunteer_recruitment_rate;
            // A wage offered openly by a sponsor hires directly: applicants need no recruiter. The
            // units that obey a ceasefire recruit no more than they fight (Sadr's 2007 freeze was a
            // halt to restructure and purge, not a pause in which the militia grew).
            const double change = capacity <= m ? params.demobilisation_rate * (capacity - m)
                                  : hiring      ? params.wage_hiring_rate * (capacity - m)
                                                : rate * (1.0 - levers.compliance(f)) * m * (1.0 - m / capacity);
            if (hiring && change > 0) hired_of(p, f) = change;
            next.militia(p, f) = std::max(0.0, m + change);
        }
    }

    // Realignment and splits: flows from a source faction to the faction that draws on it.
    for (Eigen::Index to = 0; to < F; ++to) {
        const world::Faction& receiver = roster.factions[static_cast<std::size_t>(to)];
        if (receiver.realigns_from) {
            const auto from = static_cast<Eigen::Index>(receiver.realigns_from->index());
            const double cost = std::max(1.0, receiver.fighter_cost_usd_per_week);
            for (Eigen::Index p = 0; p < P; ++p) {
                const auto pu = static_cast<std::size_t>(p);
                if (!levers.openly_backed(static_cast<std::size_t>(to), pu)) continue;
                const double x = params.realignment_predation * next.predation(p) + params.realignment_protection * protection(p) +
                                 params.realignment_pay * levers.wage_offer(static_cast<std::size_t>(to), pu) / cost -
                                 params.realignment_threshold;
                // Fighters switch only into places the receiving faction can keep (pay, arms).
                const double room = capacity_of(p, to) > 0 ? std::clamp(1.0 - next.militia(p, to) / capacity_of(p, to), 0.0, 1.0) : 0.0;
                const double willing = logistic(x);
                const double share = params.realignment_max_rate * willing * room;
                const double source = next.militia(p, from);
                // The receiver's wage hires (already counted in its militia) are partly the source's
                // men: those leave the source without joining the receiver twice.
                const double hired = std::min(params.realignment_hire_share * willing * hired_of(p, to), (1.0 - share) * source);
                next.militia(p, from) = std::max(0.0, source - share * source - hired);  // rounding can leave -0
                next.militia(p, to) += share * source;
                // At most all of them: hired can be all the source has left, and share + (1 - share)
                // may round above 1, which would move more supporters than there are.
                next.defection(p, to) = source > 0 ? std::min(1.0, share + hired / source) : share;
            }
        }
        if (receiver.splinter_of) {
            const auto from = static_cast<Eigen::Index>(receiver.splinter_of->index());
            const world::Faction& parent = roster.factions[static_cast<std::size_t>(from)];
            const double offer = intended_backing(roster, static_cast<std::size_t>(to));
            const double parent_cost = fighters(from) * std::max(1.0, receiver.fighter_cost_usd_per_week);
            const double courting = offer > 0 ? offer / (offer + parent_cost) : 0.0;
            const double share = params.split_max_rate * (1.0 - levers.cohesion(static_cast<std::size_t>(from), parent.cohesion)) * courting *
                                 (1.0 + params.split_ceasefire_push * levers.ceasefire_declared(from));
            for (Eigen::Index p = 0; p < P; ++p) {
                const double moved = share * next.militia(p, from);
                next.militia(p, from) -= moved;
                next.militia(p, to) += moved;
                next.defection(p, to) = share;
            }
        }
    }

    // Arms: bought and given, used in attacks, worn out; realigned fighters bring theirs.
    const Eigen::ArrayXd attacks = next.attacks_by.colwise().sum().transpose();
    for (Eigen::Index f = 0; f < F; ++f) {
        next.arms(f) = std::max(0.0, prev.arms(f) * (1.0 - params.arms_depreciation) + arms_in(f) +
                                         params.arms_share_of_money * money(f) - params.arms_per_attack_usd * attacks(f));
    }
    const Eigen::ArrayXd before = prev.militia.colwise().sum().transpose();
    for (Eigen::Index to = 0; to < F; ++to) {
        const world::Faction& receiver = roster.factions[static_cast<std::size_t>(to)];
        for (const auto& source : {receiver.realigns_from, receiver.splinter_of}) {
            if (!source) continue;
            const auto from = static_cast<Eigen::Index>(source->index());
            double moved = 0;
            for (Eigen::Index p = 0; p < P; ++p) moved += next.defection(p, to) * prev.militia(p, from);
            const double carried = before(from) > 0 ? prev.arms(from) * moved / before(from) : 0.0;
            next.arms(from) = std::max(0.0, next.arms(from) - carried);
            next.arms(to) += carried;
        }
    }
}

}  // namespace iraqsim::model
