#include "iraqsim/model/sponsors.hpp"

#include <algorithm>

namespace iraqsim::model {

namespace {

constexpr auto arms_channel = static_cast<Eigen::Index>(1);  // Roster::channels: money, arms, training, cover

// Richardson's reaction term: each sponsor answers the arsenals (last week's) of the enemies of
// every faction it arms. With the stock's depreciation as fatigue, two rivals armed this way follow
// Richardson's arms race (docs/model.md, "Sponsors").
template <class Cut>
void add_arms_reaction(const Relations& relations, const world::State& prev, world::State& next, const Eigen::ArrayXd& active,
                       const Cut& cut, Eigen::ArrayXXd& material) {
    const world::Roster& roster = *relations.roster;
    const std::size_t F = roster.faction_count();
    for (std::size_t s = 0; s < roster.sponsor_count(); ++s) {
        const double reaction = roster.sponsors[s].arms_reaction_per_week;
        if (reaction <= 0) continue;
        for (std::size_t f = 0; f < F; ++f) {
            const auto& ties = roster.factions[f].sponsor_ties;
            const auto fi = static_cast<Eigen::Index>(f);
            if (s >= ties.size() || ties[s][static_cast<std::size_t>(arms_channel)] <= 0 || active(fi) == 0) continue;
            double threat = 0;
            for (std::size_t g = 0; g < F; ++g)
                if (relations.hostile(fi, static_cast<Eigen::Index>(g))) threat += prev.arms(static_cast<Eigen::Index>(g));
            const double value = reaction * threat * cut(s, fi, static_cast<std::size_t>(arms_channel));
            next.backing(static_cast<Eigen::Index>(s * F + f), arms_channel) += value;
            material(static_cast<Eigen::Index>(s), fi) += value;
        }
    }
}

}  // namespace

void update_sponsors(const world::Roster& roster, const world::State& prev, world::State& next, const Levers& levers) {
    update_sponsors(Relations(roster), prev, next, levers);
}

void update_sponsors(const Relations& relations, const world::State& prev, world::State& next, const Levers& levers) {
    const world::Roster& roster = *relations.roster;
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    const std::size_t S = roster.sponsor_count();
    // A faction exists for its sponsors once it has fighters or supporters: money earmarked for a
    // faction history has not yet produced (the Awakening before 2006) is not spent.
    const Eigen::ArrayXd active = ((prev.militia.colwise().sum().transpose() > 0) ||
                                   (prev.loyalty.colwise().sum().transpose() > 0))
                                      .cast<double>();
    const Eigen::ArrayXd& own = prev.home_revenue;

    Eigen::ArrayXXd material = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(S), F);  // USD/week
    auto cut = [&](std::size_t s, Eigen::Index f, std::size_t k) {
        return !levers.supply_changed() ? 1.0 : levers.supply_factor(s, static_cast<std::size_t>(f), k);
    };
    for (std::size_t s = 0; s < S; ++s) {
        const double budget = roster.sponsors[s].budget_usd_per_week;
        for (Eigen::Index f = 0; f < F; ++f) {
            const auto& ties = roster.factions[static_cast<std::size_t>(f)].sponsor_ties;
            const Eigen::Index row = static_cast<Eigen::Index>(s) * F + f;
            for (std::size_t k = 0; k < world::channel_count; ++k) {
                const double tie = s < ties.size() ? ties[s][k] * active(f) * cut(s, f, k) : 0.0;
                // Political cover is a share of the sponsor's attention; the other channels are dollars.
                const double value = k == world::political_cover_channel ? tie : tie * budget;
                next.backing(row, static_cast<Eigen::Index>(k)) = value;
                if (k != world::political_cover_channel) material(static_cast<Eigen::Index>(s), f) += value;
            }
        }
    }
    // Policy grants: a fixed sum, or a wage for each fighter in the grant's provinces up to its positions.
    for (const Grant& g : levers.grants) {
        const auto f = static_cast<Eigen::Index>(g.faction);
        double value = g.usd_per_week;
        if (g.usd_per_fighter_week > 0) {
            double paid = 0;
            for (Eigen::Index p = 0; p < prev.militia.rows(); ++p)
                if (g.provinces[static_cast<std::size_t>(p)]) paid += prev.militia(p, f);
            value += g.usd_per_fighter_week * std::min(paid, g.max_fighters);
        }
        value *= cut(g.sponsor, f, g.channel);
        next.backing(static_cast<Eigen::Index>(g.sponsor) * F + f, static_cast<Eigen::Index>(g.channel)) += value;
        material(static_cast<Eigen::Index>(g.sponsor), f) += value;
    }
    add_arms_reaction(relations, prev, next, active, cut, material);
    const Eigen::ArrayXd resources = own + material.colwise().sum().transpose();
    for (Eigen::Index f = 0; f < F; ++f) {
        if (resources(f) > 0) {
            next.dependence.col(f) = material.col(f) / resources(f);
        } else {
            next.dependence.col(f).setZero();
        }
    }
}

}  // namespace iraqsim::model
