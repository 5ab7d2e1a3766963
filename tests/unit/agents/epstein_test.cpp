// Epstein's civil violence models (agents/epstein.hpp): the rules' pieces, conservation,
// determinism across threads, the scenario reader's errors, and the paper's stylized facts over
// 20 seeds, asserted as orderings and effect sizes. The ensembles are cut to the steps each fact
// needs, so that every case stays near a second in Release (docs/agents.md has the full runs).
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <string>
#include <vector>

#include "iraqsim/agents/cell_claims.hpp"
#include "iraqsim/agents/epstein.hpp"
#include "iraqsim/agents/epstein_ensemble.hpp"
#include "iraqsim/agents/epstein_metrics.hpp"
#include "iraqsim/agents/epstein_scenario.hpp"
#include "iraqsim/agents/torus_window.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/random_stream.hpp"

using namespace iraqsim::agents;

namespace {

EpsteinValidation parse(const std::string& text) { return parse_epstein_validation(text, "test.toml"); }

// The message of the ScenarioError that parsing `text` throws ("" when it parses).
std::string error_of(const std::string& text) {
    try {
        (void)parse(text);
    } catch (const iraqsim::core::ScenarioError& e) {
        return e.what();
    }
    return "";
}

const std::string header = "[validation]\nname = \"t\"\nmodel = \"civil_violence\"\nseeds = 20\n";

std::vector<double> column(const EpsteinValidationResult& r, std::size_t arm, double (*pick)(const EpsteinRunMetrics&)) {
    std::vector<double> out;
    for (const EpsteinRunMetrics& m : r.arms[arm].metrics) out.push_back(pick(m));
    return out;
}

}  // namespace

TEST_CASE("the arrest rules differ only in how they treat C over A", "[agents][epstein]") {
    const double k = 2.3;
    // C = A = 1: P = 0.9 by the choice of k, under every rule.
    for (ArrestRule rule : {ArrestRule::literal, ArrestRule::rounded, ArrestRule::floored}) {
        CHECK(estimated_arrest_probability(1, 1, k, rule) == Approx(1 - std::exp(-2.3)).epsilon(1e-12));
        CHECK(estimated_arrest_probability(1, 1, k, rule) == Approx(0.9).margin(0.0003));
        CHECK(estimated_arrest_probability(0, 5, k, rule) == 0.0);
    }
    // One cop, two actives: the literal rule still fears arrest; rounding (half to even) and
    // flooring both see no cops at all, so a crowd of two already feels safe.
    CHECK(estimated_arrest_probability(1, 2, k, ArrestRule::literal) == Approx(1 - std::exp(-1.15)));
    CHECK(estimated_arrest_probability(1, 2, k, ArrestRule::rounded) == 0.0);
    CHECK(estimated_arrest_probability(1, 2, k, ArrestRule::floored) == 0.0);
    // Three cops, two actives: 1.5 rounds to 2 but floors to 1.
    CHECK(estimated_arrest_probability(3, 2, k, ArrestRule::rounded) == Approx(1 - std::exp(-4.6)));
    CHECK(estimated_arrest_probability(3, 2, k, ArrestRule::floored) == Approx(1 - std::exp(-2.3)));
    // 2.5 rounds to 2 (half to even, as Python's round in Mesa's example).
    CHECK(estimated_arrest_probability(5, 2, k, ArrestRule::rounded) == Approx(1 - std::exp(-4.6)));
}

