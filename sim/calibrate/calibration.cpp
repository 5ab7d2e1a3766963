#include "iraqsim/calibrate/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "iraqsim/calibrate/observed.hpp"
#include "iraqsim/core/build_info.hpp"
#include "iraqsim/core/csv_fields.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/loader.hpp"
#include "iraqsim/sweep/plan.hpp"
#include "iraqsim/world/embedded_data.hpp"

namespace iraqsim::calibrate {
namespace fs = std::filesystem;
namespace {

using scenario::Value;

constexpr const char* category_names[] = {"coalition", "insurgent", "sectarian"};

// The observed series and the model variable of a monthly target.
struct MonthlySource {
    const char* series;
    const char* variable;
};

MonthlySource monthly_source(TargetKind kind) {
    switch (kind) {
        case TargetKind::ibc_monthly: return {"ibc", "reported_civilian_deaths"};
        case TargetKind::sigact_monthly: return {"sigact", "reported_attacks"};
        case TargetKind::sigact_forces_monthly: return {"sigact_forces", "reported_attacks_on_forces"};
        case TargetKind::us_fatalities_monthly: return {"us_hostile_fatalities", "us_fatalities"};
        case TargetKind::ibc_governorate_monthly: return {"ibc_governorate", "reported_civilian_deaths"};
        case TargetKind::sigact_governorate_monthly: return {"sigact_governorate", "reported_attacks"};
        case TargetKind::us_fatalities_governorate_monthly: return {"us_hostile_fatalities_governorate", "us_fatalities"};
        case TargetKind::war_logs_killed_monthly: return {"war_logs_enemy_killed", "reported_enemy_killed"};
        case TargetKind::war_logs_detained_monthly: return {"war_logs_enemy_detained", "reported_enemy_detained"};
        case TargetKind::ibc_incidents_monthly: return {"ibc_incidents", "reported_civilian_incidents"};
        case TargetKind::sigact_governorate_shares: return {"sigact_governorate", "reported_attacks"};
        case TargetKind::us_fatalities_governorate_shares: return {"us_hostile_fatalities_governorate", "us_fatalities"};
        case TargetKind::ibc_categories: break;
    }
    return {"", ""};
}

bool by_governorate(TargetKind kind) {
    return kind == TargetKind::ibc_governorate_monthly || kind == TargetKind::sigact_governorate_monthly ||
           kind == TargetKind::us_fatalities_governorate_monthly || governorate_shares(kind);
}

std::vector<std::string> target_variables(TargetKind kind) {
    if (kind == TargetKind::ibc_categories) {
        return {"reported_civilian_deaths_coalition", "reported_civilian_deaths_insurgent", "reported_civilian_deaths_sectarian"};
    }
    return {monthly_source(kind).variable};
}

// A by-governorate monthly target's moments collapsed into each governorate's share of each year's
// total over the governorates with data (the months with data only, so that a series starting in
// February compares February to December on both sides).
void yearly_shares(TargetData& t, const world::Roster& world, const core::Date& fit_start) {
    const std::size_t province_count = world.province_count();
    struct Year {
        std::vector<double> sums;    // [province]
        std::vector<char> present;   // [province] has data
        int first = 0, end = 0;      // [first month with data, one past the last)
    };
    std::map<int, Year> years;
    for (std::size_t i = 0; i < t.observed.size(); ++i) {
        const int m = t.months[i];
        const auto p = static_cast<std::size_t>(t.provinces[i]);
        auto [it, fresh] = years.try_emplace((m + fit_start.month - 1) / 12);
        Year& y = it->second;
        if (fresh) y = {std::vector<double>(province_count, 0.0), std::vector<char>(province_count, 0), m, m + 1};
        y.sums[p] += t.observed[i];
        y.present[p] = 1;
        y.first = std::min(y.first, m);
        y.end = std::max(y.end, m + 1);
    }
    TargetData out;
    out.target = t.target;
    out.data = t.data + ", each governorate's share of the year's total";
    for (const auto& [year, y] : years) {
        double total = 0;
        for (double x : y.sums) total += x;
        if (!(total > 0)) continue;
        for (std::size_t p = 0; p < province_count; ++p) {
            if (!y.present[p]) continue;
            out.labels.push_back(world.provinces[p].id + " " + std::to_string(fit_start.year + year));
            out.observed.push_back(y.sums[p] / total);
            out.months.push_back(y.first);
            out.months_end.push_back(y.end);
            out.provinces.push_back(static_cast<int>(p));
        }
    }
    t = std::move(out);
}

// The model's shares for a governorate-shares target: its moments come in year groups (the same
// months), each governorate's sum over the year's months against the group's total.
std::vector<double> simulated_shares(const TargetData& t, const std::vector<double>& by_province, std::size_t months) {
    std::vector<double> out(t.observed.size(), 0.0);
    auto sum_of = [&](std::size_t i) {
        double x = 0;
        for (int m = t.months[i]; m < t.months_end[i]; ++m)
            x += by_province[static_cast<std::size_t>(t.provinces[i]) * months + static_cast<std::size_t>(m)];
        return x;
    };
    for (std::size_t first = 0; first < out.size();) {
        std::size_t last = first;
        double total = 0;
        while (last < out.size() && t.months[last] == t.months[first]) {
            out[last] = sum_of(last);
            total += out[last++];
        }
        const double count = static_cast<double>(last - first);
        for (std::size_t i = first; i < last; ++i) out[i] = total > 0 ? out[i] / total : 1.0 / count;
        first = last;
    }
    return out;
}

double transform(Transform t, double x) {
    switch (t) {
        case Transform::log1p: return std::log1p(std::max(x, 0.0));
        case Transform::sqrt: return std::sqrt(std::max(x, 0.0));
        case Transform::identity: return x;
    }
    return x;
}

std::string real_text(double x) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", x);
    return buffer;
}

// Four significant digits, for people.
std::string short_text(double x) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.4g", x);
    return buffer;
}

