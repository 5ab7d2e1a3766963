// iraqsim calibrate (docs/validation.md): the calibration file's strict reading, the ABC-SMC pieces
// (prior, kernel, weights, tolerance), the distance, the embedded data, determinism and resume of
// the sampler, and a synthetic recovery: data simulated at known parameters are fitted and the
// known values fall inside the posterior's 90% intervals.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>

#include "../support/temp_dir.hpp"
#include "iraqsim/calibrate/abc_smc.hpp"
#include "iraqsim/calibrate/calibration.hpp"
#include "iraqsim/calibrate/observed.hpp"
#include "iraqsim/core/error.hpp"

using namespace iraqsim;
using namespace iraqsim::calibrate;

namespace {

std::string errors_of(const std::string& text) {
    Diagnostics d;
    parse_calibration_spec(text, "c.toml", d);
    return d.format();
}

const char* const good = R"([calibration]
seed = 7
populations = 2
particles = 20
replicates = 2
fit_start = 2005-01-01
fit_end = 2006-12-31
loss = "huber"
huber_delta = 0.5

[[parameter]]
key = "model.observation.ibc_coverage"
lower = 0.2
upper = 1.0

[[parameter]]
key = "model.violence.attack_rate"
lower = 0.01
upper = 0.3
prior = "log-uniform"

[[target]]
series = "ibc_monthly"

[[target]]
series = "ibc_categories"
weight = 0.5
)";

double yearly_sum(const ObservedSeries& s, int year) {
    double total = 0;
    for (const MonthlyValue& v : s.values) total += v.year == year ? v.value : 0.0;
    return total;
}

// A toy problem for the sampler: theta's distance is |theta_0 - 0.3| + |theta_1 - 2| plus noise
// keyed by the seed, so the posterior concentrates near (0.3, 2).
double toy_distance(const std::vector<double>& theta, std::uint64_t seed) {
    engine::RandomStream rng(seed, 0, 0, engine::Purpose::violence, 0);
    return std::abs(theta[0] - 0.3 + 0.02 * rng.normal()) + std::abs(std::log(theta[1] / 2.0) + 0.02 * rng.normal());
}

const std::vector<PriorBox> toy_priors{{0.0, 1.0, false}, {0.1, 10.0, true}};

AbcResult run_toy(int populations, int threads, std::vector<Population> done = {}) {
    AbcSettings settings;
    settings.seed = 11;
    settings.populations = populations;
    settings.particles = 60;
    settings.threads = threads;
    AbcCallbacks callbacks;
    callbacks.distance = toy_distance;
    return run_abc_smc(toy_priors, settings, std::move(done), callbacks);
}

}  // namespace

TEST_CASE("A calibration file is read into its spec", "[calibrate]") {
    Diagnostics d;
    const CalibrationSpec spec = parse_calibration_spec(good, "c.toml", d);
    REQUIRE(d.empty());
    CHECK(spec.seed == 7);
    CHECK(spec.populations == 2);
    CHECK(spec.particles == 20);
    CHECK(spec.fit_start == core::Date{2005, 1, 1});
    CHECK(spec.loss == Loss::huber);
    REQUIRE(spec.parameters.size() == 2);
    CHECK(spec.parameters[1].prior == Prior::log_uniform);
    REQUIRE(spec.targets.size() == 2);
    CHECK(spec.targets[0].transform == Transform::log1p);
    CHECK(spec.targets[1].transform == Transform::identity);
    CHECK(spec.targets[1].weight == 0.5);
    CHECK_FALSE(spec.synthetic());
}

