#!/usr/bin/env python3
"""Fit a periodic running stride (Fourier series) and stance ground reaction forces to the
Hamner & Delp (2013) subject01 treadmill trials at 3.0 and 4.0 m/s.

  python3 scripts/fit_stride.py DATA_DIR > models/running_stride.fourier
  python3 scripts/fit_stride.py DATA_DIR --check models/running_stride.fourier

DATA_DIR holds Hamner2010_v4_subject01.osim, Run_30002/ and Run_40002/. Standard library
only, deterministic output. File format and conventions: docs/running_stride.md.
The copfoot records give the centre of pressure in the calcn frame of the subject's model,
from a rigid (Horn) fit of its CAL/TOE/MT5 marker locations to the measured markers.
--check re-reads a written file, rebuilds every curve and compares it with the data.
"""
import math
import os
import sys
import xml.etree.ElementTree as ET

G = 9.80665            # m/s^2
THRESH = 50.0          # N, vertical-GRF contact threshold
K_COORD = 10           # Fourier order of the coordinate curves
K_GRF = 10             # sine-series order of the stance forces and free moment
M_COP = 5              # polynomial degree of the centre-of-pressure curves
TRIALS = (("Run_30002", 3.0), ("Run_40002", 4.0))
LEGS = ("hip_flexion", "hip_adduction", "hip_rotation", "knee_angle", "ankle_angle")
# Mirror parity of the axial coordinates under a left/right mirror (Z -> -Z): rotations
# about Z and translations along X, Y keep their sign (+1); the others change sign (-1).
AXIAL = {"pelvis_tilt": 1, "pelvis_list": -1, "pelvis_rotation": -1, "pelvis_tx": 1,
         "pelvis_ty": 1, "pelvis_tz": -1, "lumbar_extension": 1, "lumbar_bending": -1,
         "lumbar_rotation": -1}
COORDS = list(AXIAL) + [j + s for j in LEGS for s in ("_r", "_l")]
TRANSLATIONS = ("pelvis_tx", "pelvis_ty", "pelvis_tz")
DEMEAN = ("pelvis_tx", "pelvis_tz")     # treadmill: deviation from the de-drifted cycle mean
FORCES = ("vx", "vy", "vz", "ty")       # sine basis; vx, vy, vz in BW, ty (free moment) in BW*m
COPFOOT = ("copfoot_x", "copfoot_y", "copfoot_z")   # COP in the calcn body frame, m
MIRROR = {"vx": 1, "vy": 1, "vz": -1, "ty": -1, "cop_x": 1, "cop_z": -1,
          "copfoot_x": 1, "copfoot_y": 1, "copfoot_z": -1}
FOOT_MARKERS = ("CAL", "TOE", "MT5")    # all three fixed in calcn_r / calcn_l of the model


def log(*a):
    print(*a, file=sys.stderr)


def read_mot(path):
    """Columns of an old-style SIMM/OpenSim .mot file, by name."""
    with open(path) as f:
        lines = f.read().splitlines()
    i = next(i for i, l in enumerate(lines) if l.strip() == "endheader")
    names = lines[i + 1].split()
    rows = [[float(x) for x in l.split()] for l in lines[i + 2:] if l.strip()]
    return {n: [r[j] for r in rows] for j, n in enumerate(names)}


def interp(t, y, tq):
    """Linear interpolation on a uniform time grid."""
    dt = (t[-1] - t[0]) / (len(t) - 1)
    i = min(max(int((tq - t[0]) / dt), 0), len(t) - 2)
    return y[i] + (tq - t[i]) / (t[i + 1] - t[i]) * (y[i + 1] - y[i])


def stances(t, y):
    """(on, off) times where y rises through / falls below THRESH, linearly interpolated."""
    on, off = [], []
    for i in range(1, len(y)):
        if (y[i - 1] < THRESH) != (y[i] < THRESH):
            tc = t[i - 1] + (THRESH - y[i - 1]) / (y[i] - y[i - 1]) * (t[i] - t[i - 1])
            (on if y[i] >= THRESH else off).append(tc)
    return [(a, min(b for b in off if b > a)) for a in on if any(b > a for b in off)]


