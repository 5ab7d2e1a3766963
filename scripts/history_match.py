#!/usr/bin/python3
"""History matching of a calibration's posterior on the observed facts of 2007 (docs/validation.md,
"History matching on the 2007 fall"): which particles of the 2004-2006 posterior also reproduce the
observed fact that reported civilian deaths and reported attacks in September-December 2007 were at
least 40% below January-June 2007 (claim O1), with US hostile deaths in 2007 near those observed?

    scripts/history_match.py IRAQSIM_BINARY [--posterior CSV] [--replicates 8] [--seed 1]
                             [--threads 2] [--bound 0.60] [--us-2007 480 1080] [--workdir DIR] [--csv FILE]

Every particle of the posterior's last population runs the embedded baseline at its values (the
same seed and replicates for all: common random numbers). A particle is retained when both of its
late/H1 2007 ratios of ensemble weekly means are at most --bound and its US hostile deaths in 2007
(ensemble mean) are within --us-2007 (about 720 observed: 904 from all causes, icasualties.org, at
2004-2006's hostile share of 0.80; the default band is a factor of 1.5 either way, `0 inf` none).
Printed: how many particles and how much of the posterior's weight are retained; per parameter the weighted mean and 5-95% range
of the whole posterior and of the retained particles; and, as `key = value` lines for the
baseline, the values of the retained particle with the smallest 2004-2006 distance (the default
world is one particle that reproduces 2007, not the retained particles' mean, which need not).
US hostile deaths in 2008 are printed beside, for validation only: 2008 is held back, and no
particle is judged on them.

Only the two observed facts of 2007 are constraints. The counterfactual claims (O2: without the
surge late 2007 is more violent) are not observed and are never used to choose parameters; they
stay tests.

With --workdir each particle's result is kept (a rerun skips the particles already done); --csv
writes one row per particle. numpy and h5py (Debian's python3-numpy, python3-h5py).
"""

import argparse
import concurrent.futures
import csv
import json
import os
import subprocess
import sys

import h5py
import numpy as np

from claims import H1_2007, LATE_2007  # claim O1's periods, read as scripts/claims.py reads them
from posterior_draws import read_posterior, run_scenario, work_directory
from record_dates import in_period, record_dates

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_POSTERIOR = os.path.join(HERE, "..", "scenarios", "calibration", "baseline-2004-2006.posterior.csv")
VARIABLES = ("reported_civilian_deaths", "reported_attacks", "us_fatalities")



def measure(path):
    """Late/H1 2007 ratios of the ensemble weekly means, and yearly US deaths (ensemble means)."""
    with h5py.File(path, "r") as f:
        dates = record_dates(f, path)
        series = {v: f[v][()].astype(np.float64).sum(axis=2).mean(axis=0) for v in VARIABLES}  # [time]

    def mean_over(name, first, last):
        return series[name][in_period(dates, first, last)].mean()

    result = {}
    for name in ("reported_civilian_deaths", "reported_attacks"):
        result[name] = mean_over(name, *LATE_2007) / mean_over(name, *H1_2007)
    for year in (2007, 2008):
        result[f"us_fatalities_{year}"] = series["us_fatalities"][in_period(dates, f"{year}-01-01", f"{year}-12-31")].sum()
    return result


def run_particle(binary, index, overrides, args, workdir):
    """The particle's measures, from a complete earlier result when there is one."""
    done = os.path.join(workdir, f"particle-{index:04d}.json")
    # What the result was measured with: a workdir reused with another seed, replicate count or
    # posterior measures the particle again rather than answer with the earlier run.
    key = {"seed": args.seed, "replicates": args.replicates, "values": overrides}
    if os.path.exists(done):
        with open(done, encoding="utf-8") as f:
            earlier = json.load(f)
        if earlier.get("key") == key:
            return index, earlier["result"]
    out = os.path.join(workdir, f"particle-{index:04d}.h5")
    recorded = {"output.variables": "[" + ",".join(f'"{v}"' for v in VARIABLES) + "]"}
    try:
        run_scenario(binary, None, out, args.seed, args.replicates, {**overrides, **recorded}, "2008-12-31")
    except subprocess.CalledProcessError as e:  # iraqsim has printed why
        raise RuntimeError(f"particle {index}: iraqsim run exited {e.returncode}") from None
    result = measure(out)
    os.remove(out)
    with open(done + ".part", "w", encoding="utf-8") as f:
        json.dump({"key": key, "result": result}, f)
    os.replace(done + ".part", done)  # a particle counts as done only once its result is whole
    return index, result


def population_rows(source, population):
    """The rows of the posterior file for one population, as written (every column)."""
    with open(source, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(row for row in f if not row.startswith("#")) if int(r["population"]) == population]


def write_retained(source, path, population, retained, kept, args):
    """The retained particles of the last population, in the posterior's own format and columns."""
    rows = population_rows(source, population)
    with open(path + ".part", "w", newline="", encoding="utf-8") as f:
        f.write(f"# The particles of {os.path.basename(source)} (population {population}) that reproduce the observed\n"
                f"# fall of 2007 (late/H1 2007 reported civilian deaths and attacks both <= {args.bound}) and its US\n"
                f"# hostile deaths (2007 in [{args.us_2007[0]:g}, {args.us_2007[1]:g}]; {args.replicates} replicates, seed {args.seed}),\n"
                f"# weights renormalised: scripts/history_match.py --write-posterior\n"
                f"# (docs/validation.md, \"History matching on the 2007 fall\").\n")
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for row, w in zip([r for r, keep in zip(rows, retained) if keep], kept):
            writer.writerow({**row, "weight": f"{w:.6g}"})
    os.replace(path + ".part", path)


