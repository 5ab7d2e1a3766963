#!/usr/bin/python3
"""Shared helpers for the iraqsim plotting scripts (plot_timeseries.py, plot_ensemble.py, plot_map.py,
plot_compare.py, plot_sweep.py, plot_observed.py).

Not a script of its own: the plotting scripts import it from their own directory. It opens an
iraqsim output file with xarray, resolves province/faction/community ids or display names, picks a
variable and reduces the dimensions a figure does not show (population- or troop-weighted for
shares, summed for counts), builds axis labels from the `units` attribute, marks the policy log's
events on a time axis, sums weekly flows over months or years, draws fan charts (median with 50%
and 90% bands over replicates) and saves figures (PNG by default, SVG or PDF by extension or
--format).

Runs under /usr/bin/python3 with Debian's python3-xarray, python3-h5py, python3-matplotlib and
python3-numpy; never opens a window (Agg backend).
"""
import argparse
import csv
import difflib
import itertools
import os
import re
import sys
import warnings

import matplotlib

matplotlib.use("Agg")  # never open a window, even if MPLBACKEND says otherwise
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

SCRIPT_DIR = os.path.dirname(os.path.realpath(__file__))
REPO_DIR = os.path.dirname(SCRIPT_DIR)
WORLD_DIR = os.path.join(REPO_DIR, "data", "world")

PROG = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "iraqsim-plot"

# Dimensions that select things (as opposed to replicate and time), in the order figures use them.
CATEGORY_DIMS = ("province", "faction", "community", "sponsor")
AGGREGATE = "*"  # selection token: aggregate over the dimension (national, all communities, ...)

# Short axis labels; anything else falls back to the variable's long_name.
SHORT_NAMES = {
    "support": "Support",
    "loyalty": "Loyalty",
    "residents": "Residents",
    "us_troops": "US troops",
    "us_posture": "US troops dispersed",
    "militia": "Militia",
    "civilian_deaths": "Civilian deaths",
    "civilian_deaths_by": "Civilian deaths by perpetrator",
    "civilian_deaths_by_us": "Civilian deaths caused by US forces",
    "attacks": "Attacks on US and Iraqi forces",
    "attacks_by": "Attacks on forces by faction",
    "attacks_on_us": "Attacks on US forces",
    "us_fatalities": "US military deaths (hostile)",
    "isf_deaths": "Iraqi security force deaths",
    "fighters_killed": "Fighters killed",
    "fighters_detained": "Fighters detained",
    "reported_attacks": "Reported attacks (SIGACT-like)",
    "reported_civilian_deaths": "Reported civilian deaths (IBC-like)",
    "control": "Control",
    "tension": "Sectarian tension",
    "displaced": "Displaced",
    "refugees": "Refugees",
}
# What a share variable is a share of: the weights used to average it over provinces/communities.
SHARE_WEIGHTS = {"support": "residents", "loyalty": "residents", "us_posture": "us_troops"}
WEIGHT_WORDS = {"residents": "population-weighted", "us_troops": "troop-weighted"}

FORMATS = ("png", "svg", "pdf")


class PlotError(Exception):
    """A user-facing error: printed as 'PROG: error: message', exit status 1."""


def fail(message):
    raise PlotError(message)


def run(main):
    """Call main() and turn PlotError (and a few common failures) into a message and exit 1."""
    try:
        main()
    except PlotError as e:
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


def make_parser(description, epilog):
    return argparse.ArgumentParser(prog=PROG, description=description, epilog=epilog,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def add_file_arg(parser):
    parser.add_argument("file", help="an iraqsim output file (HDF5, e.g. baseline.h5)")


def add_output_args(parser, what="figure"):
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="output %s (.png, .svg or .pdf; default: <file stem>_<plot>_<var>.png "
                             "in the current directory)" % what)
    parser.add_argument("--format", choices=FORMATS,
                        help="output format (default: from the extension of -o, else png)")
    parser.add_argument("--dpi", type=int, default=100, help="resolution of PNG output (default: 100)")
    parser.add_argument("--title", help="replace the figure title")


def add_replicate_arg(parser):
    parser.add_argument("--replicate", default="mean", metavar="N|mean|median",
                        help="a replicate index, or mean or median over replicates (default: mean)")


def split_list(values):
    """['a,b', 'c'] -> ['a', 'b', 'c']: options may repeat or take comma-separated lists."""
    out = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


# ---------------------------------------------------------------------------------------------
# Opening a file

