#!/usr/bin/python3
"""Compare a what-if run with its baseline as paired differences: replicate r of the what-if minus
replicate r of the baseline, week by week (or summed by month or year), with the median and the
50%/90% bands of those differences over replicates, and below them both runs' medians.

Pairing is valid because the two runs use common random numbers: with the same seed, replicate r of
each file draws from the same random streams, so the runs agree until the what-if's changes take
effect and their difference is the effect of the changes, not noise between two draws. The two
files must therefore have the same seed, the same number of replicates and the same time axis; the
script refuses them otherwise."""
import difflib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import iraqsim_plotlib as ipl  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

np = ipl.np
plt = ipl.plt

EPILOG = """\
Both files come from `iraqsim run` with the same --seed and --replicates (a
what-if is an overlay on the baseline, so it shares the baseline's seed unless
told otherwise). Flows (units per week: civilian_deaths, attacks, us_fatalities,
reported_*) are summed over the weeks starting in each month or year; stocks and
shares are averaged. Several provinces or factions are aggregated together (sum
for counts, weighted mean for shares); with no --province the figure is
national. Variables with a faction dimension: counts default to all factions
summed; shares (support, control, loyalty) need one --faction.

examples:
  iraqsim run -o baseline.h5 --replicates 8
  iraqsim run scenarios/whatif/no-surge.toml -o no-surge.h5 --replicates 8
  plot_compare.py baseline.h5 no-surge.h5
      national civilian deaths by month -> no-surge_vs_baseline_civilian_deaths.png
  plot_compare.py baseline.h5 no-surge.h5 --var attacks --province baghdad,anbar --per year
  plot_compare.py baseline.h5 no-ceasefire.h5 --var attacks_by --faction jam,special_groups
  plot_compare.py baseline.h5 no-surge.h5 --var support --faction awakening --province anbar \\
      --per week --from 2006-06-01 --to 2009-12-31 -o anbar.svg
"""


