#include "iraqsim/scenario/registry.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/diagnostics.hpp"

namespace iraqsim::scenario {
namespace {

constexpr double max_int64_as_double = 9223372036854775807.0;  // rounds to 2^63

template <class T>
const T& as(const Value& v) {
    return std::get<T>(v);
}

std::string check_scenario_name(const Value& v) {
    const std::string& name = as<std::string>(v);
    if (name.empty() || name.size() > 100) return "must be 1 to 100 characters";
    for (const char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
            return "may hold only letters, digits, '_', '-' and '.' (it names the output file)";
        }
    }
    return {};
}

std::string check_variables(const Value& v) {
    std::vector<std::string> known;
    for (const output::VariableDef& def : output::variable_catalogue()) known.emplace_back(def.name);
    const auto& names = as<std::vector<std::string>>(v);
    for (auto it = names.begin(); it != names.end(); ++it) {
        const std::string& name = *it;
        // A name twice would be a second dataset of the same name, refused by HDF5 only after the run.
        if (std::find(names.begin(), it, name) != it) return "variable '" + name + "' is listed twice";
        if (output::find_variable(name) != nullptr) continue;
        std::string message = "unknown variable '" + name + "'";
        if (const std::string guess = nearest(name, known); !guess.empty()) message += " (did you mean '" + guess + "'?)";
        return message;
    }
    return {};
}

std::string check_population_mode(const Value& v) {
    const std::string& mode = as<std::string>(v);
    return mode == "aggregate" || mode == "agents" ? std::string() : "must be \"aggregate\" or \"agents\", got \"" + mode + "\"";
}

struct Builder {
    std::vector<ParamDef> defs;

