#!/usr/bin/python3
"""Fan charts over an iraqsim run's replicates: the median with 50% and 90% bands, one panel per
province/faction/community chosen. Without --province, provinces are aggregated (national): counts
are summed, shares averaged with population (or troop) weights; the title says which."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import iraqsim_plotlib as ipl  # noqa: E402

np = ipl.np
plt = ipl.plt

EPILOG = """\
Selections take ids or display names in any case, repeated or comma-separated
("Salah ad-Din", salah_ad_din, Sadrists, jam); 'all' picks every one. A dimension
you do not choose is: province -> national (aggregated), faction -> all,
community -> aggregated. Quantiles are taken over replicates week by week (a run
with one replicate has no spread to show).

examples:
  plot_ensemble.py baseline.h5
      national support of every faction, one panel each -> baseline_ensemble_support.png
  plot_ensemble.py baseline.h5 --var us_troops
  plot_ensemble.py baseline.h5 --province baghdad --faction jam,isci,government -o baghdad.svg
  plot_ensemble.py baseline.h5 --var loyalty --community sunni_arab --province anbar \\
      --faction aqi,awakening --from 2006-01-01 --to 2009-12-31
"""


def main():
    p = ipl.make_parser(__doc__, EPILOG)
    ipl.add_file_arg(p)
    p.add_argument("--var", default="support", help="variable to plot (default: support)")
    p.add_argument("--province", action="append", metavar="P",
                   help="province(s), 'all' or 'national' (default: national)")
    p.add_argument("--faction", action="append", metavar="F", help="faction(s) or 'all' (default: all)")
    p.add_argument("--community", action="append", metavar="C",
                   help="community(ies) or 'all' (default: aggregated over communities)")
    p.add_argument("--columns", type=int, default=0, metavar="N",
                   help="panels per row (default: 1 for up to 3 panels, else 2)")
    p.add_argument("--sharey", action="store_true", help="the same value axis for every panel")
    ipl.add_window_args(p)
    p.add_argument("--no-events", action="store_true", help="do not mark the policy events")
    ipl.add_output_args(p)
    args = p.parse_args()

    ds = ipl.open_run(args.file)
    var = args.var
    da = ipl.get_variable(ds, var)
    window = ipl.time_window(ds, args.start, args.end)
    dims = [d for d in da.dims if d in ipl.CATEGORY_DIMS]
    user = ipl.user_selection(ds, args)
    defaults = {"province": [ipl.AGGREGATE], "community": [ipl.AGGREGATE],
                "faction": ipl.ids(ds, "faction") if "faction" in ds.dims else [],
                "sponsor": ipl.ids(ds, "sponsor") if "sponsor" in ds.dims else []}
    choices = {d: user[d] if user.get(d) else defaults[d] for d in dims}
    series = ipl.reduce_selection(ds, var, choices)
    varying = [d for d in dims if len(choices[d]) > 1]
    fixed = {d: choices[d][0] for d in dims if d not in varying}

    n = len(series)
    ncols = args.columns if args.columns > 0 else (1 if n <= 3 else 2)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.5 * ncols if ncols > 1 else 10, 1.6 + 2.6 * nrows),
                             sharex=True, sharey=args.sharey, squeeze=False)
    scale, _ = ipl.value_scale(da)
    events = [] if args.no_events else ipl.policy_events(ds, "mean")
    nrep = ds.sizes["replicate"]
    for i, (labels, x) in enumerate(series):
        ax = axes[i // ncols][i % ncols]
        x = x.sel(time=window)
        values = np.asarray(x.values, dtype=float) * scale  # [replicate, time]
        colour = (ipl.faction_colors(ds).get(labels["faction"], "C0")
                  if "faction" in labels and labels["faction"] != ipl.AGGREGATE else "C0")
        q05, q25, q50, q75, q95 = ipl.fan(ax, x.time.values, values, colour)
        ax.set_title(panel_title(ds, labels, varying, fixed), fontsize=10, loc="left")
        ax.grid(True, alpha=0.3)
        ax.yaxis.set_major_formatter(ipl.value_formatter(da))
        top = np.nanmax(q95) if np.isfinite(q95).any() else np.nan
        if not np.isfinite(top) or top <= 0:
            ax.text(0.5, 0.5, "no data" if not np.isfinite(top) else "zero in every replicate",
                    transform=ax.transAxes, ha="center", va="center", color="0.4", fontsize=9)
        if not args.sharey:
            ax.set_ylim(bottom=0, top=top * 1.08 if np.isfinite(top) and top > 0 else 1)
        if i % ncols == 0:
            ax.set_ylabel(ipl.axis_label(var, da), fontsize=9)
        ipl.format_time_axis(ax)
        ax.set_xlim(ipl.time_limits(ds, window))
        ipl.mark_events(ax, events, labels=(i < ncols))
        ax.tick_params(labelbottom=True)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)

    handles, names = ipl.fan_legend_handles()
    fig.legend(handles, names, loc="lower center", ncol=3, fontsize=9, frameon=False,
               bbox_to_anchor=(0.5, 0.0))
    where = place_words(ds, var, da, fixed)
    title = args.title or "iraqsim: %s%s, spread over replicates" % (ipl.SHORT_NAMES.get(var, var), where)
    sub = "%s; median and 50%%/90%% bands over %d replicate%s" % (ipl.run_description(ds), nrep,
                                                              "" if nrep == 1 else "s")
    if events:
        sub += "; dashed lines: policy events"
    fig.suptitle("%s\n%s" % (title, sub), fontsize=12, x=0.01, ha="left", y=1.0)
    fig.tight_layout(rect=(0, 0.45 / fig.get_figheight(), 1, 0.985))
    path, fmt = ipl.output_path(args, ipl.default_stem(args.file, "ensemble", var))
    if nrep == 1:
        print("%s: note: one replicate, so the bands are empty" % ipl.PROG, file=sys.stderr)
    ipl.save(fig, path, fmt, args.dpi)


def place_words(ds, var, da, fixed):
    bits = []
    for d in ("province", "community", "faction", "sponsor"):
        if d not in fixed:
            continue
        key = fixed[d]
        if key == ipl.AGGREGATE:
            if d == "province":
                bits.append("national (%s)" % ipl.how_aggregated(ds, var, da, "province"))
            elif d == "community":
                bits.append("all communities")
        else:
            bits.append(ipl.display_name(ds, d, key))
    return " — " + ", ".join(bits) if bits else ""


def panel_title(ds, labels, varying, fixed):
    parts = []
    for d in varying:
        key = labels[d]
        parts.append({"province": "Iraq (national)", "community": "all communities"}.get(d, "all")
                     if key == ipl.AGGREGATE else ipl.display_name(ds, d, key))
    return " · ".join(parts) if parts else ""


if __name__ == "__main__":
    ipl.run(main)