TEST_CASE("Calibration file errors name file, line, column and key", "[calibrate]") {
    CHECK_THAT(errors_of("[calibration]\nseeed = 1\n[[parameter]]\nkey = \"a\"\nlower = 0\nupper = 1\n[[target]]\nseries = \"ibc_monthly\"\n"),
               Catch::Contains("c.toml:2:1: error: calibration.seeed: unknown key (did you mean 'calibration.seed'?)"));
    const std::string e = errors_of(
        "[calibration]\nmethod = \"smm\"\nfit_end = 2007-06-30\nfit_start = 2004-01-02\n"
        "[[parameter]]\nkey = \"a\"\nlower = 0\nupper = 1\nprior = \"log-uniform\"\n"
        "[[parameter]]\nkey = \"b\"\nlower = 2\nupper = 1\n"
        "[[target]]\nseries = \"ibc_weekly\"\n[[target]]\nseries = \"ibc_categories\"\ntransform = \"log1p\"\n");
    CHECK_THAT(e, Catch::Contains("c.toml:2:1: error: calibration.method: \"smm\""));
    CHECK_THAT(e, Catch::Contains("c.toml:3:1: error: calibration.fit_end: must be on or before 2006-12-31"));
    CHECK_THAT(e, Catch::Contains("c.toml:4:1: error: calibration.fit_start: must be the first day of a month"));
    CHECK_THAT(e, Catch::Contains("c.toml:9:1: error: parameter[1].prior: a log-uniform prior needs lower > 0"));
    CHECK_THAT(e, Catch::Contains("c.toml:13:1: error: parameter[2].upper: upper (1.0) must be greater than lower (2.0)"));
    CHECK_THAT(e, Catch::Contains("c.toml:15:1: error: target[1].series: must be one of"));
    CHECK_THAT(e, Catch::Contains("c.toml:18:1: error: target[2].transform: ibc_categories are shares"));
    CHECK_THAT(errors_of("[calibration]\n"), Catch::Contains("needs at least one [[parameter]]"));
    CHECK_THAT(errors_of("[calibration\n"), Catch::Contains("c.toml:1:"));
    CHECK_THAT(errors_of("[calibration]\n[[parameter]]\nkey = \"a\"\nlower = 0\nupper = 1\ntruth = 2\n[[target]]\nseries = \"ibc_monthly\"\n"),
               Catch::Contains("c.toml:6:1: error: parameter[1].truth: the true value must lie within [lower, upper]"));
}

TEST_CASE("A calibration's keys and bounds are checked against the scenario registry", "[calibrate]") {
    Diagnostics d;
    CalibrationSpec spec = parse_calibration_spec(
        "[calibration]\n[[parameter]]\nkey = \"model.violence.attak_rate\"\nlower = 0\nupper = 1\n"
        "[[parameter]]\nkey = \"model.observation.ibc_coverage\"\nlower = 0.5\nupper = 2\n"
        "[[parameter]]\nkey = \"scenario.seed\"\nlower = 0\nupper = 2\n[[target]]\nseries = \"ibc_monthly\"\n",
        "c.toml", d);
    REQUIRE(d.empty());
    try {
        Calibration c(std::move(spec));
        FAIL("an invalid calibration was accepted");
    } catch (const core::ScenarioError& e) {
        const std::string m = e.what();
        CHECK_THAT(m, Catch::Contains("c.toml:3:1: error: model.violence.attak_rate: unknown key (did you mean 'model.violence.attack_rate'?)"));
        CHECK_THAT(m, Catch::Contains("c.toml:9:1: error: parameter[2].upper:"));
        CHECK_THAT(m, Catch::Contains("c.toml:11:1: error: parameter[3].key: 'scenario.seed' cannot be calibrated"));
    }
}

TEST_CASE("The embedded observed series are the data files' sums", "[calibrate]") {
    // docs/model.md, "Calibration status": IBC 11,177 / 15,682 / 28,393 and SIGACT 28,505 / 60,284.
    CHECK(yearly_sum(find_observed("ibc"), 2004) == Approx(11177));
    CHECK(yearly_sum(find_observed("ibc"), 2006) == Approx(28393));
    CHECK(yearly_sum(find_observed("sigact"), 2005) == Approx(28505));
    CHECK(yearly_sum(find_observed("sigact"), 2006) == Approx(60284));
    CHECK(yearly_sum(find_observed("us_hostile_fatalities"), 2004) == Approx(693));
    CHECK(yearly_sum(find_observed("ibc_sectarian"), 2006) == Approx(22607));
    CHECK(yearly_sum(find_observed("ibc_coalition"), 2004) == Approx(2612));
    for (const ObservedSeries& s : observed_series()) {
        CHECK(s.values.back().year <= 2006);
    }
    CHECK_THROWS_AS(find_observed("nothing"), core::Error);
}

