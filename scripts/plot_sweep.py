#!/usr/bin/python3
"""Plot a sweep (iraqsim sweep, DIR/sweep.h5): a summary metric against each swept parameter, one
panel per parameter (every replicate as a faint dot, each point's replicate mean as a dot, and the
median of the point means in bins of the parameter as a line), and, when the file holds them, the
sensitivity indices of that metric as bars: Morris mu* and sigma (morris designs) or Sobol
first-order and total indices with their 95% bootstrap intervals (saltelli designs)."""
import difflib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import iraqsim_plotlib as ipl  # noqa: E402

np = ipl.np
plt = ipl.plt
xr = ipl.xr

EPILOG = """\
FILE is DIR/sweep.h5 or the sweep's directory DIR. Metrics are the summary
metrics the sweep keeps for every run (docs/sweeps.md): final_support_<faction>,
final_militia_<faction>, total_, peak_ and <year>_ totals of civilian_deaths,
attacks and us_fatalities (total_attacks, peak_attacks, attacks_2007, ...).
Parameters are named by their scenario key or any unique part of it
(diffusion_rate, surge_2007.date). Parameters with a log-uniform distribution get
a logarithmic axis; dates a date axis; levels of strings or booleans a category
axis.

examples:
  iraqsim sweep scenarios/sweeps/screening-morris.toml -o results/screening
  plot_sweep.py results/screening/sweep.h5
      total civilian deaths against each parameter, with Morris mu*/sigma
      -> screening-morris_sweep_total_civilian_deaths.png
  plot_sweep.py results/screening --metric final_support_jam --param diffusion_rate,iran_prior
  plot_sweep.py results/sobol-indices/sweep.h5 --metric peak_attacks -o sobol.svg
"""


