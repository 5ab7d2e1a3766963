#include "iraqsim/model/levers.hpp"

#include <algorithm>
#include <cmath>

#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

void Levers::expire(int week) {
    for (Eigen::Index f = 0; f < compliance.size(); ++f) {
        if (ceasefire_until(f) >= 0 && ceasefire_until(f) < week) {
            compliance(f) = 0;
            ceasefire_declared(f) = 0;
            ceasefire_until(f) = -1;
        }
    }
    std::erase_if(grants, [week](const Grant& g) { return g.until_week < week; });
    std::erase_if(offensives, [week](const Offensive& o) { return o.until_week < week; });
    std::erase_if(uprisings, [week](const Uprising& u) { return u.until_week < week; });
    std::erase_if(supply_changes, [week](const SupplyChange& c) { return c.until_week < week; });
    std::erase_if(barriers, [week](const Barrier& b) { return b.until_week < week; });
    std::erase_if(campaigns, [week](const Campaign& c) { return c.until_week < week; });
    std::erase_if(restraints, [week](const Restraint& r) { return r.until_week < week; });
    std::erase_if(stand_downs, [week](const StandDown& s) { return s.week < week; });
    std::erase_if(interdictions, [week](const Interdiction& i) { return i.until_week < week; });
    std::erase_if(accords, [week](const Accord& a) { return a.until_week < week; });
    std::erase_if(assassinations, [week](const AssassinationCampaign& a) { return a.until_week < week; });
    std::erase_if(partitions, [week](const Partition& p) { return p.until_week < week; });
}

std::vector<LeverEvent> Levers::advance(const world::Roster&, const world::State& last_week, const engine::StepContext& ctx) {
    const int week = ctx.week();
    // Interdiction: each patrolled province stops its stretch's share of the crossing supply.
    for (Interdiction& i : interdictions) {
        double stopped = 0;
        for (std::size_t p = 0; p < i.border_km.size(); ++p) {
            if (i.border_km[p] <= 0 || i.total_border_km <= 0) continue;
            const double density = i.troop_share * last_week.us_troops(static_cast<Eigen::Index>(p)) / i.border_km[p];
            stopped += i.border_km[p] / i.total_border_km * i.max_stop * density / (density + i.half_density_per_km);
        }
        i.factor = std::clamp(1.0 - stopped, 0.0, 1.0);
    }
    for (Partition& p : partitions) p.progress = std::min(1.0, (week - p.start_week + 1) / p.ramp_weeks);
    // Lost commanders are replaced: the loss decays with the e-folding time of the last campaign.
    cohesion_loss *= 1.0 - 1.0 / cohesion_recovery_weeks.max(1.0);
    // An accord holds its first week; from then on each week it may collapse.
    std::vector<LeverEvent> collapsed;
    std::erase_if(accords, [&](const Accord& a) {
        if (week <= a.start_week) return false;
        const bool breaks = ctx.stream(engine::Purpose::accord, a.key).uniform() < a.collapse_per_week;
        if (breaks) collapsed.push_back({a.id, "accord_collapse", a.target});
        return breaks;
    });
    return collapsed;
}

double Levers::cohesion(std::size_t faction, double base) const {
    return base * (1.0 - cohesion_loss(static_cast<Eigen::Index>(faction)));
}

double Levers::truce(std::size_t f, std::size_t g) const {
    double factor = 1;
    for (const Accord& a : accords)
        if (a.parties[f] && a.parties[g] && f != g) factor *= 1.0 - a.restraint * a.honour[f];
    return factor;
}

double Levers::nationalism_rise(std::size_t community) const {
    double rise = 0;
    for (const Partition& p : partitions) rise += p.progress * p.backlash[community];
    return rise;
}

double Levers::partition_salience(std::size_t sponsor) const {
    double salience = 0;
    for (const Partition& p : partitions)
        if (p.backers[sponsor]) salience += p.progress * p.salience;
    return salience;
}

double Levers::barrier(std::size_t p, int week) const {
    double cut = 0;
    for (const Barrier& b : barriers) {
        if (!b.provinces[p] || week < b.start_week) continue;
        cut = std::max(cut, b.reduction * std::min(1.0, (week - b.start_week + 1) / b.ramp_weeks));
    }
    return cut;
}

double Levers::uprising(std::size_t faction, std::size_t p) const {
    double factor = 1;
    for (const Uprising& u : uprisings)
        if (u.faction == faction && u.provinces[p]) factor = std::max(factor, u.multiplier);
    return factor;
}

double Levers::us_targeting(std::size_t faction) const {
    double factor = 1;
    for (const Restraint& r : restraints)
        if (r.factions[faction]) factor *= r.remaining;
    return factor;
}

double Levers::supply_factor(std::size_t sponsor, std::size_t faction, std::size_t channel) const {
    double factor = 1;
    for (const SupplyChange& c : supply_changes)
        if (c.sponsor == sponsor && c.factions[faction] && c.channels[channel]) factor *= c.factor;
    for (const Interdiction& i : interdictions)
        if (i.sponsor == sponsor && i.factions[faction] && i.channels[channel]) factor *= i.factor;
    return factor;
}

double Levers::wage_offer(std::size_t faction, std::size_t p) const {
    double wage = 0;
    for (const Grant& g : grants)
        if (g.faction == faction && g.provinces[p]) wage = std::max(wage, g.usd_per_fighter_week);
    return wage;
}

double Levers::tension(std::size_t p, int week) const {
    double t = 1.0;
    for (const Shock& s : shocks)
        if (s.provinces[p] && week >= s.start_week) t += s.size * std::exp2(-(week - s.start_week) / s.half_life_weeks);
    return t;
}

bool Levers::openly_backed(std::size_t faction, std::size_t p) const {
    return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) { return g.faction == faction && g.provinces[p]; });
}

}  // namespace iraqsim::model