    ParamDef& add(std::string path, ValueType type, std::string unit, double min, double max, std::string help,
                  std::string source, std::function<void(Scenario&, std::size_t, const Value&)> set,
                  std::function<Value(const Scenario&, std::size_t)> get) {
        defs.push_back({std::move(path), type, std::move(unit), min, max, std::move(help), std::move(source),
                        std::move(set), std::move(get)});
        return defs.back();
    }
};

// A scalar real parameter stored in one field of the scenario.
using RealField = double& (*)(Scenario&);

void add_real(Builder& b, std::string path, std::string unit, double min, double max, std::string help,
              std::string source, RealField field) {
    b.add(std::move(path), ValueType::real, std::move(unit), min, max, std::move(help), std::move(source),
          [field](Scenario& s, std::size_t, const Value& v) { field(s) = as<double>(v); },
          // The getter only reads: the field accessor is shared with the setter.
          [field](const Scenario& s, std::size_t) { return Value{field(const_cast<Scenario&>(s))}; });
}

std::vector<ParamDef> build_registry() {
    using T = ValueType;
    constexpr double inf = std::numeric_limits<double>::infinity();
    Builder b;
    b.add("scenario.name", T::text, "", -inf, inf,
          "Name of the scenario: in the output's provenance, and the default output file <name>.h5.", "",
          [](Scenario& s, std::size_t, const Value& v) { s.name = as<std::string>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.name}; });
    b.add("scenario.start", T::date, "date", -inf, inf,
          "First simulated week (week 0 holds the initial state).",
          "2003-05-01: the occupation begins (\"Mission Accomplished\" speech)",
          [](Scenario& s, std::size_t, const Value& v) { s.start = as<core::Date>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.start}; });
    b.add("scenario.end", T::date, "date", -inf, inf, "Last date whose week is simulated.",
          "2011-12-31: the last US troops left Iraq on 2011-12-18",
          [](Scenario& s, std::size_t, const Value& v) { s.end = as<core::Date>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.end}; });
    b.add("scenario.seed", T::integer, "", 0, max_int64_as_double,
          "Master seed: with the replicate index it keys every random stream.", "",
          [](Scenario& s, std::size_t, const Value& v) { s.seed = static_cast<std::uint64_t>(as<std::int64_t>(v)); },
          [](const Scenario& s, std::size_t) { return Value{static_cast<std::int64_t>(s.seed)}; });
    b.add("scenario.replicates", T::integer, "", 1, 1e6, "Number of replicates (independent random streams).", "",
          [](Scenario& s, std::size_t, const Value& v) { s.replicates = as<std::int64_t>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.replicates}; });
    b.add("output.variables", T::text_list, "", -inf, inf,
          "Variables to record (docs/output.md); empty: every variable.", "",
          [](Scenario& s, std::size_t, const Value& v) { s.output.variables = as<std::vector<std::string>>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.output.variables}; });
    b.add("output.incidents", T::boolean, "", -inf, inf,
          "Write the incident log: every killing incident (week, province, perpetrator, target, deaths) along "
          "the `incident` dimension, for event-size statistics. Off by default (files stay small; sweeps never write it).",
          "",
          [](Scenario& s, std::size_t, const Value& v) { s.output.incidents = as<bool>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.output.incidents}; });
    b.add("output.compression", T::integer, "", 0, 9,
          "Deflate level of the time series written by iraqsim run: 0 writes them uncompressed, several times "
          "larger; 1 (ISA-L's fastest deflate) is within a few percent of 9's size at a fraction of its time "
          "(docs/output.md). Readers need nothing to know it.",
          "",
          [](Scenario& s, std::size_t, const Value& v) { s.output.compression = static_cast<int>(as<std::int64_t>(v)); },
          [](const Scenario& s, std::size_t) { return Value{static_cast<std::int64_t>(s.output.compression)}; });
    b.add("output.every_weeks", T::integer, "weeks", 1, 520, "Record every N weeks (week 0 always).", "",
          [](Scenario& s, std::size_t, const Value& v) { s.output.every_weeks = static_cast<int>(as<std::int64_t>(v)); },
          [](const Scenario& s, std::size_t) { return Value{static_cast<std::int64_t>(s.output.every_weeks)}; });
    b.add("population.mode", T::text, "", -inf, inf,
          "How the population is represented: \"aggregate\" (shares per province and community) or \"agents\" "
          "(citizen agents whose counts replace the aggregate loyalty; docs/agents.md).", "",
          [](Scenario& s, std::size_t, const Value& v) {
              s.population.mode = as<std::string>(v) == "agents" ? PopulationMode::agents : PopulationMode::aggregate;
          },
          [](const Scenario& s, std::size_t) {
              return Value{std::string(s.population.mode == PopulationMode::agents ? "agents" : "aggregate")};
          });
    add_real(b, "population.persons_per_agent", "persons", 1, 1e6,
          "Persons one citizen agent stands for in agents mode (1: one agent per Iraqi, about 30 million).",
          "docs/agents.md, Parameters",
          [](Scenario& s) -> double& { return s.population.persons_per_agent; });
    add_real(b, "population.threshold", "1", 0, 1,
          "Epstein's threshold T: a citizen turns active when grievance minus net risk exceeds it.",
          "Epstein 2002 (PNAS), all runs; docs/agents.md",
          [](Scenario& s) -> double& { return s.population.citizens.threshold; });
    add_real(b, "population.fighter_threshold", "1", 0, 1,
          "Net grievance above which an active citizen takes up arms rather than only supporting.",
          "assumption; docs/agents.md, Parameters",
          [](Scenario& s) -> double& { return s.population.citizens.fighter_threshold; });
    add_real(b, "population.arrest_constant", "1", 0, 100,
          "Epstein's k in the estimated arrest probability 1 - exp(-k C / A).",
          "Epstein 2002: 2.3 gives 0.9 at one member of the security forces per active",
          [](Scenario& s) -> double& { return s.population.citizens.arrest_constant; });
    add_real(b, "population.arrests_per_1000_forces", "1/week", 0, 1000,
          "Detentions a week per 1,000 US troops and Iraqi security forces, shared among the district's actives.",
          "order of magnitude of US detentions 2003-2008; docs/agents.md, Parameters",
          [](Scenario& s) -> double& { return s.population.citizens.arrests_per_1000_forces; });
    b.add("population.max_detention_weeks", T::integer, "weeks", 0, 255,
          "Detention terms are uniform on 0 .. this, plus the week of arrest.",
          "mean detention about a year (US theatre internment 2007-2008); docs/agents.md",
          [](Scenario& s, std::size_t, const Value& v) { s.population.citizens.max_detention_weeks = static_cast<int>(as<std::int64_t>(v)); },
          [](const Scenario& s, std::size_t) { return Value{static_cast<std::int64_t>(s.population.citizens.max_detention_weeks)}; });
    add_real(b, "population.revision_rate", "1/week", 0, 1,
          "Weekly probability that a citizen at home reconsiders its loyalty.", "assumption; docs/agents.md, Parameters",
          [](Scenario& s) -> double& { return s.population.citizens.revision_rate; });
    add_real(b, "population.conformity", "1", 0, 50,
          "Log-odds a faction gains per unit rise of its share among the district's citizens since week 0.",
          "assumption; docs/agents.md, Parameters",
          [](Scenario& s) -> double& { return s.population.citizens.conformity; });
    add_real(b, "model.loyalty.diffusion_rate", "1/week", 0, 1,
          "Weekly rate at which a community's loyalty moves toward the border-weighted mean of the same "
          "community in neighbouring governorates.",
          "assumption, to be calibrated; docs/model.md, Loyalty",
          [](Scenario& s) -> double& { return s.params.loyalty.diffusion_rate; });
    add_real(b, "model.loyalty.opinion_noise", "1/sqrt(week)", 0, 1,
          "Standard deviation of the weekly log-normal shock to each loyalty share.",
          "assumption, to be calibrated; docs/model.md, Loyalty",
          [](Scenario& s) -> double& { return s.params.loyalty.opinion_noise; });
    add_real(b, "model.population.growth_per_year", "1/year", 0, 0.1,
          "Natural growth of the population inside Iraq.", "WFP governorate totals 2005-2007 (data/world); docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.growth_per_year; });
    add_real(b, "model.population.displaced_per_death", "persons", 0, 1000,
          "People displaced per violent death in their community and province, at the sectarian tension of 2003.",
          "IDMC 2008 (190,000 displaced 2003-2005) against IBC deaths May 2003-2005; docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.displaced_per_death; });
    add_real(b, "model.population.flight_tension_elasticity", "1", 0, 6,
          "Elasticity of flight per death to sectarian tension (per death: displaced_per_death x tension^elasticity).",
          "IOM 2009 (1.6 million displaced after Samarra, about 26 per death) against IDMC 2003-2005 (6 per death); "
          "docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.flight_tension_elasticity; });
    add_real(b, "model.population.refugee_share", "1", 0, 1, "Share of the newly displaced who leave Iraq.",
          "UNHCR 2008: 2.2 million abroad, 2.5 million displaced inside; docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.refugee_share; });
    add_real(b, "model.population.return_rate", "1/week", 0, 1,
          "Weekly share of the displaced inside Iraq who return home.", "IOM returnee counts to 2009; docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.return_rate; });
    add_real(b, "model.population.unmixing", "1", 0, 20,
          "How much likelier the displaced are to leave mixed neighbourhoods than the average member of their community.",
          "Baghdad's mixed areas emptied first in 2006-2007 (IOM displacement assessments); fitted to 2004-2006, docs/validation.md; docs/model.md, Population",
          [](Scenario& s) -> double& { return s.params.population.unmixing; });
    static const char* const community[] = {"shia_arab", "sunni_arab", "kurd", "other"};  // the roster's order
    for (std::size_t c = 0; c < std::size(community); ++c) {
        b.add(std::string("model.nationalism.level_") + community[c], T::real, "1", 0, 1,
              std::string("Share of the ") + community[c] + " community hostile to foreign presence.",
              "PIPA poll, January 2006: approval of attacks on US-led forces (Shia 41%, Sunni 88%, Kurds 16%)",
              [c](Scenario& s, std::size_t, const Value& v) { s.params.nationalism.level[c] = as<double>(v); },
              [c](const Scenario& s, std::size_t) { return Value{s.params.nationalism.level[c]}; });
    }
    add_real(b, "model.nationalism.iran_prior", "presence", 0, 10,
          "Standing hostility toward Iran, in units of a typical foreign presence.",
          "assumption: the 1980-88 war; Freeman in the seed article; PIPA Sept 2006 (US 79% negative, Iran 52%)",
          [](Scenario& s) -> double& { return s.params.nationalism.iran_prior; });
    add_real(b, "model.nationalism.us_reference_per_1000", "troops per 1000 residents", 1e-3, 100,
          "US troops per 1,000 residents that count as a typical foreign presence.",
          "about 140,000 troops among 28 million Iraqis, 2004-2006",
          [](Scenario& s) -> double& { return s.params.nationalism.us_reference_per_1000; });
    add_real(b, "model.nationalism.backing_reference_usd_per_1000", "USD per 1000 residents per week", 1e-3, 1e6,
          "Material backing reaching a province through a foreign power's clients that counts as a typical presence.",
          "Iran's budget ($1.5 million a week) over about 29 million Iraqis",
          [](Scenario& s) -> double& { return s.params.nationalism.backing_reference_usd_per_1000; });
    add_real(b, "model.nationalism.focus_rate", "1/week", 0, 1,
          "Weekly rate at which nationalism's focus moves toward the foreign presence seen now.",
          "assumption (half-life about 14 weeks), to be calibrated",
          [](Scenario& s) -> double& { return s.params.nationalism.focus_rate; });
    add_real(b, "model.violence.attack_rate", "1/(fighter week)", 0, 1,
          "Attacks per armed fighter-week of effort aimed at forces present in strength.",
          "assumption, to be calibrated; docs/model.md, Violence (2006: about 1,000 attacks a week on coalition and Iraqi forces, ESOC SIGACTs)",
          [](Scenario& s) -> double& { return s.params.violence.attack_rate; });
    add_real(b, "model.violence.troop_half_per_1000", "troops per 1,000 residents", 0.01, 1000.0,
          "US troops per 1,000 residents of a province at which its attackers find half of what they would find in strength.",
          "calibrated (docs/validation.md); the density, not the number, since a province's attackers meet troops spread among its people (Anbar 30 per 1,000 in 2004-2006, Baghdad 7); docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.troop_half_per_1000; });
    add_real(b, "model.violence.dispersed_exposure", "1", 0, 100,
          "Exposure of troops dispersed in outposts relative to troops on large bases.",
          "assumption, to be calibrated; docs/model.md, Violence (US fatalities rose in the first months of the 2007 dispersal)",
          [](Scenario& s) -> double& { return s.params.violence.dispersed_exposure; });
    add_real(b, "model.violence.attack_substitution", "1", 0, 0.99,
          "How far a faction's attacks on the security forces are set by its own effort rather than by the forces within "
          "reach: 0, they grow with the forces present; towards 1, added US troops draw attacks from the Iraqi forces more "
          "than they add to them.",
          "Enders and Sandler (1993) on substitution among targets; War Logs: the host-nation share of casualties rose from "
          "26% (H1 2004) to 69% (H2 2006) as the Iraqi forces grew; docs/model.md, Violence (attacks on forces)",
          [](Scenario& s) -> double& { return s.params.violence.attack_substitution; });
    add_real(b, "model.violence.us_lethality", "deaths/attack", 0, 1,
          "US fatalities per attack on US forces.",
          "2006: about 75 US hostile deaths a month (icasualties) against about 3,000 attacks on coalition forces a month (ESOC SIGACTs)",
          [](Scenario& s) -> double& { return s.params.violence.us_lethality; });
    add_real(b, "model.violence.isf_lethality", "deaths/attack", 0, 10,
          "Iraqi security force deaths per attack on them.",
          "assumption, to be calibrated; docs/model.md, Violence (Brookings Iraq Index: ISF deaths about 150-300 a month in 2006)",
          [](Scenario& s) -> double& { return s.params.violence.isf_lethality; });
    add_real(b, "model.violence.civilians_per_attack", "deaths/attack", 0, 10,
          "Civilians killed per attack on forces (IEDs, crossfire).",
          "assumption, to be calibrated; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.civilians_per_attack; });
    add_real(b, "model.violence.faction_half_presence", "persons", 1, 1000000.0,
          "Fighters of another faction at which it is found half as easily as in strength.",
          "assumption, to be calibrated; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.faction_half_presence; });
    add_real(b, "model.violence.sectarian_rate", "deaths/(fighter week)", 0, 10,
          "Civilians killed per armed fighter-week of effort aimed at a community, at full exposure, tension 1 and no protection.",
          "assumption, to be calibrated; docs/model.md, Violence (IBC: about 2,500 civilian deaths a month in 2006)",
          [](Scenario& s) -> double& { return s.params.violence.sectarian_rate; });
    add_real(b, "model.violence.revenge_max", "1", 0, 20,
          "Largest rise, as a multiple, of a faction's killing of other communities when its own community's grievance is high (0: no revenge).",
          "assumption, to be calibrated (issue 8); docs/model.md, Grievance and revenge (Kalyvas 2006; Baghdad 2006)",
          [](Scenario& s) -> double& { return s.params.violence.revenge_max; });
    add_real(b, "model.violence.revenge_half_per_100k", "deaths per 100000 per week", 0.01, 1000,
          "Grievance (a community's civilians killed by others per 100,000 a week, smoothed) giving half the largest revenge.",
          "assumption, to be calibrated; docs/model.md, Grievance and revenge (Baghdad 2006: about 5 sectarian deaths per 100,000 a week, IBC)",
          [](Scenario& s) -> double& { return s.params.violence.revenge_half_per_100k; });
    add_real(b, "model.violence.grievance_weeks", "weeks", 1, 520,
          "Weeks over which a community remembers its dead (exponential smoothing of its grievance).",
          "assumption; docs/model.md, Grievance and revenge (as model.forces.predation_weeks)",
          [](Scenario& s) -> double& { return s.params.violence.grievance_weeks; });
    add_real(b, "model.violence.cell_units", "units (deaths)", 1, 5000,
          "Units each faction's organisation is split into cells of; an incident kills as many as its cell has "
          "units, so this is the largest possible incident.",
          "IBC incident records (the largest incidents of 2003-2008 killed a few hundred; the Yazidi bombings of "
          "August 2007 about 800); docs/model.md, Cells",
          [](Scenario& s) -> double& { return s.params.violence.cells.units; });
    add_real(b, "model.violence.cell_fragmentation", "1", 0.0001, 0.5,
          "Chance that the cell a coalescence-fragmentation step picks breaks up into single units rather than "
          "joining another cell.",
          "Bohorquez et al., Nature 462 (2009): small values give the tail exponent of about 2.5 found for Iraq; "
          "docs/model.md, Cells",
          [](Scenario& s) -> double& { return s.params.violence.cells.fragmentation; });
    add_real(b, "model.violence.cell_steps_per_week", "1/week", 0, 10000,
          "Coalescence-fragmentation steps of each civilian-killing faction's cells per week.",
          "assumption: an organisation is remade over months; docs/model.md, Cells",
          [](Scenario& s) -> double& { return s.params.violence.cells.steps_per_week; });
    add_real(b, "model.violence.protection_half_per_1000", "per 1000 residents", 0.01, 1000,
          "Security forces (dispersed US troops, armed Iraqi forces) per 1,000 residents giving half protection to civilians.",
          "FM 3-24 (2006): 20 counterinsurgents per 1,000 residents",
          [](Scenario& s) -> double& { return s.params.violence.protection_half_per_1000; });
    add_real(b, "model.violence.isf_partisanship", "1", 0, 1,
          "Share of the Iraqi forces' protection against one-sided killing withheld from communities outside the government's base.",
          "Jones Commission (2007): a sectarian National Police; the seed article: Badr-controlled police death squads; docs/model.md",
          [](Scenario& s) -> double& { return s.params.violence.isf_partisanship; });
    add_real(b, "model.violence.partner_intelligence", "1", 0, 1,
          "Intelligence (0-1) an openly backed faction gives the security forces on the enemies it fights, where strongly present.",
          "ISW (Ahmed 2008), Petraeus's testimony of 2008-04-08: the Sons of Iraq's tips on al-Qaeda; level an assumption, as a campaign's informant_quality",
          [](Scenario& s) -> double& { return s.params.violence.partner_intelligence; });
    add_real(b, "model.violence.targeting_rate", "fighters/(person week)", 0, 1,
          "Enemy fighters removed per security person-week of targeting at full intelligence.",
          "assumption, to be calibrated; docs/model.md, Violence (2007: about 20,000 insurgents killed and 25,000 detained, MNF-I)",
          [](Scenario& s) -> double& { return s.params.violence.targeting_rate; });
    add_real(b, "model.violence.isf_effectiveness", "1", 0, 10,
          "Targeting effectiveness of an Iraqi security person relative to a US soldier.",
          "assumption, to be calibrated; docs/model.md, Violence (GAO 2007: few ISF units could operate independently)",
          [](Scenario& s) -> double& { return s.params.violence.isf_effectiveness; });
    add_real(b, "model.violence.kill_share", "1", 0, 1,
          "Share of the fighters removed by targeting who are killed (the rest detained).",
          "assumption, to be calibrated; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.kill_share; });
    add_real(b, "model.violence.collateral_per_1000", "deaths per 1000 person-weeks", 0, 100,
          "Civilians killed per 1,000 security person-weeks of targeting effort that intelligence does not guide.",
          "assumption, to be calibrated; docs/model.md, Violence (ESOC/IBC: coalition-caused civilian deaths about 100-200 a month in 2006)",
          [](Scenario& s) -> double& { return s.params.violence.collateral_per_1000; });
    add_real(b, "model.violence.battle_rate", "1/week", 0, 1,
          "Weekly chance of a pitched battle between two co-located hostile factions at full hostility.",
          "assumption, to be calibrated; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.battle_rate; });
    add_real(b, "model.violence.battle_engaged", "1", 0, 1,
          "Share of each side's armed fighters engaged in a battle.",
          "assumption, to be calibrated; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.battle_engaged; });
    add_real(b, "model.violence.battle_lethality", "1", 0, 10,
          "Lanchester aimed-fire coefficient over a battle: the share of the enemy each armed fighter puts out of action.",
          "assumption, to be calibrated; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.battle_lethality; });
    add_real(b, "model.violence.civilians_per_battle_loss", "1", 0, 100,
          "Civilians killed per fighter lost in battle.",
          "assumption, to be calibrated; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.civilians_per_battle_loss; });
    add_real(b, "model.violence.us_deaths_per_enemy_killed", "1", 0, 1,
          "US soldiers killed per enemy fighter killed in a government offensive's set battles, for the US share of "
          "the attacking force (armour, air support and medical evacuation: the US side's losses do not follow the "
          "militias' Lanchester exchange).",
          "the second battle of Fallujah, November-December 2004: about 95 US dead against 1,200-1,500 insurgents "
          "killed by US count; docs/model.md, Violence",
          [](Scenario& s) -> double& { return s.params.violence.us_deaths_per_enemy_killed; });
    add_real(b, "model.forces.volunteer_mobilisation", "1", 0, 1,
          "Largest share of a volunteer faction's supporters under arms.",
          "assumption, to be calibrated; docs/model.md, Forces (JAM about 60,000 fighters among some 3 million Sadrist supporters, 2006-2007)",
          [](Scenario& s) -> double& { return s.params.forces.volunteer_mobilisation; });
    add_real(b, "model.forces.salaried_mobilisation", "1", 0, 1,
          "Largest share of a salaried faction's base communities it can hire.",
          "assumption, to be calibrated; docs/model.md, Forces (ISF 559,000 in 2008 among about 19 million Arabs)",
          [](Scenario& s) -> double& { return s.params.forces.salaried_mobilisation; });
    add_real(b, "model.forces.recruitment_rate", "1/week", 0, 1,
          "Logistic growth rate of a salaried faction's fighters below capacity (recruits come through the fighters already there).",
          "the ISF grew from about 10,000 in mid-2003 to 560,000 in 2008 (GAO); assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.recruitment_rate; });
    add_real(b, "model.forces.volunteer_recruitment_rate", "1/week", 0, 1,
          "Logistic growth rate of a volunteer militia's fighters below capacity.",
          "the Mahdi Army grew from about 1,000 in May 2003 to about 10,000 at the April 2004 uprising; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.volunteer_recruitment_rate; });
    add_real(b, "model.forces.wage_hiring_rate", "1/week", 0, 1,
          "Where a sponsor offers a wage by policy, the weekly share of the open positions filled.",
          "the Sons of Iraq grew to about 100,000 within a year of mid-2007 (data/forcing/sons_of_iraq_monthly_2007_2009.csv); docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.wage_hiring_rate; });
    add_real(b, "model.forces.demobilisation_rate", "1/week", 0, 1,
          "Weekly share of the excess over capacity that leaves.",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.demobilisation_rate; });
    add_real(b, "model.forces.arms_per_fighter_usd", "USD", 1, 10000000.0,
          "Arms per fighter at which half of a faction's fighters are armed.",
          "assumption, to be calibrated; docs/model.md, Forces (an AK-47 cost about USD 100-300 in 2004-2006, with ammunition and explosives several times that)",
          [](Scenario& s) -> double& { return s.params.forces.arms_per_fighter_usd; });
    add_real(b, "model.forces.initial_arms_ratio", "1", 0, 100,
          "Arms stock at the start, in arms_per_fighter_usd per fighter (Iraq's looted depots of 2003).",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.initial_arms_ratio; });
    add_real(b, "model.forces.arms_share_of_money", "1", 0, 1,
          "Share of own revenue and money backing spent on arms.",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.arms_share_of_money; });
    add_real(b, "model.forces.arms_depreciation", "1/week", 0, 1,
          "Weekly loss of the arms stock (wear, seizure).",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.arms_depreciation; });
    add_real(b, "model.forces.arms_per_attack_usd", "USD", 0, 1000000.0,
          "Arms used per attack.",
          "assumption, to be calibrated; docs/model.md, Forces (an IED cost a few hundred dollars; an EFP more)",
          [](Scenario& s) -> double& { return s.params.forces.arms_per_attack_usd; });
    add_real(b, "model.forces.realignment_max_rate", "1/week", 0, 1,
          "Largest weekly share of the source faction's fighters that realign.",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.realignment_max_rate; });
    add_real(b, "model.forces.realignment_predation", "per (death per 100000 per week)", 0, 100,
          "Logistic weight of al-Qaeda's predation on the Sunni Arab community in realignment.",
          "Kilcullen 2009, Long 2008: AQI's murders of sheikhs and marriages by force turned the tribes; weight an assumption",
          [](Scenario& s) -> double& { return s.params.forces.realignment_predation; });
    add_real(b, "model.forces.realignment_protection", "1", 0, 100,
          "Logistic weight of local protection (0-1) in realignment.",
          "Biddle, Friedman and Shapiro 2012: the surge's protection made switching sides survivable; weight an assumption",
          [](Scenario& s) -> double& { return s.params.forces.realignment_protection; });
    add_real(b, "model.forces.realignment_pay", "1", 0, 100,
          "Logistic weight of the wage offered (relative to the fighter cost) in realignment.",
          "Sons of Iraq pay, USD 300 a month (SIGIR 2011); weight an assumption",
          [](Scenario& s) -> double& { return s.params.forces.realignment_pay; });
    add_real(b, "model.forces.realignment_threshold", "1", -100, 100,
          "Threshold of the realignment logistic.",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.realignment_threshold; });
    add_real(b, "model.forces.realignment_hire_share", "1", 0, 1,
          "Largest share of a pay grant's hires drawn from the source faction's fighters (times their willingness).",
          "Long 2008, Biddle, Friedman and Shapiro 2012: the Sons of Iraq enrolled insurgents who switched sides; share an assumption; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.realignment_hire_share; });
    add_real(b, "model.forces.detention_weeks", "weeks", 1, 1040,
          "Mean time a detained fighter is held; release is at a constant hazard of 1/detention_weeks.",
          "Little's law on Task Force 134's mid-2008 figures: about 23,000 held, about 30 admitted a day "
          "(Washington Times, 2008-08-12), 110 weeks; docs/model.md, Detention",
          [](Scenario& s) -> double& { return s.params.forces.detention_weeks; });
    add_real(b, "model.forces.released_rejoin_share", "1", 0, 1,
          "Share of the released detainees who rejoin their faction in the province where they were taken.",
          "assumption: TF-134's re-capture rate of about 1% (2008) is a floor; Camp Bucca's former detainees led "
          "the Islamic State of Iraq; docs/model.md, Detention",
          [](Scenario& s) -> double& { return s.params.forces.released_rejoin_share; });
    add_real(b, "model.forces.split_max_rate", "1/week", 0, 1,
          "Largest weekly share of a parent faction's fighters leaving for its splinter.",
          "assumption, to be calibrated; docs/model.md, Forces (Special Groups about 5,000 by 2008, ISW)",
          [](Scenario& s) -> double& { return s.params.forces.split_max_rate; });
    add_real(b, "model.forces.split_ceasefire_push", "1", 0, 100,
          "How much a ceasefire order speeds the split (hardliners reject it).",
          "the seed article: the Special Groups ignored Sadr's ceasefire; weight an assumption",
          [](Scenario& s) -> double& { return s.params.forces.split_ceasefire_push; });
    add_real(b, "model.forces.pressure_weeks", "weeks", 1, 520,
          "Weeks over which pressure (losses as an annual share of fighters) is averaged.",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.pressure_weeks; });
    add_real(b, "model.forces.revenue_pressure_elasticity", "1", 0, 100,
          "Home revenue falls as base / (1 + elasticity x pressure).",
          "the seed article: JAM under pressure turned to Iran; elasticity an assumption",
          [](Scenario& s) -> double& { return s.params.forces.revenue_pressure_elasticity; });
    add_real(b, "model.forces.predation_weeks", "weeks", 1, 520,
          "Weeks over which al-Qaeda's predation is remembered.",
          "assumption, to be calibrated; docs/model.md, Forces",
          [](Scenario& s) -> double& { return s.params.forces.predation_weeks; });
    add_real(b, "model.loyalty_forces.identity_pull", "1/week", 0, 1,
          "Weekly pull of each faction's log-share of support back toward its anchor (the initial loyalty).",
          "Iraqi voting blocs were stable from January to December 2005 and into 2010; rate an assumption, docs/model.md, Loyalty and information",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.identity_pull; });
    add_real(b, "model.loyalty_forces.protection", "per (death per 10000)", 0, 100,
          "Log-rate of support gained by a community's armed defenders per member killed by others per 10,000.",
          "Kalyvas 2006; the Mahdi Army's rise as the Shia's protector after Samarra; rate an assumption",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.protection; });
    add_real(b, "model.loyalty_forces.backlash", "per (death per 10000)", 0, 100,
          "Log-rate of support lost by a faction per member of the community it killed per 10,000.",
          "Condra and Shapiro 2012 (AJPS): civilian casualties caused by a side raise violence against it; rate an assumption",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.backlash; });
    add_real(b, "model.loyalty_forces.patronage", "per (USD per resident per week)", 0, 100,
          "Log-rate of support per USD a week the faction spends per resident of the province.",
          "Berman, Shapiro and Felter 2011 (JPE): service provision buys cooperation; rate an assumption",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.patronage; });
    add_real(b, "model.loyalty_forces.nationalist_penalty", "1/week", 0, 10,
          "Weekly log-rate of support lost at full nationalism, focus and dependence, per unit of foreignness.",
          "the seed article's second paradox: nationalism hostile to both occupiers; rate an assumption",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.nationalist_penalty; });
    add_real(b, "model.loyalty_forces.resistance", "1/week", 0, 10,
          "Weekly log-rate of support gained at full nationalism and focus on the US by the factions that attack US forces (splinters excepted), shared among them by their fighters in the province.",
          "the seed article: a nationalism hostile to the occupiers; Anbar's insurgency (Hashim 2006); rate calibrated; docs/model.md, Loyalty forces",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.resistance; });
    add_real(b, "model.loyalty_forces.tips_rate", "1/week", 0, 1,
          "Weekly share of the gap to the tips target closed.",
          "assumption, to be calibrated; docs/model.md, Loyalty and information",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.tips_rate; });
    add_real(b, "model.loyalty_forces.tips_unaligned", "1", 0, 1,
          "Willingness of unaligned civilians to pass tips, relative to supporters of the security forces' side.",
          "assumption, to be calibrated; docs/model.md, Loyalty and information",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.tips_unaligned; });
    add_real(b, "model.loyalty_forces.intimidation_half_per_1000", "per 1000 members", 0.001, 1000,
          "Enemy fighters per 1,000 members of a community at which intimidation halves tips (unprotected).",
          "assumption, to be calibrated; docs/model.md, Loyalty and information",
          [](Scenario& s) -> double& { return s.params.loyalty_forces.intimidation_half_per_1000; });
    add_real(b, "model.control.rate", "1/week", 0, 1,
          "Weekly share of the gap between control and the force-and-support balance closed.",
          "assumption, to be calibrated; docs/model.md, Control and dependence",
          [](Scenario& s) -> double& { return s.params.control.rate; });
    add_real(b, "model.control.support_weight", "1", 0, 1,
          "Weight of local support against armed force in control.",
          "assumption, to be calibrated; docs/model.md, Control and dependence",
          [](Scenario& s) -> double& { return s.params.control.support_weight; });
    add_real(b, "model.observation.sigact_base_coverage", "1", 0, 1,
          "SIGACT coverage where no US troops are present.",
          "ESOC SIGACT codebook: reports filed by coalition units; share an assumption",
          [](Scenario& s) -> double& { return s.params.observation.sigact_base_coverage; });
    add_real(b, "model.observation.sigact_half_troops", "persons", 1, 1000000.0,
          "US troops in a province at which SIGACT coverage is half-way to full.",
          "assumption, to be calibrated; docs/model.md, Observation",
          [](Scenario& s) -> double& { return s.params.observation.sigact_half_troops; });
    add_real(b, "model.observation.sigact_isf_share", "1", 0, 1,
          "Share of attacks on Iraqi forces reaching the SIGACT record, relative to attacks on US forces.",
          "assumption, to be calibrated; docs/model.md, Observation",
          [](Scenario& s) -> double& { return s.params.observation.sigact_isf_share; });
    add_real(b, "model.observation.sigact_per_sectarian_death", "reports/death", 0, 10,
          "SIGACT records per civilian killed (all civilian deaths: murders, bombings and crossfire reach the record as incidents, not as deaths).",
          "assumption, to be calibrated; docs/model.md, Observation",
          [](Scenario& s) -> double& { return s.params.observation.sigact_per_sectarian_death; });
    add_real(b, "model.observation.ibc_coverage", "1", 0, 1,
          "Share of civilian deaths an IBC-like count records.",
          "IBC is a floor: IFHS 2008 and IBC's own comparisons suggest coverage near one half to two thirds",
          [](Scenario& s) -> double& { return s.params.observation.ibc_coverage; });
    b.add("model.observation.sigact_civilian_records_from", T::date, "date", -inf, inf,
          "First date whose week's SIGACT-like records hold incidents against civilians (sigact_per_sectarian_death "
          "applies from it); before it they hold attacks on US and Iraqi forces only.",
          "ESOC SIGACT data (data/observed/esoc_sigact_country_month_2004_2006.csv): SIGACT less SIG_1 is under 0.3% "
          "of SIGACT until March 2006 and 10-26% from April 2006; docs/model.md, Observation",
          [](Scenario& s, std::size_t, const Value& v) { s.params.observation.sigact_civilian_records_from = as<core::Date>(v); },
          [](const Scenario& s, std::size_t) { return Value{s.params.observation.sigact_civilian_records_from}; });
    add_real(b, "model.observation.ibc_incident_share", "1", 0.01, 1,
          "Share of the incidents whose deaths an IBC-like count records that it lists as incidents of their own "
          "(the rest enter within aggregate entries: bodies found in a city on a day, morgue tallies).",
          "assumption, to be calibrated against IBC's incident counts; docs/model.md, Observation",
          [](Scenario& s) -> double& { return s.params.observation.ibc_incident_share; });
    add_real(b, "model.observation.ibc_sectarian_share_sunni", "1", 0, 1,
          "Share of the one-sided killing by Sunni Arab armed groups that ESOC-coded IBC data would put under "
          "\"sectarian\" (executions, bodies found) rather than \"insurgent\" (bombings); the other factions' "
          "one-sided killing is all \"sectarian\".",
          "assumption, to be calibrated against data/observed/esoc_ibc_civcas_governorate_month_2003_2006.csv; docs/model.md, Observation",
          [](Scenario& s) -> double& { return s.params.observation.ibc_sectarian_share_sunni; });
    add_real(b, "model.observation.detained_fighter_share", "1", 0.01, 1,
          "Share of the detentions a War Logs-like record counts as \"enemy detained\" that are of the factions' "
          "fighters; the rest are suspects picked up with them and soon released.",
          "ICRC report of February 2004: coalition intelligence officers estimated 70-90% of those held were "
          "arrested by mistake; docs/model.md, Observation",
          [](Scenario& s) -> double& { return s.params.observation.detained_fighter_share; });
    add_real(b, "model.us_troops.base_posture", "1", 0, 1,
          "Share of US troops dispersed among the population (outposts, joint security stations) when no "
          "policy sets it.",
          "assumption: before 2007 US forces were consolidated on large forward operating bases; docs/policies.md",
          [](Scenario& s) -> double& { return s.params.us_troops.base_posture; });
    b.add("sponsor.*.budget_usd_per_week", T::real, "USD/week", 0, 1e10,
          "What the sponsor spends on Iraqi factions (money, arms, training), split by its ties.",
          "data/derived/factions.md, Sponsors (US: ISFF and CERP; Iran: scaled from Bergner 2007; Saudi private: assumption)",
          [](Scenario& s, std::size_t i, const Value& v) { s.world.sponsors[i].budget_usd_per_week = as<double>(v); },
          [](const Scenario& s, std::size_t i) { return Value{s.world.sponsors[i].budget_usd_per_week}; });
    b.add("sponsor.*.arms_reaction_per_week", T::real, "1/week", 0, 1,
          "Richardson's reaction coefficient: arms (USD) the sponsor adds each week to each faction it arms, per "
          "dollar of arms held by that faction's enemies. 0 (the default) for every sponsor: no evidence fixes it.",
          "Richardson 1960, Arms and Insecurity; docs/model.md, Sponsors (an assumption for what-ifs, off in the baseline)",
          [](Scenario& s, std::size_t i, const Value& v) { s.world.sponsors[i].arms_reaction_per_week = as<double>(v); },
          [](const Scenario& s, std::size_t i) { return Value{s.world.sponsors[i].arms_reaction_per_week}; });
    b.add("province.*.population_2007", T::real, "persons", 0, 1e8,
          "Residents at the start (the WFP 2007 estimate), split by the province's community shares.",
          "data/world/governorate_population_ethnicity.csv (WFP via ESOC)",
          [](Scenario& s, std::size_t p, const Value& v) { s.world.provinces[p].population_2007 = as<double>(v); },
          [](const Scenario& s, std::size_t p) { return Value{s.world.provinces[p].population_2007}; });
    b.add("province.*.us_troop_share", T::real, "1", 0, 1,
          "Share of the national US troop level stationed in the province before the surge; shares are "
          "renormalised to sum to 1 over provinces.",
          "data/derived/us_troop_allocation.csv",
          [](Scenario& s, std::size_t p, const Value& v) { s.world.provinces[p].us_troop_share = as<double>(v); },
          [](const Scenario& s, std::size_t p) { return Value{s.world.provinces[p].us_troop_share}; });
    b.add("faction.*.bloc_weight", T::real, "1", 0, 1,
          "The faction's share of its December 2005 electoral bloc's vote, which sets its initial loyalty.",
          "docs/model.md, Initial loyalty (UIA seat split)",
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].bloc_weight = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].bloc_weight}; });
    const std::string factions_source = "data/derived/factions.csv (sources in factions.md)";
    b.add("faction.*.cohesion", T::real, "1", 0, 1,
          "How far the faction's leadership controls its fighters (1: a disciplined hierarchy, 0: autonomous "
          "gangs). Every value is an assumption graded from qualitative sources.",
          factions_source,
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].cohesion = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].cohesion}; });
    b.add("faction.*.initial_fighters", T::real, "persons", 0, 1e7,
          "National total of the faction's armed men at the start (2003-05-01), placed in the provinces by "
          "its fighters distribution; for the government, the Iraqi Security Forces.",
          factions_source,
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].initial_fighters = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].initial_fighters}; });
    b.add("faction.*.home_revenue_usd_per_week", T::real, "USD/week", 0, 1e10,
          "The faction's own (non-sponsor) income at 2003-2005 levels.", factions_source,
          [](Scenario& s, std::size_t f, const Value& v) {
              s.world.factions[f].home_revenue_usd_per_week = as<double>(v);
          },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].home_revenue_usd_per_week}; });
    b.add("faction.*.foreignness", T::real, "1", 0, 1,
          "How visibly foreign-backed the faction is in Iraqi eyes (0: wholly Iraqi, 1: a foreign proxy). "
          "Every value is an assumption graded from the sources.",
          factions_source,
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].foreignness = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].foreignness}; });
    b.add("faction.*.fighter_cost_usd_per_week", T::real, "USD/week", 0, 1e6,
          "What one fighter costs the faction per week (pay and upkeep): with its resources, it limits how many "
          "fighters the faction can keep.",
          factions_source,
          [](Scenario& s, std::size_t f, const Value& v) { s.world.factions[f].fighter_cost_usd_per_week = as<double>(v); },
          [](const Scenario& s, std::size_t f) { return Value{s.world.factions[f].fighter_cost_usd_per_week}; });
    return std::move(b.defs);
}

