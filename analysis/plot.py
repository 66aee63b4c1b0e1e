#!/usr/bin/python3
"""Teaching figures of a CoreStride results file (docs/analysis.md).

    /usr/bin/python3 analysis/plot.py --results RESULTS.h5 --analysis ANALYSIS.h5 -o OUTDIR
                                      [--metric NAME] [--run NAME]

RESULTS.h5 is written by `corestride run|exercises|sweep`, ANALYSIS.h5 by `corestride analyze`.
The script only reads and draws; every number comes from the two files. Each figure is saved
as PNG and SVG into OUTDIR (which must exist) and one line is printed per file written:

  fig1_l5s1_cycle       L5/S1 compression and AP shear over the gait cycle, one line per run
  fig2_sweep_heatmap    a sweep metric over the first two swept parameters (sweeps only)
  fig2b_sensitivity     standardised regression coefficients of that metric (sweeps only)
  fig3_exercise_bars    change of the peak L5/S1 loads after each exercise (exercises only)
  fig4_muscle_groups    which muscle groups take over in one run against the reference run
  fig5_stick_figure     stick figure at five key instants, with the L5/S1 force
  fig5_stride.gif       animation of the whole stride

A figure the files have no data for is skipped with a `skipped figN: reason` line. Exit codes:
0 success, 1 a figure failed to draw (the others are still written), 2 bad input file.
Needs Debian's python3-matplotlib and python3-h5py (run with /usr/bin/python3).
"""
import argparse
import os
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import animation  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

import results_schema as schema  # noqa: E402 -- every HDF5 path and format version

PROG = "plot.py"
DPI = 150
GIF_DPI = 80
GIF_FPS = 20
# Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = OKABE_ITO
INCREASE, DECREASE = VERMILLION, BLUE          # colours of positive / negative changes
RIGHT_COLOUR, LEFT_COLOUR, TRUNK_COLOUR, FORCE_COLOUR = VERMILLION, BLUE, BLACK, GREEN
MAX_CYCLE_RUNS = 12           # runs drawn in figure 1 at most (an exercises study has 10)
FLOOR_COLOUR = "#888888"
GREY_BAR = "#999999"          # first-order sensitivity indices (no sign)    # grey: the floor line of the stick figures
STANCE_GREY = "0.91"
STICK_M_PER_BW = 0.1                           # arrow length of the L5/S1 force
DEFAULT_METRIC = "L5_S1_peak_compression_N"
MAX_GROUPS = 12
# The analysis file's curves: the schema's path with these appended.
MEAN, SD = "_mean", "_sd"
# The parent of every /differences/{run}: the schema names each run's group, not theirs.
DIFFERENCES = schema.path("analysis.difference").rstrip("/")
# Unit suffixes of metric names (docs/hdf5_schema.md), longest first.
UNIT_SUFFIXES = [("_BW_per_s", "BW/s"), ("_BW_s", "BW s"), ("_Nm", "N m"), ("_pct", "%"),
                 ("_BW", "BW"), ("_N", "N"), ("_deg", "deg"), ("_cm", "cm"), ("_s", "s")]

plt.rcParams.update({
    "font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "xtick.labelsize": 10,
    "ytick.labelsize": 10, "legend.fontsize": 10, "figure.titlesize": 13,
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
    "svg.hashsalt": "corestride",               # reproducible SVG ids
})


class InputError(Exception):
    """A file that is not what this script reads (exit 2)."""


class Skip(Exception):
    """The files have no data for a figure; the message says why."""


# ---------------------------------------------------------------------------------------------
# Reading helpers


