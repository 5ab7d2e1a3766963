#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "iraqsim/world/roster.hpp"

using iraqsim::world::iraq_roster;
using iraqsim::world::Roster;

namespace {

bool is_snake_case(const std::string& s) {
    if (s.empty() || s.front() == '_' || s.back() == '_') return false;
    if (!std::islower(static_cast<unsigned char>(s.front()))) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto ch = static_cast<unsigned char>(s[i]);
        if (!(std::islower(ch) || std::isdigit(ch) || ch == '_')) return false;
        if (ch == '_' && i + 1 < s.size() && s[i + 1] == '_') return false;
    }
    return true;
}

std::size_t index_of(const Roster& roster, const char* province) {
    const auto id = roster.find_province(province);
    REQUIRE(id.has_value());
    return id->index();
}

}  // namespace

TEST_CASE("the roster has 18 provinces with unique snake_case ids", "[world][roster]") {
    const Roster& roster = iraq_roster();
    REQUIRE(roster.province_count() == 18);
    std::set<std::string> ids;
    for (const auto& p : roster.provinces) {
        INFO(p.id);
        CHECK(is_snake_case(p.id));
        CHECK_FALSE(p.display_name.empty());
        ids.insert(p.id);
    }
    CHECK(ids.size() == 18);
    const std::set<std::string> expected{"anbar",   "babil",    "baghdad", "basra",        "dhi_qar",
                                         "diyala",  "dohuk",    "erbil",   "karbala",      "kirkuk",
                                         "maysan",  "muthanna", "najaf",   "nineveh",      "qadisiyah",
                                         "salah_ad_din", "sulaymaniyah", "wasit"};
    CHECK(ids == expected);
    CHECK(roster.provinces.front().id == "anbar");
    CHECK(roster.provinces.back().id == "wasit");
}

TEST_CASE("every province's community shares sum to 1", "[world][roster]") {
    const Roster& roster = iraq_roster();
    REQUIRE(roster.community_count() == 4);
    CHECK(roster.communities[0].id == "shia_arab");
    CHECK(roster.communities[1].id == "sunni_arab");
    CHECK(roster.communities[2].id == "kurd");
    CHECK(roster.communities[3].id == "other");
    const auto other = roster.find_community("other");
    REQUIRE(other.has_value());
    for (const auto& p : roster.provinces) {
        INFO(p.id);
        REQUIRE(p.community_share.size() == roster.community_count());
        for (double s : p.community_share) {
            CHECK(s >= 0.0);
            CHECK(s <= 1.0);
        }
        CHECK(std::accumulate(p.community_share.begin(), p.community_share.end(), 0.0) == Approx(1.0).margin(1e-9));
        CHECK(p.community_share[other->index()] < 0.1);
    }
}

TEST_CASE("province populations are positive", "[world][roster]") {
    double total_2007 = 0;
    for (const auto& p : iraq_roster().provinces) {
        INFO(p.id);
        CHECK(p.population_2003 > 0);
        CHECK(p.population_2005 > 0);
        CHECK(p.population_2007 > 0);
        total_2007 += p.population_2007;
    }
    // Iraq had roughly 27-32 million people in 2007 (WFP).
    CHECK(total_2007 > 25e6);
    CHECK(total_2007 < 35e6);
    // Baghdad is the most populous governorate.
    const Roster& roster = iraq_roster();
    const auto baghdad = index_of(roster, "baghdad");
    for (std::size_t p = 0; p < roster.province_count(); ++p) {
        if (p != baghdad) CHECK(roster.provinces[p].population_2007 < roster.provinces[baghdad].population_2007);
    }
}

TEST_CASE("adjacency has 40 distinct ordered pairs and connects every province", "[world][roster]") {
    const Roster& roster = iraq_roster();
    REQUIRE(roster.adjacency.size() == 40);
    std::set<std::pair<std::size_t, std::size_t>> pairs;
    std::vector<std::vector<std::size_t>> neighbours(roster.province_count());
    for (const auto& a : roster.adjacency) {
        CHECK(a.a.index() < a.b.index());
        CHECK(a.b.index() < roster.province_count());
        CHECK(a.border_km > 0);
        pairs.insert({a.a.index(), a.b.index()});
        neighbours[a.a.index()].push_back(a.b.index());
        neighbours[a.b.index()].push_back(a.a.index());
    }
    CHECK(pairs.size() == 40);

    std::vector<bool> seen(roster.province_count(), false);
    std::vector<std::size_t> queue{0};
    seen[0] = true;
    for (std::size_t head = 0; head < queue.size(); ++head) {
        for (std::size_t q : neighbours[queue[head]]) {
            if (!seen[q]) {
                seen[q] = true;
                queue.push_back(q);
            }
        }
    }
    CHECK(queue.size() == roster.province_count());
}

