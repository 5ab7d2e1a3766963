// The troop plan: the data as history, and the counterfactual paths when a scenario removes or
// resizes a historical troop event.
#include <catch2/catch.hpp>

#include "iraqsim/model/troop_plan.hpp"
#include "iraqsim/scenario/loader.hpp"

using iraqsim::core::Date;
using iraqsim::model::TroopPlan;
using iraqsim::model::TroopSeries;

namespace {

struct Fixture {
    iraqsim::scenario::Scenario baseline = iraqsim::scenario::default_scenario();
    TroopSeries data = TroopSeries::from_embedded_data();

    TroopPlan plan(const std::vector<std::string>& sets) const {
        const auto s = iraqsim::scenario::load_scenario(std::nullopt, sets);
        return iraqsim::model::build_troop_plan(data, s.world, s.start, s.week_count(), s.events, baseline.events,
                                                s.params.us_troops);
    }
    int week(const Date& d) const {
        return static_cast<int>((d.days_since_unix_epoch() - baseline.start.days_since_unix_epoch() + 6) / 7);
    }
    Date date(int k) const { return baseline.start.plus_days(7 * static_cast<std::int64_t>(k)); }
    std::size_t province(const char* id) const { return baseline.world.find_province(id)->index(); }
};

}  // namespace

TEST_CASE("the historical plan follows the troop data until the final withdrawal", "[model][troop_plan]") {
    const Fixture f;
    const TroopPlan plan = f.plan({});
    const int last_full = f.week(Date{2011, 10, 20});
    for (int k = 0; k <= last_full; ++k) {
        INFO(f.date(k).iso());
        CHECK(plan.troops.row(k).sum() == Approx(f.data.at(f.date(k))).epsilon(1e-9));
    }
    // The withdrawal ends on 2011-12-18, before the month-end data reaches zero.
    CHECK(plan.troops.row(f.week(Date{2011, 12, 18})).sum() == Approx(0).margin(1e-6));
    for (int k = last_full; k < plan.troops.rows(); ++k) CHECK(plan.troops.row(k).sum() <= f.data.at(f.date(k)) + 1e-6);
    CHECK((plan.troops >= 0).all());
}

TEST_CASE("the surge's troops go to Baghdad and Anbar, dispersed into outposts", "[model][troop_plan]") {
    const Fixture f;
    const TroopPlan plan = f.plan({});
    const int before = f.week(Date{2006, 12, 1}), peak = f.week(Date{2007, 10, 25});
    const auto baghdad = static_cast<Eigen::Index>(f.province("baghdad"));
    const auto basra = static_cast<Eigen::Index>(f.province("basra"));
    const double share_before = plan.troops(before, baghdad) / plan.troops.row(before).sum();
    const double share_peak = plan.troops(peak, baghdad) / plan.troops.row(peak).sum();
    CHECK(share_peak > share_before + 0.05);
    // The rest of the country keeps its pre-surge strength (the January 2007 level times its share).
    CHECK(plan.troops(peak, basra) == Approx(plan.troops(f.week(Date{2007, 1, 11}), basra)).epsilon(0.02));
    CHECK(plan.posture(before, baghdad) == Approx(0.1));
    CHECK(plan.posture(peak, baghdad) == Approx(0.5));
    CHECK(plan.posture(peak, basra) == Approx(0.1));
    CHECK(plan.posture(f.week(Date{2009, 7, 9}), baghdad) == Approx(0.05));
}

TEST_CASE("removing the surge holds the January 2007 level", "[model][troop_plan]") {
    const Fixture f;
    const TroopPlan plan = f.plan({"event.surge_2007.enabled=false"});
    const TroopPlan history = f.plan({});
    const double january = f.data.at(Date{2007, 1, 10});
    for (int k = f.week(Date{2007, 1, 11}); k < f.week(Date{2009, 1, 1}); ++k) {
        INFO(f.date(k).iso());
        CHECK(plan.troops.row(k).sum() <= january + 1e-6);
        CHECK(plan.troops.row(k).sum() <= history.troops.row(k).sum() + 1e-6);
    }
    for (int k = 0; k < f.week(Date{2007, 1, 10}); ++k) CHECK(plan.troops.row(k).sum() == Approx(history.troops.row(k).sum()));
    CHECK(plan.posture(f.week(Date{2007, 10, 25}), static_cast<Eigen::Index>(f.province("baghdad"))) == Approx(0.1));
}

TEST_CASE("a counterfactual surge adds its total, and a rapid drawdown reaches its target", "[model][troop_plan]") {
    const Fixture f;
    const TroopPlan bigger = f.plan({"event.surge_2007.total=50000"});
    const TroopPlan none = f.plan({"event.surge_2007.enabled=false"});
    const int full = f.week(Date{2007, 9, 6});
    CHECK(bigger.troops.row(full).sum() - none.troops.row(full).sum() == Approx(50000).epsilon(1e-9));

    const TroopPlan rapid = f.plan({"event.drawdown_2008.target=0", "event.drawdown_2008.by=2008-12-31"});
    CHECK(rapid.troops.row(f.week(Date{2009, 1, 1})).sum() == Approx(0).margin(1e-6));
    const double mid = rapid.troops.row(f.week(Date{2008, 6, 30})).sum();
    CHECK(mid < f.data.at(Date{2008, 6, 30}));
    CHECK(mid > 0);
}

TEST_CASE("removing the final withdrawal keeps the troops of its date", "[model][troop_plan]") {
    const Fixture f;
    const TroopPlan plan = f.plan({"event.withdrawal_2011.enabled=false"});
    const int k0 = f.week(Date{2011, 10, 21});
    const double level = plan.troops.row(k0).sum();
    CHECK(level > 20000);
    CHECK(plan.troops.row(plan.troops.rows() - 1).sum() == Approx(level));
}
