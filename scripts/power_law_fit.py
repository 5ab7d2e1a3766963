#!/usr/bin/python3
"""Fit a discrete power law to the tail of the incident sizes in an iraqsim output file.

    scripts/power_law_fit.py RUN.h5 [--kind one_sided|battle|all] [--bootstrap N] [--seed S] [--json]

Clauset, Shalizi and Newman (SIAM Review 51, 2009), as Bohorquez et al. (Nature 462, 2009) applied it
to the severity of attacks in Iraq:
  * for each candidate lower cut-off x_min, the exponent alpha by maximum likelihood of the discrete
    power law p(x) = x^-alpha / zeta(alpha, x_min), x >= x_min;
  * x_min is the candidate whose fit has the smallest Kolmogorov-Smirnov distance D to the data;
  * goodness of fit: N semi-parametric bootstrap sets (the body resampled from the data below x_min,
    the tail drawn from the fitted law), each refitted in the same way; the p-value is the share
    whose D is at least the data's. A power law is plausible when p > 0.1.
The file must hold the incident log (run with --set output.incidents=true). Prints alpha, x_min, the
tail's size, D and p.
"""
import argparse
import json
import sys

import h5py
import numpy as np

ALPHAS = np.arange(1.50, 4.50, 0.005)  # the exponent's grid for the likelihood
TERMS = 20000                           # terms of the Hurwitz zeta sums before the integral tail
MAX_CANDIDATES = 60                     # x_min candidates: the smallest distinct sizes


def hurwitz_table(largest):
    """zeta(alpha, m) for every alpha of ALPHAS and m = 1 .. largest + 1: [alpha, m - 1]."""
    k = np.arange(1, TERMS + 1, dtype=float)
    terms = k[None, :] ** -ALPHAS[:, None]
    # Sum from m to TERMS, plus the integral from TERMS + 1/2 on (Euler-Maclaurin's first term).
    tail = (TERMS + 0.5) ** (1 - ALPHAS) / (ALPHAS - 1)
    sums = np.cumsum(terms[:, ::-1], axis=1)[:, ::-1] + tail[:, None]
    return sums[:, : largest + 1]


def fit_tail(x, zeta):
    """Best (D, alpha, x_min, n_tail) over the candidate cut-offs, or None when no tail is long enough."""
    x = np.sort(x)
    best = None
    for x_min in np.unique(x)[:MAX_CANDIDATES]:
        tail = x[x >= x_min]
        if tail.size < 50:
            break
        log_sum = np.log(tail).sum()
        likelihood = -tail.size * np.log(zeta[:, int(x_min) - 1]) - ALPHAS * log_sum
        i = int(np.argmax(likelihood))
        alpha = ALPHAS[i]
        # KS distance between the tail's empirical CDF and the fitted law's, at every size present.
        sizes, counts = np.unique(tail, return_counts=True)
        empirical = np.cumsum(counts) / tail.size
        model = 1.0 - zeta[i, sizes.astype(int)] / zeta[i, int(x_min) - 1]
        distance = float(np.max(np.abs(empirical - model)))
        if best is None or distance < best[0]:
            best = (distance, float(alpha), int(x_min), int(tail.size))
    return best


def draw_tail(rng, alpha_index, x_min, n, zeta, largest):
    """n draws of the discrete power law (exponent ALPHAS[alpha_index]) on x_min .. largest, by inversion."""
    sizes = np.arange(x_min, largest + 1)
    survival = zeta[alpha_index, sizes - 1] / zeta[alpha_index, x_min - 1]  # P(X >= s)
    cdf = 1.0 - np.append(survival[1:], zeta[alpha_index, largest] / zeta[alpha_index, x_min - 1])
    u = rng.random(n)
    return sizes[np.minimum(np.searchsorted(cdf, u), sizes.size - 1)].astype(float)


def goodness_of_fit(x, fit, zeta, largest, sets, rng):
    distance, alpha, x_min, n_tail = fit
    alpha_index = int(np.argmin(np.abs(ALPHAS - alpha)))
    body = x[x < x_min]
    worse = 0
    for _ in range(sets):
        n_body = rng.binomial(x.size, body.size / x.size)
        synthetic = np.concatenate([rng.choice(body, n_body) if body.size else np.empty(0),
                                    draw_tail(rng, alpha_index, x_min, x.size - n_body, zeta, largest)])
        refit = fit_tail(synthetic, zeta)
        if refit is None or refit[0] >= distance:
            worse += 1
    return worse / sets


def incident_sizes(path, kind):
    with h5py.File(path, "r") as f:
        if "incident_deaths" not in f:
            sys.exit(f"{path}: no incident log (run with --set output.incidents=true)")
        deaths = f["incident_deaths"][()]
        kinds = f["incident_kind"].asstr()[()]
    keep = deaths >= 1 if kind == "all" else (kinds == kind) & (deaths >= 1)
    return np.round(deaths[keep])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file")
    parser.add_argument("--kind", choices=["one_sided", "battle", "all"], default="one_sided")
    parser.add_argument("--bootstrap", type=int, default=200, help="goodness-of-fit sets (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    x = incident_sizes(args.file, args.kind)
    if x.size < 100:
        sys.exit(f"{args.file}: only {x.size} incidents of kind {args.kind}; a tail fit needs hundreds")
    largest = int(x.max()) * 4  # room above the largest observed size for the synthetic tails
    zeta = hurwitz_table(largest)
    fit = fit_tail(x, zeta)
    if fit is None:
        sys.exit(f"{args.file}: no cut-off leaves 50 incidents in the tail")
    p = goodness_of_fit(x, fit, zeta, largest, args.bootstrap, np.random.default_rng(args.seed))
    result = {"incidents": int(x.size), "alpha": fit[1], "x_min": fit[2], "tail": fit[3], "ks_distance": fit[0], "p_value": p}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{x.size} incidents ({args.kind}): alpha = {fit[1]:.3f}, x_min = {fit[2]}, {fit[3]} in the tail, "
              f"D = {fit[0]:.4f}, goodness-of-fit p = {p:.2f} ({args.bootstrap} sets)")


if __name__ == "__main__":
    main()
