#!/usr/bin/python3
"""A what-if's effect over a calibration's posterior draws (issue 8, Deliver 3; docs/validation.md,
"What-ifs over posterior draws"): how much of the effect's spread is parameter uncertainty and how
much is the model's own noise.

  /usr/bin/python3 scripts/posterior_compare.py IRAQSIM WHATIF.toml --posterior cal/posterior.csv
        [--draws 16] [--replicates 4] [--seed 2007] [--end 2008-12-31] [--jobs 2] [-o DIR]

For each of --draws particles drawn by weight from the posterior's last population, the embedded
baseline and the what-if are run at the particle's values (`iraqsim run --set`) with the same seed
and --replicates replicates, so replicate r of both shares its random streams (common random
numbers, as `iraqsim compare` pairs them). The effect of member (draw d, replicate r) is the
what-if minus the baseline in each count, by year and over the whole period. Printed per count and
period: the mean effect, its 5-95% range over all members, and the split of the effect's variance

    Var(effect) = Var_d(mean over r) + mean_d(Var over r)
                  parameter uncertainty   replicate noise

with the share that is parameter uncertainty (the between-draw part less the noise its replicate
means still carry, never below 0). Periods with no effect in any member are left out.
"""

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import h5py
import numpy as np
from posterior_draws import draw_overrides, run_scenario, work_directory
from record_dates import record_dates

COUNTS = ("civilian_deaths", "attacks", "us_fatalities", "reported_civilian_deaths", "reported_attacks")


def yearly_sums(path):
    """{count: [replicate, period]} with the periods: each calendar year, then the whole run."""
    with h5py.File(path, "r") as f:
        years = record_dates(f, path).astype("datetime64[Y]").astype(int) + 1970
        periods = sorted(set(years.tolist()))
        out = {}
        for c in COUNTS:
            data = np.nan_to_num(f[c][...].astype(float)).sum(axis=2)  # replicate, time
            by_year = [data[:, years == y].sum(axis=1) for y in periods]
            out[c] = np.stack(by_year + [data.sum(axis=1)], axis=1)
    return out, [str(y) for y in periods] + ["all"]


def member_effects(args, draw, overrides, workdir):
    seed = args.seed + draw
    base = run_scenario(args.iraqsim, None, os.path.join(workdir, f"base_{draw:03d}.h5"), seed,
                        args.replicates, overrides, args.end)
    what = run_scenario(args.iraqsim, args.whatif, os.path.join(workdir, f"whatif_{draw:03d}.h5"),
                        seed, args.replicates, overrides, args.end)
    b, periods = yearly_sums(base)
    w, _ = yearly_sums(what)
    return {c: w[c] - b[c] for c in COUNTS}, {c: b[c] for c in COUNTS}, periods


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("iraqsim")
    parser.add_argument("whatif", help="a what-if scenario file (an overlay on the baseline)")
    parser.add_argument("--posterior", required=True, help="posterior.csv of `iraqsim calibrate`")
    parser.add_argument("--draws", type=int, default=16)
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2007)
    parser.add_argument("--end", default="2008-12-31", help="last day of the runs")
    parser.add_argument("--jobs", type=int, default=2, help="runs at once")
    parser.add_argument("-o", "--output", help="keep the runs in this directory")
    args = parser.parse_args()
    if args.draws < 2 or args.replicates < 2:
        sys.exit("posterior_compare.py: --draws and --replicates must be at least 2")

    draws = draw_overrides(args.posterior, args.draws, args.seed)
    with work_directory(args.output, "posterior-compare-") as workdir, ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda d: member_effects(args, d[0], d[1], workdir), enumerate(draws)))
    periods = results[0][2]

    print(f"effect of {os.path.basename(args.whatif)} over {args.draws} posterior draws x "
          f"{args.replicates} replicates (what-if minus baseline, sums over each period)")
    print("| count | period | baseline | effect (mean) | effect 5-95% | relative | parameter share of variance |")
    print("|---|---|---:|---:|---|---:|---:|")
    for c in COUNTS:
        effect = np.stack([r[0][c] for r in results])   # draw, replicate, period
        base = np.stack([r[1][c] for r in results])
        for p, period in enumerate(periods):
            e = effect[:, :, p]
            if not e.any():
                continue  # before the what-if changes anything
            noise = e.var(axis=1, ddof=1).mean()
            between = e.mean(axis=1).var(ddof=1)
            parameter = max(between - noise / args.replicates, 0.0)
            total = parameter + noise
            share = parameter / total if total > 0 else 0.0
            lo, hi = np.percentile(e, (5, 95))
            b = base[:, :, p].mean()
            relative = f"{e.mean() / b:+.1%}" if b > 0 else ""
            print(f"| {c} | {period} | {b:,.0f} | {e.mean():+,.0f} | {lo:+,.0f} .. {hi:+,.0f} | "
                  f"{relative} | {share:.0%} |")


if __name__ == "__main__":
    main()
