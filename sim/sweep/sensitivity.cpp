#include "iraqsim/sweep/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace iraqsim::sweep {

ElementaryEffects morris_effects(const UnitPoints& unit, std::span<const double> outputs, std::size_t factors) {
    std::vector<std::vector<double>> effects(factors);
    const std::size_t length = factors + 1;
    for (std::size_t start = 0; start + length <= unit.size(); start += length) {
        for (std::size_t step = start; step + 1 < start + length; ++step) {
            const std::vector<double>& a = unit[step];
            const std::vector<double>& b = unit[step + 1];
            std::size_t moved = 0;
            for (std::size_t j = 1; j < factors; ++j) {
                if (std::fabs(b[j] - a[j]) > std::fabs(b[moved] - a[moved])) moved = j;
            }
            const double du = b[moved] - a[moved];
            const double dy = outputs[step + 1] - outputs[step];
            if (du != 0 && std::isfinite(dy)) effects[moved].push_back(dy / du);
        }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    ElementaryEffects out{std::vector<double>(factors, nan), std::vector<double>(factors, nan),
                          std::vector<double>(factors, nan), std::vector<std::size_t>(factors, 0)};
    for (std::size_t j = 0; j < factors; ++j) {
        const std::vector<double>& e = effects[j];
        out.count[j] = e.size();
        if (e.empty()) continue;
        double sum = 0, sum_abs = 0;
        for (double x : e) {
            sum += x;
            sum_abs += std::fabs(x);
        }
        const auto n = static_cast<double>(e.size());
        out.mu[j] = sum / n;
        out.mu_star[j] = sum_abs / n;
        if (e.size() < 2) continue;
        double squares = 0;
        for (double x : e) squares += (x - out.mu[j]) * (x - out.mu[j]);
        out.sigma[j] = std::sqrt(squares / (n - 1));
    }
    return out;
}

namespace {

// The two estimators over the base samples `rows` (indices into the complete samples).
void estimate(std::span<const double> y, std::size_t factors, const std::vector<std::size_t>& rows,
              std::vector<double>& first, std::vector<double>& total) {
    const std::size_t stride = factors + 2;
    const auto n = static_cast<double>(rows.size());
    double mean = 0;
    for (std::size_t i : rows) mean += y[i * stride] + y[i * stride + 1];
    mean /= 2 * n;
    double variance = 0;
    for (std::size_t i : rows) {
        variance += (y[i * stride] - mean) * (y[i * stride] - mean) + (y[i * stride + 1] - mean) * (y[i * stride + 1] - mean);
    }
    variance /= 2 * n;
    first.assign(factors, std::numeric_limits<double>::quiet_NaN());
    total.assign(factors, std::numeric_limits<double>::quiet_NaN());
    if (!(variance > 0)) return;
    for (std::size_t j = 0; j < factors; ++j) {
        double s = 0, t = 0;
        for (std::size_t i : rows) {
            const double a = y[i * stride], b = y[i * stride + 1], ab = y[i * stride + 2 + j];
            // Centred on the mean: the same estimator in expectation, but a metric with a large
            // mean (peak attacks in the thousands) no longer swamps S1 with noise (SALib does the same).
            s += (b - mean) * (ab - a);
            t += (a - ab) * (a - ab);
        }
        first[j] = s / n / variance;
        total[j] = t / (2 * n) / variance;
    }
}

double quantile(std::vector<double> values, double q) {
    std::erase_if(values, [](double x) { return std::isnan(x); });
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    const auto k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> outputs, std::size_t factors, std::size_t resamples, std::uint64_t seed) {
    const std::size_t stride = factors + 2, samples = outputs.size() / stride;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < samples; ++i) {
        const auto begin = outputs.begin() + static_cast<std::ptrdiff_t>(i * stride);
        if (std::none_of(begin, begin + static_cast<std::ptrdiff_t>(stride), [](double x) { return std::isnan(x); })) rows.push_back(i);
    }
    SobolIndices out;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (auto* v : {&out.first_low, &out.first_high, &out.total_low, &out.total_high}) v->assign(factors, nan);
    if (rows.empty()) {
        out.first.assign(factors, nan);
        out.total.assign(factors, nan);
        return out;
    }
    estimate(outputs, factors, rows, out.first, out.total);
    // mt19937_64 is specified bit for bit by the standard: the intervals are the same everywhere.
    std::mt19937_64 generator(seed);
    std::vector<std::vector<double>> firsts(factors), totals(factors);
    std::vector<std::size_t> resampled(rows.size());
    std::vector<double> first, total;
    for (std::size_t r = 0; r < resamples; ++r) {
        for (std::size_t& i : resampled) i = rows[generator() % rows.size()];
        estimate(outputs, factors, resampled, first, total);
        for (std::size_t j = 0; j < factors; ++j) {
            firsts[j].push_back(first[j]);
            totals[j].push_back(total[j]);
        }
    }
    for (std::size_t j = 0; j < factors && resamples > 0; ++j) {
        out.first_low[j] = quantile(firsts[j], 0.025);
        out.first_high[j] = quantile(firsts[j], 0.975);
        out.total_low[j] = quantile(totals[j], 0.025);
        out.total_high[j] = quantile(totals[j], 0.975);
    }
    return out;
}

}  // namespace iraqsim::sweep
