#include "iraqsim/world/roster.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "iraqsim/core/error.hpp"
#include "iraqsim/world/embedded_data.hpp"

namespace iraqsim::world {
namespace {

bool same_name(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

template <class IdT, class Entity>
std::optional<IdT> find_by_name(const std::vector<Entity>& entities, std::string_view name) {
    for (std::size_t i = 0; i < entities.size(); ++i) {
        if (entities[i].id == name || same_name(entities[i].display_name, name)) return IdT{i};
    }
    return std::nullopt;
}

// The data names entities by id only (no display names).
template <class IdT, class Entity>
std::optional<IdT> find_by_id(const std::vector<Entity>& entities, std::string_view id) {
    for (std::size_t i = 0; i < entities.size(); ++i) {
        if (entities[i].id == id) return IdT{i};
    }
    return std::nullopt;
}

std::vector<Community> make_communities() {
    return {{"shia_arab", "Shia Arab"}, {"sunni_arab", "Sunni Arab"}, {"kurd", "Kurd"}, {"other", "Other"}};
}

// Sponsors of the article: the US and Iran; Saudi Arabia and Syria as the Sunni insurgency's
// outside supporters (money, and the foreign-fighter route through Syria). Their ties come with
// the model (docs/model.md).
// Budgets from data/derived/factions.md ("Sponsors: rough weekly budgets by channel"):
// - US: the Iraq Security Forces Fund, $20.5 billion over about 400 weeks (SIGIR, July 2011), plus
//   about $10 million a week of CERP: $60 million a week.
// - Iran: no published total. Bergner (July 2007) put Quds Force support of the Special Groups at
//   $0.75-3 million a month ($0.17-0.7 million a week); the Special Groups hold 0.32 of Iran's ties,
//   which scales to $0.5-2.2 million a week in all: $1.5 million a week (assumption within that range).
// - Saudi Arabia: private donors, "millions of dollars" (AP, December 2006): $0.5 million a week
//   (assumption, range 0.2-1).
// - Syria: a sanctuary and transit route, not a payer: political cover only, no budget.
std::vector<Sponsor> make_sponsors() {
    return {{"us", "United States", 60e6},
            {"iran", "Iran", 1.5e6},
            {"saudi_arabia", "Saudi Arabia", 0.5e6},
            {"syria", "Syria", 0.0}};
}

std::vector<Channel> make_channels() {
    return {{"money", "Money"}, {"arms", "Arms"}, {"training", "Training"}, {"political_cover", "Political cover"}};
}

// The factions of the article and the history. Bloc weights split the December 2005 lists among
// the factions they contained (docs/model.md, "Initial loyalty"): of the United Iraqi Alliance's
// 128 seats, SCIRI/Badr held about 30, the Sadrists about 30 and the two Dawa parties about 25;
// the rest (Fadhila, independents) count as unaligned. The Sunni lists' voters are split between
// the parties and the armed groups their voters sympathised with (PIPA, January 2006: 88% of Sunni
// Arabs approved of attacks on US-led forces): 0.5 parties, 0.3 insurgents, 0.2 al-Qaeda, an
// assumption to calibrate.
std::vector<Faction> make_factions() {
    const CommunityId shia{0}, sunni{1}, kurd{2}, other{3};
    using B = ElectoralBloc;
    return {
        {"isci", "ISCI / Badr Corps", {shia}, B::shia_lists, 30.0 / 128.0},
        {"jam", "Sadrists / Jaish al-Mahdi", {shia}, B::shia_lists, 30.0 / 128.0},
        {"special_groups", "JAM Special Groups", {shia}, B::none, 0.0},
        {"government", "Maliki government (Dawa) / Iraqi Security Forces", {shia}, B::shia_lists, 25.0 / 128.0},
        {"sunni_insurgents", "Sunni insurgents and ex-Baathists", {sunni}, B::sunni_lists, 0.3},
        {"awakening", "Sunni Awakening (Sons of Iraq)", {sunni}, B::none, 0.0},
        {"aqi", "al-Qaeda in Iraq", {sunni}, B::sunni_lists, 0.2},
        {"sunni_parties", "Sunni parties (Iraqi Accord Front)", {sunni}, B::sunni_lists, 0.5},
        {"kurdish_parties", "Kurdish parties / Peshmerga", {kurd}, B::kurdish_lists, 1.0},
        {"secular_nationalists", "Secular nationalists", {shia, sunni, other}, B::secular_lists, 1.0},
    };
}

// Cohesion, fighters, revenue, foreignness, sponsor ties, recruitment, fighter cost, splinter and
// realignment links and violence targets from data/derived/factions.csv (via the embedded data),
// matched by id. The roster's sponsors, channels and communities must be the data's, in order.
void fill_faction_parameters(Roster& roster) {
    auto mismatch = [](const std::string& what) {
        throw core::Error("embedded faction data (data/derived/factions.csv) and roster disagree: " + what);
    };
    if (roster.sponsors.size() != data::sponsor_count) mismatch("sponsor count");
    for (std::size_t s = 0; s < data::sponsor_count; ++s) {
        if (roster.sponsors[s].id != data::sponsor_ids[s]) mismatch("sponsor " + roster.sponsors[s].id);
    }
    if (roster.channels.size() != data::channel_count || channel_count != data::channel_count) mismatch("channel count");
    for (std::size_t c = 0; c < data::channel_count; ++c) {
        if (roster.channels[c].id != data::channel_ids[c]) mismatch("channel " + roster.channels[c].id);
    }
    if (roster.communities.size() != data::community_count) mismatch("community count");
    for (std::size_t c = 0; c < data::community_count; ++c) {
        if (roster.communities[c].id != data::community_ids[c]) mismatch("community " + roster.communities[c].id);
    }
    const auto faction_ref = [&](std::string_view id, const std::string& what) -> std::optional<FactionId> {
        if (id.empty()) return std::nullopt;
        const auto found = find_by_id<FactionId>(roster.factions, id);
        if (!found) mismatch(what + " names unknown faction '" + std::string(id) + "'");
        return found;
    };
    const auto records = data::factions();
    for (Faction& faction : roster.factions) {
        const auto it = std::find_if(records.begin(), records.end(),
                                     [&](const data::FactionRecord& r) { return r.id == faction.id; });
        if (it == records.end()) mismatch("no row for faction '" + faction.id + "'");
        faction.cohesion = it->cohesion;
        faction.initial_fighters = it->fighters_may_2003;
        faction.fighters_distribution.assign(it->fighters_share.begin(), it->fighters_share.end());
        faction.home_revenue_usd_per_week = it->home_revenue_usd_per_week;
        faction.foreignness = it->foreignness;
        faction.sponsor_ties.assign(it->sponsor_ties.begin(), it->sponsor_ties.end());
        if (it->recruitment == "volunteer") {
            faction.recruitment = Recruitment::volunteer;
        } else if (it->recruitment == "salaried") {
            faction.recruitment = Recruitment::salaried;
        } else {
            mismatch("recruitment '" + std::string(it->recruitment) + "' of faction '" + faction.id + "'");
        }
        faction.fighter_cost_usd_per_week = it->fighter_cost_usd_per_week;
        faction.splinter_of = faction_ref(it->splinter_of, "splinter_of of '" + faction.id + "'");
        faction.realigns_from = faction_ref(it->realigns_from, "realigns_from of '" + faction.id + "'");
        faction.violence_targets.clear();
        for (const data::ViolenceTargetRecord& t : it->violence_targets) {
            ViolenceTarget target;
            target.weight = t.weight;
            if (t.target == "us") {
                target.kind = ViolenceTarget::Kind::us_forces;
            } else if (const auto c = find_by_id<CommunityId>(roster.communities, t.target)) {
                target.kind = ViolenceTarget::Kind::community;
                target.index = c->index();
            } else if (const auto f = find_by_id<FactionId>(roster.factions, t.target)) {
                target.kind = ViolenceTarget::Kind::faction;
                target.index = f->index();
            } else {
                mismatch("violence target '" + std::string(t.target) + "' of faction '" + faction.id + "'");
            }
            faction.violence_targets.push_back(target);
        }
    }
    for (const data::FactionRecord& r : records) {
        const bool known = std::any_of(roster.factions.begin(), roster.factions.end(),
                                       [&](const Faction& f) { return f.id == r.id; });
        if (!known) mismatch("row '" + std::string(r.id) + "' is not a roster faction");
    }
}

Roster build_iraq_roster() {
    Roster roster;
    roster.communities = make_communities();
    roster.sponsors = make_sponsors();
    roster.channels = make_channels();
    roster.factions = make_factions();
    for (const data::ProvinceRecord& r : data::provinces()) {
        Province p;
        p.id = std::string(r.id);
        p.display_name = std::string(r.display_name);
        p.population_2003 = r.population_2003;
        p.population_2005 = r.population_2005;
        p.population_2007 = r.population_2007;
        p.community_share.assign(r.community_share.begin(), r.community_share.end());
        p.vote_share_dec2005 = r.vote_share_dec2005;
        // Neighbour columns: iran, syria, saudi_arabia, jordan, kuwait, turkey.
        p.border_km_with_sponsor = {0.0, r.border_km[0], r.border_km[2], r.border_km[1]};
        p.us_troop_share = r.us_troop_share;
        p.exposure.reserve(data::community_count * data::community_count);
        for (const auto& row : r.exposure) p.exposure.insert(p.exposure.end(), row.begin(), row.end());
        roster.provinces.push_back(std::move(p));
    }
    for (const data::AdjacencyRecord& a : data::adjacency()) {
        roster.adjacency.push_back({ProvinceId{a.a}, ProvinceId{a.b}, a.border_km});
    }
    if (roster.provinces.size() != data::province_count) {
        throw core::Error("embedded data: expected " + std::to_string(data::province_count) + " provinces");
    }
    fill_faction_parameters(roster);
    return roster;
}

}  // namespace

std::optional<ProvinceId> Roster::find_province(std::string_view name) const {
    return find_by_name<ProvinceId>(provinces, name);
}
std::optional<CommunityId> Roster::find_community(std::string_view name) const {
    return find_by_name<CommunityId>(communities, name);
}
std::optional<FactionId> Roster::find_faction(std::string_view name) const {
    return find_by_name<FactionId>(factions, name);
}
std::optional<SponsorId> Roster::find_sponsor(std::string_view name) const {
    return find_by_name<SponsorId>(sponsors, name);
}

const Roster& iraq_roster() {
    static const Roster roster = build_iraq_roster();
    return roster;
}

}  // namespace iraqsim::world
