#include "iraqsim/output/variables.hpp"

namespace iraqsim::output {
namespace {

using world::Roster;
using world::State;

void extract_support(const Roster& roster, const State& state, float* out) {
    const Eigen::ArrayXXd support = world::support_by_province(roster, state);
    for (Eigen::Index p = 0; p < support.rows(); ++p)
        for (Eigen::Index f = 0; f < support.cols(); ++f) *out++ = static_cast<float>(support(p, f));
}

// A state vector, in order.
template <Eigen::ArrayXd State::*field>
void extract_vector(const Roster&, const State& state, float* out) {
    const Eigen::ArrayXd& x = state.*field;
    for (Eigen::Index i = 0; i < x.size(); ++i) *out++ = static_cast<float>(x(i));
}

// A state matrix, row-major (its rows are the first output dimension).
template <Eigen::ArrayXXd State::*field>
void extract_matrix(const Roster&, const State& state, float* out) {
    const Eigen::ArrayXXd& x = state.*field;
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index k = 0; k < x.cols(); ++k) *out++ = static_cast<float>(x(r, k));
}

// One column of a state matrix. [rows]
template <Eigen::ArrayXXd State::*field, Eigen::Index column>
void extract_column(const Roster&, const State& state, float* out) {
    const Eigen::ArrayXXd& x = state.*field;
    for (Eigen::Index r = 0; r < x.rows(); ++r) *out++ = static_cast<float>(x(r, column));
}

// A matrix stored community-major (row c * P + p), written as [province, community, column].
template <Eigen::ArrayXXd State::*field>
void extract_by_province_community(const Roster& roster, const State& state, float* out) {
    const Eigen::ArrayXXd& x = state.*field;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    for (Eigen::Index p = 0; p < P; ++p)
        for (Eigen::Index c = 0; c < C; ++c)
            for (Eigen::Index k = 0; k < x.cols(); ++k) *out++ = static_cast<float>(x(c * P + p, k));
}

void extract_civilian_deaths(const Roster&, const State& state, float* out) {
    const Eigen::ArrayXd deaths = world::civilian_deaths(state);
    for (Eigen::Index p = 0; p < deaths.size(); ++p) *out++ = static_cast<float>(deaths(p));
}

// Civilians killed by each faction, summed over the victims' communities. [province, faction]
void extract_civilian_deaths_by(const Roster& roster, const State& state, float* out) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    for (Eigen::Index p = 0; p < P; ++p)
        for (Eigen::Index f = 0; f < state.civilians_killed_by.cols(); ++f) {
            double total = 0;
            for (Eigen::Index c = 0; c < C; ++c) total += state.civilians_killed_by(c * P + p, f);
            *out++ = static_cast<float>(total);
        }
}

void extract_civilian_deaths_by_us(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.civilians_killed_by_us.rows(); ++p)
        *out++ = static_cast<float>(state.civilians_killed_by_us.row(p).sum());
}

void extract_attacks(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.attacks_by.rows(); ++p) *out++ = static_cast<float>(state.attacks_by.row(p).sum());
}

