#!/usr/bin/python3
"""Teaching figures of a CoreStride results file (docs/analysis.md).

    /usr/bin/python3 analysis/plot.py --results RESULTS.h5 --analysis ANALYSIS.h5 -o OUTDIR
                                      [--metric NAME] [--run NAME]

RESULTS.h5 is written by `corestride run|exercises|sweep`, ANALYSIS.h5 by `corestride analyze`.
The script only reads and draws; every number comes from the two files. Each figure is saved
as PNG and SVG into OUTDIR (which must exist) and one line is printed per file written:

  fig1_l5s1_cycle       L5/S1 compression and AP shear over the gait cycle: the reference (and
                        the weakened) runner, then every other run's difference from the last
  fig2_sweep_heatmap    a sweep metric over the first two swept parameters (sweeps only)
  fig2b_sensitivity     standardised regression coefficients of that metric (sweeps only)
  fig3_exercise_bars    change of the peak L5/S1 loads after each exercise against the weakened
                        runner, in N and % (exercises only)
  fig4_muscle_groups    which muscle groups take over in one run against the reference run
                        (groups that share no muscle, so that the bars add up)
  fig5_stick_figure     stick figure at five key instants, with the L5/S1 force; the reference
                        runner drawn behind in grey
  fig5_stride.gif       animation of the whole stride

A figure the files have no data for is skipped with a `skipped figN: reason` line. Exit codes:
0 success, 1 a figure failed to draw (the others are still written), 2 bad input file.
Needs Debian's python3-matplotlib and python3-h5py (run with /usr/bin/python3).
"""
import argparse
import os
import re
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import animation  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrow, Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from matplotlib.transforms import blended_transform_factory  # noqa: E402

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
REFERENCE_FORCE_COLOUR = PURPLE                # fig5: the reference runner's L5/S1 force
GHOST_COLOUR = "0.72"                          # fig5: the reference runner's figure, behind
FLOOR_COLOUR = "#888888"                       # grey: the floor line of the stick figures
GREY_BAR = "#999999"                           # first-order sensitivity indices (no sign)
STANCE_GREY = "0.91"
STICK_M_PER_BW = 0.1                           # arrow length of the L5/S1 force
DEFAULT_METRIC = "L5_S1_peak_compression_N"
MAX_GROUPS = 14               # fig4: bars drawn at most; the others are summed in one line
MAX_DIFF_PANELS = 8           # fig1: difference panels at most (an exercises study has 8)
# fig1: the runs drawn as absolute curves (reference first), and the difference panels.
TOP_STYLES = [dict(color=BLACK, lw=2.6, ls="-", zorder=4),
              dict(color=VERMILLION, lw=2.8, ls="--", zorder=5)]
DIFF_STYLES = {"compression": dict(color=BLUE, lw=2.4, ls="-", zorder=4),
               "ap_shear": dict(color=GREEN, lw=2.4, ls=(0, (5, 2)), zorder=4)}
CYCLE_PANELS = [("compression", "compression"), ("ap_shear", "AP shear")]
# The analysis file's curves: the schema's path with these appended.
MEAN, SD = "_mean", "_sd"
# The parent of every /differences/{run}: the schema names each run's group, not theirs.
DIFFERENCES = schema.path("analysis.difference").rstrip("/")
# Unit suffixes of metric names (docs/hdf5_schema.md), longest first.
UNIT_SUFFIXES = [("_BW_per_s", "BW/s"), ("_BW_s", "BW s"), ("_Nm", "N m"), ("_pct", "%"),
                 ("_BW", "BW"), ("_N", "N"), ("_deg", "deg"), ("_cm", "cm"), ("_s", "s")]
# Foot geometry of the model in the foot (calcaneus) frame, m: the ankle centre
# (models/trunk_hip.model, joint ankle_r location_in_child) and the stick figure's toe landmark
# (docs/analysis.md: 0.19 m ahead of the foot frame origin). The heel is the frame's origin.
FOOT_ANKLE = (0.04877, 0.04195)
FOOT_TOE = (0.19, 0.0)

# Readable names of the model's muscle groups (models/trunk_hip.model `group` records).
GROUP_NAMES = {
    "glute_med": "gluteus medius", "glute_min": "gluteus minimus",
    "glute_max": "gluteus maximus", "tfl": "tensor fasciae latae",
    "hip_abductors": "hip abductors", "hip_extensors": "hip extensors",
    "hip_flexors": "hip flexors", "hip_adductors": "hip adductors",
    "hip_rotators": "short external hip rotators", "hamstrings": "hamstrings",
    "quadriceps": "quadriceps", "plantarflexors": "calf muscles (plantarflexors)",
    "dorsiflexors": "tibialis anterior (dorsiflexor)", "psoas": "psoas major",
    "iliacus": "iliacus", "multifidus": "multifidus", "quadratus_lumborum": "quadratus lumborum",
    "erector_spinae_deep": "deep erector spinae (lumbar)",
    "longissimus_thoracis": "longissimus thoracis", "iliocostalis": "iliocostalis (thoracic)",
    "superficial_back": "superficial back muscles", "deep_core": "deep core",
    "abdominals": "abdominal muscles", "rectus_abdominis": "rectus abdominis",
    "obliques": "obliques", "latissimus_dorsi": "latissimus dorsi",
}
# Readable names of single muscles, by the name without its side suffix (fig4 footnote).
MUSCLE_NAMES = {"sart": "sartorius", "piri": "piriformis", "grac": "gracilis",
                "gem": "gemelli and obturator internus",
                "quad_fem": "quadratus femoris and obturator externus",
                "recfem": "rectus femoris", "tibant": "tibialis anterior",
                "tfl": "tensor fasciae latae",
                "iliacus": "iliacus", "soleus": "soleus", "rect_abd": "rectus abdominis"}
FRACTION_UNIT = "% strength lost"
# Scenario keys (`corestride run --help`) as (axis label, unit, factor from the file's value to the
# axis): fractions 0-1 are shown as %. Keys not listed fall back to the key and the file's unit.
PARAMETERS = {
    "subject.mass": ("Body mass", "kg", 1),
    "subject.height": ("Body height", "m", 1),
    "running.speed": ("Running speed", "m/s", 1),
    "running.strides": ("Strides simulated", "count", 1),
    "motion.t_start": ("Start of the time window", "s", 1),
    "motion.t_end": ("End of the time window", "s", 1),
    "motion.belt_speed": ("Treadmill belt speed", "m/s", 1),
    "motion.lowpass_hz": ("Low-pass cut-off of the motion", "Hz", 1),
    "control.interval": ("Control interval", "s", 1),
    "control.kp": ("Tracking gain kp", "1/s²", 1),
    "control.kv": ("Tracking gain kv", "1/s", 1),
    "control.reserve_optimal": ("Optimal reserve torque", "N m", 1),
    "control.reserve_max": ("Reserve torque bound", "N m", 1),
    "control.residual_optimal": ("Optimal residual force or torque", "N or N m", 1),
    "compensation.deviation_weight": ("Deviation weight of the compensation", "effort per deg²", 1),
    "compensation.nodes": ("Time nodes of the compensation", "per stride", 1),
    "compensation.harmonics": ("Harmonics of the compensation", "per stride", 1),
    "compensation.reserve_max": ("Reserve limit of the compensation", "N m", 1),
    "compensation.max_iterations": ("Iteration limit of the compensation", "iterations", 1),
    "integrator.accuracy": ("Integrator accuracy", "relative", 1),
    "weakness.glute_med": ("Gluteus medius weakness, both sides", FRACTION_UNIT, 100),
    "weakness.glute_med_r": ("Gluteus medius weakness, right", FRACTION_UNIT, 100),
    "weakness.glute_med_l": ("Gluteus medius weakness, left", FRACTION_UNIT, 100),
    "weakness.deep_core": ("Deep core weakness", FRACTION_UNIT, 100),
    "tightness.hip_flexors": ("Hip flexor tightness", "% of the model's maximum", 100),
    "training.weeks": ("Training duration", "weeks", 1),
    "training.sessions_per_week": ("Training sessions", "per week", 1),
}

