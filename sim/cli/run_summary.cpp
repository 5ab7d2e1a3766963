#include "run_summary.hpp"

#include <cstdio>
#include <string>

namespace iraqsim::cli {
namespace {

// Index of a recorded variable, or -1.
int recorded(const output::RecordSpec& spec, std::string_view name) {
    for (std::size_t i = 0; i < spec.variables.size(); ++i)
        if (spec.variables[i]->name == name) return static_cast<int>(i);
    return -1;
}

std::string date_of(double days) { return core::time_origin.plus_days(static_cast<std::int64_t>(days)).iso(); }

}  // namespace

void print_run_summary(std::ostream& out, const scenario::Scenario& scenario, const world::Roster& roster,
                       const output::RecordSpec& spec, const engine::EnsembleResult& result) {
    char line[256];
    const std::size_t T = result.time_days.size(), R = result.replicates.size();
    const std::size_t P = roster.province_count(), F = roster.faction_count();
    std::snprintf(line, sizeof line, "scenario %s (%s): %s to %s, %zu records, %zu replicate(s), seed %llu\n",
                  scenario.name.c_str(), scenario.source.c_str(), scenario.start.iso().c_str(),
                  scenario.end.iso().c_str(), T, R, static_cast<unsigned long long>(scenario.seed));
    out << line;
    if (T == 0 || R == 0) return;

    if (const int v = recorded(spec, "us_troops"); v >= 0) {
        double peak = 0, peak_day = 0;
        for (std::size_t t = 0; t < T; ++t) {
            double total = 0;
            for (std::size_t p = 0; p < P; ++p) total += result.replicates[0].values[static_cast<std::size_t>(v)][t * P + p];
            if (total > peak) peak = total, peak_day = result.time_days[t];
        }
        std::snprintf(line, sizeof line, "US troops: peak %.0f on %s\n", peak, date_of(peak_day).c_str());
        out << line;
    }
    if (const int v = recorded(spec, "support"); v >= 0) {
        // National support weighted by each province's 2007 population, mean over replicates.
        double population = 0;
        for (const world::Province& p : roster.provinces) population += p.population_2007;
        auto national = [&](std::size_t t, std::size_t f) {
            double sum = 0;
            for (const auto& rep : result.replicates)
                for (std::size_t p = 0; p < P; ++p)
                    sum += rep.values[static_cast<std::size_t>(v)][(t * P + p) * F + f] * roster.provinces[p].population_2007;
            return sum / population / static_cast<double>(R);
        };
        std::snprintf(line, sizeof line, "national support %-48s %10s %10s\n", "", date_of(result.time_days.front()).c_str(),
                      date_of(result.time_days.back()).c_str());
        out << line;
        for (std::size_t f = 0; f < F; ++f) {
            std::snprintf(line, sizeof line, "  %-62s %9.1f%% %9.1f%%\n", roster.factions[f].display_name.c_str(),
                          100 * national(0, f), 100 * national(T - 1, f));
            out << line;
        }
    }
}

}  // namespace iraqsim::cli
