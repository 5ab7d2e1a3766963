#include <catch2/catch.hpp>

#include "../support/small_run.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/engine/simulation.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/scenario.hpp"

using iraqsim::core::Date;
using iraqsim::core::ModelError;
using iraqsim::engine::check_invariants;
using iraqsim::engine::compile_model;
using iraqsim::engine::CompiledModel;
using iraqsim::engine::EnsembleResult;
using iraqsim::engine::EnsembleSettings;
using iraqsim::engine::run_ensemble;
using iraqsim::output::RecordSpec;
using iraqsim::world::iraq_roster;
using iraqsim::test::all_variables;

namespace {


// About two years: long enough for noise and diffusion to matter, short enough to be quick.
iraqsim::scenario::Scenario short_scenario() {
    auto s = iraqsim::scenario::default_scenario();
    s.start = Date{2006, 1, 5};
    s.end = Date{2008, 1, 3};  // 105 weeks
    return s;
}

EnsembleResult run(const CompiledModel& model, std::uint64_t seed, std::int64_t replicates, int threads,
                   const RecordSpec& spec) {
    EnsembleSettings settings;
    settings.seed = seed;
    settings.replicates = replicates;
    settings.threads = threads;
    settings.check_invariants = true;
    return run_ensemble(model, spec, settings);
}

bool same_series(const iraqsim::output::ReplicateSeries& a, const iraqsim::output::ReplicateSeries& b) {
    return a.values == b.values;  // exact float equality
}

template <class Mutate>
void expect_model_error(Mutate mutate, const std::string& variable) {
    const auto& roster = iraq_roster();
    const CompiledModel model = compile_model(iraqsim::scenario::default_scenario(), roster);
    iraqsim::world::State s = model.initial_state;
    mutate(s);
    try {
        check_invariants(roster, s, 17);
        FAIL("check_invariants accepted a broken state (" << variable << ")");
    } catch (const ModelError& e) {
        const std::string message = e.what();
        INFO(message);
        CHECK(message.find(variable) != std::string::npos);
        CHECK(message.find("17") != std::string::npos);
    }
}

}  // namespace

TEST_CASE("compile_model builds the default scenario", "[engine][simulation]") {
    const auto scenario = iraqsim::scenario::default_scenario();
    const auto& roster = iraq_roster();
    const CompiledModel model = compile_model(scenario, roster);
    CHECK(model.roster == &roster);
    CHECK(model.start == Date{2003, 5, 1});
    CHECK(model.week_count == 453);
    CHECK(model.week_count == scenario.week_count());
    CHECK(model.diffusion.by_community.size() == roster.community_count());
    // The initial state carries the troops of the start date.
    CHECK(model.initial_state.us_troops.sum() == Approx(model.us_troop_data.at(model.start)).epsilon(1e-12));
    CHECK(model.initial_state.us_troops.sum() > 100000);
    CHECK_NOTHROW(check_invariants(roster, model.initial_state, 0));
}

TEST_CASE("compile_model rejects an end before the start", "[engine][simulation]") {
    auto scenario = iraqsim::scenario::default_scenario();
    scenario.end = Date{2003, 4, 30};
    CHECK_THROWS_AS(compile_model(scenario, iraq_roster()), iraqsim::core::ScenarioError);
    scenario.end = scenario.start;  // one week is a valid run
    const CompiledModel model = compile_model(scenario, iraq_roster());
    CHECK(model.week_count == 1);
}

TEST_CASE("one replicate of the default scenario runs with invariant checks", "[engine][simulation]") {
    const auto& roster = iraq_roster();
    const CompiledModel model = compile_model(iraqsim::scenario::default_scenario(), roster);
    const RecordSpec spec = all_variables();
    iraqsim::engine::Simulation sim(model, 1, 0);
    iraqsim::output::Recorder recorder(spec, roster, model.week_count);
    REQUIRE_NOTHROW(sim.run(recorder, true));
    CHECK_NOTHROW(check_invariants(roster, sim.state(), model.week_count));
    // By the end (2011-12-29) the troops are nearly gone and loyalty has moved.
    CHECK(sim.state().us_troops.sum() < 5000);
    CHECK((sim.state().loyalty != model.initial_state.loyalty).any());
    // Violence kills and displaces: fewer residents than growth alone would give, and everyone
    // accounted for.
    const double years = (model.week_count - 1) / 52.1775;
    CHECK(sim.state().residents.sum() <
          model.initial_state.residents.sum() * std::pow(1.0 + model.params.population.growth_per_year, years));
    CHECK(sim.state().displaced.sum() > 0);
    CHECK(sim.state().violent_deaths.sum() > 10000);
    CHECK(iraqsim::world::people_accounted(sim.state()) ==
          Approx(sim.state().initial_population + sim.state().net_growth).epsilon(1e-9));

    const auto series = recorder.take();
    REQUIRE(series.values.size() == spec.variables.size());
    for (std::size_t v = 0; v < spec.variables.size(); ++v) {
        INFO(spec.variables[v]->name);
        CHECK(series.values[v].size() ==
              static_cast<std::size_t>(model.week_count) * spec.variables[v]->size(roster));
    }
    const auto times = sim.phase_times();
    CHECK(times.ns[static_cast<std::size_t>(iraqsim::engine::Phase::loyalty)] > 0);
}

