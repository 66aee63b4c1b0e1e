#!/usr/bin/python3
"""Do CoreStride's what-if answers survive the model's known uncertainties?

    whatif_robustness.py CORESTRIDE -o DIR [--markdown FILE] [--overwrite]
                         [--variants a,b,...] [--whatifs a,b,...] [--jobs N]
                         [--scenario FILE.cfg] [--whatif NAME:KEY=VALUE[,KEY=VALUE...]]...
                         [--speeds V,V,...]

A what-if answer is the difference between two load estimates (docs/lumbar_audit.md). The
absolute loads lie above the in vivo bands (docs/validation.md), and the audit names the
choices that move them: the torso mass centre of residual reduction, the effort criterion,
the price of the reserves, the tracking gains, the Achilles tendon, how weakness acts,
whether the form adapts, and the estimator itself (CMC or a static optimisation). This tool runs every what-if of WHATIFS against its reference
scenario under every modelling variant of VARIANTS (built-in stride, 3.5 m/s, 75 kg,
1.75 m), and tabulates each load's change under each variant: if a change keeps its sign and
size across the variants, the answer does not hang on those choices; where it does not, the
answer is only as good as the choice.

Your own runner and question: --scenario starts every run from a scenario file (its runner,
speed or motion; "healthy" is then that scenario as written), and --whatif adds a what-if of
your own against it, e.g. --whatif hamstrings:weakness.group.hamstrings=0.3 (repeatable; with
--whatif, only the what-ifs named by --whatifs run besides yours, none by default). Keys are
`corestride run` keys; the variant's and the what-if's keys win over the file's. --speeds
repeats the whole design at each running speed of the built-in stride (m/s); the tables then
have one part per speed.

Writes DIR/whatif_robustness.tsv (one row per variant, what-if and metric: the reference's
value, the what-if's value, the difference and the difference in % of the reference),
DIR/runs/*.h5 (every simulated stride) and, with --markdown, the table as markdown
(docs/whatif_robustness.md is generated this way by scripts/whatif-robustness). Existing
outputs are not replaced without --overwrite; files are written whole (temporary file,
then rename). Exit 0 when every run finished, 3 when some run failed (its rows say so),
2 on bad arguments.
"""
import argparse
import concurrent.futures
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Modelling variants: name -> (scenario keys, what it varies, where the audit measures it).
VARIANTS = {
    "default": ([], "the shipped settings", "-"),
    "no_residual_reduction": (["--motion.residual_reduction=no"],
                              "torso mass centre and segment masses as scaled, not adjusted by residual reduction",
                              "docs/lumbar_audit.md, finding 10"),
    "volume_cost": (["--control.cost=volume"], "effort criterion: volume-weighted squared activations",
                    "docs/lumbar_audit.md, finding 6"),
    "cheap_reserves": (["--control.reserve_optimal=10"],
                       "reserves 100x cheaper: exact tracking bought with less co-contraction",
                       "docs/lumbar_audit.md, finding 7"),
    "soft_gains": (["--control.kp=1600", "--control.kv=80"], "PD tracking gains a quarter (looser tracking)",
                   "docs/lumbar_audit.md, finding 7"),
    "rigid_tendons": (["--model.tendon=rigid"], "every tendon rigid, the Achilles tendon included",
                      "docs/lumbar_audit.md, finding 12"),
    "neural_weakness": (["--weakness.neural=yes"],
                        "weakness as a lower activation ceiling (neural inhibition) instead of lost force",
                        "docs/weakness.md"),
    "compensate": (["--control.mode=compensate"], "the runner's form adapts to the muscles (predicted stride)",
                   "docs/compensation.md"),
    "static_optimisation": (["--control.mode=static"],
                            "muscle forces by static optimisation of the recorded stride instead of CMC: no activation "
                            "dynamics, rigid tendons", "docs/simulation.md, \"Static optimisation\""),
}

# What-ifs: name -> (scenario keys, reference what-if or None for the healthy runner, meaning).
WHATIFS = {
    "healthy": ([], None, "healthy runner"),
    "glute_med_40": (["--weakness.glute_med=0.4"], "healthy", "gluteus medius 40 % weaker, both sides"),
    "deep_core_40": (["--weakness.deep_core=0.4"], "healthy", "deep core 40 % weaker"),
    "tight_hip_flexors": (["--tightness.hip_flexors=1"], "healthy", "hip flexors tight from sitting (full)"),
    "trained_glute_med_40": (["--weakness.glute_med=0.4", "--training.apply=yes"], "glute_med_40",
                             "the weak runner after 6 weeks of the whole programme, 2.5 sessions a week"),
}

