// Sweep files are read as strictly as scenarios: every problem named with file:line:column and
// the key path, all at once.
#include <catch2/catch.hpp>

#include "iraqsim/sweep/sweep_spec.hpp"

using namespace iraqsim;
using sweep::parse_sweep_spec;

namespace {

std::string errors_of(const std::string& text) {
    sweep::Diagnostics d;
    parse_sweep_spec(text, "s.toml", d);
    return d.format();
}

const char* const good = R"([sweep]
replicates = 3
seed = 9
design = "latin_hypercube"
points = 5
variables = ["support"]
every_weeks = 4

[[parameter]]
key = "model.loyalty.diffusion_rate"
min = 0.001
max = 0.1
distribution = "log_uniform"

[[parameter]]
key = "event.surge_2007.date"
min = 2006-06-01
max = 2007-06-01
)";

}  // namespace

TEST_CASE("A sweep file is read into its spec", "[sweep][spec]") {
    sweep::Diagnostics d;
    const sweep::SweepSpec spec = parse_sweep_spec(good, "dir/s.toml", d);
    REQUIRE(d.empty());
    CHECK(spec.name == "s");
    CHECK(spec.replicates == 3);
    CHECK(spec.seed == 9);
    CHECK(spec.design == sweep::Design::latin_hypercube);
    CHECK(spec.points == 5);
    CHECK(spec.every_weeks == 4);
    REQUIRE(spec.parameters.size() == 2);
    CHECK(spec.parameters[0].distribution == sweep::Distribution::log_uniform);
    CHECK(std::get<core::Date>(*spec.parameters[1].max) == core::Date{2007, 6, 1});
    CHECK(spec.parameters[1].origin_of("min").line == 17);
    CHECK_FALSE(spec.base.has_value());
}

TEST_CASE("The resolved sweep reads back to the same sweep", "[sweep][spec]") {
    sweep::Diagnostics d;
    const sweep::SweepSpec spec = parse_sweep_spec(good, "s.toml", d);
    const std::string text = sweep::to_sweep_toml(spec, "base.toml");
    const sweep::SweepSpec again = parse_sweep_spec(text, "again.toml", d);
    REQUIRE(d.empty());
    const auto body = [](const std::string& t) { return t.substr(t.find('\n')); };  // after the comment naming the source
    CHECK(body(sweep::to_sweep_toml(again, "base.toml")) == body(text));
    CHECK(again.base->filename() == "base.toml");
}

TEST_CASE("Sweep file errors name file:line:column and the key, all of them", "[sweep][spec]") {
    const std::string e = errors_of(R"([sweep]
replicats = 2
design = "latin_hypercub"
seed = -1

[[parameter]]
key = "model.loyalty.opinion_noise"
min = 0.5
max = 0.1
distribution = "normal"
)");
    CHECK_THAT(e, Catch::Contains("s.toml:2:1: error: sweep.replicats: unknown key (did you mean 'sweep.replicates'?)"));
    CHECK_THAT(e, Catch::Contains("s.toml:3:1: error: sweep.design: must be one of"));
    CHECK_THAT(e, Catch::Contains("s.toml:4:1: error: sweep.seed: must be between 0"));
    CHECK_THAT(e, Catch::Contains("s.toml:9:1: error: parameter[1].max: max (0.1) must be greater than min (0.5)"));
    CHECK_THAT(e, Catch::Contains("s.toml:10:1: error: parameter[1].distribution: must be one of \"uniform\", \"log_uniform\""));
}

TEST_CASE("Each design asks for what it needs", "[sweep][spec]") {
    CHECK_THAT(errors_of("[sweep]\ndesign = \"sobol\"\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 1\n"),
               Catch::Contains("sweep.points: a sobol design needs points"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"saltelli\"\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 1\n"),
               Catch::Contains("sweep.points: a saltelli design needs points"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"morris\"\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 1\n"),
               Catch::Contains("sweep.trajectories: a morris design needs trajectories"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"grid\"\npoints = 3\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 1\n"),
               Catch::Contains("a grid design takes levels, not min/max"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"grid\"\n[[parameter]]\nkey = \"a.b\"\nlevels = [1]\n[[parameter]]\nkey = \"a.b\"\nlevels = [2]\n"),
               Catch::Contains("'a.b' is swept twice"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"morris\"\ntrajectories = 2\nmorris_levels = 5\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 1\n"),
               Catch::Contains("sweep.morris_levels: must be even"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"sobol\"\npoints = 2\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 1\ndistribution = \"log_uniform\"\n"),
               Catch::Contains("log_uniform needs numbers with min > 0"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"sobol\"\npoints = 2\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 2007-01-01\n"),
               Catch::Contains("min and max must both be numbers or both dates"));
    CHECK_THAT(errors_of("[sweep]\nvariables = [\"suport\"]\n[[parameter]]\nkey = \"a.b\"\nlevels = [1]\n"),
               Catch::Contains("unknown variable 'suport' (did you mean 'support'?)"));
    CHECK_THAT(errors_of("[sweep]\nreplicates = 2\n"), Catch::Contains("a sweep needs at least one [[parameter]]"));
    CHECK_THAT(errors_of("[sweep\n"), Catch::Contains("s.toml:1:"));
    CHECK_THAT(errors_of("[sweep]\ndesign = \"grid\"\n[[parameter]]\nkey = \"a.b\"\nlevels = [nan]\n"),
               Catch::Contains("each level must be"));
    CHECK_THAT(errors_of("[sweep]\nreplicates = 1000000\ndesign = \"sobol\"\npoints = 1000000\n[[parameter]]\nkey = \"a.b\"\nmin = 0\nmax = 1\n"),
               Catch::Contains("runs"));
}