std::string month_label(const core::Date& first, int index) {
    const int m = first.month - 1 + index;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", first.year + m / 12, m % 12 + 1);
    return buffer;
}

// The canonical text of what determines a calibration's results (not its budget: a directory
// may be resumed with more populations).
std::string canonical(const CalibrationSpec& spec) {
    std::ostringstream out;
    out << "seed=" << spec.seed << "\nmethod=" << method_name(spec.method) << "\nparticles=" << spec.particles
        << "\nquantile=" << real_text(spec.quantile) << "\nreplicates=" << spec.replicates << "\nfit=" << spec.fit_start.iso()
        << "/" << spec.fit_end.iso() << "\nloss=" << loss_name(spec.loss) << "/" << real_text(spec.huber_delta)
        << "\ncrn=" << spec.common_random_numbers << "\nsynthetic_seed=" << spec.synthetic_seed << "\n";
    for (const std::string& set : spec.sets) out << "set=" << set << "\n";
    for (const FreeParameter& p : spec.parameters) {
        out << "parameter=" << p.key << "," << real_text(p.lower) << "," << real_text(p.upper) << "," << prior_name(p.prior)
            << "," << (p.truth ? real_text(*p.truth) : "-") << "\n";
    }
    for (const Target& t : spec.targets) {
        out << "target=" << target_name(t.kind) << "," << transform_name(t.transform) << "," << real_text(t.weight) << "\n";
    }
    return out.str();
}

void throw_calibration_errors(const Diagnostics& d) {
    if (d.empty()) return;
    std::string message = d.format();
    if (!message.empty() && message.back() == '\n') message.pop_back();
    throw core::ScenarioError(std::to_string(d.count()) + " error(s) in the calibration:\n" + message);
}

}  // namespace

