#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "iraqsim/core/date.hpp"

using iraqsim::core::Date;
using iraqsim::core::days_since_origin;
using iraqsim::core::parse_iso_date;
using iraqsim::core::weeks_between;

TEST_CASE("parse_iso_date accepts valid YYYY-MM-DD dates", "[core][date]") {
    const auto d = parse_iso_date("2007-02-14");
    REQUIRE(d.has_value());
    CHECK(d->year == 2007);
    CHECK(d->month == 2);
    CHECK(d->day == 14);

    const auto first = parse_iso_date("2003-01-01");
    REQUIRE(first.has_value());
    CHECK(*first == Date{2003, 1, 1});

    const auto last = parse_iso_date("2011-12-31");
    REQUIRE(last.has_value());
    CHECK(*last == Date{2011, 12, 31});
}

TEST_CASE("parse_iso_date rejects impossible dates", "[core][date]") {
    CHECK_FALSE(parse_iso_date("2007-02-30").has_value());
    CHECK_FALSE(parse_iso_date("2007-13-01").has_value());
    CHECK_FALSE(parse_iso_date("2007-00-10").has_value());
    CHECK_FALSE(parse_iso_date("2007-04-31").has_value());
    CHECK_FALSE(parse_iso_date("2007-01-00").has_value());
    CHECK_FALSE(parse_iso_date("2007-01-32").has_value());
    CHECK_FALSE(parse_iso_date("0000-01-01").has_value());
}

TEST_CASE("parse_iso_date rejects malformed text", "[core][date]") {
    CHECK_FALSE(parse_iso_date("").has_value());
    CHECK_FALSE(parse_iso_date("2007-1-1").has_value());
    CHECK_FALSE(parse_iso_date("2007-01-1").has_value());
    CHECK_FALSE(parse_iso_date("2007-01-01x").has_value());
    CHECK_FALSE(parse_iso_date("2007-01-01 ").has_value());
    CHECK_FALSE(parse_iso_date(" 2007-01-01").has_value());
    CHECK_FALSE(parse_iso_date("2007-01-01T00:00").has_value());
    CHECK_FALSE(parse_iso_date("2007/01/01").has_value());
    CHECK_FALSE(parse_iso_date("20070101").has_value());
    CHECK_FALSE(parse_iso_date("2007-ab-01").has_value());
    CHECK_FALSE(parse_iso_date("2007--1-01").has_value());
    CHECK_FALSE(parse_iso_date("-007-01-01").has_value());
}

TEST_CASE("leap years follow the Gregorian rule", "[core][date]") {
    CHECK(parse_iso_date("2008-02-29").has_value());
    CHECK_FALSE(parse_iso_date("2007-02-29").has_value());
    CHECK(parse_iso_date("2000-02-29").has_value());       // divisible by 400
    CHECK_FALSE(parse_iso_date("1900-02-29").has_value());  // divisible by 100, not 400
    CHECK(Date{2004, 2, 29}.valid());
    CHECK_FALSE(Date{2010, 2, 29}.valid());
    CHECK_FALSE(Date{2010, 13, 1}.valid());
}

TEST_CASE("days_since_origin counts from 2003-01-01", "[core][date]") {
    CHECK(days_since_origin(Date{2003, 1, 1}) == 0);
    CHECK(days_since_origin(Date{2003, 1, 2}) == 1);
    CHECK(days_since_origin(Date{2003, 5, 1}) == 120);
    CHECK(days_since_origin(Date{2004, 1, 1}) == 365);
    CHECK(days_since_origin(Date{2005, 1, 1}) == 365 + 366);  // 2004 is a leap year
    CHECK(days_since_origin(Date{2002, 12, 31}) == -1);
    CHECK(Date{1970, 1, 1}.days_since_unix_epoch() == 0);
    CHECK(Date::from_days_since_unix_epoch(0) == Date{1970, 1, 1});
}

TEST_CASE("plus_days crosses month and year boundaries and round-trips", "[core][date]") {
    CHECK(Date{2007, 12, 31}.plus_days(1) == Date{2008, 1, 1});
    CHECK(Date{2008, 1, 1}.plus_days(-1) == Date{2007, 12, 31});
    CHECK(Date{2008, 2, 28}.plus_days(1) == Date{2008, 2, 29});
    CHECK(Date{2008, 2, 28}.plus_days(2) == Date{2008, 3, 1});
    CHECK(Date{2007, 2, 28}.plus_days(1) == Date{2007, 3, 1});
    CHECK(Date{2003, 5, 1}.plus_days(7) == Date{2003, 5, 8});
    CHECK(Date{2003, 1, 1}.plus_days(3286) == Date{2011, 12, 31});

    const Date start{2003, 5, 1};
    for (std::int64_t n = -800; n <= 4000; n += 37) {
        const Date moved = start.plus_days(n);
        INFO("n = " << n << ", moved = " << moved.iso());
        CHECK(moved.valid());
        CHECK(moved.plus_days(-n) == start);
        CHECK(days_since_origin(moved) - days_since_origin(start) == n);
    }
}

TEST_CASE("Date ordering and iso formatting", "[core][date]") {
    CHECK(Date{2007, 1, 31} < Date{2007, 2, 1});
    CHECK(Date{2006, 12, 31} < Date{2007, 1, 1});
    CHECK(Date{2007, 3, 1} > Date{2007, 2, 28});
    CHECK(Date{2007, 2, 3}.iso() == "2007-02-03");
    CHECK(Date{2011, 12, 31}.iso() == "2011-12-31");
    const auto parsed = parse_iso_date(Date{2009, 7, 4}.iso());
    REQUIRE(parsed.has_value());
    CHECK(*parsed == Date{2009, 7, 4});
}

TEST_CASE("weeks_between counts weeks whose first day is on or before the end", "[core][date]") {
    const Date start{2003, 5, 1};
    CHECK(weeks_between(start, start) == 1);
    CHECK(weeks_between(start, start.plus_days(6)) == 1);
    CHECK(weeks_between(start, start.plus_days(7)) == 2);
    CHECK(weeks_between(start, start.plus_days(13)) == 2);
    CHECK(weeks_between(start, start.plus_days(14)) == 3);
    CHECK(weeks_between(start, start.plus_days(-1)) == 0);
    CHECK(weeks_between(start, Date{2002, 1, 1}) == 0);
    // 2003-05-01 to 2011-12-31 is 3166 days: weeks starting on days 0, 7, ..., 3164.
    CHECK(weeks_between(start, Date{2011, 12, 31}) == 453);
}
