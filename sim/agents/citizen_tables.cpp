#include "iraqsim/agents/citizen_tables.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace iraqsim::agents {
std::vector<double> district_loyalty_shares(const CitizenPopulation& citizens, const CitizenCounts& counts) {
    const std::size_t D = citizens.district_count, C = citizens.community_count, columns = citizens.faction_count + 1;
    std::vector<double> share(D * columns, 0.0);
    for (std::size_t d = 0; d < D; ++d) {
        std::uint64_t total = 0;
        std::vector<std::uint64_t> n(columns, 0);
        for (std::size_t c = 0; c < C; ++c) {
            for (std::size_t k = 0; k < columns; ++k) {
                const std::uint64_t x = counts.at_home(d * C + c, k);
                n[k] += x;
                total += x;
            }
        }
        if (total == 0) continue;
        for (std::size_t k = 0; k < columns; ++k) share[d * columns + k] = static_cast<double>(n[k]) / static_cast<double>(total);
    }
    return share;
}

CitizenTables build_citizen_tables(const TableInputs& in, CitizenMemory& memory) {
    const world::Roster& roster = in.roster;
    const CitizenPopulation& z = in.citizens;
    const CitizenCounts& counts = in.counts;
    const CitizenParams& params = in.params;
    const std::size_t D = z.district_count, C = z.community_count, F = z.faction_count, columns = F + 1;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const double ppa = z.persons_per_agent;
    const std::optional<world::FactionId> gov = roster.find_faction("government");

    CitizenTables t;
    t.threshold = static_cast<float>(params.threshold);
    t.fighter_threshold = static_cast<float>(params.fighter_threshold);
    t.max_detention_weeks = params.max_detention_weeks;
    t.revise = probability_threshold(params.revision_rate);
    t.opposition.resize(F);
    t.defect_to.assign(F, no_faction);
    for (std::size_t f = 0; f < F; ++f) {
        t.opposition[f] = model::fights_security_forces(roster, f) ? 1 : 0;
        const world::Faction& receiver = roster.factions[f];
        for (const auto& source : {receiver.realigns_from, receiver.splinter_of})
            if (source) t.defect_to[source->index()] = static_cast<std::uint8_t>(f);
    }

    // Citizens by province and by district, at home and active, from last week's counts.
    std::vector<double> agents_p(static_cast<std::size_t>(P), 0.0), agents_d(D, 0.0), active_d(D, 0.0);
    std::vector<double> people_pc(static_cast<std::size_t>(P) * C, 0.0), away_pc(static_cast<std::size_t>(P) * C, 0.0);
    std::vector<double> home_pcf(static_cast<std::size_t>(P) * C * columns, 0.0);
    for (std::size_t d = 0; d < D; ++d) {
        const std::size_t p = z.district_province[d];
        for (std::size_t c = 0; c < C; ++c) {
            const std::size_t b = d * C + c;
            std::uint64_t all = 0;
            for (std::size_t s = 0; s < citizen_state_count; ++s) all += counts.in_state(b, static_cast<CitizenState>(s));
            const auto active = counts.in_state(b, CitizenState::supporter) + counts.in_state(b, CitizenState::fighter);
            agents_d[d] += static_cast<double>(all);
            agents_p[p] += static_cast<double>(all);
            active_d[d] += static_cast<double>(active);
            people_pc[p * C + c] += static_cast<double>(all);
            away_pc[p * C + c] += static_cast<double>(counts.in_state(b, CitizenState::displaced));
            for (std::size_t k = 0; k < columns; ++k) home_pcf[(p * C + c) * columns + k] += static_cast<double>(counts.at_home(b, k));
        }
    }

    // Per district: the security forces' presence, Epstein's estimated risk and the detentions.
    t.arrest.resize(D);
    t.risk.resize(D);
    for (std::size_t d = 0; d < D; ++d) {
        const auto p = static_cast<Eigen::Index>(z.district_province[d]);
        const double share = agents_p[static_cast<std::size_t>(p)] > 0 ? agents_d[d] / agents_p[static_cast<std::size_t>(p)] : 0.0;
        const double isf = gov ? in.next.militia(p, static_cast<Eigen::Index>(gov->index())) : 0.0;
        const double forces = (in.next.us_troops(p) + isf) * share;
        const double actives = active_d[d] * ppa;
        // Epstein's A counts the citizen itself: the risk one would run by turning active now.
        const double estimated = 1.0 - std::exp(-params.arrest_constant * forces / (actives + ppa));
        t.risk[d] = static_cast<float>(estimated / 256.0);
        const double detentions = params.arrests_per_1000_forces * forces / 1000.0;
        t.arrest[d] = probability_threshold(actives > 0 ? detentions / actives : 0.0);
    }

    // Memory of the forces, one week on.
    const double pull = in.forces.identity_pull;
    // This week's forces on the log-odds of each faction, the aggregate core's terms (identity's
    // pull is the choice's anchor here, and the nationalist penalty is per citizen).
    const auto [forces, nationalist] = model::loyalty_force_terms(roster, in.prev, in.next, in.forces, false);
    memory.forces = (1.0 - pull) * memory.forces + forces;
    memory.nationalist = (1.0 - pull) * memory.nationalist + nationalist;

    const std::vector<double> share_d = district_loyalty_shares(z, counts);
    const std::size_t blocks = D * C;
    t.grievance.resize(blocks);
    t.displace.resize(blocks);
    t.come_back.resize(blocks);
    t.hostile_below.resize(blocks);
    t.choice.resize(blocks * 2 * columns);
    t.defect.assign(D * F, 0);
    std::vector<double> utility(columns), weight(columns);
    for (std::size_t d = 0; d < D; ++d) {
        const auto p = static_cast<Eigen::Index>(z.district_province[d]);
        const auto pi = static_cast<std::size_t>(p);
        for (std::size_t f = 0; f < F; ++f) {
            if (t.defect_to[f] == no_faction) continue;
            // Leaving with the fighters who realign or split this week (state.defection).
            const double moved = std::clamp(in.next.defection(p, t.defect_to[f]), 0.0, 1.0);
            t.defect[d * F + f] = std::min<std::uint64_t>(probability_threshold(moved), (std::uint64_t{1} << 32) - t.revise);
        }
        for (std::size_t c = 0; c < C; ++c) {
            const std::size_t b = d * C + c;
            const auto ci = static_cast<Eigen::Index>(c);
            const Eigen::Index row = ci * P + p;
            // Perceived legitimacy: the community's willingness to help the state's forces (tips).
            t.grievance[b] = static_cast<float>((1.0 - std::clamp(in.prev.tips(p, ci), 0.0, 1.0)) / 256.0);
            t.hostile_below[b] = static_cast<std::uint16_t>(std::lround(std::clamp(in.next.nationalism(p, ci), 0.0, 1.0) * 256.0));
            // Displacement follows the aggregate core's displaced share of the community.
            const double people = in.next.residents(p, ci) + in.next.displaced(p, ci);
            const double target = people > 0 ? in.next.displaced(p, ci) / people : 0.0;
            const double agents = people_pc[pi * C + c];
            const double now = agents > 0 ? away_pc[pi * C + c] / agents : 0.0;
            t.displace[b] = target > now && now < 1 ? probability_threshold((target - now) / (1.0 - now)) : 0;
            t.come_back[b] = target < now ? probability_threshold((now - target) / now) : 0;
            // Cap so that detention and displacement partition one uniform (their sum <= 1).
            t.displace[b] = std::min<std::uint64_t>(t.displace[b], (std::uint64_t{1} << 32) - t.arrest[d]);

            // The choice: a softmax over factions and none, for citizens not hostile and hostile.
            const double home_total = [&] {
                double s = 0;
                for (std::size_t k = 0; k < columns; ++k) s += home_pcf[(pi * C + c) * columns + k];
                return s;
            }();
            double aligned0 = 0;
            for (std::size_t f = 0; f < F; ++f) aligned0 += in.anchor(row, static_cast<Eigen::Index>(f));
            for (int hostile = 0; hostile < 2; ++hostile) {
                double top = -std::numeric_limits<double>::infinity();
                for (std::size_t k = 0; k < columns; ++k) {
                    double anchor;
                    double u = 0;
                    if (k < F) {
                        const auto f = static_cast<Eigen::Index>(k);
                        anchor = in.anchor(row, f);
                        // A faction history produced later has no anchor: it keeps what it has.
                        if (anchor <= 0 && home_total > 0) anchor = home_pcf[(pi * C + c) * columns + k] / home_total;
                        u = memory.forces(row, f) - (hostile != 0 ? memory.nationalist(row, f) : 0.0);
                    } else {
                        anchor = std::max(0.0, 1.0 - aligned0);
                    }
                    u += params.conformity * (share_d[d * columns + k] - in.district_share0[d * columns + k]);
                    utility[k] = anchor > 0 ? std::log(anchor) + std::clamp(u, -50.0, 50.0)
                                            : -std::numeric_limits<double>::infinity();
                    top = std::max(top, utility[k]);
                }
                double total = 0;
                for (std::size_t k = 0; k < columns; ++k) {
                    weight[k] = std::isfinite(utility[k]) ? std::exp(utility[k] - top) : 0.0;
                    total += weight[k];
                }
                std::uint64_t* const out = t.choice.data() + (b * 2 + static_cast<std::size_t>(hostile)) * columns;
                double cum = 0;
                for (std::size_t k = 0; k < columns; ++k) {
                    cum += total > 0 ? weight[k] / total : (k == F ? 1.0 : 0.0);
                    out[k] = std::min(t.revise, probability_threshold(params.revision_rate * cum));
                }
                out[columns - 1] = t.revise;
            }
        }
    }
    return t;
}

}  // namespace iraqsim::agents