def open_run(path):
    """Open an iraqsim output file with xarray; clear errors for missing or foreign files."""
    if not os.path.exists(path):
        fail("no such file: %s" % path)
    if os.path.isdir(path):
        fail("%s is a directory, not an iraqsim output file" % path)
    ds, errors = None, []
    for engine in ("h5netcdf", "netcdf4", None):
        try:
            ds = xr.open_dataset(path, engine=engine)
            break
        except Exception as e:  # noqa: BLE001 - any reader failure is reported below
            errors.append("%s: %s" % (engine or "default", str(e).splitlines()[0] if str(e) else type(e).__name__))
    if ds is None:
        fail("cannot read %s as an iraqsim output file (%s)" % (path, errors[0]))
    if "time" not in ds.dims or "replicate" not in ds.dims:
        fail("%s is not an iraqsim output file (no time and replicate dimensions)" % path)
    if "run" in ds.dims and "summary" in ds.variables:
        fail("%s is a sweep file (iraqsim sweep): plot it with plot_sweep.py" % path)
    if not np.issubdtype(ds.time.dtype, np.datetime64):
        fail("%s: the time coordinate could not be decoded as dates" % path)
    if ds.sizes["time"] == 0:
        fail("%s holds no recorded weeks" % path)
    return ds


def data_variables(ds):
    """Names of the plottable variables: numeric, [replicate, time, ...]."""
    return [name for name, v in ds.data_vars.items()
            if v.dims[:2] == ("replicate", "time") and v.dtype.kind in "fiu"]


def get_variable(ds, name):
    names = data_variables(ds)
    if name not in ds.data_vars or name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = " (did you mean %s?)" % close[0] if close else ""
        fail("unknown variable '%s'%s; this file has: %s" % (name, hint, ", ".join(names)))
    return ds[name]


def run_description(ds):
    a = ds.attrs
    bits = ["scenario %s" % a.get("scenario_name", "?")]
    if "seed" in a:
        bits.append("seed %s" % a["seed"])
    n = ds.sizes["replicate"]
    bits.append("%d replicate%s" % (n, "" if n == 1 else "s"))
    return ", ".join(bits)


# ---------------------------------------------------------------------------------------------
# Names

def norm(text):
    """'Salah ad-Din' -> 'salah_ad_din': ids and display names compare in this form."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def ids(ds, dim):
    return [str(x) for x in ds[dim].values]


def display_names(ds, dim):
    """id -> display name (the <dim>_name auxiliary coordinate), the id itself if there is none."""
    keys = ids(ds, dim)
    name_var = dim + "_name"
    if name_var in ds.variables and ds[name_var].dims == (dim,):
        return dict(zip(keys, (str(x) for x in ds[name_var].values)))
    return {k: k for k in keys}


def display_name(ds, dim, key):
    return display_names(ds, dim).get(key, key)


def read_crosswalk():
    """Rows of data/world/governorate_name_crosswalk.csv, or [] when the data folder is absent."""
    path = os.path.join(WORLD_DIR, "governorate_name_crosswalk.csv")
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def crosswalk_province_id(row):
    """The province id gen_world.py derives from a crosswalk row (common English, no parenthetical)."""
    return norm(re.sub(r"\s*\([^)]*\)", "", row["common_english"]))


def _aliases(ds, dim):
    """normalised alias -> id: ids, display names, and for provinces the crosswalk's spellings."""
    table = {}
    for key, name in display_names(ds, dim).items():
        table[norm(key)] = key
        table[norm(name)] = key
    if dim == "province":
        keys = set(ids(ds, dim))
        for row in read_crosswalk():
            pid = crosswalk_province_id(row)
            if pid not in keys:
                continue
            for col in ("governorate_esoc", "province_beger_ibc", "common_english"):
                if row.get(col):
                    table.setdefault(norm(row[col]), pid)
            for inner in re.findall(r"\(([^)]*)\)", row.get("common_english", "")):
                table.setdefault(norm(inner), pid)  # 'Diwaniya'
    return table