plt.rcParams.update({
    # Large type for a projected classroom slide.
    "font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "xtick.labelsize": 13,
    "ytick.labelsize": 13, "legend.fontsize": 13, "figure.titlesize": 17,
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


def group_name(code):
    """Readable name of a muscle group code such as `glute_med`."""
    return GROUP_NAMES.get(code, plain(code).replace("_", " "))


def side_stem(code):
    """A group code without its side suffix (`glute_med_r` -> `glute_med`)."""
    return code[:-2] if code.endswith(("_r", "_l")) else code


def side_group_name(code):
    """Readable name of a group with its side, such as `glute_med_r` (right gluteus medius)."""
    for suffix, side in (("_r", "right "), ("_l", "left ")):
        if code.endswith(suffix):
            return side + group_name(code[:-len(suffix)])
    return group_name(code)


def muscle_name(code):
    """Readable name of a muscle such as `sart_r` (side suffix dropped)."""
    stem = code[:-2] if code.endswith(("_r", "_l")) else code
    return MUSCLE_NAMES.get(stem, plain(stem))


def readable_groups(line):
    """A line such as `glute_med +32%, quadratus_lumborum +16%` with readable group names."""
    return re.sub(r"[A-Za-z][A-Za-z_]*", lambda m: GROUP_NAMES.get(m.group(0), m.group(0)),
                  plain(line))


def parameter_info(key, unit=""):
    """(label, unit, factor) of a swept scenario key; `unit` is the file's unit of the column.
    Fractions of weakness and tightness are drawn in % (factor 100)."""
    if key in PARAMETERS:
        return PARAMETERS[key]
    if key.startswith("weakness.group."):
        name = group_name(key[len("weakness.group."):])
        return ("%s weakness" % (name[:1].upper() + name[1:]), FRACTION_UNIT, 100)
    if key.startswith("weakness.muscle."):
        return ("Weakness of muscle %s" % plain(key[len("weakness.muscle."):]), FRACTION_UNIT, 100)
    if key.startswith(("weakness.", "tightness.")):
        return (plain(key), "%", 100)
    return (plain(key), unit if unit and unit != "1" else "", 1)


def readable_settings(title):
    """A sweep point's title `point 1: weakness.deep_core = 0.5, running.speed = 3.8` as
    `point 1: Deep core weakness 50 %; Running speed 3.8 m/s`."""
    def one(m):
        label, unit, factor = parameter_info(m.group(1))
        try:
            value = "%g" % (float(m.group(2)) * factor)
        except ValueError:
            return m.group(0)
        unit = "%" if unit == FRACTION_UNIT else unit
        return "%s %s%s" % (label, value, " " + unit if unit and unit != "count" else "")
    key = r"[a-z_]+(?:\.[A-Za-z0-9_]+)+"
    out = re.sub(r", (?=%s = )" % key, "; ", title)
    return re.sub(r"\b(%s) = ([-+0-9.eE]+)" % key, one, out)


def parameter_label(key, unit=""):
    """Axis label of a swept key: `Running speed (m/s)`."""
    label, unit, _ = parameter_info(key, unit)
    return "%s (%s)" % (label, unit) if unit else label


def signed(value, decimals=0):
    """`+12`, `−3.4` (a true minus sign) or `0` for a value that rounds to zero."""
    s = "%+.*f" % (decimals, value)
    if float(s) == 0:
        return "%.*f" % (decimals, 0.0)
    return s.replace("-", "\u2212")


def legend_row(ax, handles, ncol, **kw):
    """A row of the figure that holds only a legend (constrained layout leaves room for it)."""
    ax.axis("off")
    kw.setdefault("loc", "center")
    return ax.legend(handles=handles, ncol=ncol, frameon=False, **kw)


# ---------------------------------------------------------------------------------------------
# Runs: order and titles


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
            return readable_settings(plain(attr_text(self.run(name), "title")))
        return display(name)


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
        ax.axvspan(a, b, facecolor="none", edgecolor="0.7", hatch="//", lw=0, zorder=0)
    return [Patch(facecolor=STANCE_GREY, label="right foot on the ground"),
            Patch(facecolor="white", edgecolor="0.65", hatch="//", label="left foot on the ground")]


def cycle_curve(files, name, column, suffix=MEAN):
    """One load component of L5/S1 over the cycle (x in %, values in N); None if absent."""
    force = "analysis.lumbar.level.force"
    if not has(files.analysis, force, name, "L5_S1", suffix):
        return None
    ds = at(files.analysis, force, name, "L5_S1", suffix)
    return ds[()][:, columns(ds).index(column)]


def plot_cycle_panel(ax, files, names, styles, column):
    """Absolute curves of one load component: mean per run, ±SD band where the SD is known."""
    for name, style in zip(names, styles):
        x = at(files.analysis, "analysis.cycle_percent", name)[()]
        mean = cycle_curve(files, name, column)
        ax.plot(x, mean, label=files.title(name), **style)
        sd = cycle_curve(files, name, column, SD)
        if sd is not None and np.isfinite(sd).any():
            ax.fill_between(x, mean - sd, mean + sd, where=np.isfinite(sd), color=style["color"],
                            alpha=0.2, lw=0, zorder=2)


def add_bw_axis(ax, bw, label):
    """Secondary y axis in body weights."""
    sec = ax.secondary_yaxis("right", functions=(lambda n: n / bw, lambda b: b * bw))
    sec.set_ylabel(label)


def cycle_roles(files, names):
    """(runs drawn as absolute curves, the run the others are compared with, the others):
    the reference and, when there is one, the weakened runner on top; every other run as its
    difference from the last of them (for an exercises study: trained minus weakened)."""
    ref = files.reference if files.reference in names else names[0]
    top = [ref] + [n for n in ("weakened",) if n in names and n != ref]
    others = [n for n in names if n not in top]
    if files.args.run in others:
        others.remove(files.args.run)
        others.insert(0, files.args.run)
    return top, top[-1], others


def stride_note(files, names):
    used = [int(files.run(n).attrs.get("strides_used", 1)) for n in names]
    if max(used) <= 1:
        return "one stride per run, so no SD band"
    if len(set(used)) == 1:
        return "mean ± SD over %d strides" % used[0]
    return "mean ± SD over %d to %d strides" % (min(used), max(used))


def fig1_l5s1_cycle(files, out):
    names = [n for n in files.run_names() if cycle_curve(files, n, "compression") is not None]
    if not names:
        raise Skip("the analysis file has no run with L5/S1 gait-cycle curves")
    top, base, others = cycle_roles(files, names)
    shown_note = ""
    if len(others) > MAX_DIFF_PANELS:
        # A sweep saved with time series can hold hundreds of runs: a readable figure shows a
        # few (--run first) and says how many it left out.
        shown_note = " (%d of %d runs shown)" % (MAX_DIFF_PANELS, len(others))
        print("fig1: %d of the analysis file's %d other runs drawn (the first in order)"
              % (MAX_DIFF_PANELS, len(others)))
        others = others[:MAX_DIFF_PANELS]
    ncols = min(4, len(others))
    nrows = -(-len(others) // ncols) if others else 0
    bw = float(files.run(top[0]).attrs["body_weight_N"])
    bws = {round(float(files.run(n).attrs["body_weight_N"]), 3) for n in top + others}
    bw_note = ("BW = %.0f N" % bw if len(bws) == 1
               else "BW of the %s = %.0f N" % (files.title(top[0]), bw))
    heights = [0.55, 4.6] + ([1.1, 2.6 * nrows] if others else [])
    fig = plt.figure(figsize=(15, sum(heights) + 1.0), layout="constrained")
    gs = fig.add_gridspec(len(heights), 1, height_ratios=heights)
    top_axes = gs[1].subgridspec(1, 2).subplots(sharex=True)
    styles = TOP_STYLES[:len(top)]
    stance = []
    for ax, (column, label) in zip(top_axes, CYCLE_PANELS):
        stance = shade_stance(ax, files, base) or stance
        plot_cycle_panel(ax, files, top, styles, column)
        ax.set_title("L5/S1 %s" % label)
        ax.set_ylabel("%s (N)" % label)
        add_bw_axis(ax, bw, "%s (body weights)" % label)
        ax.axhline(0, color="0.5", lw=0.8, zorder=1)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, 100)
        ax.set_xlabel("gait cycle (% from right heel strike)")
    top_axes[1].set_title("L5/S1 AP shear (+ = upper vertebra pushed forward)")
    handles, _ = top_axes[0].get_legend_handles_labels()
    legend_row(fig.add_subplot(gs[0]), handles + stance, ncol=len(handles) + len(stance))
    if others:
        draw_differences(fig, gs, files, base, others, nrows, ncols, shown_note)
    fig.suptitle("Load on the L5/S1 disc over one running stride (%s; %s)"
                 % (stride_note(files, top + others), bw_note))
    out.save(fig, "fig1_l5s1_cycle")


def draw_differences(fig, gs, files, base, others, nrows, ncols, shown_note):
    """Small multiples: each other run minus `base`, compression and AP shear in each panel."""
    x0 = at(files.analysis, "analysis.cycle_percent", base)[()]
    exercises = has(files.results, "exercises.runs")
    what = ("after training: each trained runner minus the %s" if exercises
            else "each run minus the %s") % files.title(base)
    handles = [Line2D([], [], label="compression", **DIFF_STYLES["compression"]),
               Line2D([], [], label="AP shear", **DIFF_STYLES["ap_shear"]),
               Line2D([], [], color=TOP_STYLES[-1]["color"], ls="--", lw=1.6,
                      label="0 = %s" % files.title(base))]
    legend = legend_row(fig.add_subplot(gs[2]), handles, ncol=3,
                        title="Change of the L5/S1 load, %s (N)%s" % (what, shown_note))
    legend.get_title().set_fontsize(plt.rcParams["axes.titlesize"])
    grid = gs[3].subgridspec(nrows, ncols)
    axes = grid.subplots(sharex=True, sharey=True, squeeze=False)
    lim = 1.0
    for k, name in enumerate(others):
        ax = axes[k // ncols][k % ncols]
        x = at(files.analysis, "analysis.cycle_percent", name)[()]
        shade_stance(ax, files, base)
        ax.axhline(0, color=TOP_STYLES[-1]["color"], ls="--", lw=1.6, zorder=3)
        largest = 0.0
        for column, _ in CYCLE_PANELS:
            change = cycle_curve(files, name, column) - np.interp(x, x0,
                                                                  cycle_curve(files, base, column))
            ax.plot(x, change, **DIFF_STYLES[column])
            largest = max(largest, np.nanmax(np.abs(change)))
        if largest < 0.5:
            ax.text(0.5, 0.72, "no change", transform=ax.transAxes, ha="center", va="center",
                    bbox=dict(facecolor="white", edgecolor="0.6", boxstyle="round"))
        lim = max(lim, largest)
        ax.set_title(textwrap.fill(files.title(name), 34), fontsize=plt.rcParams["font.size"])
        ax.grid(alpha=0.3)
    for k in range(len(others), nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    axes[0][0].set_ylim(-1.2 * lim, 1.2 * lim)
    axes[0][0].set_xlim(0, 100)
    axes[0][0].set_xticks([0, 25, 50, 75, 100])
    for row in axes:
        row[0].set_ylabel("change (N)")
    for j in range(ncols):
        last = max(r for r in range(nrows) if r * ncols + j < len(others))
        axes[last][j].set_xlabel("gait cycle (%)")
        axes[last][j].xaxis.set_tick_params(labelbottom=True)


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

    def unit(self, name):
        i = self.columns.index(name)
        return self.units[i] if i < len(self.units) else ""

    def parameter_label(self, name):
        """`Gluteus medius weakness, right (% strength lost)`, `Running speed (m/s)`."""
        return parameter_label(name, self.unit(name))

    def factor(self, name):
        """Factor from the file's value of a swept key to its axis (100 for fractions)."""
        return parameter_info(name, self.unit(name))[2]

    def axis_values(self, name):
        return self.column(name) * self.factor(name)

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
    ax.set_xticks(range(xs.size), ["%g" % a for a in np.round(xs * table.factor(p1), 6)])
    ax.set_yticks(range(ys.size), ["%g" % b for b in np.round(ys * table.factor(p2), 6)])
    lo, hi = np.nanmin(z), np.nanmax(z)
    for i in range(ys.size):
        for j in range(xs.size):
            if np.isnan(z[i, j]):
                ax.text(j, i, "failed" if failed[i, j] else "n/a", ha="center", va="center")
                continue
            light = hi > lo and (z[i, j] - lo) / (hi - lo) > 0.6   # viridis is light at the top
            ax.text(j, i, "%.4g" % z[i, j], ha="center", va="center", fontsize=15,
                    color=BLACK if light else "white")
    return mesh


def draw_scatter(ax, table, metric, p1, p2):
    ok = table.ok() & np.isfinite(table.column(metric))
    x, y, v = table.axis_values(p1)[ok], table.axis_values(p2)[ok], table.column(metric)[ok]
    mappable = ax.scatter(x, y, c=v, cmap="viridis", s=160, edgecolors=BLACK, linewidths=0.8,
                          zorder=3)
    if ok.sum() <= 30:      # few points: the value beside each
        for a, b, val in zip(x, y, v):
            ax.annotate("%.4g" % val, (a, b), xytext=(10, 6), textcoords="offset points",
                        fontsize=13)
    ax.margins(0.15)
    ax.grid(alpha=0.3)
    return mappable


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
    fig, ax = plt.subplots(figsize=(10, 7.5))
    grid = full_grid(table.column(p1), table.column(p2),
                     [table.column(p) for p in table.parameters[2:]])
    if grid is not None:
        mappable = draw_grid(ax, table, metric, p1, p2, *grid)
        kind = "grid of %d × %d settings" % (grid[0].size, grid[1].size)
    else:
        mappable = draw_scatter(ax, table, metric, p1, p2)
        kind = "%d sampled points" % ok.sum()
        if len(table.parameters) > 2:
            kind += "; the other swept parameters vary too, not shown"
    ax.set_xlabel(table.parameter_label(p1))
    ax.set_ylabel(table.parameter_label(p2))
    fig.colorbar(mappable, ax=ax).set_label(with_unit(label, unit))
    ax.set_title("%s for each simulated runner\n(%s)" % (label, kind))
    fig.tight_layout()
    out.save(fig, "fig2_sweep_heatmap")


def sweep_line_figure(out, table, metric):
    """A sweep over one parameter: the metric against it."""
    p = table.parameters[0]
    ok = table.ok() & np.isfinite(table.column(metric))
    order = np.argsort(table.column(p)[ok])
    label, unit = metric_unit(metric)
    fig, ax = plt.subplots(figsize=(10, 6.5))
    ax.plot(table.axis_values(p)[ok][order], table.column(metric)[ok][order], "o-", color=BLUE,
            lw=2.4, ms=9)
    ax.set_xlabel(table.parameter_label(p))
    ax.set_ylabel(with_unit(label, unit))
    ax.set_title("%s over the sweep of\n%s" % (label, parameter_info(p, table.unit(p))[0]))
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
    table = SweepTable(files)
    metric = files.sweep_metric(table)
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
    names = [textwrap.fill(parameter_info(p, table.unit(p) if p in table.columns else "")[0], 24)
             for p in params]
    lines = sum(n.count("\n") + 1 for n in names)
    height = 3.4 + 0.35 * lines + 0.5 * len(params)
    fig, axes = plt.subplots(1, panels, sharey=True, squeeze=False,
                             figsize=(10 + 5.5 * (panels - 1), height))
    ax = axes[0][0]
    y = np.arange(len(params))
    values = np.nan_to_num(src)
    ax.barh(y, values, color=[INCREASE if v >= 0 else DECREASE for v in values])
    for k, v in enumerate(src):
        ax.text(values[k], k, (" %s " % signed(v, 2)) if np.isfinite(v) else " n/a ",
                va="center", ha="left" if values[k] >= 0 else "right")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.axvline(0, color=BLACK, lw=0.8)
    lim = max(1.0, np.nanmax(np.abs(values)) * 1.35)
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("standardised regression coefficient, SRC (dimensionless)")
    fit = "R² = %.2f" % r2 if np.isfinite(r2) else "R² unknown"
    if np.isfinite(r2) and r2 < 0.7:
        fit += ": the linear fit explains little, read the SRC with care"
    ax.set_title("linear: direction and strength\n%s" % textwrap.fill(fit, 50))
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
                      % (100 * max(left, 0.0)))
    fig.suptitle("Sensitivity of %s (%s)" % (label, unit or "dimensionless"))
    fig.legend(handles=[Patch(color=INCREASE, label="raising the setting raises the metric"),
                        Patch(color=DECREASE, label="raising the setting lowers the metric")],
               loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.6 / fig.get_figheight(), 1, 1))
    out.save(fig, "fig2b_sensitivity")


# ---------------------------------------------------------------------------------------------
# Figure 3: exercises

EXERCISE_LOADS = [("compression", "compression"), ("ap_shear", "AP shear"),
                  ("lateral_shear", "lateral shear")]


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
    base = runs.index("weakened")
    rows = list(range(base + 1, len(runs)))
    if not rows:
        raise Skip("%s has no row after the weakened runner" % schema.path("exercises"))
    ref = files.reference if files.reference in runs and files.reference != "weakened" else None
    y = np.arange(len(rows))
    fig = plt.figure(figsize=(17, 3.0 + 0.95 * len(rows)), layout="constrained")
    gs = fig.add_gridspec(2, 3, height_ratios=[0.95 * len(rows) + 1.6, 1.1])
    axes = [fig.add_subplot(gs[0, 0])]
    axes += [fig.add_subplot(gs[0, k], sharey=axes[0]) for k in (1, 2)]
    for ax, (key, label) in zip(axes, EXERCISE_LOADS):
        change = table[rows, cols.index("change_%s_N" % key)]
        pct = table[rows, cols.index("change_%s_pct" % key)]
        ax.barh(y, change, height=0.6, edgecolor=BLACK, linewidth=0.5,
                color=[INCREASE if v > 0 else DECREASE for v in change])
        lim = max(np.nanmax(np.abs(change)), 1e-9)
        for k, (v, p) in enumerate(zip(change, pct)):
            words = ("%s N\n%s %%" % (signed(v, 1), signed(p, 1)) if np.isfinite(p)
                     else "%s N" % signed(v, 1))
            if v == 0 and (p == 0 or not np.isfinite(p)):
                words = "no change"
            ax.text(v, k, "  %s  " % words.replace("\n", "  \n  "), va="center", fontsize=13,
                    ha="right" if v < 0 else "left", linespacing=1.1)
        ax.set_xlim(-2.0 * lim, 2.0 * lim)
        ax.axvline(0, color=BLACK, lw=1)
        ax.grid(axis="x", alpha=0.3)
        weak = table[base, cols.index("peak_%s_N" % key)]
        ax.set_title("peak %s\n(weakened runner: %.0f N)" % (label, weak))
        ax.set_xlabel("change (N)")
        ax.tick_params(axis="y", length=0)
    axes[0].set_yticks(y, [exercise_label(titles[k], gains[k]) for k in rows])
    for ax in axes[1:]:
        ax.tick_params(axis="y", labelleft=False)
    axes[0].invert_yaxis()
    weeks, per_week = ex.attrs.get("training_weeks"), ex.attrs.get("sessions_per_week")
    dose = (" (%g weeks, %g sessions a week)" % (weeks, per_week)
            if weeks is not None and per_week is not None else "")
    fig.suptitle("Peak L5/S1 loads after each exercise%s, compared with the weakened runner "
                 "before training\nchange in N and in %% of the weakened runner's peak" % dose)
    note = fig.add_subplot(gs[1, :])
    legend = legend_row(note, [Patch(color=INCREASE, label="higher than the weakened runner"),
                               Patch(color=DECREASE, label="lower than the weakened runner")],
                        ncol=2, bbox_to_anchor=(0.5, 0.8))
    legend.set_in_layout(True)
    if ref is not None:
        k = runs.index(ref)
        parts = ["%s %s N (%s %%)" % (label, signed(table[k, cols.index("change_%s_N" % key)]),
                                      signed(table[k, cols.index("change_%s_pct" % key)], 1))
                 for key, label in EXERCISE_LOADS]
        note.text(0.5, 0.0, "For comparison, the %s against the weakened runner:\n%s."
                  % (display(titles[k]), ", ".join(parts)), ha="center", va="bottom",
                  transform=note.transAxes, fontsize=14)
    out.save(fig, "fig3_exercise_bars")


def exercise_label(title, gain, width=30):
    """Y label of one exercise: its title and, below, the muscles it strengthened (one group
    and its gain never split over two lines)."""
    lines = []
    for item in (display(readable_groups(gain)).split(", ") if gain else []):
        if lines and len(lines[-1]) + 2 + len(item) <= width:
            lines[-1] += ", " + item
        else:
            # A long item (why an exercise gives no gain) is wrapped at word boundaries.
            lines.extend(textwrap.wrap(item, width) or [item])
    return "\n".join([display(title)] + lines)


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


def group_members(files, names):
    """{group: set of muscles} of the results file's muscle table, or None without one."""
    r = files.results
    for name in names:
        if has(r, "run.muscles.names", name) and has(r, "run.muscles.groups", name):
            muscles = strings(at(r, "run.muscles.names", name))
            member_of = strings(at(r, "run.muscles.groups", name))
            out = {}
            for muscle, groups in zip(muscles, member_of):
                for g in groups.split(","):
                    if g.strip():
                        out.setdefault(g.strip(), set()).add(muscle)
            return out, set(muscles)
    return None, set()


def disjoint_groups(groups, members):
    """Groups in which no muscle counts twice: the most specific first (fewest muscles), each
    taken if it shares no muscle with those already taken. Returns (groups, muscles left out)."""
    chosen, used = [], set()
    for g in sorted((g for g in groups if members.get(g)), key=lambda g: (len(members[g]), g)):
        if not members[g] & used:
            chosen.append(g)
            used |= members[g]
    return chosen, used


def fig4_muscle_groups(files, out):
    name = choose_difference_run(files)
    a = files.analysis
    groups = strings(at(a, "analysis.difference.groups.names", name))
    change = at(a, "analysis.difference.groups.mean_force_change", name)[()]
    pct = (at(a, "analysis.difference.groups.mean_force_change_pct", name)[()]
           if has(a, "analysis.difference.groups.mean_force_change_pct", name)
           else np.full_like(change, np.nan))
    members, muscles = group_members(files, [name, files.reference])
    if members:
        chosen, used = disjoint_groups(groups, members)
    else:
        chosen, used = list(groups), set()
    index = np.array([groups.index(g) for g in chosen], dtype=int)
    keep = index[np.argsort(-np.abs(np.nan_to_num(change[index])), kind="stable")][:MAX_GROUPS]
    rest = [i for i in index if i not in keep]
    keep = keep[np.argsort(-change[keep], kind="stable")]     # most increased on top
    reference = files.title(files.reference)
    if members:
        notes = ["Each muscle counts in one group only, so the changes add up: all %d groups "
                 "together %s\u00a0N" % (len(index), signed(np.nansum(change[index])))]
        if rest:
            notes[-1] += ", of which the %d groups not drawn (smaller changes) %s\u00a0N" % (
                len(rest), signed(np.nansum(change[rest])))
        notes[-1] += "."
        left = sorted({muscle_name(m) for m in muscles - used})
        if left:
            notes.append("Not in any of these groups: %s." % ", ".join(left))
    else:
        notes = ["The groups overlap (a muscle can count in two groups): do not add the bars."]
        if rest:
            notes.append("%d groups with smaller changes not drawn." % len(rest))
    notes.append("In brackets: the change in %% of that group's force in the %s." % reference)
    lines = [textwrap.fill(n, 90) for n in notes]
    note_lines = sum(line.count("\n") + 1 for line in lines)
    fig = plt.figure(figsize=(13, 2.6 + 0.5 * len(keep) + 0.3 * note_lines), layout="constrained")
    gs = fig.add_gridspec(2, 1, height_ratios=[1.2 + 0.5 * len(keep), 0.6 + 0.3 * note_lines])
    ax = fig.add_subplot(gs[0])
    y = np.arange(len(keep))
    ax.barh(y, change[keep], height=0.7,
            color=[INCREASE if c >= 0 else DECREASE for c in change[keep]])
    for k, i in enumerate(keep):
        words = "%s N" % signed(change[i])
        if np.isfinite(pct[i]):
            words += " (%s %%)" % signed(pct[i])
        ax.text(change[i], k, " %s " % words, va="center",
                ha="left" if change[i] >= 0 else "right")
    ax.set_yticks(y, [group_name(groups[i]) for i in keep])
    ax.invert_yaxis()
    ax.axvline(0, color=BLACK, lw=0.8)
    lo, hi = min(0, np.nanmin(change[keep])), max(0, np.nanmax(change[keep]))
    ax.set_xlim(lo - 0.4 * (hi - lo) - 1e-9, hi + 0.4 * (hi - lo) + 1e-9)
    ax.set_xlabel("change in muscle force, averaged over the stride (N)")
    ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Which muscles work harder, which less?\n" + textwrap.fill(
        "%s compared with the %s" % (files.title(name), reference), 75))
    note = fig.add_subplot(gs[1])
    legend_row(note, [Patch(color=INCREASE, label="works harder"),
                      Patch(color=DECREASE, label="works less")], ncol=2,
               bbox_to_anchor=(0.5, 1.0), loc="upper center")
    note.text(0.5, 0.0, "\n".join(lines), ha="center", va="bottom",
              transform=blended_transform_factory(fig.transFigure, note.transAxes))
    out.save(fig, "fig4_muscle_groups")