TEST_CASE("Baghdad borders exactly Anbar, Babil, Diyala, Salah ad-Din and Wasit", "[world][roster]") {
    const Roster& roster = iraq_roster();
    const auto baghdad = index_of(roster, "baghdad");
    std::set<std::string> neighbours;
    for (const auto& a : roster.adjacency) {
        if (a.a.index() == baghdad) neighbours.insert(roster.provinces[a.b.index()].id);
        if (a.b.index() == baghdad) neighbours.insert(roster.provinces[a.a.index()].id);
    }
    CHECK(neighbours == std::set<std::string>{"anbar", "babil", "diyala", "salah_ad_din", "wasit"});
}

TEST_CASE("US troop shares sum to 1 and Baghdad and Anbar hold the most", "[world][roster]") {
    const Roster& roster = iraq_roster();
    double sum = 0;
    std::vector<std::pair<double, std::string>> by_share;
    for (const auto& p : roster.provinces) {
        INFO(p.id);
        CHECK(p.us_troop_share >= 0);
        sum += p.us_troop_share;
        by_share.emplace_back(p.us_troop_share, p.id);
    }
    CHECK(sum == Approx(1.0).margin(1e-9));
    std::sort(by_share.rbegin(), by_share.rend());
    const std::set<std::string> top_two{by_share[0].second, by_share[1].second};
    CHECK(top_two == std::set<std::string>{"baghdad", "anbar"});
    CHECK(by_share[1].first > by_share[2].first);
}

TEST_CASE("find_province accepts the id or the display name in any case", "[world][roster]") {
    const Roster& roster = iraq_roster();
    const auto by_id = roster.find_province("salah_ad_din");
    REQUIRE(by_id.has_value());
    CHECK(roster.provinces[by_id->index()].display_name == "Salah ad-Din");
    CHECK(roster.find_province("Salah ad-Din") == by_id);
    CHECK(roster.find_province("SALAH AD-DIN") == by_id);
    CHECK(roster.find_province("salah ad-din") == by_id);

    const auto baghdad = roster.find_province("baghdad");
    REQUIRE(baghdad.has_value());
    CHECK(roster.provinces[baghdad->index()].id == "baghdad");
    CHECK(roster.find_province("BAGHDAD") == baghdad);
    CHECK(roster.find_province("Dhi Qar") == roster.find_province("dhi_qar"));
    CHECK(roster.find_province("dhi_qar") != baghdad);

    CHECK_FALSE(roster.find_province("Atlantis").has_value());
    CHECK_FALSE(roster.find_province("").has_value());
    CHECK_FALSE(roster.find_province("baghda").has_value());
    CHECK_FALSE(roster.find_province("baghdad ").has_value());
    CHECK_FALSE(roster.find_province("Salah al-Din").has_value());  // ESOC spelling is not a name
}

TEST_CASE("every province resolves to itself by id and by display name", "[world][roster]") {
    const Roster& roster = iraq_roster();
    for (std::size_t i = 0; i < roster.province_count(); ++i) {
        const auto& p = roster.provinces[i];
        INFO(p.id);
        const auto by_id = roster.find_province(p.id);
        const auto by_name = roster.find_province(p.display_name);
        REQUIRE(by_id.has_value());
        REQUIRE(by_name.has_value());
        CHECK(by_id->index() == i);
        CHECK(by_name->index() == i);
    }
}

TEST_CASE("the factions and sponsors of the model exist", "[world][roster]") {
    const Roster& roster = iraq_roster();
    const std::vector<std::string> factions{"isci",         "jam",     "special_groups",  "government",
                                            "sunni_insurgents", "awakening", "aqi", "kurdish_parties",
                                            "secular_nationalists", "sunni_parties"};
    CHECK(roster.faction_count() == factions.size());
    std::set<std::size_t> faction_indices;
    for (const auto& f : factions) {
        INFO(f);
        const auto id = roster.find_faction(f);
        REQUIRE(id.has_value());
        CHECK(roster.factions[id->index()].id == f);
        CHECK_FALSE(roster.factions[id->index()].community_base.empty());
        faction_indices.insert(id->index());
    }
    CHECK(faction_indices.size() == factions.size());
    CHECK_FALSE(roster.find_faction("taliban").has_value());

    const std::vector<std::string> sponsors{"us", "iran", "saudi_arabia", "syria"};
    CHECK(roster.sponsor_count() == sponsors.size());
    for (const auto& s : sponsors) {
        INFO(s);
        const auto id = roster.find_sponsor(s);
        REQUIRE(id.has_value());
        CHECK(roster.sponsors[id->index()].id == s);
    }
    CHECK(roster.find_sponsor("Iran") == roster.find_sponsor("iran"));
    CHECK(roster.find_sponsor("United States") == roster.find_sponsor("us"));
    CHECK_FALSE(roster.find_sponsor("jordan").has_value());
}

TEST_CASE("faction community bases name the communities they recruit from", "[world][roster]") {
    const Roster& roster = iraq_roster();
    auto base_of = [&](const char* faction) {
        std::set<std::string> out;
        for (auto c : roster.factions[roster.find_faction(faction)->index()].community_base) {
            out.insert(roster.communities[c.index()].id);
        }
        return out;
    };
    CHECK(base_of("jam") == std::set<std::string>{"shia_arab"});
    CHECK(base_of("aqi") == std::set<std::string>{"sunni_arab"});
    CHECK(base_of("kurdish_parties") == std::set<std::string>{"kurd"});
    CHECK(base_of("secular_nationalists").count("kurd") == 0);
}

