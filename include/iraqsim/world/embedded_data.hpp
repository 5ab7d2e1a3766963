// The real data the Iraq world is built from, compiled into the binary.
//
// The definitions are generated at build time by scripts/gen_world.py from the CSV files in
// data/ (see data/NOTICE.md for sources and licences, docs/world.md for the derivation rules),
// so the binary never reads data/ at run time and a user's copy of the program is self-contained.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace iraqsim::world::data {

// Number of provinces; the per-province arrays below are in the order of provinces().
inline constexpr std::size_t province_count = 18;

// Column order of the community arrays below; matches world::Community.
inline constexpr std::size_t community_count = 4;
inline constexpr std::array<std::string_view, community_count> community_ids{"shia_arab", "sunni_arab", "kurd",
                                                                            "other"};

// Column order of the border arrays below; countries, not sponsors (Jordan, Kuwait and Turkey
// border Iraq but are not sponsors in the model).
inline constexpr std::size_t neighbour_count = 6;  // iran, syria, saudi_arabia, jordan, kuwait, turkey

struct ProvinceRecord {
    std::string_view id;            // snake_case, e.g. "salah_ad_din"
    std::string_view display_name;  // common English, e.g. "Salah ad-Din"
    std::string_view esoc_name;     // spelling in the ESOC source files, e.g. "Salah al-Din"
    double population_2003;         // persons, WFP estimate harmonised by ESOC
    double population_2005;
    double population_2007;
    // Share of residents by community (sums to 1), after the map's "mixed" areas are allocated
    // by the rule in docs/world.md; "other" holds Christians and Turkmen only.
    std::array<double, community_count> community_share;
    // December 2005 vote shares: Shia lists, Sunni lists, Kurdish lists, secular nationalist lists.
    std::array<double, 4> vote_share_dec2005;
    // Length of international border within 10 km of each neighbour, km.
    std::array<double, neighbour_count> border_km;
    double area_km2;
    double centroid_lat;
    double centroid_lon;
    // Share of the national US troop total stationed in the province (sums to 1 over provinces),
    // before the 2007 surge; rule and sources in docs/world.md.
    double us_troop_share;
    // [c][c2]: Lieberson's exposure index P*, the share of community c2 among the district
    // neighbours of an average member of community c (docs/world.md, "Exposure"); each row sums
    // to 1; a community with no members in the province has the province's composition as its row.
    std::array<std::array<double, community_count>, community_count> exposure;
};

struct AdjacencyRecord {
    std::uint16_t a;  // index into provinces()
    std::uint16_t b;  // index into provinces(), a < b
    double border_km;
};

// The 104 ESOC districts (data/world/district_population_ethnicity.csv), in province order and by
// name within a province: the home districts of citizen agents (docs/agents.md).
inline constexpr std::size_t district_count = 104;

struct DistrictRecord {
    std::string_view name;   // ESOC spelling, e.g. "Sadr City (Thawra)"
    std::uint16_t province;  // index into provinces()
    double population_2007;  // persons, WFP estimate harmonised by ESOC
    // Share of residents by community (sums to 1): the Gulf 2000 map with its "mixed" areas
    // allocated by the governorate's mixed rule (docs/world.md, "Exposure"); a district with no
    // population takes its province's composition.
    std::array<double, community_count> community_share;
};

struct MonthlyTroops {
    std::int16_t year;
    std::int8_t month;  // 1-12; the level at the end of this month
    double us_troops;
    bool observed;  // false: the documented extension to the December 2011 withdrawal
};

// Sponsors and channels of the sponsor-tie arrays below, in their order; world::Roster's sponsors
// are in the same order.
inline constexpr std::size_t sponsor_count = 4;
inline constexpr std::array<std::string_view, sponsor_count> sponsor_ids{"us", "iran", "saudi_arabia", "syria"};
inline constexpr std::size_t channel_count = 4;
inline constexpr std::array<std::string_view, channel_count> channel_ids{"money", "arms", "training",
                                                                        "political_cover"};

// One entry of a faction's violence_targets list.
struct ViolenceTargetRecord {
    std::string_view target;  // "us" (the US forces), a community id or a faction id
    double weight;            // share of the faction's violent effort; a faction's weights sum to 1
};

// One faction's parameters at the scenario start (2003-05-01), from data/derived/factions.csv;
// sources and caveats in data/derived/factions.md. Most values are order-of-magnitude estimates
// or stated assumptions.
struct FactionRecord {
    std::string_view id;               // faction id, e.g. "special_groups"
    double cohesion;                   // 0-1, how far the leadership controls its fighters
    double fighters_may_2003;          // national total of armed men on 2003-05-01, persons
    // Share of those fighters in each province, in provinces() order; sums to 1 (the CSV's
    // rounded list, renormalised).
    std::array<double, province_count> fighters_share;
    double home_revenue_usd_per_week;  // own (non-sponsor) income, US dollars per week
    double foreignness;                // 0-1, how visibly foreign-backed in Iraqi eyes
    // [sponsor][channel]: share of the sponsor's Iraq attention going to this faction through the
    // channel; for each sponsor the weights over all factions and channels sum to 1.
    std::array<std::array<double, channel_count>, sponsor_count> sponsor_ties;
    std::string_view recruitment;      // "volunteer" (from supporters) or "salaried" (hired for pay)
    double fighter_cost_usd_per_week;  // pay and upkeep of one fighter, US dollars per week
    std::string_view splinter_of;      // faction id it split from, or empty
    std::string_view realigns_from;    // faction id whose fighters can realign into it, or empty
    // Whom its violence is aimed at, in the CSV's order (renormalised); empty: no violence.
    std::span<const ViolenceTargetRecord> violence_targets;
};

std::span<const ProvinceRecord> provinces();
std::span<const AdjacencyRecord> adjacency();
std::span<const DistrictRecord> districts();
std::span<const MonthlyTroops> us_troops_monthly();
std::span<const FactionRecord> factions();

}  // namespace iraqsim::world::data
