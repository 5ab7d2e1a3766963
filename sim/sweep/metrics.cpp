#include "iraqsim/sweep/metrics.hpp"

#include <algorithm>

namespace iraqsim::sweep {
namespace {

// Flows summarised when this build's model records them (the violence process supplies them).
constexpr std::string_view flow_names[] = {"civilian_deaths", "attacks", "us_fatalities"};

// Appends a group and its metrics, one per `suffixes` (none: a single metric named as the group).
void add_group(Metrics& m, MetricGroup group, const std::string& metric_prefix, const std::vector<std::string>& suffixes,
               const std::vector<std::string>& about) {
    group.first = m.metrics.size();
    group.count = std::max<std::size_t>(1, suffixes.size());
    if (suffixes.empty()) {
        m.metrics.push_back({group.name, group.long_name, group.units});
    } else {
        for (std::size_t i = 0; i < suffixes.size(); ++i) {
            m.metrics.push_back({metric_prefix + suffixes[i], group.long_name + ": " + about[i], group.units});
        }
    }
    m.groups.push_back(std::move(group));
}

}  // namespace

Metrics make_metrics(const world::Roster& roster, core::Date start, int weeks) {
    Metrics m;
    for (int w = 0; w < weeks; ++w) {
        const int year = start.plus_days(7 * w).year;
        if (m.years.empty() || m.years.back() != year) m.years.push_back(year);
        m.record_year.push_back(m.years.size() - 1);
    }
    std::vector<std::string> faction_ids, faction_names, year_ids;
    for (const world::Faction& f : roster.factions) {
        faction_ids.push_back(f.id);
        faction_names.push_back(f.display_name);
    }
    for (int year : m.years) year_ids.push_back(std::to_string(year));
    add_group(m, {"final_support", "national share of residents supporting the faction in the last week", "1", GroupDim::faction},
              "final_support_", faction_ids, faction_names);
    add_group(m, {"final_militia", "the faction's fighters in the last week, all provinces", "persons", GroupDim::faction},
              "final_militia_", faction_ids, faction_names);
    for (std::string_view name : flow_names) {
        const output::VariableDef* v = output::find_variable(name);
        if (v == nullptr) continue;
        m.flows.push_back(v);
        const std::string id(name);
        const std::string units(v->units);
        const std::string per_week = units.ends_with("/week") ? units.substr(0, units.size() - 5) : units;
        // "attacks in the week on ..." -> "attacks on ...": the metrics span more than a week.
        std::string about(v->long_name);
        if (const std::size_t at = about.find(" in the week"); at != std::string::npos) about.erase(at, 12);
        add_group(m, {"total_" + id, about + ": total over the run, all provinces", per_week}, "", {}, {});
        add_group(m, {"peak_" + id, about + ": the largest weekly total, all provinces", units}, "", {}, {});
        if (m.years.empty()) continue;
        add_group(m, {id + "_by_year", about + ": total in the calendar year, all provinces", per_week, GroupDim::year},
                  id + "_", year_ids, year_ids);
    }
    return m;
}

std::vector<std::size_t> select_metrics(const Metrics& metrics, std::string_view name) {
    std::vector<std::size_t> out;
    for (const MetricGroup& g : metrics.groups) {
        if (g.name != name) continue;
        for (std::size_t i = 0; i < g.count; ++i) out.push_back(g.first + i);
        return out;
    }
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        if (metrics.metrics[i].name == name) out.push_back(i);
    }
    return out;
}

std::vector<std::string> metric_and_group_names(const Metrics& metrics) {
    std::vector<std::string> names;
    for (const MetricGroup& g : metrics.groups) names.push_back(g.name);
    for (const Metric& m : metrics.metrics) {
        if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
    }
    return names;
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
    for (Eigen::Index f = 0; f < final_state.militia.cols(); ++f) out[k++] = final_state.militia.col(f).sum();
    for (std::size_t i = 0; i < metrics.flows.size(); ++i) {
        const std::vector<float>& series = *flows[i];
        const std::size_t width = metrics.flows[i]->size(roster);
        double total = 0, peak = 0;
        const std::span<double> by_year = out.subspan(k + 2, metrics.years.size());
        std::fill(by_year.begin(), by_year.end(), 0.0);
        for (std::size_t record = 0; (record + 1) * width <= series.size(); ++record) {
            double week = 0;
            for (std::size_t j = 0; j < width; ++j) week += static_cast<double>(series[record * width + j]);
            total += week;
            peak = std::max(peak, week);
            if (record < metrics.record_year.size()) by_year[metrics.record_year[record]] += week;
        }
        out[k] = total;
        out[k + 1] = peak;
        k += 2 + metrics.years.size();
    }
}

}  // namespace iraqsim::sweep
