#include "iraqsim/sweep/design.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <numeric>

namespace iraqsim::sweep {
namespace {

// Streams of the design, distinct from every model stream (those are keyed by replicate).
enum class DesignStream : std::uint64_t { lhs_permutation = 1, lhs_offset, morris_start, morris_order, point_seed };

// A keyed counter-based draw: the same (seed, stream, a, b) always gives the same bits.
std::uint64_t draw(std::uint64_t seed, DesignStream stream, std::uint64_t a, std::uint64_t b) {
    r123::Philox4x64 philox;
    const r123::Philox4x64::key_type key{{seed, 0x5357454550ull}};  // "SWEEP"
    const r123::Philox4x64::ctr_type counter{{static_cast<std::uint64_t>(stream), a, b, 0}};
    return philox(counter, key).v[0];
}

double uniform(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

// An index in [0, n); the modulo bias is below n / 2^64, negligible for any design.
std::size_t below(std::uint64_t bits, std::size_t n) { return static_cast<std::size_t>(bits % n); }

// Fisher-Yates with keyed draws.
std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed, DesignStream stream, std::uint64_t which) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[below(draw(seed, stream, which, i), i)]);
    return order;
}

}  // namespace

std::vector<std::size_t> grid_indices(std::size_t point, const std::vector<std::size_t>& level_counts) {
    std::vector<std::size_t> index(level_counts.size());
    for (std::size_t j = level_counts.size(); j-- > 0;) {
        index[j] = point % level_counts[j];
        point /= level_counts[j];
    }
    return index;
}

UnitPoints grid_design(const std::vector<std::size_t>& level_counts) {
    std::size_t total = 1;
    for (std::size_t n : level_counts) total *= n;
    UnitPoints points(total);
    for (std::size_t i = 0; i < total; ++i) {
        const std::vector<std::size_t> index = grid_indices(i, level_counts);
        points[i].resize(level_counts.size());
        for (std::size_t j = 0; j < index.size(); ++j) {
            points[i][j] = level_counts[j] > 1 ? static_cast<double>(index[j]) / static_cast<double>(level_counts[j] - 1) : 0.0;
        }
    }
    return points;
}

UnitPoints latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed) {
    UnitPoints out(points, std::vector<double>(factors));
    const double n = static_cast<double>(points);
    for (std::size_t j = 0; j < factors; ++j) {
        const std::vector<std::size_t> strata = permutation(points, seed, DesignStream::lhs_permutation, j);
        for (std::size_t i = 0; i < points; ++i) {
            const double within = uniform(draw(seed, DesignStream::lhs_offset, j, i));
            out[i][j] = std::min((static_cast<double>(strata[i]) + within) / n, std::nextafter(1.0, 0.0));
        }
    }
    return out;
}

UnitPoints sobol_design(std::size_t points, std::size_t factors) {
    UnitPoints out(points, std::vector<double>(factors));
    if (factors == 0) return out;
    boost::random::sobol generator(factors);  // its first point is (1/2, ..., 1/2): the origin is skipped
    for (std::vector<double>& point : out) {
        for (double& x : point) x = static_cast<double>(generator()) * 0x1.0p-64;
    }
    return out;
}

double morris_delta(int levels) { return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1)); }

UnitPoints morris_design(std::size_t trajectories, std::size_t factors, int levels, std::uint64_t seed) {
    const double delta = morris_delta(levels);
    const double step = 1.0 / static_cast<double>(levels - 1);
    UnitPoints out;
    out.reserve(trajectories * (factors + 1));
    for (std::size_t t = 0; t < trajectories; ++t) {
        std::vector<double> x(factors);
        for (std::size_t j = 0; j < factors; ++j) {
            const std::size_t level = below(draw(seed, DesignStream::morris_start, t, j), static_cast<std::size_t>(levels));
            x[j] = static_cast<double>(level) * step;
        }
        out.push_back(x);
        for (std::size_t j : permutation(factors, seed, DesignStream::morris_order, t)) {
            // Up where that stays in [0, 1], else down: every factor moves exactly once, by delta.
            x[j] = x[j] + delta <= 1.0 + 1e-12 ? x[j] + delta : x[j] - delta;
            x[j] = std::clamp(x[j], 0.0, 1.0);
            out.push_back(x);
        }
    }
    return out;
}

UnitPoints saltelli_design(std::size_t base_samples, std::size_t factors) {
    const UnitPoints ab = sobol_design(base_samples, 2 * factors);
    UnitPoints out;
    out.reserve(base_samples * (factors + 2));
    for (const std::vector<double>& row : ab) {
        const std::vector<double> a(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(factors));
        const std::vector<double> b(row.begin() + static_cast<std::ptrdiff_t>(factors), row.end());
        out.push_back(a);
        out.push_back(b);
        for (std::size_t j = 0; j < factors; ++j) {
            out.push_back(a);
            out.back()[j] = b[j];
        }
    }
    return out;
}

std::uint64_t point_seed(std::uint64_t master_seed, std::uint64_t point) {
    return draw(master_seed, DesignStream::point_seed, point, 0) >> 2;
}

}  // namespace iraqsim::sweep