Calibration::Calibration(CalibrationSpec spec) : spec_(std::move(spec)) {
    Diagnostics d;
    auto at = [&](const std::string& key) {
        const auto it = spec_.origins.find(key);
        return it != spec_.origins.end() ? it->second : Origin{spec_.source, 1, 1};
    };
    if (spec_.base && !fs::is_regular_file(*spec_.base)) {
        d.error(at("calibration.base"), "calibration.base", "cannot read the base scenario " + spec_.base->string() + ": no such file");
        throw_calibration_errors(d);
    }
    base_ = scenario::load_scenario(spec_.base, spec_.sets);
    if (spec_.fit_start < base_.start) {
        d.error(at("calibration.fit_start"), "calibration.fit_start",
                "the base scenario starts on " + base_.start.iso() + ", after the fit's start " + spec_.fit_start.iso());
    }
    if (base_.end < spec_.fit_end) {
        d.error(at("calibration.fit_end"), "calibration.fit_end",
                "the base scenario ends on " + base_.end.iso() + ", before the fit's end " + spec_.fit_end.iso());
    }
    // Nothing after the fit is needed; a week more covers the last month's last days.
    base_.end = spec_.fit_end.plus_days(7);
    for (std::size_t i = 0; i < spec_.parameters.size(); ++i) {
        const FreeParameter& p = spec_.parameters[i];
        const std::string path = "parameter[" + std::to_string(i + 1) + "]";
        if (p.key.starts_with("scenario.") || p.key.starts_with("output.")) {
            d.error(p.origin_of("key"), path + ".key", "'" + p.key + "' cannot be calibrated: only model and world parameters can");
            refs_.emplace_back();
            continue;
        }
        const std::optional<scenario::ParamRef> ref = scenario::find_param(base_, p.key);
        if (!ref) {
            const std::string guess = scenario::nearest(p.key, scenario::all_paths(base_));
            d.error(p.origin_of("key"), p.key, "unknown key" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
            refs_.emplace_back();
            continue;
        }
        refs_.push_back(*ref);
        if (ref->def->type != scenario::ValueType::real) {
            d.error(p.origin_of("key"), p.key, std::string("takes ") + scenario::type_name(ref->def->type) + ": only real-valued keys can be calibrated");
            continue;
        }
        for (const char* field : {"lower", "upper"}) {
            Value v{std::string(field) == "lower" ? p.lower : p.upper};
            if (const std::string why = scenario::check_value(*ref->def, v, base_); !why.empty()) {
                d.error(p.origin_of(field), path + "." + field, why);
            }
        }
    }
    set_targets(d);
    throw_calibration_errors(d);

    // What each evaluation records: every week of the targets' variables.
    std::map<std::string, std::size_t> index;
    for (const TargetData& t : targets_) {
        variable_of_target_.push_back(record_.variables.size());
        for (const std::string& name : target_variables(t.target.kind)) {
            record_.variables.push_back(output::find_variable(name));
        }
    }
    record_.every_weeks = 1;
    const int weeks = base_.week_count();
    week_months_.resize(static_cast<std::size_t>(weeks));
    for (int w = 1; w < weeks; ++w) {
        for (int day = 0; day < 7; ++day) {
            const core::Date date = base_.start.plus_days(7 * (w - 1) + day);
            const int m = (date.year - spec_.fit_start.year) * 12 + (date.month - spec_.fit_start.month);
            if (m < 0 || m >= month_count_) continue;
            auto& list = week_months_[static_cast<std::size_t>(w)];
            if (!list.empty() && list.back().first == m) {
                list.back().second += 1.0 / 7.0;
            } else {
                list.emplace_back(m, 1.0 / 7.0);
            }
        }
    }
    fingerprint_ = sweep::sweep_fingerprint(canonical(spec_), base_.text);

    if (spec_.synthetic()) {
        std::vector<double> truth;
        for (const FreeParameter& p : spec_.parameters) truth.push_back(*p.truth);
        const Moments observed = simulate(truth, spec_.synthetic_seed, spec_.replicates);
        for (std::size_t t = 0; t < targets_.size(); ++t) {
            targets_[t].observed = observed[t];
            targets_[t].data = "synthetic: simulated at the parameters' truth with seed " + std::to_string(spec_.synthetic_seed);
        }
    }
}

void Calibration::set_targets(Diagnostics& d) {
    const core::Date& s = spec_.fit_start;
    month_count_ = (spec_.fit_end.year - s.year) * 12 + (spec_.fit_end.month - s.month) + 1;
    auto month_of = [&](const MonthlyValue& v) { return (v.year - s.year) * 12 + (v.month - s.month); };
    for (std::size_t i = 0; i < spec_.targets.size(); ++i) {
        const Target& target = spec_.targets[i];
        TargetData t;
        t.target = target;
        if (target.kind == TargetKind::ibc_categories) {
            const ObservedSeries* series[3] = {&find_observed("ibc_coalition"), &find_observed("ibc_insurgent"), &find_observed("ibc_sectarian")};
            t.data = std::string(series[0]->file) + " (" + std::string(series[0]->column) + ", " + std::string(series[1]->column) +
                     ", " + std::string(series[2]->column) + "; summed over governorates, shares by year)";
            for (int year = s.year; year <= spec_.fit_end.year; ++year) {
                const int first = std::max(0, (year - s.year) * 12 + 1 - s.month);
                const int last = std::min(month_count_, (year + 1 - s.year) * 12 + 1 - s.month);
                double sums[3] = {0, 0, 0};
                for (int c = 0; c < 3; ++c) {
                    for (const MonthlyValue& v : series[c]->values) {
                        const int m = month_of(v);
                        if (m >= first && m < last) sums[c] += v.value;
                    }
                }
                const double total = sums[0] + sums[1] + sums[2];
                if (!(total > 0)) continue;
                for (int c = 0; c < 3; ++c) {
                    t.labels.push_back(std::to_string(year) + " " + category_names[c]);
                    t.observed.push_back(sums[c] / total);
                    t.months.push_back(first);
                }
            }
        } else if (by_governorate(target.kind)) {
            const GovernorateSeries& series = find_governorate_observed(monthly_source(target.kind).series);
            t.data = std::string(series.file) + " (" + std::string(series.column) + ", by governorate)";
            const auto records = world::data::provinces();
            for (const GovernorateValue& v : series.values) {
                const int m = (v.year - s.year) * 12 + (v.month - s.month);
                if (m < 0 || m >= month_count_) continue;
                const auto record = std::find_if(records.begin(), records.end(), [&](const auto& r) { return r.esoc_name == v.governorate; });
                const auto p = static_cast<std::size_t>(record - records.begin());
                if (record == records.end() || p >= base_.world.province_count() || base_.world.provinces[p].id != record->id) {
                    throw core::Error("calibration: the governorate '" + std::string(v.governorate) + "' of " + std::string(series.file) +
                                      " is not a province of the world");
                }
                t.labels.push_back(std::string(record->id) + " " + month_label(s, m));
                t.observed.push_back(v.value);
                t.months.push_back(m);
                t.provinces.push_back(static_cast<int>(p));
            }
            if (governorate_shares(target.kind)) yearly_shares(t, base_.world, s);
        } else {
            const ObservedSeries& series = find_observed(monthly_source(target.kind).series);
            t.data = std::string(series.file) + " (" + std::string(series.column) + ")";
            for (const MonthlyValue& v : series.values) {
                const int m = month_of(v);
                if (m < 0 || m >= month_count_) continue;
                t.labels.push_back(month_label(s, m));
                t.observed.push_back(v.value);
                t.months.push_back(m);
            }
        }
        if (t.observed.empty()) {
            d.error(target.origin, "target[" + std::to_string(i + 1) + "].series",
                    "'" + std::string(target_name(target.kind)) + "' has no data from " + s.iso() + " to " + spec_.fit_end.iso());
        }
        targets_.push_back(std::move(t));
    }
}

std::vector<PriorBox> Calibration::priors() const {
    std::vector<PriorBox> out;
    for (const FreeParameter& p : spec_.parameters) out.push_back({p.lower, p.upper, p.prior == Prior::log_uniform});
    return out;
}

std::vector<std::string> Calibration::keys() const {
    std::vector<std::string> out;
    for (const FreeParameter& p : spec_.parameters) out.push_back(p.key);
    return out;
}

scenario::Scenario Calibration::point_scenario(const std::vector<double>& theta) const {
    scenario::Scenario s = base_;
    for (std::size_t i = 0; i < refs_.size(); ++i) refs_[i].def->set(s, refs_[i].entity, Value{theta[i]});
    return s;
}

std::vector<double> Calibration::base_point() const {
    std::vector<double> theta;
    for (const scenario::ParamRef& ref : refs_) {
        const Value v = ref.def->get(base_, ref.entity);
        if (const double* x = std::get_if<double>(&v)) theta.push_back(*x);
        else if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) theta.push_back(static_cast<double>(*n));
        else throw std::logic_error("calibration: " + ref.path + " is not a number");
    }
    return theta;
}