def text(value):
    """An HDF5 string attribute or element as str (h5py gives str, bytes or numpy scalars)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def attr_text(obj, name, default=""):
    return text(obj.attrs[name]) if name in obj.attrs else default


def strings(obj):
    """A string dataset or string-array attribute as a list of str."""
    if isinstance(obj, h5py.Dataset):
        obj = obj.asstr()[()] if h5py.check_string_dtype(obj.dtype) else obj[()]
    return [text(v) for v in np.atleast_1d(obj)]


def columns(ds):
    return strings(ds.attrs["columns"]) if "columns" in ds.attrs else []


def at(f, key, run="", level="", suffix=""):
    """The dataset or group `key` (a name of results_schema) of the open file f."""
    return f[schema.path(key, run, level) + suffix]


def has(f, key, run="", level="", suffix=""):
    return schema.path(key, run, level) + suffix in f


def plain(name):
    """Text from a file, with dollar signs escaped so that matplotlib never reads it as mathtext."""
    return text(name).replace("$", r"\$")


def display(name):
    """Display form of a title or name: exercise files write spaces as underscores."""
    return plain(name).replace("_", " ")


def metric_unit(name):
    """(label, unit) of a summary metric name such as `L5_S1_peak_compression_N`."""
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        stem, unit = name, ""
    if stem.endswith("_bw"):
        stem = stem[:-3]
    label = stem.replace("L5_S1", "L5/S1").replace("L4_L5", "L4/L5").replace("L3_L4", "L3/L4")
    label = label.replace("L2_L3", "L2/L3").replace("L1_L2", "L1/L2").replace("_", " ")
    return label, unit


def with_unit(label, unit):
    return "%s (%s)" % (label, unit if unit and unit != "1" else "dimensionless")


# ---------------------------------------------------------------------------------------------
# Runs: order, titles and line styles


class Files:
    """The two input files and the command-line choices."""

    def __init__(self, results, analysis, args):
        self.results = results
        self.analysis = analysis
        self.args = args
        self.reference = attr_text(analysis, "reference_run")
        self._metric = None

    def sweep_metric(self, table):
        """The metric of fig2 and fig2b, chosen once."""
        if self._metric is None:
            self._metric = table.choose_metric(self.args.metric)
        return self._metric

    def run_names(self):
        """Runs of the analysis file; for `corestride exercises` in /exercises/runs order."""
        names = list(at(self.analysis, "runs")) if has(self.analysis, "runs") else []
        if has(self.results, "exercises.runs"):
            order = [n for n in strings(at(self.results, "exercises.runs")) if n in names]
            return order + [n for n in names if n not in order]
        if self.reference in names:
            return [self.reference] + [n for n in names if n != self.reference]
        return names

    def run(self, name):
        return at(self.analysis, "run", name)

    def title(self, name):
        # Titles are display text already (corestride reads the exercise files' underscores
        # as spaces, and sweep titles name their keys); bare run names get spaces.
        if has(self.analysis, "run", name) and "title" in self.run(name).attrs:
            return plain(attr_text(self.run(name), "title"))
        return display(name)


def run_styles(names, reference):
    """Line style of each run: the reference (healthy) black, `weakened` thick vermillion,
    the others thinner in the remaining Okabe-Ito colours (dashes once the colours repeat)."""
    styles, k = {}, 0
    others = [c for c in OKABE_ITO if c not in (BLACK, VERMILLION)]
    dashes = ["-", "--", ":", "-."]
    for name in names:
        if name == reference:
            styles[name] = dict(color=BLACK, lw=2.2, ls="-", zorder=4)
        elif name == "weakened":
            styles[name] = dict(color=VERMILLION, lw=3.2, ls="-", zorder=2.5)   # under thin lines
        else:
            styles[name] = dict(color=others[k % len(others)], lw=1.4,
                                ls=dashes[(k // len(others)) % len(dashes)], zorder=3)
            k += 1
    return styles


# ---------------------------------------------------------------------------------------------
# Output


class Output:
    """Saves figures into the output directory and prints one line per file."""

    def __init__(self, outdir):
        self.outdir = outdir

    def path(self, name):
        return os.path.join(self.outdir, name)

    def save(self, fig, stem):
        for ext in ("png", "svg"):
            path = self.path(stem + "." + ext)
            # No date in the metadata: the same input gives the same file.
            meta = {"Date": None} if ext == "svg" else {}
            fig.savefig(path, dpi=DPI, metadata=meta)
            print("wrote " + os.path.basename(path))
        plt.close(fig)


def stance_intervals(x, in_stance):
    """Contiguous [start, end] intervals of x where in_stance is true."""
    out, start = [], None
    for i, s in enumerate(in_stance):
        if s and start is None:
            start = x[i]
        if not s and start is not None:
            out.append((start, x[i - 1] if i > 0 else x[i]))
            start = None
    if start is not None:
        out.append((start, x[-1]))
    return out


# ---------------------------------------------------------------------------------------------
# Figure 1: L5/S1 loads over the gait cycle


def shade_stance(ax, files, run_name):
    """Shade right-foot stance grey and left-foot stance hatched; returns legend handles."""
    if not has(files.analysis, "analysis.contact", run_name):
        return []
    x = at(files.analysis, "analysis.cycle_percent", run_name)[()]
    contact = at(files.analysis, "analysis.contact", run_name)[()]
    for a, b in stance_intervals(x, contact[:, 0] >= 0.5):
        ax.axvspan(a, b, facecolor=STANCE_GREY, edgecolor="none", zorder=0)
    for a, b in stance_intervals(x, contact[:, 1] >= 0.5):
        ax.axvspan(a, b, facecolor="none", edgecolor="0.65", hatch="//", lw=0, zorder=0)
    return [Patch(facecolor=STANCE_GREY, label="right stance"),
            Patch(facecolor="white", edgecolor="0.65", hatch="//", label="left stance")]


def plot_cycle_panel(ax, files, names, styles, column):
    """One load component of L5/S1: mean per run, with a ±SD band where the SD is known."""
    force = "analysis.lumbar.level.force"
    for name in names:
        mean_ds = at(files.analysis, force, name, "L5_S1", MEAN)
        j = columns(mean_ds).index(column)
        x = at(files.analysis, "analysis.cycle_percent", name)[()]
        mean = mean_ds[()][:, j]
        ax.plot(x, mean, label=files.title(name), **styles[name])
        sd = (at(files.analysis, force, name, "L5_S1", SD)[()][:, j]
              if has(files.analysis, force, name, "L5_S1", SD) else np.full_like(mean, np.nan))
        if np.isfinite(sd).any():
            ax.fill_between(x, mean - sd, mean + sd, where=np.isfinite(sd),
                            color=styles[name]["color"], alpha=0.25, lw=0, zorder=2)


def add_bw_axis(ax, bw, label):
    """Secondary y axis in body weights."""
    sec = ax.secondary_yaxis("right", functions=(lambda n: n / bw, lambda b: b * bw))
    sec.set_ylabel(label)


def fig1_l5s1_cycle(files, out):
    names = [n for n in files.run_names()
             if has(files.analysis, "analysis.lumbar.level.force", n, "L5_S1", MEAN)]
    if not names:
        raise Skip("the analysis file has no run with L5/S1 gait-cycle curves")
    shown_note = ""
    if len(names) > MAX_CYCLE_RUNS:
        # A sweep saved with time series can hold hundreds of runs: a readable figure shows a
        # few, the reference (or --run) first, and says how many it left out.
        first = [n for n in (files.args.run, files.reference) if n in names]
        rest = [n for n in names if n not in first]
        shown_note = "; %d of %d runs shown" % (MAX_CYCLE_RUNS, len(names))
        names = (first + rest)[:MAX_CYCLE_RUNS]
        print("fig1: %d of the analysis file's runs drawn (the first %d in order)"
              % (MAX_CYCLE_RUNS, MAX_CYCLE_RUNS))
    styles = run_styles(names, files.reference)
    base = files.reference if files.reference in names else names[0]
    bw = float(files.run(base).attrs["body_weight_N"])
    bws = {round(float(files.run(n).attrs["body_weight_N"]), 3) for n in names}
    bw_note = "BW = %.0f N" % bw if len(bws) == 1 else "BW of %s = %.0f N" % (files.title(base), bw)
    fig, axes = plt.subplots(2, 1, sharex=True, figsize=(10, 8.5))
    panels = [("compression", "L5/S1 compression (N)", "compression (body weights)"),
              ("ap_shear", "L5/S1 AP shear (N)\n+ = upper vertebra pushed forward",
               "AP shear (body weights)")]
    for ax, (column, ylabel, bwlabel) in zip(axes, panels):
        stance = shade_stance(ax, files, base)
        plot_cycle_panel(ax, files, names, styles, column)
        ax.set_ylabel(ylabel)
        add_bw_axis(ax, bw, bwlabel)
        ax.axhline(0, color="0.5", lw=0.8, zorder=1)
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel("gait cycle (% from right heel strike)")
    axes[-1].set_xlim(0, 100)
    used = [int(files.run(n).attrs.get("strides_used", 1)) for n in names]
    if max(used) <= 1:
        band = "one stride per run, so no SD band"
    elif len(set(used)) == 1:
        band = "mean ± SD over %d strides" % used[0]
    else:
        band = "mean ± SD over %d to %d strides" % (min(used), max(used))
    axes[0].set_title("Load on the L5/S1 disc over the running stride\n(%s; %s%s)"
                      % (band, bw_note, shown_note))
    handles, labels = axes[0].get_legend_handles_labels()
    labels = [textwrap.fill(label, 48) for label in labels]
    longest = max(len(line) for label in labels for line in label.split("\n"))
    ncol = 3 if longest <= 26 else 2 if longest <= 48 else 1
    fig.legend(handles + stance, labels + [h.get_label() for h in stance], loc="lower center",
               ncol=ncol, frameon=False)
    lines = sum(label.count("\n") + 1 for label in labels) + len(stance)
    rows = -(-lines // ncol)
    fig.set_size_inches(10, 7.2 + 0.22 * rows)   # the panels keep their height under a long legend
    fig.tight_layout(rect=(0, (0.22 * rows + 0.2) / fig.get_figheight(), 1, 1))
    out.save(fig, "fig1_l5s1_cycle")


# ---------------------------------------------------------------------------------------------
# Figure 2: sweep heat map and sensitivity


class SweepTable:
    """Rows of the results /summary: parameters, ok flag and metrics."""

    def __init__(self, files):
        ds = at(files.results, "sweep.summary")
        self.columns = columns(ds)
        self.units = strings(ds.attrs["column_units"]) if "column_units" in ds.attrs else []
        self.values = ds[()]
        if has(files.analysis, "analysis.sensitivity.parameters"):
            self.parameters = strings(at(files.analysis, "analysis.sensitivity.parameters"))
        else:   # the columns between `point` and `ok` (docs/sweeps.md)
            self.parameters = self.columns[self.columns.index("point") + 1:self.columns.index("ok")]

    def column(self, name):
        return self.values[:, self.columns.index(name)]

    def ok(self):
        return self.column("ok") == 1

    def parameter_label(self, name):
        i = self.columns.index(name)
        unit = self.units[i] if i < len(self.units) else ""
        return with_unit(plain(name), unit)

    def choose_metric(self, requested):
        """The requested metric, else the default, else the first L5_S1_peak column."""
        if requested:   # checked against /summary in main()
            return requested
        if DEFAULT_METRIC in self.columns:
            return DEFAULT_METRIC
        peaks = [c for c in self.columns if c.startswith("L5_S1_peak")]
        if not peaks:
            raise Skip("%s has no L5_S1_peak metric" % schema.path("sweep.summary"))
        return peaks[0]


def full_grid(x, y, others):
    """(xs, ys) if the points are a full grid over x and y with the other parameters constant."""
    if any(np.unique(o).size > 1 for o in others):
        return None
    xs, ys = np.unique(x), np.unique(y)
    pairs = {(a, b) for a, b in zip(x, y)}
    if len(pairs) != len(x) or len(x) != xs.size * ys.size or xs.size < 2 or ys.size < 2:
        return None
    return xs, ys


def draw_grid(ax, table, metric, p1, p2, xs, ys):
    """Heat map with the value in each cell; failed points are left blank and marked."""
    x, y, ok, v = table.column(p1), table.column(p2), table.ok(), table.column(metric)
    z = np.full((ys.size, xs.size), np.nan)
    failed = np.zeros(z.shape, dtype=bool)
    for a, b, good, val in zip(x, y, ok, v):
        i, j = np.searchsorted(ys, b), np.searchsorted(xs, a)
        z[i, j] = val if good else np.nan
        failed[i, j] = not good
    mesh = ax.pcolormesh(np.arange(xs.size + 1) - 0.5, np.arange(ys.size + 1) - 0.5,
                         np.ma.masked_invalid(z), cmap="viridis", shading="flat")
    ax.set_xticks(range(xs.size), ["%g" % a for a in xs])
    ax.set_yticks(range(ys.size), ["%g" % b for b in ys])
    lo, hi = np.nanmin(z), np.nanmax(z)
    for i in range(ys.size):
        for j in range(xs.size):
            if np.isnan(z[i, j]):
                ax.text(j, i, "failed" if failed[i, j] else "n/a", ha="center", va="center")
                continue
            light = hi > lo and (z[i, j] - lo) / (hi - lo) > 0.6   # viridis is light at the top
            ax.text(j, i, "%.4g" % z[i, j], ha="center", va="center",
                    color=BLACK if light else "white")
    return mesh


def draw_scatter(ax, table, metric, p1, p2):
    ok = table.ok() & np.isfinite(table.column(metric))
    return ax.scatter(table.column(p1)[ok], table.column(p2)[ok], c=table.column(metric)[ok],
                      cmap="viridis", s=90, edgecolors=BLACK, linewidths=0.6)


def fig2_sweep_heatmap(files, out):
    if attr_text(files.results, "content") != "sweep" or not has(files.results, "sweep.summary"):
        raise Skip("not a sweep results file")
    table = SweepTable(files)
    metric = files.sweep_metric(table)
    label, unit = metric_unit(metric)
    ok = table.ok() & np.isfinite(table.column(metric))
    if not ok.any():
        raise Skip("no finished sweep point has %s" % metric)
    if not table.parameters:
        raise Skip("the sweep has no parameters")
    if len(table.parameters) < 2:
        sweep_line_figure(out, table, metric)
        return
    p1, p2 = table.parameters[:2]
    fig, ax = plt.subplots(figsize=(8.5, 6.5))
    grid = full_grid(table.column(p1), table.column(p2),
                     [table.column(p) for p in table.parameters[2:]])
    if grid is not None:
        mappable = draw_grid(ax, table, metric, p1, p2, *grid)
        kind = "grid"
    else:
        mappable = draw_scatter(ax, table, metric, p1, p2)
        kind = "%d sampled points" % ok.sum()
        if len(table.parameters) > 2:
            kind += "; the other swept parameters vary too, not shown"
    ax.set_xlabel(table.parameter_label(p1))
    ax.set_ylabel(table.parameter_label(p2))
    fig.colorbar(mappable, ax=ax).set_label(with_unit(label, unit))
    ax.set_title("%s over the sweep\n(%s)" % (label, kind))
    fig.tight_layout()
    out.save(fig, "fig2_sweep_heatmap")


def sweep_line_figure(out, table, metric):
    """A sweep over one parameter: the metric against it."""
    p = table.parameters[0]
    ok = table.ok() & np.isfinite(table.column(metric))
    order = np.argsort(table.column(p)[ok])
    label, unit = metric_unit(metric)
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.plot(table.column(p)[ok][order], table.column(metric)[ok][order], "o-", color=BLUE)
    ax.set_xlabel(table.parameter_label(p))
    ax.set_ylabel(with_unit(label, unit))
    ax.set_title("%s over the sweep of %s" % (label, plain(p)))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out.save(fig, "fig2_sweep_heatmap")


def fig2b_sensitivity(files, out):
    if attr_text(files.results, "content") != "sweep":
        raise Skip("not a sweep results file")
    a = files.analysis
    if not has(a, "analysis.sensitivity.src"):
        raise Skip("the analysis file has no %s" % schema.path("analysis.sensitivity"))
    sens = at(a, "analysis.sensitivity")
    metrics = strings(at(a, "analysis.sensitivity.metrics"))
    params = strings(at(a, "analysis.sensitivity.parameters"))
    metric = files.sweep_metric(SweepTable(files))
    if metric not in metrics:
        raise Skip("%s has no coefficients for %s" % (schema.path("analysis.sensitivity"), metric))
    i = metrics.index(metric)
    src = at(a, "analysis.sensitivity.src")[()][i]
    r2 = float(at(a, "analysis.sensitivity.r2")[()][i])
    if not np.isfinite(src).any():
        raise Skip("no sensitivity of %s could be computed (%s points used)"
                   % (metric, text(sens.attrs.get("points_used", "?"))))
    label, unit = metric_unit(metric)
    first = (at(a, "analysis.sensitivity.first_order")[()][i]
             if has(a, "analysis.sensitivity.first_order") else None)
    panels = 2 if first is not None else 1
    fig, axes = plt.subplots(1, panels, sharey=True, squeeze=False,
                             figsize=(8.5 + 4 * (panels - 1), 2.6 + 0.6 * len(params)))
    ax = axes[0][0]
    y = np.arange(len(params))
    values = np.nan_to_num(src)
    ax.barh(y, values, color=[INCREASE if v >= 0 else DECREASE for v in values])
    for k, v in enumerate(src):
        ax.text(values[k], k, (" %+.2f " % v) if np.isfinite(v) else " n/a ",
                va="center", ha="left" if values[k] >= 0 else "right")
    ax.set_yticks(y, [plain(p) for p in params])
    ax.invert_yaxis()
    ax.axvline(0, color=BLACK, lw=0.8)
    lim = max(1.0, np.nanmax(np.abs(values)) * 1.35)
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("standardised regression coefficient, SRC (dimensionless)")
    fit = "R² = %.2f" % r2 if np.isfinite(r2) else "R² unknown"
    if np.isfinite(r2) and r2 < 0.7:
        fit += ": the linear fit explains little, read the SRC with care"
    ax.set_title("linear: direction and strength\n%s" % fit, fontsize=11)
    if first is not None:
        # The model-free index: the share of the metric's variance each setting explains alone.
        ax2 = axes[0][1]
        shares = np.nan_to_num(first)
        ax2.barh(y, shares, color=GREY_BAR)
        for k, v in enumerate(first):
            ax2.text(shares[k], k, (" %.2f" % v) if np.isfinite(v) else " n/a", va="center")
        ax2.set_xlim(0, 1.25)
        ax2.set_xlabel("first-order index: share of the variance (dimensionless)")
        left = 1 - np.nansum(first)
        ax2.set_title("any shape: share explained alone\n(%.0f %% left to interactions)"
                      % (100 * max(left, 0.0)), fontsize=11)
    fig.suptitle("Sensitivity of %s (%s)" % (label, unit or "dimensionless"))
    fig.legend(handles=[Patch(color=INCREASE, label="raising the parameter raises the metric"),
                        Patch(color=DECREASE, label="raising the parameter lowers the metric")],
               loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.5 / fig.get_figheight(), 1, 1))
    out.save(fig, "fig2b_sensitivity")


# ---------------------------------------------------------------------------------------------
# Figure 3: exercises


def fig3_exercise_bars(files, out):
    r = files.results
    if not has(r, "exercises.summary"):
        raise Skip("the results file has no %s (not from `corestride exercises`)"
                   % schema.path("exercises"))
    ex = at(r, "exercises")
    runs, titles = strings(at(r, "exercises.runs")), strings(at(r, "exercises.titles"))
    gains = (strings(at(r, "exercises.strengthened")) if has(r, "exercises.strengthened")
             else [""] * len(runs))
    summary = at(r, "exercises.summary")
    cols, table = columns(summary), summary[()]
    if "weakened" not in runs:
        raise Skip("%s has no weakened row" % schema.path("exercises"))
    rows = list(range(runs.index("weakened") + 1, len(runs)))
    if not rows:
        raise Skip("%s has no row after the weakened runner" % schema.path("exercises"))
    bars = [("change_compression_N", "compression", BLUE),
            ("change_ap_shear_N", "AP shear", ORANGE),
            ("change_lateral_shear_N", "lateral shear", SKY)]
    fig, ax = plt.subplots(figsize=(10, 1.8 + 0.85 * len(rows)))
    h = 0.26
    for k, (col, label, colour) in enumerate(bars):
        vals = table[rows, cols.index(col)]
        ax.barh(np.arange(len(rows)) + (k - 1) * h, vals, height=h, color=colour, label=label,
                edgecolor=BLACK, linewidth=0.4)
    annotate_percent(ax, table[rows, cols.index("change_compression_N")],
                     table[rows, cols.index("change_compression_pct")], -h)
    ax.set_yticks(np.arange(len(rows)),
                  ["%s\n%s" % (display(titles[r]), display(gains[r])) for r in rows], fontsize=10)
    ax.invert_yaxis()
    ax.axvline(0, color=BLACK, lw=1)
    ax.set_xlabel("change in peak L5/S1 load vs weakened runner (N)")
    ax.grid(axis="x", alpha=0.3)
    weeks, per_week = ex.attrs.get("training_weeks"), ex.attrs.get("sessions_per_week")
    dose = (" after %g weeks, %g sessions a week" % (weeks, per_week)
            if weeks is not None and per_week is not None else "")
    ax.set_title("Peak L5/S1 loads after each exercise%s\n(negative = load lowered; "
                 "%% change of compression at the bar)" % dose)
    ax.legend(loc="best", frameon=True)
    ax.margins(x=0.25)
    fig.tight_layout()
    out.save(fig, "fig3_exercise_bars")


def annotate_percent(ax, change, pct, offset):
    """The % change as text at the end of each compression bar."""
    for k, (v, p) in enumerate(zip(change, pct)):
        if np.isfinite(p):
            ax.text(v, k + offset, " %+.1f %% " % p, va="center", fontsize=10,
                    ha="left" if v >= 0 else "right")


# ---------------------------------------------------------------------------------------------
# Figure 4: muscle groups


def choose_difference_run(files):
    diffs = list(files.analysis[DIFFERENCES]) if DIFFERENCES in files.analysis else []
    if not diffs:
        raise Skip("the analysis file has no %s (one run only?)" % DIFFERENCES)
    if files.args.run:
        if files.args.run not in diffs:
            raise Skip("run '%s' has no %s entry (it may be the reference run)"
                       % (files.args.run, DIFFERENCES))
        return files.args.run
    return "weakened" if "weakened" in diffs else diffs[0]


def fig4_muscle_groups(files, out):
    name = choose_difference_run(files)
    a = files.analysis
    groups = strings(at(a, "analysis.difference.groups.names", name))
    change = at(a, "analysis.difference.groups.mean_force_change", name)[()]
    pct = (at(a, "analysis.difference.groups.mean_force_change_pct", name)[()]
           if has(a, "analysis.difference.groups.mean_force_change_pct", name)
           else np.full_like(change, np.nan))
    keep = np.argsort(-np.abs(np.nan_to_num(change)), kind="stable")[:MAX_GROUPS]
    keep = keep[np.argsort(-change[keep], kind="stable")]     # most increased on top
    fig, ax = plt.subplots(figsize=(9.5, 1.6 + 0.45 * len(keep)))
    y = np.arange(len(keep))
    ax.barh(y, change[keep], color=[INCREASE if c >= 0 else DECREASE for c in change[keep]])
    for k, i in enumerate(keep):
        label = " %+.0f %% " % pct[i] if np.isfinite(pct[i]) else " n/a "
        ax.text(change[i], k, label, va="center", fontsize=10,
                ha="left" if change[i] >= 0 else "right")
    ax.set_yticks(y, [display(groups[i]) for i in keep])
    ax.invert_yaxis()
    ax.axvline(0, color=BLACK, lw=0.8)
    ax.margins(x=0.2)
    ax.set_xlabel("change in mean force over the stride (N)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Change in mean muscle-group force: %s vs %s"
                 % (files.title(name), files.title(files.reference)))
    ax.legend(handles=[Patch(color=INCREASE, label="works harder"),
                       Patch(color=DECREASE, label="works less")], loc="lower right")
    fig.tight_layout()
    out.save(fig, "fig4_muscle_groups")


# ---------------------------------------------------------------------------------------------
# Figure 5: stick figure and animation


class Stick:
    """Landmark positions and the L5/S1 force of one run's stride."""

    def __init__(self, files, name):
        a, run = files.analysis, files.run(name)
        s = at(a, "analysis.stick", name)
        self.name = name
        self.title = files.title(name)
        self.landmarks = strings(at(a, "analysis.stick.landmarks", name))
        segments = at(a, "analysis.stick.segments", name)[()]
        self.segments = np.asarray(segments, dtype=int).reshape(-1, 2)
        points = at(a, "analysis.stick.points", name)
        self.points = points[()].reshape(len(points), len(self.landmarks), 3)
        self.force = at(a, "analysis.stick.l5s1_force", name)[()]
        self.time = at(a, "analysis.stick.time", name)[()]
        self.percent = at(a, "analysis.stick.cycle_percent", name)[()]
        self.bw = float(run.attrs["body_weight_N"])
        self.floor = float(s.attrs["floor_y_m"]) if "floor_y_m" in s.attrs else None
        contact = has(a, "analysis.contact", name)
        self.contact_x = at(a, "analysis.cycle_percent", name)[()] if contact else None
        self.contact = at(a, "analysis.contact", name)[()] if contact else None

    def index(self, landmark):
        return self.landmarks.index(landmark) if landmark in self.landmarks else None

    def side(self, segment):
        names = [self.landmarks[i] for i in segment]
        if any(n.endswith("_r") for n in names):
            return RIGHT_COLOUR
        if any(n.endswith("_l") for n in names):
            return LEFT_COLOUR
        return TRUNK_COLOUR

    def frame_at(self, percent):
        return int(np.argmin(np.abs(self.percent - percent)))

    def centre(self, frame):
        """Pelvis position (or the mean landmark) of a frame, to place the figures."""
        i = self.index("pelvis")
        return self.points[frame, i] if i is not None else self.points[frame].mean(axis=0)