const std::vector<VariableDef>& catalogue() {
    using enum Dim;
    static const std::vector<VariableDef> variables{
        {"support", "share of residents supporting each faction", "1", {province, faction}, extract_support},
        {"loyalty", "share of each community supporting each faction", "1", {province, community, faction},
         extract_by_province_community<&State::loyalty>},
        {"residents", "residents by community", "persons", {province, community}, extract_matrix<&State::residents>},
        {"displaced", "persons displaced inside Iraq, by province of origin", "persons", {province, community},
         extract_matrix<&State::displaced>},
        {"refugees", "refugees abroad", "persons", {community}, extract_vector<&State::refugees>},
        {"exposure", "share of the community's neighbours who belong to the other community (district-level mixing)",
         "1", {province, community, other_community}, extract_by_province_community<&State::exposure>},
        {"backing",
         "backing by sponsor, faction and channel (money, arms, training in USD per week; political_cover: "
         "share of the sponsor's attention)",
         "USD/week", {sponsor, faction, channel}, extract_matrix<&State::backing>},
        {"dependence", "share of the faction's resources (own revenue and material backing) from the sponsor", "1",
         {sponsor, faction}, extract_matrix<&State::dependence>},
        {"home_revenue", "the faction's own (non-sponsor) income", "USD/week", {faction},
         extract_vector<&State::home_revenue>},
        {"arms", "the faction's arms stock", "USD", {faction}, extract_vector<&State::arms>},
        {"nationalism", "share of the community hostile to foreign presence", "1", {province, community},
         extract_matrix<&State::nationalism>},
        {"nationalism_focus", "share of the community's nationalist hostility directed at each sponsor", "1",
         {province, community, sponsor}, extract_by_province_community<&State::nationalism_focus>},
        {"tips", "share of the community passing information to the security forces", "1", {province, community},
         extract_matrix<&State::tips>},
        {"tension", "sectarian hostility (1 = the level of 2003; shocks raise it)", "1", {province},
         extract_vector<&State::tension>},
        {"us_troops", "US troops stationed in the province", "persons", {province}, extract_vector<&State::us_troops>},
        {"us_posture", "share of US troops dispersed among the population (outposts)", "1", {province},
         extract_vector<&State::us_posture>},
        {"militia", "fighters of the faction in the province, armed or not (for the government: the Iraqi Security Forces)",
         "persons", {province, faction}, extract_matrix<&State::militia>},
        {"control", "share of political control of the province held by the faction", "1", {province, faction},
         extract_matrix<&State::control>},
        {"civilian_deaths", "civilians killed in the week (true count, all perpetrators)", "persons/week", {province},
         extract_civilian_deaths},
        {"civilian_deaths_by", "civilians killed in the week by the faction (the government: the Iraqi forces)",
         "persons/week", {province, faction}, extract_civilian_deaths_by},
        {"civilian_deaths_by_us", "civilians killed in the week by US forces", "persons/week", {province},
         extract_civilian_deaths_by_us},
        {"civilian_incidents", "incidents in the week in which civilians died (true count)", "incidents/week", {province},
         extract_vector<&State::civilian_incidents>},
        {"attacks", "attacks in the week on US and Iraqi forces (true count)", "attacks/week", {province}, extract_attacks},
        {"attacks_by", "attacks in the week on US and Iraqi forces by the faction", "attacks/week", {province, faction},
         extract_matrix<&State::attacks_by>},
        {"attacks_on_us", "attacks in the week on US forces", "attacks/week", {province}, extract_vector<&State::attacks_on_us>},
        {"us_fatalities", "US military deaths in the week from hostile action", "persons/week", {province},
         extract_vector<&State::us_fatalities>},
        {"isf_deaths", "Iraqi security force deaths in the week", "persons/week", {province},
         extract_vector<&State::isf_deaths>},
        {"fighters_killed", "the faction's fighters killed in the week", "persons/week", {province, faction},
         extract_matrix<&State::fighters_killed>},
        {"fighters_detained", "the faction's fighters detained in the week", "persons/week", {province, faction},
         extract_matrix<&State::fighters_detained>},
        {"fighters_killed_by_forces",
         "the faction's fighters killed in the week by US and Iraqi forces (targeting, campaigns, the government's battles; "
         "part of fighters_killed)",
         "persons/week", {province, faction}, extract_matrix<&State::fighters_killed_by_forces>},
        {"detainees", "the faction's fighters held in detention, by province of capture", "persons", {province, faction},
         extract_matrix<&State::detainees>},
        {"detainees_released", "the faction's detained fighters released in the week", "persons/week",
         {province, faction}, extract_matrix<&State::detainees_released>},
        {"reported_attacks", "attacks a SIGACT-like record would hold for the week", "reports/week", {province},
         extract_vector<&State::reported_attacks>},
        {"reported_civilian_deaths", "civilian deaths an IBC-like count would record for the week", "persons/week",
         {province}, extract_vector<&State::reported_civilian_deaths>},
        {"reported_civilian_incidents", "incidents with civilian deaths an IBC-like count would record for the week",
         "incidents/week", {province}, extract_vector<&State::reported_civilian_incidents>},
        {"reported_attacks_on_forces",
         "attacks on US and Iraqi forces a SIGACT-like record would hold for the week (ESOC's SIG_1: no records of civilian deaths)",
         "reports/week", {province}, extract_vector<&State::reported_attacks_on_forces>},
        {"reported_civilian_deaths_coalition",
         "IBC-like civilian deaths the ESOC coding would attribute to coalition (US and Iraqi) forces", "persons/week",
         {province}, extract_column<&State::reported_civilian_deaths_by_category, 0>},
        {"reported_civilian_deaths_insurgent",
         "IBC-like civilian deaths the ESOC coding would attribute to insurgents (bombings, attacks, battles)", "persons/week",
         {province}, extract_column<&State::reported_civilian_deaths_by_category, 1>},
        {"reported_civilian_deaths_sectarian",
         "IBC-like civilian deaths the ESOC coding would attribute to sectarian militias (one-sided killing)", "persons/week",
         {province}, extract_column<&State::reported_civilian_deaths_by_category, 2>},
        {"reported_enemy_killed", "enemies killed in action by US and Iraqi forces a War Logs-like record would hold",
         "persons/week", {province}, extract_vector<&State::reported_enemy_killed>},
        {"reported_enemy_detained",
         "detentions a War Logs-like record would hold as \"enemy detained\" (fighters and the suspects taken with them)",
         "persons/week", {province}, extract_vector<&State::reported_enemy_detained>},
    };
    return variables;
}

}  // namespace

std::string_view dim_name(Dim d) {
    switch (d) {
        case Dim::province: return "province";
        case Dim::community: return "community";
        case Dim::other_community: return "other_community";
        case Dim::faction: return "faction";
        case Dim::sponsor: return "sponsor";
        case Dim::channel: return "channel";
    }
    return "?";
}

std::size_t dim_size(Dim d, const world::Roster& roster) {
    switch (d) {
        case Dim::province: return roster.province_count();
        case Dim::community:
        case Dim::other_community: return roster.community_count();
        case Dim::faction: return roster.faction_count();
        case Dim::sponsor: return roster.sponsor_count();
        case Dim::channel: return roster.channels.size();
    }
    return 0;
}

std::size_t VariableDef::size(const world::Roster& roster) const {
    std::size_t n = 1;
    for (Dim d : dims) n *= dim_size(d, roster);
    return n;
}

std::span<const VariableDef> variable_catalogue() { return catalogue(); }

const VariableDef* find_variable(std::string_view name) {
    for (const VariableDef& v : catalogue())
        if (v.name == name) return &v;
    return nullptr;
}

}  // namespace iraqsim::output
