// Policy levers in force: what the policies phase has set and the processes read. A lever is the
// mechanism a policy acts through (a grant of arms, a wage offer, a ceasefire order, an offensive);
// the processes turn it into changed dynamics (docs/policies.md).
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace iraqsim::world {
struct Roster;
struct State;
}  // namespace iraqsim::world
namespace iraqsim::engine {
class StepContext;
}  // namespace iraqsim::engine

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
    // Share of the target's armed fighters in the province drawn into the government's set battles
    // each week (a city held and assaulted); NaN: the model's usual battle_engaged.
    double target_engaged = std::numeric_limits<double>::quiet_NaN();
};

// A leader's call to arms against the US and Iraqi forces (uprising): the units that answer it
// (the faction's cohesion, when the call is made) attack the forces `intensity` times as often.
struct Uprising {
    std::size_t faction = 0;
    std::vector<bool> provinces;
    double multiplier = 1;  // on the faction's attacks on the forces: 1 + (intensity - 1) x cohesion
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

// US interdiction of a sponsor's supply lines across the border of chosen provinces
// (arms_interdiction). The supply crosses the sponsor's border with Iraq spread in proportion to
// length; in a covered province a share of the local US troops patrols its stretch, stopping
// max_stop x d / (d + half_density_per_km) of what crosses there, d the patrol's troops per km.
struct Interdiction {
    std::size_t sponsor = 0;
    std::vector<bool> factions;        // whose supply is cut
    std::array<bool, 4> channels{};    // which channels cross the border (world::Roster::channels order)
    std::vector<double> border_km;     // [province] border with the sponsor where patrolled; 0 elsewhere
    double total_border_km = 0;        // the sponsor's whole border with Iraq
    double troop_share = 0.1;          // share of the province's US troops on the border
    double max_stop = 0.8;             // share stopped where the border is densely patrolled
    double half_density_per_km = 5;    // troops per km of border that stop half of max_stop
    double factor = 1;                 // this week's share delivered, from last week's troops
    int until_week = 0;
};

// A peace deal between factions brokered by a sponsor (accord). While it holds, each party's
// violence against the other parties is restrained by restraint x honour[party]; each week after
// its first it collapses with probability collapse_per_week (a keyed draw).
struct Accord {
    std::string id;                    // the event's id: the policy log names its collapse
    std::string target;                // the parties, as the policy log shows them
    std::vector<bool> parties;         // [faction]
    std::vector<double> honour;        // [faction] share of each party's units honouring the deal
    double restraint = 0.9;            // share of an honouring party's violence against the others held back
    double collapse_per_week = 0.036;  // weekly chance the deal collapses
    std::uint64_t key = 0;             // random stream entity, from the event id
    int start_week = 0;
    int until_week = 0;
};

// A faction's campaign of targeted killing against another's leaders and members
// (assassination_campaign): carried out in the violence phase (model/assassination.hpp).
struct AssassinationCampaign {
    std::size_t perpetrator = 0;
    std::size_t target = 0;
    std::vector<bool> provinces;
    double squad_share = 0.05;        // share of the perpetrator's armed fighters in death squads
    double kills_per_squad_week = 0.01;  // killings per squad member per week where the target is strongly present
    double civilian_share = 0.5;      // share of the victims who are figures of the target's community, not fighters
    double leader_share = 0.2;        // share of the members killed who are commanders
    double fighters_per_leader = 50;  // span of command: fighters per commander
    double recovery_weeks = 52;       // weeks for the target to replace lost commanders (e-folding)
    std::uint64_t key = 0;            // random stream entity, from the event id
    int until_week = 0;
};

// Soft partition into regions, each province going to the region of its largest community
// (partition). Arab nationalism rises against it and turns on the sponsors seen backing it; the
// communities living outside their own region leave, which unmixes neighbourhoods.
struct Partition {
    std::vector<int> region;            // [province] community whose region it is
    std::vector<bool> has_region;       // [community] whether the community has a region
    std::vector<bool> backers;          // [sponsor] seen backing the partition
    std::vector<double> backlash;       // [community] rise in the share hostile to foreign presence
    double salience = 1;                // added salience of each backer, in units of a typical presence
    double relocation_per_week = 0.002; // share of a community outside its region leaving each week
    double ramp_weeks = 26;             // weeks to full effect
    double progress = 0;                // this week's share of full effect
    int start_week = 0;
    int until_week = 0;
};

// What the policies phase reports of the levers' own events (an accord's collapse), for the policy log.
struct LeverEvent {
    std::string id;
    std::string policy;
    std::string target;
};

struct Levers {
    // Share of each faction's units holding fire under a ceasefire order. [faction]
    Eigen::ArrayXd compliance;
    // Whether the faction's leader has declared a ceasefire now in force. [faction]
    Eigen::ArrayXd ceasefire_declared;
    Eigen::ArrayXi ceasefire_until;  // [faction] last week in force
    std::vector<Grant> grants;
    std::vector<Offensive> offensives;
    std::vector<Uprising> uprisings;
    std::vector<Shock> shocks;
    std::vector<SupplyChange> supply_changes;
    std::vector<Barrier> barriers;
    std::vector<Campaign> campaigns;
    std::vector<Restraint> restraints;
    std::vector<StandDown> stand_downs;
    std::vector<Interdiction> interdictions;
    std::vector<Accord> accords;
    std::vector<AssassinationCampaign> assassinations;
    std::vector<Partition> partitions;
    // Share of each faction's cohesion lost to the killing of its commanders, recovering. [faction]
    Eigen::ArrayXd cohesion_loss;
    Eigen::ArrayXd cohesion_recovery_weeks;  // [faction] of the last campaign against it