TEST_CASE("check_invariants rejects broken states", "[engine][simulation]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    SECTION("NaN loyalty") {
        expect_model_error([&](iraqsim::world::State& s) { s.loyalty(5, 2) = nan; }, "loyalty");
    }
    SECTION("loyalty above 1") {
        expect_model_error([](iraqsim::world::State& s) { s.loyalty(3, 0) = 1.01; }, "loyalty");
    }
    SECTION("negative loyalty") {
        expect_model_error([](iraqsim::world::State& s) { s.loyalty(3, 0) = -0.01; }, "loyalty");
    }
    SECTION("a loyalty row summing above 1") {
        expect_model_error(
            [](iraqsim::world::State& s) {
                s.loyalty.row(7).setZero();
                s.loyalty(7, 0) = 0.6;
                s.loyalty(7, 1) = 0.6;
            },
            "total loyalty");
    }
    SECTION("negative residents") {
        expect_model_error([](iraqsim::world::State& s) { s.residents(2, 1) = -1.0; }, "residents");
    }
    SECTION("NaN residents") {
        expect_model_error([&](iraqsim::world::State& s) { s.residents(0, 0) = nan; }, "residents");
    }
    SECTION("negative US troops") {
        expect_model_error([](iraqsim::world::State& s) { s.us_troops(4) = -5.0; }, "us_troops");
    }
    SECTION("infinite US troops") {
        expect_model_error([](iraqsim::world::State& s) { s.us_troops(4) = std::numeric_limits<double>::infinity(); },
                           "us_troops");
    }
}

TEST_CASE("check_invariants names where the broken entry is", "[engine][simulation]") {
    const auto& roster = iraq_roster();
    const CompiledModel model = compile_model(iraqsim::scenario::default_scenario(), roster);
    iraqsim::world::State s = model.initial_state;
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto kurd = static_cast<Eigen::Index>(roster.find_community("kurd")->index());
    const auto erbil = static_cast<Eigen::Index>(roster.find_province("erbil")->index());
    const auto aqi = static_cast<Eigen::Index>(roster.find_faction("aqi")->index());
    s.loyalty(kurd * P + erbil, aqi) = 2.0;
    try {
        check_invariants(roster, s, 3);
        FAIL("no error");
    } catch (const ModelError& e) {
        CHECK_THAT(e.what(), Catch::Matchers::Contains("erbil/kurd/aqi"));
    }
    // Exactly on the bounds is fine.
    s = model.initial_state;
    s.loyalty.row(kurd * P + erbil).setZero();
    s.loyalty(kurd * P + erbil, aqi) = 1.0;
    s.displaced(erbil, kurd) = s.residents(erbil, kurd);  // all displaced: still accounted for
    s.residents(erbil, kurd) = 0.0;
    CHECK_NOTHROW(check_invariants(roster, s, 3));
    // People who vanish from the accounts are a broken invariant.
    s.displaced(erbil, kurd) = 0.0;
    CHECK_THROWS_WITH(check_invariants(roster, s, 3), Catch::Matchers::Contains("people accounted for"));
}

TEST_CASE("an ensemble gives the same result at any thread count", "[engine][ensemble]") {
    const CompiledModel model = compile_model(short_scenario(), iraq_roster());
    const RecordSpec spec = all_variables();
    const EnsembleResult one = run(model, 7, 4, 1, spec);
    const EnsembleResult two = run(model, 7, 4, 2, spec);
    const EnsembleResult all = run(model, 7, 4, 0, spec);
    REQUIRE(one.replicates.size() == 4);
    REQUIRE(two.replicates.size() == 4);
    CHECK(one.time_days == two.time_days);
    for (std::size_t r = 0; r < 4; ++r) {
        INFO("replicate " << r);
        CHECK(same_series(one.replicates[r], two.replicates[r]));
        CHECK(same_series(one.replicates[r], all.replicates[r]));
    }
    CHECK(one.weeks_simulated == 4 * model.week_count);
}