# ---------------------------------------------------------------------------------------------
# Figure 5: stick figure and animation


class Stick:
    """Landmark positions and the L5/S1 force of one run's stride, with the heels added."""

    def __init__(self, files, name):
        a, run = files.analysis, files.run(name)
        self.name = name
        self.title = files.title(name)
        self.landmarks = strings(at(a, "analysis.stick.landmarks", name))
        segments = at(a, "analysis.stick.segments", name)[()]
        self.segments = [tuple(s) for s in np.asarray(segments, dtype=int).reshape(-1, 2)]
        points = at(a, "analysis.stick.points", name)
        self.points = points[()].reshape(len(points), len(self.landmarks), 3)
        self.force = at(a, "analysis.stick.l5s1_force", name)[()]
        self.time = at(a, "analysis.stick.time", name)[()]
        self.percent = at(a, "analysis.stick.cycle_percent", name)[()]
        self.bw = float(run.attrs["body_weight_N"])
        contact = has(a, "analysis.contact", name)
        self.contact_x = at(a, "analysis.cycle_percent", name)[()] if contact else None
        self.contact = at(a, "analysis.contact", name)[()] if contact else None
        self.add_heels()
        feet = [i for i, n in enumerate(self.landmarks)
                if n.startswith(("ankle_", "heel_", "toe_"))]
        # The floor: the lowest point of the feet over the stride (the file's floor_y_m, the
        # median height of the centre of pressure, lies below the model's feet).
        s = at(a, "analysis.stick", name)
        self.floor = (float(self.points[:, feet, 1].min()) if feet
                      else float(s.attrs["floor_y_m"]) if "floor_y_m" in s.attrs else None)

    def index(self, landmark):
        return self.landmarks.index(landmark) if landmark in self.landmarks else None

    def add_heels(self):
        """Landmarks heel_r and heel_l (the foot frame origin) from ankle and toe with the model's
        foot geometry, and the segments ankle-heel and heel-toe. The foot is taken as not rolled
        about its long axis: the heel lies in the vertical plane through ankle and toe."""
        a, t = np.array(FOOT_ANKLE), np.array(FOOT_TOE)
        length = np.linalg.norm(t - a)
        along = (t - a) / length
        normal = np.array([-along[1], along[0]])           # up in the foot frame
        alpha, beta = (-a / length) @ along, (-a / length) @ normal
        up = np.array([0.0, 1.0, 0.0])
        for side in ("r", "l"):
            ia, it = self.index("ankle_" + side), self.index("toe_" + side)
            if ia is None or it is None or self.index("heel_" + side) is not None:
                continue
            ankle, toe = self.points[:, ia], self.points[:, it]
            d = toe - ankle
            n = np.linalg.norm(d, axis=1, keepdims=True)
            u = d / np.where(n > 0, n, 1)
            v = up - (u @ up)[:, None] * u
            vn = np.linalg.norm(v, axis=1, keepdims=True)
            v = np.where(vn > 1e-6, v / np.where(vn > 0, vn, 1), np.array([-1.0, 0, 0]))
            heel = ankle + n * (alpha * u + beta * v)
            self.points = np.concatenate([self.points, heel[:, None, :]], axis=1)
            self.landmarks.append("heel_" + side)
            ih = len(self.landmarks) - 1
            self.segments += [(ia, ih), (ih, it)]

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


