// The roster's relations, tabled once: they must say what the roster's lists say.
#include <catch2/catch.hpp>

#include <algorithm>

#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/model/relations.hpp"

using iraqsim::model::Relations;
namespace world = iraqsim::world;

TEST_CASE("relations: the tables agree with the roster's targets and bases", "[model][relations]") {
    const world::Roster& r = world::iraq_roster();
    const Relations rel(r);
    const auto F = static_cast<Eigen::Index>(r.faction_count());
    REQUIRE(rel.roster == &r);
    REQUIRE(rel.government == static_cast<Eigen::Index>(r.find_faction("government")->index()));
    REQUIRE(rel.us == static_cast<Eigen::Index>(r.find_sponsor("us")->index()));
    auto aims_at = [&](Eigen::Index a, Eigen::Index b) {
        for (const world::ViolenceTarget& t : r.factions[static_cast<std::size_t>(a)].violence_targets)
            if (t.kind == world::ViolenceTarget::Kind::faction && static_cast<Eigen::Index>(t.index) == b && t.weight > 0) return true;
        return false;
    };
    int pairs = 0;
    for (Eigen::Index f = 0; f < F; ++f) {
        CHECK_FALSE(rel.hostile(f, f));
        for (Eigen::Index g = 0; g < F; ++g) {
            CHECK(rel.hostile(f, g) == rel.hostile(g, f));
            CHECK(rel.hostile(f, g) == (f != g && (aims_at(f, g) || aims_at(g, f))));
            pairs += rel.hostile(f, g);
        }
        const auto& base = r.factions[static_cast<std::size_t>(f)].community_base;
        for (Eigen::Index c = 0; c < static_cast<Eigen::Index>(r.community_count()); ++c) {
            const bool in = std::any_of(base.begin(), base.end(), [c](world::CommunityId id) { return static_cast<Eigen::Index>(id.index()) == c; });
            CHECK(rel.base(c, f) == in);
        }
        CHECK((rel.fights_security_forces[static_cast<std::size_t>(f)] != 0) ==
              iraqsim::model::fights_security_forces(r, static_cast<std::size_t>(f)));
        const auto& targets = r.factions[static_cast<std::size_t>(f)].violence_targets;
        for (Eigen::Index g = 0; g < F; ++g) {
            const bool listed = std::any_of(targets.begin(), targets.end(), [g](const world::ViolenceTarget& t) {
                return t.kind == world::ViolenceTarget::Kind::faction && static_cast<Eigen::Index>(t.index) == g;
            });
            CHECK(rel.targets(f, g) == listed);
        }
        const bool kills_communities = std::any_of(targets.begin(), targets.end(), [](const world::ViolenceTarget& t) {
            return t.kind == world::ViolenceTarget::Kind::community;
        });
        CHECK(std::count(rel.one_sided_killers.begin(), rel.one_sided_killers.end(), f) == (kills_communities ? 1 : 0));
    }
    CHECK(pairs > 0);
    CHECK(std::is_sorted(rel.one_sided_killers.begin(), rel.one_sided_killers.end()));
    CHECK_FALSE(rel.one_sided_killers.empty());
}

TEST_CASE("relations: a roster without a government or a US has none", "[model][relations]") {
    world::Roster r;
    r.communities.push_back({"a", "A"});
    r.factions.push_back({});
    r.factions.back().id = "militia";
    const Relations rel(r);
    CHECK(rel.government == -1);
    CHECK(rel.us == -1);
    CHECK_FALSE(rel.hostile(0, 0));
    CHECK_FALSE(rel.base(0, 0));
    CHECK_FALSE(rel.targets(0, 0));
    CHECK(rel.one_sided_killers.empty());
}
