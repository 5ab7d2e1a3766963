// Summary metrics: national support weighted by residents; totals and peaks of weekly flows.
#include <catch2/catch.hpp>

#include "iraqsim/sweep/metrics.hpp"

using namespace iraqsim;

TEST_CASE("Metrics: final national support, and each flow's total and peak week", "[sweep][metrics]") {
    const world::Roster& roster = world::iraq_roster();
    const world::State state = world::make_initial_state(roster);
    const sweep::Metrics metrics = sweep::make_metrics(roster);
    REQUIRE(metrics.size() == roster.faction_count() + 2 * metrics.flows.size());
    CHECK(metrics.metrics.front().name == "final_support_" + roster.factions.front().id);

    std::vector<std::vector<float>> series;
    for (const output::VariableDef* flow : metrics.flows) {
        const std::size_t width = flow->size(roster);
        std::vector<float> weeks(3 * width, 0.0f);
        weeks[0] = 1.0f;              // week 0: 1
        weeks[width] = 2.0f;          // week 1: 2 + 3 = 5
        weeks[2 * width - 1] = 3.0f;
        weeks[2 * width] = 2.0f;      // week 2: 2
        series.push_back(weeks);
    }
    std::vector<const std::vector<float>*> flows;
    for (const auto& s : series) flows.push_back(&s);
    std::vector<double> out(metrics.size());
    sweep::compute_metrics(metrics, roster, state, flows, out);

    const Eigen::ArrayXXd support = world::support_by_province(roster, state);
    const Eigen::ArrayXd residents = state.residents.rowwise().sum();
    for (std::size_t f = 0; f < roster.faction_count(); ++f) {
        const double expected = (support.col(static_cast<Eigen::Index>(f)) * residents).sum() / residents.sum();
        CHECK(out[f] == Approx(expected));
        CHECK(out[f] >= 0.0);
        CHECK(out[f] <= 1.0);
    }
    for (std::size_t i = 0; i < metrics.flows.size(); ++i) {
        CHECK(out[roster.faction_count() + 2 * i] == 8.0);      // total
        CHECK(out[roster.faction_count() + 2 * i + 1] == 5.0);  // peak week
    }
}
