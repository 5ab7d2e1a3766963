#include "iraqsim/policy/catalogue.hpp"

#include <algorithm>

namespace iraqsim::policy {
namespace {

using scenario::ValueType;
constexpr double inf = std::numeric_limits<double>::infinity();


// US force posture and level (docs/policies.md, "Troop policies"). The national level is forcing
// from data/; historical troop events label parts of that series, and a scenario that removes or
// resizes one replaces the path from its date by the documented counterfactual.
PolicyDef surge() {
    return {"surge",
            "Extra US troops sent to chosen provinces, ramped up, and dispersed into outposts. Without "
            "`total` the increment is the troop data's rise above its level on the event date (history); "
            "with `total` it is a counterfactual of that size.",
            {policy_field("to", ValueType::text_list, "", -inf, inf, true, Reference::province, "provinces receiving the surge"),
             policy_field("troops", ValueType::real_list, "persons", 0, 1e6, true, Reference::none,
              "combat troops sent to each province of `to`, in order: the split of the increment"),
             policy_field("total", ValueType::real, "persons", 0, 1e6, false, Reference::none,
              "size of a counterfactual surge; absent: the troop data's increment"),
             policy_field("ramp_weeks", ValueType::real, "weeks", 1, 104, false, Reference::none, "weeks to full strength", 22.0),
             policy_field("duration_weeks", ValueType::real, "weeks", 1, 520, false, Reference::none,
              "weeks at full strength of a counterfactual surge before it ramps down again", 78.0),
             policy_field("posture", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of US troops in the surge provinces dispersed into outposts at full strength", 0.5)}};
}

PolicyDef drawdown() {
    return {"drawdown",
            "US troop reductions. Without `target` the level follows the troop data (history); with "
            "`target` and `by` it falls linearly from the event date to `target` by `by`. Removing the "
            "historical drawdown holds the level of its date (less the surge's own return) until the "
            "final withdrawal.",
            {policy_field("target", ValueType::real, "persons", 0, 1e6, false, Reference::none, "level to reach by `by`"),
             policy_field("by", ValueType::date, "date", -inf, inf, false, Reference::none, "date the target is reached")}};
}

PolicyDef withdrawal() {
    return {"withdrawal",
            "US withdrawal: scope \"cities\" moves US troops out of the cities (a posture change: "
            "fewer dispersed outposts); scope \"all\" takes the level linearly to zero by `by`.",
            {policy_field("scope", ValueType::text, "", -inf, inf, true, Reference::none, "\"cities\" or \"all\"", std::nan(""),
              {"cities", "all"}),
             policy_field("by", ValueType::date, "date", -inf, inf, false, Reference::none,
              "date the last troops leave (scope \"all\"; default: the event date)"),
             policy_field("posture", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of US troops dispersed among the population afterwards (scope \"cities\")", 0.05)}};
}

PolicyField duration(double default_weeks) {
    return policy_field("duration_weeks", ValueType::real, "weeks", 1, 520, false, Reference::none, "weeks in force",
                        default_weeks);
}

PolicyField provinces_field(bool required, std::string help) {
    return policy_field("provinces", ValueType::text_list, "", -inf, inf, required, Reference::province, std::move(help));
}

// Sadr's ceasefire of 2007-08-29 and its extension of 2008-02-22 (docs/policies.md, "Ceasefire").
PolicyDef ceasefire() {
    return {"ceasefire",
            "A faction's leader orders its fighters to hold fire. Each unit complies as the faction's cohesion "
            "and its sponsor's pressure make it: compliance = 1 - (1 - cohesion)(1 - pressure x dependence on "
            "the sponsor). Splinters of the faction do not obey the leader; they hold fire only as far as the "
            "sponsor's pressure reaches them (pressure x their dependence). A later ceasefire of the same "
            "faction (an extension) replaces it.",
            {policy_field("faction", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction whose leader declares"),
             duration(26.0),
             policy_field("sponsor", ValueType::text, "", -inf, inf, false, Reference::sponsor,
              "sponsor pressing the faction and its splinters to comply"),
             policy_field("pressure", ValueType::real, "1", 0, 1, false, Reference::none,
              "how hard the sponsor presses: share of its leverage (dependence) turned into compliance", 0.0)}};
}

// The US arming of the Anbar tribes from September 2006 (docs/policies.md, "Arming and pay").
PolicyDef arm_faction() {
    return {"arm_faction",
            "A sponsor arms a faction in chosen provinces: arms worth `usd_per_week` added to the faction's "
            "backing, and the faction openly backed there (fighters of the faction it draws on can realign to it).",
            {policy_field("sponsor", ValueType::text, "", -inf, inf, true, Reference::sponsor, "who arms"),
             policy_field("faction", ValueType::text, "", -inf, inf, true, Reference::faction, "who is armed"),
             provinces_field(false, "where (default: everywhere)"),
             policy_field("usd_per_week", ValueType::real, "USD/week", 0, 1e9, false, Reference::none, "arms delivered",
              200000.0),
             duration(520.0)}};
}

// The Sons of Iraq contracts from mid-2007 (docs/policies.md, "Arming and pay").
PolicyDef pay() {
    return {"pay",
            "A sponsor pays a faction's fighters a wage in chosen provinces, for up to `max_fighters` positions: "
            "money backing of wage x fighters, recruitment up to the positions, and the wage draws fighters to "
            "realign to the faction.",
            {policy_field("sponsor", ValueType::text, "", -inf, inf, true, Reference::sponsor, "who pays"),
             policy_field("faction", ValueType::text, "", -inf, inf, true, Reference::faction, "who is paid"),
             provinces_field(false, "where (default: everywhere)"),
             policy_field("usd_per_fighter_week", ValueType::real, "USD/week", 0, 1e5, false, Reference::none,
              "wage per fighter (Sons of Iraq: about USD 300 a month)", 70.0),
             policy_field("max_fighters", ValueType::real, "persons", 0, 1e7, false, Reference::none,
              "positions the wage is offered for", 100000.0),
             duration(520.0)}};
}

// The Basra offensive of 2008-03-25 (docs/policies.md, "Offensive").
PolicyDef offensive() {
    return {"offensive",
            "A faction (the government by default) attacks another in chosen provinces: set battles each week "
            "and targeting multiplied by `intensity`, with a share of the local US troops in support.",
            {policy_field("faction", ValueType::text, "", -inf, inf, false, Reference::faction, "the attacker (default government)"),
             policy_field("target", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction attacked"),
             provinces_field(true, "where"),
             policy_field("intensity", ValueType::real, "1", 1, 20, false, Reference::none,
              "multiplier on the attacker's effort against the target", 3.0),
             policy_field("us_support", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the local US troops joining", 0.3),
             policy_field("target_engaged", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the target's armed fighters drawn into the government's set battles each week, as when a "
              "city it holds is assaulted (default: model.violence.battle_engaged)"),
             duration(8.0)}};
}

// Sadr's uprisings of April and August 2004 (docs/policies.md, "Uprising").
PolicyDef uprising() {
    return {"uprising",
            "A faction's leader calls its fighters to rise against the US and Iraqi forces in chosen provinces: the "
            "units that answer (the faction's cohesion) attack the forces `intensity` times as often, so its attacks "
            "are multiplied by 1 + (intensity - 1) x cohesion. The mirror of a ceasefire.",
            {policy_field("faction", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction whose leader calls"),
             provinces_field(true, "where"),
             policy_field("intensity", ValueType::real, "1", 1, 20, false, Reference::none,
              "multiplier on the attacks of the units that answer the call", 3.0),
             duration(8.0)}};
}

// The Samarra mosque bombing of 2006-02-22 (docs/policies.md, "Shock").
PolicyDef shock() {
    return {"shock",
            "A sudden rise in sectarian hostility (tension, 1 = the level of 2003) in chosen provinces, decaying "
            "with a half-life fixed in advance, so that its decay cannot pass for a prediction.",
            {provinces_field(false, "where (default: everywhere)"),
             policy_field("tension", ValueType::real, "1", 0, 100, false, Reference::none, "rise in tension", 1.0),
             policy_field("half_life_weeks", ValueType::real, "weeks", 1, 1040, false, Reference::none,
              "weeks for the rise to halve", 52.0)}};
}

// A sponsor's own restraint of its proxies (docs/policies.md, "Supply cuts"): the design's
// `iran_restraint_2007`, and the article's reading that Iran's cut to the Special Groups, not
// Sadr's order, is what held them.
PolicyDef supply_cut(std::string name, std::string what, std::string channels) {
    return {std::move(name),
            "The sponsor cuts its " + what + " to the factions named: each week only `factor` of its standing " +
                "ties and grants on the " + channels + " channel(s) is delivered, for `duration_weeks`. The factions' " +
                "purse (fighters they can keep) and arms stock follow through the forces process.",
            {policy_field("sponsor", ValueType::text, "", -inf, inf, true, Reference::sponsor, "who cuts its supply"),
             policy_field("to", ValueType::text_list, "", -inf, inf, true, Reference::faction, "whose supply is cut"),
             policy_field("factor", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the supply still delivered (0: a complete cut)", 0.3),
             duration(520.0)}};
}

// Others' pressure on a sponsor (docs/policies.md, "Supply cuts").
PolicyDef sanctions() {
    return {"sanctions",
            "Sanctions on a sponsor shrink what it can deliver: only `factor` of its material backing (money, arms, "
            "training) to every faction, or to the factions in `to`, reaches them for `duration_weeks`.",
            {policy_field("sponsor", ValueType::text, "", -inf, inf, true, Reference::sponsor, "the sponsor sanctioned"),
             policy_field("to", ValueType::text_list, "", -inf, inf, false, Reference::faction,
              "factions whose supply is hit (default: all)"),
             policy_field("factor", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the sponsor's material supply still delivered", 0.7),
             duration(520.0)}};
}

// Walls and checkpoints between Baghdad's communities from April 2007 (docs/policies.md, "Barriers").
PolicyDef barriers() {
    return {"barriers",
            "Walls and checkpoints between communities in chosen provinces: the cross-community contact through "
            "which one-sided killing reaches its victims is cut by `reduction`, built up linearly over `ramp_weeks`.",
            {provinces_field(true, "where the barriers are built"),
             policy_field("reduction", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of cross-community contact cut once built", 0.5),
             policy_field("ramp_weeks", ValueType::real, "weeks", 1, 104, false, Reference::none, "weeks to build", 12.0),
             duration(520.0)}};
}

// The US campaign against the Mahdi Army steered by ISCI/Badr's intelligence (docs/policies.md, "Targeting").
PolicyDef targeting() {
    return {"targeting",
            "A US targeting campaign against one faction: a share of the local US troops hunts its fighters, with "
            "intelligence from the target's own communities' tips or, better where it is present, from an allied "
            "informant faction; a `misdirection` share of what the informant points at are civilians of the target's "
            "community, not fighters.",
            {policy_field("target", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction hunted"),
             policy_field("informant", ValueType::text, "", -inf, inf, false, Reference::faction,
              "the allied faction supplying intelligence (none: tips only)"),
             provinces_field(false, "where (default: everywhere)"),
             policy_field("troop_share", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the province's US troops on the campaign", 0.2),
             policy_field("informant_quality", ValueType::real, "1", 0, 1, false, Reference::none,
              "intelligence the informant supplies where it is strongly present", 0.5),
             policy_field("misdirection", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the removals that are the informant's rivals' civilians", 0.2),
             duration(26.0)}};
}

// The Baker-Hamilton proposal of a US-Iran dialogue (docs/policies.md, "Detente").
PolicyDef detente() {
    return {"detente",
            "US-Iran cooperation, each restraining its side: Iran delivers only 1 - `restraint` of its arms and "
            "training to the factions named, and the US scales its targeting of them by the same 1 - `restraint`.",
            {policy_field("restraint", ValueType::real, "1", 0, 1, false, Reference::none, "how much each side holds back",
              0.5),
             policy_field("to", ValueType::text_list, "", -inf, inf, false, Reference::faction,
              "the factions concerned (default: every faction Iran supplies)"),
             duration(520.0)}};
}

// Demobilisation orders, e.g. Sadr's 2008 conversion of the Mahdi Army (docs/policies.md, "Stand-down").
// US strikes on Iranian territory and Iran's answer through its proxies (docs/policies.md, "Strike").
PolicyDef strike() {
    return {"strike",
            "US strikes across the border: Iran answers through its proxies, multiplying its arms and training to the "
            "factions named (default: every faction it supplies) by 1 + `retaliation` for `duration_weeks`.",
            {policy_field("retaliation", ValueType::real, "1", 0, 10, false, Reference::none,
              "rise in Iran's arms and training to its proxies (1: doubled)", 1.0),
             policy_field("to", ValueType::text_list, "", -inf, inf, false, Reference::faction,
              "the proxies Iran arms (default: every faction it supplies)"),
             duration(52.0)}};
}

PolicyDef stand_down() {
    return {"stand_down",
            "A faction's leader orders a share of its fighters home: share x cohesion of them leave the militia at once "
            "(splinters do not obey).",
            {policy_field("faction", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction"),
             policy_field("share", ValueType::real, "1", 0, 1, false, Reference::none, "share of fighters ordered home", 0.5),
             provinces_field(false, "where (default: everywhere)")}};
}

// The US effort to "interrupt the flow of support from Iran" announced with the surge
// (docs/policies.md, "Arms interdiction").
PolicyDef arms_interdiction() {
    return {"arms_interdiction",
            "US forces patrol a sponsor's border with Iraq in chosen provinces and stop part of its arms and training "
            "to the factions named (money moves through banks, not across the border). The supply crosses the border spread in proportion to length; each patrolled province "
            "stops max_stop x d / (d + half_density_per_km) of its stretch's share, d = troop_share x its US troops "
            "per km of its border, so the effect scales with the border length covered and thins out along a long one.",
            {policy_field("sponsor", ValueType::text, "", -inf, inf, false, Reference::sponsor,
              "the sponsor whose supply lines are cut (default: iran)"),
             policy_field("to", ValueType::text_list, "", -inf, inf, false, Reference::faction,
              "the factions whose supply is cut (default: every faction the sponsor supplies)"),
             provinces_field(false, "where the border is patrolled (default: every province on the sponsor's border)"),
             policy_field("troop_share", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of each patrolled province's US troops on the border", 0.1),
             policy_field("max_stop", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the crossing supply stopped where the border is densely patrolled", 0.8),
             policy_field("half_density_per_km", ValueType::real, "persons/km", 0.01, 1000, false, Reference::none,
              "troops per km of border that stop half of max_stop", 5.0),
             duration(520.0)}};
}

// The Sadr-Hakim pact of 2007-10-06, reportedly brokered by Iran, collapsed by mid-February 2008
// (docs/policies.md, "Accord").
PolicyDef accord() {
    return {"accord",
            "A peace deal between factions brokered by a sponsor. Each party honours it as its cohesion and the broker's "
            "leverage make it: honour = 1 - (1 - cohesion)(1 - guarantee x dependence on the broker). While it holds, an "
            "honouring party's battles and attacks against the other parties (and the government's targeting of them) are "
            "cut by restraint x honour. Each week after its first it collapses with probability collapse_per_week.",
            {policy_field("parties", ValueType::text_list, "", -inf, inf, true, Reference::faction,
              "the factions making peace (at least two)"),
             policy_field("sponsor", ValueType::text, "", -inf, inf, true, Reference::sponsor, "the broker"),
             policy_field("restraint", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of an honouring party's violence against the other parties held back", 0.9),
             policy_field("guarantee", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the broker's leverage (the parties' dependence on it) turned into honouring the deal", 0.5),
             policy_field("collapse_per_week", ValueType::real, "1/week", 0, 1, false, Reference::none,
              "weekly chance that the deal collapses (0: it holds for duration_weeks)", 0.036),
             duration(520.0)}};
}

// Badr's death squads against former officers, Baathists and Sunni figures, and the killings of
// Awakening leaders from late 2007 (docs/policies.md, "Assassination campaign").
PolicyDef assassination_campaign() {
    return {"assassination_campaign",
            "A faction's death squads kill another faction's commanders and members and figures of its community: "
            "killings ~ Poisson(kills_per_squad_week x squads x reach) per province, squads = squad_share x the "
            "perpetrator's armed fighters not holding fire, reach = m / (m + faction_half_presence) for the target's m "
            "fighters. civilian_share of the victims are civilians of the target's community, the rest its fighters; "
            "the commanders among them (leader_share) cut the target's cohesion, which recovers over recovery_weeks.",
            {policy_field("faction", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction whose squads kill"),
             policy_field("target", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction hunted"),
             provinces_field(false, "where (default: everywhere)"),
             policy_field("squad_share", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the perpetrator's armed fighters in death squads", 0.05),
             policy_field("kills_per_squad_week", ValueType::real, "1/week", 0, 10, false, Reference::none,
              "killings per squad member per week where the target is present in strength", 0.02),
             policy_field("civilian_share", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the victims who are civilian figures of the target's community (officials, officers, professionals)", 0.5),
             policy_field("leader_share", ValueType::real, "1", 0, 1, false, Reference::none,
              "share of the members killed who are commanders", 0.2),
             policy_field("fighters_per_leader", ValueType::real, "persons", 1, 10000, false, Reference::none,
              "the target's span of command: fighters per commander", 50.0),
             policy_field("recovery_weeks", ValueType::real, "weeks", 1, 1040, false, Reference::none,
              "weeks for the target to replace its lost commanders (e-folding time of the cohesion loss)", 52.0),
             duration(52.0)}};
}

// The Biden-Gelb plan of 2006 and the Senate's resolution of 2007-09-26 for a federal Iraq of three
// regions, and the nationalist anger at it that the article reports (docs/policies.md, "Partition").
PolicyDef partition() {
    return {"partition",
            "Soft partition into regions, each province going to the region of its largest community. Communities "
            "living outside their own region leave (relocation_per_week of them a week; the returns of the displaced "
            "into another's region stop), which unmixes neighbourhoods as flight does; Arab nationalism rises against "
            "it by `backlash` and turns on the sponsors seen backing it (salience added to theirs). Ramped over ramp_weeks.",
            {policy_field("backers", ValueType::text_list, "", -inf, inf, false, Reference::sponsor,
              "the sponsors seen backing the partition (default: us)"),
             policy_field("backlash", ValueType::real, "1", 0, 1, false, Reference::none,
              "rise in the share of each backlash community hostile to foreign presence, at full effect", 0.1),
             policy_field("backlash_communities", ValueType::text_list, "", -inf, inf, false, Reference::none,
              "communities whose nationalism rises (default: shia_arab and sunni_arab; the Kurdish parties wanted a region)"),
             policy_field("salience", ValueType::real, "1", 0, 10, false, Reference::none,
              "salience added to each backer in nationalism's focus, in units of a typical foreign presence", 1.0),
             policy_field("relocation_per_week", ValueType::real, "1/week", 0, 0.1, false, Reference::none,
              "share of a community living outside its own region that leaves each week", 0.002),
             policy_field("ramp_weeks", ValueType::real, "weeks", 1, 104, false, Reference::none, "weeks to full effect", 26.0),
             duration(520.0)}};
}

PolicyDef ceasefire_expiry() {
    return {"ceasefire_expiry",
            "Ends the faction's ceasefire in force (and its splinters') on the event's date.",
            {policy_field("faction", ValueType::text, "", -inf, inf, true, Reference::faction, "the faction")}};
}

}  // namespace

const std::vector<PolicyDef>& policy_catalogue() {
    static const std::vector<PolicyDef> catalogue{
        surge(), drawdown(), withdrawal(), ceasefire(), arm_faction(), pay(), offensive(), uprising(), shock(),
        supply_cut("arms_restriction", "arms and training", "arms and training"),
        supply_cut("funding_cut", "money", "money"), sanctions(), barriers(), targeting(), detente(), strike(),
        stand_down(), ceasefire_expiry(), arms_interdiction(), accord(), assassination_campaign(), partition()};
    return catalogue;
}

const PolicyDef* find_policy(const std::string& name) {
    const auto& c = policy_catalogue();
    const auto it = std::find_if(c.begin(), c.end(), [&](const PolicyDef& p) { return p.name == name; });
    return it == c.end() ? nullptr : &*it;
}

}  // namespace iraqsim::policy