def choose_stick_run(files):
    names = [n for n in files.run_names() if has(files.analysis, "analysis.stick.points", n)]
    if files.args.run and files.args.run not in names:
        raise Skip("run '%s' has no stick figure (it did not finish, or its model file is missing)"
                   % files.args.run)
    if not names:
        raise Skip("the analysis file has no run with a stick figure")
    for choice in (files.args.run, "weakened", files.reference):
        if choice and choice in names:
            return choice
    return names[0]


def key_instants(stick):
    """(percent, label) of right heel strike, right mid-stance, right toe-off, left heel strike
    and left mid-stance, from the run's contact fractions. The right stance starts at the first
    point in contact (the sample at 0 % can fall just before the force passes 20 N)."""
    out = [(0.0, "right heel strike")]
    if stick.contact is None:
        return out
    x, right, left = stick.contact_x, stick.contact[:, 0] >= 0.5, stick.contact[:, 1] >= 0.5
    r_on = first(right, 0)
    r_off = first(~right, r_on) if r_on is not None else None
    if r_off is None:
        return out
    out += [((x[r_on] + x[r_off]) / 2, "right mid-stance"), (x[r_off], "right toe-off")]
    l_on = first(left, r_off)
    if l_on is None:
        return out
    l_off = first(~left, l_on)
    l_end = x[l_off] if l_off is not None else x[-1]
    return out + [(x[l_on], "left heel strike"), ((x[l_on] + l_end) / 2, "left mid-stance")]