# Loads compared: (summary metric, unit, label). hip_contact_peak_BW is computed here: the larger
# of both hips' peaks, in BW.
METRICS = [
    ("L4_L5_peak_compression_N", "N", "peak L4/L5 compression"),
    ("L5_S1_peak_compression_N", "N", "peak L5/S1 compression"),
    ("L5_S1_mean_compression_N", "N", "mean L5/S1 compression"),
    ("L5_S1_peak_anterior_shear_N", "N", "peak L5/S1 anterior shear"),
    ("hip_contact_peak_BW", "BW", "peak hip contact force"),
]


# The largest reserve of a run, in % of its joint's peak moment (OpenSim's CMC guideline: below
# 10 %): where a what-if asks more of a muscle than it has, strict mode hands the rest to a
# reserve actuator, and the load that muscle would have put on the joints is missing.
RESERVE = "reserve_share_worst_pct"


class UsageError(Exception):
    pass


def pick(names, table, what):
    if names is None:
        return list(table)
    out = []
    for n in names.split(","):
        n = n.strip()
        if n not in table:
            raise UsageError("--%s: unknown %s '%s' (known: %s)" % (what, what[:-1], n, ", ".join(table)))
        out.append(n)
    return out


def atomic_write(path, text):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def parse_whatif(text):
    """'NAME:KEY=VALUE,KEY=VALUE' -> (name, ['--KEY=VALUE', ...])."""
    name, sep, rest = text.partition(":")
    if not sep or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise UsageError("--whatif %r: expected NAME:KEY=VALUE[,KEY=VALUE...] with a NAME of lower-case letters, "
                         "digits and _" % text)
    if name in WHATIFS:
        raise UsageError("--whatif %r: the name %s is taken by a built-in what-if" % (text, name))
    pairs = []
    for piece in rest.split(","):
        if "=" in piece or not pairs:
            pairs.append(piece.strip())
        else:   # a list value (training.program=side_plank,bird_dog): the piece continues it
            pairs[-1] += "," + piece.strip()
    keys = []
    for kv in pairs:
        k, eq, v = kv.partition("=")
        if not eq or not k or not v:
            raise UsageError("--whatif %r: %r is not KEY=VALUE" % (text, kv))
        keys.append("--%s=%s" % (k, v))
    return name, keys


def run_one(exe, runs_dir, scenario, speed, variant, whatif):
    """Simulates one (speed, variant, what-if); returns (status, metrics dict or None)."""
    out = os.path.join(runs_dir, "%s%s__%s.h5" % ("%s__" % speed if speed else "", variant, whatif))
    args = [exe, "run"] + ([scenario] if scenario else []) + ["--run.name=%s" % whatif] + \
        (["--running.speed=%s" % speed] if speed else []) + VARIANTS[variant][0] + WHATIFS[whatif][0] + \
        ["-o", out, "--quiet", "--overwrite"]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:   # a bad key (exit 2, on stderr) or a failed simulation (exit 3, its status line)
        lines = p.stderr.strip().splitlines() or [l for l in p.stdout.splitlines() if ": status " in l]
        return "run failed (exit %d): %s" % (p.returncode, lines[-1].strip() if lines else ""), None
    s = subprocess.run([exe, "summary", out, "--json"], capture_output=True, text=True)
    if s.returncode != 0:
        return "summary failed (exit %d)" % s.returncode, None
    run = json.loads(s.stdout)["runs"][0]
    m = dict(run["metrics"])
    m["hip_contact_peak_BW"] = max(m["hip_contact_peak_r_N"], m["hip_contact_peak_l_N"]) / run["body_weight_N"]
    return run["status"], m