    explicit Levers(std::size_t faction_count = 0)
        : compliance(Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(faction_count))),
          ceasefire_declared(Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(faction_count))),
          ceasefire_until(Eigen::ArrayXi::Constant(static_cast<Eigen::Index>(faction_count), -1)),
          cohesion_loss(Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(faction_count))),
          cohesion_recovery_weeks(Eigen::ArrayXd::Constant(static_cast<Eigen::Index>(faction_count), 52.0)) {}

    // Drops what has expired by `week`.
    void expire(int week);
    // The levers' own weekly dynamics, on last week's state, after expire(): interdictions follow
    // the troops, partitions ramp up, lost cohesion recovers, and accords may collapse (a keyed
    // draw per accord). Returns the collapses, for the policy log.
    std::vector<LeverEvent> advance(const world::Roster& roster, const world::State& last_week, const engine::StepContext& ctx);

    // A faction's cohesion after the killing of its commanders: base x (1 - cohesion_loss).
    [[nodiscard]] double cohesion(std::size_t faction, double base) const;
    // Multiplier on faction f's violence against faction g under the accords in force (1: none).
    [[nodiscard]] double truce(std::size_t f, std::size_t g) const;
    // Rise in community c's nationalist share under partitions in force.
    [[nodiscard]] double nationalism_rise(std::size_t community) const;
    // Salience of sponsor s added by the partitions it is seen backing.
    [[nodiscard]] double partition_salience(std::size_t sponsor) const;
    // Whether any supply change or interdiction is in force.
    [[nodiscard]] bool supply_changed() const { return !supply_changes.empty() || !interdictions.empty(); }

    // Wage offered by any sponsor to fighters of `faction` in province p, USD per fighter-week.
    [[nodiscard]] double wage_offer(std::size_t faction, std::size_t p) const;
    // Sectarian tension in province p in `week`: 1 plus the decayed shocks.
    [[nodiscard]] double tension(std::size_t p, int week) const;
    // Multiplier on sponsor s's supply to faction f on channel k under the changes in force
    // (they compound).
    [[nodiscard]] double supply_factor(std::size_t sponsor, std::size_t faction, std::size_t channel) const;
    // Share of cross-community contact cut by barriers in province p in `week` (the largest in force).
    [[nodiscard]] double barrier(std::size_t p, int week) const;
    // Multiplier on faction f's attacks on US and Iraqi forces in province p under the uprisings
    // in force (the strongest call counts).
    [[nodiscard]] double uprising(std::size_t faction, std::size_t p) const;
    // Multiplier on US targeting of `faction` under restraints in force (they compound).
    [[nodiscard]] double us_targeting(std::size_t faction) const;
    // Whether any sponsor openly backs `faction` in province p by policy.
    [[nodiscard]] bool openly_backed(std::size_t faction, std::size_t p) const;
};

}  // namespace iraqsim::model