TEST_CASE("Priors are uniform in theta or in log theta, inside their bounds", "[calibrate]") {
    const std::vector<PriorBox> priors{{0.2, 0.8, false}, {0.01, 100.0, true}};
    int below_one = 0;
    double sum = 0;
    const int n = 4000;
    for (int a = 0; a < n; ++a) {
        engine::RandomStream rng = attempt_stream(3, 0, a);
        const std::vector<double> theta = sample_prior(priors, rng);
        REQUIRE(theta[0] >= 0.2);
        REQUIRE(theta[0] <= 0.8);
        REQUIRE(theta[1] >= 0.01);
        REQUIRE(theta[1] <= 100.0);
        sum += theta[0];
        below_one += theta[1] < 1.0 ? 1 : 0;
    }
    CHECK(sum / n == Approx(0.5).margin(0.02));
    CHECK(static_cast<double>(below_one) / n == Approx(0.5).margin(0.03));  // log-uniform: half the draws below the geometric middle
    CHECK(priors[1].from_internal(priors[1].to_internal(3.7)) == Approx(3.7));
    CHECK(attempt_seed(3, 1, 5) != attempt_seed(3, 2, 5));
    CHECK(attempt_seed(3, 1, 5) < (std::uint64_t{1} << 62));
}

TEST_CASE("Weighted covariance, kernel and importance weights", "[calibrate]") {
    Eigen::MatrixXd z(4, 2);
    z << 0, 1, 2, 1, 0, 3, 2, 3;
    const Eigen::VectorXd equal = Eigen::VectorXd::Constant(4, 0.25);
    const Eigen::MatrixXd cov = weighted_covariance(z, equal);
    CHECK(cov(0, 0) == Approx(4.0 / 3.0));  // the unbiased sample variance of {0, 2, 0, 2}
    CHECK(cov(1, 1) == Approx(4.0 / 3.0));
    CHECK(cov(0, 1) == Approx(0.0).margin(1e-12));

    // The kernel's draws have covariance 2 Sigma.
    Eigen::MatrixXd sigma(2, 2);
    sigma << 1.0, 0.3, 0.3, 0.5;
    const Kernel kernel(sigma, Eigen::Vector2d(1, 1));
    Eigen::Matrix2d second = Eigen::Matrix2d::Zero();
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        engine::RandomStream rng = attempt_stream(5, 1, i);
        const Eigen::VectorXd d = kernel.perturb(Eigen::Vector2d(0, 0), rng);
        second += d * d.transpose();
    }
    second /= n;
    CHECK(second(0, 0) == Approx(2.0).epsilon(0.05));
    CHECK(second(0, 1) == Approx(0.6).epsilon(0.1));
    CHECK(second(1, 1) == Approx(1.0).epsilon(0.05));
    CHECK(kernel.log_density(Eigen::Vector2d(1, 0), Eigen::Vector2d(0, 0)) ==
          Approx(kernel.log_density(Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 0))));

    // One ancestor at 0: a particle far from it was less likely proposed, so it weighs more, by
    // exactly 1 / K.
    const Kernel unit(Eigen::MatrixXd::Identity(1, 1) * 0.5, Eigen::VectorXd::Ones(1));  // 2 Sigma = 1
    Eigen::MatrixXd fresh(2, 1);
    fresh << 0.0, 1.0;
    const Eigen::VectorXd w = importance_weights(fresh, Eigen::MatrixXd::Zero(1, 1), Eigen::VectorXd::Ones(1), unit);
    CHECK(w.sum() == Approx(1.0));
    CHECK(w(1) / w(0) == Approx(std::exp(0.5)).epsilon(1e-6));
    CHECK(normalise(Eigen::Vector3d(1, 1, 2))(2) == Approx(0.5));
    CHECK_THROWS_AS(normalise(Eigen::Vector2d(0, 0)), core::ModelError);
}

