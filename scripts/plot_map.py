#!/usr/bin/python3
"""Map Iraq's 18 governorates coloured by an iraqsim variable at a date (the nearest recorded week),
or by 'control' (the faction holding the largest share of control), optionally animated over the run."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import iraqsim_plotlib as ipl  # noqa: E402
from matplotlib.colors import Normalize, to_rgb  # noqa: E402
from matplotlib.patches import Patch, Polygon  # noqa: E402
from matplotlib.path import Path  # noqa: E402

np = ipl.np
plt = ipl.plt

OUTLINES = os.path.join(ipl.WORLD_DIR, "governorate_outlines.geojson")
CREDIT = "Boundaries: ESOC Iraq v3 (Berman, Shapiro & Felter 2011)"
MEAN_LAT = 33.0  # for the aspect ratio of the plate carree map

# Governorates too small for their name: the label goes at an offset (degrees) with a leader line.
LABEL_OFFSETS = {"baghdad": (-1.2, 0.5), "karbala": (-1.15, -0.1)}

EPILOG = """\
--var control colours each governorate by the faction with the largest share of control
(with --faction F: by F's share)
(of the replicate mean, or of --replicate N); any other variable is coloured on
a scale with its units. A variable with a faction dimension needs --faction
(support, loyalty, militia ...); communities are aggregated unless --community
is given. Names take ids or display names in any case ("Salah ad-Din",
salah_ad_din, Sadrists, jam).

examples:
  plot_map.py baseline.h5
      who leads where in the last recorded week -> baseline_map_control.png
  plot_map.py baseline.h5 --var control --date 2007-06-01 -o control_2007.svg
  plot_map.py baseline.h5 --var support --faction jam --date 2008-03-25
  plot_map.py baseline.h5 --var us_troops --date 2007-10-01 --replicate 0
  plot_map.py baseline.h5 --var loyalty --faction aqi --community sunni_arab
  plot_map.py baseline.h5 --var us_troops --animate troops.gif --every 8 --fps 4

Boundaries: ESOC Iraq v3 governorate outlines (data/world/governorate_outlines.geojson),
simplified; cite Berman, Shapiro & Felter, JPE 119(4), 2011.
"""


def main():
    p = ipl.make_parser(__doc__, EPILOG)
    ipl.add_file_arg(p)
    p.add_argument("--var", default="control",
                   help="control, or a variable with a province dimension (support, us_troops, "
                        "us_posture, loyalty, residents, ...; default: control)")
    p.add_argument("--faction", metavar="F", help="the faction, for variables with a faction dimension")
    p.add_argument("--community", metavar="C",
                   help="a community, for variables with a community dimension (default: aggregated)")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="date shown: the nearest recorded week (default: the last recorded week)")
    ipl.add_replicate_arg(p)
    p.add_argument("--cmap", default=None, help="matplotlib colour map for numeric variables "
                                                "(default: YlOrRd for counts, viridis for shares)")
    p.add_argument("--vmax", type=float, help="top of the colour scale, in the units shown")
    p.add_argument("--animate", metavar="OUT.gif|OUT.mp4",
                   help="write an animation over the run instead of one map (GIF needs Pillow, "
                        "MP4 needs ffmpeg)")
    p.add_argument("--every", type=int, default=4, metavar="WEEKS",
                   help="animation: one frame every this many recorded weeks (default: 4)")
    p.add_argument("--fps", type=float, default=6, help="animation: frames per second (default: 6)")
    ipl.add_output_args(p, what="map")
    args = p.parse_args()

    ds = ipl.open_run(args.file)
    outlines = read_outlines(ds)
    mapper = make_mapper(ds, args)
    if args.animate:
        if args.every < 1:
            ipl.fail("--every must be at least 1")
        if args.fps <= 0:
            ipl.fail("--fps must be positive")
        animate(ds, args, outlines, mapper)
        return
    t = ipl.parse_date(ds, args.date) if args.date else ds.time.values[-1]
    k = ipl.nearest_time_index(ds, t)
    fig, state = draw(ds, args, outlines, mapper, k)
    path, fmt = ipl.output_path(args, ipl.default_stem(args.file, "map", args.var))
    ipl.save(fig, path, fmt, args.dpi)


# ---------------------------------------------------------------------------------------------
# Outlines

def read_outlines(ds):
    """province id -> list of (N, 2) lon/lat rings, from the ESOC outlines via the crosswalk."""
    if not os.path.exists(OUTLINES):
        ipl.fail("governorate outlines not found: %s (plot_map.py reads them from the source tree's "
                 "data/world/)" % OUTLINES)
    with open(OUTLINES, encoding="utf-8") as f:
        gj = json.load(f)
    esoc_to_id = {row["governorate_esoc"]: ipl.crosswalk_province_id(row) for row in ipl.read_crosswalk()}
    province_ids = set(ipl.ids(ds, "province"))
    shapes = {}
    for feat in gj.get("features", []):
        esoc = feat["properties"].get("governorate_esoc")
        pid = esoc_to_id.get(esoc)
        if pid is None:
            pid = ipl.norm(feat["properties"].get("name", ""))  # fall back on the common English name
        if pid not in province_ids:
            ipl.fail("outline '%s' matches no province in the file (ids: %s)" % (esoc, ", ".join(sorted(province_ids))))
        geom = feat["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        shapes[pid] = [np.asarray(poly[0], dtype=float) for poly in polys]  # exterior rings
    missing = province_ids - set(shapes)
    if missing:
        ipl.fail("no outline for province(s) %s in %s" % (", ".join(sorted(missing)), OUTLINES))
    return shapes


def label_point(rings):
    """A point well inside the largest ring: the grid point farthest from its edges."""
    ring = max(rings, key=lambda r: ring_area(r))
    path = Path(ring)
    (x0, y0), (x1, y1) = ring.min(axis=0), ring.max(axis=0)
    xs, ys = np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 60))
    pts = np.column_stack([xs.ravel(), ys.ravel()])
    inside = pts[path.contains_points(pts)]
    if len(inside) == 0:
        return ring.mean(axis=0)
    a, b = ring[:-1], ring[1:]  # edges
    ab = b - a
    ap = inside[:, None, :] - a[None, :, :]  # [point, edge, 2]
    u = np.clip((ap * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0, 1)
    scale = np.array([np.cos(np.radians(MEAN_LAT)), 1.0])
    d = np.linalg.norm((ap - u[..., None] * ab) * scale, axis=-1).min(axis=1)
    return inside[int(np.argmax(d))]


def ring_area(r):
    x, y = r[:, 0], r[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


# ---------------------------------------------------------------------------------------------
# What to colour by

class Mapper:
    """Turns week k into one value (or faction id) per province, and those into colours."""

    def __init__(self, ds, var, da, series, categorical, args):
        self.ds, self.var, self.da, self.categorical, self.args = ds, var, da, categorical, args
        # [time, province] after the replicate reduction, computed once
        self.values = ipl.select_replicate(series, args.replicate).transpose("time", "province", ...)
        self.provinces = ipl.ids(ds, "province")
        if categorical:
            self.colors = ipl.faction_colors(ds)
        else:
            self.scale, _ = ipl.value_scale(da)
            v = np.asarray(self.values.values, dtype=float) * self.scale
            vmax = args.vmax if args.vmax is not None else (np.nanmax(v) if np.isfinite(v).any() else 1.0)
            vmin = 0.0 if np.nanmin(v) >= 0 or not np.isfinite(v).any() else np.nanmin(v)
            self.norm = Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1)
            cmap_name = args.cmap or ("viridis" if ipl.value_scale(da)[1] == "%" else "YlOrRd")
            try:
                self.cmap = plt.get_cmap(cmap_name)
            except ValueError:
                ipl.fail("unknown colour map '%s' (see matplotlib's colormap reference)" % cmap_name)

    def week(self, k):
        """province -> (colour, value or faction id)."""
        if not hasattr(self, "_array"):
            self._array = np.asarray(self.values.values, dtype=float)  # [time, province(, faction)]
            self._factions = ipl.ids(self.ds, "faction") if self.categorical else None
        row = self._array[k]
        out = {}
        for i, pid in enumerate(self.provinces):
            if self.categorical:
                s = row[i]
                if not np.isfinite(s).any() or np.nanmax(s) <= 0:
                    out[pid] = ("0.85", None)
                else:
                    f = self._factions[int(np.nanargmax(s))]
                    out[pid] = (self.colors[f], f)
            else:
                v = row[i] * self.scale
                out[pid] = ((0.85, 0.85, 0.85, 1.0) if not np.isfinite(v) else self.cmap(self.norm(v)), v)
        return out


def make_mapper(ds, args):
    var = args.var
    if var == "control" and not args.faction:
        # The faction holding the largest share of control (older files: of support).
        da = ipl.get_variable(ds, "control" if "control" in ds.data_vars else "support")
        if args.community:
            ipl.fail("--community does not apply to --var control")
        series = da.transpose("replicate", "time", "province", "faction")
        return Mapper(ds, var, da, series, True, args)
    da = ipl.get_variable(ds, var)
    if "province" not in da.dims:
        ipl.fail("%s has no province dimension, so it cannot be mapped" % var)
    dims = [d for d in da.dims if d in ipl.CATEGORY_DIMS]
    choices = {"province": ipl.ids(ds, "province")}
    for d in dims:
        if d == "province":
            continue
        word = getattr(args, d, None)
        if word:
            key = ipl.resolve(ds, d, [word])
            if len(key) != 1:
                ipl.fail("--%s takes one %s for a map" % (d, d))
            choices[d] = key
        elif d == "community":
            choices[d] = [ipl.AGGREGATE]
        else:
            ipl.fail("%s has a %s dimension: choose one with --%s (e.g. --%s %s)"
                     % (var, d, d, d, ipl.ids(ds, d)[1 if d == "faction" else 0]))
    for d in ("faction", "community"):
        if getattr(args, d, None) and d not in dims:
            ipl.fail("--%s does not apply to %s (dimensions: %s)" % (d, var, ", ".join(da.dims)))
    series = ipl.reduce_selection(ds, var, choices)
    stacked = ipl.xr.concat([x for _, x in series], dim="province").assign_coords(province=choices["province"])
    return Mapper(ds, var, da, stacked, False, args)


# ---------------------------------------------------------------------------------------------
# Drawing

def titles(ds, args, mapper, k):
    when = ipl.day(ds.time.values[k])
    if mapper.categorical:
        what = "Leading faction by support"
    else:
        what = ipl.SHORT_NAMES.get(args.var, args.var)
        bits = []
        if args.faction:
            bits.append(ipl.display_name(ds, "faction", ipl.resolve(ds, "faction", [args.faction])[0]))
        if "community" in mapper.da.dims:
            bits.append(ipl.display_name(ds, "community", ipl.resolve(ds, "community", [args.community])[0])
                        if args.community else "all communities")
        if bits:
            what += " — " + ", ".join(bits)
    title = args.title or "iraqsim: %s, week of %s" % (what, when)
    sub = "%s; %s" % (ipl.run_description(ds), ipl.replicate_words(ds, args.replicate))
    if args.date and not args.animate and ipl.day(ipl.parse_date(ds, args.date)) != when:
        sub += "; the recorded week nearest %s" % ipl.day(ipl.parse_date(ds, args.date))
    return title, sub


def draw(ds, args, outlines, mapper, k):
    fig = plt.figure(figsize=(9.2, 7.6))
    ax = fig.add_axes([0.02, 0.06, 0.66 if mapper.categorical else 0.78, 0.84])
    ax.set_aspect(1.0 / np.cos(np.radians(MEAN_LAT)))
    ax.set_axis_off()
    week = mapper.week(k)
    patches, texts = {}, {}
    for pid, rings in outlines.items():
        colour, _ = week[pid]
        patches[pid] = []
        for ring in rings:
            poly = Polygon(ring, closed=True, facecolor=colour, edgecolor="white", linewidth=0.9)
            ax.add_patch(poly)
            patches[pid].append(poly)
    allpts = np.vstack([r for rings in outlines.values() for r in rings])
    (x0, y0), (x1, y1) = allpts.min(axis=0), allpts.max(axis=0)
    ax.set_xlim(x0 - 1.1, x1 + 0.3)
    ax.set_ylim(y0 - 0.3, y1 + 0.3)
    names = ipl.display_names(ds, "province")
    for pid, rings in outlines.items():
        px, py = label_point(rings)
        colour, _ = week[pid]
        if pid in LABEL_OFFSETS:
            dx, dy = LABEL_OFFSETS[pid]
            t = ax.annotate(names[pid], (px, py), xytext=(px + dx, py + dy), textcoords="data",
                            ha="center", va="center", fontsize=8.5, color="black",
                            arrowprops=dict(arrowstyle="-", color="0.3", linewidth=0.7, shrinkA=0, shrinkB=0),
                            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8))
            texts[pid] = (t, False)
        else:
            t = ax.text(px, py, names[pid], ha="center", va="center", fontsize=8.5,
                        color=text_colour(colour))
            texts[pid] = (t, True)
    title, sub = titles(ds, args, mapper, k)
    title_artist = fig.suptitle(title, fontsize=13, x=0.02, ha="left", y=0.975)
    fig.text(0.02, 0.925, sub, fontsize=9.5, color="0.25", ha="left")
    fig.text(0.99, 0.012, CREDIT, fontsize=7, color="0.4", ha="right", va="bottom")
    if mapper.categorical:
        leaders = control_legend_factions(mapper, args)
        handles = [Patch(facecolor=mapper.colors[f], edgecolor="white", label=ipl.display_name(ds, "faction", f))
                   for f in leaders]
        if any(c is None for _, c in week.values()):
            handles.append(Patch(facecolor="0.85", label="no support data"))
        fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.69, 0.5), frameon=False,
                   fontsize=9, title="largest share of residents", title_fontsize=9)
    else:
        sm = plt.cm.ScalarMappable(norm=mapper.norm, cmap=mapper.cmap)
        cax = fig.add_axes([0.83, 0.2, 0.025, 0.56])
        cb = fig.colorbar(sm, cax=cax)
        cb.set_label(ipl.axis_label(args.var, mapper.da))
        cb.formatter = ipl.value_formatter(mapper.da)
        cb.update_ticks()
        if any(not np.isfinite(v) for _, v in week.values()):
            fig.legend(handles=[Patch(facecolor="0.85", label="no value")], loc="lower left",
                       bbox_to_anchor=(0.80, 0.08), frameon=False, fontsize=8)
    return fig, dict(ax=ax, patches=patches, texts=texts, title=title_artist)


def control_legend_factions(mapper, args):
    """Factions that lead somewhere: in the week shown, or in any frame of an animation."""
    share = np.asarray(mapper.values.values, dtype=float)  # [time, province, faction]
    if not args.animate:
        k = ipl.nearest_time_index(mapper.ds, ipl.parse_date(mapper.ds, args.date)) if args.date else -1
        share = share[[k]]
    share = np.where(np.isfinite(share), share, -1)
    leading = np.argmax(share, axis=-1)
    valid = share.max(axis=-1) > 0
    keys = ipl.ids(mapper.ds, "faction")
    return [keys[i] for i in sorted(set(leading[valid].ravel().tolist()))]


def text_colour(face):
    if isinstance(face, str):
        face = to_rgb(face)
    r, g, b = face[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def animate(ds, args, outlines, mapper):
    from matplotlib import animation
    out = args.animate
    ext = os.path.splitext(out)[1].lower()
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        ipl.fail("output folder %s does not exist" % folder)
    if ext == ".gif":
        try:
            import PIL  # noqa: F401
        except ImportError:
            ipl.fail("writing a GIF needs Pillow (Debian: apt-get install python3-pil)")
        writer = animation.PillowWriter(fps=args.fps)
    elif ext == ".mp4":
        if not animation.writers.is_available("ffmpeg"):
            ipl.fail("writing an MP4 needs ffmpeg (Debian: apt-get install ffmpeg); or write a .gif")
        writer = animation.FFMpegWriter(fps=args.fps)
    else:
        ipl.fail("--animate takes a .gif or .mp4 file name, not %s" % out)
    frames = list(range(0, ds.sizes["time"], args.every))
    if frames[-1] != ds.sizes["time"] - 1:
        frames.append(ds.sizes["time"] - 1)
    fig, state = draw(ds, args, outlines, mapper, frames[0])

    def update(k):
        week = mapper.week(k)
        for pid, polys in state["patches"].items():
            for poly in polys:
                poly.set_facecolor(week[pid][0])
            text, on_map = state["texts"][pid]
            if on_map:
                text.set_color(text_colour(week[pid][0]))
        state["title"].set_text(titles(ds, args, mapper, k)[0])
        return []

    anim = animation.FuncAnimation(fig, update, frames=frames, blit=False)
    try:
        anim.save(out, writer=writer, dpi=min(args.dpi, 100))
    except (OSError, RuntimeError) as e:
        ipl.fail("cannot write %s: %s" % (out, e))
    plt.close(fig)
    print("wrote %s (%d frames)" % (out, len(frames)))


if __name__ == "__main__":
    ipl.run(main)
