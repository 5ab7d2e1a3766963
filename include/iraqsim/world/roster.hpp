// The world's roster: every entity of every dimension, with its id, display name and the static
// facts the model is built on. Names resolve to typed ids here, once; the step loop sees indices.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iraqsim/core/ids.hpp"

namespace iraqsim::world {

using core::CommunityId;
using core::FactionId;
using core::ProvinceId;
using core::SponsorId;

struct Community {
    std::string id;            // shia_arab, sunni_arab, kurd, other
    std::string display_name;  // "Shia Arab"
};

struct Province {
    std::string id;            // baghdad, salah_ad_din
    std::string display_name;  // "Baghdad", "Salah ad-Din"
    double population_2003 = 0;
    double population_2005 = 0;
    double population_2007 = 0;
    std::vector<double> community_share;  // [community], sums to 1
    std::array<double, 4> vote_share_dec2005{};  // Shia, Sunni, Kurdish, secular-nationalist lists
    std::vector<double> border_km_with_sponsor;   // [sponsor] international border, km
    double us_troop_share = 0;  // share of the national US total stationed here before the surge
    // [c * C + c2]: share of community c2 among the district neighbours of an average member of
    // community c (Lieberson's P*, docs/world.md, "Exposure"); each row sums to 1. District-level
    // mixing overstates neighbourhood mixing; the model scales it.
    std::vector<double> exposure;
};

struct Adjacency {
    ProvinceId a;
    ProvinceId b;
    double border_km = 0;
};

// Which list of the December 2005 election a faction's initial supporters voted for.
enum class ElectoralBloc { none, shia_lists, sunni_lists, kurdish_lists, secular_lists };

// Channels through which a sponsor backs a faction; Roster::channels lists them in this order.
inline constexpr std::size_t channel_count = 4;  // money, arms, training, political_cover
using ChannelWeights = std::array<double, channel_count>;
// The one channel that is not money's worth: a share of the sponsor's attention.
inline constexpr std::size_t political_cover_channel = 3;

// How a faction gets its fighters (data/derived/factions.md): volunteers come from its supporters;
// salaried fighters are hired from its base communities for pay.
enum class Recruitment { volunteer, salaried };

// One target of a faction's violence: the US forces, a faction or a community, with the share of
// the faction's violent effort aimed at it.
struct ViolenceTarget {
    enum class Kind { us_forces, faction, community };
    Kind kind = Kind::us_forces;
    std::size_t index = 0;  // faction or community index; 0 for the US forces
    double weight = 0;      // the weights of a faction's targets sum to 1
};

struct Faction {
    std::string id;            // isci, jam, special_groups
    std::string display_name;  // "ISCI / Badr Corps"
    std::vector<CommunityId> community_base;  // communities it recruits from and speaks for
    ElectoralBloc bloc = ElectoralBloc::none;
    double bloc_weight = 0;  // its share of the bloc's vote, see docs/model.md
    // Parameters at the start (2003-05-01) from data/derived/factions.csv; sources in
    // data/derived/factions.md (most are order-of-magnitude estimates or stated assumptions).
    double cohesion = 0;          // 0-1, how far the leadership controls its fighters
    double initial_fighters = 0;  // national total of armed men, persons
    std::vector<double> fighters_distribution{};  // [province] share of the fighters, sums to 1
    double home_revenue_usd_per_week = 0;  // own (non-sponsor) income
    double foreignness = 0;  // 0-1, how visibly foreign-backed in Iraqi eyes
    // [sponsor][channel]: share of the sponsor's Iraq attention going to this faction through the
    // channel; for each sponsor the weights over all factions and channels sum to 1.
    std::vector<ChannelWeights> sponsor_ties{};
    Recruitment recruitment = Recruitment::volunteer;
    double fighter_cost_usd_per_week = 0;  // pay and upkeep of one fighter
    std::optional<FactionId> splinter_of{};    // the faction it split from
    std::optional<FactionId> realigns_from{};  // the faction whose fighters can realign into it
    std::vector<ViolenceTarget> violence_targets{};  // empty: no violence
};

struct Sponsor {
    std::string id;            // us, iran
    std::string display_name;  // "United States"
    // What the sponsor spends on Iraqi factions, US dollars per week (docs/model.md, "Sponsors").
    double budget_usd_per_week = 0;
    // Richardson's reaction: arms (USD) the sponsor adds each week to each faction it arms, per
    // dollar of arms its enemies hold (docs/model.md, "Sponsors"). 0: no reaction.
    double arms_reaction_per_week = 0;
};

struct Channel {
    std::string id;            // money, arms, training, political_cover
    std::string display_name;  // "Political cover"
};

struct Roster {
    std::vector<Community> communities;
    std::vector<Province> provinces;
    std::vector<Adjacency> adjacency;
    std::vector<Faction> factions;
    std::vector<Sponsor> sponsors;
    std::vector<Channel> channels;  // index = position in ChannelWeights

    [[nodiscard]] std::size_t province_count() const { return provinces.size(); }
    [[nodiscard]] std::size_t community_count() const { return communities.size(); }
    [[nodiscard]] std::size_t faction_count() const { return factions.size(); }
    [[nodiscard]] std::size_t sponsor_count() const { return sponsors.size(); }

    // Accept the snake_case id or the display name (case-insensitive), as the CLI and scripts do.
    [[nodiscard]] std::optional<ProvinceId> find_province(std::string_view name) const;
    [[nodiscard]] std::optional<CommunityId> find_community(std::string_view name) const;
    [[nodiscard]] std::optional<FactionId> find_faction(std::string_view name) const;
    [[nodiscard]] std::optional<SponsorId> find_sponsor(std::string_view name) const;
};

// The Iraq world built from the embedded data (docs/world.md) and the faction and sponsor roster
// (docs/model.md). Built once; immutable.
const Roster& iraq_roster();

}  // namespace iraqsim::world