Moments Calibration::simulate(const std::vector<double>& theta, std::uint64_t seed, int replicates) const {
    const scenario::Scenario s = point_scenario(theta);
    const engine::CompiledModel model = engine::compile_model(s, s.world);
    engine::EnsembleSettings settings;
    settings.seed = seed;
    settings.replicates = replicates;
    settings.threads = 1;
    settings.check_invariants = false;
    const engine::EnsembleResult result = engine::run_ensemble(model, record_, settings);

    // [variable][month], summed over provinces, and [variable][province * months + month], averaged
    // over replicates.
    const std::size_t provinces = s.world.province_count();
    const auto months = static_cast<std::size_t>(month_count_);
    std::vector<std::vector<double>> monthly(record_.variables.size(), std::vector<double>(months, 0.0));
    std::vector<std::vector<double>> by_province(record_.variables.size(), std::vector<double>(provinces * months, 0.0));
    const double share = 1.0 / static_cast<double>(replicates);
    for (const output::ReplicateSeries& series : result.replicates) {
        for (std::size_t v = 0; v < record_.variables.size(); ++v) {
            const std::vector<float>& values = series.values[v];
            for (std::size_t w = 0; w < week_months_.size(); ++w) {
                for (const auto& [m, part] : week_months_[w]) {
                    const auto month = static_cast<std::size_t>(m);
                    for (std::size_t p = 0; p < provinces; ++p) {
                        const double x = share * part * static_cast<double>(values[w * provinces + p]);
                        monthly[v][month] += x;
                        by_province[v][p * months + month] += x;
                    }
                }
            }
        }
    }
    Moments out;
    for (std::size_t t = 0; t < targets_.size(); ++t) {
        const TargetData& target = targets_[t];
        const std::size_t v0 = variable_of_target_[t];
        std::vector<double> moments;
        if (target.target.kind == TargetKind::ibc_categories) {
            for (std::size_t i = 0; i < target.observed.size(); i += 3) {
                const int first = target.months[i];
                const int year_end = first + 12 - (first == 0 ? spec_.fit_start.month - 1 : 0);
                const int last = std::min(month_count_, year_end);
                double sums[3] = {0, 0, 0};
                for (std::size_t c = 0; c < 3; ++c) {
                    for (int m = first; m < last; ++m) sums[c] += monthly[v0 + c][static_cast<std::size_t>(m)];
                }
                const double total = sums[0] + sums[1] + sums[2];
                for (double sum : sums) moments.push_back(total > 0 ? sum / total : 1.0 / 3.0);
            }
        } else if (governorate_shares(target.target.kind)) {
            moments = simulated_shares(target, by_province[v0], months);
        } else if (by_governorate(target.target.kind)) {
            for (std::size_t i = 0; i < target.months.size(); ++i) {
                moments.push_back(by_province[v0][static_cast<std::size_t>(target.provinces[i]) * months + static_cast<std::size_t>(target.months[i])]);
            }
        } else {
            for (const int m : target.months) moments.push_back(monthly[v0][static_cast<std::size_t>(m)]);
        }
        out.push_back(std::move(moments));
    }
    return out;
}

