#include "iraqsim/model/levers.hpp"

#include <algorithm>
#include <cmath>

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
    std::erase_if(supply_changes, [week](const SupplyChange& c) { return c.until_week < week; });
    std::erase_if(barriers, [week](const Barrier& b) { return b.until_week < week; });
    std::erase_if(campaigns, [week](const Campaign& c) { return c.until_week < week; });
    std::erase_if(restraints, [week](const Restraint& r) { return r.until_week < week; });
    std::erase_if(stand_downs, [week](const StandDown& s) { return s.week < week; });
}

double Levers::barrier(std::size_t p, int week) const {
    double cut = 0;
    for (const Barrier& b : barriers) {
        if (!b.provinces[p] || week < b.start_week) continue;
        cut = std::max(cut, b.reduction * std::min(1.0, (week - b.start_week + 1) / b.ramp_weeks));
    }
    return cut;
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