TEST_CASE("international borders are attributed to the right sponsor", "[world][roster]") {
    const Roster& roster = iraq_roster();
    const auto iran = roster.find_sponsor("iran")->index();
    const auto syria = roster.find_sponsor("syria")->index();
    const auto saudi = roster.find_sponsor("saudi_arabia")->index();
    const auto us = roster.find_sponsor("us")->index();
    auto border = [&](const char* province, std::size_t sponsor) {
        const auto& p = roster.provinces[index_of(roster, province)];
        REQUIRE(p.border_km_with_sponsor.size() == roster.sponsor_count());
        return p.border_km_with_sponsor[sponsor];
    };
    for (const char* p : {"basra", "maysan", "wasit", "diyala", "sulaymaniyah"}) {
        INFO(p);
        CHECK(border(p, iran) > 0);
    }
    CHECK(border("baghdad", iran) == 0);
    CHECK(border("baghdad", syria) == 0);
    CHECK(border("baghdad", saudi) == 0);
    CHECK(border("anbar", iran) == 0);
    CHECK(border("anbar", syria) > 0);
    CHECK(border("anbar", saudi) > 0);
    CHECK(border("basra", syria) == 0);  // Basra borders Saudi Arabia, not Syria
    CHECK(border("basra", saudi) > 0);
    for (const auto& p : roster.provinces) CHECK(p.border_km_with_sponsor[us] == 0);
}

TEST_CASE("exposure rows are shares that sum to 1 for every province and community", "[world][roster][exposure]") {
    const Roster& roster = iraq_roster();
    const std::size_t n = roster.community_count();
    for (const auto& p : roster.provinces) {
        REQUIRE(p.exposure.size() == n * n);
        for (std::size_t c = 0; c < n; ++c) {
            INFO(p.id << " / " << roster.communities[c].id);
            double sum = 0;
            for (std::size_t c2 = 0; c2 < n; ++c2) {
                const double x = p.exposure[c * n + c2];
                CHECK(x >= 0.0);
                CHECK(x <= 1.0);
                sum += x;
            }
            CHECK(std::abs(sum - 1.0) < 1e-9);
        }
    }
}

TEST_CASE("exposure reflects who lives next to whom", "[world][roster][exposure]") {
    const Roster& roster = iraq_roster();
    const std::size_t n = roster.community_count();
    const std::size_t shia = roster.find_community("shia_arab")->index();
    const std::size_t sunni = roster.find_community("sunni_arab")->index();
    const std::size_t kurd = roster.find_community("kurd")->index();
    auto exposure = [&](const char* province, std::size_t c, std::size_t c2) {
        return roster.provinces[index_of(roster, province)].exposure[c * n + c2];
    };
    // Anbar is nearly all Sunni Arab, in every district.
    CHECK(exposure("anbar", sunni, sunni) > 0.9);
    // Baghdad's districts are mixed: a Sunni Arab's district is neither all Sunni nor all Shia.
    CHECK(exposure("baghdad", sunni, shia) > 0.2);
    CHECK(exposure("baghdad", sunni, shia) < 0.8);
    // Districts are not uniformly mixed: each community lives among more of its own than the other does.
    CHECK(exposure("baghdad", sunni, sunni) > exposure("baghdad", shia, sunni));
    CHECK(exposure("kirkuk", kurd, kurd) > exposure("kirkuk", sunni, kurd));
    CHECK(exposure("nineveh", kurd, kurd) > exposure("nineveh", sunni, kurd));
}

TEST_CASE("a community absent from a province gets the province's composition as its exposure row",
          "[world][roster][exposure]") {
    const Roster& roster = iraq_roster();
    const std::size_t n = roster.community_count();
    const std::size_t shia = roster.find_community("shia_arab")->index();
    const std::size_t sunni = roster.find_community("sunni_arab")->index();
    const std::size_t kurd = roster.find_community("kurd")->index();
    // No Shia or Sunni Arabs in Sulaymaniyah's districts; no Sunni Arabs or Kurds in Najaf's.
    const auto& sulaymaniyah = roster.provinces[index_of(roster, "sulaymaniyah")];
    const auto& najaf = roster.provinces[index_of(roster, "najaf")];
    for (std::size_t c2 = 0; c2 < n; ++c2) {
        CHECK(sulaymaniyah.exposure[shia * n + c2] == sulaymaniyah.exposure[sunni * n + c2]);
        CHECK(sulaymaniyah.exposure[shia * n + c2] == Approx(sulaymaniyah.community_share[c2]).margin(0.01));
        CHECK(najaf.exposure[sunni * n + c2] == najaf.exposure[kurd * n + c2]);
        CHECK(najaf.exposure[sunni * n + c2] == Approx(najaf.community_share[c2]).margin(0.01));
    }
}
