#include <catch2/catch.hpp>

#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/model/us_troops.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

using iraqsim::core::Date;
using iraqsim::core::days_since_origin;
using iraqsim::core::ModelError;
using iraqsim::model::TroopSeries;

namespace {

double day_of(const Date& d) { return static_cast<double>(days_since_origin(d)); }

}  // namespace

TEST_CASE("the embedded series places each month's level on its last day", "[model][us_troops]") {
    const TroopSeries series = TroopSeries::from_embedded_data();
    // data/forcing/us_troops_monthly_2003_2010.csv: 2007-10 171000, 2007-11 162000, 2007-09 168000.
    CHECK(series.at(Date{2007, 10, 31}) == 171000.0);
    CHECK(series.at(Date{2007, 11, 30}) == 162000.0);
    CHECK(series.at(Date{2007, 9, 30}) == 168000.0);
    // February's last day, in a leap year: 2008-02 157000, 2008-03 155000.
    CHECK(series.at(Date{2008, 2, 29}) == 157000.0);
    CHECK(series.at(Date{2008, 3, 31}) == 155000.0);

    const auto& points = series.points();
    REQUIRE(points.size() >= 100);
    CHECK(points.front().day == day_of(Date{2003, 5, 31}));
    CHECK(points.front().troops == 150000.0);
    CHECK(points.back().day == day_of(Date{2011, 12, 31}));
    CHECK(points.back().troops == 0.0);
    for (std::size_t i = 1; i < points.size(); ++i) CHECK(points[i].day > points[i - 1].day);
}

TEST_CASE("the series interpolates linearly between month ends", "[model][us_troops]") {
    const TroopSeries series = TroopSeries::from_embedded_data();
    // 2007-10-31 171000 to 2007-11-30 162000: 30 days.
    CHECK(series.at(Date{2007, 11, 15}) == Approx(171000.0 + 15.0 / 30.0 * (162000.0 - 171000.0)).epsilon(1e-12));
    CHECK(series.at(Date{2007, 11, 1}) == Approx(171000.0 - 9000.0 / 30.0).epsilon(1e-12));
    const double mid = series.at(Date{2007, 11, 20});
    CHECK(mid < 171000.0);
    CHECK(mid > 162000.0);
}

TEST_CASE("the series is 0 from the withdrawal on and constant before its first point", "[model][us_troops]") {
    const TroopSeries series = TroopSeries::from_embedded_data();
    CHECK(series.at(Date{2011, 12, 31}) == 0.0);
    CHECK(series.at(Date{2012, 1, 1}) == 0.0);
    CHECK(series.at(Date{2015, 6, 1}) == 0.0);
    CHECK(series.at(Date{2011, 12, 15}) > 0.0);  // 2011-11 12400 to 2011-12 0
    CHECK(series.at(Date{2011, 12, 15}) < 12400.0);

    const double first = series.at(Date{2003, 5, 31});
    CHECK(first == 150000.0);
    CHECK(series.at(Date{2003, 5, 1}) == first);
    CHECK(series.at(Date{2003, 1, 1}) == first);
    CHECK(series.at(Date{2001, 9, 11}) == first);
}

TEST_CASE("a hand-made series holds its ends and interpolates between points", "[model][us_troops]") {
    const TroopSeries series({{10.0, 100.0}, {20.0, 200.0}, {40.0, 0.0}});
    const Date origin = iraqsim::core::time_origin;
    CHECK(series.at(origin) == 100.0);
    CHECK(series.at(origin.plus_days(10)) == 100.0);
    CHECK(series.at(origin.plus_days(15)) == Approx(150.0).epsilon(1e-15));
    CHECK(series.at(origin.plus_days(20)) == 200.0);
    CHECK(series.at(origin.plus_days(30)) == Approx(100.0).epsilon(1e-15));
    CHECK(series.at(origin.plus_days(40)) == 0.0);
    CHECK(series.at(origin.plus_days(400)) == 0.0);

    const TroopSeries single({{5.0, 42.0}});
    CHECK(single.at(origin) == 42.0);
    CHECK(single.at(origin.plus_days(5)) == 42.0);
    CHECK(single.at(origin.plus_days(500)) == 42.0);
}

TEST_CASE("a series must have strictly increasing dates", "[model][us_troops]") {
    using Points = std::vector<TroopSeries::Point>;
    CHECK_THROWS_AS(TroopSeries(Points{}), ModelError);
    CHECK_THROWS_AS(TroopSeries(Points{{1.0, 5.0}, {1.0, 6.0}}), ModelError);
    CHECK_THROWS_AS(TroopSeries(Points{{2.0, 5.0}, {1.0, 6.0}}), ModelError);
    CHECK_THROWS_AS(TroopSeries(Points{{1.0, 5.0}, {3.0, 6.0}, {2.0, 7.0}}), ModelError);
    CHECK_NOTHROW(TroopSeries(Points{{1.0, 5.0}, {2.0, 6.0}}));
}
