#!/usr/bin/python3
"""Plot iraqsim variables over time for chosen provinces, factions and communities, with the run's
policy events marked as labelled vertical lines."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import iraqsim_plotlib as ipl  # noqa: E402

plt = ipl.plt

EPILOG = """\
Selections take ids or display names in any case, repeated or comma-separated
("Salah ad-Din", salah_ad_din, Sadrists, jam); 'all' picks every one, and for
--province 'national' aggregates over provinces (population-weighted for shares,
summed for counts). A dimension you do not choose is: province -> baghdad,
faction -> all, community -> aggregated.

examples:
  plot_timeseries.py baseline.h5
      support by faction in Baghdad, mean over replicates -> baseline_timeseries_support.png
  plot_timeseries.py baseline.h5 --province "Salah ad-Din" --faction aqi,awakening,sunni_insurgents
  plot_timeseries.py baseline.h5 --var us_troops --province baghdad,anbar,national -o troops.svg
  plot_timeseries.py baseline.h5 --var support --var us_troops --province anbar --replicate 0
  plot_timeseries.py baseline.h5 --var loyalty --community sunni_arab --province anbar,baghdad \\
      --faction aqi,awakening --from 2006-01-01 --to 2009-12-31 -o anbar.pdf
"""


def main():
    p = ipl.make_parser(__doc__, EPILOG)
    ipl.add_file_arg(p)
    p.add_argument("--var", action="append", metavar="VAR",
                   help="variable(s) to plot (repeat or comma-separate; default: support); "
                        "one panel per variable")
    p.add_argument("--province", action="append", metavar="P", help="province(s), 'all' or 'national'")
    p.add_argument("--faction", action="append", metavar="F", help="faction(s) or 'all' (default: all)")
    p.add_argument("--community", action="append", metavar="C",
                   help="community(ies) or 'all' (default: aggregated over communities)")
    ipl.add_replicate_arg(p)
    ipl.add_window_args(p)
    p.add_argument("--no-events", action="store_true", help="do not mark the policy events")
    ipl.add_output_args(p)
    args = p.parse_args()

    ds = ipl.open_run(args.file)
    var_names = ipl.split_list(args.var) or ["support"]
    for v in var_names:
        ipl.get_variable(ds, v)
    ipl.select_replicate(ds[var_names[0]].isel(time=0), args.replicate)  # validate early
    window = ipl.time_window(ds, args.start, args.end)

    user = ipl.user_selection(ds, args)
    defaults = {"province": ["baghdad"] if "baghdad" in ipl.ids(ds, "province") else [ipl.AGGREGATE],
                "faction": ipl.ids(ds, "faction") if "faction" in ds.dims else [],
                "community": [ipl.AGGREGATE],
                "sponsor": ipl.ids(ds, "sponsor") if "sponsor" in ds.dims else []}

    # Panels: one per variable, and per province when several provinces and another dimension vary.
    panels = []
    for v in var_names:
        da = ds[v]
        dims = [d for d in da.dims if d in ipl.CATEGORY_DIMS]
        choices = {d: user[d] if user.get(d) else defaults[d] for d in dims}
        series = ipl.reduce_selection(ds, v, choices)
        varying = [d for d in dims if len(choices[d]) > 1]
        facet = "province" in varying and len(varying) > 1
        groups = {}
        for labels, x in series:
            key = labels.get("province") if facet else None
            groups.setdefault(key, []).append((labels, x))
        for key, members in groups.items():
            line_dims = [d for d in varying if not (facet and d == "province")]
            fixed = {d: members[0][0][d] for d in dims if d not in line_dims}
            panels.append((v, da, line_dims, fixed, members))

    n = len(panels)
    ncols = 1 if n <= 4 else 2
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(11.5 if ncols == 1 else 16, 2.2 + 3.0 * nrows),
                             sharex=True, squeeze=False)
    events = [] if args.no_events else ipl.policy_events(ds, args.replicate)
    prev_labels = None
    for i, (v, da, line_dims, fixed, members) in enumerate(panels):
        ax = axes[i // ncols][i % ncols] if ncols > 1 else axes[i][0]
        scale, _ = ipl.value_scale(da)
        labels = []
        keys_for_colour = [m[0][line_dims[0]] for m in members] if line_dims else []
        colours = (ipl.series_colors(ds, line_dims[0], keys_for_colour) if line_dims
                   else ["C0"] * len(members))
        styles = ["-", "--", ":", "-."]
        second = sorted({m[0][line_dims[1]] for m in members}, key=str) if len(line_dims) > 1 else []
        for j, (lab, x) in enumerate(members):
            y = ipl.select_replicate(x, args.replicate).sel(time=window)
            text = " · ".join(name_of(ds, d, lab[d]) for d in line_dims)
            ls = styles[second.index(lab[line_dims[1]]) % len(styles)] if second else "-"
            colour = colours[j]
            if len(line_dims) > 1:  # colour by the first dim, line style by the second
                first_keys = list(dict.fromkeys(m[0][line_dims[0]] for m in members))
                colour = ipl.series_colors(ds, line_dims[0], first_keys)[first_keys.index(lab[line_dims[0]])]
            ax.plot(y.time.values, y.values * scale, color=colour, linestyle=ls, linewidth=1.6,
                    label=text or None)
            labels.append(text)
        ax.set_ylabel(ipl.axis_label(v, da))
        ax.yaxis.set_major_formatter(ipl.value_formatter(da))
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.set_title(panel_title(ds, v, fixed), fontsize=11, loc="left")
        ipl.format_time_axis(ax)
        ax.set_xlim(ipl.time_limits(ds, window))
        ipl.mark_events(ax, events)
        if any(labels) and labels != prev_labels:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False,
                      title=" · ".join(d for d in line_dims))
        prev_labels = labels
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    for row in axes:
        for ax in row:
            ax.tick_params(labelbottom=True)
    title = args.title or figure_title(var_names)
    sub = "%s; %s" % (ipl.run_description(ds), ipl.replicate_words(ds, args.replicate))
    if events:
        sub += "; dashed lines: policy events"
    fig.suptitle("%s\n%s" % (title, sub), fontsize=12, x=0.02, ha="left")
    fig.tight_layout()
    path, fmt = ipl.output_path(args, ipl.default_stem(args.file, "timeseries", "_".join(var_names)))
    ipl.save(fig, path, fmt, args.dpi)


def name_of(ds, dim, key):
    if key == ipl.AGGREGATE:
        return {"province": "Iraq (national)", "community": "all communities"}.get(dim, "all")
    return ipl.display_name(ds, dim, key)


def panel_title(ds, var_name, fixed):
    bits = []
    for d in ("province", "community", "faction", "sponsor"):
        if d in fixed:
            key = fixed[d]
            if key == ipl.AGGREGATE:
                bits.append(ipl.how_aggregated(ds, var_name, ds[var_name], d)
                            if d == "province" else "all communities")
                if d == "province":
                    bits[-1] = "Iraq (" + bits[-1] + ")"
            else:
                bits.append(ipl.display_name(ds, d, key))
    return "%s — %s" % (ipl.SHORT_NAMES.get(var_name, var_name), ", ".join(bits)) if bits \
        else ipl.SHORT_NAMES.get(var_name, var_name)


def figure_title(var_names):
    return "iraqsim: " + ", ".join(ipl.SHORT_NAMES.get(v, v) for v in var_names) + " over time"


if __name__ == "__main__":
    ipl.run(main)