TEST_CASE("replicate r does not depend on how many replicates run", "[engine][ensemble]") {
    const CompiledModel model = compile_model(short_scenario(), iraq_roster());
    const RecordSpec spec = all_variables();
    const EnsembleResult four = run(model, 3, 4, 2, spec);
    const EnsembleResult two = run(model, 3, 2, 1, spec);
    CHECK(same_series(four.replicates[0], two.replicates[0]));
    CHECK(same_series(four.replicates[1], two.replicates[1]));

    // And it is what a lone Simulation of that replicate records.
    iraqsim::engine::Simulation sim(model, 3, 1);
    iraqsim::output::Recorder recorder(spec, *model.roster, model.week_count);
    sim.run(recorder, false);
    CHECK(same_series(recorder.take(), four.replicates[1]));
}

TEST_CASE("seeds and replicates give different series", "[engine][ensemble]") {
    const CompiledModel model = compile_model(short_scenario(), iraq_roster());
    const RecordSpec spec = all_variables();
    const EnsembleResult a = run(model, 1, 3, 1, spec);
    const EnsembleResult b = run(model, 2, 3, 1, spec);
    for (std::size_t r = 0; r < 3; ++r) CHECK_FALSE(same_series(a.replicates[r], b.replicates[r]));
    CHECK_FALSE(same_series(a.replicates[0], a.replicates[1]));
    CHECK_FALSE(same_series(a.replicates[1], a.replicates[2]));
    CHECK_FALSE(same_series(a.replicates[0], a.replicates[2]));
    // Forcing is deterministic: troops are the same in every replicate and seed.
    for (std::size_t v = 0; v < spec.variables.size(); ++v) {
        const auto name = spec.variables[v]->name;
        if (name != "us_troops") continue;
        INFO(name);
        CHECK(a.replicates[0].values[v] == a.replicates[1].values[v]);
        CHECK(a.replicates[0].values[v] == b.replicates[2].values[v]);
    }
    // The same seed again reproduces the run.
    const EnsembleResult again = run(model, 1, 3, 2, spec);
    for (std::size_t r = 0; r < 3; ++r) CHECK(same_series(a.replicates[r], again.replicates[r]));
}

TEST_CASE("recording every 4 weeks keeps ceil(weeks / 4) points 28 days apart", "[engine][ensemble]") {
    auto scenario = short_scenario();
    const CompiledModel model = compile_model(scenario, iraq_roster());
    REQUIRE(model.week_count % 4 != 0);  // so that the ceiling matters
    const RecordSpec spec = all_variables(4);
    const EnsembleResult result = run(model, 1, 2, 1, spec);
    const auto expected = static_cast<std::size_t>((model.week_count + 3) / 4);
    REQUIRE(result.time_days.size() == expected);
    CHECK(spec.record_count(model.week_count) == static_cast<int>(expected));
    CHECK(result.time_days.front() == static_cast<double>(iraqsim::core::days_since_origin(scenario.start)));
    for (std::size_t i = 1; i < result.time_days.size(); ++i) CHECK(result.time_days[i] - result.time_days[i - 1] == 28.0);
    for (std::size_t v = 0; v < spec.variables.size(); ++v) {
        INFO(spec.variables[v]->name);
        CHECK(result.replicates[0].values[v].size() == expected * spec.variables[v]->size(iraq_roster()));
    }

    // Every fourth record of a weekly run.
    const RecordSpec weekly = all_variables(1);
    const EnsembleResult full = run(model, 1, 2, 1, weekly);
    REQUIRE(full.time_days.size() == static_cast<std::size_t>(model.week_count));
    for (std::size_t v = 0; v < spec.variables.size(); ++v) {
        const std::size_t size = spec.variables[v]->size(iraq_roster());
        for (std::size_t i = 0; i < expected; ++i) {
            for (std::size_t k = 0; k < size; ++k) {
                REQUIRE(result.replicates[1].values[v][i * size + k] == full.replicates[1].values[v][4 * i * size + k]);
            }
        }
    }
}

TEST_CASE("the default scenario's time axis starts on day 120", "[engine][ensemble]") {
    auto scenario = iraqsim::scenario::default_scenario();
    scenario.end = Date{2003, 6, 30};
    const CompiledModel model = compile_model(scenario, iraq_roster());
    const EnsembleResult result = run(model, 1, 1, 1, all_variables());
    REQUIRE_FALSE(result.time_days.empty());
    CHECK(result.time_days.front() == 120.0);
    CHECK(result.time_days.size() == 9);  // 2003-05-01 .. 2003-06-26
    CHECK(result.time_days.back() == 120.0 + 56.0);
}
