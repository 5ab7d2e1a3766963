#include "iraqsim/model/loyalty.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

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
    op.first.push_back(0);
    for (std::size_t c = 0; c < op.by_community.size(); ++c) {
        const auto& w = op.by_community[c];
        for (Eigen::Index p = 0; p < static_cast<Eigen::Index>(P); ++p) {
            for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(w, p); it; ++it) {
                op.source.push_back(static_cast<Eigen::Index>(c * P) + it.col());
                op.weight.push_back(it.value());
            }
            op.first.push_back(op.source.size());
        }
    }
    return op;
}

LoyaltyDrive zero_drive(const world::State& state) { return LoyaltyDrive::Zero(state.loyalty.rows(), state.loyalty.cols() + 1); }

void diffuse_loyalty(const world::State& prev, world::State& next, const DiffusionOperator& diffusion, double rate) {
    const auto F = prev.loyalty.cols();
    next.loyalty = (1.0 - rate) * prev.loyalty;
    if (rate == 0) return;
    // Column by column (loyalty is column-major): each faction's shares are contiguous.
    const auto P = prev.us_troops.size();
    const auto C = prev.loyalty.rows() / P;
    for (Eigen::Index f = 0; f < F; ++f) {
        const double* in = prev.loyalty.col(f).data();
        double* out = next.loyalty.col(f).data();
        for (Eigen::Index c = 0; c < C; ++c) {
            // A community with no supporter of the faction anywhere has none to pass on.
            if (prev.loyalty.col(f).segment(c * P, P).isZero(0.0)) continue;
            for (auto row = static_cast<std::size_t>(c * P); row < static_cast<std::size_t>((c + 1) * P); ++row) {
                double flow = 0;
                for (std::size_t k = diffusion.first[row]; k < diffusion.first[row + 1]; ++k)
                    flow += diffusion.weight[k] * in[diffusion.source[k]];
                out[row] += rate * flow;
            }
        }
    }
}

void add_opinion_noise(const world::State& next, LoyaltyDrive& drive, const LoyaltyParams& params,
                       const engine::StepContext& ctx) {
    const double sigma = params.opinion_noise;
    if (sigma <= 0) return;
    const double drift = -0.5 * sigma * sigma;
    const auto P = next.us_troops.size();
    const auto F = next.loyalty.cols();
    // One stream for the week's shocks, drawn row by row in order (a stream per row would pay a
    // Philox block for each row's two or three draws).
    engine::RandomStream rng = ctx.stream(engine::Purpose::loyalty_noise, 0);
    for (Eigen::Index row = 0; row < next.loyalty.rows(); ++row) {
        if (next.residents(row % P, row / P) <= 0) continue;
        drive(row, F) += sigma * rng.normal() + drift;
        for (Eigen::Index f = 0; f < F; ++f) {
            if (next.loyalty(row, f) == 0) continue;  // stays zero whatever the draw: save the draw
            drive(row, f) += sigma * rng.normal() + drift;
        }
    }
}

void apply_loyalty_drive(world::State& next, const LoyaltyDrive& drive) {
    const auto R = next.loyalty.rows();
    const auto F = next.loyalty.cols();
    constexpr double limit = 5.0;
    // Column by column (the arrays are column-major): the unaligned share, then each faction's.
    Eigen::ArrayXd total = Eigen::ArrayXd::Ones(R);
    for (Eigen::Index f = 0; f < F; ++f) total -= next.loyalty.col(f);
    total = total.max(0.0);
    std::vector<char> moved(static_cast<std::size_t>(R), 0);
    for (Eigen::Index row = 0; row < R; ++row) {
        if (total(row) > 0 && drive(row, F) != 0) {
            const double unaligned = total(row);
            total(row) *= std::exp(std::clamp(drive(row, F), -limit, limit));
            moved[static_cast<std::size_t>(row)] = total(row) != unaligned;
        }
    }
    for (Eigen::Index f = 0; f < F; ++f) {
        double* share = next.loyalty.col(f).data();
        const double* rate = drive.col(f).data();
        for (Eigen::Index row = 0; row < R; ++row) {
            if (share[row] == 0) continue;
            if (rate[row] != 0) {
                share[row] *= std::exp(std::clamp(rate[row], -limit, limit));
                moved[static_cast<std::size_t>(row)] = 1;
            }
            total(row) += share[row];
        }
    }
    // The totals become the scale factors (no array of their own).
    for (Eigen::Index row = 0; row < R; ++row) total(row) = moved[static_cast<std::size_t>(row)] && total(row) > 0 ? 1.0 / total(row) : 1.0;
    next.loyalty.colwise() *= total;
}

void update_loyalty(const world::State& prev, world::State& next, const DiffusionOperator& diffusion,
                    const LoyaltyParams& params, const engine::StepContext& ctx) {
    diffuse_loyalty(prev, next, diffusion, params.diffusion_rate);
    LoyaltyDrive drive = zero_drive(next);
    add_opinion_noise(next, drive, params, ctx);
    apply_loyalty_drive(next, drive);
}

}  // namespace iraqsim::model
