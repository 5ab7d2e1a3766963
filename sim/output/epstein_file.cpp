#include "iraqsim/output/epstein_file.hpp"

#include <string>
#include <type_traits>
#include <vector>

#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/ensemble_file.hpp"
#include "iraqsim/output/h5.hpp"

namespace iraqsim::output {
namespace {

using agents::EpsteinModel;
using agents::EpsteinRunMetrics;
using agents::EpsteinSeries;

constexpr const char* reference =
    "Epstein, J. M. (2002). Modeling civil violence: An agent-based computational approach. "
    "PNAS 99 (suppl. 3): 7243-7250. Rules and departures from the paper: docs/agents.md.";

struct Scales {
    h5::Handle arm, seed, step, group;
};

void describe(hid_t ds, std::string_view units, std::string_view long_name) {
    h5::write_attribute(ds, "units", units);
    h5::write_attribute(ds, "long_name", long_name);
}

void attach(hid_t ds, const std::vector<hid_t>& scales) {
    for (std::size_t axis = 0; axis < scales.size(); ++axis) h5::attach_dimension(ds, scales[axis], static_cast<unsigned>(axis));
}

// One int32 series variable (arm, seed, step), or (arm, seed, step, group) when `group` is given.
void write_series(hid_t file, const Scales& s, const agents::EpsteinValidationResult& result, std::string_view name,
                  std::string_view units, std::string_view long_name,
                  const std::vector<std::int32_t>& (*pick)(const EpsteinSeries&, std::size_t group), bool by_group) {
    const std::size_t arms = result.arms.size(), seeds = result.seeds.size();
    const std::size_t steps = result.arms.front().runs.front().size();
    const std::size_t groups = by_group ? 2 : 1;
    std::vector<std::int32_t> data;
    data.reserve(arms * seeds * steps * groups);
    for (const agents::EpsteinArmResult& arm : result.arms) {
        for (const EpsteinSeries& run : arm.runs) {
            for (std::size_t t = 0; t < steps; ++t) {
                for (std::size_t g = 0; g < groups; ++g) data.push_back(pick(run, g)[t]);
            }
        }
    }
    std::vector<hsize_t> shape{arms, seeds, steps};
    std::vector<hid_t> scales{s.arm, s.seed, s.step};
    if (by_group) {
        shape.push_back(2);
        scales.push_back(s.group);
    }
    h5::Handle ds = h5::write_array(file, name, H5T_STD_I32LE, H5T_NATIVE_INT32, shape, data.data());
    describe(ds, units, long_name);
    attach(ds, scales);
}

template <class Value, class Pick>
void write_metric(hid_t file, const Scales& s, const agents::EpsteinValidationResult& result, std::string_view name,
                  std::string_view units, std::string_view long_name, Pick pick) {
    std::vector<Value> data;
    for (const agents::EpsteinArmResult& arm : result.arms) {
        for (const EpsteinRunMetrics& m : arm.metrics) data.push_back(static_cast<Value>(pick(m)));
    }
    const std::vector<hsize_t> shape{result.arms.size(), result.seeds.size()};
    constexpr bool integral = std::is_integral_v<Value>;
    h5::Handle ds = h5::write_array(file, name, integral ? H5T_STD_I32LE : H5T_IEEE_F64LE,
                                    integral ? H5T_NATIVE_INT32 : H5T_NATIVE_DOUBLE, shape, data.data());
    describe(ds, units, long_name);
    attach(ds, {s.arm, s.seed});
}

}  // namespace

void write_epstein_file(const std::filesystem::path& target, bool force, const agents::EpsteinValidation& validation,
                        const agents::EpsteinValidationResult& result) {
    AtomicOutput out(target, force);
    {
        h5::Handle file = h5::create_file(out.temporary_path().string());
        const EpsteinModel model = validation.arms.front().params.model;
        h5::write_attribute(file, "title", "iraqsim validation: " + validation.name);
        write_build_provenance(file);
        h5::write_attribute(file, "scenario_name", validation.name);
        h5::write_attribute(file, "scenario_source", validation.source);
        h5::write_attribute(file, "scenario_text", validation.text);
        h5::write_attribute(file, "model", agents::model_name(model));
        h5::write_attribute(file, "seed", static_cast<std::int64_t>(validation.seed));
        h5::write_attribute(file, "seeds", static_cast<std::int64_t>(result.seeds.size()));
        h5::write_attribute(file, "references", reference);

        Scales s;
        std::vector<std::string> arm_names;
        for (const agents::EpsteinArm& arm : validation.arms) arm_names.push_back(arm.name);
        s.arm = h5::write_coordinate(file, "arm", arm_names);
        h5::write_attribute(s.arm, "long_name", "arm of the scenario (the parameters it changes: scenario_text)");
        std::vector<std::int32_t> seeds;
        for (std::uint64_t seed : result.seeds) seeds.push_back(static_cast<std::int32_t>(seed));
        s.seed = h5::write_coordinate(file, "seed", seeds);
        h5::write_attribute(s.seed, "long_name", "seed of the run's random streams (every arm runs the same seeds)");
        const std::size_t steps = result.arms.front().runs.front().size();
        std::vector<std::int32_t> step(steps);
        for (std::size_t t = 0; t < steps; ++t) step[t] = static_cast<std::int32_t>(t);
        s.step = h5::write_coordinate(file, "step", step);
        describe(s.step, "1", "step (0 is the initial state; counts are after the step)");
        const bool two_groups = model == EpsteinModel::ethnic_violence;
        if (two_groups) {
            s.group = h5::write_coordinate(file, "group", std::vector<std::string>{"blue", "green"});
            h5::write_attribute(s.group, "long_name", "community (Epstein's Model II names them blue and green)");
        }

        using Pick = const std::vector<std::int32_t>& (*)(const EpsteinSeries&, std::size_t);
        write_series(file, s, result, "quiet", "citizens", "citizens alive, free and quiet",
                     Pick([](const EpsteinSeries& r, std::size_t) -> const auto& { return r.quiet; }), false);
        write_series(file, s, result, "active", "citizens", "citizens alive, free and active",
                     Pick([](const EpsteinSeries& r, std::size_t) -> const auto& { return r.active; }), false);
        write_series(file, s, result, "jailed", "citizens", "citizens in jail",
                     Pick([](const EpsteinSeries& r, std::size_t) -> const auto& { return r.jailed; }), false);
        write_series(file, s, result, "cops", "cops", "cops on duty",
                     Pick([](const EpsteinSeries& r, std::size_t) -> const auto& { return r.cops; }), false);
        write_series(file, s, result, "arrests", "citizens", "arrests during the step",
                     Pick([](const EpsteinSeries& r, std::size_t) -> const auto& { return r.arrests; }), false);
        if (two_groups) {
            write_series(file, s, result, "population", "citizens", "citizens alive, by community",
                         Pick([](const EpsteinSeries& r, std::size_t g) -> const auto& { return r.population[g]; }), true);
            write_series(file, s, result, "killed", "citizens", "citizens killed during the step, by community",
                         Pick([](const EpsteinSeries& r, std::size_t g) -> const auto& { return r.killed[g]; }), true);
        }

        // The schedules, per arm: what each arm changes over time.
        std::vector<double> legitimacy, cop_density;
        for (const agents::EpsteinArm& arm : validation.arms) {
            for (std::size_t t = 0; t < steps; ++t) {
                legitimacy.push_back(arm.params.legitimacy.at(static_cast<std::int32_t>(t)));
                cop_density.push_back(arm.params.cop_density.at(static_cast<std::int32_t>(t)));
            }
        }
        const std::vector<hsize_t> schedule_shape{validation.arms.size(), steps};
        h5::Handle l = h5::write_array(file, "legitimacy", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, schedule_shape, legitimacy.data());
        describe(l, "1", "regime legitimacy L (Model II: of the other community)");
        attach(l, {s.arm, s.step});
        h5::Handle c = h5::write_array(file, "cop_density", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, schedule_shape, cop_density.data());
        describe(c, "cops per cell", "scheduled cop density (cops on duty: round(cop_density x cells))");
        attach(c, {s.arm, s.step});

        write_metric<std::int32_t>(file, s, result, "outbursts", "1", "outbursts (actives up to outburst_level and back to quiet_level)",
                                   [](const EpsteinRunMetrics& m) { return m.outbursts; });
        write_metric<std::int32_t>(file, s, result, "peak_active", "citizens", "most actives at one step from from_step",
                                   [](const EpsteinRunMetrics& m) { return m.peak_active; });
        write_metric<double>(file, s, result, "median_active", "citizens", "median actives over the steps from from_step",
                             [](const EpsteinRunMetrics& m) { return m.median_active; });
        write_metric<std::int32_t>(file, s, result, "tipping_step", "1",
                                   "first step from which actives never again fell to quiet_level, in runs ending at tipping_level or above (-1: none)",
                                   [](const EpsteinRunMetrics& m) { return m.tipping_step; });
        write_metric<double>(file, s, result, "cop_density_at_tipping", "cops per cell", "cop density at the tipping step (NaN: never)",
                             [](const EpsteinRunMetrics& m) { return m.cop_density_at_tipping; });
        write_metric<std::int32_t>(file, s, result, "extinction_step", "1",
                                   "first step a community had no one left alive (-1: never)",
                                   [](const EpsteinRunMetrics& m) { return m.extinction_step; });
    }
    out.commit();
}

}  // namespace iraqsim::output
