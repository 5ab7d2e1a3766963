#!/usr/bin/python3
"""The model's forward run for 2007-2008 (issue 8; docs/validation.md, "The forward run"): an
ensemble over posterior draws of the calibrated default, run on the historical policy inputs, with
monthly national and governorate bands of the observed series' model counterparts.

  /usr/bin/python3 scripts/forward_run.py IRAQSIM -o DIR [--posterior cal/posterior.csv]
        [--draws 32] [--replicates 2] [--seed 2007] [--jobs 2] [--figure docs/img/forward.png]

Each draw is a particle of the posterior's last population, drawn by weight (a NumPy generator
seeded by --seed, so the same draws every time), run with `iraqsim run --set key=value ...` over
--replicates replicates with the seed --seed + draw. Without --posterior the default world is run
--draws x --replicates times (replicate noise alone). Every run is the embedded baseline from May
2003 to December 2008: after December 2006, where the fit ends, the model runs on its policy
inputs alone.

Members are all (draw, replicate) runs. Weekly flows are spread evenly over their seven days and
summed by month, as the calibration compares them. Writes DIR/forward_monthly.csv (level,
province, series, month, mean, p5, p50, p95), prints Markdown tables (national months; governorate
years) and, with --figure, draws the national bands with the observed 2004-2006 series.
"""

import argparse
import csv
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import h5py
import numpy as np
from posterior_draws import draw_overrides, run_scenario
from record_dates import record_dates

SCRIPT_DIR = os.path.dirname(os.path.realpath(__file__))
REPO_DIR = os.path.dirname(SCRIPT_DIR)
OBSERVED_DIR = os.path.join(REPO_DIR, "data", "observed")

SERIES = {
    "reported_civilian_deaths": "reported civilian deaths (IBC-like)",
    "reported_attacks": "reported attacks (SIGACT-like)",
    "us_fatalities": "US hostile fatalities",
}
OBSERVED = {  # file, column: the calibration's national targets
    "reported_civilian_deaths": ("ibc_monthly_2003_2006.csv", "ibc_max_official_table"),
    "reported_attacks": ("esoc_sigact_country_month_2004_2006.csv", "SIGACT"),
    "us_fatalities": ("us_military_fatalities_monthly_2003_2006.csv", "dodlist_hostile"),
}
FIRST_MONTH, LAST_MONTH = np.datetime64("2004-01"), np.datetime64("2008-12")
FORWARD_START = np.datetime64("2007-01")
QUANTILES = (5, 50, 95)


def run_draw(args, draw, overrides):
    path = os.path.join(args.output, f"draw_{draw:03d}.h5")
    return run_scenario(args.iraqsim, None, path, args.seed + draw, args.replicates, overrides,
                        "2008-12-31")


def month_weights(dates, months):
    """[week, month]: the share of each weekly record's seven days falling in each month."""
    weights = np.zeros((len(dates), len(months)))
    index = {m: i for i, m in enumerate(months)}
    for w, start in enumerate(dates):
        for d in range(7):
            m = (start + np.timedelta64(d, "D")).astype("datetime64[M]")
            if m in index:
                weights[w, index[m]] += 1.0 / 7.0
    return weights


def read_members(paths, months):
    """{series: [member, month, province]} and the province ids."""
    out = {s: [] for s in SERIES}
    provinces = None
    weights = None
    for path in paths:
        with h5py.File(path, "r") as f:
            if weights is None:
                weights = month_weights(record_dates(f, path), months)
                provinces = [p.decode() if isinstance(p, bytes) else str(p) for p in f["province"][...]]
            for s in SERIES:
                data = np.nan_to_num(f[s][...].astype(float))  # replicate, time, province
                out[s].extend(np.einsum("rtp,tm->rmp", data, weights))
    return {s: np.array(v) for s, v in out.items()}, provinces