class Runners:
    """The run drawn in colour (`main`) and, when the file has one, the reference run drawn
    behind it in grey (`ref`), matched frame by frame at the same % of the stride."""

    def __init__(self, files):
        names = [n for n in files.run_names() if has(files.analysis, "analysis.stick.points", n)]
        if files.args.run and files.args.run not in names:
            raise Skip("run '%s' has no stick figure (it did not finish, or its model file is "
                       "missing)" % files.args.run)
        if not names:
            raise Skip("the analysis file has no run with a stick figure")
        main = next(c for c in (files.args.run, "weakened", files.reference, names[0])
                    if c and c in names)
        self.main = Stick(files, main)
        ref = files.reference
        self.ref = Stick(files, ref) if ref in names and ref != main else None
        floors = [s.floor for s in self.all() if s.floor is not None]
        self.floor = min(floors) if floors else None
        self.same_motion = (self.ref is not None
                            and self.ref.points.shape[1:] == self.main.points.shape[1:]
                            and all(np.abs(self.ref.points[self.ref_frame(f)]
                                           - self.main.points[f]).max() < 0.005
                                    for f in range(0, len(self.main.points), 5)))

    def all(self):
        return [s for s in (self.ref, self.main) if s is not None]

    def ref_frame(self, frame):
        return self.ref.frame_at(self.main.percent[frame])

    def frames(self, frame):
        """(stick, frame) of every runner at the main run's frame, reference first."""
        out = [(self.ref, self.ref_frame(frame))] if self.ref is not None else []
        return out + [(self.main, frame)]

    def describe(self, short=False):
        """Title line naming the runners and how they are drawn."""
        if self.ref is None:
            return self.main.title if short else (
                "%s: the runner at key moments of the stride" % self.main.title)
        text_ = "%s (in colour) and %s (grey, behind)" % (self.main.title, self.ref.title)
        if self.same_motion and not short:
            text_ += ": they move the same way, only the force at L5/S1 differs"
        return text_


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


