#!/usr/bin/python3
"""Contract of analysis/whatif_robustness.py (docs/whatif_robustness.md).

    whatif_robustness_test.py CORESTRIDE ANALYSIS_DIR WORKDIR

On a reduced set (two variants, one what-if): every row of the TSV is the difference of the
two runs it names, recomputed here from `corestride run` and `corestride summary --json`
called directly with the same keys; the markdown table shows those rows; the same for a
what-if of one's own on a scenario file of one's own (--scenario, --whatif); bad arguments
(an unknown variant, an existing output without --overwrite, a missing program) exit 2 with
a message naming the offending value and write nothing. Exit 0 on success, 1 on a failure.
"""
import csv
import json
import os
import shutil
import subprocess
import sys

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def summary(exe, path):
    run = json.loads(subprocess.run([exe, "summary", path, "--json"], capture_output=True, text=True,
                                    check=True).stdout)["runs"][0]
    m = run["metrics"]
    m["hip_contact_peak_BW"] = max(m["hip_contact_peak_r_N"], m["hip_contact_peak_l_N"]) / run["body_weight_N"]
    return m


def main():
    exe, analysis, work = sys.argv[1:4]
    tool = os.path.join(analysis, "whatif_robustness.py")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    out, md = os.path.join(work, "out"), os.path.join(work, "table.md")
    cmd = [sys.executable, tool, exe, "-o", out, "--markdown", md, "--variants", "default,cheap_reserves",
           "--whatifs", "deep_core_40", "--jobs", "2"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    check(p.returncode == 0, "reduced analysis exits 0 (got %d: %s)" % (p.returncode, p.stderr[-500:]))
    if p.returncode != 0:
        return 1
    with open(os.path.join(out, "whatif_robustness.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    check(len(rows) == 2 * 5, "10 rows: 2 variants x 1 what-if x 5 loads (got %d)" % len(rows))
    check({r["variant"] for r in rows} == {"default", "cheap_reserves"}, "rows name the two variants")
    check({r["whatif"] for r in rows} == {"deep_core_40"} and {r["reference"] for r in rows} == {"healthy"},
          "rows name the what-if and its reference")

    # The same runs, called directly.
    keys = {"default": [], "cheap_reserves": ["--control.reserve_optimal=10"]}
    for v, extra in keys.items():
        ref_h5, w_h5 = os.path.join(work, v + "_ref.h5"), os.path.join(work, v + "_w.h5")
        subprocess.run([exe, "run", "--run.name=healthy"] + extra + ["-o", ref_h5, "--quiet"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([exe, "run", "--run.name=deep_core_40"] + extra + ["--weakness.deep_core=0.4", "-o", w_h5,
                                                                          "--quiet"], check=True, stdout=subprocess.DEVNULL)
        m_ref, m_w = summary(exe, ref_h5), summary(exe, w_h5)
        for r in (x for x in rows if x["variant"] == v):
            k = r["metric"]
            want = m_w[k] - m_ref[k]
            got = float(r["change"])
            check(abs(got - want) <= 1e-8 * max(1.0, abs(m_ref[k])),
                  "%s %s: change %.10g equals the direct runs' %.10g" % (v, k, got, want))
            check(abs(float(r["reference_value"]) - m_ref[k]) <= 1e-8 * max(1.0, abs(m_ref[k])),
                  "%s %s: reference value is the healthy run's" % (v, k))
            check(abs(float(r["change_pct"]) - 100 * want / m_ref[k]) <= 1e-6,
                  "%s %s: change in %% of the reference" % (v, k))
            check(abs(float(r["reserve_pct"]) - m_w["reserve_share_worst_pct"]) <= 1e-6,
                  "%s %s: reserve share is the what-if run's" % (v, k))
    text = open(md).read()
    l45 = next(r for r in rows if r["variant"] == "cheap_reserves" and r["metric"] == "L4_L5_peak_compression_N")
    check("| `cheap_reserves` | %+.1f %%" % float(l45["change_pct"]) in text,
          "markdown shows the cheap_reserves L4/L5 change")
    check("## deep_core_40" in text and "## The healthy runner's loads" in text, "markdown has both sections")

    # Your own runner and what-if: a scenario file under every run, a what-if given as keys
    # (a list value kept whole), against the same runs called directly.
    cfg = os.path.join(work, "runner.cfg")
    with open(cfg, "w") as f:
        f.write("[running]\nspeed = 3.2\n[subject]\nmass = 62\n")
    own = os.path.join(work, "own")
    p = subprocess.run([sys.executable, tool, exe, "-o", own, "--variants", "default", "--scenario", cfg, "--whatif",
                        "prog:weakness.glute_med=0.4,training.apply=yes,training.program=side_plank,bird_dog"],
                       capture_output=True, text=True)
    check(p.returncode == 0, "own what-if exits 0 (got %d: %s)" % (p.returncode, p.stderr[-500:]))
    with open(os.path.join(own, "whatif_robustness.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    check({r["whatif"] for r in rows} == {"prog"} and len(rows) == 5, "only the own what-if runs (5 rows)")
    ref_h5, w_h5 = os.path.join(work, "own_ref.h5"), os.path.join(work, "own_w.h5")
    subprocess.run([exe, "run", cfg, "-o", ref_h5, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([exe, "run", cfg, "--weakness.glute_med=0.4", "--training.apply=yes",
                    "--training.program=side_plank,bird_dog", "-o", w_h5, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    m_ref, m_w = summary(exe, ref_h5), summary(exe, w_h5)
    for r in rows:
        k = r["metric"]
        check(abs(float(r["change"]) - (m_w[k] - m_ref[k])) <= 1e-8 * max(1.0, abs(m_ref[k])),
              "own what-if %s: change equals the direct runs'" % k)
    p = subprocess.run([sys.executable, tool, exe, "-o", os.path.join(work, "bad2"), "--whatif", "x:weakness.deep_core"],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "not KEY=VALUE" in p.stderr, "a what-if without a value: exit 2 (got %d: %s)"
          % (p.returncode, p.stderr.strip()))

    # Several speeds: one part per speed, each the difference of the runs at that speed.
    sp_out = os.path.join(work, "speeds")
    p = subprocess.run([sys.executable, tool, exe, "-o", sp_out, "--variants", "default", "--whatifs", "deep_core_40",
                        "--speeds", "3.0,4.0", "--markdown", os.path.join(work, "speeds.md")], capture_output=True, text=True)
    check(p.returncode == 0, "two speeds exit 0 (got %d: %s)" % (p.returncode, p.stderr[-300:]))
    with open(os.path.join(sp_out, "whatif_robustness.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    check(sorted({r["speed"] for r in rows}) == ["3.0", "4.0"] and len(rows) == 10, "rows for 3.0 and 4.0 m/s")
    ref_h5, w_h5 = os.path.join(work, "sp_ref.h5"), os.path.join(work, "sp_w.h5")
    subprocess.run([exe, "run", "--running.speed=4.0", "-o", ref_h5, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([exe, "run", "--running.speed=4.0", "--weakness.deep_core=0.4", "-o", w_h5, "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)
    m_ref, m_w = summary(exe, ref_h5), summary(exe, w_h5)
    r = next(x for x in rows if x["speed"] == "4.0" and x["metric"] == "L4_L5_peak_compression_N")
    want = m_w["L4_L5_peak_compression_N"] - m_ref["L4_L5_peak_compression_N"]
    check(abs(float(r["change"]) - want) <= 1e-8 * m_ref["L4_L5_peak_compression_N"],
          "4.0 m/s: L4/L5 change equals the direct runs' (%.3f N)" % want)
    text = open(os.path.join(work, "speeds.md")).read()
    check("## 3.0 m/s" in text and "## 4.0 m/s" in text, "markdown has a part per speed")
    p = subprocess.run([sys.executable, tool, exe, "-o", os.path.join(work, "bad3"), "--speeds", "3.0,5"],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "'5'" in p.stderr, "a speed outside 3.0-4.0: exit 2 naming it")

    # A what-if whose simulation fails: exit 3, its rows carry the run's status, the others run.
    p = subprocess.run([sys.executable, tool, exe, "-o", os.path.join(work, "fails"), "--variants", "compensate",
                        "--whatif", "x:compensation.max_iterations=1"], capture_output=True, text=True)
    check(p.returncode == 3, "a failed what-if run: exit 3 (got %d)" % p.returncode)
    with open(os.path.join(work, "fails", "whatif_robustness.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    check(rows and all("compensation failed" in r["status"] and r["status_reference"] == "ok" for r in rows),
          "its rows say why, the reference ran (%s)" % (rows[0]["status"] if rows else "no rows"))

    # Bad arguments: exit 2, the offending value named, nothing written.
    p = subprocess.run(cmd, capture_output=True, text=True)
    check(p.returncode == 2 and "exists" in p.stderr and "--overwrite" in p.stderr,
          "existing output without --overwrite: exit 2 naming the file (got %d: %s)" % (p.returncode, p.stderr.strip()))
    bad = os.path.join(work, "bad")
    p = subprocess.run([sys.executable, tool, exe, "-o", bad, "--variants", "default,nosuch"], capture_output=True,
                       text=True)
    check(p.returncode == 2 and "'nosuch'" in p.stderr, "unknown variant: exit 2 naming it (got %d: %s)"
          % (p.returncode, p.stderr.strip()))
    check(not os.path.exists(bad), "unknown variant: nothing written")
    p = subprocess.run([sys.executable, tool, os.path.join(work, "no_program"), "-o", bad], capture_output=True,
                       text=True)
    check(p.returncode == 2 and "no_program" in p.stderr, "missing program: exit 2 naming it")
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
