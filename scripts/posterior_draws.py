#!/usr/bin/python3
"""Shared helpers for the scripts that run the model over a calibration's posterior draws
(forward_run.py, posterior_compare.py, claims_posterior.py, history_match.py): read the last
population of `iraqsim calibrate`'s posterior.csv, draw particles by weight, run a scenario at a
draw's values, and keep or clean up the runs' directory (claims.py uses that too).

Not a script of its own: the scripts import it from their own directory. Python 3 with NumPy.
"""

import contextlib
import csv
import os
import shutil
import subprocess
import tempfile

import numpy as np

NOT_PARAMETERS = ("population", "particle", "weight", "distance")


def read_posterior(path):
    """The last population's particles (dicts key -> value as written), normalised weights, and
    the population's index."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(row for row in f if not row.startswith("#")))
    last = max(int(r["population"]) for r in rows)
    rows = [r for r in rows if int(r["population"]) == last]
    keys = [k for k in rows[0] if k not in NOT_PARAMETERS]
    weights = np.array([float(r["weight"]) for r in rows])
    return [{k: r[k] for k in keys} for r in rows], weights / weights.sum(), last


def draw_overrides(posterior, draws, seed):
    """`draws` particles drawn by weight with a NumPy generator seeded by `seed` (the same draws
    every time); without a posterior, `draws` empty overrides (the default world)."""
    if not posterior:
        return [{} for _ in range(draws)]
    particles, weights, _ = read_posterior(posterior)
    picks = np.random.default_rng(seed).choice(len(particles), size=draws, p=weights)
    return [particles[j] for j in picks]


@contextlib.contextmanager
def work_directory(path, prefix):
    """The runs' directory: `path`, created if needed and kept; without one, a temporary directory
    removed on leaving, whatever happened inside."""
    directory = path or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(directory, exist_ok=True)
    try:
        yield directory
    finally:
        if not path:
            shutil.rmtree(directory, ignore_errors=True)


def run_scenario(iraqsim, scenario, path, seed, replicates, overrides, end):
    """`iraqsim run` of `scenario` (None: the embedded baseline) at the draw's values, one thread,
    to `end`; returns the output path."""
    command = [iraqsim, "run"] + ([scenario] if scenario else []) + [
        "-o", path, "--force", "-q", "--seed", str(seed), "--replicates", str(replicates),
        "--threads", "1", "--set", f"scenario.end={end}"]
    for key, value in overrides.items():
        command += ["--set", f"{key}={value}"]
    subprocess.run(command, check=True)
    return path