TEST_CASE("The tolerance schedule and weighted quantiles", "[calibrate]") {
    const Eigen::VectorXd d = (Eigen::VectorXd(5) << 5, 1, 3, 2, 4).finished();
    CHECK(next_tolerance(d, 0.5) == 3.0);
    CHECK(next_tolerance(d, 0.25) == 2.0);
    CHECK(next_tolerance(d, 0.1) == Approx(1.4));
    const Eigen::VectorXd w = (Eigen::VectorXd(5) << 0.1, 0.1, 0.1, 0.1, 0.6).finished();
    CHECK(weighted_quantile(d, w, 0.5) == 4.0);
    CHECK(weighted_quantile(d, w, 0.05) == 1.0);
    CHECK(weighted_quantile(d, w, 0.95) == 5.0);
}

TEST_CASE("ABC-SMC concentrates on a toy problem, the same at any thread count and when resumed", "[calibrate]") {
    const AbcResult one = run_toy(3, 1);
    const AbcResult two = run_toy(3, 2);
    REQUIRE(one.populations.size() == 4);
    REQUIRE(two.populations.size() == 4);
    const Population& last = one.populations.back();
    CHECK(last.theta == two.populations.back().theta);
    CHECK(last.weights == two.populations.back().weights);
    CHECK(last.weights.sum() == Approx(1.0));
    for (std::size_t t = 1; t < one.populations.size(); ++t) {
        CHECK(one.populations[t].tolerance < one.populations[t - 1].tolerance);
        CHECK((one.populations[t].distances.array() <= one.populations[t].tolerance).all());
    }
    const double mean0 = last.weights.dot(last.theta.col(0));
    const double mean1 = last.weights.dot(last.theta.col(1));
    CHECK(mean0 == Approx(0.3).margin(0.08));
    CHECK(mean1 == Approx(2.0).margin(0.6));

    // Resumed after population 1, it ends where the uninterrupted run does.
    std::vector<Population> first_two(one.populations.begin(), one.populations.begin() + 2);
    const AbcResult resumed = run_toy(3, 2, first_two);
    REQUIRE(resumed.populations.size() == 4);
    CHECK(resumed.populations.back().theta == last.theta);
    CHECK(resumed.populations.back().attempts == last.attempts);
}

TEST_CASE("ABC-SMC rejects failed simulations and stops when acceptance falls too low", "[calibrate]") {
    AbcSettings settings;
    settings.seed = 2;
    settings.populations = 10;
    settings.particles = 20;
    settings.min_acceptance = 0.3;
    AbcCallbacks callbacks;
    std::atomic<int> populations_seen{0};
    callbacks.on_population = [&](const Population&) { ++populations_seen; };
    // Half of the prior fails (NaN), and the rest is too far to pass tightening tolerances for long.
    callbacks.distance = [](const std::vector<double>& theta, std::uint64_t seed) {
        return theta[0] > 0.5 ? std::nan("") : toy_distance(theta, seed);
    };
    const AbcResult r = run_abc_smc(toy_priors, settings, {}, callbacks);
    CHECK(r.stopped_early);
    REQUIRE_FALSE(r.populations.empty());
    CHECK(static_cast<int>(r.populations.size()) == populations_seen.load());
    CHECK(static_cast<int>(r.populations.size()) < 11);
    for (const Population& p : r.populations) CHECK((p.theta.col(0).array() <= 0.5).all());
    CHECK(r.populations.front().attempts > 20);  // the failed prior draws were not kept
}

TEST_CASE("The distance is zero at the data and grows with the misfit", "[calibrate]") {
    Diagnostics d;
    CalibrationSpec spec = parse_calibration_spec(good, "c.toml", d);
    REQUIRE(d.empty());
    const Calibration c(std::move(spec));
    REQUIRE(c.targets().size() == 2);
    CHECK(c.targets()[0].observed.size() == 24);
    CHECK(c.targets()[0].labels.front() == "2005-01");
    CHECK(c.targets()[1].observed.size() == 6);  // 2005 and 2006, three categories each
    Moments exact;
    for (const TargetData& t : c.targets()) exact.push_back(t.observed);
    CHECK(c.distance(exact) == 0.0);
    // Every month 10% high: a log1p residual near log(1.1) in every month of the first target.
    Moments high = exact;
    for (double& x : high[0]) x *= 1.1;
    const std::vector<double> per_target = c.target_distances(high);
    CHECK(per_target[0] == Approx(std::log(1.1)).epsilon(0.01));
    CHECK(per_target[1] == 0.0);
    // Weights 1 and 0.5: D^2 = d_0^2 / 1.5.
    CHECK(c.distance(high) == Approx(per_target[0] / std::sqrt(1.5)));
    // Huber (delta 0.5): residuals of 2 count as 2 delta |r| - delta^2 = 1.75, not 4.
    Moments far = exact;
    for (double& x : far[0]) x = std::expm1(std::log1p(x) + 2.0);
    CHECK(c.target_distances(far)[0] == Approx(std::sqrt(1.75)));
}

