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

void extract_loyalty(const Roster& roster, const State& state, float* out) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    for (Eigen::Index p = 0; p < P; ++p)
        for (Eigen::Index c = 0; c < C; ++c)
            for (Eigen::Index f = 0; f < state.loyalty.cols(); ++f)
                *out++ = static_cast<float>(state.loyalty(c * P + p, f));
}

void extract_residents(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.residents.rows(); ++p)
        for (Eigen::Index c = 0; c < state.residents.cols(); ++c) *out++ = static_cast<float>(state.residents(p, c));
}

void extract_displaced(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.displaced.rows(); ++p)
        for (Eigen::Index c = 0; c < state.displaced.cols(); ++c) *out++ = static_cast<float>(state.displaced(p, c));
}

void extract_refugees(const Roster&, const State& state, float* out) {
    for (Eigen::Index c = 0; c < state.refugees.size(); ++c) *out++ = static_cast<float>(state.refugees(c));
}

void extract_backing(const Roster&, const State& state, float* out) {
    for (Eigen::Index row = 0; row < state.backing.rows(); ++row)  // sponsor-major, then faction
        for (Eigen::Index k = 0; k < state.backing.cols(); ++k) *out++ = static_cast<float>(state.backing(row, k));
}

void extract_dependence(const Roster&, const State& state, float* out) {
    for (Eigen::Index s = 0; s < state.dependence.rows(); ++s)
        for (Eigen::Index f = 0; f < state.dependence.cols(); ++f) *out++ = static_cast<float>(state.dependence(s, f));
}

void extract_nationalism(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.nationalism.rows(); ++p)
        for (Eigen::Index c = 0; c < state.nationalism.cols(); ++c) *out++ = static_cast<float>(state.nationalism(p, c));
}

void extract_nationalism_focus(const Roster& roster, const State& state, float* out) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    for (Eigen::Index p = 0; p < P; ++p)
        for (Eigen::Index c = 0; c < C; ++c)
            for (Eigen::Index s = 0; s < state.nationalism_focus.cols(); ++s)
                *out++ = static_cast<float>(state.nationalism_focus(c * P + p, s));
}

void extract_us_troops(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.us_troops.size(); ++p) *out++ = static_cast<float>(state.us_troops(p));
}

void extract_us_posture(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.us_posture.size(); ++p) *out++ = static_cast<float>(state.us_posture(p));
}

void extract_militia(const Roster&, const State& state, float* out) {
    for (Eigen::Index p = 0; p < state.militia.rows(); ++p)
        for (Eigen::Index f = 0; f < state.militia.cols(); ++f) *out++ = static_cast<float>(state.militia(p, f));
}

const std::vector<VariableDef>& catalogue() {
    using enum Dim;
    static const std::vector<VariableDef> variables{
        {"support", "share of residents supporting each faction", "1", {province, faction}, extract_support},
        {"loyalty", "share of each community supporting each faction", "1", {province, community, faction},
         extract_loyalty},
        {"residents", "residents by community", "persons", {province, community}, extract_residents},
        {"displaced", "persons displaced inside Iraq, by province of origin", "persons", {province, community},
         extract_displaced},
        {"refugees", "refugees abroad", "persons", {community}, extract_refugees},
        {"backing",
         "backing by sponsor, faction and channel (money, arms, training in USD per week; political_cover: "
         "share of the sponsor's attention)",
         "USD/week", {sponsor, faction, channel}, extract_backing},
        {"dependence", "share of the faction's resources (own revenue and material backing) from the sponsor", "1",
         {sponsor, faction}, extract_dependence},
        {"nationalism", "share of the community hostile to foreign presence", "1", {province, community},
         extract_nationalism},
        {"nationalism_focus", "share of the community's nationalist hostility directed at each sponsor", "1",
         {province, community, sponsor}, extract_nationalism_focus},
        {"us_troops", "US troops stationed in the province", "persons", {province}, extract_us_troops},
        {"us_posture", "share of US troops dispersed among the population (outposts)", "1", {province},
         extract_us_posture},
        {"militia", "armed fighters of the faction in the province (for the government: the Iraqi Security Forces)",
         "persons", {province, faction}, extract_militia},
    };
    return variables;
}

}  // namespace

std::string_view dim_name(Dim d) {
    switch (d) {
        case Dim::province: return "province";
        case Dim::community: return "community";
        case Dim::faction: return "faction";
        case Dim::sponsor: return "sponsor";
        case Dim::channel: return "channel";
    }
    return "?";
}

std::size_t dim_size(Dim d, const world::Roster& roster) {
    switch (d) {
        case Dim::province: return roster.province_count();
        case Dim::community: return roster.community_count();
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
