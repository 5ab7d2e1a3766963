#include "iraqsim/world/state.hpp"

#include <algorithm>

namespace iraqsim::world {
namespace {

// Below this share a community's own vote cannot be told apart from noise in the map-based
// composition, so its national figure stands in (docs/model.md, "Initial loyalty").
constexpr double min_share_for_local_estimate = 0.02;

// Communities whose votes a bloc's share is attributed to.
std::vector<CommunityId> bloc_communities(const Roster& roster, ElectoralBloc bloc) {
    auto id = [&](const char* name) { return *roster.find_community(name); };
    switch (bloc) {
        case ElectoralBloc::shia_lists: return {id("shia_arab")};
        case ElectoralBloc::sunni_lists: return {id("sunni_arab")};
        case ElectoralBloc::kurdish_lists: return {id("kurd")};
        case ElectoralBloc::secular_lists: return {id("shia_arab"), id("sunni_arab"), id("other")};
        case ElectoralBloc::none: break;
    }
    return {};
}

std::size_t bloc_column(ElectoralBloc bloc) { return static_cast<std::size_t>(bloc) - 1; }

// Share of the given communities' members in a province who voted for a bloc's lists.
double bloc_turnout_share(const Province& p, ElectoralBloc bloc, const std::vector<CommunityId>& communities) {
    double community_share = 0;
    for (CommunityId c : communities) community_share += p.community_share[c.index()];
    if (community_share < min_share_for_local_estimate) return -1;  // no local estimate
    return std::min(1.0, p.vote_share_dec2005[bloc_column(bloc)] / community_share);
}

double national_bloc_share(const Roster& roster, ElectoralBloc bloc, const std::vector<CommunityId>& communities) {
    double votes = 0, members = 0;
    for (const Province& p : roster.provinces) {
        double community_share = 0;
        for (CommunityId c : communities) community_share += p.community_share[c.index()];
        votes += p.population_2005 * p.vote_share_dec2005[bloc_column(bloc)];
        members += p.population_2005 * community_share;
    }
    return members > 0 ? std::min(1.0, votes / members) : 0.0;
}

}  // namespace

Eigen::ArrayXd civilian_deaths(const State& state) {
    const Eigen::Index P = state.civilians_killed_by_us.rows();
    Eigen::ArrayXd total = state.civilians_killed_by_us.rowwise().sum();
    for (Eigen::Index row = 0; row < state.civilians_killed_by.rows(); ++row)
        total(row % P) += state.civilians_killed_by.row(row).sum();
    return total;
}

double people_accounted(const State& state) {
    return state.residents.sum() + state.displaced.sum() + state.refugees.sum() + state.violent_deaths.sum();
}

Eigen::ArrayXXd support_by_province(const Roster& roster, const State& state) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    Eigen::ArrayXXd supporters = Eigen::ArrayXXd::Zero(P, F);
    for (Eigen::Index c = 0; c < C; ++c) {
        supporters += state.loyalty.middleRows(c * P, P).colwise() * state.residents.col(c);
    }
    const Eigen::ArrayXd total = state.residents.rowwise().sum();
    for (Eigen::Index p = 0; p < P; ++p) {
        if (total(p) > 0) supporters.row(p) /= total(p);
    }
    return supporters;
}