std::vector<double> Calibration::target_distances(const Moments& simulated) const {
    std::vector<double> out;
    for (std::size_t t = 0; t < targets_.size(); ++t) {
        const TargetData& target = targets_[t];
        double sum = 0;
        for (std::size_t i = 0; i < target.observed.size(); ++i) {
            const double r = transform(target.target.transform, simulated[t][i]) - transform(target.target.transform, target.observed[i]);
            const double a = std::abs(r);
            const double delta = spec_.huber_delta;
            sum += spec_.loss == Loss::huber && a > delta ? 2 * delta * a - delta * delta : r * r;
        }
        out.push_back(std::sqrt(sum / static_cast<double>(target.observed.size())));
    }
    return out;
}

double Calibration::distance(const Moments& simulated) const {
    const std::vector<double> d = target_distances(simulated);
    double sum = 0, weights = 0;
    for (std::size_t t = 0; t < d.size(); ++t) {
        sum += targets_[t].target.weight * d[t] * d[t];
        weights += targets_[t].target.weight;
    }
    const double out = std::sqrt(sum / weights);
    return std::isfinite(out) ? out : std::numeric_limits<double>::infinity();
}

double Calibration::distance_at(const std::vector<double>& theta, std::uint64_t seed) const {
    try {
        return distance(simulate(theta, spec_.common_random_numbers ? spec_.seed : seed, spec_.replicates));
    } catch (const core::ModelError&) {
        return std::numeric_limits<double>::infinity();
    }
}

