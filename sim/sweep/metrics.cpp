#include "iraqsim/sweep/metrics.hpp"

#include <algorithm>

namespace iraqsim::sweep {
namespace {

// Flows summarised when this build's model records them (the violence process supplies them).
constexpr std::string_view flow_names[] = {"civilian_deaths", "attacks"};

}  // namespace

Metrics make_metrics(const world::Roster& roster) {
    Metrics m;
    for (const world::Faction& f : roster.factions) {
        m.metrics.push_back({"final_support_" + f.id, "share of Iraq's residents supporting " + f.display_name +
                                                          " in the last week", "1"});
    }
    for (std::string_view name : flow_names) {
        const output::VariableDef* v = output::find_variable(name);
        if (v == nullptr) continue;
        m.flows.push_back(v);
        const std::string id(name);
        const std::string units(v->units);
        const std::string per_week = units.ends_with("/week") ? units.substr(0, units.size() - 5) : units;
        m.metrics.push_back({"total_" + id, std::string(v->long_name) + ": total over the run, all provinces", per_week});
        m.metrics.push_back({"peak_" + id, std::string(v->long_name) + ": the largest weekly total, all provinces", units});
    }
    return m;
}

void compute_metrics(const Metrics& metrics, const world::Roster& roster, const world::State& final_state,
                     std::span<const std::vector<float>* const> flows, std::span<double> out) {
    std::size_t k = 0;
    // National support: province support weighted by residents.
    const Eigen::ArrayXXd support = world::support_by_province(roster, final_state);
    const Eigen::ArrayXd residents = final_state.residents.rowwise().sum();
    const double total_residents = residents.sum();
    for (Eigen::Index f = 0; f < support.cols(); ++f) {
        out[k++] = total_residents > 0 ? (support.col(f) * residents).sum() / total_residents : 0.0;
    }
    for (std::size_t i = 0; i < metrics.flows.size(); ++i) {
        const std::vector<float>& series = *flows[i];
        const std::size_t width = metrics.flows[i]->size(roster);
        double total = 0, peak = 0;
        for (std::size_t offset = 0; offset + width <= series.size(); offset += width) {
            double week = 0;
            for (std::size_t j = 0; j < width; ++j) week += static_cast<double>(series[offset + j]);
            total += week;
            peak = std::max(peak, week);
        }
        out[k++] = total;
        out[k++] = peak;
    }
}

}  // namespace iraqsim::sweep
