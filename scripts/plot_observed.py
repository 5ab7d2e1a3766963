#!/usr/bin/python3
"""Simulated observations beside the observed data: an iraqsim run's IBC-like civilian deaths
(reported_civilian_deaths), SIGACT-like attack reports (reported_attacks) and US military deaths
from hostile action (us_fatalities), summed over Iraq and by calendar month, as the median and the
50%/90% bands over replicates, against the monthly series in data/observed/: Iraq Body Count's
monthly table, the ESOC SIGACT counts and the US military fatalities (hostile deaths in Iraq from a
DoD-derived list, and all deaths). The observed copies stop in December 2006; later months are held
back for out-of-sample validation. Each panel carries its data's credit line; keep them when you
publish the figure (IBC's data are for non-commercial use, with credit)."""
import csv
import os
import textwrap
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import iraqsim_plotlib as ipl  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

np = ipl.np
plt = ipl.plt

OBSERVED_DIR = os.path.join(ipl.REPO_DIR, "data", "observed")

# name -> (simulated variable, title, [(csv file, column, label, style)], credit)
SERIES = {
    "civilian_deaths": (
        "reported_civilian_deaths", "Civilian deaths: IBC-like record vs Iraq Body Count",
        [("ibc_monthly_2003_2006.csv", "ibc_max_official_table", "IBC monthly table (as of 6 Mar 2012)", "-")],
        "Observed: Iraq Body Count, https://www.iraqbodycount.org/ (monthly table as of 6 Mar 2012, via "
        "A. Beger, Code_IBC_Province); non-commercial use, credit IBC"),
    "attacks": (
        "reported_attacks", "Attacks: SIGACT-like reports vs MNF-I SIGACTs",
        [("esoc_sigact_country_month_2004_2006.csv", "SIGACT", "SIGACT-III, all attack incidents (ESOC)", "-")],
        "Observed: ESOC Iraq v3 (Empirical Studies of Conflict); Berman, Shapiro & Felter, JPE 119(4), 2011"),
    "us_fatalities": (
        "us_fatalities", "US military deaths: hostile action",
        [("us_military_fatalities_monthly_2003_2006.csv", "dodlist_hostile",
          "hostile deaths in Iraq (DoD-derived list)", "-"),
         ("us_military_fatalities_monthly_2003_2006.csv", "us_fatalities",
          "all deaths, incl. non-hostile (Guardian Datablog)", ":")],
        "Observed: cochransean/iraq-war-vis (MIT); Guardian Datablog, 'Iraq war: the conflict in "
        "statistics'; DoD-derived casualty list"),
}

EPILOG = """\
The simulated series are summed over the provinces, spread evenly over the 7
days of each week and summed by calendar month, so that they compare with the
monthly data. The run must record every week (output.every_weeks = 1) and hold
the variables of the panels asked for (all three by default).

examples:
  iraqsim run -o baseline.h5 --replicates 8
  plot_observed.py baseline.h5
      three panels, 2003 to the end of the run -> baseline_observed.png
  plot_observed.py baseline.h5 --series civilian_deaths,attacks --to 2007-12-31 -o obs.svg
  plot_observed.py baseline.h5 --from 2004-01-01 --to 2006-12-31 --log --events
"""