def main():
    p = ipl.make_parser(__doc__, EPILOG)
    p.add_argument("baseline", help="the baseline run (HDF5, e.g. baseline.h5)")
    p.add_argument("whatif", help="the what-if run, same seed and replicates (e.g. no-surge.h5)")
    p.add_argument("--var", default="civilian_deaths", help="variable to compare (default: civilian_deaths)")
    p.add_argument("--province", action="append", metavar="P",
                   help="province(s), aggregated together, or 'national' (default: national)")
    p.add_argument("--faction", action="append", metavar="F",
                   help="faction(s), aggregated together (counts; default: all) or one (shares)")
    p.add_argument("--community", action="append", metavar="C",
                   help="community(ies), aggregated together (default: all communities)")
    p.add_argument("--per", choices=ipl.PERIODS, default="month",
                   help="sum flows (average stocks) by week, month or year (default: month)")
    ipl.add_window_args(p)
    p.add_argument("--no-events", action="store_true", help="do not mark the events that differ")
    ipl.add_output_args(p)
    args = p.parse_args()

    base = ipl.open_run(args.baseline)
    what = ipl.open_run(args.whatif)
    check_pairing(base, what, args.baseline, args.whatif)
    var = args.var
    for ds, path in ((base, args.baseline), (what, args.whatif)):
        if var not in ds.data_vars:
            names = ipl.data_variables(ds)
            close = difflib.get_close_matches(var, names, n=1)
            hint = " (did you mean %s?)" % close[0] if close else ""
            ipl.fail("%s has no variable '%s'%s; it has: %s" % (path, var, hint, ", ".join(names)))
        ipl.get_variable(ds, var)
    da = base[var]
    other = [d for d in da.dims[2:] if d not in ("province", "faction", "community")]
    if other:
        ipl.fail("plot_compare.py compares variables over province, faction and community; '%s' also "
                 "has the dimension(s) %s" % (var, ", ".join(other)))
    for ds, path in ((base, args.baseline), (what, args.whatif)):
        ipl.check_weekly(ds, path, ds[var], args.per)

    choices = selection(base, var, da, args)
    b, words = ipl.reduce_group(base, var, choices)
    w, _ = ipl.reduce_group(what, var, choices)
    b.attrs, w.attrs = dict(da.attrs), dict(da.attrs)
    window = ipl.time_window(base, args.start, args.end)
    b, w = b.sel(time=window), w.sel(time=window)
    diff = w - b
    diff.attrs = dict(da.attrs)
    bp, wp, dp = (ipl.by_period(x, args.per) for x in (b, w, diff))

    scale, _ = ipl.value_scale(da)
    shown = da.copy()
    shown.attrs = dict(da.attrs, units=ipl.period_units(da, args.per))
    ylabel = ipl.axis_label(var, shown)
    name_b, name_w = ipl.scenario_label(base, args.baseline), ipl.scenario_label(what, args.whatif)
    if name_b == name_w:
        name_b = "%s (%s)" % (name_b, os.path.basename(args.baseline))
        name_w = "%s (%s)" % (name_w, os.path.basename(args.whatif))
    step = args.per != "week"
    t = dp.time.values
    nrep = base.sizes["replicate"]

    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(11, 8), sharex=True,
                                   gridspec_kw={"height_ratios": [1.15, 1]})
    colour_w, colour_b, colour_d = "C3", "0.25", "C4"
    ax1.axhline(0, color="0.3", linewidth=0.8)
    ipl.fan(ax1, t, dp.values * scale, colour_d, step=step)
    ax1.set_title("Paired difference, replicate by replicate: %s − %s" % (name_w, name_b),
                  fontsize=10.5, loc="left")
    ax1.set_ylabel("Difference in\n" + ylabel[:1].lower() + ylabel[1:], fontsize=9)
    ax1.yaxis.set_major_formatter(ipl.value_formatter(da))
    ax1.grid(True, alpha=0.3)
    h, n = ipl.fan_legend_handles(colour_d)
    ax1.legend(h, n, loc="upper left", fontsize=8, frameon=False)

    ipl.fan(ax2, t, bp.values * scale, colour_b, label=name_b, step=step, alpha=(0.0, 0.22))
    ipl.fan(ax2, t, wp.values * scale, colour_w, label=name_w, step=step, alpha=(0.0, 0.22))
    ax2.set_title("Median over replicates of each run (bands: 50% of replicates)", fontsize=10.5, loc="left")
    ax2.set_ylabel(ylabel, fontsize=9)
    ax2.yaxis.set_major_formatter(ipl.value_formatter(da))
    ax2.set_ylim(bottom=0)
    ax2.grid(True, alpha=0.3)
    ax2.legend([Line2D([], [], color=colour_b, linewidth=1.6), Line2D([], [], color=colour_w, linewidth=1.6),
                Patch(facecolor="0.5", alpha=0.22)],
               ["%s: median" % name_b, "%s: median" % name_w, "50% of replicates"],
               loc="upper left", fontsize=8.5, frameon=False)

    lo, hi = ipl.time_limits(base, window)
    if step:  # the last period's step reaches to the end of that period
        hi = max(np.datetime64(hi, "ns"), np.datetime64(t[-1], "ns"))
    events = [] if args.no_events else differing_events(base, what, name_b, name_w)
    for ax in (ax1, ax2):
        ipl.format_time_axis(ax)
        ax.set_xlim(lo, hi)
        ax.tick_params(labelbottom=True)
    ipl.mark_events(ax1, events)
    ipl.mark_events(ax2, events, labels=False)

    where = place_words(base, var, da, words)
    title = args.title or "iraqsim: %s%s — %s vs %s" % (short_name(var, da), where, name_w, name_b)
    sub = "seed %s, %d replicate pair%s (common random numbers); %s" % (
        base.attrs.get("seed", "?"), nrep, "" if nrep == 1 else "s", ipl.period_words(da, args.per))
    sub2 = summary_words(diff, da, scale)
    if events:
        sub2 += "; dashed lines: events in one run only"
    fig.suptitle("%s\n%s\n%s" % (title, sub, sub2), fontsize=11.5, x=0.01, ha="left", y=1.0)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    stem = "%s_vs_%s_%s" % (stem_of(args.whatif), stem_of(args.baseline), var)
    path, fmt = ipl.output_path(args, stem)
    print(summary_line(diff, da, scale, name_w, name_b))
    ipl.save(fig, path, fmt, args.dpi)