def resolve(ds, dim, values, allow_aggregate=()):
    """User words -> ids along dim. Ids or display names, any case ('Salah ad-Din', salah_ad_din),
    a unique prefix ('sadrists'), 'all' for every id; words in allow_aggregate (e.g. 'national')
    give the AGGREGATE token."""
    table = _aliases(ds, dim)
    out = []
    for word in values:
        key = norm(word)
        if key in allow_aggregate:
            out.append(AGGREGATE)
            continue
        if key == "all":
            out.extend(ids(ds, dim))
            continue
        if key in table:
            out.append(table[key])
            continue
        prefixed = sorted({v for k, v in table.items() if key and k.startswith(key)})
        if len(prefixed) == 1:
            out.append(prefixed[0])
            continue
        choices = ids(ds, dim)
        if prefixed:
            fail("%s '%s' is ambiguous: %s" % (dim, word, ", ".join(prefixed)))
        close = difflib.get_close_matches(key, list(table), n=1)
        hint = " (did you mean %s?)" % table[close[0]] if close else ""
        extra = " or %s" % "/".join(sorted(allow_aggregate)) if allow_aggregate else ""
        fail("unknown %s '%s'%s; choose from: %s%s (ids or display names, any case)"
             % (dim, word, hint, ", ".join(choices), extra))
    seen, unique = set(), []
    for k in out:
        if k not in seen:
            seen.add(k)
            unique.append(k)
    return unique


# ---------------------------------------------------------------------------------------------
# Selecting and reducing

def user_selection(ds, args):
    """The entities named on the command line (--province, --faction, --community), resolved to ids;
    None where an option was not given. "national" or "iraq" stands for the whole country."""
    return {
        "province": resolve(ds, "province", split_list(args.province), ("national", "iraq"))
        if args.province else None,
        "faction": resolve(ds, "faction", split_list(args.faction)) if args.faction else None,
        "community": resolve(ds, "community", split_list(args.community)) if args.community else None,
        "sponsor": None,
    }


def _is_share(da):
    return str(da.attrs.get("units", "")).strip() in ("1", "")


def initial_weights(ds, var_name, da):
    """Weights for averaging a share variable over provinces/communities (None: plain mean)."""
    wname = SHARE_WEIGHTS.get(var_name)
    if not _is_share(da) or wname is None or wname not in ds.data_vars:
        return None
    w = ds[wname]
    extra = [d for d in w.dims if d not in da.dims]
    if extra:
        w = w.sum(extra)
    return w


def how_aggregated(ds, var_name, da, dim):
    if not _is_share(da):
        return "sum over %ss" % dim
    w = SHARE_WEIGHTS.get(var_name)
    if w and w in ds.data_vars:
        return "%s mean over %ss" % (WEIGHT_WORDS.get(w, w + "-weighted"), dim)
    return "mean over %ss" % dim


def reduce_selection(ds, var_name, choices):
    """choices: dim -> list of ids or AGGREGATE for each category dim of the variable.
    Returns [(labels, DataArray[replicate, time])], labels: dim -> id or AGGREGATE, one entry per
    combination, in the order the choices give."""
    da = ds[var_name]
    dims = [d for d in da.dims if d in CATEGORY_DIMS]
    weights = initial_weights(ds, var_name, da)
    series = []
    for combo in itertools.product(*(choices[d] for d in dims)):
        x, w = da, weights
        for d, key in zip(dims, combo):
            if key != AGGREGATE:
                x = x.sel({d: key})
                if w is not None and d in w.dims:
                    w = w.sel({d: key})
        for d, key in zip(dims, combo):
            if key == AGGREGATE:
                if not _is_share(da):
                    x = x.sum(d, skipna=True)
                elif w is not None and d in w.dims:
                    total = w.sum(d)
                    x = (x * w).sum(d) / total.where(total > 0)
                    w = total
                else:
                    x = x.mean(d)
        series.append((dict(zip(dims, combo)), x.transpose("replicate", "time")))
    return series


def reduce_group(ds, var_name, choices):
    """One series [replicate, time] for choices: dim -> list of ids (several are aggregated
    together: summed for counts, weighted mean for shares) or [AGGREGATE] (the whole dimension).
    Returns (DataArray, words), words: dim -> text such as 'Baghdad + Anbar' or None (aggregate)."""
    sub, single, words = ds, {}, {}
    for d, keys in choices.items():
        if keys == [AGGREGATE]:
            single[d] = [AGGREGATE]
            words[d] = None
        elif len(keys) == 1:
            single[d] = keys
            words[d] = display_name(ds, d, keys[0])
        else:
            sub = sub.sel({d: keys})
            single[d] = [AGGREGATE]
            words[d] = " + ".join(display_name(ds, d, k) for k in keys)
    (_, x), = reduce_selection(sub, var_name, single)
    return x, words