def main():
    p = ipl.make_parser(__doc__, EPILOG)
    ipl.add_file_arg(p)
    p.add_argument("--series", action="append", metavar="S",
                   help="panels, repeated or comma-separated: %s (default: all)" % ", ".join(SERIES))
    ipl.add_window_args(p)
    p.add_argument("--log", action="store_true", help="logarithmic value axes")
    p.add_argument("--data-dir", default=OBSERVED_DIR, metavar="DIR",
                   help="folder of the observed CSVs (default: data/observed/ of the source tree)")
    p.add_argument("--events", action="store_true", help="mark the policy events (dashed lines)")
    ipl.add_output_args(p)
    args = p.parse_args()

    names = ipl.split_list(args.series) or list(SERIES)
    for n in names:
        if n not in SERIES:
            ipl.fail("unknown series '%s'; choose from: %s" % (n, ", ".join(SERIES)))
    ds = ipl.open_run(args.file)
    for n in names:
        var = SERIES[n][0]
        if var not in ds.data_vars:
            ipl.fail("%s has no variable '%s' (needed for the %s panel): record it (output.variables) "
                     "or choose other panels with --series" % (args.file, var, n))
        ipl.check_weekly(ds, args.file, ds[var], "month")
    observed = {n: [read_monthly(args.data_dir, f, c) + (label, style) for f, c, label, style in SERIES[n][2]]
                for n in names}
    window = ipl.time_window(ds, args.start, args.end)
    lo, hi = ipl.time_limits(ds, window)

    nrep = ds.sizes["replicate"]
    fig, axes = plt.subplots(len(names), 1, figsize=(11, 0.9 + 3.1 * len(names)), sharex=True, squeeze=False)
    events = ipl.policy_events(ds, "mean") if args.events else []
    data_end = None
    for i, n in enumerate(names):
        ax = axes[i][0]
        var, title, _, credit = SERIES[n]
        da = ds[var]
        national = da.sum([d for d in da.dims if d not in ("replicate", "time")])
        national.attrs = dict(da.attrs)
        monthly = ipl.by_period(national, "month")
        monthly = monthly.sel(time=slice(np.datetime64(lo, "M"), hi))
        t = monthly.time.values
        ipl.fan(ax, t, monthly.values, "C0", step=True)
        for times, values, label, style in observed[n]:
            keep = (times >= np.datetime64(lo, "M")) & (times <= hi)
            st, sv = ipl.step_edges(times[keep], values[keep])
            ax.step(st, sv, where="post", color="black", linestyle=style, linewidth=1.4)
            if len(times):
                end = times[-1] + np.timedelta64(31, "D")
                data_end = end if data_end is None else max(data_end, end)
        ax.set_title(title, fontsize=10.5, loc="left")
        shown = da.copy()
        shown.attrs = dict(da.attrs, units=ipl.period_units(da, "month"))
        ax.set_ylabel(ipl.axis_label(var, shown).replace(" (", "\n(", 1), fontsize=9)
        if args.log:
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_formatter(ipl.value_formatter(da))
        ax.grid(True, alpha=0.3)
        handles = [Patch(facecolor="C0", alpha=0.18), Patch(facecolor="C0", alpha=0.40),
                   Line2D([], [], color="C0", linewidth=1.6)]
        labels = ["simulated %s: 90%% of replicates" % var, "50% of replicates", "median"]
        for _, _, label, style in observed[n]:
            handles.append(Line2D([], [], color="black", linestyle=style, linewidth=1.4))
            labels.append("observed: " + label)
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        ax.text(1.015, 0.0, textwrap.fill(credit, 58), transform=ax.transAxes, fontsize=7, color="0.3",
                va="bottom", ha="left")
        ipl.format_time_axis(ax)
        ax.set_xlim(lo, hi)
        ax.tick_params(labelbottom=(i == len(names) - 1))
    for i in range(len(names)):
        ax = axes[i][0]
        if data_end is not None and np.datetime64(lo) < data_end < np.datetime64(hi):
            ax.axvspan(data_end, hi, color="0.93", zorder=0)
            if i == 0:
                ax.text(data_end, 0.5, "  observed data held back\n  for validation (from 2007)",
                        transform=ax.get_xaxis_transform(), fontsize=8, color="0.35", va="center")
        ipl.mark_events(ax, events, labels=(i == 0))
    title = args.title or "iraqsim: simulated observations beside the observed data, Iraq, by month"
    sub = "%s; simulated: median and 50%%/90%% bands over %d replicate%s%s" % (
        ipl.run_description(ds), nrep, "" if nrep == 1 else "s", "; dashed lines: policy events" if events else "")
    fig.suptitle("%s\n%s" % (title, sub), fontsize=11.5, x=0.01, ha="left", y=1.0)
    fig.tight_layout(rect=(0, 0, 1, 0.97), h_pad=2.2)
    path, fmt = ipl.output_path(args, "%s_observed" % os.path.splitext(os.path.basename(args.file))[0])
    ipl.save(fig, path, fmt, args.dpi)


def read_monthly(folder, name, column):
    """(months as datetime64[ns] at the first day, values) of one column of an observed CSV; empty
    cells are skipped."""
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        ipl.fail("observed data file %s not found (use --data-dir, or run from the source tree)" % path)
    times, values = [], []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if column not in (reader.fieldnames or []) or "month" not in reader.fieldnames:
            ipl.fail("%s has no column '%s' (columns: %s)" % (path, column, ", ".join(reader.fieldnames or [])))
        for row in reader:
            cell = (row.get(column) or "").strip()
            if not cell:
                continue
            try:
                times.append(np.datetime64(row["month"].strip() + "-01", "ns"))
                values.append(float(cell))
            except ValueError:
                ipl.fail("%s: cannot read month '%s' / %s '%s'" % (path, row.get("month"), column, cell))
    return np.array(times, dtype="datetime64[ns]"), np.array(values)


if __name__ == "__main__":
    ipl.run(main)
