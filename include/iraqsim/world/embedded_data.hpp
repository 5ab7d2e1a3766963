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

// Column order of the community arrays below; matches world::Community.
inline constexpr std::size_t community_count = 4;  // shia_arab, sunni_arab, kurd, other

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
};

struct AdjacencyRecord {
    std::uint16_t a;  // index into provinces()
    std::uint16_t b;  // index into provinces(), a < b
    double border_km;
};

struct MonthlyTroops {
    std::int16_t year;
    std::int8_t month;  // 1-12; the level at the end of this month
    double us_troops;
    bool observed;  // false: the documented extension to the December 2011 withdrawal
};

std::span<const ProvinceRecord> provinces();
std::span<const AdjacencyRecord> adjacency();
std::span<const MonthlyTroops> us_troops_monthly();

}  // namespace iraqsim::world::data