TEST_CASE("schedules interpolate linearly and hold their ends", "[agents][epstein]") {
    const Schedule s{{{50, 0.9}, {450, 0.7}}};
    CHECK(s.at(0) == 0.9);
    CHECK(s.at(50) == 0.9);
    CHECK(s.at(250) == Approx(0.8));
    CHECK(s.at(450) == Approx(0.7));
    CHECK(s.at(10'000) == 0.7);
    CHECK(Schedule::constant(0.82).at(123) == 0.82);
}

TEST_CASE("window counts on the torus match a direct count", "[agents][epstein]") {
    const std::int32_t width = 17, height = 13;
    std::vector<std::uint8_t> field(static_cast<std::size_t>(width * height));
    iraqsim::engine::RandomStream s(3, 0, 0, iraqsim::engine::Purpose::epstein, 0);
    for (auto& f : field) f = s.uniform() < 0.4 ? 1 : 0;
    TorusWindowCounts counts(width, height, 6);
    counts.build(field);
    for (std::int32_t radius : {0, 1, 3, 6}) {
        for (std::uint32_t cell = 0; cell < field.size(); ++cell) {
            std::int32_t direct = 0;
            for (std::int32_t dy = -radius; dy <= radius; ++dy) {
                for (std::int32_t dx = -radius; dx <= radius; ++dx) direct += field[torus_offset(cell, dy, dx, width, height)];
            }
            REQUIRE(counts.count(cell, radius) == direct);
        }
    }
    CHECK_THROWS_AS(TorusWindowCounts(10, 10, 5), iraqsim::core::ModelError);
}

TEST_CASE("several window counts packed in one table each match a direct count", "[agents][epstein]") {
    const std::int32_t width = 19, height = 11;
    std::vector<std::uint8_t> bits(static_cast<std::size_t>(width * height));
    iraqsim::engine::RandomStream s(5, 0, 0, iraqsim::engine::Purpose::epstein, 0);
    for (auto& b : bits) b = static_cast<std::uint8_t>(s.next_u64() & 0xff);
    for (const int first_bit : {0, 3}) {
        TorusWindowCounts counts(width, height, 5, 3);
        counts.build(bits, first_bit);
        for (std::int32_t radius : {0, 2, 5}) {
            for (std::uint32_t cell = 0; cell < bits.size(); ++cell) {
                const auto y = static_cast<std::int32_t>(cell) / width, x = static_cast<std::int32_t>(cell) % width;
                const std::uint64_t packed = counts.packed(y, x, radius);
                for (std::int32_t lane = 0; lane < 3; ++lane) {
                    std::int32_t direct = 0;
                    for (std::int32_t dy = -radius; dy <= radius; ++dy) {
                        for (std::int32_t dx = -radius; dx <= radius; ++dx) {
                            direct += (bits[torus_offset(cell, dy, dx, width, height)] >> (first_bit + lane)) & 1;
                        }
                    }
                    REQUIRE(counts.lane(packed, lane) == direct);
                }
            }
        }
    }
    // Three 21-bit lanes hold windows of up to 2^21 - 1 cells: radius 723, not 724.
    CHECK(TorusWindowCounts::fits(723, 3));
    CHECK_FALSE(TorusWindowCounts::fits(724, 3));
    CHECK(TorusWindowCounts::fits(999, 2));
    CHECK_THROWS_AS(TorusWindowCounts(1500, 1500, 724, 3), iraqsim::core::ModelError);
}

TEST_CASE("claim bands cover the torus once, at least 2 radius rows high, an even number of them", "[agents][epstein]") {
    for (const auto& [height, radius] : {std::pair{1000, 7}, std::pair{64, 3}, std::pair{57, 7}, std::pair{40, 7}}) {
        std::vector<std::pair<std::int32_t, std::int32_t>> bands;
        std::mutex m;
        for_each_band_in_two_waves(height, radius, [&](std::int32_t first, std::int32_t end) {
            const std::lock_guard<std::mutex> lock(m);
            bands.emplace_back(first, end);
        });
        std::sort(bands.begin(), bands.end());
        REQUIRE(!bands.empty());
        CHECK(bands.front().first == 0);
        CHECK(bands.back().second == height);
        for (std::size_t b = 1; b < bands.size(); ++b) CHECK(bands[b].first == bands[b - 1].second);
        if (bands.size() > 1) {
            CHECK(bands.size() % 2 == 0);
            CHECK(bands.size() >= 4);
            for (const auto& [first, end] : bands) CHECK(end - first >= 2 * radius);
        }
    }
}

TEST_CASE("Model I conserves citizens and keeps every agent on its own cell", "[agents][epstein]") {
    EpsteinParams p;
    p.legitimacy = Schedule{{{0, 0.9}, {20, 0.9}, {21, 0.7}}};  // a burst of arrests to exercise the jail
    p.cop_density = Schedule{{{0, 0.06}, {100, 0.02}}};
    p.steps = 120;
    const EpsteinSeries r = run_epstein(p, 11, 0, true);  // invariants after every step
    const std::int32_t citizens = r.quiet[0] + r.active[0] + r.jailed[0];
    CHECK(citizens == 1120);  // round(0.7 x 40 x 40)
    for (std::size_t t = 0; t < r.size(); ++t) REQUIRE(r.quiet[t] + r.active[t] + r.jailed[t] == citizens);
    CHECK(*std::max_element(r.jailed.begin(), r.jailed.end()) > 50);
    CHECK(r.cops.front() == 96);  // round(0.06 x 1600)
    CHECK(r.cops.back() == 32);
    CHECK(std::is_sorted(r.cops.rbegin(), r.cops.rend()));
}

TEST_CASE("Model II conserves citizens: the living plus the killed are the first population", "[agents][epstein]") {
    EpsteinParams p;
    p.model = EpsteinModel::ethnic_violence;
    p.legitimacy = Schedule::constant(0.8);
    p.cop_density = Schedule::constant(0.01);
    p.steps = 80;
    const EpsteinSeries r = run_epstein(p, 5, 0, true);
    CHECK(r.population[0][0] == 560);
    CHECK(r.population[1][0] == 560);
    for (std::size_t g = 0; g < 2; ++g) {
        std::int32_t killed = 0;
        for (std::size_t t = 0; t < r.size(); ++t) {
            killed += r.killed[g][t];
            REQUIRE(r.population[g][t] + killed == r.population[g][0]);
        }
        CHECK(killed > 0);
    }
}

TEST_CASE("runs are bit-identical at 1 and 2 threads", "[agents][epstein][determinism]") {
    EpsteinParams one;
    one.legitimacy = Schedule{{{0, 0.85}, {30, 0.75}}};
    one.steps = 150;
    EpsteinParams two = one;
    two.model = EpsteinModel::ethnic_violence;
    two.cop_density = Schedule::constant(0.01);
    // Wide enough for claims to be made in parallel bands (vision 3: bands of 6 rows and more).
    EpsteinParams banded = one;
    banded.width = banded.height = 64;
    banded.citizen_vision = banded.cop_vision = 3;
    banded.steps = 60;
    for (const EpsteinParams& p : {one, two, banded}) {
        auto run = [&](int threads) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            EpsteinWorld world(p, 42, 3);
            for (std::int32_t s = 0; s < p.steps; ++s) world.step();
            return std::make_tuple(world.grid().agent, world.grid().active, world.grid().jail, world.grid().hardship,
                                   world.cops().cell, run_epstein(p, 42, 3).active);
        };
        const auto serial = run(1);
        const auto parallel = run(2);
        CHECK(serial == parallel);
        CHECK(std::get<5>(serial) != run_epstein(p, 43, 3).active);  // and the seed matters
    }
}

TEST_CASE("the validation reader rejects bad files with file, line, column and key", "[agents][epstein][scenario]") {
    CHECK(error_of(header) == "");
    CHECK(error_of(header + "[epstein]\nlegitimacy = [[0, 0.9], [50, 0.8]]\n") == "");
    CHECK_THAT(error_of(header + "[epstein]\nlegitimcy = 0.8\n"),
               Catch::Contains("test.toml:6:1: error: epstein.legitimcy: unknown key (did you mean 'epstein.legitimacy'?)"));
    CHECK_THAT(error_of(header + "[epstein]\nlegitimacy = 1.2\n"),
               Catch::Contains("test.toml:6:14: error: epstein.legitimacy: must be between 0 and 1, got 1.2"));
    CHECK_THAT(error_of(header + "[epstein]\nmax_jail_term = \"30\"\n"),
               Catch::Contains("test.toml:6:17: error: epstein.max_jail_term: expected an integer"));
    CHECK_THAT(error_of(header + "[epstein]\narrest_rule = \"round\"\n"),
               Catch::Contains("epstein.arrest_rule: must be one of \"literal\", \"rounded\", \"floored\", got \"round\" (did you mean \"rounded\"?)"));
    CHECK_THAT(error_of(header + "[epstein]\ncop_density = [[0, 0.02], [10, 0.04]]\n"),
               Catch::Contains("epstein.cop_density: cops can only be withdrawn"));
    CHECK_THAT(error_of(header + "[epstein]\nlegitimacy = [[10, 0.9], [10, 0.8]]\n"),
               Catch::Contains("steps must increase strictly"));
    CHECK_THAT(error_of(header + "[epstein]\nwidth = 10\n"), Catch::Contains("vision 7 sees round the 10 x 40 torus"));
    CHECK_THAT(error_of(header + "[epstein]\ncitizen_density = 0.99\n"), Catch::Contains("more agents than cells"));
    CHECK_THAT(error_of(header + "[[arm]]\nname = \"a\"\n[[arm]]\nname = \"a\"\n"), Catch::Contains("a second arm named 'a'"));
    CHECK_THAT(error_of(header + "[[arm]]\ncop_density = 0.01\n"), Catch::Contains("arm[1].name: missing"));
    CHECK_THAT(error_of("[validation]\nname = \"t\"\nmodel = \"civil\"\n"), Catch::Contains("validation.model: must be one of \"civil_violence\", \"ethnic_violence\", got \"civil\""));
    CHECK_THAT(error_of("[validaton]\nname = \"t\"\n"), Catch::Contains("validaton: unknown key (did you mean 'validation'?)"));
    CHECK_THAT(error_of(header + "steps = = 3\n"), Catch::Contains("test.toml:5:"));
    CHECK_THAT(error_of("[validation]\nname = \"t\"\nseeds = 0\n"),
               Catch::Contains("test.toml:3:9: error: validation.seeds: must be between 1 and"));
    // Every problem at once, in reading order.
    const std::string all = error_of(header + "[epstein]\nwidth = 2\nthreshold = -1\nvision = 3\n");
    CHECK_THAT(all, Catch::Contains("3 error(s)"));
    CHECK(all.find("epstein.width") < all.find("epstein.threshold"));
    CHECK_THAT(all, Catch::Contains("test.toml:8:1: error: epstein.vision: unknown key"));
    CHECK_THROWS_AS(load_epstein_validation("no/such/file.toml"), iraqsim::core::IoError);
}

TEST_CASE("Model I at legitimacy 0.82: outbursts are punctuated", "[agents][epstein][stylized]") {
    // Epstein (2002), punctuated equilibrium: L = 0.82, v = 7, cop density 0.04, J_max = 30, cut to 500 steps.
    const EpsteinValidationResult r = run_validation(parse(header + R"(steps = 500
from_step = 50
[epstein]
legitimacy = 0.82
cop_density = 0.04
max_jail_term = 30
)"));
    const auto outbursts = column(r, 0, [](const EpsteinRunMetrics& m) { return double(m.outbursts); });
    const auto peaks = column(r, 0, [](const EpsteinRunMetrics& m) { return double(m.peak_active); });
    const auto medians = column(r, 0, [](const EpsteinRunMetrics& m) { return m.median_active; });
    // Outbursts (5% of citizens active at once, until back to 1%) come in runs of quiet: over 20
    // runs of 450 steps, dozens of them, several in many runs ...
    CHECK(std::accumulate(outbursts.begin(), outbursts.end(), 0.0) >= 15);
    CHECK(std::count_if(outbursts.begin(), outbursts.end(), [](double n) { return n >= 1; }) >= 8);
    CHECK(std::count_if(outbursts.begin(), outbursts.end(), [](double n) { return n >= 2; }) >= 4);
    for (std::size_t s = 0; s < peaks.size(); ++s) {
        if (outbursts[s] >= 1) CHECK(peaks[s] >= 60);
    }
    // ... out of a quiet society: most of the time hardly anyone is active.
    CHECK(median(medians) <= 3);
    for (std::size_t s = 0; s < peaks.size(); ++s) {
        if (outbursts[s] >= 1) CHECK(peaks[s] >= 20 * std::max(1.0, medians[s]));
    }
}

TEST_CASE("Model I: a small sudden drop in legitimacy sets off more than a larger gradual one", "[agents][epstein][stylized]") {
    // After the paper's runs 3 and 4 (scenarios/validation/epstein-1-sudden-vs-gradual.toml), cut
    // short: 0.9 to 0.8 at once, against 0.9 to 0.7 over 200 steps. The sudden arm's outburst
    // comes within a few steps of the drop, so it needs only 50 more.
    auto peaks = [](int steps, const char* legitimacy) {
        const EpsteinValidationResult r = run_validation(parse(header + "steps = " + std::to_string(steps) +
                                                               "\nfrom_step = 10\n[epstein]\ncop_density = 0.074\n"
                                                               "max_jail_term = 1000\nlegitimacy = " + legitimacy + "\n"));
        return column(r, 0, [](const EpsteinRunMetrics& m) { return double(m.peak_active); });
    };
    const auto sudden = peaks(60, "[[0, 0.9], [10, 0.9], [11, 0.8]]");
    const auto gradual = peaks(210, "[[0, 0.9], [10, 0.9], [210, 0.7]]");
    CHECK(median(sudden) >= 3 * median(gradual));
    CHECK(median(sudden) >= 15);
    std::size_t sudden_wins = 0;  // same seeds, same citizens on the same cells
    for (std::size_t s = 0; s < sudden.size(); ++s) sudden_wins += sudden[s] > gradual[s] ? 1u : 0u;
    CHECK(sudden_wins >= 18);
}

TEST_CASE("Model I: withdrawing cops gradually from 0.074 tips society into rebellion", "[agents][epstein][stylized]") {
    // scenarios/validation/epstein-1-cop-reduction.toml, with the withdrawal cut to 250 steps.
    const EpsteinValidationResult r = run_validation(parse(header + R"(steps = 300
tipping_level = 0.3
[epstein]
legitimacy = 0.82
max_jail_term = 30
cop_density = [[0, 0.074], [10, 0.074], [260, 0.0]]
)"));
    const EpsteinArmSummary& s = r.arms[0].summary;
    CHECK(s.runs_tipped == s.runs);  // every run ends in lasting rebellion ...
    for (std::size_t k = 0; k < r.arms[0].runs.size(); ++k) {
        const EpsteinSeries& run = r.arms[0].runs[k];
        const EpsteinRunMetrics& m = r.arms[0].metrics[k];
        // ... that was held off while cops were many: quiet while all 118 were on duty ...
        CHECK(*std::max_element(run.active.begin(), run.active.begin() + 60) < 0.05 * 1120);
        // ... but set in for good with a third of them or more still on duty.
        CHECK(m.cop_density_at_tipping < 0.074 / 2);
        CHECK(m.cop_density_at_tipping > 0.074 / 6);
        CHECK(run.active.back() > 0.35 * 1120);
    }
}

TEST_CASE("Model II at legitimacy 0.8: without peacekeepers one community destroys the other, and peacekeepers delay it",
          "[agents][epstein][stylized]") {
    const EpsteinValidationResult r = run_validation(parse(R"([validation]
name = "t"
model = "ethnic_violence"
seeds = 20
steps = 200
[epstein]
legitimacy = 0.8
max_jail_term = 30
[[arm]]
name = "none"
cop_density = 0.0
[[arm]]
name = "some"
cop_density = 0.005
[[arm]]
name = "more"
cop_density = 0.01
)"));
    const EpsteinArmSummary& none = r.arms[0].summary;
    const EpsteinArmSummary& some = r.arms[1].summary;
    const EpsteinArmSummary& more = r.arms[2].summary;
    CHECK(none.runs_extinct >= 18);  // nearly every run
    CHECK(none.median_extinction_step <= 30);
    CHECK(some.median_extinction_step >= 3 * none.median_extinction_step);
    CHECK(more.median_extinction_step >= 1.5 * some.median_extinction_step);
    CHECK(more.runs_extinct <= some.runs_extinct);
    // The survivors are one community only: the other has no one left.
    for (const EpsteinSeries& run : r.arms[0].runs) {
        CHECK(std::min(run.population[0].back(), run.population[1].back()) == 0);
    }
}