Calibration load_calibration(const fs::path& file, const std::vector<std::string>& sets) {
    Diagnostics d;
    CalibrationSpec spec = read_calibration_spec(file, d);
    throw_calibration_errors(d);
    spec.sets.insert(spec.sets.end(), sets.begin(), sets.end());
    return Calibration(std::move(spec));
}

std::vector<ParameterSummary> summarise(const Calibration& calibration, const Population& population) {
    std::vector<ParameterSummary> out;
    const CalibrationSpec& spec = calibration.spec();
    for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
        const Eigen::VectorXd values = population.theta.col(static_cast<Eigen::Index>(k));
        ParameterSummary s;
        s.key = spec.parameters[k].key;
        s.mean = population.weights.dot(values);
        s.q05 = weighted_quantile(values, population.weights, 0.05);
        s.median = weighted_quantile(values, population.weights, 0.5);
        s.q95 = weighted_quantile(values, population.weights, 0.95);
        s.lower = spec.parameters[k].lower;
        s.upper = spec.parameters[k].upper;
        out.push_back(s);
    }
    return out;
}

namespace {

fs::path state_path(const fs::path& dir, int population) {
    char name[40];
    std::snprintf(name, sizeof name, "population_%03d.csv", population);
    return dir / "populations" / name;
}

std::string header(const std::vector<std::string>& keys) {
    std::string out = "weight,distance";
    for (const std::string& k : keys) out += "," + k;
    return out;
}

}  // namespace

void write_population_state(const fs::path& dir, const Calibration& calibration, const Population& population) {
    fs::create_directories(dir / "populations");
    std::ostringstream out;
    out << "# iraqsim calibrate: one complete ABC-SMC population (docs/validation.md); --resume reads it\n"
        << "# fingerprint=" << calibration.fingerprint() << "\n# population=" << population.index
        << "\n# tolerance=" << real_text(population.tolerance) << "\n# attempts=" << population.attempts << "\n"
        << header(calibration.keys()) << "\n";
    for (Eigen::Index i = 0; i < population.size(); ++i) {
        out << real_text(population.weights(i)) << "," << real_text(population.distances(i));
        for (Eigen::Index k = 0; k < population.theta.cols(); ++k) out << "," << real_text(population.theta(i, k));
        out << "\n";
    }
    output::write_text_atomically(state_path(dir, population.index), out.str(), true);
}