std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        parts.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return parts;
}

template <class Entity>
std::vector<std::string> ids_of(const std::vector<Entity>& entities) {
    std::vector<std::string> ids;
    for (const Entity& e : entities) ids.push_back(e.id);
    return ids;
}

}  // namespace

std::vector<std::string> entity_ids(const Scenario& s, EntityKind kind) {
    switch (kind) {
        case EntityKind::province: return ids_of(s.world.provinces);
        case EntityKind::faction: return ids_of(s.world.factions);
        case EntityKind::sponsor: return ids_of(s.world.sponsors);
        case EntityKind::none: break;
    }
    return {};
}

EntityKind ParamDef::entity_kind() const {
    if (path.starts_with("province.*.")) return EntityKind::province;
    if (path.starts_with("faction.*.")) return EntityKind::faction;
    if (path.starts_with("sponsor.*.")) return EntityKind::sponsor;
    return EntityKind::none;
}

const std::vector<ParamDef>& registry() {
    static const std::vector<ParamDef> defs = build_registry();
    return defs;
}

std::optional<ParamRef> find_param(const Scenario& scenario, std::string_view path) {
    const std::vector<std::string> parts = split(path);
    for (const ParamDef& def : registry()) {
        const EntityKind kind = def.entity_kind();
        if (kind == EntityKind::none) {
            if (def.path == path) return ParamRef{&def, 0, def.path};
            continue;
        }
        const std::vector<std::string> pattern = split(def.path);
        if (parts.size() != pattern.size() || parts[0] != pattern[0] || parts[2] != pattern[2]) continue;
        const std::vector<std::string> ids = entity_ids(scenario, kind);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (ids[i] == parts[1]) return ParamRef{&def, i, std::string(path)};
        }
    }
    return std::nullopt;
}

