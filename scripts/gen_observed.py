#!/usr/bin/python3
"""Generate sim/calibrate/observed_data.cpp: the national monthly series of data/observed/ that
`iraqsim calibrate` fits (include/iraqsim/calibrate/observed.hpp; docs/validation.md).

The generated file is committed, so the library builds from sim/*.cpp alone; `--check` (a ctest)
fails when it no longer matches the CSV files. Python 3 standard library only; the output is
byte-for-byte deterministic.

  /usr/bin/python3 scripts/gen_observed.py --data data --out sim/calibrate/observed_data.cpp
  /usr/bin/python3 scripts/gen_observed.py --data data --out sim/calibrate/observed_data.cpp --check
"""

import argparse
import csv
import os
import sys
from collections import defaultdict

# name, file, column, how rows are combined (one row a month, or summed over governorates), description
SERIES = (
    ("ibc", "observed/ibc_monthly_2003_2006.csv", "ibc_max_official_table", "month",
     "IBC civilian deaths, national, monthly (the official table's maxima)"),
    ("ibc_incidents", "observed/ibc_monthly_2003_2006.csv", "n_incidents_by_start_month", "month",
     "IBC incidents, national, monthly (counted by the incident's start month)"),
    ("sigact", "observed/esoc_sigact_country_month_2004_2006.csv", "SIGACT", "month",
     "ESOC SIGACT records, national, monthly (from February 2004)"),
    ("sigact_forces", "observed/esoc_sigact_country_month_2004_2006.csv", "SIG_1", "month",
     "ESOC SIGACT records without attacks on civilians (SIG_1), national, monthly"),
    ("us_hostile_fatalities", "observed/us_military_fatalities_monthly_2003_2006.csv", "dodlist_hostile", "month",
     "US military hostile deaths in Iraq (DoD list), monthly"),
    ("war_logs_enemy_killed", "observed/wikileaks_iraq_war_logs_monthly_2004_2006.csv", "enemy_kia", "month",
     "WikiLeaks Iraq War Logs: enemies killed in action, monthly (from January 2004)"),
    ("war_logs_enemy_detained", "observed/wikileaks_iraq_war_logs_monthly_2004_2006.csv", "enemy_detained", "month",
     "WikiLeaks Iraq War Logs: enemies detained, monthly (from January 2004)"),
    ("ibc_coalition", "observed/esoc_ibc_civcas_governorate_month_2003_2006.csv", "coalition_deaths_max", "sum",
     "ESOC-coded IBC civilian deaths attributed to coalition forces, summed over governorates"),
    ("ibc_insurgent", "observed/esoc_ibc_civcas_governorate_month_2003_2006.csv", "insurgent_deaths_max", "sum",
     "ESOC-coded IBC civilian deaths attributed to insurgents, summed over governorates"),
    ("ibc_sectarian", "observed/esoc_ibc_civcas_governorate_month_2003_2006.csv", "sectarian_deaths_max", "sum",
     "ESOC-coded IBC civilian deaths attributed to sectarian militias, summed over governorates"),
)

# By governorate (ESOC spelling, as world::data::ProvinceRecord::esoc_name): name, file, the
# governorate column, the value column, description. Rows of unlocated incidents are left out.
GOVERNORATE_SERIES = (
    ("ibc_governorate", "observed/ibc_province_month_2003_2006.csv", "governorate_esoc", "deaths_max",
     "IBC civilian deaths by governorate and month (maxima)"),
    ("sigact_governorate", "observed/esoc_sigact_governorate_month_2004_2006.csv", "governorate", "SIGACT",
     "ESOC SIGACT records by governorate and month (from February 2004)"),
    ("us_hostile_fatalities_governorate", "observed/us_military_deaths_governorate_month_2003_2006.csv", "governorate",
     "hostile_deaths", "US military hostile deaths by governorate and month"),
)
UNLOCATED = "UNLOCATED"


