#!/usr/bin/python3
"""Morris screening of a sweep against the calibration's targets (docs/validation.md, "Screening").

  /usr/bin/python3 scripts/screening_metrics.py SWEEP_DIR/sweep.h5 [--top N] [--csv OUT.csv]

A sweep's own summary metrics count true violence, while the calibration compares the observation
process's reports with the data. So this script takes the reported series a Morris sweep kept
(`reported_civilian_deaths`, `reported_attacks`, `us_fatalities`,
`reported_civilian_deaths_sectarian`, as scenarios/sweeps/screening-calibration.toml keeps them),
turns each run into the targets' metrics (log yearly sums for 2004-2006, the 2005-to-2006 growth
of reported civilian deaths, the yearly sectarian share of the reported civilian deaths, and when
the sweep kept `reported_enemy_killed` and `reported_enemy_detained`, the War Logs' removals as log
yearly sums of the two), and
computes the elementary effects itself: each pair of consecutive points of a trajectory differs
in one parameter, and its effect is the change in the metric (mean over replicates) divided by
the step in the unit hypercube. mu* is the mean absolute effect, sigma the effects' standard
deviation (Campolongo, Cariboni and Saltelli 2007).

Prints, per parameter, mu* and sigma by target (mean over the target's years) and a score: the
largest mu* over targets, each target's mu* scaled by its largest over parameters. Parameters are
listed by score, the highest first.
"""

import argparse
import sys

import h5py
import numpy as np
from record_dates import record_dates

YEARS = (2004, 2005, 2006)
SERIES = {
    "ibc": "reported_civilian_deaths",
    "sigact": "reported_attacks",
    "us": "us_fatalities",
}
SECTARIAN = "reported_civilian_deaths_sectarian"
# The War Logs' removals, used when the sweep kept them.
REMOVALS = {
    "killed": "reported_enemy_killed",
    "detained": "reported_enemy_detained",
}


def record_years(f):
    """The calendar year of each weekly record (record w is dated start + 7 w)."""
    return record_dates(f).astype("datetime64[Y]").astype(int) + 1970


def yearly_sums(f, name, years):
    """[run, year] sums over provinces and weeks, averaged over replicates."""
    data = f[name][...]                     # run, replicate, time, province
    national = data.sum(axis=3).mean(axis=1)  # run, time
    return np.stack([national[:, years == y].sum(axis=1) for y in YEARS], axis=1)


def run_metrics(f):
    years = record_years(f)
    metrics = {}
    series = dict(SERIES)
    series.update({key: name for key, name in REMOVALS.items() if name in f})
    sums = {key: yearly_sums(f, name, years) for key, name in series.items()}
    for key, s in sums.items():
        for i, y in enumerate(YEARS):
            metrics[f"{key}_{y}"] = np.log1p(s[:, i])
    metrics["ibc_growth_2006"] = np.log1p(sums["ibc"][:, 2]) - np.log1p(sums["ibc"][:, 1])
    sectarian = yearly_sums(f, SECTARIAN, years)
    for i, y in enumerate(YEARS):
        metrics[f"sectarian_share_{y}"] = sectarian[:, i] / np.maximum(sums["ibc"][:, i], 1e-9)
    return metrics


def parameter_names(f):
    names = f["parameter"][...]
    return [n.decode() if isinstance(n, bytes) else str(n) for n in names]


def elementary_effects(unit, values):
    """Per parameter, the list of effects (value change / unit step) over all trajectories."""
    runs, k = unit.shape
    if runs % (k + 1):
        sys.exit(f"{runs} points is not a whole number of trajectories of {k + 1}")
    effects = [[] for _ in range(k)]
    for start in range(0, runs, k + 1):
        for p in range(start, start + k):
            step = unit[p + 1] - unit[p]
            moved = np.flatnonzero(np.abs(step) > 1e-12)
            if len(moved) != 1:
                sys.exit(f"points {p} and {p + 1} differ in {len(moved)} parameters, not one")
            j = moved[0]
            effects[j].append((values[p + 1] - values[p]) / step[j])
    return [np.array(e) for e in effects]


TARGETS = {
    "ibc": [f"ibc_{y}" for y in YEARS],
    "sigact": [f"sigact_{y}" for y in YEARS],
    "us": [f"us_{y}" for y in YEARS],
    "growth": ["ibc_growth_2006"],
    "sect": [f"sectarian_share_{y}" for y in YEARS],
    "killed": [f"killed_{y}" for y in YEARS],
    "detained": [f"detained_{y}" for y in YEARS],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sweep")
    parser.add_argument("--top", type=int, default=0, help="list only the N highest scores")
    parser.add_argument("--csv", help="also write every parameter's mu* and sigma per metric")
    args = parser.parse_args()

    with h5py.File(args.sweep, "r") as f:
        names = parameter_names(f)
        unit = f["unit_sample"][...]
        metrics = run_metrics(f)

    targets = {t: members for t, members in TARGETS.items() if all(m in metrics for m in members)}
    mu_star = {t: np.zeros(len(names)) for t in targets}
    sigma = {t: np.zeros(len(names)) for t in targets}
    rows = []
    for metric, values in metrics.items():
        effects = elementary_effects(unit, values)
        for j, e in enumerate(effects):
            rows.append((names[j], metric, np.abs(e).mean(), e.mean(), e.std(ddof=1)))
    by = {(r[0], r[1]): r for r in rows}
    for t, members in targets.items():
        for j, n in enumerate(names):
            mu_star[t][j] = np.mean([by[(n, m)][2] for m in members])
            sigma[t][j] = np.mean([by[(n, m)][4] for m in members])
    # A target no parameter moves (max 0) scores nothing rather than dividing by zero.
    scaled = np.stack([mu_star[t] / mu_star[t].max() if mu_star[t].max() > 0 else 0 * mu_star[t] for t in targets], axis=1)
    score = scaled.max(axis=1)
    order = np.argsort(-score)
    if args.top:
        order = order[: args.top]

    head = " | ".join(f"{t} mu* / sigma" for t in targets)
    print(f"| parameter | {head} | score |")
    print("|---|" + "---:|" * (len(targets) + 1))
    for j in order:
        cells = " | ".join(f"{mu_star[t][j]:.3f} / {sigma[t][j]:.3f}" for t in targets)
        print(f"| `{names[j]}` | {cells} | {score[j]:.2f} |")

    if args.csv:
        with open(args.csv, "w", encoding="utf-8") as out:
            out.write("parameter,metric,mu_star,mu,sigma\n")
            for r in rows:
                out.write(f"{r[0]},{r[1]},{r[2]:.6g},{r[3]:.6g},{r[4]:.6g}\n")


if __name__ == "__main__":
    main()