def draw_figure(ax, stick, frame, h, shift, ghost=False, lw=2.6):
    """Stick figure of one frame in the plane (h, y); h is the horizontal axis index (x = 0 or
    z = 2). A ghost (the reference runner) is wide and grey, behind. Returns the artists so that
    the animation can move them."""
    p = stick.points[frame]
    lines = []
    for seg in stick.segments:
        seg = list(seg)
        style = (dict(color=GHOST_COLOUR, lw=3.2 * lw, zorder=1) if ghost
                 else dict(color=stick.side(seg), lw=lw, zorder=3))
        lines.append(ax.plot(p[seg, h] - shift, p[seg, 1], solid_capstyle="round", **style)[0])
    j = stick.index("head")
    head = None
    if j is not None:
        head = ax.plot([p[j, h] - shift], [p[j, 1]], "o", zorder=1 if ghost else 3,
                       color=GHOST_COLOUR if ghost else TRUNK_COLOUR, ms=17 if ghost else 10)[0]
    return lines, head


def move_figure(stick, frame, h, shift, lines, head):
    p = stick.points[frame]
    for line, seg in zip(lines, stick.segments):
        line.set_data(p[list(seg), h] - shift, p[list(seg), 1])
    if head is not None:
        j = stick.index("head")
        head.set_data([p[j, h] - shift], [p[j, 1]])