def read_observed(series):
    name, column = OBSERVED[series]
    values = {}
    with open(os.path.join(OBSERVED_DIR, name), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r[column] not in ("", "NA"):
                values[np.datetime64(r["month"])] = float(r[column])
    return values


def write_csv(path, members, provinces, months):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["level", "province", "series", "month", "mean", "p5", "p50", "p95"])
        for s, data in members.items():
            for level, values, names in (("national", data.sum(axis=2)[:, :, None], ["iraq"]),
                                         ("governorate", data, provinces)):
                q = np.percentile(values, QUANTILES, axis=0)
                mean = values.mean(axis=0)
                for m, month in enumerate(months):
                    if month < FORWARD_START:
                        continue
                    for p, name in enumerate(names):
                        w.writerow([level, name, s, str(month), f"{mean[m, p]:.1f}",
                                    f"{q[0, m, p]:.1f}", f"{q[1, m, p]:.1f}", f"{q[2, m, p]:.1f}"])


def band(values):
    lo, mid, hi = np.percentile(values, QUANTILES)
    return f"{mid:,.0f} [{lo:,.0f}-{hi:,.0f}]"


def print_tables(members, provinces, months):
    forward = [m for m, month in enumerate(months) if month >= FORWARD_START]
    print("| month | " + " | ".join(SERIES) + " |")
    print("|---|" + "---:|" * len(SERIES))
    for m in forward:
        cells = [band(members[s][:, m, :].sum(axis=1)) for s in SERIES]
        print(f"| {months[m]} | " + " | ".join(cells) + " |")
    print()
    years = {y: [m for m in forward if str(months[m]).startswith(y)] for y in ("2007", "2008")}
    print("| governorate | " + " | ".join(f"{s} {y}" for s in SERIES for y in years) + " |")
    print("|---|" + "---:|" * (len(SERIES) * len(years)))
    for p, name in enumerate(provinces + ["iraq"]):
        cells = []
        for s in SERIES:
            for y, ms in years.items():
                data = members[s][:, ms, :].sum(axis=1)
                cells.append(band(data.sum(axis=1) if name == "iraq" else data[:, p]))
        print(f"| {name} | " + " | ".join(cells) + " |")


def draw_figure(path, members, months, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = months.astype("datetime64[D]").astype("O")
    fig, axes = plt.subplots(len(SERIES), 1, figsize=(9, 8.5), sharex=True)
    for ax, (s, label) in zip(axes, SERIES.items()):
        national = members[s].sum(axis=2)
        lo, mid, hi = np.percentile(national, QUANTILES, axis=0)
        ax.fill_between(x, lo, hi, color="tab:blue", alpha=0.25, step="mid", label="model 5-95%")
        ax.step(x, mid, where="mid", color="tab:blue", label="model median")
        observed = read_observed(s)
        ox = [m.astype("datetime64[D]").astype("O") for m in months if m in observed]
        ax.step(ox, [observed[m] for m in months if m in observed], where="mid", color="black",
                label="observed (fitted, to 2006)")
        ax.axvline(FORWARD_START.astype("datetime64[D]").astype("O"), color="0.4", linestyle="--")
        ax.set_ylabel(f"{label}\nper month")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper left", fontsize=8)
    axes[0].set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("iraqsim")
    parser.add_argument("-o", "--output", required=True, help="directory for the runs and the CSV")
    parser.add_argument("--posterior", help="posterior.csv of `iraqsim calibrate`")
    parser.add_argument("--draws", type=int, default=32)
    parser.add_argument("--replicates", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2007)
    parser.add_argument("--jobs", type=int, default=2, help="runs at once")
    parser.add_argument("--figure", help="PNG of the national bands")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)

    draws = draw_overrides(args.posterior, args.draws, args.seed)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        paths = list(pool.map(lambda d: run_draw(args, *d), enumerate(draws)))
    months = np.arange(FIRST_MONTH, LAST_MONTH + 1)
    members, provinces = read_members(paths, months)
    write_csv(os.path.join(args.output, "forward_monthly.csv"), members, provinces, months)
    print(f"{len(draws)} draws x {args.replicates} replicates = {len(paths) * args.replicates} members",
          file=sys.stderr)
    print_tables(members, provinces, months)
    if args.figure:
        what = (f"{len(draws)} posterior draws x {args.replicates} replicates" if args.posterior
                else f"the default, {len(draws) * args.replicates} replicates")
        draw_figure(args.figure, members, months, f"Forward run 2007-2008: {what}")


if __name__ == "__main__":
    main()