std::vector<std::string> all_paths(const Scenario& scenario) {
    std::vector<std::string> paths;
    for (const ParamDef& def : registry()) {
        const EntityKind kind = def.entity_kind();
        if (kind == EntityKind::none) {
            paths.push_back(def.path);
            continue;
        }
        const std::vector<std::string> pattern = split(def.path);
        for (const std::string& id : entity_ids(scenario, kind)) paths.push_back(pattern[0] + "." + id + "." + pattern[2]);
    }
    return paths;
}

std::string check_value(const ParamDef& def, Value& value, const Scenario&) {
    if (def.type == ValueType::real && std::holds_alternative<std::int64_t>(value)) {
        value = static_cast<double>(std::get<std::int64_t>(value));
    }
    if (def.type == ValueType::real_list && std::holds_alternative<std::vector<std::string>>(value) &&
        std::get<std::vector<std::string>>(value).empty()) {
        value = std::vector<double>{};  // [] parses as an empty list of strings
    }
    const bool type_ok = [&] {
        switch (def.type) {
            case ValueType::boolean: return std::holds_alternative<bool>(value);
            case ValueType::integer: return std::holds_alternative<std::int64_t>(value);
            case ValueType::real: return std::holds_alternative<double>(value);
            case ValueType::text: return std::holds_alternative<std::string>(value);
            case ValueType::date: return std::holds_alternative<core::Date>(value);
            case ValueType::text_list: return std::holds_alternative<std::vector<std::string>>(value);
            case ValueType::real_list: return std::holds_alternative<std::vector<double>>(value);
        }
        return false;
    }();
    if (!type_ok) return std::string("expected ") + type_name(def.type) + ", got " + to_toml(value);
    auto out_of_range = [&](double x) {
        std::ostringstream m;
        m << "value " << to_toml(value) << " is out of range [" << def.min << ", " << def.max << "]";
        if (!def.unit.empty()) m << " " << def.unit;
        return x < def.min || x > def.max ? m.str() : std::string();
    };
    if (def.type == ValueType::real) {
        const double x = std::get<double>(value);
        if (!std::isfinite(x)) return "must be a finite number, got " + to_toml(value);
        return out_of_range(x);
    }
    if (def.type == ValueType::integer) return out_of_range(static_cast<double>(std::get<std::int64_t>(value)));
    if (def.type == ValueType::real_list) {
        for (const double x : std::get<std::vector<double>>(value)) {
            if (!std::isfinite(x)) return "must hold finite numbers, got " + to_toml(value);
            if (const std::string problem = out_of_range(x); !problem.empty()) return problem;
        }
    }
    if (def.path == "scenario.name") return check_scenario_name(value);
    if (def.path == "output.variables") return check_variables(value);
    if (def.path == "population.mode") return check_population_mode(value);
    return {};
}