def arrow_shape(stick, frame, h, shift, width):
    """FancyArrow geometry (m) of the L5/S1 force in the plane (h, y): a head in proportion to
    the arrow, at most a fifth of its length."""
    j = stick.index("L5_S1")
    p = stick.points[frame, j]
    f = stick.force[frame] / stick.bw * STICK_M_PER_BW
    length = float(np.hypot(f[h], f[1]))
    head = min(0.22 * length, 0.07)
    return dict(x=p[h] - shift, y=p[1], dx=f[h], dy=f[1], width=width,
                head_width=max(2.0 * width, 0.75 * head), head_length=head)


def force_arrow(ax, stick, frame, h, shift, ref=False):
    """The L5/S1 force as an arrow; the reference runner's is wider and drawn first, below."""
    if stick.index("L5_S1") is None:
        return None
    width = 0.05 if ref else 0.022
    arrow = FancyArrow(length_includes_head=True, lw=0, zorder=5 if ref else 6,
                       color=REFERENCE_FORCE_COLOUR if ref else FORCE_COLOUR,
                       **arrow_shape(stick, frame, h, shift, width))
    ax.add_patch(arrow)
    arrow.corestride_width = width
    return arrow


def stick_handles(runners, wrap=None):
    """Legend entries: the sides, each runner's force arrow, the reference's figure, the floor
    (in the stick figure; the animation's legend has labels wrapped at `wrap` characters)."""
    main, ref = runners.main, runners.ref
    what = "L5/S1 force" if wrap else "L5/S1 force on the sacrum"
    entries = [(dict(color=RIGHT_COLOUR, lw=3), "right leg"),
               (dict(color=LEFT_COLOUR, lw=3), "left leg")]
    if ref is not None:
        entries += [(dict(color=GHOST_COLOUR, lw=9, solid_capstyle="round"), ref.title + " (grey)"),
                    (dict(color=FORCE_COLOUR, lw=3), "%s, %s" % (what, main.title)),
                    (dict(color=REFERENCE_FORCE_COLOUR, lw=6), "%s, %s" % (what, ref.title))]
    else:
        entries.append((dict(color=FORCE_COLOUR, lw=3), what))
    if runners.floor is not None and not wrap:
        entries.append((dict(color=FLOOR_COLOUR, lw=1.5), "floor (lowest foot point)"))
    return [Line2D([], [], label=textwrap.fill(label, wrap) if wrap else label, **style)
            for style, label in entries]


def draw_instants(ax, runners, instants, h, width):
    """The key instants side by side in the plane (h, y), `width` metres apart; returns the
    data extent (xmin, xmax, ymin, ymax) including the force arrows."""
    frames = [runners.main.frame_at(pc) for pc, _ in instants]
    xs, ys = [], []
    for k, f in enumerate(frames):
        for stick, g in runners.frames(f):
            ghost = stick is runners.ref
            shift = stick.centre(g)[h] - k * width
            draw_figure(ax, stick, g, h, shift, ghost=ghost)
            xs += list(stick.points[g, :, h] - shift)
            ys += list(stick.points[g, :, 1])
            arrow = force_arrow(ax, stick, g, h, shift, ref=ghost)
            if arrow is not None:
                shape = arrow_shape(stick, g, h, shift, 0)
                xs.append(shape["x"] + shape["dx"])
                ys.append(shape["y"] + shape["dy"])
    if runners.floor is not None:
        ax.axhline(runners.floor, color=FLOOR_COLOUR, lw=1.5, zorder=0)
        ys.append(runners.floor)
    top = max(ys) + 0.08
    for k, (pc, label) in enumerate(instants):
        ax.text(k * width, top, "%.0f %%\n%s" % (pc, label), ha="center", va="bottom")
    half_label = 0.55    # m, about half the width of a label such as "left mid-stance"
    return (min(min(xs), -half_label), max(max(xs), (len(frames) - 1) * width + half_label),
            min(ys), top + 0.42)    # room for two lines of label