std::vector<Population> read_population_states(const fs::path& dir, const Calibration& calibration) {
    std::vector<Population> out;
    const std::vector<std::string> keys = calibration.keys();
    const auto n = static_cast<Eigen::Index>(calibration.spec().particles);
    const auto k = static_cast<Eigen::Index>(keys.size());
    for (int t = 0;; ++t) {
        const fs::path file = state_path(dir, t);
        if (!fs::exists(file)) break;
        std::ifstream in(file);
        auto damaged = [&](const std::string& why) { return core::IoError("cannot resume from " + file.string() + ": " + why); };
        Population pop;
        pop.index = t;
        pop.theta.resize(n, k);
        pop.weights.resize(n);
        pop.distances.resize(n);
        std::string line;
        std::map<std::string, std::string> meta;
        Eigen::Index row = 0;
        bool saw_header = false;
        while (std::getline(in, line)) {
            if (line.starts_with("# ")) {
                const std::size_t eq = line.find('=');
                if (eq != std::string::npos) meta[line.substr(2, eq - 2)] = line.substr(eq + 1);
                continue;
            }
            if (!saw_header) {
                if (line != header(keys)) throw damaged("its columns are not this calibration's parameters");
                saw_header = true;
                continue;
            }
            if (row >= n) throw damaged("more particles than calibration.particles");
            std::vector<double> fields;
            for (const std::string& field : core::csv_fields(line)) fields.push_back(std::strtod(field.c_str(), nullptr));
            if (static_cast<Eigen::Index>(fields.size()) != k + 2) throw damaged("a row has the wrong number of fields");
            pop.weights(row) = fields[0];
            pop.distances(row) = fields[1];
            for (Eigen::Index j = 0; j < k; ++j) pop.theta(row, j) = fields[static_cast<std::size_t>(j + 2)];
            ++row;
        }
        if (meta["fingerprint"] != calibration.fingerprint()) {
            throw core::IoError("cannot resume from " + dir.string() + ": it holds another calibration (or another base scenario)");
        }
        if (row != n || meta["population"] != std::to_string(t)) throw damaged("incomplete");
        pop.tolerance = std::strtod(meta["tolerance"].c_str(), nullptr);
        pop.attempts = std::strtoll(meta["attempts"].c_str(), nullptr, 10);
        out.push_back(std::move(pop));
    }
    return out;
}

std::string posterior_csv(const Calibration& calibration, const std::vector<Population>& populations) {
    std::ostringstream out;
    out << "population,particle," << header(calibration.keys()) << "\n";
    for (const Population& pop : populations) {
        for (Eigen::Index i = 0; i < pop.size(); ++i) {
            out << pop.index << "," << i << "," << real_text(pop.weights(i)) << "," << real_text(pop.distances(i));
            for (Eigen::Index k = 0; k < pop.theta.cols(); ++k) out << "," << real_text(pop.theta(i, k));
            out << "\n";
        }
    }
    return out.str();
}

std::string populations_csv(const Calibration& calibration, const std::vector<Population>& populations) {
    std::ostringstream out;
    out << "population,tolerance,attempts,acceptance,ess,median_distance";
    for (const std::string& k : calibration.keys()) out << "," << k << "_mean," << k << "_q05," << k << "_q95";
    out << "\n";
    for (const Population& pop : populations) {
        out << pop.index << "," << real_text(pop.tolerance) << "," << pop.attempts << ","
            << real_text(static_cast<double>(pop.size()) / static_cast<double>(pop.attempts)) << ","
            << real_text(pop.effective_sample_size()) << "," << real_text(next_tolerance(pop.distances, 0.5));
        for (const ParameterSummary& s : summarise(calibration, pop)) {
            out << "," << real_text(s.mean) << "," << real_text(s.q05) << "," << real_text(s.q95);
        }
        out << "\n";
    }
    return out.str();
}

std::string fit_csv(const Calibration& calibration, const Moments& simulated) {
    std::ostringstream out;
    out << "target,moment,observed,simulated\n";
    for (std::size_t t = 0; t < calibration.targets().size(); ++t) {
        const TargetData& target = calibration.targets()[t];
        for (std::size_t i = 0; i < target.observed.size(); ++i) {
            out << target_name(target.target.kind) << "," << target.labels[i] << "," << real_text(target.observed[i]) << ","
                << real_text(simulated[t][i]) << "\n";
        }
    }
    return out.str();
}

