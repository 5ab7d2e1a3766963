// Reading a calibration's posterior and drawing from it by weight (`iraqsim compare --posterior`).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "../support/temp_dir.hpp"
#include "../support/text.hpp"
#include "iraqsim/calibrate/posterior_sample.hpp"
#include "iraqsim/core/error.hpp"

using namespace iraqsim;
using iraqsim::test::contains;
using iraqsim::test::TempDir;

namespace {

std::filesystem::path write_posterior(const TempDir& dir, const std::string& text) {
    const std::filesystem::path file = dir / "posterior.csv";
    iraqsim::test::write_bytes(file, text);
    return file;
}

std::string error_of(const std::filesystem::path& file) {
    try {
        calibrate::read_posterior_sample(file);
    } catch (const core::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a posterior file gives its last population's particles with normalised weights", "[calibrate][posterior]") {
    const TempDir dir;
    const auto file = write_posterior(dir,
                                      "# comment\n"
                                      "population,particle,weight,distance,model.violence.attack_rate,model.forces.recruitment_rate\n"
                                      "0,0,1,2.5,0.1,0.02\n"
                                      "1,0,3,0.5,0.125,0.03\n"
                                      "1,1,1,0.6,0.0842094164142616,0.04\n");
    const calibrate::PosteriorSample s = calibrate::read_posterior_sample(file);
    CHECK(s.population == 1);
    REQUIRE(s.keys == std::vector<std::string>{"model.violence.attack_rate", "model.forces.recruitment_rate"});
    REQUIRE(s.weights.size() == 2);
    CHECK(s.weights[0] == Approx(0.75));
    CHECK(s.weights[1] == Approx(0.25));
    // Values go to --set exactly as written.
    CHECK(calibrate::particle_overrides(s, 1) ==
          std::vector<std::string>{"model.violence.attack_rate=0.0842094164142616", "model.forces.recruitment_rate=0.04"});
}

TEST_CASE("a malformed posterior file is refused with its name and line", "[calibrate][posterior]") {
    const TempDir dir;
    CHECK(contains(error_of(dir / "missing.csv"), "cannot read the posterior"));
    CHECK(contains(error_of(write_posterior(dir, "a,b,c\n1,2,3\n")), "posterior.csv:1: not a posterior"));
    const std::string header = "population,particle,weight,distance,model.violence.attack_rate\n";
    CHECK(contains(error_of(write_posterior(dir, header + "1,0,1,0.5\n")), "posterior.csv:2: 4 fields, the header has 5"));
    CHECK(contains(error_of(write_posterior(dir, header + "1,0,1,0.5,fast\n")), "posterior.csv:2: model.violence.attack_rate 'fast'"));
    CHECK(contains(error_of(write_posterior(dir, header + "1,0,-1,0.5,0.1\n")), "posterior.csv:2: weight must be >= 0"));
    CHECK(contains(error_of(write_posterior(dir, header)), "no particles"));
    CHECK(contains(error_of(write_posterior(dir, header + "1,0,0,0.5,0.1\n")), "sum to 0"));
}

TEST_CASE("draws by weight: each particle about weight x draws times, the same for the same seed", "[calibrate][posterior]") {
    const std::vector<double> weights{0.5, 0.25, 0.125, 0.125, 0.0};
    for (std::uint64_t seed : {0ULL, 1ULL, 2007ULL, 123456789ULL}) {
        const std::vector<std::size_t> picks = calibrate::draw_by_weight(weights, 16, seed);
        REQUIRE(picks.size() == 16);
        std::map<std::size_t, int> count;
        for (std::size_t i : picks) ++count[i];
        INFO("seed " << seed);
        // Systematic resampling: floor or ceil of w x draws; a weight of 0 is never drawn.
        CHECK(count[0] == 8);
        CHECK(count[1] == 4);
        CHECK(count[2] == 2);
        CHECK(count[3] == 2);
        CHECK(count[4] == 0);
        CHECK(calibrate::draw_by_weight(weights, 16, seed) == picks);
    }
    const std::vector<double> uneven{0.3, 0.7};
    int differ = 0;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const auto picks = calibrate::draw_by_weight(uneven, 5, seed);
        const auto first = std::count(picks.begin(), picks.end(), std::size_t{0});
        CHECK((first == 1 || first == 2));  // 0.3 x 5 = 1.5
        differ += first == 2;
    }
    CHECK(differ > 0);
    CHECK(differ < 20);  // the seed moves the grid
}
