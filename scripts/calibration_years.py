#!/usr/bin/python3
"""Yearly sums of a calibration's fit (DIR/fit.csv of `iraqsim calibrate`): the observed series
against the model at the posterior mean, by target and year, as a Markdown table.

  /usr/bin/python3 scripts/calibration_years.py DIR/fit.csv [OTHER/fit.csv ...]

With several files, the model columns of each follow the observed one (for example the defaults
against the calibrated parameters). Monthly targets are summed over the months of each year
present in the data; ibc_categories are shares and are shown as they are, and so are the governorate
shares (`*_governorate_shares`) of the governorates holding at least 5% of a year's observed total.
Python 3 standard library only.
"""

import csv
import sys
from collections import OrderedDict


def read(path):
    rows = OrderedDict()
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            target, moment = r["target"], r["moment"]
            if target == "ibc_categories":
                year, category = moment.split(" ")
                key = (f"ibc share {category}", year)
                rows[key] = [float(r["observed"]), float(r["simulated"]), "share"]
            elif target.endswith("_governorate_shares"):
                province, year = moment.split(" ")
                if float(r["observed"]) >= 0.05:
                    rows[(f"{target} {province}", year)] = [float(r["observed"]), float(r["simulated"]), "share"]
            else:
                key = (target, moment.split(" ")[-1][:4])
                o, s, _ = rows.get(key, [0.0, 0.0, "sum"])
                rows[key] = [o + float(r["observed"]), s + float(r["simulated"]), "sum"]
    return rows


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tables = [read(p) for p in sys.argv[1:]]
    header = "| target | year | observed | " + " | ".join(f"model ({p})" for p in sys.argv[1:]) + " |"
    print(header)
    print("|---|---|" + "---:|" * (1 + len(tables)))
    for key, (observed, _, kind) in tables[0].items():
        fmt = (lambda x: f"{x:.3f}") if kind == "share" else (lambda x: f"{x:,.0f}")
        cells = [fmt(t[key][1]) if key in t else "" for t in tables]
        print(f"| {key[0]} | {key[1]} | {fmt(observed)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