def select_replicate(da, which):
    """Reduce the replicate dimension: an index, 'mean' or 'median'."""
    key = str(which).strip().lower()
    if key == "mean":
        return da.mean("replicate")
    if key == "median":
        return da.median("replicate")
    try:
        r = int(key)
    except ValueError:
        fail("--replicate must be a replicate index, mean or median, not '%s'" % which)
    n = da.sizes["replicate"]
    if not 0 <= r < n:
        fail("replicate %d is outside this run (replicates 0 .. %d)" % (r, n - 1))
    return da.isel(replicate=r)


def replicate_words(ds, which):
    key = str(which).strip().lower()
    n = ds.sizes["replicate"]
    if key in ("mean", "median"):
        return "%s of %d replicate%s" % (key, n, "" if n == 1 else "s")
    return "replicate %s" % key


# ---------------------------------------------------------------------------------------------
# Dates

WEEK = np.timedelta64(7, "D")


def day(t):
    return str(np.datetime_as_string(np.datetime64(t, "D")))


def run_span(ds):
    """First and last day the run covers: the first recorded week to the end of the last one
    (or the scenario's end_date when that comes first)."""
    first, last = ds.time.values[0], ds.time.values[-1] + WEEK - np.timedelta64(1, "D")
    try:
        end = np.datetime64(str(ds.attrs["end_date"]), "ns")
        if ds.time.values[-1] <= end < last:
            last = end
    except (KeyError, ValueError):
        pass
    return first, last


def parse_date(ds, text, option="--date"):
    try:
        t = np.datetime64(str(text).strip(), "D")
    except ValueError:
        fail("%s: '%s' is not a date (use YYYY-MM-DD)" % (option, text))
    first, last = run_span(ds)
    if t < np.datetime64(first, "D") or t > np.datetime64(last, "D"):
        fail("%s %s is outside the run (%s to %s)" % (option, day(t), day(first), day(last)))
    return t


def nearest_time_index(ds, t):
    times = ds.time.values
    return int(np.argmin(np.abs(times - np.datetime64(t, "ns"))))


def time_window(ds, start, end):
    """slice of recorded weeks for --from/--to (None: the whole run)."""
    t0 = parse_date(ds, start, "--from") if start else None
    t1 = parse_date(ds, end, "--to") if end else None
    if t0 is not None and t1 is not None and t1 <= t0:
        fail("--to %s is not after --from %s" % (day(t1), day(t0)))
    return slice(np.datetime64(t0, "ns") if t0 is not None else None,
                 np.datetime64(t1, "ns") if t1 is not None else None)


def time_limits(ds, window):
    """x-axis limits for a time_window(): the dates asked for, else the first and last week."""
    t = ds.time.values
    return (window.start if window.start is not None else t[0],
            window.stop if window.stop is not None else t[-1])


def add_window_args(parser):
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first date shown")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last date shown")


def format_time_axis(ax):
    locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


# ---------------------------------------------------------------------------------------------
# Units and labels

def value_scale(da):
    """(factor, unit text): shares are shown in percent, other units as their `units` attribute."""
    units = str(da.attrs.get("units", "")).strip()
    if units in ("1", ""):
        return 100.0, "%"
    return 1.0, units


def axis_label(var_name, da):
    scale, unit = value_scale(da)
    name = SHORT_NAMES.get(var_name)
    if name is None:
        long_name = str(da.attrs.get("long_name", var_name))
        name = long_name[:1].upper() + long_name[1:]
    if unit == "%":
        what = {"support": "% of residents", "loyalty": "% of the community"}.get(var_name, "%")
        return "%s (%s)" % (name, what)
    return "%s (%s)" % (name, unit)


def value_formatter(da):
    """Tick formatter: thousands separators for counts, plain numbers for percent."""
    _, unit = value_scale(da)
    if unit == "%":
        return mticker.FuncFormatter(lambda v, _: ("%g" % round(v, 6)))
    return mticker.FuncFormatter(lambda v, _: "{:,.0f}".format(v) if abs(v) >= 100 or v == 0 else "%g" % v)


# ---------------------------------------------------------------------------------------------
# Flows and periods

PERIODS = ("week", "month", "year")
PERIOD_RULES = {"month": "MS", "year": "AS"}


def is_flow(da):
    """Flows are counts per week (units 'persons/week', 'attacks/week', ...): summed over periods."""
    return str(da.attrs.get("units", "")).strip().endswith("/week")


def check_weekly(ds, path, da, per):
    """Summing weekly flows over months needs every week recorded (output.every_weeks = 1)."""
    every = ds.attrs.get("record_every_weeks", 1)
    try:
        every = int(np.asarray(every).ravel()[0])
    except (TypeError, ValueError, IndexError):
        every = 1
    if per != "week" and is_flow(da) and every != 1:
        fail("%s records every %d weeks, so its weekly flows cannot be summed by %s: use --per week, "
             "or run with --set output.every_weeks=1" % (path, every, per))


