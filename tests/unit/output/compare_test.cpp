// Paired comparison (`iraqsim compare`): effects are what-if minus baseline per replicate, summed by
// calendar year; the interval is the paired t interval; unpaired runs are refused.
#include <catch2/catch.hpp>

#include <cmath>

#include "iraqsim/core/error.hpp"
#include "iraqsim/output/compare.hpp"

using namespace iraqsim;

namespace {

// Two provinces, weekly records over 2006-12-28 .. 2007-01-18 (1 week in 2006, 3 in 2007).
output::ComparedRun run_of(double level, double per_replicate_shift, std::int64_t seed = 1) {
    output::ComparedRun run;
    run.source = "test";
    run.seed = seed;
    run.replicates = 4;
    const double first = static_cast<double>(core::days_since_origin(core::Date{2006, 12, 28}));
    run.time_days = {first, first + 7, first + 14, first + 21};
    run.provinces = {"anbar", "baghdad"};
    run.variables = {"civilian_deaths"};
    std::vector<double> v;
    for (int r = 0; r < 4; ++r)
        for (int t = 0; t < 4; ++t)
            for (int p = 0; p < 2; ++p) v.push_back(level + p + r * per_replicate_shift);
    run.values = {v};
    return run;
}

const output::Effect& find(const std::vector<output::Effect>& effects, const std::string& period, const std::string& where) {
    for (const auto& e : effects)
        if (e.period == period && e.province == where) return e;
    FAIL("no effect for " << period << " " << where);
    return effects.front();
}

}  // namespace

TEST_CASE("paired effects: a constant shift has that difference and a zero-width interval", "[output][compare]") {
    const auto effects = output::compare_runs(run_of(10, 1), run_of(12, 1), {});
    const auto& y2007 = find(effects, "2007", "Iraq");
    // 3 weeks x 2 provinces x +2 a week.
    CHECK(y2007.difference_mean == Approx(12));
    CHECK(y2007.low == Approx(12));
    CHECK(y2007.high == Approx(12));
    CHECK(find(effects, "2006", "Iraq").difference_mean == Approx(4));
    CHECK(find(effects, "all", "Iraq").difference_mean == Approx(16));
    CHECK(y2007.relative == Approx(12.0 / y2007.baseline_mean));
}

TEST_CASE("paired effects: replicate-to-replicate scatter widens the t interval", "[output][compare]") {
    // The what-if adds r per record to replicate r (0..3): differences 0, 8, 16, 24 over all records.
    output::ComparedRun base = run_of(10, 0), whatif = run_of(10, 1);
    output::CompareOptions options;
    options.by_province = true;
    const auto effects = output::compare_runs(base, whatif, options);
    const auto& all = find(effects, "all", "Iraq");
    CHECK(all.difference_mean == Approx(12));
    const double se = std::sqrt((144.0 + 16 + 16 + 144) / 3.0 / 4.0);
    CHECK(all.high - all.difference_mean == Approx(3.182 * se));
    CHECK(all.low < 0);  // with four replicates, 0 is inside
    CHECK(find(effects, "all", "anbar").difference_mean == Approx(6));
}

TEST_CASE("the t quantile: table values and its large-sample limit", "[output][compare]") {
    CHECK(output::t_quantile_975(1) == Approx(12.706));
    CHECK(output::t_quantile_975(3) == Approx(3.182));
    CHECK(output::t_quantile_975(30) == Approx(2.042));
    CHECK(output::t_quantile_975(60) == Approx(2.000).epsilon(0.002));
    CHECK(output::t_quantile_975(100000) == Approx(1.96).epsilon(0.001));
    CHECK(std::isnan(output::t_quantile_975(0)));
}

TEST_CASE("runs that do not pair are refused with the reason", "[output][compare]") {
    CHECK_THROWS_WITH(output::compare_runs(run_of(1, 0, 1), run_of(1, 0, 2), {}), Catch::Contains("seeds differ"));
    output::ComparedRun shorter = run_of(1, 0);
    shorter.time_days.pop_back();
    CHECK_THROWS_WITH(output::compare_runs(run_of(1, 0), shorter, {}), Catch::Contains("time axes differ"));
    output::ComparedRun fewer = run_of(1, 0);
    fewer.replicates = 3;
    CHECK_THROWS_WITH(output::compare_runs(run_of(1, 0), fewer, {}), Catch::Contains("replicates"));
}

// ---------------------------------------------------------------------------------------------
// Over posterior draws

namespace {

output::Effect drawn(double difference, double variance) {
    output::Effect e;
    e.variable = "attacks";
    e.period = "2007";
    e.province = "Iraq";
    e.baseline_mean = 100;
    e.whatif_mean = 100 + difference;
    e.difference_mean = difference;
    e.difference_variance = variance;
    return e;
}

}  // namespace

TEST_CASE("over posterior draws the effect's variance splits into parameter uncertainty and noise", "[output][compare][posterior]") {
    // Four draws whose mean effects differ (variance 20/3 between them), each from 4 replicates
    // with variance 8: the draws' means carry 8 / 4 = 2 of noise, so the parameter part is 14/3.
    std::vector<std::vector<output::Effect>> draws;
    for (double d : {-4.0, -2.0, 0.0, 2.0}) draws.push_back({drawn(d, 8.0)});
    const std::vector<output::PosteriorEffect> combined = output::combine_draws(draws, 4);
    REQUIRE(combined.size() == 1);
    const output::Effect& m = combined[0].mean;
    CHECK(m.difference_mean == Approx(-1.0));
    CHECK(m.whatif_mean - m.baseline_mean == Approx(-1.0));
    CHECK(m.relative == Approx(-0.01));
    CHECK(m.low == Approx(-4 + 0.15 * 2));   // the draws' 5% (linear between order statistics)
    CHECK(m.high == Approx(0 + 0.85 * 2));   // and 95%
    const double between = 20.0 / 3.0 - 2.0;
    CHECK(combined[0].parameter_share == Approx(between / (between + 8.0)));

    // Draws that agree leave only noise; noise smaller than its share of the draws' spread never
    // gives a negative part.
    draws.clear();
    for (int k = 0; k < 4; ++k) draws.push_back({drawn(3.0, 8.0)});
    CHECK(output::combine_draws(draws, 4)[0].parameter_share == 0);
    // No effect in any member: nothing to split.
    draws.clear();
    for (int k = 0; k < 4; ++k) draws.push_back({drawn(0.0, 0.0)});
    CHECK(std::isnan(output::combine_draws(draws, 4)[0].parameter_share));
    // Draws of different shapes are a bug.
    draws.push_back({drawn(0.0, 0.0), drawn(0.0, 0.0)});
    CHECK_THROWS_AS(output::combine_draws(draws, 4), std::logic_error);
}
