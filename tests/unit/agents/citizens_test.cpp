// Citizen agents (agents/citizen_*.hpp): the population at week 0, the synchronous step, its
// determinism at any thread count, conservation, valid states and Epstein's thresholds.
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>

#include <cmath>
#include <vector>

#include "iraqsim/agents/citizen_engine.hpp"
#include "iraqsim/agents/citizen_population.hpp"
#include "iraqsim/agents/citizen_step.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/model/loyalty_forces.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/embedded_data.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using namespace iraqsim::agents;
using iraqsim::world::State;

namespace {

const iraqsim::world::Roster& iraq() { return iraqsim::world::iraq_roster(); }

const State& iraq_start() {
    static const State s = iraqsim::engine::compile_model(iraqsim::scenario::default_scenario(), iraq()).initial_state;
    return s;
}

// A world held fixed for the test: last week and this week the same, with perceived legitimacy
// (tips) and the security forces set everywhere.
State fixed_world(double legitimacy, double forces_scale) {
    State s = iraq_start();
    s.tips.setConstant(legitimacy);
    s.us_troops *= forces_scale;
    s.militia *= forces_scale;
    return s;
}

struct Run {
    std::vector<std::uint8_t> state, loyalty, timer;
    std::vector<CitizenCounts> counts;
};

Run run_fixed(const State& world, const CitizenParams& params, double persons_per_agent, int weeks, int threads,
              std::uint64_t seed = 7) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    State initial = world;
    CitizenEngine engine(iraq(), initial, params, persons_per_agent, seed, 0);
    Run run;
    State prev = initial;
    for (int week = 1; week <= weeks; ++week) {
        State next = prev;
        engine.step(prev, next, iraqsim::model::LoyaltyForceParams{}, week);
        // The step counts only the citizens that change: the counts must be those of a full tally.
        REQUIRE(engine.counts().n == count_citizens(engine.citizens()).n);
        run.counts.push_back(engine.counts());
        prev = std::move(next);
    }
    const CitizenPopulation& z = engine.citizens();
    run.state = z.state;
    run.loyalty = z.loyalty;
    run.timer = z.timer;
    return run;
}

std::uint64_t total_in(const CitizenCounts& counts, CitizenState s) {
    std::uint64_t n = 0;
    for (std::size_t b = 0; b < counts.block_count; ++b) n += counts.in_state(b, s);
    return n;
}

}  // namespace

TEST_CASE("the embedded world has 104 districts that cover every province", "[citizens]") {
    const auto districts = iraqsim::world::data::districts();
    REQUIRE(districts.size() == 104);
    std::vector<double> population(iraq().province_count(), 0.0);
    for (const auto& d : districts) {
        REQUIRE(d.province < iraq().province_count());
        double share = 0;
        for (const double x : d.community_share) share += x;
        CHECK(share == Approx(1.0).margin(1e-9));
        population[d.province] += d.population_2007;
    }
    for (std::size_t p = 0; p < population.size(); ++p)
        CHECK(population[p] == Approx(iraq().provinces[p].population_2007).epsilon(1e-6));
}

TEST_CASE("citizens are allocated to districts exactly, one per persons_per_agent", "[citizens]") {
    const State& s = iraq_start();
    const double ppa = 100;
    const std::vector<std::uint64_t> agents = allocate_citizens(iraq(), s, ppa);
    const std::size_t C = iraq().community_count();
    const auto districts = iraqsim::world::data::districts();
    for (std::size_t p = 0; p < iraq().province_count(); ++p) {
        for (std::size_t c = 0; c < C; ++c) {
            std::uint64_t n = 0;
            for (std::size_t d = 0; d < districts.size(); ++d)
                if (districts[d].province == p) n += agents[d * C + c];
            const auto pi = static_cast<Eigen::Index>(p), ci = static_cast<Eigen::Index>(c);
            CHECK(n == static_cast<std::uint64_t>(std::llround((s.residents(pi, ci) + s.displaced(pi, ci)) / ppa)));
        }
    }
}

