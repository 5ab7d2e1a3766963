#include "iraqsim/policy/actions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

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
        levers.compliance(fi) = 1.0 - (1.0 - levers.cohesion(f, cohesion)) * (1.0 - leverage(f));
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
    o.target_engaged = scenario::event_number(e, "target_engaged");  // NaN when absent: the usual share
    const int weeks = weeks_of(e);
    return [o, weeks](model::Levers& levers, const world::State&, int week) {
        model::Offensive active = o;
        active.until_week = week + weeks - 1;
        levers.offensives.push_back(std::move(active));
    };
}

Action uprising(const Event& e, const world::Roster& roster) {
    model::Uprising u;
    u.faction = faction_index(roster, scenario::event_text(e, "faction"));
    u.provinces = province_mask(e, roster);
    const double intensity = scenario::event_number(e, "intensity");
    const double cohesion = roster.factions[u.faction].cohesion;
    const int weeks = weeks_of(e);
    return [u, intensity, cohesion, weeks](model::Levers& levers, const world::State&, int week) {
        model::Uprising active = u;
        // Those who answer the call are those who would obey an order to hold fire.
        active.multiplier = 1.0 + (intensity - 1.0) * levers.cohesion(u.faction, cohesion);
        active.until_week = week + weeks - 1;
        levers.uprisings.push_back(std::move(active));
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

// A stable key for the event's random stream: FNV-1a of its id, so that its draws do not depend on
// which other events the scenario holds.
std::uint64_t event_key(const std::string& id) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char ch : id) h = (h ^ static_cast<std::uint8_t>(ch)) * 0x100000001b3ULL;
    return h;
}

Action accord(const Event& e, const world::Roster& roster) {
    model::Accord a;
    a.id = e.id;
    a.parties.assign(roster.faction_count(), false);
    for (const std::string& id : scenario::event_list(e, "parties")) {
        a.parties[faction_index(roster, id)] = true;
        a.target += (a.target.empty() ? "" : " ") + id;
    }
    const std::size_t broker = sponsor_index(roster, scenario::event_text(e, "sponsor"));
    a.restraint = scenario::event_number(e, "restraint");
    a.collapse_per_week = scenario::event_number(e, "collapse_per_week");
    a.key = event_key(e.id);
    const double guarantee = scenario::event_number(e, "guarantee");
    std::vector<double> cohesion;
    for (const world::Faction& f : roster.factions) cohesion.push_back(f.cohesion);
    const int weeks = weeks_of(e);
    return [a, broker, guarantee, cohesion, weeks](model::Levers& levers, const world::State& state, int week) {
        model::Accord active = a;
        active.honour.assign(cohesion.size(), 0.0);
        for (std::size_t f = 0; f < cohesion.size(); ++f) {
            if (!active.parties[f]) continue;
            const double leverage = guarantee * state.dependence(static_cast<Eigen::Index>(broker), static_cast<Eigen::Index>(f));
            active.honour[f] = 1.0 - (1.0 - levers.cohesion(f, cohesion[f])) * (1.0 - leverage);
        }
        active.start_week = week;
        active.until_week = week + weeks - 1;
        levers.accords.push_back(std::move(active));
    };
}

Action assassination_campaign(const Event& e, const world::Roster& roster) {
    model::AssassinationCampaign c;
    c.perpetrator = faction_index(roster, scenario::event_text(e, "faction"));
    c.target = faction_index(roster, scenario::event_text(e, "target"));
    c.provinces = province_mask(e, roster);
    c.squad_share = scenario::event_number(e, "squad_share");
    c.kills_per_squad_week = scenario::event_number(e, "kills_per_squad_week");
    c.civilian_share = scenario::event_number(e, "civilian_share");
    c.leader_share = scenario::event_number(e, "leader_share");
    c.fighters_per_leader = scenario::event_number(e, "fighters_per_leader");
    c.recovery_weeks = scenario::event_number(e, "recovery_weeks");
    c.key = event_key(e.id);
    const int weeks = weeks_of(e);
    return [c, weeks](model::Levers& levers, const world::State&, int week) {
        model::AssassinationCampaign active = c;
        active.until_week = week + weeks - 1;
        levers.assassinations.push_back(std::move(active));
    };
}

Action partition(const Event& e, const world::Roster& roster) {
    model::Partition part;
    const std::size_t C = roster.community_count();
    part.has_region.assign(C, false);
    for (const world::Province& p : roster.provinces) {
        const auto largest = std::max_element(p.community_share.begin(), p.community_share.end()) - p.community_share.begin();
        part.region.push_back(static_cast<int>(largest));
        part.has_region[static_cast<std::size_t>(largest)] = true;
    }
    std::vector<std::string> backers = scenario::event_list(e, "backers");
    if (!e.fields.contains("backers")) backers = {"us"};
    part.backers.assign(roster.sponsor_count(), false);
    for (const std::string& id : backers) part.backers[sponsor_index(roster, id)] = true;
    std::vector<std::string> angry = scenario::event_list(e, "backlash_communities");
    if (!e.fields.contains("backlash_communities")) angry = {"shia_arab", "sunni_arab"};
    part.backlash.assign(C, 0.0);
    for (const std::string& id : angry)
        if (const auto c = roster.find_community(id)) part.backlash[c->index()] = scenario::event_number(e, "backlash");
    part.salience = scenario::event_number(e, "salience");
    part.relocation_per_week = scenario::event_number(e, "relocation_per_week");
    part.ramp_weeks = scenario::event_number(e, "ramp_weeks");
    const int weeks = weeks_of(e);
    return [part, weeks](model::Levers& levers, const world::State&, int week) {
        model::Partition active = part;
        active.start_week = week;
        active.until_week = week + weeks - 1;
        levers.partitions.push_back(std::move(active));
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
    if (event.policy == "uprising") return uprising(event, roster);
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
    if (event.policy == "accord") return accord(event, roster);
    if (event.policy == "assassination_campaign") return assassination_campaign(event, roster);
    if (event.policy == "partition") return partition(event, roster);
    return {};
}

}  // namespace iraqsim::policy