State make_initial_state(const Roster& roster) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    State state;
    state.residents.resize(P, C);
    state.loyalty = Eigen::ArrayXXd::Zero(C * P, F);
    state.us_troops = Eigen::ArrayXd::Zero(P);
    state.us_posture = Eigen::ArrayXd::Zero(P);
    state.militia = Eigen::ArrayXXd::Zero(P, F);
    state.displaced = Eigen::ArrayXXd::Zero(P, C);
    const auto S = static_cast<Eigen::Index>(roster.sponsor_count());
    state.backing = Eigen::ArrayXXd::Zero(S * F, static_cast<Eigen::Index>(channel_count));
    state.dependence = Eigen::ArrayXXd::Zero(S, F);
    state.nationalism = Eigen::ArrayXXd::Zero(P, C);
    state.nationalism_focus = Eigen::ArrayXXd::Constant(C * P, S, 1.0 / static_cast<double>(S));
    state.refugees = Eigen::ArrayXd::Zero(C);
    state.violent_deaths = Eigen::ArrayXXd::Zero(P, C);
    state.exposure = Eigen::ArrayXXd::Zero(C * P, C);
    state.tips = Eigen::ArrayXXd::Zero(P, C);
    state.tension = Eigen::ArrayXd::Ones(P);
    state.predation = Eigen::ArrayXd::Zero(P);
    state.grievance = Eigen::ArrayXXd::Zero(P, C);
    state.cells = Eigen::ArrayXXd::Zero(0, F);  // settled by compile_model, which knows the cell parameters
    state.detainees = Eigen::ArrayXXd::Zero(P, F);
    state.arms = Eigen::ArrayXd::Zero(F);
    state.pressure = Eigen::ArrayXd::Zero(F);
    state.home_revenue = Eigen::ArrayXd::Zero(F);
    state.control = Eigen::ArrayXXd::Zero(P, F);
    state.civilians_killed_by = Eigen::ArrayXXd::Zero(C * P, F);
    state.civilians_killed_by_us = Eigen::ArrayXXd::Zero(P, C);
    state.attacks_by = Eigen::ArrayXXd::Zero(P, F);
    state.attacks_on_us = Eigen::ArrayXd::Zero(P);
    state.us_fatalities = Eigen::ArrayXd::Zero(P);
    state.isf_deaths = Eigen::ArrayXd::Zero(P);
    state.fighters_killed = Eigen::ArrayXXd::Zero(P, F);
    state.battle_deaths = Eigen::ArrayXXd::Zero(F, F);
    state.fighters_detained = Eigen::ArrayXXd::Zero(P, F);
    state.fighters_killed_by_forces = Eigen::ArrayXXd::Zero(P, F);
    state.detainees_released = Eigen::ArrayXXd::Zero(P, F);
    state.defection = Eigen::ArrayXXd::Zero(P, F);
    state.reported_attacks = Eigen::ArrayXd::Zero(P);
    state.reported_civilian_deaths = Eigen::ArrayXd::Zero(P);
    state.reported_civilian_incidents = Eigen::ArrayXd::Zero(P);
    state.reported_attacks_on_forces = Eigen::ArrayXd::Zero(P);
    state.reported_civilian_deaths_by_category = Eigen::ArrayXXd::Zero(P, static_cast<Eigen::Index>(world::ibc_categories.size()));
    state.reported_enemy_killed = Eigen::ArrayXd::Zero(P);
    state.reported_enemy_detained = Eigen::ArrayXd::Zero(P);
    state.civilians_killed_one_sided = Eigen::ArrayXXd::Zero(P, F);
    state.civilian_incidents = Eigen::ArrayXd::Zero(P);
    for (std::size_t f = 0; f < roster.faction_count(); ++f)
        state.home_revenue(static_cast<Eigen::Index>(f)) = roster.factions[f].home_revenue_usd_per_week;
    // Exposure from the district mix (docs/world.md, "Exposure"); a hand-built roster without it
    // starts with each community among its province's mix.
    for (Eigen::Index p = 0; p < P; ++p) {
        const Province& province = roster.provinces[static_cast<std::size_t>(p)];
        for (Eigen::Index c = 0; c < C; ++c)
            for (Eigen::Index c2 = 0; c2 < C; ++c2) {
                const auto k = static_cast<std::size_t>(c * C + c2);
                state.exposure(c * P + p, c2) = k < province.exposure.size()
                                                    ? province.exposure[k]
                                                    : province.community_share[static_cast<std::size_t>(c2)];
            }
    }

    for (Eigen::Index p = 0; p < P; ++p) {
        const Province& province = roster.provinces[static_cast<std::size_t>(p)];
        for (Eigen::Index c = 0; c < C; ++c) {
            state.residents(p, c) = province.population_2007 * province.community_share[static_cast<std::size_t>(c)];
        }
    }
    state.initial_population = state.residents.sum();

    for (std::size_t f = 0; f < roster.faction_count(); ++f) {
        const Faction& faction = roster.factions[f];
        if (faction.bloc == ElectoralBloc::none) continue;
        const auto communities = bloc_communities(roster, faction.bloc);
        const double national = national_bloc_share(roster, faction.bloc, communities);
        for (Eigen::Index p = 0; p < P; ++p) {
            const Province& province = roster.provinces[static_cast<std::size_t>(p)];
            double share = bloc_turnout_share(province, faction.bloc, communities);
            if (share < 0) share = national;
            for (CommunityId c : faction.community_base) {
                state.loyalty(static_cast<Eigen::Index>(c.index()) * P + p, static_cast<Eigen::Index>(f)) =
                    faction.bloc_weight * share;
            }
        }
    }
    // Each faction's fighters: its national total split by its province distribution (a hand-built
    // roster without a distribution starts with no militia).
    for (std::size_t f = 0; f < roster.faction_count(); ++f) {
        const Faction& faction = roster.factions[f];
        for (Eigen::Index p = 0; p < P && static_cast<std::size_t>(p) < faction.fighters_distribution.size(); ++p) {
            state.militia(p, static_cast<Eigen::Index>(f)) =
                faction.initial_fighters * faction.fighters_distribution[static_cast<std::size_t>(p)];
        }
    }
    // A community cannot be more than wholly aligned: scale down rows the vote over-fills.
    for (Eigen::Index row = 0; row < state.loyalty.rows(); ++row) {
        const double total = state.loyalty.row(row).sum();
        if (total > 1.0) state.loyalty.row(row) /= total;
    }
    return state;
}

}  // namespace iraqsim::world