def first(mask, start):
    """First index >= start where mask is true, or None."""
    hits = np.nonzero(mask[start:])[0]
    return int(start + hits[0]) if hits.size else None


def draw_figure(ax, stick, frame, h, shift, lw=2.2):
    """Stick figure of one frame in the plane (h, y); h is the horizontal axis index (x = 0 or
    z = 2). Returns the artists so that the animation can move them."""
    p = stick.points[frame]
    lines = []
    for seg in stick.segments:
        lines.append(ax.plot(p[seg, h] - shift, p[seg, 1], color=stick.side(seg), lw=lw,
                             solid_capstyle="round")[0])
    j = stick.index("head")
    head = None
    if j is not None:
        head = ax.plot([p[j, h] - shift], [p[j, 1]], "o", color=TRUNK_COLOUR, ms=9)[0]
    return lines, head


def force_arrow(stick, frame, h, shift):
    """Start point and vector (m) of the L5/S1 force arrow in the plane (h, y)."""
    j = stick.index("L5_S1")
    if j is None:
        return None
    p = stick.points[frame, j]
    f = stick.force[frame] / stick.bw * STICK_M_PER_BW
    return p[h] - shift, p[1], f[h], f[1]


def stick_legend(fig, bw):
    handles = [Line2D([], [], color=RIGHT_COLOUR, lw=2.2, label="right side"),
               Line2D([], [], color=LEFT_COLOUR, lw=2.2, label="left side"),
               Line2D([], [], color=FORCE_COLOUR, lw=2.2,
                      label="force of the upper body on the sacrum at L5/S1 "
                            "(%.1f m of arrow = 1 BW = %.0f N)" % (STICK_M_PER_BW, bw)),
               Line2D([], [], color=FLOOR_COLOUR, lw=1.2, label="floor")]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False)


