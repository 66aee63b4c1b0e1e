#!/usr/bin/python3
"""One self-contained HTML page about a CoreStride results file, for a physical therapist.

    /usr/bin/python3 analysis/report.py --summary SUMMARY.json --analysis ANALYSIS.h5
                                        --figures FIGDIR -o REPORT.html

SUMMARY.json is `corestride summary RESULTS.h5 --json`, ANALYSIS.h5 `corestride analyze`, and
FIGDIR holds the PNGs (and the GIF) of analysis/plot.py. The page has the scenario in plain
words, what changed (with the numbers), a table of key numbers, the figures embedded as data
URIs, and what the model leaves out. It loads nothing from anywhere (no fonts, scripts or
links) and needs no JavaScript. All text from the input files is HTML-escaped: scenario and
exercise files are written by users. The page is written atomically (a temporary file in the
same directory, then renamed). Exit codes: 0 success, 2 bad input.
"""
import argparse
import base64
import html
import json
import math
import os
import sys
import tempfile

import results_schema as schema   # every HDF5 path and format version

PROG = "report.py"
KEY_METRIC = "L5_S1_peak_compression_N"
R2_MIN = 0.7    # Saltelli et al. 2008: SRC are meaningful where R² >= 0.7

# The figures of plot.py, in page order, with a plain-words caption each.
FIGURES = [
    ("fig1_l5s1_cycle.png",
     "How the load on the L5/S1 disc (between the lowest lumbar vertebra and the sacrum) changes "
     "during one running stride, from right heel strike (0 %) to the next (100 %). Left: "
     "compression, the force squeezing the disc. Right: shear, the force pushing the upper "
     "vertebra forward relative to the lower one. The grey band marks when the right foot is on "
     "the ground, the hatched band the left foot; the right-hand axis gives the load in "
     "multiples of body weight. With several runners, the top row shows the reference runners "
     "and the small panels below show each other runner's difference from the weakened runner "
     "(the zero line)."),
    ("fig2_sweep_heatmap.png",
     "The key load for each combination of the settings that were varied. Each cell (or dot) is "
     "one simulated runner; its colour and number give the load."),
    ("fig2b_sensitivity.png",
     "How strongly each varied setting drives the load (standardised regression coefficients). "
     "A bar near +1 or −1 means that setting explains most of the change; the sign says whether "
     "raising the setting raises or lowers the load. R² says how well a straight-line model "
     "fits; below 0.7, read the bars with care."),
    ("fig3_exercise_bars.png",
     "The change in the peak L5/S1 compression, forward shear and sideways shear after each "
     "exercise, and after the whole program, against one baseline: the weakened runner before "
     "training. Each bar gives the change in newton and in % of the weakened runner's peak; bars "
     "to the left mean the load went down. Under each exercise: the muscles it strengthened, "
     "as % of the healthy runner's strength before and after training."),
    ("fig4_muscle_groups.png",
     "Which muscle groups work harder (bars to the right) or less (bars to the left) in one "
     "simulated runner than in the reference runner, as the force averaged over the stride. "
     "Each muscle is counted in one group only, so the changes add up."),
    ("fig5_stick_figure.png",
     "The runner seen from the side and from behind at five moments of the stride. Orange is "
     "the right leg, blue the left. The arrows are the force of the upper body on the sacrum at "
     "L5/S1 (0.1 m of arrow per body weight); with two runners, the reference runner is drawn "
     "in grey behind the other, with its own arrow colour (the legend says which)."),
    ("fig6_compensation.png",
     "How the runner's form adapts to the muscles (compensate mode), seen from behind at the "
     "middle of each foot's time on the ground. Grey: the recorded runner's stride; in colour "
     "(orange right, blue left): the stride the simulation predicts for these muscles. Under "
     "each drawing the changes in degrees: trunk lean toward the standing leg, drop of the "
     "pelvis on the swinging side, adduction of the standing hip."),
]
FIGURES.append(
    ("fig7_long_run.png",
     "The long run: over the minutes of running, the peak L5/S1 compression and forward shear of "
     "each simulated stride (top), how much of its fresh strength each weakened muscle group has "
     "left (bottom left) and the running form (bottom right: trunk lean toward the standing leg, "
     "thick; pelvic drop, dotted). Black: the healthy runner; red dashed: the weakened runner; "
     "blue: after the whole programme. Markers are the simulated strides."))
GIF = ("fig5_stride.gif", "Animation of the whole stride, seen from the side and from behind, "
       "with the L5/S1 force as a green arrow.")

MAX_LISTED_RUNS = 12   # runners listed one by one (an exercises study has 10; sweeps can have 1000s)

# Shown wherever the numbers say that weakness lowers the spinal load; `adapted`: the runners'
# form adapts to their muscles (compensate mode).
def weakness_lowers_note(adapted=False):
    moves = ("The weakened runner's form adapts here, but only by a few degrees (see Running "
             "form), so weaker muscles still pull less and the disc is compressed less. The model "
             "cannot show the fatigue or the changes of control"
             if adapted else
             "The weakened runner here moves exactly like the healthy one, so weaker muscles pull "
             "less and the disc is compressed less. The model cannot show the changes of running "
             "style, fatigue or control")
    return ('<p class="note">Why can weakness lower the load? Most of the compression of a lumbar '
            "disc comes from the pull of the muscles around the spine, not from body weight. %s "
            "that may make a weak back vulnerable; a lower number here does not mean that weakness "
            "protects the back.</p>" % moves)

LIMITATIONS = [
    "The running motion and the ground forces are prescribed from a recorded runner (Hamner & "
    "Delp 2013) and are not re-optimised for the weakened runner. The model shows how the "
    "muscles share the same movement, not how a weak runner would change the way they run.",
    "There is no model of foot–ground contact: the recorded ground forces are applied to the "
    "feet.",
    "The body is a generic adult model scaled by mass and height, not this patient.",
    "The lumbar discs are linear springs; the ligaments are not modelled separately.",
    "The muscles share the work by a rule that minimises effort (static optimisation). Real "
    "runners may brace and co-contract more, which raises the compression of the spine.",
    "Muscle strength gains from the exercises come from a training model with estimated "
    "parameters (exercise EMG amplitude → strength gain); they were not measured in this "
    "patient.",
    "Forward (shear) forces on the lumbar discs are the least certain numbers. In this model the "
    "largest forward shear of a healthy runner comes from the psoas while both feet are off the "
    "ground, and weakening the deep core lowers it; the one published simulation of deep-core "
    "weakness in running found that it rises (Raabe & Chaudhari 2018; docs/lumbar_audit.md, "
    "finding 15). Do not read the direction of a shear change as a finding.",
    "The loads are estimates for one stride pattern. They are not a diagnosis, nor a prediction "
    "of pain or injury.",
]

