// Policy levers in force: what the policies phase has set and the processes read. A lever is the
// mechanism a policy acts through (a grant of arms, a wage offer, a ceasefire order, an offensive);
// the processes turn it into changed dynamics (docs/policies.md).
#pragma once

#include <Eigen/Core>
#include <array>
#include <optional>
#include <vector>

namespace iraqsim::model {

// Material support a sponsor gives a faction by policy, on top of its standing ties.
struct Grant {
    std::size_t sponsor = 0;
    std::size_t faction = 0;
    std::size_t channel = 0;         // world::Roster::channels index
    std::vector<bool> provinces;     // where it is given; also where the faction is openly backed
    double usd_per_week = 0;         // a fixed sum (arm_faction) ...
    double usd_per_fighter_week = 0; // ... or a wage per fighter (pay)
    double max_fighters = 0;         // positions the wage is offered for (pay)
    int until_week = 0;              // last week in force
};

// A government (or other faction's) operation against a faction in chosen provinces.
struct Offensive {
    std::size_t attacker = 0;
    std::size_t target = 0;
    std::vector<bool> provinces;
    double intensity = 1;   // multiplier on the attacker's targeting effort against the target
    double us_support = 0;  // share of the province's US troops joining the operation
    int until_week = 0;
};

// A rise in sectarian tension that decays with a half-life fixed in advance.
struct Shock {
    std::vector<bool> provinces;
    double size = 0;
    double half_life_weeks = 52;
    int start_week = 0;
};

// A change in what a sponsor supplies to factions: the sponsor's own restraint (arms_restriction,
// funding_cut, detente), others' pressure on it (sanctions), or an escalation (strike: Iran
// answering through its proxies). Scales the standing ties and the grants on its channels.
struct SupplyChange {
    std::size_t sponsor = 0;
    std::vector<bool> factions;                     // whose supply is cut
    std::array<bool, 4> channels{};                 // which channels (world::Roster::channels order)
    double factor = 1;                              // multiplier on the supply (below 1: a cut)
    int until_week = 0;
};

// Walls and checkpoints between communities: cross-community contact, through which one-sided
// killing reaches its victims, is cut by `reduction` once built (linearly over `ramp_weeks`).
struct Barrier {
    std::vector<bool> provinces;
    double reduction = 0.5;
    double ramp_weeks = 12;
    int start_week = 0;
    int until_week = 0;
};

// A US targeting campaign against one faction, steered by an informant faction's intelligence; a
// share of what the informant points at is its own rivals' civilians ("the US military is being played").
struct Campaign {
    std::size_t target = 0;
    std::optional<std::size_t> informant;
    std::vector<bool> provinces;
    double troop_share = 0.2;        // share of the province's US troops on the campaign
    double informant_quality = 0.5;  // intelligence the informant supplies where it is present
    double misdirection = 0.2;       // share of the removals that are civilians, not the target's fighters
    int until_week = 0;
};

// A sponsor holding back its own side: US targeting of the factions named scaled by `remaining`.
struct Restraint {
    std::vector<bool> factions;
    double remaining = 1;
    int until_week = 0;
};

// A demobilisation order, carried out by the forces process in the week it is given: the share of
// the faction's fighters that obey (share x cohesion) go home.
struct StandDown {
    std::size_t faction = 0;
    std::vector<bool> provinces;
    double share = 0;
    int week = 0;
};

struct Levers {
    // Share of each faction's units holding fire under a ceasefire order. [faction]
    Eigen::ArrayXd compliance;
    // Whether the faction's leader has declared a ceasefire now in force. [faction]
    Eigen::ArrayXd ceasefire_declared;
    Eigen::ArrayXi ceasefire_until;  // [faction] last week in force
    std::vector<Grant> grants;
    std::vector<Offensive> offensives;
    std::vector<Shock> shocks;
    std::vector<SupplyChange> supply_changes;
    std::vector<Barrier> barriers;
    std::vector<Campaign> campaigns;
    std::vector<Restraint> restraints;
    std::vector<StandDown> stand_downs;

    explicit Levers(std::size_t faction_count = 0)
        : compliance(Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(faction_count))),
          ceasefire_declared(Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(faction_count))),
          ceasefire_until(Eigen::ArrayXi::Constant(static_cast<Eigen::Index>(faction_count), -1)) {}

    // Drops what has expired by `week`.
    void expire(int week);

    // Wage offered by any sponsor to fighters of `faction` in province p, USD per fighter-week.
    [[nodiscard]] double wage_offer(std::size_t faction, std::size_t p) const;
    // Sectarian tension in province p in `week`: 1 plus the decayed shocks.
    [[nodiscard]] double tension(std::size_t p, int week) const;
    // Multiplier on sponsor s's supply to faction f on channel k under the changes in force
    // (they compound).
    [[nodiscard]] double supply_factor(std::size_t sponsor, std::size_t faction, std::size_t channel) const;
    // Share of cross-community contact cut by barriers in province p in `week` (the largest in force).
    [[nodiscard]] double barrier(std::size_t p, int week) const;
    // Multiplier on US targeting of `faction` under restraints in force (they compound).
    [[nodiscard]] double us_targeting(std::size_t faction) const;
    // Whether any sponsor openly backs `faction` in province p by policy.
    [[nodiscard]] bool openly_backed(std::size_t faction, std::size_t p) const;
};

}  // namespace iraqsim::model
