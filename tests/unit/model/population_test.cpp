// The population process: everyone accounted for, growth at its annual rate, flight scaled by
// killing, and the limits (no more deaths or flight than people).
#include <catch2/catch.hpp>

#include <cmath>

#include "iraqsim/model/population.hpp"

using iraqsim::model::PopulationParams;
using iraqsim::model::update_population;
using iraqsim::world::people_accounted;
using PopulationStocks = iraqsim::world::State;

namespace {

PopulationStocks stocks(Eigen::Index P, Eigen::Index C, double each) {
    PopulationStocks s;
    s.residents = Eigen::ArrayXXd::Constant(P, C, each);
    s.displaced = Eigen::ArrayXXd::Zero(P, C);
    s.refugees = Eigen::ArrayXd::Zero(C);
    s.violent_deaths = Eigen::ArrayXXd::Zero(P, C);
    s.tension = Eigen::ArrayXd::Ones(P);
    s.initial_population = s.residents.sum();
    return s;
}

}  // namespace

TEST_CASE("everyone is accounted for every week", "[model][population]") {
    PopulationStocks s = stocks(3, 2, 1e6);
    const double initial = people_accounted(s);
    const PopulationParams params;
    Eigen::ArrayXXd deaths(3, 2);
    deaths << 100, 0, 5, 2000, 0, 1e7;  // the last exceeds the residents: capped
    for (int week = 0; week < 300; ++week) {
        PopulationStocks next = s;
        update_population(s, next, week % 7 == 0 ? deaths : Eigen::ArrayXXd::Zero(3, 2), params);
        s = next;
        INFO("week " << week);
        REQUIRE(people_accounted(s) == Approx(initial + s.net_growth).epsilon(1e-12));
        REQUIRE((s.residents >= 0).all());
        REQUIRE((s.displaced >= 0).all());
    }
    CHECK(s.violent_deaths(2, 1) == Approx(1e6));  // a community cannot lose more than lives there
    CHECK(s.refugees.sum() > 0);
}

TEST_CASE("with no violence the population grows at its annual rate", "[model][population]") {
    PopulationStocks s = stocks(2, 2, 1e6);
    PopulationParams params;
    params.growth_per_year = 0.03;
    for (int week = 0; week < 522; ++week) {  // ten years
        PopulationStocks next = s;
        const auto flows = update_population(s, next, Eigen::ArrayXXd::Zero(2, 2), params);
        CHECK(flows.newly_displaced.sum() == 0);
        s = next;
    }
    CHECK(s.residents.sum() / 4e6 == Approx(std::pow(1.03, 522 / 52.1775)).epsilon(1e-9));
    CHECK(s.displaced.sum() == 0);
}

TEST_CASE("flight scales with killing, splits between displacement and exile, and returns", "[model][population]") {
    PopulationStocks s = stocks(1, 1, 1e6);
    PopulationParams params;
    params.growth_per_year = 0;
    params.displaced_per_death = 30;
    params.flight_tension_elasticity = 2;  // at tension 1: no effect
    params.refugee_share = 0.4;
    params.return_rate = 0.01;
    PopulationStocks next = s;
    const auto flows = update_population(s, next, Eigen::ArrayXXd::Constant(1, 1, 100.0), params);
    CHECK(flows.newly_displaced(0, 0) == Approx(3000));
    CHECK(next.refugees(0) == Approx(1200));
    CHECK(next.displaced(0, 0) == Approx(1800));
    CHECK(next.residents(0, 0) == Approx(1e6 - 100 - 3000));
    // A week later, with no killing, 1% of the displaced go home.
    PopulationStocks after = next;
    const auto quiet = update_population(next, after, Eigen::ArrayXXd::Zero(1, 1), params);
    CHECK(quiet.returned(0, 0) == Approx(18));
    CHECK(after.residents(0, 0) == Approx(next.residents(0, 0) + 18));
}

TEST_CASE("the same killing displaces more where sectarian tension is high", "[model][population]") {
    PopulationStocks s = stocks(2, 1, 1e6);
    s.tension << 1.0, 2.0;  // the second province after a shock
    PopulationParams params;
    params.displaced_per_death = 6;
    params.flight_tension_elasticity = 2;
    PopulationStocks next = s;
    const auto flows = update_population(s, next, Eigen::ArrayXXd::Constant(2, 1, 100.0), params);
    CHECK(flows.newly_displaced(0, 0) == Approx(600));
    CHECK(flows.newly_displaced(1, 0) == Approx(2400));  // 6 x 2^2 per death
    // With no elasticity tension does not matter.
    params.flight_tension_elasticity = 0;
    PopulationStocks flat = s;
    const auto same = update_population(s, flat, Eigen::ArrayXXd::Constant(2, 1, 100.0), params);
    CHECK(same.newly_displaced(1, 0) == Approx(600));
}
