#include "iraqsim/agents/epstein_metrics.hpp"

#include <algorithm>
#include <cmath>

namespace iraqsim::agents {

double median(std::vector<double> values) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    if (values.size() % 2 == 1) return values[mid];
    const double a = values[mid - 1], b = values[mid];
    if (std::isinf(a) || std::isinf(b)) return std::isinf(a) ? a : b;  // the upper middle decides
    return 0.5 * (a + b);
}

EpsteinRunMetrics measure_run(const EpsteinSeries& series, const EpsteinMetricSettings& settings, std::int32_t cells) {
    EpsteinRunMetrics m;
    const std::size_t n = series.size();
    if (n == 0) return m;
    const double citizens = static_cast<double>(series.population[0][0] + series.population[1][0]);
    const double outburst = settings.outburst_level * citizens, quiet = settings.quiet_level * citizens;
    const double tipping = settings.tipping_level * citizens;
    const auto from = std::min(static_cast<std::size_t>(std::max(settings.from_step, 0)), n - 1);

    bool in_outburst = false;
    std::vector<double> actives;
    for (std::size_t t = from; t < n; ++t) {
        const double a = series.active[t];
        actives.push_back(a);
        if (series.active[t] > m.peak_active || m.peak_step < 0) {
            m.peak_active = series.active[t];
            m.peak_step = static_cast<std::int32_t>(t);
        }
        // Hysteresis: a flicker around one level is not a new outburst.
        if (!in_outburst && a >= outburst && a > 0) {
            in_outburst = true;
            ++m.outbursts;
        } else if (in_outburst && a <= quiet) {
            in_outburst = false;
        }
    }
    m.median_active = median(actives);

    // Tipping: the run ends in rebellion, and from some step on it never again fell back to quiet.
    if (static_cast<double>(series.active[n - 1]) >= tipping && tipping > 0) {
        std::size_t t = n - 1;
        while (t > from && static_cast<double>(series.active[t - 1]) > quiet) --t;
        m.tipping_step = static_cast<std::int32_t>(t);
        m.cop_density_at_tipping = static_cast<double>(series.cops[t]) / static_cast<double>(cells);
    }

    if (series.population[0][0] > 0 && series.population[1][0] > 0) {
        for (std::size_t t = 0; t < n; ++t) {
            if (series.population[0][t] == 0 || series.population[1][t] == 0) {
                m.extinction_step = static_cast<std::int32_t>(t);
                break;
            }
        }
    }
    return m;
}

EpsteinArmSummary summarise_arm(const std::string& name, const std::vector<EpsteinRunMetrics>& runs) {
    EpsteinArmSummary s;
    s.name = name;
    s.runs = static_cast<std::int32_t>(runs.size());
    std::vector<double> outbursts, peaks, medians, tipping, density, extinction;
    for (const EpsteinRunMetrics& m : runs) {
        outbursts.push_back(m.outbursts);
        peaks.push_back(m.peak_active);
        medians.push_back(m.median_active);
        if (m.tipping_step >= 0) {
            ++s.runs_tipped;
            tipping.push_back(m.tipping_step);
            density.push_back(m.cop_density_at_tipping);
        }
        if (m.extinction_step >= 0) ++s.runs_extinct;
        extinction.push_back(m.extinction_step >= 0 ? m.extinction_step : std::numeric_limits<double>::infinity());
    }
    s.median_outbursts = median(outbursts);
    s.median_peak_active = median(peaks);
    s.median_active = median(medians);
    s.median_tipping_step = median(tipping);
    s.median_cop_density_at_tipping = median(density);
    s.median_extinction_step = runs.empty() ? std::numeric_limits<double>::infinity() : median(extinction);
    return s;
}

}  // namespace iraqsim::agents