TEST_CASE("By-governorate targets are the national ones split by province", "[calibrate]") {
    double sigact_2006 = 0;
    for (const GovernorateValue& v : find_governorate_observed("sigact_governorate").values) sigact_2006 += v.year == 2006 ? v.value : 0.0;
    CHECK(sigact_2006 == Approx(yearly_sum(find_observed("sigact"), 2006)));
    CHECK_THROWS_AS(find_governorate_observed("nothing"), core::Error);

    Diagnostics d;
    CalibrationSpec spec = parse_calibration_spec(R"([calibration]
set = ["scenario.start=2006-08-03"]
fit_start = 2006-09-01
fit_end = 2006-10-31
[[parameter]]
key = "model.violence.attack_rate"
lower = 0.05
upper = 0.1
[[target]]
series = "sigact_monthly"
[[target]]
series = "sigact_governorate_monthly"
[[target]]
series = "us_fatalities_governorate_monthly"
)", "g.toml", d);
    REQUIRE(d.empty());
    const Calibration c(std::move(spec));
    const TargetData& national = c.targets()[0];
    const TargetData& governorates = c.targets()[1];
    REQUIRE(national.observed.size() == 2);
    REQUIRE(governorates.observed.size() == 36);  // 18 governorates x 2 months
    CHECK(governorates.labels.front() == "anbar 2006-09");
    CHECK(c.targets()[2].observed.size() == 36);
    // The model's governorate-months add up to its national months, as the data's do.
    const Moments m = c.simulate({0.08}, 4, 1);
    double observed_september = 0, simulated_september = 0;
    for (std::size_t i = 0; i < governorates.observed.size(); ++i) {
        if (governorates.months[i] != 0) continue;
        observed_september += governorates.observed[i];
        simulated_september += m[1][i];
    }
    CHECK(observed_september == Approx(national.observed[0]));
    CHECK(simulated_september == Approx(m[0][0]).epsilon(1e-9));
    CHECK(simulated_september > 0);
}

TEST_CASE("Population states round-trip exactly through their files", "[calibrate]") {
    Diagnostics d;
    CalibrationSpec spec = parse_calibration_spec(good, "c.toml", d);
    REQUIRE(d.empty());
    const Calibration c(std::move(spec));
    test::TempDir dir;
    const AbcResult toy = run_toy(1, 1);
    for (Population p : toy.populations) {
        p.theta = p.theta.topRows(20).eval();
        p.weights = normalise(p.weights.head(20));
        p.distances = p.distances.head(20).eval();
        write_population_state(dir.path(), c, p);
    }
    const std::vector<Population> back = read_population_states(dir.path(), c);
    REQUIRE(back.size() == 2);
    CHECK(back[1].theta == toy.populations[1].theta.topRows(20));
    CHECK(back[1].tolerance == toy.populations[1].tolerance);
    CHECK(std::isinf(back[0].tolerance));
    CHECK(back[1].attempts == toy.populations[1].attempts);
}