def fmt(x, unit):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return "%.2f" % x if unit == "BW" else "%.0f" % x


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corestride")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--markdown")
    ap.add_argument("--overwrite", action="store_true")
    ap.add_argument("--variants")
    ap.add_argument("--whatifs")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--scenario")
    ap.add_argument("--whatif", action="append", default=[])
    ap.add_argument("--speeds")
    a = ap.parse_args(argv)
    try:
        speeds = [""]
        if a.speeds:
            speeds = [v.strip() for v in a.speeds.split(",")]
            for v in speeds:
                try:
                    ok = 3.0 <= float(v) <= 4.0
                except ValueError:
                    ok = False
                if not ok:
                    raise UsageError("--speeds: %r is not a running speed of the built-in stride (3.0 to 4.0 m/s)" % v)
        variants = pick(a.variants, VARIANTS, "variants")
        own = [parse_whatif(w) for w in a.whatif]
        if len({n for n, _ in own}) != len(own):
            raise UsageError("--whatif: a name is given twice")
        whatifs = pick(a.whatifs, WHATIFS, "whatifs") if (a.whatifs or not own) else []
        for name, keys in own:
            WHATIFS[name] = (keys, "healthy", "your what-if: " + " ".join(k.lstrip("-") for k in keys))
            whatifs.append(name)
        if a.scenario and not os.path.isfile(a.scenario):
            raise UsageError("--scenario: no such file: %s" % a.scenario)
        if a.scenario:
            WHATIFS["healthy"] = ([], None, "the scenario as written")
        for w in list(whatifs):   # every what-if needs its reference
            ref = WHATIFS[w][1]
            while ref is not None and ref not in whatifs:
                whatifs.insert(0, ref)
                ref = WHATIFS[ref][1]
        if a.jobs < 1:
            raise UsageError("--jobs: must be at least 1, not %d" % a.jobs)
        if not os.access(a.corestride, os.X_OK):
            raise UsageError("corestride program not found or not executable: %s" % a.corestride)
        tsv = os.path.join(a.output, "whatif_robustness.tsv")
        for path in [tsv] + ([a.markdown] if a.markdown else []):
            if os.path.exists(path) and not a.overwrite:
                raise UsageError("%s exists (use --overwrite to replace it)" % path)
    except UsageError as e:
        print("whatif_robustness: error: %s" % e, file=sys.stderr)
        return 2

    runs_dir = os.path.join(a.output, "runs")
    os.makedirs(runs_dir, exist_ok=True)
    jobs = [(sp, v, w) for sp in speeds for v in variants for w in whatifs]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(run_one, a.corestride, runs_dir, a.scenario, sp, v, w): (sp, v, w) for sp, v, w in jobs}
        for f in concurrent.futures.as_completed(futures):
            results[futures[f]] = f.result()
            sp, v, w = futures[f]
            print("%s%s / %s: %s" % (sp + " m/s / " if sp else "", v, w, results[(sp, v, w)][0]), file=sys.stderr)

    rows = []
    for sp in speeds:
        for v in variants:
            for w in whatifs:
                ref = WHATIFS[w][1]
                if ref is None:
                    continue
                (st_ref, m_ref), (st, m) = results[(sp, v, ref)], results[(sp, v, w)]
                for key, unit, label in METRICS:
                    r = m_ref[key] if m_ref else float("nan")
                    x = m[key] if m else float("nan")
                    rows.append(dict(speed=sp, variant=v, whatif=w, reference=ref, metric=key, unit=unit,
                                     reference_value=r, value=x, change=x - r,
                                     change_pct=100.0 * (x - r) / r if r else float("nan"),
                                     reserve_pct_reference=m_ref[RESERVE] if m_ref else float("nan"),
                                     reserve_pct=m[RESERVE] if m else float("nan"), status_reference=st_ref, status=st))
    cols = ["speed", "variant", "whatif", "reference", "metric", "unit", "reference_value", "value", "change",
            "change_pct", "reserve_pct_reference", "reserve_pct", "status_reference", "status"]
    lines = ["\t".join(cols)]
    for r in rows:
        lines.append("\t".join("%.10g" % r[c] if isinstance(r[c], float) else str(r[c]) for c in cols))
    atomic_write(tsv, "\n".join(lines) + "\n")
    if a.markdown:
        atomic_write(a.markdown, markdown(speeds, variants, whatifs, results, rows, a.scenario))
    failed = [k for k, (st, m) in results.items() if m is None]
    print("written: %s%s" % (tsv, (", " + a.markdown) if a.markdown else ""), file=sys.stderr)
    return 3 if failed else 0