# Readable names of the run metrics of `corestride summary --json`.
METRIC_LABELS = {
    "L5_S1_peak_compression_N": "L5/S1 peak compression",
    "L5_S1_peak_compression_bw_BW": "L5/S1 peak compression",
    "L5_S1_mean_compression_N": "L5/S1 mean compression",
    "L5_S1_peak_anterior_shear_N": "L5/S1 peak anterior shear",
    "L5_S1_peak_posterior_shear_N": "L5/S1 peak posterior shear",
    "L5_S1_peak_lateral_shear_N": "L5/S1 peak lateral shear",
    "L5_S1_peak_loading_rate_BW_per_s": "L5/S1 peak loading rate",
    "L4_L5_peak_compression_N": "L4/L5 peak compression",
    "hip_contact_peak_r_N": "right hip contact force, peak",
    "hip_contact_peak_l_N": "left hip contact force, peak",
    "residual_force_max_N": "model check: largest residual force",
    "residual_moment_max_Nm": "model check: largest residual moment",
    "tracking_rms_worst_deg": "model check: worst RMS tracking error",
    "reserve_share_worst_pct": "model check: largest reserve over its joint's peak moment",
}
UNIT_SUFFIXES = [("_BW_per_s", "BW/s"), ("_BW_s", "BW s"), ("_Nm", "N m"), ("_pct", "%"),
                 ("_BW", "BW"), ("_N", "N"), ("_deg", "deg"), ("_cm", "cm"), ("_s", "s")]

CSS = """
body { font-family: system-ui, "Segoe UI", "DejaVu Sans", Arial, sans-serif; font-size: 17px;
       line-height: 1.5; color: #1a1a1a; background: #ffffff; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-bottom: 0.3rem; }
.subtitle { color: #555555; margin-top: 0; }
.warning { background: #fff4e0; border-left: 5px solid #E69F00; padding: 0.6rem 1rem; }
.note { color: #444444; font-size: 0.95rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #cccccc; padding: 0.3rem 0.55rem; text-align: right;
         vertical-align: top; }
th { background: #eef4fa; }
td { white-space: nowrap; }
td.text, th.text { text-align: left; white-space: normal; }
td.text:first-child { min-width: 9rem; }
figure { margin: 1.8rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #dddddd; }
figcaption { font-size: 0.95rem; color: #333333; margin-top: 0.4rem; }
.above { color: #b35900; font-weight: bold; }
.within { color: #006b4f; }
.below { color: #0a4f8a; }
footer { margin-top: 3rem; font-size: 0.85rem; color: #555555; border-top: 1px solid #cccccc;
         padding-top: 0.6rem; }
@media print { main { max-width: none; } figure { break-inside: avoid; } }
"""


class InputError(Exception):
    """An input that is not what this script reads (exit 2)."""


# ---------------------------------------------------------------------------------------------
# Small formatting helpers. Everything that comes from a file goes through esc().


def esc(value):
    return html.escape(str(value), quote=True)


def title_text(name):
    """Display form of a title: exercise files write spaces as underscores."""
    return str(name).replace("_", " ")