TEST_CASE("week 0 citizens reproduce the aggregate loyalty they were drawn from", "[citizens]") {
    State initial = iraq_start();
    const CitizenEngine engine(iraq(), initial, CitizenParams{}, 50, 3, 0);
    CHECK(engine.citizens().size() > 500000);
    CHECK(engine.counts().total() == engine.citizens().size());
    // Baghdad's Shia Arabs: the sampled shares are within a few standard errors of the aggregate's.
    const auto P = static_cast<Eigen::Index>(iraq().province_count());
    const auto p = static_cast<Eigen::Index>(iraq().find_province("baghdad")->index());
    const auto c = static_cast<Eigen::Index>(iraq().find_community("shia_arab")->index());
    const double members = iraq_start().residents(p, c) / 50;
    for (Eigen::Index f = 0; f < initial.loyalty.cols(); ++f) {
        const double expected = iraq_start().loyalty(c * P + p, f);
        const double se = std::sqrt(expected * (1 - expected) / members);
        CHECK(std::fabs(initial.loyalty(c * P + p, f) - expected) <= 5 * se + 1e-12);
    }
}

TEST_CASE("citizens step to the same bytes at 1 and 2 threads", "[citizens]") {
    const State world = fixed_world(0.3, 0.2);
    CitizenParams params;
    params.arrests_per_1000_forces = 500;  // enough detentions to exercise the arrest path at this scale
    const Run one = run_fixed(world, params, 100, 6, 1);
    const Run two = run_fixed(world, params, 100, 6, 2);
    CHECK(one.state == two.state);
    CHECK(one.loyalty == two.loyalty);
    CHECK(one.timer == two.timer);
    for (std::size_t w = 0; w < one.counts.size(); ++w) CHECK(one.counts[w].n == two.counts[w].n);
    // And something happened: actives and detentions, so the comparison is not of idle arrays.
    CHECK(total_in(one.counts.back(), CitizenState::supporter) + total_in(one.counts.back(), CitizenState::fighter) > 0);
    CHECK(total_in(one.counts.back(), CitizenState::detained) > 0);
    // Another seed gives other citizens.
    const Run other = run_fixed(world, params, 100, 6, 2, 8);
    CHECK(other.state != one.state);
}

TEST_CASE("citizens are conserved and their states stay valid", "[citizens]") {
    CitizenParams params;
    params.max_detention_weeks = 10;
    params.arrests_per_1000_forces = 500;
    const Run run = run_fixed(fixed_world(0.2, 0.5), params, 200, 12, 2);
    const std::uint64_t n = run.state.size();
    for (const CitizenCounts& counts : run.counts) {
        CHECK(counts.total() == n);
    }
    // Block totals never change: citizens keep their home district and community.
    for (std::size_t b = 0; b < run.counts.front().block_count; ++b) {
        std::uint64_t first = 0, last = 0;
        for (std::size_t s = 0; s < citizen_state_count; ++s) {
            first += run.counts.front().in_state(b, static_cast<CitizenState>(s));
            last += run.counts.back().in_state(b, static_cast<CitizenState>(s));
        }
        REQUIRE(first == last);
    }
    std::vector<bool> opposition(iraq().faction_count());
    for (std::size_t f = 0; f < opposition.size(); ++f) opposition[f] = iraqsim::model::fights_security_forces(iraq(), f);
    for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(run.state[i] < citizen_state_count);
        REQUIRE((run.loyalty[i] == no_faction || run.loyalty[i] < iraq().faction_count()));
        const auto s = static_cast<CitizenState>(run.state[i]);
        if (s == CitizenState::detained) REQUIRE(run.timer[i] <= params.max_detention_weeks);
        else REQUIRE(run.timer[i] == 0);
        // Only citizens loyal to a faction that fights the security forces turn active.
        if (s == CitizenState::supporter || s == CitizenState::fighter) REQUIRE(opposition[run.loyalty[i]]);
    }
}