def fig5_stick_figure(files, out):
    runners = Runners(files)
    instants = key_instants(runners.main)
    fig, axes = plt.subplots(2, 1, figsize=(15, 13))
    views = [(0, "Seen from the side (the runner's right), x forward", "x forward (m)"),
             (2, "Seen from behind, z to the right", "z to the right (m)")]
    # One spacing for both views, so that they share a scale and the labels do not overlap.
    frames = [runners.main.frame_at(pc) for pc, _ in instants]
    width = max(np.ptp(runners.main.points[f, :, h]) for f in frames for h in (0, 2)) + 0.5
    for ax, (h, name, xlabel) in zip(axes, views):
        x0, x1, y0, y1 = draw_instants(ax, runners, instants, h, width)
        ax.set_xlim(x0 - 0.15, x1 + 0.15)
        ax.set_ylim(y0 - 0.05, y1)
        ax.set_aspect("equal", adjustable="box")
        ax.set_title(name)
        ax.set_xlabel(xlabel + "; the instants are placed side by side")
        ax.set_ylabel("height (m)")
    fig.suptitle(textwrap.fill(runners.describe(), 90))
    handles = stick_handles(runners)
    ncol = len(handles) if len(handles) <= 4 else 3
    fig.legend(handles=handles, loc="lower center", ncol=ncol, frameon=False,
               title="force arrows: %.1f m of arrow = 1 body weight (%.0f N)"
               % (STICK_M_PER_BW, runners.main.bw))
    rows = -(-len(handles) // ncol) + 1
    fig.tight_layout(rect=(0, (0.33 * rows + 0.2) / fig.get_figheight(), 1, 1))
    out.save(fig, "fig5_stick_figure")
    write_animation(runners, out)


def animation_limits(runners, h):
    """Axis limits that hold every frame of the animation (positions relative to the pelvis)."""
    rel, y = [], []
    for stick in runners.all():
        centres = np.array([stick.centre(f)[h] for f in range(len(stick.points))])
        rel.append(stick.points[:, :, h] - centres[:, None])
        y.append(stick.points[:, :, 1])
    rel, y = np.concatenate(rel), np.concatenate(y)
    return (rel.min() - 0.35, rel.max() + 0.35), (y.min() - 0.1, y.max() + 0.2)


def write_animation(runners, out):
    """fig5_stride.gif: the whole stride, sagittal and frontal side by side."""
    main = runners.main
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 5.6), gridspec_kw={"width_ratios": [1.5, 1]})
    artists = []
    views = ((axes[0], 0, "from the side", "x forward, from the pelvis (m)"),
             (axes[1], 2, "from behind", "z right, from the pelvis (m)"))
    for ax, h, name, xlabel in views:
        xlim, ylim = animation_limits(runners, h)
        for stick, g in runners.frames(0):
            ghost = stick is runners.ref
            shift = stick.centre(g)[h]
            lines, head = draw_figure(ax, stick, g, h, shift, ghost=ghost)
            arrow = force_arrow(ax, stick, g, h, shift, ref=ghost)
            artists.append((stick, h, lines, head, arrow))
        if runners.floor is not None:
            ax.axhline(runners.floor, color=FLOOR_COLOUR, lw=1.5, zorder=0)
            ylim = (min(ylim[0], runners.floor - 0.05), ylim[1])
        ax.set(xlim=xlim, ylim=ylim, xlabel=xlabel, title=name)
        ax.set_aspect("equal")
    axes[0].set_ylabel("height (m)")
    axes[1].xaxis.set_major_locator(MaxNLocator(nbins=3))
    stamp = fig.suptitle(" \n ")
    handles = stick_handles(runners, wrap=20)
    legend = fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.7, 0.5),
                        frameon=False, fontsize=13,
                        title="arrows: %.1f m\n= 1 body weight" % STICK_M_PER_BW,
                        title_fontsize=13)
    legend._legend_box.align = "left"
    fig.tight_layout(rect=(0, 0, 0.7, 1))
    def update(frame):
        for stick, h, lines, head, arrow in artists:
            g = runners.ref_frame(frame) if stick is runners.ref else frame
            shift = stick.centre(g)[h]
            move_figure(stick, g, h, shift, lines, head)
            if arrow is not None:
                arrow.set_data(**arrow_shape(stick, g, h, shift, arrow.corestride_width))
        stamp.set_text("%s\nt = %.3f s, %.0f %% of the stride"
                       % (textwrap.shorten(runners.describe(short=True), 80),
                          main.time[frame], main.percent[frame]))

    if animation.writers.is_available("pillow"):
        write_gif(fig, update, len(main.points), out)
    else:
        write_frames(fig, update, len(main.points), out)
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

# ---------------------------------------------------------------------------------------------
# Figure 6: compensate mode, the measured and the compensated stride seen from behind


def summary_metrics(files, name):
    """The run's summary numbers as a dict (name -> value)."""
    run = files.run(name)
    names = strings(at(files.results, "run.summary.names", name))
    values = at(files.results, "run.summary.values", name)[()]
    return dict(zip(names, values))


def fig6_compensation(files, out):
    """For each compensated runner (at most three: weakened, whole program, else the runs in
    order), the figure seen from behind at right and left mid-stance: the measured stride's
    figure grey, the compensated one in colour, with the form changes in degrees."""
    names = [n for n in files.run_names() if has(files.analysis, "analysis.stick.points_measured", n)]
    if not names:
        raise Skip("no run in compensate mode")
    preferred = [n for n in ("weakened", "after_program") if n in names]
    shown = (preferred or names)[:3] if len(names) > 1 else names
    fig, axes = plt.subplots(len(shown), 2, figsize=(11, 7.6 * len(shown)), squeeze=False)
    for col, name in enumerate(shown):
        stick = Stick(files, name)
        a = files.analysis
        pm = at(a, "analysis.stick.points_measured", name)
        measured = pm[()].reshape(len(pm), -1, 3)
        n_land = measured.shape[1]
        m = summary_metrics(files, name)
        instants = [(pc, label) for pc, label in key_instants(stick) if "mid-stance" in label]
        if not instants:
            instants = [(15.0, "right stance"), (65.0, "left stance")]
        for k, (pc, label) in enumerate(instants[:2]):
            ax = axes[col][k]
            f = stick.frame_at(pc)
            side = "r" if label.startswith("right") else "l"
            centre = stick.points[f, stick.index("pelvis") if stick.index("pelvis") is not None else 0]
            for seg in stick.segments:
                seg = list(seg)
                if max(seg) < n_land:
                    ax.plot(measured[f, seg, 2] - centre[2], measured[f, seg, 1], color=GHOST_COLOUR,
                            lw=7, solid_capstyle="round", zorder=1)
                ax.plot(stick.points[f, seg, 2] - centre[2], stick.points[f, seg, 1], color=stick.side(seg),
                        lw=2.6, solid_capstyle="round", zorder=3)
            j = stick.index("head")
            if j is not None:
                ax.plot([measured[f, j, 2] - centre[2]], [measured[f, j, 1]], "o", color=GHOST_COLOUR, ms=17, zorder=1)
                ax.plot([stick.points[f, j, 2] - centre[2]], [stick.points[f, j, 1]], "o", color=TRUNK_COLOUR,
                        ms=10, zorder=3)
            if stick.floor is not None:
                ax.axhline(stick.floor, color=FLOOR_COLOUR, lw=1)
            ax.set_xlim(-0.5, 0.5)
            ax.set_aspect("equal", adjustable="datalim")
            ax.set_xlabel("to the runner's right (m), from the pelvis")
            if k == 0:
                ax.set_ylabel("height (m)")
            lines = []
            for key, words in (("trunk_lean_to_stance_peak", "trunk lean toward the standing leg"),
                               ("pelvic_drop_peak", "pelvic drop (swinging side)"),
                               ("hip_adduction_stance_peak", "hip adduction, standing leg")):
                v = m.get("form_change_%s_%s_deg" % (key, side))
                if v is not None and np.isfinite(v):
                    lines.append("%s %s°" % (words, signed(v, 1)))
            ax.set_title("%s\n%s (%.0f %% of the stride)" % (textwrap.fill(files.title(name), 34), label, pc),
                         fontsize=12)
            ax.text(0.5, -0.16, "\n".join(lines), transform=ax.transAxes, ha="center", va="top", fontsize=11)
    handles = [Line2D([], [], color=GHOST_COLOUR, lw=7, label="measured stride (the recorded runner)"),
               Line2D([], [], color=RIGHT_COLOUR, lw=2.6, label="compensated stride: right side"),
               Line2D([], [], color=LEFT_COLOUR, lw=2.6, label="left side")]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.suptitle(textwrap.fill("How the runner's form adapts to the muscles, seen from behind (changes: "
                               "compensated minus measured stride, largest in each side's stance)",
                               70), fontsize=13)
    fig.tight_layout(rect=(0, 0.1 / len(shown), 1, 1 - 0.07 / len(shown)))
    out.save(fig, "fig6_compensation")


# ---------------------------------------------------------------------------------------------
# Figure 7: the long run, loads, capacity and form over the minutes of running

LONG_RUN_STYLES = {"healthy": dict(color=BLACK, lw=2.4, ls="-", marker="o"),
                   "weakened": dict(color=VERMILLION, lw=2.6, ls="--", marker="s"),
                   "after_program": dict(color=BLUE, lw=2.6, ls="-", marker="^")}
LONG_RUN_OTHER = [dict(color=c, lw=2.2, ls=ls, marker=m)
                  for c, ls, m in ((GREEN, "-.", "D"), (ORANGE, ":", "v"), (PURPLE, "-", "P"), (SKY, "--", "X"))]


