#!/usr/bin/python3
"""Each faction's fighters in a run against the largest published estimate of its strength
(`peak_fighters_estimate` in data/derived/factions.csv, sources in data/derived/factions.md): the
model's national peak within the estimate's period, over the run's replicates, and its ratio to the
estimate. The estimates are never an input to the model; this is validation (docs/validation.md,
"Faction strength").

  /usr/bin/python3 scripts/faction_strength.py RUN.h5 [--factions data/derived/factions.csv] [--markdown]

RUN.h5 is an `iraqsim run` output holding `militia`. An estimate's period is its year ("2005"), its
years ("2006-2007": from 1 January of the first to 31 December of the last) or its month
("2008-05"). The model's figure is, for each replicate, the most national fighters in any week of
the period; the table gives their mean and 5-95% range over replicates, and where in the run the
ensemble mean peaks. "within 2x" is the Sons of Iraq claim's tolerance (docs/policies.md): the
published figures are themselves uncertain by about that much. Exit status 0 whatever the verdicts
(a report, not a test); 2 for a file that cannot be read or an estimate that cannot be parsed.
"""

import argparse
import calendar
import csv
import datetime
import re
import sys
from pathlib import Path

import h5py
import numpy as np
from record_dates import TimeUnitsError, record_dates

REPO = Path(__file__).resolve().parent.parent
TOLERANCE = 2.0
ESTIMATE = re.compile(r"^\s*(\d+)\s*\((\d{4})(?:-(\d{2})(?!\d))?(?:-(\d{4}))?[^)]*\)")


class Error(Exception):
    pass


def parse_estimate(text):
    """'60000 (2006-2007)' -> (60000, first day, last day) of the period the estimate is for."""
    m = ESTIMATE.match(text)
    if not m:
        raise Error(f"cannot read the estimate {text!r} (expected 'N (YYYY)', 'N (YYYY-YYYY)' or 'N (YYYY-MM)')")
    count, year, month, last_year = int(m[1]), int(m[2]), m[3], m[4]
    try:
        if month:
            first = datetime.date(year, int(month), 1)
            return count, first, first.replace(day=calendar.monthrange(year, int(month))[1])
        return count, datetime.date(year, 1, 1), datetime.date(int(last_year or year), 12, 31)
    except ValueError as e:
        raise Error(f"the period of {text!r} is not a date: {e}") from None


def read_estimates(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    estimates = {}
    for line, row in enumerate(rows, start=2):
        try:
            estimates[row["id"]] = (row["peak_fighters_estimate"],) + parse_estimate(row["peak_fighters_estimate"])
        except Error as e:
            raise Error(f"{path}:{line}: peak_fighters_estimate: {e}") from None
    return estimates


def read_run(path):
    try:
        with h5py.File(path, "r") as f:
            if "militia" not in f:
                raise Error(f"{path}: no 'militia' variable (run with it among output.variables)")
            militia = f["militia"][...]  # [replicate, time, province, faction]
            # As dates (datetime.date), compared with the estimates' periods.
            dates = record_dates(f, path).astype(object)
            factions = [x.decode() if isinstance(x, bytes) else str(x) for x in f["faction"][...]]
    except OSError as e:
        raise Error(f"{path}: {e}") from None
    except TimeUnitsError as e:
        raise Error(str(e)) from None
    return militia.sum(axis=2), dates, factions  # national fighters [replicate, time, faction]


def strength_table(national, dates, factions, estimates):
    rows = []
    for j, faction in enumerate(factions):
        if faction not in estimates:
            continue
        text, count, first, last = estimates[faction]
        inside = (dates >= first) & (dates <= last)
        mean_path = national[:, :, j].mean(axis=0)
        peak_week = int(mean_path.argmax())
        row = {"faction": faction, "estimate": text, "count": count, "peak_mean": float(mean_path[peak_week]),
               "peak_date": dates[peak_week].isoformat()}
        if inside.any():
            in_period = national[:, inside, j].max(axis=1)  # per replicate
            row.update(model=float(in_period.mean()), low=float(np.percentile(in_period, 5)),
                       high=float(np.percentile(in_period, 95)))
            ratio = row["model"] / count
            row["ratio"] = ratio
            row["verdict"] = ("within 2x" if 1 / TOLERANCE <= ratio <= TOLERANCE
                              else "low" if ratio < 1 / TOLERANCE else "high")
        else:
            row.update(model=None, ratio=None, verdict="period outside the run")
        rows.append(row)
    return rows


def print_table(rows, replicates, markdown):
    header = ["faction", "published estimate", "model in that period (5-95%)", "model/estimate", "verdict",
              "model's own peak (date)"]
    lines = []
    for r in rows:
        if r["model"] is None:
            model, ratio = "", ""
        else:
            model, ratio = f"{r['model']:,.0f} ({r['low']:,.0f}-{r['high']:,.0f})", f"{r['ratio']:.2f}"
        lines.append([r["faction"], r["estimate"], model, ratio, r["verdict"], f"{r['peak_mean']:,.0f} ({r['peak_date']})"])
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|---|---|---:|---:|---|---:|")
        for cells in lines:
            print("| " + " | ".join(cells) + " |")
    else:
        widths = [max(len(h), *(len(c[i]) for c in lines)) for i, h in enumerate(header)]
        for cells in [header] + lines:
            print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    print(f"\n{replicates} replicate(s); the model's figures are national fighters, the most in any week of the period.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="an iraqsim run output (HDF5) with the 'militia' variable")
    parser.add_argument("--factions", default=str(REPO / "data/derived/factions.csv"),
                        help="the factions table holding peak_fighters_estimate (default: the repository's)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    try:
        estimates = read_estimates(args.factions)
        national, dates, factions = read_run(args.run)
    except (Error, OSError) as e:
        print(f"faction_strength.py: {e}", file=sys.stderr)
        sys.exit(2)
    print_table(strength_table(national, dates, factions, estimates), national.shape[0], args.markdown)


if __name__ == "__main__":
    main()