def finite(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def fmt(x, digits=0, unit=""):
    """A number with its unit, or 'n/a' for null/NaN."""
    if not finite(x):
        return "n/a"
    text = "{:,.{d}f}".format(x, d=digits)
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("-")          # no "−0.00"
    text = text.replace("-", "−")
    return text + (" " + unit if unit else "")


def signed(x, digits=0, unit=""):
    if not finite(x):
        return "n/a"
    return ("+" if x > 0 else "") + fmt(x, digits, unit)


def percent(x, with_sign=True):
    """'+1.2 %', or 'n/a' for null/NaN."""
    if not finite(x):
        return "n/a"
    return (signed(x, 1) if with_sign else fmt(x, 1)) + " %"


def negate(x):
    return -x if finite(x) else None


def metric_label(name):
    """(label, unit) of a summary metric name such as `L5_S1_peak_compression_N`."""
    unit = ""
    stem = name
    for suffix, u in UNIT_SUFFIXES:
        if name.endswith(suffix):
            stem, unit = name[: -len(suffix)], u
            break
    if name in METRIC_LABELS:
        return METRIC_LABELS[name], unit
    if stem.endswith("_bw"):
        stem = stem[:-3]
    for level in ("L5_S1", "L4_L5", "L3_L4", "L2_L3", "L1_L2"):
        stem = stem.replace(level, level.replace("_", "/"))
    return stem.replace("_", " "), unit


def digits_for(unit):
    return 2 if unit in ("BW", "BW s", "deg", "cm") else (1 if unit in ("BW/s", "N m", "%") else 0)


def change_words(diff, pct, unit="N"):
    """'577 N (14.1 %) lower' / 'higher' / 'the same'."""
    if not finite(diff):
        return "not known"
    if abs(diff) < 0.5:
        return "practically the same"
    direction = "higher" if diff > 0 else "lower"
    share = " (%s)" % percent(abs(pct), False) if finite(pct) else ""
    return "%s%s %s" % (fmt(abs(diff), 0, unit), share, direction)


def compared(words, other):
    """change_words() completed: '428 N (13.0 %) higher than <other>'."""
    if words.endswith(("higher", "lower")):
        return "%s than %s" % (words, other)
    return words


# ---------------------------------------------------------------------------------------------
# Inputs


def load_summary(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError("%s: cannot read the summary JSON (%s)" % (path, e)) from None
    if not isinstance(doc, dict):
        raise InputError("%s: not a CoreStride summary (no JSON object)" % path)
    if doc.get("format_version") != schema.FORMAT_VERSION:
        raise InputError("%s: unknown format_version %s (this %s reads %d)"
                         % (path, doc.get("format_version"), PROG, schema.FORMAT_VERSION))
    return doc


def attr_text(obj, name, default=""):
    value = obj.attrs.get(name, default)
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def load_analysis(path):
    """Root attributes and the sensitivity table of the analysis file."""
    # show_version=str: a version that is not a number is printed as before (bytes as b'...').
    with schema.open_checked(path, schema.ANALYSIS_FORMAT, schema.ANALYSIS_FORMAT_VERSION,
                             "analysis", PROG, show_version=str) as f:
        info = {k: attr_text(f, k) for k in ("software_version", "source_file", "content",
                                               "reference_run")}
        info["sensitivity"] = read_sensitivity(f)
    return info


def read_sensitivity(f):
    """{metric: (r2, {parameter: src})} from /sensitivity, or {}."""
    if schema.path("analysis.sensitivity.src") not in f:
        return {}
    params = [str(p) for p in f[schema.path("analysis.sensitivity.parameters")].asstr()[()]]
    metrics = [str(m) for m in f[schema.path("analysis.sensitivity.metrics")].asstr()[()]]
    src = f[schema.path("analysis.sensitivity.src")][()]
    r2 = f[schema.path("analysis.sensitivity.r2")][()]
    return {m: (float(r2[i]), {p: float(src[i, j]) for j, p in enumerate(params)})
            for i, m in enumerate(metrics)}


def figure_data_uri(folder, name):
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        return None
    mime = "image/gif" if name.endswith(".gif") else "image/png"
    with open(path, "rb") as f:
        return "data:%s;base64,%s" % (mime, base64.b64encode(f.read()).decode("ascii"))


# ---------------------------------------------------------------------------------------------
# Sections


def section_scenario(doc):
    """The runs' description lines, compactly: the lines every run shares, then the lines
    every run but the reference shares, then each run's own lines."""
    out = ["<h2>The scenario</h2>"]
    runs = doc.get("runs") or []
    lines = [[str(x) for x in r.get("description") or []] for r in runs]
    common = shared_lines(lines)
    if common:
        out += ["<h3>Every simulated runner</h3>", bullets(common)]
    others = [i for i, r in enumerate(runs) if r.get("name") != doc.get("reference_run")]
    rest = shared_lines([lines[i] for i in others])
    rest = [x for x in rest if x not in common]
    if rest:
        ref = next((r for r in runs if r.get("name") == doc.get("reference_run")), None)
        heading = ("Every runner except the reference (%s)" % esc(run_title(ref)) if ref
                   else "Every runner but the first")
        out += ["<h3>%s</h3>" % heading, bullets(rest)]
    items = []
    for i, run in enumerate(runs[:MAX_LISTED_RUNS]):
        own = [x for x in lines[i] if x not in common and (i not in others or x not in rest)]
        if own:
            items.append("<li><strong>%s</strong>: %s</li>"
                         % (esc(run_title(run)), esc(" ".join(own))))
    if len(runs) > MAX_LISTED_RUNS and items:
        items.append("<li>… and %d more runs (all are in summary.json next to this page)</li>"
                     % (len(runs) - MAX_LISTED_RUNS))
    if items:
        out += ["<h3>Each runner</h3>" if common or rest else "", "<ul>%s</ul>" % "".join(items)]
    ex = doc.get("exercises")
    if ex:
        out.append("<p>Training model: %s weeks of each exercise at %s sessions a week.</p>"
                   % (fmt(ex.get("training_weeks"), 0), fmt(ex.get("sessions_per_week"), 1)))
    sweep = doc.get("sweep")
    if sweep:
        out.append(sweep_design(sweep))
    if len(out) == 1:
        out.append("<p>The results file describes no scenario.</p>")
    return "\n".join(x for x in out if x)


def shared_lines(lists):
    """Lines found in every list (in the order of the first), or [] for fewer than two lists."""
    if len(lists) < 2:
        return []
    return [x for x in lists[0] if all(x in other for other in lists[1:])]


def bullets(items):
    return "<ul>%s</ul>" % "".join("<li>%s</li>" % esc(x) for x in items)


def run_title(run):
    if run.get("title"):
        return run["title"]   # display text already (sweep titles name their keys)
    return title_text(run.get("name") or "?")


def sweep_design(sweep):
    params = "".join("<li>%s from %s to %s</li>" % (esc(p.get("name")), esc(fmt(p.get("min"), 3)),
                                                    esc(fmt(p.get("max"), 3)))
                     for p in sweep.get("parameters") or [])
    return ("<p>A parameter sweep (%s design): %s simulated runners, of which %s finished. "
            "The settings that were varied:</p><ul>%s</ul>"
            % (esc(sweep.get("design", "?")), esc(sweep.get("points", "?")),
               esc(sweep.get("points_ok", "?")), params))


OVER_THRESHOLDS = "finished over thresholds: "   # sim/dynamics/run_result.cpp kOverThresholds


def status_warnings(doc):
    runs = doc.get("runs") or []
    over = [r for r in runs if str(r.get("status", "ok")).startswith(OVER_THRESHOLDS)]
    bad = [r for r in runs if r.get("status", "ok") != "ok" and r not in over]
    html = ""
    if bad:
        items = "".join("<li><strong>%s</strong>: %s</li>" % (esc(run_title(r)), esc(r.get("status")))
                        for r in bad)
        html += ('<div class="warning"><p>Some simulations did not finish; their numbers are '
                 'incomplete:</p><ul>%s</ul></div>' % items)
    if over:
        items = "".join("<li><strong>%s</strong>: %s</li>" % (
            esc(run_title(r)), esc(str(r.get("status"))[len(OVER_THRESHOLDS):])) for r in over)
        html += ('<div class="warning"><p>Some simulations finished, but their residuals or tracking '
                 'errors exceed the published limits (Hicks et al. 2015, J Biomech Eng 137:020905); '
                 'their loads are not trustworthy:</p><ul>%s</ul></div>' % items)
    return html


def section_changes(doc, analysis):
    content = doc.get("content")
    if content == "exercises" and doc.get("exercises"):
        body = changes_exercises(doc["exercises"], any(compensated(r) for r in doc.get("runs") or []))
    elif content == "sweep" and doc.get("sweep"):
        body = changes_sweep(doc["sweep"], analysis)
    elif len(doc.get("runs") or []) > 1:
        body = changes_runs(doc)
    else:
        # One runner: nothing to compare; its loads are in the next section.
        return status_warnings(doc)
    return "<h2>What changed</h2>\n" + status_warnings(doc) + body


def changes_exercises(ex, adapted=False):
    rows = {r.get("run"): r for r in ex.get("rows") or []}
    healthy, weak = rows.get("healthy"), rows.get("weakened")
    if not healthy or not weak:
        return "<p>The file lacks the healthy or the weakened runner; nothing to compare.</p>"
    # One baseline everywhere, as in the table: the weakened runner.
    out = []
    for key, what in (("compression", "compression"), ("ap_shear", "shear (front–back)")):
        n, bw = "peak_%s_N" % key, "peak_%s_BW" % key
        out.append("<li>Peak L5/S1 %s: <strong>%s</strong> (%s × body weight) for the weakened "
                   "runner; %s (%s × body weight) for the healthy runner: %s.</li>"
                   % (what, fmt(weak.get(n), 0, "N"), fmt(weak.get(bw), 2),
                      fmt(healthy.get(n), 0, "N"), fmt(healthy.get(bw), 2),
                      compared(change_words(healthy.get("change_%s_N" % key),
                                            healthy.get("change_%s_pct" % key)),
                               "the weakened runner's")))
    html_out = ["<ul>%s</ul>" % "".join(out)]
    n = "peak_compression_N"
    if finite(weak.get(n)) and finite(healthy.get(n)) and weak[n] < healthy[n]:
        html_out.append(weakness_lowers_note(adapted))
    html_out.append(best_exercise(ex, rows))
    return "\n".join(html_out)


def best_exercise(ex, rows):
    """Which single exercise lowered peak compression most, and what the program did."""
    names = [r.get("run") for r in ex.get("rows") or []]
    after = names[names.index("weakened") + 1:] if "weakened" in names else []
    singles = [rows[n] for n in after if n != "after_program"
               and finite(rows[n].get("change_compression_N"))]
    weeks = "%s weeks at %s sessions a week" % (fmt(ex.get("training_weeks"), 0),
                                                 fmt(ex.get("sessions_per_week"), 1))
    out = []
    best = min(singles, key=lambda r: r["change_compression_N"]) if singles else None
    if best and best["change_compression_N"] < 0:
        out.append("<p>Of the single exercises, <strong>%s</strong> lowered the weakened runner's "
                   "peak compression most: by %s (%s), after %s. It strengthened: %s.</p>"
                   % (esc(run_title(best)), fmt(-best["change_compression_N"], 0, "N"),
                      percent(negate(best.get("change_compression_pct")), False), weeks,
                      esc(best.get("strengthened", "?"))))
    elif singles:
        out.append("<p><strong>None of the single exercises lowered the weakened runner's peak "
                   "L5/S1 compression</strong> (after %s).</p>" % weeks)
    prog = rows.get("after_program")
    if prog:
        out.append("<p>The <strong>whole program</strong> changed peak compression by %s (%s) "
                   "and peak front–back shear by %s (%s). It strengthened: %s.</p>"
                   % (signed(prog.get("change_compression_N"), 0, "N"),
                      percent(prog.get("change_compression_pct")),
                      signed(prog.get("change_ap_shear_N"), 0, "N"),
                      percent(prog.get("change_ap_shear_pct")),
                      esc(prog.get("strengthened", "?"))))
    changes = [abs(r.get("change_compression_pct")) for r in singles + ([prog] if prog else [])
               if finite(r.get("change_compression_pct"))]
    if changes and max(changes) < 1:
        out.append('<p class="note">All these changes are below 1 % of the load.</p>')
    return "\n".join(out)


def changes_runs(doc):
    runs = doc.get("runs") or []
    if not runs:
        return "<p>The file holds no run.</p>"
    ref = next((r for r in runs if r.get("name") == doc.get("reference_run")), runs[0])
    items = []
    for r in runs:
        m = r.get("metrics") or {}
        text = ("<strong>%s</strong>: peak L5/S1 compression %s (%s × body weight), peak anterior "
                "shear %s, peak lateral shear %s"
                % (esc(run_title(r)), fmt(m.get("L5_S1_peak_compression_N"), 0, "N"),
                   fmt(m.get("L5_S1_peak_compression_bw_BW"), 2),
                   fmt(m.get("L5_S1_peak_anterior_shear_N"), 0, "N"),
                   fmt(m.get("L5_S1_peak_lateral_shear_N"), 0, "N")))
        if r is not ref:
            a, b = m.get("L5_S1_peak_compression_N"), (ref.get("metrics") or {}).get(KEY_METRIC)
            diff = a - b if finite(a) and finite(b) else None
            text += "; peak compression %s than for %s" % (
                change_words(diff, 100 * diff / b if diff is not None and b else None),
                esc(run_title(ref)))
        items.append("<li>%s.</li>" % text)
    return "<ul>%s</ul>" % "".join(items)


def key_metric(names):
    if KEY_METRIC in names:
        return KEY_METRIC
    return next((n for n in names if n.startswith("L5_S1_peak")), None)


def sweep_first_order(sweep, metric):
    """{parameter: first-order index} of a metric from the JSON ({} if absent)."""
    for m in (sweep.get("sensitivity") or {}).get("metrics") or []:
        if m.get("name") == metric:
            return {p: v for p, v in (m.get("first_order") or {}).items() if finite(v)}
    return {}


def sweep_sensitivity(sweep, analysis, metric):
    """(r2, {parameter: src}) of a metric: from the JSON, else from the analysis file."""
    for m in (sweep.get("sensitivity") or {}).get("metrics") or []:
        if m.get("name") == metric:
            return m.get("r2"), m.get("src") or {}
    return analysis["sensitivity"].get(metric, (None, {}))


def changes_sweep(sweep, analysis):
    metrics = {m.get("name"): m for m in sweep.get("metrics") or []}
    metric = key_metric(list(metrics))
    if metric is None:
        return "<p>The sweep has no L5/S1 peak load.</p>"
    label, unit = metric_label(metric)
    m = metrics[metric]
    out = ["<p>Across the %s finished points, the <strong>%s</strong> ranged from %s to %s "
           "(mean %s).</p>" % (esc(sweep.get("points_ok", "?")), esc(label),
                               fmt(m.get("min"), 0, unit), fmt(m.get("max"), 0, unit),
                               fmt(m.get("mean"), 0, unit))]
    r2, src = sweep_sensitivity(sweep, analysis, metric)
    usable = {p: v for p, v in src.items() if finite(v)}
    if not usable:
        out.append("<p>Its sensitivity to the varied settings could not be computed from these "
                   "points.</p>")
        return "\n".join(out)
    top = max(usable, key=lambda p: abs(usable[p]))
    way = "raises" if usable[top] > 0 else "lowers"
    out.append("<p>It is most sensitive to <strong>%s</strong> (standardised regression "
               "coefficient %s, R² = %s): raising that setting %s it.</p>"
               % (esc(top), fmt(usable[top], 2), fmt(r2, 2), way))
    if way == "lowers" and top.startswith("weakness."):
        out.append(weakness_lowers_note())
    if not finite(r2) or r2 < R2_MIN:
        out.append("<p><strong>R² is below %.1f, so the linear sensitivity explains little of the "
                   "variation</strong>; the coefficients should be read with care.</p>" % R2_MIN)
    first = sweep_first_order(sweep, metric)
    if first:
        alone = max(first, key=lambda p: first[p])
        out.append("<p>Whatever the shape of the effect, <strong>%s</strong> alone explains %s of "
                   "the variation (first-order index %s); %s is left to the settings acting "
                   "together.</p>" % (esc(alone), percent(100 * first[alone], False),
                                      fmt(first[alone], 2),
                                      percent(100 * max(0.0, 1 - sum(first.values())), False)))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Tables


def table(header, rows, text_columns=1, text_last=False):
    """HTML table; cells are already escaped. The first text_columns (and with text_last the
    last column) are left-aligned text that wraps."""
    def cells(tag, values):
        def text(i):
            return i < text_columns or (text_last and i == len(values) - 1)
        return "".join('<%s%s>%s</%s>' % (tag, ' class="text"' if text(i) else "", v, tag)
                       for i, v in enumerate(values))
    body = "".join("<tr>%s</tr>" % cells("td", r) for r in rows)
    return ('<div class="table-wrap"><table><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
            "</div>" % (cells("th", header), body))


def table_exercises(ex):
    header = ["runner", "muscles strengthened", "peak compression", "change vs weakened",
              "peak AP shear", "change vs weakened", "peak lateral shear", "change vs weakened"]
    rows = []
    for r in ex.get("rows") or []:
        row = [esc(run_title(r)), esc(r.get("strengthened", ""))]
        for key in ("compression", "ap_shear", "lateral_shear"):
            row.append("%s<br>%s BW" % (fmt(r.get("peak_%s_N" % key), 0, "N"),
                                        fmt(r.get("peak_%s_BW" % key), 2)))
            row.append("%s<br>%s" % (signed(r.get("change_%s_N" % key), 0, "N"),
                                     percent(r.get("change_%s_pct" % key))))
        rows.append(row)
    return "<h3>Exercises</h3>" + table(header, rows, 2)


def table_runs(doc):
    """One column per runner, one row per key number (the first MAX_LISTED_RUNS runners)."""
    all_runs = doc.get("runs") or []
    runs = all_runs[:MAX_LISTED_RUNS]
    names = []
    for r in runs:
        names += [k for k in (r.get("metrics") or {}) if k not in names]
    header = [""] + [esc(run_title(r)) for r in runs]
    rows = [["status"] + [esc(r.get("status", "")) for r in runs],
            ["strides"] + [esc(r.get("strides", "")) for r in runs]]
    for n in names:
        label, unit = metric_label(n)
        rows.append([esc("%s (%s)" % (label, unit) if unit else label)] +
                    [fmt((r.get("metrics") or {}).get(n), digits_for(unit)) for r in runs])
    more = len(all_runs) - len(runs)
    note = ('<p class="note">The first %d of %d runners; summary.json next to this page has them '
            "all.</p>" % (len(runs), len(all_runs))) if more > 0 else ""
    return ("<h3>Every runner</h3>" if not more else "<h3>Runners</h3>") + table(header, rows, 1) + note


def table_sweep(sweep, analysis):
    """Range and sensitivity of the L5/S1 and L4/L5 metrics of a sweep."""
    params = [p.get("name") for p in sweep.get("parameters") or []]
    header = (["metric", "min", "mean", "max", "R²"] + ["SRC " + esc(p) for p in params] +
              ["S₁ " + esc(p) for p in params])
    rows = []
    for m in sweep.get("metrics") or []:
        name = m.get("name", "")
        if not name.startswith(("L5_S1_", "L4_L5_peak_compression")):
            continue
        label, unit = metric_label(name)
        d = digits_for(unit)
        r2, src = sweep_sensitivity(sweep, analysis, name)
        rows.append([esc("%s (%s)" % (label, unit) if unit else label), fmt(m.get("min"), d),
                     fmt(m.get("mean"), d), fmt(m.get("max"), d), fmt(r2, 2)] +
                    [fmt(src.get(p), 2) for p in params] +
                    [fmt(sweep_first_order(sweep, name).get(p), 2) for p in params])
    return ("<h3>Sweep</h3>" + table(header, rows, 1) +
            '<p class="note">SRC: standardised regression coefficient of each varied setting; '
            "R²: how well the straight-line fit explains the metric (read the SRC with care "
            "below %.1f); S₁: first-order index, the share of the metric's variation the "
            "setting explains on its own, whatever the shape of the effect (Plischke et al. "
            "2013).</p>" % R2_MIN)


LEVELS = ["L5_S1", "L4_L5", "L3_L4", "L2_L3", "L1_L2"]


def level_label(level):
    return level.replace("_", "/")


def context_runs(doc):
    """The runners whose loads the context table shows: the healthy, weakened and fully trained
    runner of an exercises study, else the first four."""
    runs = doc.get("runs") or []
    if doc.get("content") == "exercises":
        chosen = [r for n in ("healthy", "weakened", "after_program")
                  for r in runs if r.get("name") == n]
        if chosen:
            return chosen
    return runs[:4]


def short_citation(rng):
    """'Wilke et al. 1999' from 'Wilke HJ et al. (1999) Spine ...'."""
    text = str(rng.get("citation", ""))
    author = text.split(" ")[0] if text else ""
    year = next((w.strip("()") for w in text.split() if w.strip("()").isdigit() and len(w.strip("()")) == 4), "")
    return ("%s et al. %s" % (author, year)).strip() if author else ""


def range_text(rng):
    lo, hi, unit = rng.get("lo"), rng.get("hi"), rng.get("unit", "")
    if unit == "N":
        return "%s–%s kN" % (fmt(lo / 1000, 1), fmt(hi / 1000, 1))
    return "%s–%s %s" % (fmt(lo, 1), fmt(hi, 1), esc(unit))


def against(value, rng):
    """' (above)', ' (within)', ' (below)' the range, as words a reader can scan."""
    if not finite(value) or not rng:
        return ""
    if value > rng["hi"]:
        return ' <span class="above">above</span>'
    if value < rng["lo"]:
        return ' <span class="below">below</span>'
    return ' <span class="within">within</span>'


def section_loads(doc):
    """Every lumbar level and both hips, in N and BW, beside the in vivo measurements of
    running that exist (summary.json reference_ranges, from the validation suite)."""
    runs = [r for r in context_runs(doc) if (r.get("metrics") or {})]
    if not runs:
        return ""
    ranges = {r.get("metric"): r for r in doc.get("reference_ranges") or []}
    header = ["load (peak over the stride)"] + [esc(run_title(r)) for r in runs] + \
             ["measured in people (running)"]
    rows = []

    def cell(run, metric, rng=None, unit_of_range="N"):
        m = run.get("metrics") or {}
        v, bw = m.get(metric), run.get("body_weight_N")
        per_bw = v / bw if finite(v) and finite(bw) and bw else None
        if str(run.get("status", "")).startswith("failed") or not run.get("status"):
            return "–"
        mark = against(per_bw if unit_of_range == "BW" else v, rng)
        return "%s<br>%s BW%s" % (fmt(v, 0, "N"), fmt(per_bw, 2), mark)

    for key, what in (("compression", "compression"), ("anterior_shear", "forward shear")):
        for level in LEVELS:
            metric = "%s_peak_%s_N" % (level, key)
            if not any(metric in (r.get("metrics") or {}) for r in runs):
                continue
            rng = ranges.get(metric)
            ref = ("%s<br><small>%s</small>" % (range_text(rng), esc(short_citation(rng)))
                   if rng else "not measured")
            rows.append(["%s %s" % (level_label(level), what)] +
                        [cell(r, metric, rng) for r in runs] + [ref])
    hip = ranges.get("hip_contact_peak_BW")
    for side, word in (("r", "right"), ("l", "left")):
        metric = "hip_contact_peak_%s_N" % side
        ref = ("%s<br><small>%s</small>" % (range_text(hip), esc(short_citation(hip)))
               if hip else "not measured")
        rows.append(["%s hip joint contact" % word] + [cell(r, metric, hip, "BW") for r in runs]
                    + [ref])
    above = [r for r in rows if 'class="above"' in "".join(r)]
    out = ["<h2>The loads beside measurements in people</h2>",
           "<p>Every lumbar level from the lowest (L5/S1, between the last lumbar vertebra and "
           "the sacrum) to L1/L2, and both hip joints. The levels do not all change the same "
           "way: compare them before drawing a conclusion from L5/S1 alone.</p>",
           table(header, rows, 1, text_last=True)]
    note = ("In vivo ranges: disc pressure measured with a needle sensor in one volunteer "
            "jogging (Wilke et al. 1999), converted to force, and the force in an instrumented "
            "hip prosthesis while jogging (Bergmann et al. 1993). The project's validation suite "
            "(corestride validate, docs/validation.md) compares the model with them. No "
            "measurement of the shear forces in running exists.")
    if above:
        note += (" <strong>Where the model is above the measured range, its absolute loads "
                 "are overestimates</strong> (the validation suite records this as an open "
                 "problem); compare runners with each other rather than with a threshold.")
    out.append('<p class="note">%s</p>' % note)
    return "\n".join(out)


# A group that reaches this share of what it can give is at its limit (summary --json capacity).
AT_LIMIT_PCT = 98.0
DEFAULT_CAPACITY_GROUPS = ("glute_med", "deep_core")


def capacity_groups(runs):
    """Names of the capacity entries to show: the groups any of the runs weakened, else
    gluteus medius and deep core, in the file's order."""
    names = []
    for r in runs:
        for c in r.get("capacity") or []:
            if c.get("weakened") and c.get("name") not in names:
                names.append(c["name"])
    if not names:
        for r in runs:
            for c in r.get("capacity") or []:
                if c.get("group") in DEFAULT_CAPACITY_GROUPS and c.get("name") not in names:
                    names.append(c["name"])
    return names


def capacity_of(run, name):
    return next((c for c in run.get("capacity") or [] if c.get("name") == name), None)


def section_capacity(doc):
    """How much of what the weakened groups can give they use, for the runners of the loads
    table: where strengthening shows even when the loads barely move."""
    runs = [r for r in context_runs(doc) if r.get("capacity")]
    names = capacity_groups(runs)
    if not runs or not names:
        return ""
    plain = {}
    for r in runs:
        for c in r.get("capacity") or []:
            plain.setdefault(c.get("name"), c.get("plain_name") or c.get("name"))
    header = ["muscle group"] + [esc(run_title(r)) for r in runs]
    rows, at_limit = [], False
    for name in names:
        row = [esc(plain.get(name, name))]
        for r in runs:
            c = capacity_of(r, name)
            failed = str(r.get("status", "")).startswith("failed")
            if not c or failed:
                row.append("–")
                continue
            peak, stance = c.get("peak_pct"), c.get("stance_mean_pct")
            at_limit = at_limit or (finite(peak) and peak >= AT_LIMIT_PCT)
            row.append("%s at the peak<br>%s on average in stance" % (fmt(peak, 0, "%"), fmt(stance, 0, "%")))
        rows.append(row)
    out = ["<h2>How hard the muscles work</h2>",
           "<p>How much of what each muscle group can give it uses: 100 % would be every muscle "
           "of the group at its maximal activation. The lower the number, the more the group has "
           "in reserve.</p>",
           table(header, rows, 1)]
    weak = next((r for r in runs if r.get("name") == "weakened"), None)
    prog = next((r for r in runs if r.get("name") == "after_program"), None)
    if weak and prog:
        items = []
        for name in names:
            a, b = capacity_of(weak, name), capacity_of(prog, name)
            if not a or not b:
                continue
            items.append("<li>%s works at <strong>%s</strong> of its capacity on average in stance "
                         "(%s at the peak); after the program %s (%s at the peak).</li>"
                         % (esc(plain.get(name, name)).capitalize(), fmt(a.get("stance_mean_pct"), 0, "%"),
                            fmt(a.get("peak_pct"), 0, "%"), fmt(b.get("stance_mean_pct"), 0, "%"),
                            fmt(b.get("peak_pct"), 0, "%")))
        if items:
            out.append("<ul>%s</ul>" % "".join(items))
    note = ("Capacity use is the activation of each muscle over the most it can reach, averaged "
            "over the group with each muscle weighted by its strength. It does not simply follow "
            "strength: the simulation shares the work between muscles by least effort, so a "
            "weakened group hands part of its work to stronger neighbours (its use can even "
            "fall), and a strengthened group takes work back from them.")
    if at_limit:
        note += (" <strong>A group at %d %% or more reaches its limit:</strong> the simulated "
                 "runner needs more from it than it can give, and in the simulation helper "
                 "torques at the joint supply the rest. There a gain in strength first replaces "
                 "that missing force, so the group's use can stay nearly the same after "
                 "training.%s" % (AT_LIMIT_PCT, " In compensate mode the form has already "
                 "changed as far as its limits allow (see Running form)." if any(compensated(r) for r in runs)
                 else " A real runner would change the way they run instead (compensate mode "
                 "models that)."))
    out.append('<p class="note">%s</p>' % note)
    return "\n".join(out)


FORM_ROWS = [
    ("trunk leaning forward (mean)", "form_trunk_flexion_mean_deg", None),
    ("trunk leaning toward the standing leg (peak)", "form_trunk_lean_to_stance_peak", "pair"),
    ("pelvis dropping on the swinging side (peak)", "form_pelvic_drop_peak", "pair"),
    ("hip adduction of the standing leg (peak)", "form_hip_adduction_stance_peak", "pair"),
    ("hip extension at push-off (peak)", "form_hip_extension_peak", "pair"),
    ("pelvis tilted forward (mean)", "form_pelvic_tilt_anterior_mean_deg", None),
]

# Plain words for the form changes of compensate mode: (change key, words when it grows, words
# when it shrinks).
FORM_CHANGE_WORDS = [
    ("trunk_lean_to_stance_peak", "leans the trunk further toward the standing leg",
     "leans the trunk less toward the standing leg"),
    ("pelvic_drop_peak", "lets the pelvis drop further on the swinging side",
     "holds the pelvis more level (less drop on the swinging side)"),
    ("hip_adduction_stance_peak", "lets the standing knee move further toward the midline (hip adduction)",
     "keeps the standing knee further from the midline (less hip adduction)"),
    ("hip_extension_peak", "extends the hip further at push-off",
     "extends the hip less at push-off (a shorter stride behind the body)"),
]


def compensated(run):
    return bool(run.get("compensation")) or any(k.startswith("form_change_") for k in (run.get("form") or {}))


def form_change(form, key):
    """The mean over both sides of a paired form change, deg (None when absent)."""
    vals = [form.get("form_change_%s_%s_deg" % (key, side)) for side in ("r", "l")]
    vals = [v for v in vals if finite(v)]
    return sum(vals) / len(vals) if vals else None


def form_change_sentence(run):
    """One runner's form change in plain words, the changes of at least half a degree."""
    form = run.get("form") or {}
    parts = []
    for key, more, less in FORM_CHANGE_WORDS:
        r, l = form.get("form_change_%s_r_deg" % key), form.get("form_change_%s_l_deg" % key)
        if not (finite(r) and finite(l)):
            continue
        big = [v for v in (r, l) if abs(v) >= 0.5]
        if not big:
            continue
        side = ("on both sides" if abs(r) >= 0.5 and abs(l) >= 0.5
                else "in right stance" if abs(r) >= 0.5 else "in left stance")
        value = r if abs(r) >= abs(l) else l
        parts.append("%s (%s° %s)" % (more if value > 0 else less, fmt(abs(value), 1), side))
    tilt = form.get("form_change_pelvic_tilt_anterior_mean_deg")
    if finite(tilt) and abs(tilt) >= 0.5:
        parts.append("tilts the pelvis %s forward (%s°)" % ("more" if tilt > 0 else "less", fmt(abs(tilt), 1)))
    if not parts:
        return "runs like the recorded runner (every change under half a degree)"
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def form_cell(form, key, kind):
    if kind == "pair":
        r, l = form.get(key + "_r_deg"), form.get(key + "_l_deg")
        return "right %s°<br>left %s°" % (fmt(r, 1), fmt(l, 1))
    return "%s°" % fmt(form.get(key), 1)


def section_form(doc):
    """The clinical measures of running form (summary --json form, in degrees)."""
    runs = [r for r in context_runs(doc) if r.get("form")]
    if not runs:
        return ""
    # The same form within half a degree: tracking errors differ a little between runners.
    first = runs[0].get("form") or {}
    same = all(finite(v) and finite(first.get(k)) and abs(v - first[k]) < 0.5
               for r in runs for k, v in (r.get("form") or {}).items())
    shown = runs[:1] if same else runs
    header = ["measure"] + (["every runner here"] if same and len(runs) > 1 else [esc(run_title(r)) for r in shown])
    rows = [[esc(label)] + [form_cell(r.get("form") or {}, key, kind) for r in shown]
            for label, key, kind in FORM_ROWS
            if any(finite((r.get("form") or {}).get(key if kind is None else key + "_r_deg")) for r in shown)]
    out = ["<h2>Running form</h2>",
           "<p>The measures of form that physical therapists look at, in degrees: how far the trunk "
           "leans forward and toward the standing leg, how far the pelvis drops on the swinging "
           "side, how far the standing hip is adducted (knee toward the midline) and how far the "
           "pelvis is tilted forward.</p>",
           table(header, rows, 1)]
    if any(compensated(r) for r in runs):
        items = ["<li><strong>%s</strong> %s.</li>" % (esc(run_title(r)).capitalize(), esc(form_change_sentence(r)))
                 for r in runs if compensated(r)]
        out.insert(2, "<p>Here the runners' form <strong>adapts to their muscles</strong>: for each "
                   "runner the simulation first works out how the stride changes so that the "
                   "muscles can cope with the least extra effort, within limits on how far the "
                   "form may move from the recorded runner's (compensate mode), and then computes "
                   "the loads of that stride. Compared with the recorded runner, each runner:</p>"
                   "<ul>%s</ul>" % "".join(items))
        out.append('<p class="note">How far the form moves is calibrated against studies that '
                   "blocked the nerve of the hip abductors in healthy people (about half the "
                   "strength lost, and no clear change of pelvic drop, trunk lean or hip "
                   "adduction); much weaker abductors give the trunk lean over the standing leg "
                   "that clinicians know (the Duchenne sign). These are predictions of the model, "
                   "not measurements of this runner.</p>")
    elif same:
        out.append('<p class="note">Every runner in this file moves like the recorded runner '
                   "(within half a degree): the simulation prescribes the motion and lets only the "
                   "muscles change. To let the form adapt to the muscles, run in compensate mode "
                   "(control.mode = compensate).</p>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The long run (run.duration_min > 0): muscle fatigue over minutes of running

LONG_RUN_LIMITATION = (
    "Over a long run the muscles tire by a published fatigue model (Xia & Frey Law 2008) with "
    "parameters fitted to held contractions, slowed by one factor calibrated so that healthy "
    "runners lose about a tenth of their hip-abductor strength in half an hour (Riazati et al. "
    "2020). Tiredness only lowers how much of each muscle can still be used: the nervous "
    "system's own fatigue, fuel, temperature and pain are not modelled, the runner keeps the "
    "pace, and the spine's discs and ligaments do not tire.")


def long_runs(doc):
    """The runs with a long run, the healthy, weakened and whole-programme runners first."""
    runs = [r for r in doc.get("runs") or [] if r.get("long_run")]
    order = {"healthy": 0, "weakened": 1, "after_program": 2}
    return sorted(runs, key=lambda r: order.get(r.get("name"), 3))


def series(lr, key):
    v = lr.get(key) or []
    return v if v and finite(v[0]) and finite(v[-1]) else None


def long_run_sentence(run):
    lr = run["long_run"]
    bw = run.get("body_weight_N") or float("nan")
    minutes = lr.get("minutes") or []
    if not minutes:
        return "could not run: %s." % lr.get("status", "")
    end = minutes[-1]
    parts = []
    c, sh = series(lr, "l5s1_peak_compression_N"), series(lr, "l5s1_peak_ap_shear_N")
    if c:
        parts.append("peak L5/S1 compression %s BW at the start and %s BW at minute %s"
                     % (fmt(c[0] / bw, 2), fmt(c[-1] / bw, 2), fmt(end)))
    if sh:
        parts.append("forward shear %s → %s BW" % (fmt(sh[0] / bw, 2), fmt(sh[-1] / bw, 2)))
    lean = series(lr, "trunk_lean_deg")
    if lean:
        parts.append("trunk lean toward the standing leg %s° → %s°" % (fmt(lean[0], 1), fmt(lean[-1], 1)))
    left = ["%s %s%%" % (g["plain_name"], fmt(g["capacity_end_pct"])) for g in lr.get("groups") or []
            if finite(g.get("capacity_end_pct"))]
    if left:
        parts.append("strength left at the end: " + ", ".join(left))
    text = "; ".join(parts)
    outs = [g for g in lr.get("groups") or [] if finite(g.get("run_out_min"))]
    if outs:
        text += ". " + "; ".join("The %s could no longer keep up from minute %s" % (g["plain_name"], fmt(g["run_out_min"], 1))
                                 for g in outs)
    if not lr.get("completed"):
        text += ". The run stopped early: " + lr.get("status", "")
    return text + "."


def program_sentence(runs):
    by = {r.get("name"): r for r in runs}
    weak, prog = by.get("weakened"), by.get("after_program")
    if not weak or not prog:
        return ""
    w, p = weak["long_run"], prog["long_run"]
    if not (w.get("completed") and p.get("completed")):
        return ""
    out = []
    for key, words in (("l5s1_peak_ap_shear_N", "forward shear"), ("l5s1_peak_compression_N", "compression")):
        a, b = series(w, key), series(p, key)
        if a and b and a[-1] > 0:
            pct = 100 * (b[-1] - a[-1]) / a[-1]
            out.append("peak L5/S1 %s is %s%% %s" % (words, fmt(abs(pct), 1), "lower" if pct <= 0 else "higher"))
    if not out:
        return ""
    return ("<p>At minute %s, after the programme, %s than the weakened runner's.</p>"
            % (fmt((w.get("minutes") or [0])[-1]), " and ".join(out)))


def falling_note(runs):
    """Say why the compression falls over the run when it does, for the first runner listed."""
    c = series(runs[0]["long_run"], "l5s1_peak_compression_N")
    if not c or c[-1] >= c[0]:
        return ""
    return ('<p class="note">Why the compression falls as the muscles tire: in this model the tired '
            "lumbar back muscles hand part of their work to longer back muscles that reach the "
            "spine with longer lever arms, which press less on the disc for the same effort. "
            "Whether a tired runner's spine is really spared, or the load moves to discs and "
            "ligaments that the model does not tire, is not known.</p>")


def section_long_run(doc):
    runs = long_runs(doc)
    if not runs:
        return ""
    lr = runs[0]["long_run"]
    items = ["<li><strong>%s</strong>: %s</li>" % (esc(run_title(r)).capitalize(), esc(long_run_sentence(r)))
             for r in runs[:MAX_LISTED_RUNS]]
    out = ["<h2>The long run: what tiredness does</h2>",
           "<p>Each runner here ran for <strong>%s minutes</strong>. Muscles tire as they work: "
           "every %s minutes the simulation works out how much of each muscle's strength is left "
           "(a published fatigue model, calibrated so that healthy runners lose about a tenth of "
           "their hip-abductor strength in half an hour, as measured) and simulates the next "
           "stride with only that, so that other muscles, or the running form, take over what "
           "a tired muscle cannot give.</p>"
           % (fmt(lr.get("duration_min")), fmt(lr.get("duration_min", 0) / max(1, lr.get("epochs", 1)), 1)),
           "<ul>%s</ul>" % "".join(items),
           program_sentence(runs),
           falling_note(runs),
           '<p class="note">A stronger muscle does the same work at a smaller share of what it '
           "can give, so it tires less: this is how training changes the long run here. These "
           "are predictions of the model, not measurements of this runner; see What the model "
           "leaves out.</p>"]
    return "\n".join(x for x in out if x)


def section_numbers(doc, analysis):
    out = ["<h2>Key numbers</h2>"]
    if doc.get("exercises"):
        out.append(table_exercises(doc["exercises"]))
    if doc.get("runs"):
        out.append(table_runs(doc))
    if doc.get("sweep"):
        out.append(table_sweep(doc["sweep"], analysis))
    note = "N: newton. BW: multiples of body weight."
    if doc.get("runs"):
        note += (" Model checks: residual forces and tracking errors show how closely the "
                 "simulation follows the recorded motion; small values are better. The reserve "
                 "share is how much of a joint's moment an ideal motor had to add where the muscles "
                 "fell short; OpenSim's guidance is under 10 %.")
    out.append('<p class="note">%s</p>' % note)
    return "\n".join(out)


def section_figures(folder):
    out = ["<h2>Figures</h2>"]
    for name, caption in FIGURES + [GIF]:
        uri = figure_data_uri(folder, name)
        if uri:
            out.append('<figure><img src="%s" alt="%s"><figcaption>%s</figcaption></figure>'
                       % (uri, esc(caption.split(".")[0]), esc(caption)))
    if len(out) == 1:
        out.append("<p>No figures were found.</p>")
    return "\n".join(out)


# The first limitation in compensate mode.
COMPENSATED_LIMITATION = (
    "The running form adapts to the muscles by an optimisation that trades extra muscle effort "
    "against moving away from a recorded runner's stride (Hamner & Delp 2013); how far it may "
    "move was calibrated against nerve-block studies of walking and standing, not running. The "
    "stance foot keeps the recorded path, there is no fatigue, and the runner's speed and "
    "stride time do not change.")


def section_limitations(doc=None):
    items = list(LIMITATIONS)
    if doc and any(compensated(r) for r in doc.get("runs") or []):
        items[0] = COMPENSATED_LIMITATION
    if doc and long_runs(doc):
        items[0] = items[0].replace(" there is no fatigue,", "")
        items.insert(1, LONG_RUN_LIMITATION)
    return "<h2>What the model leaves out</h2>\n" + bullets(items)


def page(doc, analysis, figures):
    version = doc.get("software_version") or analysis.get("software_version") or "unknown"
    results = os.path.basename(str(doc.get("file", ""))) or "unknown"
    kinds = {"exercises": "weakness and exercises", "sweep": "parameter sweep",
             "runs": "simulated runs"}
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>CoreStride report: %s</title>" % esc(results),
        "<style>%s</style>\n</head>\n<body>\n<main>" % CSS,
        "<h1>Low-back load while running</h1>",
        '<p class="subtitle">CoreStride simulation report: %s</p>'
        % esc(kinds.get(doc.get("content"), doc.get("content", ""))),
        section_scenario(doc),
        section_changes(doc, analysis),
        section_loads(doc),
        section_capacity(doc),
        section_form(doc),
        section_long_run(doc),
        section_numbers(doc, analysis),
        section_figures(figures),
        section_limitations(doc),
        "<footer>Results file: %s · CoreStride %s</footer>" % (esc(results), esc(version)),
        "</main>\n</body>\n</html>\n",
    ]
    return "\n".join(parts)


def write_atomic(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".report.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("--summary", required=True, help="corestride summary --json output")
    p.add_argument("--analysis", required=True, help="corestride analyze output")
    p.add_argument("--figures", required=True, help="folder with the PNGs of plot.py")
    p.add_argument("-o", "--output", required=True, help="HTML file to write")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        doc = load_summary(args.summary)
        analysis = load_analysis(args.analysis)
        if analysis["content"] and doc.get("content") and analysis["content"] != doc["content"]:
            raise InputError("%s and %s describe different files (content '%s' vs '%s')"
                             % (args.summary, args.analysis, doc["content"], analysis["content"]))
        text = page(doc, analysis, args.figures)
    except (InputError, schema.FormatError) as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 2
    except (KeyError, TypeError, ValueError) as e:
        # A summary or analysis file without what corestride writes: bad input, not a crash.
        print("%s: %s or %s lacks or mangles %s: %s" % (PROG, args.summary, args.analysis,
                                                        type(e).__name__, e), file=sys.stderr)
        return 2
    write_atomic(args.output, text)
    print("wrote " + os.path.basename(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
