#include "iraqsim/model/loyalty.hpp"

#include <cmath>

#include "iraqsim/engine/step_context.hpp"

namespace iraqsim::model {

DiffusionOperator build_diffusion_operator(const world::Roster& roster) {
    const std::size_t P = roster.province_count();
    DiffusionOperator op;
    for (std::size_t c = 0; c < roster.community_count(); ++c) {
        std::vector<double> row_total(P, 0.0);
        std::vector<Eigen::Triplet<double>> entries;
        auto add = [&](std::size_t from, std::size_t to, double border_km) {
            const double w = border_km * roster.provinces[to].community_share[c];
            if (w <= 0) return;
            entries.emplace_back(static_cast<int>(from), static_cast<int>(to), w);
            row_total[from] += w;
        };
        for (const world::Adjacency& a : roster.adjacency) {
            add(a.a.index(), a.b.index(), a.border_km);
            add(a.b.index(), a.a.index(), a.border_km);
        }
        for (auto& e : entries) e = {e.row(), e.col(), e.value() / row_total[static_cast<std::size_t>(e.row())]};
        // A province with no neighbour sharing the community keeps its own opinion.
        for (std::size_t p = 0; p < P; ++p) {
            if (row_total[p] <= 0) entries.emplace_back(static_cast<int>(p), static_cast<int>(p), 1.0);
        }
        Eigen::SparseMatrix<double, Eigen::RowMajor> w(static_cast<Eigen::Index>(P), static_cast<Eigen::Index>(P));
        w.setFromTriplets(entries.begin(), entries.end());
        op.by_community.push_back(std::move(w));
    }
    return op;
}

void update_loyalty(const world::State& prev, world::State& next, const DiffusionOperator& diffusion,
                    const LoyaltyParams& params, const engine::StepContext& ctx) {
    const auto P = prev.us_troops.size();
    const auto C = static_cast<Eigen::Index>(diffusion.by_community.size());
    const double d = params.diffusion_rate;

    // Diffusion: a convex combination of shares, so each row stays a sub-probability vector.
    for (Eigen::Index c = 0; c < C; ++c) {
        const auto& w = diffusion.by_community[static_cast<std::size_t>(c)];
        const Eigen::MatrixXd block = prev.loyalty.middleRows(c * P, P).matrix();
        next.loyalty.middleRows(c * P, P) = ((1.0 - d) * block + d * (w * block)).array();
    }

    // Opinion noise: a log-normal shock to each share and to the unaligned share, renormalised,
    // so the composition stays on the simplex and a zero share stays zero.
    const double sigma = params.opinion_noise;
    if (sigma <= 0) return;
    const double drift = -0.5 * sigma * sigma;
    const auto F = next.loyalty.cols();
    for (Eigen::Index row = 0; row < next.loyalty.rows(); ++row) {
        const Eigen::Index p = row % P;
        const Eigen::Index c = row / P;
        if (next.residents(p, c) <= 0) continue;
        engine::RandomStream rng = ctx.stream(engine::Purpose::loyalty_noise, static_cast<std::uint64_t>(row));
        double unaligned = 1.0 - next.loyalty.row(row).sum();
        unaligned = unaligned > 0 ? unaligned * std::exp(sigma * rng.normal() + drift) : 0.0;
        double total = unaligned;
        for (Eigen::Index f = 0; f < F; ++f) {
            double& share = next.loyalty(row, f);
            if (share == 0) continue;  // stays zero whatever the draw: save the draw
            share *= std::exp(sigma * rng.normal() + drift);
            total += share;
        }
        if (total > 0) next.loyalty.row(row) /= total;
    }
}

}  // namespace iraqsim::model
