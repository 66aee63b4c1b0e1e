"""Figures and the report, end to end, from the small results files of make_results.sh.

Runs `corestride plot`, `report`, `summary --json` and `export` on them and checks the
contract: every figure type is written as PNG and SVG and is not blank, the report page is
self-contained and escapes text from scenario and exercise files, its numbers are those of
the summary, and files that are not CoreStride's (or of an unknown version) are refused with
exit 2 and a message naming the file, without leaving an output behind.

usage: /usr/bin/python3 report_test.py CORESTRIDE DATA_DIR WORK_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(args, expect=0):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != expect:
        print(p.stdout)
        print(p.stderr)
    check(p.returncode == expect, f"exit {expect}: {' '.join(os.path.basename(a) for a in args[:3])} ...")
    return p


def check_png(path):
    if not os.path.isfile(path):
        check(False, f"{os.path.basename(path)} exists")
        return
    img = mpimg.imread(path)
    rgb = img[..., :3].reshape(-1, 3)
    background = np.median(rgb, axis=0)
    drawn = np.mean(np.any(np.abs(rgb - background) > 0.05, axis=1))
    check(img.shape[0] > 200 and img.shape[1] > 200 and drawn > 0.01,
          f"{os.path.basename(path)}: {img.shape[1]}x{img.shape[0]} px, {100 * drawn:.1f}% drawn")


def check_svg(path):
    if not os.path.isfile(path):
        check(False, f"{os.path.basename(path)} exists")
        return
    root = ET.parse(path).getroot()
    check(root.tag.endswith("svg") and len(list(root.iter())) > 50, f"{os.path.basename(path)} is an SVG drawing")


def svg_texts(path):
    """The texts of a figure's SVG, one per line of text: matplotlib draws text as paths and
    writes each line as a comment before it."""
    with open(path, encoding="utf-8") as f:
        return [" ".join(t.split()) for t in re.findall(r"<!-- (.*?) -->", f.read(), re.S)]


def check_figure_text(directory, name, texts):
    """What a teacher reads on a figure: readable names, no scenario keys or code names, and the
    content each figure promises (exercises: both runners, every load annotated)."""
    exercises = os.path.isfile(os.path.join(directory, "fig3_exercise_bars.svg"))
    code = [t for t in texts if re.search(r"\b[a-z]+_[a-z0-9_]+\b|weakness\.|tightness\.", t)]
    check(not code, f"{name}: no scenario keys or code names in the text {code[:3]}")
    if name == "fig1_l5s1_cycle" and exercises:
        check("healthy runner" in texts and "weakened runner" in texts,
              f"{name}: healthy and weakened runner drawn as curves")
        titles = ["Bird dog", "Side plank", "whole program"]
        check(all(texts.count(t) == 1 for t in titles), f"{name}: one difference panel per trained run")
    if name == "fig2_sweep_heatmap":
        check("Gluteus medius weakness, right (% strength lost)" in texts and
              "Deep core weakness (% strength lost)" in texts, f"{name}: readable axis labels in %")
    if name == "fig3_exercise_bars":
        newton = [t for t in texts if re.fullmatch(r"[+\u2212]?\d+\.\d N", t)]
        percent = [t for t in texts if re.fullmatch(r"[+\u2212]?\d+\.\d %", t)]
        unchanged = texts.count("no change")
        check(len(newton) == len(percent) and len(newton) + unchanged == 3 * 8,
              f"{name}: every bar of all three loads annotated in N and % "
              f"({len(newton)} N, {len(percent)} %, {unchanged} unchanged)")
        check(any("weakened runner before training" in t for t in texts), f"{name}: one stated baseline")
    if name == "fig4_muscle_groups":
        check("gluteus medius" in texts and not ("hip abductors" in texts or "deep core" in texts),
              f"{name}: readable, disjoint muscle groups")
        check(any("add up" in t for t in texts), f"{name}: says that the bars add up")
    if name == "fig5_stick_figure":
        check("right leg" in texts and "left leg" in texts, f"{name}: legend says which leg is which")
        if exercises:
            check("healthy runner (grey)" in texts and
                  "L5/S1 force on the sacrum, weakened runner" in texts, f"{name}: both runners drawn")


def check_figures(directory, names):
    for name in names:
        check_png(os.path.join(directory, name + ".png"))
        check_svg(os.path.join(directory, name + ".svg"))
        if os.path.isfile(os.path.join(directory, name + ".svg")):
            check_figure_text(directory, name, svg_texts(os.path.join(directory, name + ".svg")))


def main():
    corestride, data, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    ex, sweep, base = (os.path.join(data, n) for n in ("exercises.h5", "sweep.h5", "baseline.h5"))

    # Figures of an exercises study: every figure but the sweep heat map.
    figs = os.path.join(work, "fig_ex")
    run([corestride, "plot", ex, "-o", figs])
    check_figures(figs, ["fig1_l5s1_cycle", "fig3_exercise_bars", "fig4_muscle_groups", "fig5_stick_figure"])
    check(os.path.isfile(os.path.join(figs, "fig5_stride.gif")) or
          os.path.isdir(os.path.join(figs, "frames")), "stride animation written")
    check(not any(n.startswith("fig2") for n in os.listdir(figs)), "no sweep heat map for an exercises file")
    with h5py.File(os.path.join(figs, "analysis.h5"), "r") as f:
        check(f.attrs["format"] == "corestride-analysis", "analysis.h5 kept next to the figures")
        check(int(f["runs/weakened"].attrs["strides_used"]) == 2, "two strides averaged")

    # Cross-check of two computations: the gait-cycle curves (resampled from the samples at 101
    # points, analyze) against the per-stride metrics the simulation computed from the samples
    # themselves. The peak of the mean curve cannot exceed the mean of the stride peaks and,
    # at 2 to 3 samples per cycle percent, lies within 3 % of it; the cycle mean of the curve
    # matches the mean compression within 1 %.
    with h5py.File(ex, "r") as res, h5py.File(os.path.join(figs, "analysis.h5"), "r") as an:
        for name in ("healthy", "weakened", "after_program"):
            sm = res[f"runs/{name}/lumbar/L5_S1/stride_metrics"]
            cols = [c.decode() if isinstance(c, bytes) else c for c in sm.attrs["columns"]]
            peak = sm[:, cols.index("peak_compression")].mean()
            mean_comp = sm[:, cols.index("mean_compression")].mean()
            curve = an[f"runs/{name}/lumbar/L5_S1/force_mean"][:, 0]
            check(0.97 * peak <= curve.max() <= peak * (1 + 1e-9),
                  f"{name}: peak of the cycle curve {curve.max():.0f} N vs stride peaks {peak:.0f} N")
            check(abs(curve[:-1].mean() - mean_comp) <= 0.01 * mean_comp,
                  f"{name}: cycle mean {curve[:-1].mean():.0f} N vs mean compression {mean_comp:.0f} N")

    # An existing output is refused and left as it was.
    before = sorted(os.listdir(figs))
    p = run([corestride, "plot", ex, "-o", figs], expect=2)
    check("exists" in p.stderr and sorted(os.listdir(figs)) == before, "existing figures kept without --overwrite")

    # A sweep with time series: heat map and sensitivities; one run: cycle curves and stick figure.
    figs_sweep = os.path.join(work, "fig_sweep")
    run([corestride, "plot", sweep, "-o", figs_sweep, "--metric", "L5_S1_peak_anterior_shear_N"])
    check_figures(figs_sweep, ["fig2_sweep_heatmap", "fig1_l5s1_cycle"])
    figs_base = os.path.join(work, "fig_base")
    run([corestride, "plot", base, "-o", figs_base])
    check_figures(figs_base, ["fig1_l5s1_cycle", "fig5_stick_figure"])
    # A single run's report has no comparison section (nothing to compare) but all its loads.
    single = os.path.join(work, "report_single")
    run([corestride, "report", base, "-o", single])
    single_page = open(os.path.join(single, "index.html"), encoding="utf-8").read()
    check("What changed" not in single_page and "L1/L2 compression" in single_page,
          "single-run report: no empty comparison, every level's load")

    # The summary as JSON, and the report built from it.
    summary = json.loads(run([corestride, "summary", ex, "--json"]).stdout)
    check(summary["content"] == "exercises" and len(summary["runs"]) == 10 and
          len(summary["exercises"]["rows"]) == 10, "summary --json: 10 runs, 10 exercise rows")
    report = os.path.join(work, "report")
    out = run([corestride, "report", ex, "-o", report]).stdout
    page_path = os.path.join(report, "index.html")
    check(page_path in out, "report prints where the page is")
    page = open(page_path, encoding="utf-8").read()
    check(not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", page, re.I), "no network resources")
    check("<script" not in page.lower(), "no scripts")
    imgs = re.findall(r"<img[^>]*src=\"([^\"]*)\"", page)
    check(len(imgs) >= 4 and all(s.startswith("data:image/") for s in imgs), f"{len(imgs)} images, all embedded")
    weak = next(r for r in summary["runs"] if r["name"] == "weakened")
    peak = weak["metrics"]["L5_S1_peak_compression_N"]
    check(f"<strong>{peak:,.0f} N</strong>" in page, f"weakened peak compression {peak:,.0f} N is in the text")
    check("leaves out" in page, "the page states what the model leaves out")
    # Every lumbar level and both hips beside the in vivo ranges of the validation suite, with a
    # plain "above"/"within"/"below" against the range where one exists.
    loads = page[page.index("The loads beside measurements in people"):page.index("Key numbers")]
    for level in ("L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2"):
        check(f"{level} compression" in loads and f"{level} forward shear" in loads, f"{level} in the loads table")
    rng = next(r for r in summary["reference_ranges"] if r["metric"] == "L4_L5_peak_compression_N")
    l4 = weak["metrics"]["L4_L5_peak_compression_N"]
    word = "above" if l4 > rng["hi"] else "below" if l4 < rng["lo"] else "within"
    check(f'class="{word}"' in loads and "Wilke et al. 1999" in loads and "Bergmann et al. 1993" in loads,
          f"L4/L5 {l4:.0f} N marked '{word}' the jogging range with its source")
    hip_bw = weak["metrics"]["hip_contact_peak_r_N"] / weak["body_weight_N"]
    check(f"{hip_bw:.2f} BW" in loads, "hip contact in body weights")
    # Capacity use of the groups the scenario weakened (gluteus medius and deep core, both
    # sides), the weakened runner's numbers as summary --json gives them.
    cap = page[page.index("How hard the muscles work"):page.index("Key numbers")]
    weakened = [c for c in weak["capacity"] if c["weakened"]]
    check(sorted(c["name"] for c in weakened) == ["deep_core_l", "deep_core_r", "glute_med_l", "glute_med_r"],
          "the weakened groups are gluteus medius and deep core on both sides")
    for c in weakened:
        check(c["plain_name"] in cap and f"{c['stance_mean_pct']:.0f} % on average in stance" in cap,
              f"{c['plain_name']}: {c['stance_mean_pct']:.0f} % in stance in the capacity table")
    # Running form: the weakened runner's trunk flexion as summary --json gives it, and the note
    # that the motion is prescribed (every runner of an exercises study moves alike).
    form = page[page.index("Running form"):page.index("Key numbers")]
    flexion = weak["form"]["form_trunk_flexion_mean_deg"]
    check(f"{flexion:.1f}°" in form and "prescribes the motion" in form,
          f"running form: trunk flexion {flexion:.1f}° and the prescribed-motion note")
    # One baseline: the healthy runner's change in the text is the table's change vs weakened.
    healthy_row = next(r for r in summary["exercises"]["rows"] if r["run"] == "healthy")
    check(f"({abs(healthy_row['change_compression_pct']):.1f} %)" in page.split("What changed")[1].split("</ul>")[0],
          "the text's percentage uses the table's baseline (the weakened runner)")

    # Text from scenario and exercise files is escaped.
    evil = json.load(open(os.path.join(report, "summary.json")))
    evil["runs"][1]["title"] = "<script>alert('title')</script>"
    evil["runs"][1]["description"].append("<img src=x onerror=alert(1)>")
    evil["exercises"]["rows"][2]["title"] = "<b>bold</b>"
    evil["exercises"]["rows"][2]["strengthened"] = "a & b <i>"
    evil_json = os.path.join(work, "evil.json")
    json.dump(evil, open(evil_json, "w"))
    evil_html = os.path.join(work, "evil.html")
    run(["/usr/bin/python3", os.path.join(HERE, "..", "..", "analysis", "report.py"), "--summary", evil_json,
         "--analysis", os.path.join(report, "analysis.h5"), "--figures", os.path.join(report, "figures"),
         "-o", evil_html])
    evil_page = open(evil_html, encoding="utf-8").read()
    check("<script>alert" not in evil_page and "&lt;script&gt;" in evil_page, "a <script> title is escaped")
    check("onerror=alert" not in evil_page.replace("&lt;img src=x onerror=alert(1)&gt;", ""),
          "an <img> in a description is escaped")
    check("<b>bold</b>" not in evil_page, "markup in an exercise title is escaped")

    # Files that are not CoreStride results, or of an unknown version.
    other = os.path.join(work, "other.h5")
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "something-else"
    future = os.path.join(work, "future.h5")
    shutil.copy(base, future)
    with h5py.File(future, "a") as f:
        f.attrs["format_version"] = np.int64(99)
    text = os.path.join(work, "text.h5")
    open(text, "w").write("not hdf5\n")
    for path, words in ((other, "not a CoreStride results file"), (future, "format_version 99"), (text, "text.h5")):
        for cmd in ("report", "plot", "summary", "export"):
            args = [corestride, cmd, path] + ([] if cmd == "summary" else ["-o", os.path.join(work, "bad_out")])
            p = run(args, expect=2)
            check(words in p.stderr and os.path.basename(path) in p.stderr, f"{cmd} {os.path.basename(path)}: '{words}'")
            check(not os.path.exists(os.path.join(work, "bad_out")), f"{cmd} {os.path.basename(path)}: no output left")
    p = run(["/usr/bin/python3", os.path.join(HERE, "..", "..", "analysis", "plot.py"), "--results", other,
             "--analysis", os.path.join(figs, "analysis.h5"), "-o", work], expect=2)
    check("other.h5" in p.stderr, "plot.py itself refuses a foreign results file")

    # Options that would be ignored, and outputs that would destroy the user's files.
    p = run([corestride, "plot", ex, "-o", os.path.join(work, "m1"), "--metric", "L5_S1_mean_compression_N"], expect=2)
    check("not a sweep" in p.stderr and not os.path.exists(os.path.join(work, "m1")), "--metric on a non-sweep refused")
    p = run([corestride, "plot", sweep, "-o", os.path.join(work, "m2"), "--metric", "nosuch"], expect=2)
    check("'nosuch'" in p.stderr and not os.path.exists(os.path.join(work, "m2")), "unknown --metric refused")
    p = run([corestride, "plot", ex, "-o", os.path.join(work, "m3"), "--run", "nosuch"], expect=2)
    check("'nosuch'" in p.stderr, "unknown --run refused")
    mine = os.path.join(work, "mine")
    os.makedirs(mine)
    shutil.copy(base, os.path.join(mine, "base.h5"))
    open(os.path.join(mine, "notes.txt"), "w").write("keep me\n")
    p = run([corestride, "export", os.path.join(mine, "base.h5"), "-o", mine, "--overwrite"], expect=2)
    check("not written by corestride" in p.stderr and sorted(os.listdir(mine)) == ["base.h5", "notes.txt"],
          "--overwrite never replaces the user's own directory")
    p = run([corestride, "export", os.path.join(figs, "..", "fig_ex", "analysis.h5"), "-o", figs, "--overwrite"],
            expect=2)
    check(os.path.isfile(os.path.join(figs, "analysis.h5")), "--overwrite never replaces a directory holding the input")
    p = run([corestride, "analyze", base, "-o", base, "--overwrite"], expect=2)
    check("is the input" in p.stderr, "analyze refuses to overwrite its input")

    # OpenSim export of every run.
    export = os.path.join(work, "opensim")
    run([corestride, "export", ex, "-o", export])
    check(len([n for n in os.listdir(export) if n.endswith((".mot", ".sto"))]) == 50, "5 OpenSim files for each of 10 runs")

    one = os.path.join(work, "opensim_one")
    run([corestride, "export", ex, "-o", one, "--run", "after_side_plank"])
    check(sorted(n for n in os.listdir(one) if not n.startswith(".")) == sorted("after_side_plank" + s for s in (
        "_coordinates.mot", "_activations.sto", "_forces.sto", "_lumbar_loads.sto", "_grf.mot")),
        "export --run writes the five files of that run only")
    p = run([corestride, "export", ex, "-o", os.path.join(work, "none"), "--run", "nosuch"], expect=2)
    check("'nosuch'" in p.stderr and not os.path.exists(os.path.join(work, "none")), "export --run nosuch refused")

    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
