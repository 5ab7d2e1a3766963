// Expanding a sweep: values on their parameters' levels and ranges, validated through the
// scenario loader's --set machinery, errors at the sweep file's lines.
#include <catch2/catch.hpp>

#include <set>

#include "iraqsim/core/error.hpp"
#include "iraqsim/sweep/plan.hpp"

using namespace iraqsim;

namespace {

sweep::Plan plan_of(const std::string& text) {
    sweep::Diagnostics d;
    sweep::SweepSpec spec = sweep::parse_sweep_spec(text, "p.toml", d);
    REQUIRE(d.empty());
    return sweep::make_plan(std::move(spec));
}

std::string plan_error(const std::string& text) {
    try {
        plan_of(text);
    } catch (const core::ScenarioError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Sampled values stay in their ranges, with dates by day and integers whole", "[sweep][plan]") {
    const sweep::Plan plan = plan_of(R"([sweep]
design = "latin_hypercube"
points = 20
replicates = 2
set = ["scenario.end=2008-12-31"]
[[parameter]]
key = "event.surge_2007.date"
min = 2006-06-01
max = 2007-06-01
[[parameter]]
key = "model.loyalty.diffusion_rate"
min = 0.001
max = 0.1
distribution = "log_uniform"
[[parameter]]
key = "event.sadr_ceasefire_2007.faction"
levels = ["jam", "special_groups"]
)");
    REQUIRE(plan.point_count() == 20);
    CHECK(plan.run_count() == 40);
    CHECK(plan.point_of(5) == 2);
    CHECK(plan.replicate_of(5) == 1);
    std::set<std::string> factions;
    for (const auto& values : plan.values) {
        const auto date = std::get<core::Date>(values[0]);
        CHECK(core::Date{2006, 6, 1} <= date);
        CHECK(date <= core::Date{2007, 6, 1});
        const double rate = std::get<double>(values[1]);
        CHECK(rate >= 0.001);
        CHECK(rate <= 0.1);
        factions.insert(std::get<std::string>(values[2]));
    }
    CHECK(factions.size() == 2);
    const scenario::Scenario s = sweep::point_scenario(plan, 3);
    CHECK(s.params.loyalty.diffusion_rate == std::get<double>(plan.values[3][1]));
    CHECK(s.end == core::Date{2008, 12, 31});
    for (const auto& e : s.events) {
        if (e.id == "surge_2007") CHECK(*e.date == std::get<core::Date>(plan.values[3][0]));
    }
    CHECK(plan.seed_of(3) != plan.seed_of(4));
    CHECK(plan.time_days.size() == static_cast<std::size_t>(plan.week_count));
}

TEST_CASE("The same sweep gives the same plan and fingerprint - another sweep another fingerprint", "[sweep][plan]") {
    const std::string text = "[sweep]\ndesign = \"grid\"\n[[parameter]]\nkey = \"model.loyalty.opinion_noise\"\nlevels = [0.0, 0.01]\n";
    const sweep::Plan a = plan_of(text), b = plan_of(text);
    CHECK(a.fingerprint == b.fingerprint);
    CHECK(a.values == b.values);
    CHECK(plan_of(text + "[[parameter]]\nkey = \"model.loyalty.diffusion_rate\"\nlevels = [0.0]\n").fingerprint != a.fingerprint);
    CHECK(sweep::point_assignments(a, 1) == std::vector<std::string>{"model.loyalty.opinion_noise=0.01"});
}

TEST_CASE("Values a key does not accept are errors at the sweep file's line", "[sweep][plan]") {
    const std::string e = plan_error(R"([sweep]
design = "grid"
[[parameter]]
key = "model.loyalty.diffusion_rat"
levels = [0.1]
[[parameter]]
key = "model.loyalty.opinion_noise"
levels = [0.1, 3.0]
[[parameter]]
key = "scenario.seed"
levels = [1, 2]
[[parameter]]
key = "event.surge_2007.date"
levels = [2020-01-01]
[[parameter]]
key = "event.surge_2008.date"
levels = [2007-01-01]
)");
    CHECK_THAT(e, Catch::Contains("p.toml:4:1: error: model.loyalty.diffusion_rat: unknown key (did you mean 'model.loyalty.diffusion_rate'?)"));
    CHECK_THAT(e, Catch::Contains("p.toml:8:1: error: model.loyalty.opinion_noise: value 3.0 is out of range"));
    CHECK_THAT(e, Catch::Contains("p.toml:10:1: error: parameter[3].key: 'scenario.seed' cannot be swept"));
    CHECK_THAT(e, Catch::Contains("p.toml:14:1: error: event.surge_2007.date: date 2020-01-01 is outside the scenario's period"));
    CHECK_THAT(e, Catch::Contains("p.toml:16:1: error: event.surge_2008.date: no event with id 'surge_2008' (did you mean 'surge_2007'?)"));
}

TEST_CASE("A range of the wrong type for its key is an error", "[sweep][plan]") {
    CHECK_THAT(plan_error("[sweep]\ndesign = \"sobol\"\npoints = 2\n[[parameter]]\nkey = \"event.surge_2007.date\"\nmin = 1\nmax = 2\n"),
               Catch::Contains("'event.surge_2007.date' takes a date"));
}

TEST_CASE("A missing base scenario is named at the base key", "[sweep][plan]") {
    CHECK_THAT(plan_error("[sweep]\nbase = \"nowhere.toml\"\ndesign = \"grid\"\n[[parameter]]\nkey = \"a.b\"\nlevels = [1]\n"),
               Catch::Contains("p.toml:2:1: error: sweep.base: cannot read the base scenario"));
}