def solve(A, b):
    """Gaussian elimination with partial pivoting (A is small and dense)."""
    n = len(b)
    M = [A[i][:] + [b[i]] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            for k in range(c, n + 1):
                M[r][k] -= f * M[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (M[r][n] - sum(M[r][k] * x[k] for k in range(r + 1, n))) / M[r][r]
    return x


def lstsq(basis, xs, ys, ws=None):
    """Weighted linear least squares through the normal equations."""
    n = len(basis(xs[0]))
    A, b = [[0.0] * n for _ in range(n)], [0.0] * n
    for i, (x, y) in enumerate(zip(xs, ys)):
        w, row = (1.0 if ws is None else ws[i]), basis(x)
        for p in range(n):
            b[p] += w * row[p] * y
            for q in range(n):
                A[p][q] += w * row[p] * row[q]
    return solve(A, b)


def fourier_basis(K):   # coefficient order: a0, a1..aK, b1..bK
    return lambda ph: ([1.0] + [math.cos(2 * math.pi * k * ph) for k in range(1, K + 1)]
                       + [math.sin(2 * math.pi * k * ph) for k in range(1, K + 1)])


def sine_basis(K):
    return lambda s: [math.sin(k * math.pi * s) for k in range(1, K + 1)]


def poly_basis(M):
    return lambda s: [s ** m for m in range(M + 1)]


def evaluate(basis, coef, x):
    return sum(c * v for c, v in zip(coef, basis(x)))


def body_mass(osim):
    return sum(float(b.find("mass").text) for b in ET.parse(osim).getroot().iter("Body"))


def foot_markers(osim):
    """{foot: [location of CAL, TOE, MT5 in the calcn_<foot> frame]} from the subject's model."""
    loc = {}
    for m in ET.parse(osim).getroot().iter("Marker"):
        name, frame = m.get("name"), m.find("socket_parent_frame").text
        if name[0] in "RL" and name[1:] in FOOT_MARKERS:
            f = name[0].lower()
            assert frame.endswith("calcn_" + f), (name, frame)
            loc[name] = [float(x) for x in m.find("location").text.split()]
    return {f: [loc[f.upper() + m] for m in FOOT_MARKERS] for f in "rl"}


def jacobi_max_eigvec(A):
    """Eigenvector of the largest eigenvalue of a small symmetric matrix (cyclic Jacobi)."""
    n = len(A)
    A = [row[:] for row in A]
    V = [[float(i == j) for j in range(n)] for i in range(n)]
    for _ in range(50):
        off = sum(A[i][j] ** 2 for i in range(n) for j in range(n) if i != j)
        if off < 1e-30 * (1 + sum(A[i][i] ** 2 for i in range(n))):
            break
        for p in range(n - 1):
            for q in range(p + 1, n):
                if A[p][q] == 0.0:
                    continue
                th = 0.5 * math.atan2(2 * A[p][q], A[q][q] - A[p][p])
                c, s = math.cos(th), math.sin(th)
                for k in range(n):          # A <- J^T A J, V <- V J
                    akp, akq = A[k][p], A[k][q]
                    A[k][p], A[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):
                    apk, aqk = A[p][k], A[q][k]
                    A[p][k], A[q][k] = c * apk - s * aqk, s * apk + c * aqk
                for k in range(n):
                    vkp, vkq = V[k][p], V[k][q]
                    V[k][p], V[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
    i = max(range(n), key=lambda i: A[i][i])
    return [V[k][i] for k in range(n)]


def rigid_fit(body, lab):
    """Least-squares rigid transform lab ~ R body + t of matching point sets (Horn 1987,
    unit quaternions). Returns R (3x3, rows), t, and the RMS residual over the points."""
    n = len(body)
    cb = [sum(p[j] for p in body) / n for j in range(3)]
    cl = [sum(p[j] for p in lab) / n for j in range(3)]
    S = [[sum((a[i] - cb[i]) * (b[j] - cl[j]) for a, b in zip(body, lab)) for j in range(3)]
         for i in range(3)]
    (xx, xy, xz), (yx, yy, yz), (zx, zy, zz) = S
    N = [[xx + yy + zz, yz - zy, zx - xz, xy - yx],
         [yz - zy, xx - yy - zz, xy + yx, zx + xz],
         [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
         [xy - yx, zx + xz, yz + zy, -xx - yy + zz]]
    w, x, y, z = jacobi_max_eigvec(N)
    R = [[w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y)],
         [2 * (y * x + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x)],
         [2 * (z * x - w * y), 2 * (z * y + w * x), w * w - x * x - y * y + z * z]]
    t = [cl[i] - sum(R[i][j] * cb[j] for j in range(3)) for i in range(3)]
    res = sum((sum(R[i][j] * a[j] for j in range(3)) + t[i] - b[i]) ** 2
              for a, b in zip(body, lab) for i in range(3))
    return R, t, math.sqrt(res / n)


def load_trial(data, name, nominal, bw):
    """Cycles, phase-normalised coordinate samples and stance GRF samples of one trial."""
    d = os.path.join(data, name)
    ik = read_mot(os.path.join(d, name + "_IK.mot"))
    grf = read_mot(os.path.join(d, name + "_GRF_newCOP3_v24.mot"))
    t, gt = ik["time"], grf["time"]
    hs = [a for a, _ in stances(gt, grf["R_ground_force_vy"]) if t[0] <= a <= t[-1]]
    cycles = list(zip(hs, hs[1:]))
    tr = {"name": name, "nominal": nominal, "bw": bw, "cycles": cycles,
          "stride": sum(b - a for a, b in cycles) / len(cycles),
          "markers": foot_markers(os.path.join(data, "Hamner2010_v4_subject01.osim"))}
    st = {f: stances(gt, grf[f.upper() + "_ground_force_vy"]) for f in "rl"}
    # Belt speed under the stance foot: forefoot markers (TOE, MT5) from 30 % to 70 % of
    # stance, while the forefoot rests flat on the belt.
    v = []
    for f in "rl":
        for a, b in st[f]:
            ta, tb = a + 0.3 * (b - a), a + 0.7 * (b - a)
            for m in ("TOE", "MT5"):
                x = ik[f.upper() + m + "_tx"]
                if t[0] <= ta and tb <= t[-1]:
                    v.append((interp(t, x, ta) - interp(t, x, tb)) / (tb - ta))
    tr["speed"], tr["speed_range"] = sum(v) / len(v), (min(v), max(v))
    # Coordinates: (phase, value) pooled over cycles, and the cycle-mean curve (100 points).
    tr["coord"], tr["mean"] = {}, {}
    for c in COORDS:
        scale = 1.0 if c in TRANSLATIONS else math.pi / 180
        ph, val, curves = [], [], []
        for a, b in cycles:
            idx = [i for i in range(len(t)) if a <= t[i] < b]
            # pelvis_tx/tz: remove the runner's linear wander on the belt between the two
            # heel strikes (keeps the cycle periodic), then the cycle mean.
            drift = interp(t, ik[c], b) - interp(t, ik[c], a) if c in DEMEAN else 0.0
            y = lambda tq: interp(t, ik[c], tq) - drift * (tq - a) / (b - a)
            off = sum(y(t[i]) for i in idx) / len(idx) if c in DEMEAN else 0.0
            ph += [(t[i] - a) / (b - a) for i in idx]
            val += [(y(t[i]) - off) * scale for i in idx]
            curves.append([(y(a + p / 100 * (b - a)) - off) * scale for p in range(100)])
        tr["coord"][c] = (ph, val)
        tr["mean"][c] = [sum(cv[i] for cv in curves) / len(curves) for i in range(100)]
    # Stance timing relative to the right heel strike, and GRF samples over s in [0, 1].
    tr["stance"], tr["grf"] = {}, {}
    for f in "rl":
        contact = [b - a for a, b in st[f]]
        strikes = [(x - a) / (b - a) for a, b in cycles for x, _ in st[f] if a <= x < b]
        duty = sum(contact) / len(contact) / tr["stride"]
        start = sum(strikes) / len(strikes)
        tr["stance"][f] = {"start": start, "end": start + duty, "duty": duty, "contact": contact}
        P = f.upper() + "_ground_"
        g = {k: [] for k in ("s", "w") + FORCES + ("cop_x", "cop_z", "sf", "wf", "mfit") + COPFOOT}
        offs, peaks = [], []
        mk = [[ik[f.upper() + m + "_t" + c] for c in "xyz"] for m in FOOT_MARKERS]
        for a, b in st[f]:
            idx = [i for i in range(len(gt)) if a <= gt[i] <= b]
            tm = 0.5 * (a + b)
            w = [grf[P + "force_vy"][i] for i in idx]
            # COP in a frame moving with the belt (= fixed to the ground overground).
            cx = [grf[P + "force_px"][i] + tr["speed"] * (gt[i] - tm) for i in idx]
            cz = [grf[P + "force_pz"][i] for i in idx]
            mx = sum(p * q for p, q in zip(cx, w)) / sum(w)
            mz = sum(p * q for p, q in zip(cz, w)) / sum(w)
            if t[0] <= tm <= t[-1]:
                offs.append((mx - interp(t, ik["pelvis_tx"], tm), mz - interp(t, ik["pelvis_tz"], tm)))
            peaks.append(max(w))
            g["s"] += [(gt[i] - a) / (b - a) for i in idx]
            g["w"] += w
            for k in FORCES:
                g[k] += [grf[P + ("torque_y" if k == "ty" else "force_" + k)][i] / bw for i in idx]
            g["cop_x"] += [x - mx for x in cx]
            g["cop_z"] += [z - mz for z in cz]
            # COP in the calcn frame: fit the model's CAL/TOE/MT5 locations to the markers
            # (interpolated to the 1 kHz force samples), then p_B = R^T (COP_lab - t). The
            # lab COP is used as recorded (treadmill frame), markers and COP in the same frame.
            if not t[0] <= a < b <= t[-1]:
                continue
            for i, wi in zip(idx, w):
                lab = [[interp(t, y, gt[i]) for y in m] for m in mk]
                R, tr_, res = rigid_fit(tr["markers"][f], lab)
                d = [grf[P + "force_p" + c][i] - tr_[j] for j, c in enumerate("xyz")]
                for j, k in enumerate(COPFOOT):
                    g[k].append(sum(R[q][j] * d[q] for q in range(3)))
                g["sf"].append((gt[i] - a) / (b - a))
                g["wf"].append(wi)
                g["mfit"].append(res)
        g["offset"] = [sum(o[j] for o in offs) / len(offs) for j in (0, 1)]
        g["peaks"] = peaks
        tr["grf"][f] = g
    return tr


def fit_trial(tid, tr):
    """All records of one trial, as dicts (see fmt_record)."""
    fb, st = fourier_basis(K_COORD), tr["stance"]
    recs = [{"kw": "trial", "nominal_speed": tid, "speed": "%.3f" % tr["speed"],
             "stride_time": "%.4f" % tr["stride"], "body_mass": "%.2f" % (tr["bw"] / G),
             "cycles": len(tr["cycles"]), "duty_factor_r": "%.4f" % st["r"]["duty"],
             "duty_factor_l": "%.4f" % st["l"]["duty"], "left_strike_phase": "%.4f" % st["l"]["start"]}]
    co = {c: lstsq(fb, *tr["coord"][c]) for c in COORDS}
    harm = [0] + list(range(1, K_COORD + 1)) * 2     # harmonic number of each coefficient
    sym = {}
    for c, parity in AXIAL.items():       # x(phi+1/2) = parity*x(phi): keep (-1)^k == parity
        sym[c] = [x if (-1) ** k == parity else 0.0 for k, x in zip(harm, co[c])]
    for j in LEGS:                        # (right(phi) + left(phi+1/2)) / 2
        sym[j] = [0.5 * (r + (-1) ** k * l) for k, r, l in zip(harm, co[j + "_r"], co[j + "_l"])]
    for kind, fits in (("raw", co), ("symmetric", sym)):
        for c, x in fits.items():
            recs.append({"kw": "coord", "trial": tid, "name": c, "kind": kind,
                         "unit": "m" if c in TRANSLATIONS else "rad",
                         "a0": x[0], "a": x[1:K_COORD + 1], "b": x[K_COORD + 1:]})
    gf = {}
    for f in "rl":
        g = tr["grf"][f]
        for k in FORCES:
            gf[f, k] = lstsq(sine_basis(K_GRF), g["s"], g[k])
        for k in ("cop_x", "cop_z"):      # weighted by vertical force: COP is noisy at low load
            gf[f, k] = lstsq(poly_basis(M_COP), g["s"], g[k], g["w"])
        for k in COPFOOT:                 # same basis and weighting, absolute (offset 0)
            gf[f, k] = lstsq(poly_basis(M_COP), g["sf"], g[k], g["wf"])
        gf[f, "offset"] = g["offset"]
    for k, m in list(MIRROR.items()) + [("offset", None)]:
        m = (1, -1) if k == "offset" else (m,) * len(gf["r", k])
        gf["sym", k] = [0.5 * (x + s * y) for x, y, s in zip(gf["r", k], gf["l", k], m)]
    duty = 0.5 * (st["r"]["duty"] + st["l"]["duty"])
    for f in ("r", "l", "sym"):
        a, b = (0.0, duty) if f == "sym" else (st[f]["start"], st[f]["end"])
        for k in FORCES + ("cop_x", "cop_z"):
            r = {"kw": "grf", "trial": tid, "foot": f, "stance_start": "%.4f" % a,
                 "stance_end": "%.4f" % b, "comp": k}
            if k in FORCES:
                r.update(unit="BW_m" if k == "ty" else "BW", basis="sin", b=gf[f, k])
            else:
                off = gf[f, "offset"][0 if k == "cop_x" else 1]
                r.update(unit="m", basis="poly", offset="%.4f" % off, c=gf[f, k])
            recs.append(r)
    for f in ("r", "l", "sym"):           # after the pelvis-relative records: COP in calcn frame
        a, b = (0.0, duty) if f == "sym" else (st[f]["start"], st[f]["end"])
        for k in COPFOOT:
            recs.append({"kw": "grf", "trial": tid, "foot": f, "stance_start": "%.4f" % a,
                         "stance_end": "%.4f" % b, "comp": k, "unit": "m", "basis": "poly",
                         "offset": "0", "c": gf[f, k]})
    return recs


def fmt_record(r):
    val = lambda v: (",".join("%.7g" % x for x in v) if isinstance(v, list)
                     else "%.7g" % v if isinstance(v, float) else str(v))
    return r["kw"] + "".join(" %s=%s" % (k, val(v)) for k, v in r.items() if k != "kw")


def parse(path):
    recs = []
    for line in open(path):
        words = line.split("#")[0].split()
        if words:
            r = {"kw": words[0]}
            for k, v in (w.split("=", 1) for w in words[1:]):
                r[k] = [float(x) for x in v.split(",")] if k in ("a", "b", "c") else v
            recs.append(r)
    return recs


def compare(tr, r):
    """(RMS vs the cycle/stance-mean curve, max vs it, RMS vs all samples), in deg/mm/N/N*m."""
    if r["kw"] == "coord":
        c, coef = r["name"], [float(r["a0"])] + r["a"] + r["b"]
        f = lambda x: evaluate(fourier_basis(len(r["a"])), coef, x)
        unit = 1000 if r["unit"] == "m" else 180 / math.pi
        if r["kind"] == "raw":
            pooled = list(zip(*tr["coord"][c]))
            mean = [(i / 100, m) for i, m in enumerate(tr["mean"][c])]
        else:
            sgn, rc, lc = (AXIAL[c], c, c) if c in AXIAL else (1, c + "_r", c + "_l")
            pooled = list(zip(*tr["coord"][rc])) + [((p - 0.5) % 1, sgn * v)
                                                    for p, v in zip(*tr["coord"][lc])]
            mr, ml = tr["mean"][rc], tr["mean"][lc]
            mean = [(i / 100, 0.5 * (mr[i] + sgn * ml[(i + 50) % 100])) for i in range(100)]
    else:
        k, g = r["comp"], tr["grf"]
        basis = sine_basis(len(r["b"])) if r["basis"] == "sin" else poly_basis(len(r["c"]) - 1)
        f = lambda x: evaluate(basis, r["b"] if r["basis"] == "sin" else r["c"], x)
        unit = 1000 if r["unit"] == "m" else tr["bw"]
        sk = "sf" if k in COPFOOT else "s"
        pooled = list(zip(g["r"][sk], g["r"][k])) if r["foot"] != "l" else []
        if r["foot"] != "r":
            m = MIRROR[k] if r["foot"] == "sym" else 1
            pooled += [(s, m * y) for s, y in zip(g["l"][sk], g["l"][k])]
        bins = [[] for _ in range(50)]
        for s, y in pooled:
            bins[min(int(s * 50), 49)].append((s, y))
        mean = [tuple(sum(p[j] for p in bn) / len(bn) for j in (0, 1)) for bn in bins]
    em = [(f(x) - y) * unit for x, y in mean]
    ep = [(f(x) - y) * unit for x, y in pooled]
    rms = lambda e: math.sqrt(sum(x * x for x in e) / len(e))
    return rms(em), max(abs(x) for x in em), rms(ep)


def label(r):
    if r["kw"] == "coord":
        return "%s %-9s %-16s %s" % (r["trial"], r["kind"], r["name"], "mm " if r["unit"] == "m" else "deg")
    return "%s grf %-3s %-9s %s" % (r["trial"], r["foot"], r["comp"],
                                    {"m": "mm ", "BW": "N  ", "BW_m": "N*m"}[r["unit"]])


def copfoot_lines(tr, recs):
    """Marker-fit residuals and the fitted COP in the calcn frame at 10/50/90 % of stance."""
    out = []
    for f in "rl":
        m = tr["grf"][f]["mfit"]
        late = [e for e, s in zip(m, tr["grf"][f]["sf"]) if s >= 0.8]
        out.append("  foot %s: CAL/TOE/MT5 rigid fit to the model markers over %d stance samples: "
                   "RMS %.1f mm, max %.1f mm (last 20 %% of stance: RMS %.1f mm)" % (
                       f, len(m), 1000 * math.sqrt(sum(e * e for e in m) / len(m)), 1000 * max(m),
                       1000 * math.sqrt(sum(e * e for e in late) / len(late))))
    for f in ("r", "l", "sym"):
        c = {r["comp"]: r["c"] for r in recs if r["kw"] == "grf" and r["foot"] == f
             and r["comp"] in COPFOOT}
        out.append("  copfoot %-3s (x, y, z) at s = 0.1 / 0.5 / 0.9: " % f + " / ".join(
            "(%.3f, %.3f, %.3f)" % tuple(evaluate(poly_basis(M_COP), c[k], s) for k in COPFOOT)
            for s in (0.1, 0.5, 0.9)) + " m")
    return out


def summary(tr, recs):
    log("%s %s: %d cycles, stride %.4f s (%.3f-%.3f), forefoot speed in stance %.3f m/s (%.2f-%.2f)"
        % (recs[0]["nominal_speed"], tr["name"], len(tr["cycles"]), tr["stride"],
           min(b - a for a, b in tr["cycles"]), max(b - a for a, b in tr["cycles"]),
           tr["speed"], *tr["speed_range"]))
    for f in "rl":
        st, g = tr["stance"][f], tr["grf"][f]
        vy = next(r for r in recs if r["kw"] == "grf" and r["foot"] == f and r["comp"] == "vy")
        fit_peak = max(evaluate(sine_basis(K_GRF), vy["b"], i / 1000) for i in range(1001))
        log("  foot %s: %d stances, contact %.3f-%.3f s, duty %.4f, strike at phase %.4f, peak vy "
            "max %.0f N = %.3f BW, mean %.3f BW, fit %.3f BW; COP offset x %.3f z %.3f m" % (
                f, len(st["contact"]), min(st["contact"]), max(st["contact"]), st["duty"],
                st["start"], max(g["peaks"]), max(g["peaks"]) / tr["bw"],
                sum(g["peaks"]) / len(g["peaks"]) / tr["bw"], fit_peak, *g["offset"]))
    for line in copfoot_lines(tr, recs):
        log(line)
    co = {r["name"]: r for r in recs if r["kw"] == "coord" and r["kind"] == "raw"}
    for j in LEGS:      # left/right sign convention: which sign makes left(phi+1/2) match right?
        res = []
        for sgn in (1, -1):
            rr, ph_v = co[j + "_r"], tr["coord"][j + "_l"]
            coef = [rr["a0"]] + rr["a"] + rr["b"]
            e = [evaluate(fourier_basis(K_COORD), coef, (p - 0.5) % 1) - sgn * v for p, v in zip(*ph_v)]
            res.append(math.sqrt(sum(x * x for x in e) / len(e)) * 180 / math.pi)
        log("  %-13s right(phi) vs +left(phi+1/2): RMS %5.2f deg, vs -left: %6.2f deg" % (j, *res))


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--check"):
        sys.exit(__doc__)
    data = argv[1]
    mass = body_mass(os.path.join(data, "Hamner2010_v4_subject01.osim"))
    trials = {"%.1f" % v: load_trial(data, n, v, mass * G) for n, v in TRIALS}
    if len(argv) == 4:
        worst = {}
        for r in parse(argv[3]):
            if r["kw"] in ("coord", "grf"):
                e = compare(trials[r["trial"]], r)
                log("check %s  vs mean curve RMS %7.3f max %7.3f | vs all samples RMS %7.3f"
                    % ((label(r),) + e))
                key = label(r).split()[-1] + (" (copfoot)" if r.get("comp") in COPFOOT else "")
                worst[key] = max(worst.get(key, (0, 0, 0)), e, key=lambda x: x[1])
        for k, e in worst.items():
            log("worst %-13s: vs mean curve RMS %.3f max %.3f, vs samples RMS %.3f" % ((k,) + e))
        return
    out = ["# CoreStride running stride: fits to Hamner SR, Delp SL (2013) Muscle contributions",
           "# to fore-aft and vertical body mass center accelerations over a range of running",
           "# speeds. J Biomech 46(4):780-787. Subject01 (%.2f kg), treadmill trials Run_30002"
           % mass, "# (3.0 m/s) and Run_40002 (4.0 m/s nominal), SimTK project nmbl_running.",
           "# Produced by: python3 scripts/fit_stride.py /work/shared/data/running/"
           "hamner2013_subject01 > models/running_stride.fourier",
           "# Format and conventions: docs/running_stride.md. Ground X forward, Y up, Z right.",
           "# coord: x(phi) = a0 + sum_k a_k cos(2 pi k phi) + b_k sin(2 pi k phi), k = 1..%d;"
           % K_COORD, "#   phi in [0,1) from the right heel strike (vertical GRF > %g N)." % THRESH,
           "# grf basis=sin: f(s) = sum_k b_k sin(k pi s), k = 1..%d; basis=poly: f(s) = "
           "sum_m c_m s^m, m = 0..%d;" % (K_GRF, M_COP),
           "#   s = ((phi - stance_start) mod 1) / (stance_end - stance_start); zero outside stance.",
           "# trial speed= is the measured belt speed under the stance forefoot (TOE/MT5 markers,",
           "#   30-70 % of stance), the speed at which the stance foot does not slip; interpolate",
           "#   linearly in it. nominal_speed= is the trial label that coord/grf trial= refer to.",
           "# grf comp=copfoot_x/y/z (after the other records of each trial): the COP in the calcn_r /",
           "#   calcn_l body frame of the subject's model (offset=0, absolute), from a least-squares",
           "#   rigid fit of the model's CAL/TOE/MT5 marker locations (Hamner2010_v4_subject01.osim)",
           "#   to the measured markers at each 1 kHz force sample; foot=sym mirrors left z."]
    for (name, _), (tid, tr) in zip(TRIALS, trials.items()):
        recs = fit_trial(tid, tr)
        summary(tr, recs)
        out += ["#", "# %s m/s (%s), %d cycles. Fit error as RMS vs the cycle-mean curve "
                "(max) | RMS vs all samples:" % (tid, name, len(tr["cycles"]))]
        out += ["#   %s %6.2f (%6.2f) | %6.2f" % ((label(r)[4:],) + compare(tr, r))
                for r in recs if r["kw"] != "trial" and (r["kw"] == "coord" or r["foot"] != "sym")]
        out += ["#   peak vertical GRF %s: %.2f-%.2f BW (max %.0f N)" % (
            f, min(g["peaks"]) / tr["bw"], max(g["peaks"]) / tr["bw"], max(g["peaks"]))
            for f, g in tr["grf"].items()]
        out += ["#" + line for line in copfoot_lines(tr, recs)]
        out += [fmt_record(r) for r in recs]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv)