std::string registry_markdown() {
    const Scenario defaults = default_scenario();
    std::ostringstream out;
    out << "# Scenario keys\n\n"
           "Generated from the parameter registry (`iraqsim config --docs`); a test fails when this file and the\n"
           "registry differ. Regenerate with `build/iraqsim config --docs > docs/scenario.md`.\n\n"
           "A scenario file is TOML. A file that defines no world is an overlay on the embedded Iraq world and\n"
           "its history: it gives only what it changes. Unknown keys are errors. `include = [\"base.toml\"]`\n"
           "(paths relative to the including file) applies other files first; `--set path=value` on the command\n"
           "line applies last. Entity keys take the entity's id in place of `*` (`province.baghdad.population_2007`,\n"
           "`faction.jam.bloc_weight`). Events are `[[event]]` tables with a unique `id` (see below).\n\n"
           "| key | type | unit | range | default | meaning | source |\n|---|---|---|---|---|---|---|\n";
    for (const ParamDef& def : registry()) {
        std::string range;
        if (def.type == ValueType::integer || def.type == ValueType::real) {
            std::ostringstream r;
            r << "[" << def.min << ", " << def.max << "]";
            range = r.str();
        }
        out << "| `" << def.path << "` | " << type_name(def.type) << " | " << def.unit << " | " << range << " | ";
        if (def.entity_kind() == EntityKind::none) {
            out << '`' << to_toml(def.get(defaults, 0)) << '`';
        } else {
            out << "per entity, from data";
        }
        out << " | " << def.help << " | " << def.source << " |\n";
    }
    out << "\n## Events\n\n"
           "Each `[[event]]` table has a unique `id` (snake_case). A table whose id is new adds an event and must\n"
           "give `policy` and either `date` (an ISO date, unquoted, within the scenario's period) or a condition\n"
           "`when` (docs/policies.md, \"Conditional policies\"); a table whose\n"
           "id is inherited (from the embedded history or an included file) replaces the fields it gives;\n"
           "`enabled = false` removes an inherited event (on an id that does not exist, it is an error).\n"
           "`--set event.<id>.<field>=value` changes one field of an existing event.\n\n"
           "| field | type | meaning |\n|---|---|---|\n"
           "| `id` | a string | unique snake_case id |\n"
           "| `enabled` | a boolean | false removes the event (default true) |\n"
           "| `date` | a date | first day the policy acts (with `when`: first day the condition is watched) |\n"
           "| `when` | a string | a condition on last week's state; the event fires the first week it holds |\n"
           "| `until` | a date | last day a conditional event is watched (default: the scenario's end) |\n"
           "| `policy` | a string | one of the policies the engine implements (docs/policies.md) |\n"
           "| other fields | per policy | the policy's own parameters |\n";
    return out.str();
}

}  // namespace iraqsim::scenario