def best_retained(source, population, retained):
    """The retained particle of the last population whose 2004-2006 distance (as the calibration
    recorded it) is the smallest: its row of the posterior file."""
    rows = population_rows(source, population)
    return min((r for r, keep in zip(rows, retained) if keep), key=lambda r: float(r["distance"]))


def weighted_quantile(values, weights, q):
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, q * cumulative[-1])])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("iraqsim")
    parser.add_argument("--posterior", default=DEFAULT_POSTERIOR)
    parser.add_argument("--replicates", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="particles run at once (each single-threaded)")
    parser.add_argument("--bound", type=float, default=0.60, help="largest late/H1 2007 ratio retained (O1: 0.60)")
    parser.add_argument("--us-2007", nargs=2, type=float, default=(480.0, 1080.0), metavar=("LOW", "HIGH"),
                        help="band of US hostile deaths in 2007 a retained particle's ensemble mean lies in "
                             "(about 720 observed; default a factor of 1.5 either way; 0 inf: no band)")
    parser.add_argument("--workdir", help="keep each particle's result here (reused when rerun)")
    parser.add_argument("--csv", help="write one row per particle")
    parser.add_argument("--write-posterior", metavar="CSV",
                        help="write the retained particles as a posterior.csv (the input's columns, weights "
                             "renormalised), for forward_run.py, posterior_compare.py and claims_posterior.py")
    args = parser.parse_args()

    if not os.path.isfile(args.posterior):
        parser.error(f"no posterior file {args.posterior}")
    particles, weights, population = read_posterior(args.posterior)
    binary = os.path.abspath(args.iraqsim)
    results = [None] * len(particles)
    try:
        with work_directory(args.workdir, "iraqsim-history-") as workdir, \
                concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.threads)) as pool:
            jobs = [pool.submit(run_particle, binary, i, p, args, workdir) for i, p in enumerate(particles)]
            for n, job in enumerate(concurrent.futures.as_completed(jobs), 1):
                i, r = job.result()
                results[i] = r
                if n % 25 == 0 or n == len(jobs):
                    print(f"  {n}/{len(jobs)} particles", file=sys.stderr, flush=True)
    except RuntimeError as e:
        print(f"history_match.py: {e}", file=sys.stderr)
        return 2

    civ = np.array([r["reported_civilian_deaths"] for r in results])
    att = np.array([r["reported_attacks"] for r in results])
    us_2007 = np.array([r["us_fatalities_2007"] for r in results])
    low, high = args.us_2007
    by_fall = (civ <= args.bound) & (att <= args.bound)
    retained = by_fall & (us_2007 >= low) & (us_2007 <= high)
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            keys = list(particles[0])
            writer.writerow(["particle", "weight"] + keys + ["civilian_ratio", "attack_ratio", "us_fatalities_2007",
                                                             "us_fatalities_2008", "retained"])
            for i, (p, r) in enumerate(zip(particles, results)):
                writer.writerow([i, weights[i]] + [p[k] for k in keys] +
                                [f"{r['reported_civilian_deaths']:.4f}", f"{r['reported_attacks']:.4f}",
                                 f"{r['us_fatalities_2007']:.1f}", f"{r['us_fatalities_2008']:.1f}", int(retained[i])])

    print(f"posterior population {population}: {len(particles)} particles, {args.replicates} replicates each "
          f"(seed {args.seed}); retained (late/H1 2007 <= {args.bound} for both, US hostile deaths 2007 in "
          f"[{low:g}, {high:g}]): {retained.sum()} ({weights[retained].sum():.1%} of the weight; "
          f"{by_fall.sum()} by the fall alone)")
    if not retained.any():
        print("no particle reproduces 2007: nothing to average")
        return 1
    kept = weights[retained] / weights[retained].sum()
    if args.write_posterior:
        write_retained(args.posterior, args.write_posterior, population, retained, kept, args)
    print(f"{'parameter':<48} {'posterior mean (5-95%)':>28} {'retained mean (5-95%)':>28}")
    means = {}
    for key in particles[0]:
        values = np.array([float(p[key]) for p in particles])
        means[key] = float(np.dot(kept, values[retained]))
        row = []
        for v, w in ((values, weights), (values[retained], kept)):
            row.append(f"{np.dot(w, v):.4g} ({weighted_quantile(v, w, 0.05):.3g}-{weighted_quantile(v, w, 0.95):.3g})")
        print(f"{key:<48} {row[0]:>28} {row[1]:>28}")
    for label, mask, w in (("all particles", np.ones_like(retained), weights), ("retained", retained, kept)):
        us7 = np.array([r["us_fatalities_2007"] for r in results])[mask]
        us8 = np.array([r["us_fatalities_2008"] for r in results])[mask]
        print(f"{label}: US hostile deaths 2007 {np.dot(w, us7):.0f}, 2008 {np.dot(w, us8):.0f} (weighted means; "
              f"all-cause deaths 904 and 314, about 720 and 250 hostile at 2004-2006's share of 0.80; 2008 held back); late/H1 civilian {np.dot(w, civ[mask]):.3f}, attacks {np.dot(w, att[mask]):.3f}")
    # The default world is one retained particle, not their mean: the retained set need not be
    # convex, and its mean can miss the fall it was matched on (docs/validation.md).
    best = best_retained(args.posterior, population, retained)
    print(f"\n# the retained particle with the smallest 2004-2006 distance: particle {best['particle']}, "
          f"distance {float(best['distance']):.4g} (for scenarios/history/baseline.toml)")
    for key in means:
        print(f"{key} = {float(best[key]):.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