std::string calibrated_toml(const Calibration& calibration, const std::vector<Population>& populations,
                            std::int64_t evaluations, const std::string& base_include, const std::string& command) {
    const CalibrationSpec& spec = calibration.spec();
    const Population& last = populations.back();
    std::int64_t attempts = 0;
    for (const Population& p : populations) attempts += p.attempts;
    char date[32];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
    const core::BuildInfo& build = core::build_info();
    std::ostringstream out;
    out << "# Calibrated parameters: a scenario overlay written by `iraqsim calibrate` (docs/validation.md).\n"
        << "# Each value is the weighted posterior mean of the final ABC-SMC population.\n#\n"
        << "# command: " << command << "\n"
        << "# calibration: " << spec.source << " (" << spec.name << "), seed " << spec.seed << "\n"
        << "# base: " << (spec.base ? spec.base->string() : std::string(scenario::embedded_baseline_name));
    for (const std::string& s : spec.sets) out << ", --set " << s;
    out << "\n# method: ABC-SMC (Beaumont et al. 2009): " << last.index << " population(s) after the prior draw, "
        << spec.particles << " particles, tolerance at the " << short_text(spec.quantile)
        << " quantile of the last distances, Gaussian kernel with twice the weighted covariance; "
        << spec.replicates << " replicate(s) per evaluation" << (spec.common_random_numbers ? " (common random numbers)" : "")
        << "; " << attempts << " attempts, " << evaluations << " evaluations in the last session\n"
        << "# objective: D = sqrt(sum_t w_t d_t^2 / sum_t w_t), d_t = root mean " << loss_name(spec.loss)
        << (spec.loss == Loss::huber ? " (delta " + short_text(spec.huber_delta) + ")" : std::string())
        << " loss of transformed residuals, " << spec.fit_start.iso() << " to " << spec.fit_end.iso() << "\n";
    for (const TargetData& t : calibration.targets()) {
        out << "#   " << target_name(t.target.kind) << ": " << transform_name(t.target.transform) << ", weight "
            << short_text(t.target.weight) << ", " << t.observed.size() << " moments; data: " << t.data << "\n";
    }
    out << "# final tolerance " << short_text(last.tolerance) << ", effective sample size "
        << short_text(last.effective_sample_size()) << " of " << last.size() << "\n"
        << "# date: " << date << "; iraqsim " << build.version << " (git " << build.git_revision << ")\n"
        << "# posterior (weighted): key = mean  # 5% / median / 95%, prior [lower, upper]\n\n";
    if (!base_include.empty()) out << "include = [" << scenario::to_toml(Value{base_include}) << "]\n\n";
    const std::vector<std::string> keys = calibration.keys();
    for (const std::string& set : spec.sets) {
        const std::size_t eq = set.find('=');
        if (eq == std::string::npos) continue;
        std::string key = set.substr(0, eq);
        key.erase(key.find_last_not_of(" \t") + 1);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
        out << key << " = " << set.substr(eq + 1) << "\n";
    }
    for (const ParameterSummary& s : summarise(calibration, last)) {
        out << s.key << " = " << scenario::to_toml(Value{s.mean}) << "  # " << short_text(s.q05) << " / " << short_text(s.median)
            << " / " << short_text(s.q95) << ", prior [" << short_text(s.lower) << ", " << short_text(s.upper) << "]\n";
    }
    return out.str();
}

const GovernorateSeries& find_governorate_observed(std::string_view name) {
    for (const GovernorateSeries& s : observed_governorate_series()) {
        if (s.name == name) return s;
    }
    throw core::Error("no observed series '" + std::string(name) + "'");
}

const ObservedSeries& find_observed(std::string_view name) {
    for (const ObservedSeries& s : observed_series()) {
        if (s.name == name) return s;
    }
    throw core::Error("no observed series '" + std::string(name) + "'");
}

}  // namespace iraqsim::calibrate