def long_run_data(files, name):
    """The long run of `name` from the results file, or None."""
    r = files.results
    if not has(r, "run.long_run", name):
        return None
    g = at(r, "run.long_run", name)
    minutes = at(r, "run.long_run.epoch_time", name)[()] / 60.0
    if len(minutes) == 0:
        return None
    pc = at(r, "run.long_run.peak_compression", name)
    ps = at(r, "run.long_run.peak_ap_shear", name)
    form = at(r, "run.long_run.form", name)
    return dict(minutes=minutes, status=attr_text(g, "status"), completed=int(g.attrs.get("completed", 0)),
                duration=float(g.attrs["duration_s"]) / 60.0,
                levels=columns(pc), compression=pc[()], shear=ps[()],
                groups=strings(at(r, "run.long_run.groups", name)),
                capacity=at(r, "run.long_run.capacity", name)[()],
                capacity_end=at(r, "run.long_run.capacity_end", name)[()],
                run_out=at(r, "run.long_run.run_out_time", name)[()],
                form_names=columns(form), form=form[()],
                bw=float(files.run(name).attrs["body_weight_N"]))


def fig7_long_run(files, out):
    """Over the minutes of a long run, for the healthy, weakened and whole-programme runners
    (else every run with a long run, at most four): peak L5/S1 compression and anterior shear,
    the remaining capacity of the weakened groups (gluteus medius and deep core when none), and
    the running form."""
    names = [n for n in files.run_names() if long_run_data(files, n) is not None]
    if not names:
        raise Skip("no long run (run.duration_min = 0)")
    preferred = [n for n in ("healthy", "weakened", "after_program") if n in names]
    shown = preferred if preferred else names[:4]
    data = {n: long_run_data(files, n) for n in shown}
    styles, k = {}, 0
    for n in shown:
        if n in LONG_RUN_STYLES:
            styles[n] = LONG_RUN_STYLES[n]
        else:
            styles[n] = LONG_RUN_OTHER[k % len(LONG_RUN_OTHER)]
            k += 1
    # Groups: those weakened in the weakest runner's scenario, else gluteus medius and deep core.
    groups = []
    for n in shown:
        if has(files.results, "run.capacity.weakened", n):
            w = at(files.results, "run.capacity.weakened", n)[()]
            cn = strings(at(files.results, "run.capacity.names", n))
            groups += [g for g, flag in zip(cn, w) if flag and g not in groups]
    if not groups:
        groups = ["glute_med_r", "glute_med_l", "deep_core_r", "deep_core_l"]
    groups = groups[:4]
    bases = []
    for g in groups:
        if side_stem(g) not in bases:
            bases.append(side_stem(g))
    fig, axes = plt.subplots(2, 2, figsize=(13, 10))
    ax_c, ax_s, ax_cap, ax_form = axes[0][0], axes[0][1], axes[1][0], axes[1][1]
    for n in shown:
        d, st = data[n], styles[n]
        label = textwrap.fill(files.title(n), 28)
        j = d["levels"].index("L5_S1") if "L5_S1" in d["levels"] else 0
        ax_c.plot(d["minutes"], d["compression"][:, j] / d["bw"], label=label, **st)
        ax_s.plot(d["minutes"], d["shear"][:, j] / d["bw"], label=label, **st)
        for gi, base in enumerate(bases):
            cols = [d["groups"].index(g) for g in groups if g in d["groups"] and side_stem(g) == base]
            if not cols:
                continue
            y = 100 * d["capacity"][:, cols].mean(axis=1)
            ax_cap.plot(d["minutes"], y, color=st["color"], lw=st["lw"] if gi == 0 else 1.6, ls=st["ls"],
                        marker=st["marker"], ms=7 if gi == 0 else 4, alpha=1.0 if gi == 0 else 0.6)
            if n == shown[-1]:
                ax_cap.annotate(group_name(base), (d["minutes"][-1], y[-1]), xytext=(6, 0),
                                textcoords="offset points", va="center", fontsize=10)
        lean = [c for c, f in enumerate(d["form_names"]) if f.startswith("form_trunk_lean_to_stance_peak")]
        drop = [c for c, f in enumerate(d["form_names"]) if f.startswith("form_pelvic_drop_peak")]
        if lean:
            y = d["form"][:, lean].max(axis=1)
            ax_form.plot(d["minutes"], y, **st)
            if n == shown[-1]:
                ax_form.annotate("trunk lean", (d["minutes"][-1], y[-1]), xytext=(6, 0), textcoords="offset points",
                                 va="center", fontsize=10)
        if drop:
            y = d["form"][:, drop].max(axis=1)
            ax_form.plot(d["minutes"], y, color=st["color"], lw=1.6, ls=":", marker=st["marker"], ms=4)
            if n == shown[-1]:
                ax_form.annotate("pelvic drop", (d["minutes"][-1], y[-1]), xytext=(6, 0), textcoords="offset points",
                                 va="center", fontsize=10)
    for ax, title, unit in ((ax_c, "Peak L5/S1 compression per stride", "BW"),
                            (ax_s, "Peak L5/S1 anterior shear per stride", "BW")):
        ax.set_title(title, fontsize=13)
        ax.set_ylabel("body weights (%s)" % unit)
        ax.set_xlabel("minutes of running")
        ax.grid(alpha=0.3)
    ax_c.legend(loc="best", fontsize=10, frameon=False)
    ax_cap.set_title(textwrap.fill("Strength left (mean of both sides): " + ", ".join(group_name(b) for b in bases)
                                   + " (thin)" * (len(bases) > 1), 52), fontsize=12)
    ax_cap.set_ylabel("% of the fresh capacity")
    ax_cap.set_xlabel("minutes of running (markers: the simulated strides)")
    ax_cap.grid(alpha=0.3)
    span = max(data[n]["duration"] for n in shown)
    ax_cap.set_xlim(-0.03 * span, 1.22 * span)
    ax_form.set_title("Running form: trunk lean toward the standing leg (thick)\nand pelvic drop (dotted), larger side",
                      fontsize=12)
    ax_form.set_ylabel("degrees")
    ax_form.set_xlabel("minutes of running")
    ax_form.grid(alpha=0.3)
    ax_form.set_xlim(-0.03 * span, 1.22 * span)
    notes = []
    for n in shown:
        d = data[n]
        outs = [(t, g) for g, t in zip(d["groups"], d["run_out"]) if np.isfinite(t)]
        if outs:
            t, g = min(outs)
            notes.append("%s: %s could no longer meet the demand from minute %.1f"
                         % (files.title(n), side_group_name(g), t / 60))
        if not d["completed"]:
            notes.append("%s: %s" % (files.title(n), d["status"]))
    if not notes:
        notes.append("every muscle group of every runner shown met its demand for the whole run")
    fig.suptitle(textwrap.fill("The long run: loads, capacity and form over %.0f minutes (muscle fatigue: "
                               "three-compartment model, docs/long_run.md)" % max(data[n]["duration"] for n in shown),
                               90), fontsize=14)
    fig.text(0.5, 0.01, textwrap.fill("; ".join(notes), 140), ha="center", va="bottom", fontsize=10)
    fig.tight_layout(rect=(0, 0.05, 1, 0.95))
    out.save(fig, "fig7_long_run")


FIGURES = [("fig1", fig1_l5s1_cycle), ("fig2", fig2_sweep_heatmap), ("fig2b", fig2b_sensitivity),
           ("fig3", fig3_exercise_bars), ("fig4", fig4_muscle_groups), ("fig5", fig5_stick_figure),
           ("fig6", fig6_compensation), ("fig7", fig7_long_run)]


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
                                      "results", PROG, oldest=schema.OLDEST_FORMAT_VERSION)
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