def stem_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def check_pairing(base, what, pb, pw):
    """Same time axis, same replicates, same seed: otherwise replicate r of one is not the twin of
    replicate r of the other, and a paired difference means nothing."""
    def span(ds):
        t = ds.time.values
        return "%d recorded weeks, %s to %s" % (len(t), ipl.day(t[0]), ipl.day(t[-1]))
    tb, tw = base.time.values, what.time.values
    if len(tb) != len(tw) or not (tb == tw).all():
        ipl.fail("cannot pair %s and %s: their time axes differ (%s: %s; %s: %s); run both over the "
                 "same period with the same output.every_weeks" % (pb, pw, pb, span(base), pw, span(what)))
    rb, rw = base.sizes["replicate"], what.sizes["replicate"]
    if rb != rw:
        ipl.fail("cannot pair %s and %s: they hold %d and %d replicates; pairing replicate r of one "
                 "with replicate r of the other needs the same number (run both with --replicates %d)"
                 % (pb, pw, rb, rw, min(rb, rw)))
    sb, sw = base.attrs.get("seed"), what.attrs.get("seed")
    if sb is None or sw is None:
        ipl.fail("cannot pair %s and %s: %s has no seed attribute, so common random numbers cannot be "
                 "checked" % (pb, pw, pb if sb is None else pw))
    if str(sb) != str(sw):
        ipl.fail("cannot pair %s and %s: their seeds differ (%s: %s, %s: %s); pairing requires the same "
                 "seed, so that replicate r of each file shares its random streams (common random "
                 "numbers): rerun one with --seed %s" % (pb, pw, pb, sb, pw, sw, sb))
    if base.attrs.get("scenario_text") is not None and \
            base.attrs.get("scenario_text") == what.attrs.get("scenario_text"):
        print("%s: note: %s and %s hold the same scenario; their differences are zero"
              % (ipl.PROG, pb, pw), file=sys.stderr)


def selection(ds, var, da, args):
    dims = [d for d in da.dims if d in ("province", "faction", "community")]
    choices = {}
    share = str(da.attrs.get("units", "")).strip() in ("1", "")
    for d in dims:
        words = ipl.split_list(getattr(args, d))
        if d == "province":
            keys = ipl.resolve(ds, d, words, ("national", "iraq")) if words else [ipl.AGGREGATE]
            if ipl.AGGREGATE in keys:
                keys = [ipl.AGGREGATE]
        elif d == "faction" and share:
            keys = ipl.resolve(ds, d, words) if words else []
            if len(keys) != 1:
                ipl.fail("'%s' is a share of each faction: choose one with --faction (one of: %s)"
                         % (var, ", ".join(ipl.ids(ds, "faction"))))
        else:
            keys = ipl.resolve(ds, d, words) if words else [ipl.AGGREGATE]
            if len(keys) == len(ipl.ids(ds, d)):
                keys = [ipl.AGGREGATE]
        choices[d] = keys
    return choices


def short_name(var, da):
    if var in ipl.SHORT_NAMES:
        return ipl.SHORT_NAMES[var]
    label = ipl.axis_label(var, da)
    return label.rsplit(" (", 1)[0]


def place_words(ds, var, da, words):
    bits = []
    for d in ("province", "community", "faction"):
        if d not in words:
            continue
        if words[d] is None:
            if d == "province":
                bits.append("Iraq (%s)" % ipl.how_aggregated(ds, var, da, "province"))
            elif d == "community":
                bits.append("all communities")
            else:
                bits.append("all factions")
        else:
            bits.append(words[d])
    return " — " + ", ".join(bits) if bits else ""


def differing_events(base, what, name_b, name_w):
    """Policy events (time, label) that fired in one run and not the other."""
    eb, ew = set(ipl.policy_events(base, "mean")), set(ipl.policy_events(what, "mean"))
    out = [(t, "%s (%s only)" % (s, name_b)) for t, s in eb - ew]
    out += [(t, "%s (%s only)" % (s, name_w)) for t, s in ew - eb]
    return sorted(out)


def totals(diff, da, scale):
    """Per replicate: the difference summed over the weeks shown (flows) or in the last week (stocks)."""
    if ipl.is_flow(da):
        return diff.sum("time", skipna=True).values * scale, "summed over the weeks shown"
    return diff.isel(time=-1).values * scale, "in the last week shown"


def fmt(v):
    return "{:+,.0f}".format(v) if abs(v) >= 100 else "%+.3g" % v


def summary_words(diff, da, scale):
    values, how = totals(diff, da, scale)
    q05, q50, q95 = ipl.quantiles(values, (0.05, 0.5, 0.95))
    unit = ipl.value_scale(da)[1]
    unit = " percentage points" if unit == "%" else " " + str(da.attrs.get("units", "")).replace("/week", "")
    return "difference %s: median %s%s (90%% of replicates: %s to %s)" % (how, fmt(q50), unit, fmt(q05), fmt(q95))


def summary_line(diff, da, scale, name_w, name_b):
    return "%s - %s: %s" % (name_w, name_b, summary_words(diff, da, scale))


if __name__ == "__main__":
    ipl.run(main)
