// Summary metrics: national support weighted by residents, fighters by faction, and each weekly
// flow's total, peak week and calendar-year totals.
#include <catch2/catch.hpp>

#include <algorithm>

#include "iraqsim/sweep/metrics.hpp"

using namespace iraqsim;

TEST_CASE("Metrics: final support and militia, and each flow's total, peak week and years", "[sweep][metrics]") {
    const world::Roster& roster = world::iraq_roster();
    const world::State state = world::make_initial_state(roster);
    // Four weekly records: 2006-12-21 and -28 fall in 2006, 2007-01-04 and -11 in 2007.
    const sweep::Metrics metrics = sweep::make_metrics(roster, core::Date{2006, 12, 21}, 4);
    REQUIRE(metrics.years == std::vector<int>{2006, 2007});
    REQUIRE(metrics.record_year == std::vector<std::size_t>{0, 0, 1, 1});
    const std::size_t factions = roster.faction_count();
    REQUIRE(metrics.size() == 2 * factions + metrics.flows.size() * (2 + 2));
    CHECK(metrics.metrics.front().name == "final_support_" + roster.factions.front().id);
    CHECK(metrics.metrics[factions].name == "final_militia_" + roster.factions.front().id);
    REQUIRE(metrics.flows.size() == 3);
    CHECK(metrics.metrics[2 * factions].name == "total_civilian_deaths");
    CHECK(metrics.metrics[2 * factions + 1].name == "peak_civilian_deaths");
    CHECK(metrics.metrics[2 * factions + 2].name == "civilian_deaths_2006");
    CHECK(metrics.metrics[2 * factions + 3].name == "civilian_deaths_2007");
    CHECK(metrics.metrics[2 * factions + 4 * 2 + 1].name == "peak_us_fatalities");
    CHECK(metrics.metrics[2 * factions + 4 * 2 + 1].units == "persons/week");
    CHECK(metrics.metrics[2 * factions + 4 * 2].units == "persons");

    std::vector<std::string> groups;
    for (const sweep::MetricGroup& g : metrics.groups) {
        groups.push_back(g.name);
        CHECK(metrics.metrics[g.first].units == g.units);
    }
    CHECK(groups == std::vector<std::string>{"final_support", "final_militia", "total_civilian_deaths", "peak_civilian_deaths",
                                             "civilian_deaths_by_year", "total_attacks", "peak_attacks", "attacks_by_year",
                                             "total_us_fatalities", "peak_us_fatalities", "us_fatalities_by_year"});
    CHECK(metrics.groups[4].dim == sweep::GroupDim::year);
    CHECK(metrics.groups[4].count == 2);
    CHECK(metrics.groups[1].dim == sweep::GroupDim::faction);
    CHECK(metrics.groups[1].count == factions);

    std::vector<std::vector<float>> series;
    for (const output::VariableDef* flow : metrics.flows) {
        const std::size_t width = flow->size(roster);
        std::vector<float> weeks(4 * width, 0.0f);
        weeks[0] = 1.0f;              // week 0: 1
        weeks[width] = 2.0f;          // week 1: 2 + 3 = 5
        weeks[2 * width - 1] = 3.0f;
        weeks[2 * width] = 2.0f;      // week 2: 2; week 3: 0
        series.push_back(weeks);
    }
    std::vector<const std::vector<float>*> flows;
    for (const auto& s : series) flows.push_back(&s);
    std::vector<double> out(metrics.size());
    sweep::compute_metrics(metrics, roster, state, flows, out);

    const Eigen::ArrayXXd support = world::support_by_province(roster, state);
    const Eigen::ArrayXd residents = state.residents.rowwise().sum();
    for (std::size_t f = 0; f < factions; ++f) {
        const auto column = static_cast<Eigen::Index>(f);
        CHECK(out[f] == Approx((support.col(column) * residents).sum() / residents.sum()));
        CHECK(out[factions + f] == Approx(state.militia.col(column).sum()));
    }
    for (std::size_t i = 0; i < metrics.flows.size(); ++i) {
        const std::size_t at = 2 * factions + 4 * i;
        CHECK(out[at] == 8.0);      // total
        CHECK(out[at + 1] == 5.0);  // peak week
        CHECK(out[at + 2] == 6.0);  // 2006
        CHECK(out[at + 3] == 2.0);  // 2007
    }
}

TEST_CASE("Metrics are selected by their name or by their group's", "[sweep][metrics]") {
    const world::Roster& roster = world::iraq_roster();
    const sweep::Metrics metrics = sweep::make_metrics(roster, core::Date{2006, 12, 21}, 4);
    const std::size_t factions = roster.faction_count();
    const std::size_t attacks = 2 * factions + 4;  // total_attacks, after civilian deaths' four
    CHECK(sweep::select_metrics(metrics, "total_attacks") == std::vector<std::size_t>{attacks});
    CHECK(sweep::select_metrics(metrics, "attacks_2007") == std::vector<std::size_t>{attacks + 3});
    CHECK(sweep::select_metrics(metrics, "attacks_by_year") == std::vector<std::size_t>{attacks + 2, attacks + 3});
    CHECK(sweep::select_metrics(metrics, "final_militia").size() == factions);
    CHECK(sweep::select_metrics(metrics, "final_militia").front() == factions);
    CHECK(sweep::select_metrics(metrics, "attacks").empty());
    CHECK(sweep::select_metrics(metrics, "attacks_2008").empty());
    const std::vector<std::string> names = sweep::metric_and_group_names(metrics);
    CHECK(names.size() == metrics.groups.size() + metrics.size() - 6);  // six groups are single metrics of their own name
    CHECK(std::count(names.begin(), names.end(), "peak_attacks") == 1);
}