def draw_instants(ax, stick, instants, h, width):
    """The key instants side by side in the plane (h, y), `width` metres apart; returns the
    data extent (xmin, xmax, ymin, ymax) including the force arrows."""
    frames = [stick.frame_at(pc) for pc, _ in instants]
    xs, ys = [], []
    for k, f in enumerate(frames):
        shift = stick.centre(f)[h] - k * width
        draw_figure(ax, stick, f, h, shift)
        xs += list(stick.points[f, :, h] - shift)
        ys += list(stick.points[f, :, 1])
        arrow = force_arrow(stick, f, h, shift)
        if arrow:
            ax.quiver(*arrow, angles="xy", scale_units="xy", scale=1, color=FORCE_COLOUR,
                      width=0.005, zorder=6)
            xs.append(arrow[0] + arrow[2])
            ys.append(arrow[1] + arrow[3])
    if stick.floor is not None:
        ax.axhline(stick.floor, color=FLOOR_COLOUR, lw=1.2, zorder=0)
        ys.append(stick.floor)
    top = max(ys) + 0.08
    for k, (pc, label) in enumerate(instants):
        ax.text(k * width, top, "%.0f %%\n%s" % (pc, label), ha="center", va="bottom", fontsize=10)
    half_label = 0.5    # m, about half the width of a label such as "left mid-stance"
    return (min(min(xs), -half_label), max(max(xs), (len(frames) - 1) * width + half_label),
            min(ys), top + 0.32)    # room for two lines of label


