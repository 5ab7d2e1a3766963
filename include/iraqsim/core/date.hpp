// Calendar dates and the weekly clock. Time in outputs is days since 2003-01-01 (the CF
// convention xarray decodes); the model steps one week at a time from the scenario's start.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iraqsim::core {

struct Date {
    int year = 2003;
    int month = 1;  // 1-12
    int day = 1;    // 1-31

    constexpr auto operator<=>(const Date&) const = default;

    // Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    [[nodiscard]] std::int64_t days_since_unix_epoch() const;
    [[nodiscard]] static Date from_days_since_unix_epoch(std::int64_t days);
    [[nodiscard]] Date plus_days(std::int64_t days) const;
    [[nodiscard]] std::string iso() const;  // YYYY-MM-DD
    [[nodiscard]] bool valid() const;
};

// Parses YYYY-MM-DD and rejects impossible dates (2007-02-30).
std::optional<Date> parse_iso_date(std::string_view text);

// The output's time origin: "days since 2003-01-01".
inline constexpr Date time_origin{2003, 1, 1};
inline constexpr const char* time_units = "days since 2003-01-01";

// Days from the time origin to a date.
std::int64_t days_since_origin(const Date& d);

// Number of whole weeks from start such that the last week's 7 days begin on or before end.
int weeks_between(const Date& start, const Date& end);

}  // namespace iraqsim::core