def by_period(da, per):
    """Weekly [.., time] -> per calendar month or year, labelled by the period's first day. Flows
    are spread evenly over the 7 days of their week and summed by calendar period (so a month is
    not 4 or 5 whole weeks, and monthly sums compare with monthly data); periods after the last
    recorded week are dropped, so the last period holds the days of it that fall inside it.
    Stocks and shares are averaged over the weeks starting in the period. 'week' leaves da as is."""
    if per == "week":
        return da
    if not is_flow(da):
        out = da.resample(time=PERIOD_RULES[per]).mean(skipna=True)
        out.attrs = dict(da.attrs)
        return out
    unit = "M" if per == "month" else "Y"
    days = da.time.values.astype("datetime64[D]")
    spans = (days[:, None] + np.arange(7)).astype("datetime64[%s]" % unit)  # [week, day] -> period
    periods = np.unique(spans)
    periods = periods[periods <= days[-1].astype("datetime64[%s]" % unit)]
    weights = np.zeros((len(days), len(periods)))
    rows, cols = np.nonzero(spans[:, :, None] == periods[None, None, :])[0::2]
    np.add.at(weights, (rows, cols), 1.0 / 7.0)
    x = da.transpose(*[d for d in da.dims if d != "time"], "time")
    vals = np.nan_to_num(np.asarray(x.values, dtype=float)) @ weights
    coords = {d: x.coords[d] for d in x.dims if d != "time" and d in x.coords}
    out = xr.DataArray(vals, dims=x.dims, coords=dict(coords, time=periods.astype("datetime64[ns]")),
                       attrs=dict(da.attrs))
    return out.transpose(*da.dims)


def period_units(da, per):
    """Units text of a by_period() result: 'persons/month' for flows, 'persons' for stocks."""
    units = str(da.attrs.get("units", "")).strip()
    if per != "week" and is_flow(da):
        return units[: -len("/week")] + "/" + per
    return units


def period_words(da, per):
    if per == "week":
        return "weekly"
    return ("summed by calendar %s" % per) if is_flow(da) else ("%sly mean" % per)


def quantiles(values, qs=(0.05, 0.25, 0.5, 0.75, 0.95)):
    """Quantiles over axis 0 (replicates), quiet about all-NaN columns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(np.asarray(values, dtype=float), list(qs), axis=0)


def step_edges(t, values):
    """For drawing period values (labelled by the period's start) as steps with where="post": one
    more edge at the end of the last period (its length taken from the one before), so the last
    period shows as a step and not as a point. values: [..., period]."""
    t = np.asarray(t)
    values = np.asarray(values, dtype=float)
    if len(t) < 2:
        return t, values
    end = t[-1] + (t[-1] - t[-2])
    return np.append(t, end), np.concatenate([values, values[..., -1:]], axis=-1)


def fan(ax, t, values, colour, label=None, bands=True, linewidth=1.6, alpha=(0.18, 0.40), step=False):
    """Median over replicates (axis 0 of values) with the 50% and 90% bands. Returns the quantiles
    (q05, q25, q50, q75, q95) at t. step=True draws period values as steps (monthly sums)."""
    result = quantiles(values)
    if step:
        t, values = step_edges(t, values)
    q05, q25, q50, q75, q95 = quantiles(values)
    kw = {"step": "post"} if step else {}
    if bands and np.asarray(values).shape[0] > 1:
        ax.fill_between(t, q05, q95, color=colour, alpha=alpha[0], linewidth=0, **kw)
        ax.fill_between(t, q25, q75, color=colour, alpha=alpha[1], linewidth=0, **kw)
    if step:
        ax.step(t, q50, where="post", color=colour, linewidth=linewidth, label=label)
    else:
        ax.plot(t, q50, color=colour, linewidth=linewidth, label=label)
    return result


def fan_legend_handles(colour="0.45"):
    """Legend entries explaining a fan: 90% band, 50% band, median."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    return ([Patch(facecolor=colour, alpha=0.18), Patch(facecolor=colour, alpha=0.40),
             Line2D([], [], color=colour, linewidth=1.6)],
            ["90% of replicates (5th-95th percentile)", "50% of replicates (25th-75th)", "median"])