def fig5_stick_figure(files, out):
    stick = Stick(files, choose_stick_run(files))
    instants = key_instants(stick)
    fig, axes = plt.subplots(2, 1, figsize=(12, 10))
    views = [(0, "sagittal view (from the runner's right)", "x forward (m)"),
             (2, "frontal view (from behind)", "z to the right (m)")]
    # One spacing for both views, so that they share a scale and the labels do not overlap.
    frames = [stick.frame_at(pc) for pc, _ in instants]
    width = max(np.ptp(stick.points[f, :, h]) for f in frames for h in (0, 2)) + 0.45
    for ax, (h, name, xlabel) in zip(axes, views):
        x0, x1, y0, y1 = draw_instants(ax, stick, instants, h, width)
        ax.set_xlim(x0 - 0.15, x1 + 0.15)
        ax.set_ylim(y0 - 0.05, y1)
        ax.set_aspect("equal", adjustable="box")
        ax.set_title("%s: %s" % (stick.title, name))
        ax.set_xlabel(xlabel + "; the instants are placed side by side")
        ax.set_ylabel("y up (m)")
    stick_legend(fig, stick.bw)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    out.save(fig, "fig5_stick_figure")
    write_animation(stick, out)


def animation_limits(stick, h):
    """Axis limits that hold every frame of the animation (positions relative to the pelvis)."""
    centres = np.array([stick.centre(f)[h] for f in range(len(stick.points))])
    rel = stick.points[:, :, h] - centres[:, None]
    y = stick.points[:, :, 1]
    return (rel.min() - 0.35, rel.max() + 0.35), (y.min() - 0.1, y.max() + 0.2)


