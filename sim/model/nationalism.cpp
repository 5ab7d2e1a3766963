#include "iraqsim/model/nationalism.hpp"

#include <algorithm>

namespace iraqsim::model {
namespace {

constexpr auto political_cover = static_cast<Eigen::Index>(world::political_cover_channel);

// The focus each province's communities would settle on under this week's presence. [province, sponsor]
Eigen::ArrayXXd nationalism_focus_target(const Relations& relations, const world::State& state,
                                         const NationalismParams& params, const Levers* levers) {
    const world::Roster& roster = *relations.roster;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto F = static_cast<Eigen::Index>(roster.faction_count());
    const auto S = static_cast<Eigen::Index>(roster.sponsor_count());
    const Eigen::ArrayXd residents = state.residents.rowwise().sum();

    // Salience of each sponsor in each province, in units of a typical presence.
    Eigen::ArrayXXd salience = Eigen::ArrayXXd::Zero(P, S);
    const Eigen::Index us = relations.us;
    for (Eigen::Index p = 0; p < P; ++p) {
        if (residents(p) > 0) salience(p, us) = state.us_troops(p) / residents(p) * 1000.0 / params.us_reference_per_1000;
    }
    // Other sponsors are seen through their clients: the material backing reaching a province with
    // the faction's fighters, per 1,000 residents, against the reference for a typical presence.
    const Eigen::ArrayXd militia_total = state.militia.colwise().sum().transpose();
    Eigen::ArrayXd reaching(P);
    for (Eigen::Index s = 0; s < S; ++s) {
        if (s == us) continue;
        reaching.setZero();
        for (Eigen::Index f = 0; f < F; ++f) {
            const double material = state.backing.row(s * F + f).head(political_cover).sum();
            if (material > 0 && militia_total(f) > 0) reaching += material * state.militia.col(f) / militia_total(f);
        }
        for (Eigen::Index p = 0; p < P; ++p) {
            if (residents(p) > 0) {
                salience(p, s) = reaching(p) / residents(p) * 1000.0 / params.backing_reference_usd_per_1000;
            }
        }
    }
    const Eigen::Index iran = relations.iran;
    salience.col(iran) += params.iran_prior;
    // A partition makes its backers salient everywhere: the article's anger at "suggestions in
    // Washington that Iraq ought to be partitioned into three ministates".
    if (levers && !levers->partitions.empty())
        for (Eigen::Index s = 0; s < S; ++s) salience.col(s) += levers->partition_salience(static_cast<std::size_t>(s));

    Eigen::ArrayXXd target(P, S);
    for (Eigen::Index p = 0; p < P; ++p) {
        const double total = salience.row(p).sum();
        if (total > 0) {
            target.row(p) = salience.row(p) / total;
        } else {
            target.row(p).setConstant(1.0 / static_cast<double>(S));
        }
    }
    return target;
}

}  // namespace

void update_nationalism(const world::Roster& roster, const world::State& prev, world::State& next,
                        const NationalismParams& params, const Levers* levers) {
    update_nationalism(Relations(roster), prev, next, params, levers);
}

void update_nationalism(const Relations& relations, const world::State& prev, world::State& next,
                        const NationalismParams& params, const Levers* levers) {
    const world::Roster& roster = *relations.roster;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    for (Eigen::Index c = 0; c < C; ++c) {
        const double rise = levers ? levers->nationalism_rise(static_cast<std::size_t>(c)) : 0.0;
        next.nationalism.col(c) = std::min(1.0, params.level[static_cast<std::size_t>(c)] + rise);
    }
    const Eigen::ArrayXXd target = nationalism_focus_target(relations, next, params, levers);
    const double r = params.focus_rate;
    for (Eigen::Index c = 0; c < C; ++c) {
        next.nationalism_focus.middleRows(c * P, P) = (1.0 - r) * prev.nationalism_focus.middleRows(c * P, P) + r * target;
    }
}

}  // namespace iraqsim::model
