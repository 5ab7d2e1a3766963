// The observed monthly series, national and by governorate, that `iraqsim calibrate` fits
// (docs/validation.md, "Data"). They are generated from data/observed/*.csv by scripts/gen_observed.py into
// sim/calibrate/observed_data.cpp and compiled in, like the world's data, so the binary never reads
// data/ at run time. The series end in December 2006: later months are kept back for validation.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace iraqsim::calibrate {

struct MonthlyValue {
    std::int16_t year;
    std::int8_t month;  // 1-12
    double value;
};

struct ObservedSeries {
    std::string_view name;         // "ibc", "sigact", "sigact_forces", "us_hostile_fatalities", "ibc_coalition", ...
    std::string_view file;         // "data/observed/....csv"
    std::string_view column;       // the column summed into the series
    std::string_view description;
    std::span<const MonthlyValue> values;  // months in order; a month without data is absent
};

// One governorate's month; `governorate` in the ESOC spelling (world::data::ProvinceRecord::esoc_name).
struct GovernorateValue {
    std::string_view governorate;
    std::int16_t year;
    std::int8_t month;
    double value;
};

struct GovernorateSeries {
    std::string_view name;  // "ibc_governorate", "sigact_governorate", "us_hostile_fatalities_governorate"
    std::string_view file;
    std::string_view column;
    std::string_view description;
    std::span<const GovernorateValue> values;  // by governorate, then month; unlocated incidents left out
};

std::span<const ObservedSeries> observed_series();
std::span<const GovernorateSeries> observed_governorate_series();
// The series of that name; core::Error (internal) when there is none.
const ObservedSeries& find_observed(std::string_view name);
const GovernorateSeries& find_governorate_observed(std::string_view name);

}  // namespace iraqsim::calibrate