def read_governorate_series(data_dir, file, governorate_column, column):
    rows = {}
    with open(os.path.join(data_dir, file), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            governorate = row[governorate_column].strip()
            if governorate == UNLOCATED:
                continue
            year, mon = (int(x) for x in row["month"].split("-"))
            if not (1 <= mon <= 12 and 2003 <= year <= 2006):
                sys.exit(f"gen_observed: {file}: bad month {row['month']!r}")
            text = row[column].strip()
            if text == "":
                continue
            key = (governorate, year, mon)
            if key in rows:
                sys.exit(f"gen_observed: {file}: {governorate} {row['month']} twice")
            value = float(text)
            if value < 0:
                sys.exit(f"gen_observed: {file}: negative {column} in {governorate} {row['month']}")
            rows[key] = value
    return sorted(rows.items())


def read_series(data_dir, file, column, mode):
    values = defaultdict(float)
    seen = set()
    with open(os.path.join(data_dir, file), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            month = row["month"]
            year, mon = (int(x) for x in month.split("-"))
            if not (1 <= mon <= 12 and 2003 <= year <= 2006):
                sys.exit(f"gen_observed: {file}: bad month {month!r}")
            text = row[column].strip()
            if text == "":
                continue
            value = float(text)
            if value < 0:
                sys.exit(f"gen_observed: {file}: negative {column} in {month}")
            if mode == "month":
                if month in seen:
                    sys.exit(f"gen_observed: {file}: month {month} twice")
                seen.add(month)
            values[(year, mon)] += value
    return sorted(values.items())


def render(data_dir):
    out = ["// Generated by scripts/gen_observed.py from data/observed/ (sources and licences in the files'",
           "// .md and data/NOTICE.md). Do not edit: regenerate, and the ctest `calibrate: observed data",
           "// matches data/observed` checks that this file matches the CSV files.",
           '#include "iraqsim/calibrate/observed.hpp"',
           "",
           "namespace iraqsim::calibrate {",
           "namespace {",
           ""]
    for name, file, column, mode, _ in SERIES:
        rows = read_series(data_dir, file, column, mode)
        out.append(f"constexpr MonthlyValue {name}_values[] = {{")
        for (year, mon), value in rows:
            out.append(f"    {{{year}, {mon}, {value!r}}},")
        out.append("};")
        out.append("")
    for name, file, governorate_column, column, _ in GOVERNORATE_SERIES:
        rows = read_governorate_series(data_dir, file, governorate_column, column)
        out.append(f"constexpr GovernorateValue {name}_values[] = {{")
        for (governorate, year, mon), value in rows:
            out.append(f'    {{"{governorate}", {year}, {mon}, {value!r}}},')
        out.append("};")
        out.append("")
    out.append("}  // namespace")
    out.append("")
    out.append("std::span<const GovernorateSeries> observed_governorate_series() {")
    out.append("    static const GovernorateSeries series[] = {")
    for name, file, _, column, description in GOVERNORATE_SERIES:
        out.append(f'        {{"{name}", "data/{file}", "{column}", "{description}", {name}_values}},')
    out.append("    };")
    out.append("    return series;")
    out.append("}")
    out.append("")
    out.append("std::span<const ObservedSeries> observed_series() {")
    out.append("    static const ObservedSeries series[] = {")
    for name, file, column, _, description in SERIES:
        out.append(f'        {{"{name}", "data/{file}", "{column}", "{description}", {name}_values}},')
    out.append("    };")
    out.append("    return series;")
    out.append("}")
    out.append("")
    out.append("}  // namespace iraqsim::calibrate")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--check", action="store_true", help="fail if OUT differs from what would be generated")
    args = parser.parse_args()
    text = render(args.data)
    if args.check:
        with open(args.out, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"gen_observed: {args.out} is out of date: run scripts/gen_observed.py")
        print(f"gen_observed: {args.out} matches {args.data}/observed")
        return
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