def scenario_label(ds, path):
    """A run's scenario name (global attribute scenario_name), else the file's stem."""
    name = str(ds.attrs.get("scenario_name", "")).strip()
    return name or os.path.splitext(os.path.basename(path))[0]


# ---------------------------------------------------------------------------------------------
# Colours

def faction_colors(ds):
    """Fixed colour per faction (by its position in the file), the same in every script."""
    keys = ids(ds, "faction") if "faction" in ds.dims else []
    cmap = plt.get_cmap("tab10" if len(keys) <= 10 else "tab20")
    return {k: cmap(i % cmap.N) for i, k in enumerate(keys)}


def series_colors(ds, dim, keys):
    if dim == "faction":
        fc = faction_colors(ds)
        return [fc.get(k, "grey") for k in keys]
    cmap = plt.get_cmap("tab10" if len(keys) <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(len(keys))]


# ---------------------------------------------------------------------------------------------
# The policy log

def policy_events(ds, replicate="mean"):
    """[(time, label)] from the policy log: the firings of one replicate, or for mean/median every
    (event, week) that fired in any replicate, with 'k/R' when not all replicates fired it."""
    need = ("event_time", "event_id", "event_replicate")
    if "event" not in ds.dims or any(v not in ds.variables for v in need) or ds.sizes["event"] == 0:
        return []
    times = ds.event_time.values
    names = [str(x) for x in ds.event_id.values]
    reps = ds.event_replicate.values
    key = str(replicate).strip().lower()
    n = ds.sizes["replicate"]
    counts = {}
    for t, name, r in zip(times, names, reps):
        if key not in ("mean", "median") and int(r) != int(key):
            continue
        counts.setdefault((t, name), set()).add(int(r))
    out = []
    for (t, name), rs in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        label = name if key not in ("mean", "median") or len(rs) == n else "%s (%d/%d)" % (name, len(rs), n)
        out.append((t, label))
    return out


def mark_events(ax, events, labels=True, color="0.35", headroom=0.22):
    """Dashed vertical lines at the events' weeks; labels rotated along the lines at the top of the
    axes, with `headroom` (a fraction of the height) added above the data for them. Events closer
    than ~2% of the axis span share one label. Call it after the data and limits are set."""
    if not events:
        return
    lo, hi = [mdates.num2date(v).replace(tzinfo=None) for v in ax.get_xlim()]
    lo, hi = np.datetime64(lo, "ns"), np.datetime64(hi, "ns")
    shown = [(t, s) for t, s in events if lo <= t <= hi]
    if not shown:
        return
    gap = (hi - lo) * 0.02
    groups = []
    for t, s in shown:
        if groups and t - groups[-1][0] <= gap:
            groups[-1][1].append(s)
        else:
            groups.append((t, [s]))
    if labels and headroom:  # room at the top for the labels, above most of the data
        lo_y, hi_y = ax.get_ylim()
        ax.set_ylim(lo_y, lo_y + (hi_y - lo_y) / (1 - headroom))
    for t, _ in shown:
        ax.axvline(t, color=color, linestyle="--", linewidth=0.9, zorder=1)
    if labels:
        for t, ss in groups:
            ax.text(t, 0.985, "\n".join(s + " " for s in ss), transform=ax.get_xaxis_transform(), rotation=90,
                    ha="right", va="top", fontsize=7, color="0.2", zorder=5, clip_on=True,
                    bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.75))


# ---------------------------------------------------------------------------------------------
# Output

def output_path(args, default_stem):
    path = args.output or default_stem
    root, ext = os.path.splitext(path)
    ext = ext.lower().lstrip(".")
    if args.format:
        fmt = args.format
        if ext != fmt:
            path = path + "." + fmt if ext not in FORMATS else root + "." + fmt
    elif ext in FORMATS:
        fmt = ext
    elif args.output and ext:
        fail("cannot tell the format of %s: use .png, .svg or .pdf, or --format" % path)
    else:
        fmt = "png"
        path = path + ".png"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        fail("output folder %s does not exist" % folder)
    return path, fmt


def default_stem(file_path, plot, var_name):
    stem = os.path.splitext(os.path.basename(file_path))[0]
    return "%s_%s_%s" % (stem, plot, var_name)


def save(fig, path, fmt, dpi):
    try:
        fig.savefig(path, format=fmt, dpi=dpi, bbox_inches="tight",
                    metadata={"Software": "iraqsim plotting scripts (matplotlib)"} if fmt == "png" else None)
    except OSError as e:
        fail("cannot write %s: %s" % (path, e))
    plt.close(fig)
    print("wrote %s" % path)