TEST_CASE("full legitimacy leaves no citizen active", "[citizens]") {
    const Run run = run_fixed(fixed_world(1.0, 0.0), CitizenParams{}, 200, 4, 2);
    for (const CitizenCounts& counts : run.counts) {
        CHECK(total_in(counts, CitizenState::supporter) == 0);
        CHECK(total_in(counts, CitizenState::fighter) == 0);
        CHECK(total_in(counts, CitizenState::detained) == 0);
    }
}

TEST_CASE("without legitimacy or forces, hardship alone sorts supporters from fighters", "[citizens]") {
    // No risk: net grievance = H, so among citizens loyal to an armed opposition, H > 0.4 fight
    // (60%) and 0.1 < H <= 0.4 support (30%), and nobody is detained.
    const Run run = run_fixed(fixed_world(0.0, 0.0), CitizenParams{}, 100, 1, 2);
    std::vector<bool> opposition(iraq().faction_count());
    for (std::size_t f = 0; f < opposition.size(); ++f) opposition[f] = iraqsim::model::fights_security_forces(iraq(), f);
    double eligible = 0, fighters = 0, supporters = 0;
    for (std::size_t i = 0; i < run.state.size(); ++i) {
        const auto s = static_cast<CitizenState>(run.state[i]);
        if (run.loyalty[i] == no_faction || !opposition[run.loyalty[i]] || s == CitizenState::displaced) continue;
        eligible += 1;
        fighters += s == CitizenState::fighter ? 1 : 0;
        supporters += s == CitizenState::supporter ? 1 : 0;
    }
    REQUIRE(eligible > 10000);
    CHECK(fighters / eligible == Approx(0.6).margin(0.02));
    CHECK(supporters / eligible == Approx(0.3).margin(0.02));
}

TEST_CASE("more security forces deter more citizens", "[citizens]") {
    auto actives = [](double forces) {
        const Run run = run_fixed(fixed_world(0.2, forces), CitizenParams{}, 200, 1, 2);
        return total_in(run.counts.back(), CitizenState::supporter) + total_in(run.counts.back(), CitizenState::fighter);
    };
    const std::uint64_t none = actives(0.0), some = actives(0.01), many = actives(0.1);
    CHECK(none > some);
    CHECK(some > many);
}

TEST_CASE("with no forces acting, reconsidered loyalty stays at its anchor", "[citizens]") {
    CitizenParams params;
    params.revision_rate = 0.5;  // half the citizens reconsider each week: a strong test of stationarity
    State world = fixed_world(0.5, 1.0);
    // No violence, patronage or nationalism: only the anchor and the (unchanged) district peers.
    world.civilians_killed_by.setZero();
    world.civilians_killed_by_us.setZero();
    world.home_revenue.setZero();
    world.backing.setZero();
    world.nationalism.setZero();
    world.defection.setZero();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    State initial = world;
    CitizenEngine engine(iraq(), initial, params, 50, 11, 0);
    const Eigen::ArrayXXd week0 = initial.loyalty;
    State prev = initial;
    for (int week = 1; week <= 20; ++week) {
        State next = prev;
        engine.step(prev, next, iraqsim::model::LoyaltyForceParams{}, week);
        prev = std::move(next);
    }
    // National support by faction moves by less than half a percentage point.
    State at_week0 = world;
    at_week0.loyalty = week0;
    const Eigen::ArrayXXd before = iraqsim::world::support_by_province(iraq(), at_week0);
    const Eigen::ArrayXXd after = iraqsim::world::support_by_province(iraq(), prev);
    const Eigen::ArrayXd pop = world.residents.rowwise().sum();
    for (Eigen::Index f = 0; f < before.cols(); ++f) {
        const double b = (before.col(f) * pop).sum() / pop.sum(), a = (after.col(f) * pop).sum() / pop.sum();
        CHECK(a == Approx(b).margin(0.005));
    }
}

TEST_CASE("probability thresholds are exact at 0 and 1", "[citizens]") {
    CHECK(probability_threshold(0.0) == 0);
    CHECK(probability_threshold(-1.0) == 0);
    CHECK(probability_threshold(1.0) == (1ULL << 32));
    CHECK(probability_threshold(0.5) == (1ULL << 31));
}
