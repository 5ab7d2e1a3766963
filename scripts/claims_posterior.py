#!/usr/bin/python3
"""The article's claims over a calibration's posterior (docs/policies.md, "Claims over the
posterior"): does a claim the default world fails fail everywhere the data allow, or only at the
posterior mean? A claim that holds in no draw points at a mechanism; one that holds in some points
at parameters that the 2004-2006 data leave free.

    scripts/claims_posterior.py IRAQSIM_BINARY [--posterior CSV] [--draws 32] [--replicates 8]
                                [--seed 1] [--draw-seed 2007] [--threads 2] [--kind all]
                                [--workdir DIR] [--csv FILE]

Each draw is a particle of the posterior's last population, drawn by weight (posterior_draws.py,
the same draws as forward_run.py for the same --draw-seed); scripts/claims.py runs every variant
at the draw's values with common random numbers (seed, replicates) and judges each claim as it does
at the default. Printed: per claim, in how many draws it holds, and for each quantity it measures
the median and the 5-95% range of its value over the draws. With --workdir the runs are kept, one
directory per draw, and a rerun reuses the draws already complete. --csv writes one row per draw
and measured quantity (draw, claim, quantity, value, holds).

numpy and h5py (Debian's python3-numpy, python3-h5py).
"""

import argparse
import csv
import json
import os
import subprocess
import sys

import numpy as np

from posterior_draws import draw_overrides, work_directory

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_POSTERIOR = os.path.join(HERE, "..", "scenarios", "calibration", "baseline-2004-2006.posterior.csv")


def claims_at(binary, overrides, args, workdir):
    """scripts/claims.py's JSON result at one draw's values (reusing a complete earlier result)."""
    result_path = os.path.join(workdir, "claims.json")
    if os.path.exists(result_path):
        with open(result_path, encoding="utf-8") as f:
            return json.load(f)
    command = [sys.executable, os.path.join(HERE, "claims.py"), binary, "--json", "--replicates", str(args.replicates),
               "--seed", str(args.seed), "--threads", str(args.threads), "--kind", args.kind, "--workdir", workdir]
    for key, value in overrides.items():
        command += ["--set", f"{key}={value}"]
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):  # 1: a claim failed, which is what is being counted
        raise RuntimeError(f"claims.py exited {proc.returncode}: {proc.stderr.strip()}")
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:  # exit 1 is also Python's for an uncaught error
        raise RuntimeError(f"claims.py in {workdir} printed no result (exit {proc.returncode}): "
                           f"{proc.stderr.strip()[-2000:]}") from None
    with open(result_path + ".part", "w", encoding="utf-8") as f:
        json.dump(result, f)
    os.replace(result_path + ".part", result_path)  # a draw counts as done only once its result is whole
    return result


def value_of(measured):
    """A measured quantity's value: an interval's mean, or the number itself (NaN if neither)."""
    if isinstance(measured, dict):
        measured = measured.get("mean")
    return float(measured) if isinstance(measured, (int, float)) else float("nan")


def holds(status):
    """Whether the claim held at that draw (None for forecasts, which are not asserted)."""
    return None if status == "REPORTED" else status in ("PASS", "FIXED")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("iraqsim")
    parser.add_argument("--posterior", default=DEFAULT_POSTERIOR, help="posterior.csv of iraqsim calibrate")
    parser.add_argument("--draws", type=int, default=32)
    parser.add_argument("--replicates", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1, help="the runs' seed (common random numbers across draws)")
    parser.add_argument("--draw-seed", type=int, default=2007, help="seed of the draws from the posterior")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--kind", choices=("observed", "mechanisms", "forecasts", "all"), default="all")
    parser.add_argument("--workdir", help="keep the runs here, one directory per draw (reused when rerun)")
    parser.add_argument("--csv", help="write one row per draw and measured quantity")
    args = parser.parse_args()
    if args.draws < 1 or args.replicates < 2:
        parser.error("--draws must be at least 1 and --replicates at least 2")
    if not os.path.exists(args.posterior):
        parser.error(f"{args.posterior}: no such file")

    binary = os.path.abspath(args.iraqsim)
    draws = draw_overrides(args.posterior, args.draws, args.draw_seed)
    results = []
    try:
        with work_directory(args.workdir, "iraqsim-claims-posterior-") as workdir:
            for i, overrides in enumerate(draws):
                results.append(claims_at(binary, overrides, args, os.path.join(workdir, f"draw_{i:03d}")))
                print(f"claims over the posterior: draw {i + 1}/{len(draws)} done", file=sys.stderr, flush=True)
    except RuntimeError as e:
        print(f"claims_posterior.py: {e}", file=sys.stderr)
        return 2

    rows = []
    print(f"{len(draws)} draws from {os.path.relpath(args.posterior)} (draw seed {args.draw_seed}), "
          f"{args.replicates} replicates each (seed {args.seed})")
    for k, c in enumerate(results[0]["claims"]):
        verdicts = [holds(r["claims"][k]["status"]) for r in results]
        if verdicts[0] is None:
            print(f"{c['id']} [{c['kind']}] reported (not asserted)")
        else:
            print(f"{c['id']} [{c['kind']}] holds in {sum(verdicts)} of {len(verdicts)} draws")
        for quantity in c["measured"]:
            values = np.array([value_of(r["claims"][k]["measured"][quantity]) for r in results], dtype=float)
            if np.isnan(values).all():
                continue
            low, mid, high = np.percentile(values, [5, 50, 95])
            print(f"    {quantity}: median {mid:.4g}, draws' 5-95% {low:.4g} .. {high:.4g}")
            rows += [[d, c["id"], quantity, v, verdicts[d]] for d, v in enumerate(values)]
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["draw", "claim", "quantity", "value", "holds"])
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