def markdown(speeds, variants, whatifs, results, rows, scenario=None):
    if scenario:
        runner = "Every run starts from the scenario `%s` (\"healthy\" is that scenario as written)" % scenario
    else:
        runner = "Built-in stride, 75 kg, 1.75 m, one stride per run"
    if speeds != [""]:
        runner += "; running speeds " + ", ".join("%s m/s" % sp for sp in speeds)
    elif not scenario:
        runner += ", 3.5 m/s"
    out = ["# What-if answers under the model's known uncertainties", "",
           "Generated by `analysis/whatif_robustness.py` (`scripts/whatif-robustness` regenerates "
           "docs/whatif_robustness.md; do not edit by hand). " +
           runner + ". Every what-if is simulated against its "
           "reference under each modelling variant; a change is the what-if's load minus the reference's, "
           "both under the same variant. Reading: `docs/lumbar_audit.md`, finding 16.", "",
           "## Variants", "", "| variant | what it changes | measured in |", "|---|---|---|"]
    for v in variants:
        keys = " ".join("`%s`" % k.lstrip("-") for k in VARIANTS[v][0]) or "–"
        out.append("| `%s` | %s (%s) | %s |" % (v, VARIANTS[v][1], keys, VARIANTS[v][2]))
    for sp in speeds:
        h = "##" if sp == "" else "###"
        if sp:
            out += ["", "## %s m/s" % sp]
        out += speed_tables(h, sp, variants, whatifs, results, [r for r in rows if r["speed"] == sp])
    return "\n".join(out) + "\n"


def speed_tables(h, sp, variants, whatifs, results, rows):
    out = ["", h + " The healthy runner's loads under each variant", "",
           "| variant | status | " + " | ".join("%s (%s)" % (lab, u) for _, u, lab in METRICS) +
           " | largest reserve (% of its joint's peak) |",
           "|---|---|" + "---|" * (len(METRICS) + 1)]
    lo = {k: math.inf for k, _, _ in METRICS}
    hi = {k: -math.inf for k, _, _ in METRICS}
    for v in variants:
        st, m = results.get((sp, v, "healthy"), ("not run", None))
        cells = []
        for k, u, _ in METRICS:
            x = m[k] if m else None
            cells.append(fmt(x, u))
            if x is not None:
                lo[k], hi[k] = min(lo[k], x), max(hi[k], x)
        out.append("| `%s` | %s | %s | %s |" % (v, st, " | ".join(cells), "%.0f" % m[RESERVE] if m else "–"))
    out.append("| spread (largest - smallest) | | %s | |" % " | ".join(
        fmt(hi[k] - lo[k], u) if hi[k] >= lo[k] else "–" for k, u, _ in METRICS))
    for w in whatifs:
        ref = WHATIFS[w][1]
        if ref is None:
            continue
        out += ["", h + " %s: %s (against %s)" % (w, WHATIFS[w][2], WHATIFS[ref][2]), "",
                "Change of each load, in % of the reference under the same variant (absolute change in brackets); "
                "last column: each run's largest reserve in % of its joint's peak moment (above 10 %, a muscle "
                "fell short and its share of the joint loads is missing).", "",
                "| variant | " + " | ".join(lab for _, _, lab in METRICS) + " | largest reserve, reference → what-if |",
                "|---|" + "---|" * (len(METRICS) + 1)]
        per = {k: [] for k, _, _ in METRICS}
        for v in variants:
            cells = []
            for k, u, _ in METRICS:
                r = next(x for x in rows if x["variant"] == v and x["whatif"] == w and x["metric"] == k)
                if math.isnan(r["change"]):
                    cells.append("failed")
                    continue
                per[k].append(r)
                cells.append("%+.1f %% (%s%s)" % (r["change_pct"], "+" if r["change"] >= 0 else "-",
                                                   fmt(abs(r["change"]), u)))
            r0 = next(x for x in rows if x["variant"] == v and x["whatif"] == w)
            cells.append("%s → %s %%" % tuple("%.0f" % x if not math.isnan(x) else "–"
                                             for x in (r0["reserve_pct_reference"], r0["reserve_pct"])))
            out.append("| `%s` | %s |" % (v, " | ".join(cells)))
        summary = []
        for k, u, _ in METRICS:
            c = [r["change_pct"] for r in per[k]]
            if not c:
                summary.append("–")
                continue
            sign = "all +" if min(c) > 0 else "all -" if max(c) < 0 else "mixed sign"
            summary.append("%+.1f to %+.1f %%, %s" % (min(c), max(c), sign))
        out.append("| range over the variants | %s | |" % " | ".join(summary))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