def main():
    p = ipl.make_parser(__doc__, EPILOG)
    p.add_argument("file", help="a sweep file (DIR/sweep.h5) or the sweep's directory")
    p.add_argument("--metric", default="total_civilian_deaths",
                   help="summary metric to plot (default: total_civilian_deaths)")
    p.add_argument("--param", action="append", metavar="KEY",
                   help="swept parameter(s) to show, repeated or comma-separated (default: all)")
    p.add_argument("--bins", type=int, default=0, metavar="N",
                   help="bins of the median line (default: from the number of points, 3 to 10)")
    p.add_argument("--no-indices", action="store_true", help="leave out the sensitivity bars")
    ipl.add_output_args(p)
    args = p.parse_args()

    path = args.file
    if os.path.isdir(path):
        path = os.path.join(path, "sweep.h5")
    ds = open_sweep(path)
    metric = pick_metric(ds, path, args.metric)
    params = pick_params(ds, path, ipl.split_list(args.param))
    dists = distributions(ds)
    y_all = ds.summary.sel(metric=metric).values.astype(float)  # [run, replicate]
    units = str(ds.metric_units.sel(metric=metric).values) if "metric_units" in ds else ""
    scale, unit_text = (100.0, "%") if units in ("1", "") else (1.0, units)
    y_all = y_all * scale
    with np.errstate(all="ignore"):
        y_mean = np.nanmean(y_all, axis=1)
    nrep = ds.sizes.get("replicate", 1)
    npoints = ds.sizes["run"]
    metric_label = "%s (%s)" % (metric_name(ds, metric), unit_text)

    indices = [] if args.no_indices else available_indices(ds)
    n = len(params)
    ncols = min(3, n)
    nrows = (n + ncols - 1) // ncols
    height = 0.9 + 3.2 * nrows + (3.4 if indices else 0)
    fig = plt.figure(figsize=(4.6 * ncols + 1.2 if ncols > 1 else 8, height))
    gs = fig.add_gridspec(nrows + (1 if indices else 0), ncols,
                          height_ratios=[1] * nrows + ([1.1] if indices else []))
    for i, key in enumerate(params):
        ax = fig.add_subplot(gs[i // ncols, i % ncols])
        scatter_panel(ax, ds, key, dists.get(key, "uniform"), y_all, y_mean, nrep, args.bins)
        if i % ncols == 0:
            ax.set_ylabel(metric_label, fontsize=9)
        ax.yaxis.set_major_formatter(ipl.mticker.FuncFormatter(
            lambda v, _: "{:,.0f}".format(v) if abs(v) >= 100 or v == 0 else "%g" % round(v, 6)))
    if indices:
        ax = fig.add_subplot(gs[nrows, :])
        index_panel(ax, ds, metric, params, indices, unit_text, scale)

    design = str(ds.attrs.get("sweep_design", "?"))
    name = str(ds.attrs.get("sweep_name", os.path.basename(os.path.dirname(os.path.abspath(path)))))
    title = args.title or "iraqsim sweep %s: %s against each parameter" % (name, metric_name(ds, metric))
    sub = "%s design, %d point%s x %d replicate%s, seed %s; dots: each point's mean over replicates%s; " \
          "line: median of the point means in bins of the parameter" % (
              design, npoints, "" if npoints == 1 else "s", nrep, "" if nrep == 1 else "s",
              ds.attrs.get("seed", "?"), " (faint: single replicates)" if nrep > 1 else "")
    fig.suptitle("%s\n%s" % (title, wrap(sub, 120)), fontsize=11.5, x=0.01, ha="left", y=1.0)
    fig.tight_layout(rect=(0, 0, 1, 0.97 if height > 6 else 0.93))
    out, fmt = ipl.output_path(args, "%s_sweep_%s" % (name, metric))
    ipl.save(fig, out, fmt, args.dpi)


def wrap(text, width):
    import textwrap
    return "\n".join(textwrap.wrap(text, width))


def open_sweep(path):
    if not os.path.exists(path):
        ipl.fail("no such file: %s" % path)
    ds, errors = None, []
    for engine in ("h5netcdf", "netcdf4"):
        try:
            ds = xr.open_dataset(path, engine=engine)
            break
        except Exception as e:  # noqa: BLE001 - any reader failure is reported below
            errors.append(str(e).splitlines()[0] if str(e) else type(e).__name__)
    if ds is None:
        ipl.fail("cannot read %s as an iraqsim sweep file (%s)" % (path, errors[0]))
    missing = [v for v in ("summary", "metric", "parameter") if v not in ds.variables]
    if "run" not in ds.dims or missing:
        what = "; for a single run use plot_timeseries.py, plot_ensemble.py or plot_map.py" \
            if "replicate" in ds.dims else ""
        ipl.fail("%s is not an iraqsim sweep file (no run dimension or no %s)%s"
                 % (path, ", ".join(missing) or "run", what))
    if ds.sizes["run"] == 0:
        ipl.fail("%s holds no runs" % path)
    return ds


def pick_metric(ds, path, word):
    names = [str(m) for m in ds.metric.values]
    if word in names:
        return word
    hits = [m for m in names if word.lower() in m.lower()]
    if len(hits) == 1:
        return hits[0]
    close = difflib.get_close_matches(word, names, n=1)
    hint = " (did you mean %s?)" % close[0] if close else ""
    if len(hits) > 1:
        ipl.fail("metric '%s' is ambiguous in %s: %s" % (word, path, ", ".join(hits)))
    ipl.fail("%s has no metric '%s'%s; it has: %s" % (path, word, hint, ", ".join(names)))


def pick_params(ds, path, words):
    names = [str(k) for k in ds.parameter.values]
    for k in names:
        if k not in ds.variables:
            ipl.fail("%s lists parameter '%s' but holds no variable of that name" % (path, k))
    if not words:
        return names
    out = []
    for w in words:
        if w in names:
            hits = [w]
        else:
            hits = [k for k in names if w.lower() in k.lower()]
        if len(hits) != 1:
            close = difflib.get_close_matches(w, names, n=1)
            hint = " (did you mean %s?)" % close[0] if close else ""
            if hits:
                ipl.fail("parameter '%s' is ambiguous in %s: %s" % (w, path, ", ".join(hits)))
            ipl.fail("%s has no swept parameter '%s'%s; it has: %s" % (path, w, hint, ", ".join(names)))
        if hits[0] not in out:
            out.append(hits[0])
    return out


def distributions(ds):
    """key -> 'uniform' or 'log_uniform', from the resolved sweep text (global attribute sweep_text)."""
    text = ds.attrs.get("sweep_text")
    if not text:
        return {}
    try:
        import tomllib
        doc = tomllib.loads(str(text))
    except Exception:  # noqa: BLE001 - no tomllib (Python < 3.11) or odd text: linear axes
        return {}
    return {p.get("key"): p.get("distribution", "uniform") for p in doc.get("parameter", [])}


def metric_name(ds, metric):
    """'total_civilian_deaths' -> 'Total civilian deaths'; 'final_support_jam' ->
    'Final support of Sadrists / Jaish al-Mahdi'."""
    for prefix, label in (("final_support_", "Final support of %s"), ("final_militia_", "Final fighters of %s")):
        if metric.startswith(prefix) and "faction" in ds.dims:
            names = ipl.display_names(ds, "faction")
            if metric[len(prefix):] in names:
                return label % names[metric[len(prefix):]]
    text = metric.replace("_", " ")
    return text[:1].upper() + text[1:]


def param_label(ds, key, dist):
    units = ""
    if key in ds.variables:
        units = str(ds[key].attrs.get("units", "")).strip()
    label = key + (" (%s)" % units if units and units != "1" else "")
    return label + (", log scale" if dist == "log_uniform" else "")


def scatter_panel(ax, ds, key, dist, y_all, y_mean, nrep, bins):
    x = ds[key].values
    kind = x.dtype.kind
    if kind in "OSUb":  # categories: levels of strings or booleans
        cats = sorted({str(v) for v in x})
        pos = np.array([cats.index(str(v)) for v in x], dtype=float)
        jitter = (np.arange(len(pos)) % 7 - 3) * 0.03
        xs = pos + jitter
        if nrep > 1:
            ax.scatter(np.repeat(xs, nrep), y_all.ravel(), s=6, color="C0", alpha=0.2, linewidth=0)
        ax.scatter(xs, y_mean, s=16, color="C0", alpha=0.8, linewidth=0)
        med = [np.nanmedian(y_mean[pos == i]) for i in range(len(cats))]
        ax.plot(range(len(cats)), med, color="C3", linewidth=2, marker="o", label="median")
        ax.set_xticks(range(len(cats)))
        ax.set_xticklabels(cats, fontsize=8)
    else:
        if kind == "M":
            xv = x.astype("datetime64[D]").astype(float)  # days: bins computed on numbers
        else:
            xv = x.astype(float)
        if nrep > 1:
            ax.scatter(np.repeat(x, nrep), y_all.ravel(), s=6, color="C0", alpha=0.2, linewidth=0)
        ax.scatter(x, y_mean, s=16, color="C0", alpha=0.8, linewidth=0)
        bx, by = binned_median(xv, y_mean, dist == "log_uniform", bins)
        if len(bx):
            bxs = bx.astype("datetime64[D]") if kind == "M" else bx
            ax.plot(bxs, by, color="C3", linewidth=2, marker="o", markersize=3.5, label="binned median")
        if dist == "log_uniform" and (xv > 0).all():
            ax.set_xscale("log")
        if kind == "M":
            ipl.format_time_axis(ax)
    ax.set_xlabel(param_label(ds, key, dist), fontsize=9)
    ax.grid(True, alpha=0.3)
    ax.tick_params(labelsize=8)


def binned_median(x, y, log, bins):
    """Median of y in bins of x: each distinct value when there are few (grids, Morris levels),
    else equal-count bins. Returns (bin centres as medians of x, medians of y)."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) == 0:
        return np.array([]), np.array([])
    span = float(x.max() - x.min()) or 1.0
    key = np.round((x - x.min()) / span * 1e6)  # levels equal up to rounding (Morris grids) are one
    levels = np.unique(key)
    if len(levels) <= 12 and not bins:
        return (np.array([np.median(x[key == v]) for v in levels]),
                np.array([np.median(y[key == v]) for v in levels]))
    n = bins or int(min(10, max(3, len(x) // 8)))
    t = np.log(x) if log and (x > 0).all() else x
    edges = np.unique(np.quantile(t, np.linspace(0, 1, n + 1)))
    idx = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(edges) - 2)
    cx, cy = [], []
    for b in range(len(edges) - 1):
        sel = idx == b
        if sel.any():
            cx.append(np.median(x[sel]))
            cy.append(np.median(y[sel]))
    return np.array(cx), np.array(cy)


def available_indices(ds):
    out = []
    if all(v in ds.variables for v in ("morris_mu_star", "morris_sigma")):
        out.append("morris")
    if all(v in ds.variables for v in ("sobol_first", "sobol_total")):
        out.append("sobol")
    return out


def index_panel(ax, ds, metric, params, indices, unit_text, scale):
    y = np.arange(len(params))
    h = 0.38
    labels = list(params)
    if "sobol" in indices:
        values, ends = [], []
        for j, (var, name, colour) in enumerate((("sobol_first", "first-order index S1", "C0"),
                                                   ("sobol_total", "total index ST", "C1"))):
            v = ds[var].sel(metric=metric, parameter=params).values.astype(float)
            err = None
            if var + "_low" in ds.variables and var + "_high" in ds.variables:
                lo = ds[var + "_low"].sel(metric=metric, parameter=params).values.astype(float)
                hi = ds[var + "_high"].sel(metric=metric, parameter=params).values.astype(float)
                err = np.vstack([np.clip(v - lo, 0, None), np.clip(hi - v, 0, None)])
            ax.barh(y + (j - 0.5) * h, v, height=h, color=colour, label=name, xerr=err,
                    error_kw={"elinewidth": 1, "capsize": 3, "ecolor": "0.2"})
            values.extend(v)
            if err is not None:
                ends.extend(lo)
                ends.extend(hi)
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.set_xlabel("Sobol index (share of the metric's variance; bars: 95% bootstrap interval)", fontsize=9)
        title = "Sobol indices of %s" % metric
        lo_ax = min([-0.05] + [x for x in values if np.isfinite(x)])
        hi_ax = max([1.05] + [x for x in values if np.isfinite(x)])
        ends = [x for x in ends if np.isfinite(x)]
        if ends and (min(ends) < lo_ax - 0.5 or max(ends) > hi_ax + 0.5):
            ax.set_xlim(lo_ax - 0.5, hi_ax + 0.5)  # an index lies in [0, 1]: keep that range readable
            title += " (some intervals run off the axis: widest %.3g to %.3g; more base samples narrow them)" \
                % (min(ends), max(ends))
        ax.set_title(title, fontsize=10.5, loc="left")
    else:
        for j, (var, name, colour) in enumerate((("morris_mu_star", "mu* (mean |elementary effect|)", "C0"),
                                                   ("morris_sigma", "sigma (spread of the effects)", "C1"))):
            v = ds[var].sel(metric=metric, parameter=params).values.astype(float) * scale
            ax.barh(y + (j - 0.5) * h, v, height=h, color=colour, label=name)
        unit = "percentage points" if unit_text == "%" else unit_text
        ax.set_xlabel("Change of the metric's replicate mean (%s) per unit of the parameter's range" % unit,
                      fontsize=9)
        ax.set_title("Morris screening of %s: importance (mu*) and interactions or non-linearity (sigma)"
                     % metric, fontsize=10.5, loc="left")
    ax.xaxis.set_major_formatter(ipl.mticker.FuncFormatter(
        lambda v, _: "{:,.0f}".format(v) if abs(v) >= 100 or v == 0 else "%g" % round(v, 6)))
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    ax.tick_params(labelsize=8)


if __name__ == "__main__":
    ipl.run(main)