// The synthetic recovery (docs/validation.md): the model's own output at known values of two
// parameters, fitted on a small budget (2006 only, 1 replicate, 5 populations of 40 particles).
// About 4 s in Release but near 5 minutes in a Debug build with sanitizers, so it is hidden from
// the unit tests' discovery and runs as its own ctest, "calibrate-slow: synthetic recovery", which
// sanitizer builds leave out.
TEST_CASE("Synthetic recovery: known parameters lie in the posterior's 90% intervals", "[calibrate][.slow]") {
    Diagnostics d;
    CalibrationSpec spec = parse_calibration_spec(R"([calibration]
seed = 3
populations = 5
particles = 40
set = ["scenario.start=2005-12-01"]
fit_start = 2006-01-01
fit_end = 2006-12-31

[[parameter]]
key = "model.observation.ibc_coverage"
lower = 0.2
upper = 1.0
truth = 0.6

[[parameter]]
key = "model.violence.attack_rate"
lower = 0.02
upper = 0.32
prior = "log-uniform"
truth = 0.08

[[target]]
series = "ibc_monthly"

[[target]]
series = "sigact_monthly"
)", "recovery.toml", d);
    REQUIRE(d.empty());
    const Calibration c(std::move(spec));
    REQUIRE(c.spec().synthetic());
    AbcSettings settings;
    settings.seed = c.spec().seed;
    settings.populations = c.spec().populations;
    settings.particles = c.spec().particles;
    AbcCallbacks callbacks;
    callbacks.distance = [&](const std::vector<double>& theta, std::uint64_t seed) { return c.distance_at(theta, seed); };
    const AbcResult result = run_abc_smc(c.priors(), settings, {}, callbacks);
    REQUIRE(result.populations.size() == 6);
    const std::vector<ParameterSummary> s = summarise(c, result.populations.back());
    const std::vector<ParameterSummary> prior = summarise(c, result.populations.front());
    for (std::size_t k = 0; k < s.size(); ++k) {
        const double truth = *c.spec().parameters[k].truth;
        INFO(s[k].key << ": " << s[k].q05 << " / " << s[k].median << " / " << s[k].q95 << ", truth " << truth);
        CHECK(s[k].q05 <= truth);
        CHECK(truth <= s[k].q95);
        CHECK(s[k].q95 - s[k].q05 < 0.5 * (prior[k].q95 - prior[k].q05));
    }
}

TEST_CASE("Governorate shares are each governorate's part of the year's total, in the data and the model", "[calibrate]") {
    Diagnostics d;
    CalibrationSpec spec = parse_calibration_spec(R"([calibration]
set = ["scenario.start=2005-12-01"]
fit_start = 2006-01-01
fit_end = 2006-03-31
[[parameter]]
key = "model.violence.attack_rate"
lower = 0.05
upper = 0.1
[[target]]
series = "sigact_governorate_monthly"
[[target]]
series = "sigact_governorate_shares"
[[target]]
series = "us_fatalities_governorate_shares"
)", "s.toml", d);
    REQUIRE(d.empty());
    CHECK(spec.targets[1].transform == Transform::identity);
    const Calibration c(std::move(spec));
    const TargetData& monthly = c.targets()[0];
    const TargetData& shares = c.targets()[1];
    REQUIRE(shares.observed.size() == 18);  // one year of the fit, 18 governorates
    CHECK(shares.labels.front() == "anbar 2006");
    // The data's shares: each governorate's three months against all of them.
    double total = 0, anbar = 0, sum_of_shares = 0;
    for (std::size_t i = 0; i < monthly.observed.size(); ++i) {
        total += monthly.observed[i];
        if (monthly.provinces[i] == shares.provinces.front()) anbar += monthly.observed[i];
    }
    for (double s : shares.observed) sum_of_shares += s;
    CHECK(shares.observed.front() == Approx(anbar / total));
    CHECK(sum_of_shares == Approx(1.0));
    // The model's, from the same governorate-months.
    const Moments m = c.simulate({0.08}, 4, 1);
    double simulated_total = 0, simulated_anbar = 0, simulated_sum = 0;
    for (std::size_t i = 0; i < monthly.observed.size(); ++i) {
        simulated_total += m[0][i];
        if (monthly.provinces[i] == shares.provinces.front()) simulated_anbar += m[0][i];
    }
    for (double s : m[1]) simulated_sum += s;
    REQUIRE(simulated_total > 0);
    CHECK(m[1].front() == Approx(simulated_anbar / simulated_total).epsilon(1e-9));
    CHECK(simulated_sum == Approx(1.0));
    // Shares are compared as they are.
    CHECK_THAT(errors_of(R"([calibration]
[[parameter]]
key = "model.violence.attack_rate"
lower = 0.05
upper = 0.1
[[target]]
series = "us_fatalities_governorate_shares"
transform = "log1p"
)"), Catch::Contains("target[1].transform: us_fatalities_governorate_shares are shares"));
}
