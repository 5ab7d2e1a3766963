#include "iraqsim/policy/actions.hpp"

#include <array>
#include <cmath>

#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/event_fields.hpp"

namespace iraqsim::policy {
namespace {

using scenario::Event;

// The loader has checked every reference; a miss here is a bug, not bad input.
std::size_t faction_index(const world::Roster& roster, const std::string& id) {
    const auto f = roster.find_faction(id);
    if (!f) throw core::ModelError("unknown faction '" + id + "' in a compiled event");
    return f->index();
}

std::size_t sponsor_index(const world::Roster& roster, const std::string& id) {
    const auto s = roster.find_sponsor(id);
    if (!s) throw core::ModelError("unknown sponsor '" + id + "' in a compiled event");
    return s->index();
}

// The `provinces` field as a mask; absent: every province.
std::vector<bool> province_mask(const Event& e, const world::Roster& roster) {
    const std::vector<std::string> ids = scenario::event_list(e, "provinces");
    std::vector<bool> mask(roster.province_count(), ids.empty());
    for (const std::string& id : ids)
        if (const auto p = roster.find_province(id)) mask[p->index()] = true;
    return mask;
}

int weeks_of(const Event& e) { return static_cast<int>(std::ceil(scenario::event_number(e, "duration_weeks"))); }

Action ceasefire(const Event& e, const world::Roster& roster) {
    const std::size_t f = faction_index(roster, scenario::event_text(e, "faction"));
    const std::string sponsor_id = scenario::event_text(e, "sponsor");
    const std::optional<std::size_t> sponsor =
        sponsor_id.empty() ? std::nullopt : std::optional<std::size_t>(sponsor_index(roster, sponsor_id));
    const double pressure = scenario::event_number(e, "pressure");
    const int weeks = weeks_of(e);
    std::vector<std::size_t> splinters;
    for (std::size_t g = 0; g < roster.faction_count(); ++g)
        if (roster.factions[g].splinter_of && roster.factions[g].splinter_of->index() == f) splinters.push_back(g);
    const double cohesion = roster.factions[f].cohesion;
    return [=](model::Levers& levers, const world::State& state, int week) {
        auto leverage = [&](std::size_t g) {
            return sponsor ? pressure * state.dependence(static_cast<Eigen::Index>(*sponsor), static_cast<Eigen::Index>(g)) : 0.0;
        };
        const auto fi = static_cast<Eigen::Index>(f);
        levers.compliance(fi) = 1.0 - (1.0 - cohesion) * (1.0 - leverage(f));
        levers.ceasefire_declared(fi) = 1.0;
        levers.ceasefire_until(fi) = week + weeks - 1;
        for (std::size_t g : splinters) {
            const auto gi = static_cast<Eigen::Index>(g);
            levers.compliance(gi) = leverage(g);
            levers.ceasefire_until(gi) = week + weeks - 1;
        }
    };
}

Action grant(const Event& e, const world::Roster& roster, bool wage) {
    model::Grant g;
    g.sponsor = sponsor_index(roster, scenario::event_text(e, "sponsor"));
    g.faction = faction_index(roster, scenario::event_text(e, "faction"));
    g.provinces = province_mask(e, roster);
    if (wage) {
        g.channel = 0;  // money
        g.usd_per_fighter_week = scenario::event_number(e, "usd_per_fighter_week");
        g.max_fighters = scenario::event_number(e, "max_fighters");
    } else {
        g.channel = 1;  // arms
        g.usd_per_week = scenario::event_number(e, "usd_per_week");
    }
    const int weeks = weeks_of(e);
    return [g, weeks](model::Levers& levers, const world::State&, int week) {
        model::Grant active = g;
        active.until_week = week + weeks - 1;
        levers.grants.push_back(std::move(active));
    };
}

Action offensive(const Event& e, const world::Roster& roster) {
    model::Offensive o;
    const std::string attacker = scenario::event_text(e, "faction");
    o.attacker = faction_index(roster, attacker.empty() ? "government" : attacker);
    o.target = faction_index(roster, scenario::event_text(e, "target"));
    o.provinces = province_mask(e, roster);
    o.intensity = scenario::event_number(e, "intensity");
    o.us_support = scenario::event_number(e, "us_support");
    const int weeks = weeks_of(e);
    return [o, weeks](model::Levers& levers, const world::State&, int week) {
        model::Offensive active = o;
        active.until_week = week + weeks - 1;
        levers.offensives.push_back(std::move(active));
    };
}

Action shock(const Event& e, const world::Roster& roster) {
    model::Shock s;
    s.provinces = province_mask(e, roster);
    s.size = scenario::event_number(e, "tension");
    s.half_life_weeks = scenario::event_number(e, "half_life_weeks");
    return [s](model::Levers& levers, const world::State&, int week) {
        model::Shock active = s;
        active.start_week = week;
        levers.shocks.push_back(std::move(active));
    };
}

// arms_restriction, funding_cut and sanctions: a cut of the sponsor's supply on some channels.
Action supply_cut(const Event& e, const world::Roster& roster, std::array<bool, 4> channels) {
    model::SupplyChange cut;
    cut.sponsor = sponsor_index(roster, scenario::event_text(e, "sponsor"));
    const std::vector<std::string> to = scenario::event_list(e, "to");
    cut.factions.assign(roster.faction_count(), to.empty());
    for (const std::string& id : to) cut.factions[faction_index(roster, id)] = true;
    cut.channels = channels;
    cut.factor = scenario::event_number(e, "factor");
    const int weeks = weeks_of(e);
    return [cut, weeks](model::Levers& levers, const world::State&, int week) {
        model::SupplyChange active = cut;
        active.until_week = week + weeks - 1;
        levers.supply_changes.push_back(std::move(active));
    };
}

Action barriers(const Event& e, const world::Roster& roster) {
    model::Barrier b;
    b.provinces = province_mask(e, roster);
    b.reduction = scenario::event_number(e, "reduction");
    b.ramp_weeks = scenario::event_number(e, "ramp_weeks");
    const int weeks = weeks_of(e);
    return [b, weeks](model::Levers& levers, const world::State&, int week) {
        model::Barrier active = b;
        active.start_week = week;
        active.until_week = week + weeks - 1;
        levers.barriers.push_back(std::move(active));
    };
}

Action targeting(const Event& e, const world::Roster& roster) {
    model::Campaign c;
    c.target = faction_index(roster, scenario::event_text(e, "target"));
    if (const std::string informant = scenario::event_text(e, "informant"); !informant.empty()) c.informant = faction_index(roster, informant);
    c.provinces = province_mask(e, roster);
    c.troop_share = scenario::event_number(e, "troop_share");
    c.informant_quality = scenario::event_number(e, "informant_quality");
    c.misdirection = scenario::event_number(e, "misdirection");
    const int weeks = weeks_of(e);
    return [c, weeks](model::Levers& levers, const world::State&, int week) {
        model::Campaign active = c;
        active.until_week = week + weeks - 1;
        levers.campaigns.push_back(std::move(active));
    };
}

// The factions named in `to`; absent, every faction the sponsor supplies money, arms or training.
std::vector<bool> factions_or_clients(const Event& e, const world::Roster& roster, std::size_t sponsor) {
    const std::vector<std::string> to = scenario::event_list(e, "to");
    std::vector<bool> mask(roster.faction_count(), false);
    for (const std::string& id : to) mask[faction_index(roster, id)] = true;
    if (to.empty()) {
        for (std::size_t f = 0; f < roster.faction_count(); ++f) {
            const auto& ties = roster.factions[f].sponsor_ties;
            if (sponsor < ties.size())
                for (std::size_t k = 0; k < world::channel_count; ++k)
                    if (k != world::political_cover_channel && ties[sponsor][k] > 0) mask[f] = true;
        }
    }
    return mask;
}

Action detente(const Event& e, const world::Roster& roster) {
    const std::size_t iran = sponsor_index(roster, "iran");
    const double remaining = 1.0 - scenario::event_number(e, "restraint");
    model::SupplyChange cut;
    cut.sponsor = iran;
    cut.factions = factions_or_clients(e, roster, iran);
    cut.channels = {false, true, true, false};  // arms and training
    cut.factor = remaining;
    model::Restraint restraint{cut.factions, remaining, 0};
    const int weeks = weeks_of(e);
    return [cut, restraint, weeks](model::Levers& levers, const world::State&, int week) {
        model::SupplyChange c = cut;
        c.until_week = week + weeks - 1;
        levers.supply_changes.push_back(std::move(c));
        model::Restraint r = restraint;
        r.until_week = week + weeks - 1;
        levers.restraints.push_back(std::move(r));
    };
}

Action strike(const Event& e, const world::Roster& roster) {
    const std::size_t iran = sponsor_index(roster, "iran");
    model::SupplyChange escalation;
    escalation.sponsor = iran;
    escalation.factions = factions_or_clients(e, roster, iran);
    escalation.channels = {false, true, true, false};  // arms and training
    escalation.factor = 1.0 + scenario::event_number(e, "retaliation");
    const int weeks = weeks_of(e);
    return [escalation, weeks](model::Levers& levers, const world::State&, int week) {
        model::SupplyChange active = escalation;
        active.until_week = week + weeks - 1;
        levers.supply_changes.push_back(std::move(active));
    };
}

Action stand_down(const Event& e, const world::Roster& roster) {
    model::StandDown order;
    order.faction = faction_index(roster, scenario::event_text(e, "faction"));
    order.provinces = province_mask(e, roster);
    order.share = scenario::event_number(e, "share");
    return [order](model::Levers& levers, const world::State&, int week) {
        model::StandDown active = order;
        active.week = week;
        levers.stand_downs.push_back(std::move(active));
    };
}

Action arms_interdiction(const Event& e, const world::Roster& roster) {
    const std::string sponsor_id = scenario::event_text(e, "sponsor");
    model::Interdiction i;
    i.sponsor = sponsor_index(roster, sponsor_id.empty() ? "iran" : sponsor_id);
    i.factions = factions_or_clients(e, roster, i.sponsor);
    i.channels = {false, true, true, false};  // arms and training cross the border; money moves through banks
    const std::vector<bool> patrolled = province_mask(e, roster);
    i.border_km.assign(roster.province_count(), 0.0);
    for (std::size_t p = 0; p < roster.province_count(); ++p) {
        const auto& borders = roster.provinces[p].border_km_with_sponsor;
        const double km = i.sponsor < borders.size() ? borders[i.sponsor] : 0.0;
        i.total_border_km += km;
        if (patrolled[p]) i.border_km[p] = km;
    }
    i.troop_share = scenario::event_number(e, "troop_share");
    i.max_stop = scenario::event_number(e, "max_stop");
    i.half_density_per_km = scenario::event_number(e, "half_density_per_km");
    const int weeks = weeks_of(e);
    return [i, weeks](model::Levers& levers, const world::State&, int week) {
        model::Interdiction active = i;
        active.until_week = week + weeks - 1;
        levers.interdictions.push_back(std::move(active));
    };
}

// Ends the ceasefire of the faction and its splinters: in force until last week, so expire() drops it now.
Action ceasefire_expiry(const Event& e, const world::Roster& roster) {
    const std::size_t f = faction_index(roster, scenario::event_text(e, "faction"));
    std::vector<std::size_t> affected{f};
    for (std::size_t g = 0; g < roster.faction_count(); ++g)
        if (roster.factions[g].splinter_of && roster.factions[g].splinter_of->index() == f) affected.push_back(g);
    return [affected](model::Levers& levers, const world::State&, int week) {
        for (std::size_t g : affected) {
            const auto gi = static_cast<Eigen::Index>(g);
            if (levers.ceasefire_until(gi) >= 0) levers.ceasefire_until(gi) = week - 1;
        }
    };
}

}  // namespace

Action compile_action(const scenario::Event& event, const world::Roster& roster) {
    if (event.policy == "ceasefire") return ceasefire(event, roster);
    if (event.policy == "arm_faction") return grant(event, roster, false);
    if (event.policy == "pay") return grant(event, roster, true);
    if (event.policy == "offensive") return offensive(event, roster);
    if (event.policy == "shock") return shock(event, roster);
    // Channels in world::Roster::channels order: money, arms, training, political cover.
    if (event.policy == "arms_restriction") return supply_cut(event, roster, {false, true, true, false});
    if (event.policy == "funding_cut") return supply_cut(event, roster, {true, false, false, false});
    if (event.policy == "sanctions") return supply_cut(event, roster, {true, true, true, false});
    if (event.policy == "barriers") return barriers(event, roster);
    if (event.policy == "targeting") return targeting(event, roster);
    if (event.policy == "detente") return detente(event, roster);
    if (event.policy == "strike") return strike(event, roster);
    if (event.policy == "stand_down") return stand_down(event, roster);
    if (event.policy == "ceasefire_expiry") return ceasefire_expiry(event, roster);
    if (event.policy == "arms_interdiction") return arms_interdiction(event, roster);
    return {};
}

}  // namespace iraqsim::policy