def write_animation(stick, out):
    """fig5_stride.gif: the whole stride, sagittal and frontal side by side."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 5), gridspec_kw={"width_ratios": [1.4, 1]})
    artists = []
    views = ((axes[0], 0, "sagittal view", "x forward, from the pelvis (m)"),
             (axes[1], 2, "frontal view (from behind)", "z right, from the pelvis (m)"))
    for ax, h, name, xlabel in views:
        xlim, ylim = animation_limits(stick, h)
        lines, head = draw_figure(ax, stick, 0, h, stick.centre(0)[h])
        arrow = force_arrow(stick, 0, h, stick.centre(0)[h])
        quiver = (ax.quiver(*arrow, angles="xy", scale_units="xy", scale=1, color=FORCE_COLOUR,
                            width=0.012, zorder=6) if arrow else None)
        if stick.floor is not None:
            ax.axhline(stick.floor, color=FLOOR_COLOUR, lw=1.2, zorder=0)
            ylim = (min(ylim[0], stick.floor - 0.05), ylim[1])
        ax.set(xlim=xlim, ylim=ylim, xlabel=xlabel, ylabel="y up (m)", title=name)
        ax.set_aspect("equal")
        artists.append((h, lines, head, quiver))
    stamp = fig.suptitle("")
    fig.text(0.5, 0.01, "green arrow: L5/S1 force on the sacrum, %.1f m per body weight"
             % STICK_M_PER_BW, ha="center", fontsize=10)
    fig.tight_layout(rect=(0, 0.04, 1, 1))

    def update(frame):
        for h, lines, head, quiver in artists:
            shift = stick.centre(frame)[h]
            p = stick.points[frame]
            for line, seg in zip(lines, stick.segments):
                line.set_data(p[seg, h] - shift, p[seg, 1])
            if head is not None:
                j = stick.index("head")
                head.set_data([p[j, h] - shift], [p[j, 1]])
            if quiver is not None:
                x, y, u, v = force_arrow(stick, frame, h, shift)
                quiver.set_offsets([[x, y]])
                quiver.set_UVC(u, v)
        stamp.set_text("%s: t = %.3f s, %.0f %% of the stride" % (stick.title, stick.time[frame],
                                                                   stick.percent[frame]))

    if animation.writers.is_available("pillow"):
        write_gif(fig, update, len(stick.points), out)
    else:
        write_frames(fig, update, len(stick.points), out)
    plt.close(fig)


def write_gif(fig, update, count, out):
    """Every frame into fig5_stride.gif with matplotlib's PillowWriter. The frames are grabbed
    by hand: FuncAnimation.save would draw each frame twice."""
    path = out.path("fig5_stride.gif")
    writer = animation.PillowWriter(fps=GIF_FPS)
    with writer.saving(fig, path, dpi=GIF_DPI):
        for k in range(count):
            update(k)
            writer.grab_frame()
    print("wrote " + os.path.basename(path))


def write_frames(fig, update, count, out):
    """Fallback without Pillow: one PNG per frame in OUTDIR/frames/."""
    folder = out.path("frames")
    os.makedirs(folder, exist_ok=True)
    print("%s: Pillow is not available; writing the animation as PNG frames in %s" % (PROG, folder))
    for k in range(count):
        update(k)
        path = os.path.join(folder, "fig5_stride_%04d.png" % k)
        fig.savefig(path, dpi=GIF_DPI)
        print("wrote frames/" + os.path.basename(path))


# ---------------------------------------------------------------------------------------------

FIGURES = [("fig1", fig1_l5s1_cycle), ("fig2", fig2_sweep_heatmap), ("fig2b", fig2b_sensitivity),
           ("fig3", fig3_exercise_bars), ("fig4", fig4_muscle_groups), ("fig5", fig5_stick_figure)]


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("--results", required=True, help="results file (corestride run/exercises/sweep)")
    p.add_argument("--analysis", required=True, help="analysis file (corestride analyze)")
    p.add_argument("-o", "--output", required=True, help="existing output directory")
    p.add_argument("--metric", help="sweep metric of fig2 (default %s)" % DEFAULT_METRIC)
    p.add_argument("--run", help="run of fig4 and fig5 (default: weakened, else ...)")
    return p.parse_args(argv)


def check_options(results, analysis, args):
    """--metric must name a metric of a sweep's /summary, and --run a run of the files: an
    option that would be ignored or replaced by a default is an error, not a silent change."""
    if args.metric:
        if attr_text(results, "content") != "sweep" or not has(results, "sweep.summary"):
            raise InputError("--metric applies to sweep results; %s is not a sweep" % args.results)
        names = columns(at(results, "sweep.summary"))
        first = names.index("wall_time_s") + 1 if "wall_time_s" in names else 0
        if args.metric not in names[first:]:
            raise InputError("--metric '%s' is not a metric of %s %s (e.g. %s)"
                             % (args.metric, args.results, schema.path("sweep.summary"),
                                ", ".join(names[first:first + 3])))
    if args.run and (not has(analysis, "runs") or args.run not in at(analysis, "runs")):
        raise InputError("--run '%s' is not a run of %s" % (args.run, args.analysis))


def main(argv):
    args = parse_args(argv)
    if not os.path.isdir(args.output):
        print("%s: %s: output directory does not exist" % (PROG, args.output), file=sys.stderr)
        return 2
    try:
        results = schema.open_checked(args.results, schema.FORMAT, schema.FORMAT_VERSION,
                                      "results", PROG)
        analysis = schema.open_checked(args.analysis, schema.ANALYSIS_FORMAT,
                                       schema.ANALYSIS_FORMAT_VERSION, "analysis", PROG)
    except schema.FormatError as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 2
    try:
        check_options(results, analysis, args)
    except InputError as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 2
    files, out, failed = Files(results, analysis, args), Output(args.output), 0
    for key, draw in FIGURES:
        try:
            draw(files, out)
        except Skip as e:
            print("skipped %s: %s" % (key, e))
        except Exception as e:  # noqa: BLE001 -- one broken figure must not cost the others
            failed += 1
            plt.close("all")
            print("%s: %s failed: %s: %s" % (PROG, key, type(e).__name__, e), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
