#!/usr/bin/env python3
"""Generate models/trunk_hip.model (CoreStride format, docs/model_format.md) from public OpenSim models.

Usage:
    python3 scripts/extract_model.py /work/shared/data/models/cyclistFullBodyMuscle.osim > models/trunk_hip.model
    python3 scripts/extract_model.py CYCLIST.osim [--christophy CHRISTOPHY.osim] [--hamner HAMNER.osim] [-o OUT]

Sources (MIT-licensed OpenSim models; only numbers are extracted, no XML is copied):
  * cyclistFullBodyMuscle.osim, (c) 2021 ross-wilkinson (github ross-wilkinson/opensim-model-fullBodyMuscleActuated):
    Rajagopal 2016 / Lai 2017 legs + Allaire 2020 thoracolumbar torso (Bruno 2015 lineage).
  * Christophy2012_axialRotationUpd_skeletonOnly.osim, (c) 2024 mjhmilla (kinematicPassengerModel):
    lumbar coupling ratios and global lumbar ranges (default: next to the cyclist file).
  * Hamner2010_v4_subject01.osim, (c) 2021 Functional Biomechanics Laboratory, Colorado School of Mines
    (FxnlBiomechLab/twsa-optimization-for-rra): gemelli and quadratus femoris paths (Delp et al. 1990 lineage),
    mapped into the Rajagopal pelvis and femur (default: ../running/hamner2013_subject01/ beside the cyclist file).

Everything is evaluated at the cyclist model's DEFAULT pose (coordinate default_value). Bodies are merged
rigidly at that pose; every joint frame is chosen so that our model at zero joint angles reproduces it.
Exception: the quadriceps' patella path points become moving points on the tibia, tabulated over the knee
angle from the source patellofemoral joint (see Extractor.patella_point).
Torso fascicles attached to the Rajagopal pelvis get re-derived tendon slack lengths (see retune_lts;
--source-lts keeps the source values). The trunk keeps a subset of the source fascicles; the fmax of each dropped
one is lumped into the kept fascicle that represents it (lump_trunk_fascicles), so every trunk group carries the
whole source muscle; the model file lists the totals and the lumbar moment arms, full set vs model.
A summary table goes to stderr. Standard library only; deterministic.
"""
import argparse
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

# ----------------------------------------------------------------------------- small linear algebra
# Maximal muscle stress of the trunk muscles. The source torso (Bruno et al. 2015) derives
# maximal forces from cross-sectional areas at 100 N/cm^2; fitted to measured trunk extension
# strength, that model's apparent maximal stress averaged 75.5 N/cm^2 (range 40-130) in
# Burkhart KA, Bruno AG, Bouxsein ML, Bean JF, Anderson DE (2018) J Orthop Res 36(1):498-505.
# Torso-set fmax (trunk muscles and the vertebral psoas fascicles) are scaled by 75.5/100.
TRUNK_STRESS_SCALE = 75.5 / 100.0

# Passive stiffness of one lumbar motion segment (discs and ligaments), linear, N m/rad, the
# same at every level: flexion 3.6, extension 5.1, lateral bending 4.0, axial rotation
# 8.4 N m/deg, mid-ranges of the intact-segment stiffnesses compiled in PubMed Central
# PMC4844119 Table 3 (flexion 1.8-5.5 and extension 2.6-7.6 N m/deg from Schmidt et al. 2007
# and Miller et al. 1986, J Biomech 19:79-84; axial torsion 8.4 +/- 1.1 N m/deg, Schmidt et
# al.; lateral bending 3.4-4.6 N m/deg). These are elastic-zone values: near neutral the real
# segment is softer (Panjabi et al. 1994), so a linear spring overstates small-angle stiffness.
LUMBAR_STIFFNESS_NM_PER_DEG = dict(flexion=3.6, extension=5.1, bending=4.0, rotation=8.4)

def add(a, b): return [a[i] + b[i] for i in range(3)]
def sub(a, b): return [a[i] - b[i] for i in range(3)]
def mul(a, s): return [x * s for x in a]
def dot(a, b): return sum(a[i] * b[i] for i in range(3))
def cross(a, b): return [a[1]*b[2]-a[2]*b[1], a[2]*b[0]-a[0]*b[2], a[0]*b[1]-a[1]*b[0]]
def norm(a): return math.sqrt(dot(a, a))
def unit(a): return mul(a, 1.0 / norm(a))
def mT(A): return [[A[j][i] for j in range(3)] for i in range(3)]
def mm(A, B): return [[sum(A[i][k] * B[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
def mv(A, v): return [dot(A[i], v) for i in range(3)]
EYE = [[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]

def rot(axis, ang):
    """Rotation matrix about a (not necessarily unit) axis, Rodrigues."""
    x, y, z = unit(axis); c, s = math.cos(ang), math.sin(ang); C = 1 - c
    return [[c + x*x*C, x*y*C - z*s, x*z*C + y*s], [y*x*C + z*s, c + y*y*C, y*z*C - x*s],
            [z*x*C - y*s, z*y*C + x*s, c + z*z*C]]

def euler_xyz(a):
    """OpenSim/Simbody body-fixed X-Y-Z sequence (radians) -> matrix."""
    return mm(mm(rot([1, 0, 0], a[0]), rot([0, 1, 0], a[1])), rot([0, 0, 1], a[2]))

def to_euler_xyz(R):
    b = math.asin(max(-1.0, min(1.0, R[0][2])))
    return [math.atan2(-R[1][2], R[2][2]), b, math.atan2(-R[0][1], R[0][0])]

# A transform X_AB = (R, p) maps coordinates in B to A: v_A = R v_B + p
def xf(R, p): return (R, list(p))
def compose(X, Y): return (mm(X[0], Y[0]), add(mv(X[0], Y[1]), X[1]))
def inv(X): Rt = mT(X[0]); return (Rt, mul(mv(Rt, X[1]), -1.0))
def apply(X, v): return add(mv(X[0], v), X[1])
IDENT = (EYE, [0.0, 0.0, 0.0])

def vec(text): return [float(t) for t in text.split()]

def wrap_cylinder(P, Q, c, a, r, side):
    """Shortest path P->Q over an infinite cylinder (centre c, unit axis a, radius r) on `side`, used when the
    straight line cuts the cylinder: tangent line + helical arc (exact geodesic, unrolled). Returns None if the
    line misses, else (length from P to the exit tangent point, exit tangent point). One frame for all."""
    e1 = unit(sub(side, mul(a, dot(side, a)))); e2 = cross(a, e1)
    p = [dot(sub(P, c), e) for e in (e1, e2, a)]; q = [dot(sub(Q, c), e) for e in (e1, e2, a)]
    d = [q[0] - p[0], q[1] - p[1]]; dd = d[0] ** 2 + d[1] ** 2
    t = 0.0 if dd == 0 else max(0.0, min(1.0, -(p[0] * d[0] + p[1] * d[1]) / dd))
    rp, rq = math.hypot(p[0], p[1]), math.hypot(q[0], q[1])
    if math.hypot(p[0] + t * d[0], p[1] + t * d[1]) >= r or rp <= r or rq <= r:
        return None
    tp, tq = math.atan2(p[1], p[0]), math.atan2(q[1], q[0])
    ap, aq = math.acos(r / rp), math.acos(r / rq)
    best = None
    for sgn in (1, -1):                       # +1: counter-clockwise about a, -1: clockwise
        f1, f2 = tp + sgn * ap, tq - sgn * aq
        arc = (sgn * (f2 - f1)) % (2 * math.pi)
        cand = ((sgn * (0.0 - f1)) % (2 * math.pi) > arc, arc)     # prefer arcs passing the side direction
        if best is None or cand < best[0]: best = (cand, f1, f2, arc)
    _, f1, f2, arc = best
    l_in = math.hypot(p[0] - r * math.cos(f1), p[1] - r * math.sin(f1))
    l_out = math.hypot(q[0] - r * math.cos(f2), q[1] - r * math.sin(f2))
    z2 = p[2] + (q[2] - p[2]) * (l_in + r * arc) / (l_in + r * arc + l_out)
    T2 = add(c, add(add(mul(e1, r * math.cos(f2)), mul(e2, r * math.sin(f2))), mul(a, z2)))
    return math.hypot(l_in + r * arc, z2 - p[2]), T2

def path_length(pts, wraps, X_G):
    """Musculotendon length; pts = [(body, p)], wraps as emitted (body frames, sorted along each segment),
    X_G = body poses in ground. Several cylinders on one segment are applied one after the other."""
    g = [apply(X_G[pt[0]], pt[1]) for pt in pts]    # pt = (body, p) or (body, p at the pose, moving table)
    L = 0.0
    for i in range(len(g) - 1):
        start = g[i]
        for w in [w for w in wraps if w['seg'] == i]:
            X = X_G[w['body']]
            hit = wrap_cylinder(start, g[i + 1], apply(X, w['center']), mv(X[0], w['axis']), w['radius'],
                                mv(X[0], w['side']))
            if hit: L += hit[0]; start = hit[1]
        L += norm(sub(g[i + 1], start))
    return L

def fibre_norm(L, m):
    """Normalised fibre length (constant-thickness pennation model, rigid tendon)."""
    return math.hypot(L - m['lts'], m['lopt'] * math.sin(math.radians(m['penn']))) / m['lopt']

# ----------------------------------------------------------------------------- OpenSim evaluation
def simm_spline(xs, ys, x):
    """OpenSim SimmSpline at x: interpolating cubic spline whose end third derivatives match those of the cubics
    through the first / last four points (Forsythe, Malcolm & Moler 1977, routine SPLINE); outside the knots
    linear extrapolation with the end slope, as OpenSim does."""
    n = len(xs)
    if n < 4:
        raise ValueError('SimmSpline with fewer than 4 points')
    b, c, d = [0.0] * n, [0.0] * n, [0.0] * n
    d[0] = xs[1] - xs[0]; c[1] = (ys[1] - ys[0]) / d[0]
    for i in range(1, n - 1):
        d[i] = xs[i + 1] - xs[i]; b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (ys[i + 1] - ys[i]) / d[i]; c[i] = c[i + 1] - c[i]
    b[0], b[n - 1] = -d[0], -d[n - 2]
    c[0] = (c[2] / (xs[3] - xs[1]) - c[1] / (xs[2] - xs[0])) * d[0] * d[0] / (xs[3] - xs[0])
    c[n - 1] = -(c[n - 2] / (xs[n - 1] - xs[n - 3]) - c[n - 3] / (xs[n - 2] - xs[n - 4])) * d[n - 2] * d[n - 2] \
        / (xs[n - 1] - xs[n - 4])
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]; b[i] -= t * d[i - 1]; c[i] -= t * c[i - 1]
    c[n - 1] /= b[n - 1]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    b[n - 1] = (ys[n - 1] - ys[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[n - 1])
    for i in range(n - 1):
        b[i] = (ys[i + 1] - ys[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]; c[i] *= 3.0
    c[n - 1] *= 3.0
    if x <= xs[0]: return ys[0] + (x - xs[0]) * b[0]
    if x >= xs[n - 1]: return ys[n - 1] + (x - xs[n - 1]) * b[n - 1]
    k = max(i for i in range(n - 1) if xs[i] <= x)
    dx = x - xs[k]
    return ys[k] + dx * (b[k] + dx * (c[k] + dx * d[k]))

def eval_function(f, x, cubic=False):
    """Evaluate an OpenSim Function element at x. Splines: linear interpolation between knots by default (used
    at the default pose, next to a knot); cubic=True evaluates a SimmSpline exactly (patella kinematics)."""
    tag = f.tag
    if cubic and tag == 'SimmSpline':
        return simm_spline(vec(f.findtext('x')), vec(f.findtext('y')), x)
    if tag == 'Constant':
        return float(f.findtext('value'))
    if tag == 'LinearFunction':
        a, b = vec(f.findtext('coefficients')); return a * x + b
    if tag == 'PolynomialFunction':
        return sum(c * x ** i for i, c in enumerate(reversed(vec(f.findtext('coefficients')))))
    if tag == 'MultiplierFunction':
        return float(f.findtext('scale')) * eval_function(f.find('function')[0], x, cubic)
    if tag in ('SimmSpline', 'NaturalCubicSpline', 'GCVSpline', 'PiecewiseLinearFunction'):
        xs, ys = vec(f.findtext('x')), vec(f.findtext('y'))
        for i in range(len(xs) - 1):
            if x <= xs[i + 1] or i == len(xs) - 2:
                return ys[i] + (ys[i + 1] - ys[i]) * (x - xs[i]) / (xs[i + 1] - xs[i])
    raise ValueError('unsupported OpenSim function ' + tag)

class OsimModel:
    """Reads bodies, joints and coordinates; computes every body's pose in ground at the default pose."""
    def __init__(self, path):
        self.model = ET.parse(path).getroot().find('Model')
        self.bodies = {b.get('name'): b for b in self.model.find('BodySet/objects')}
        self.joints = {j.get('name'): j for j in self.model.find('JointSet/objects')}
        self.coord = {}                      # coordinate name -> default value
        for c in self.model.iter('Coordinate'):
            self.coord[c.get('name')] = float(c.findtext('default_value'))
        self.parent_joint = {}               # child body -> joint element
        for j in self.joints.values():
            self.parent_joint[self.joint_bodies(j)[1]] = j
        self.X_G = {'ground': IDENT}
        for b in self.bodies: self.pose(b)

    def offset(self, j, socket):
        """(body name, X_body_frame) of a joint socket (PhysicalOffsetFrame or body)."""
        name = j.findtext(socket).split('/')[-1]
        for f in j.findall('frames/PhysicalOffsetFrame'):
            if f.get('name') == name:
                body = f.findtext('socket_parent').split('/')[-1]
                return body, xf(euler_xyz(vec(f.findtext('orientation'))), vec(f.findtext('translation')))
        return name, IDENT

    def joint_bodies(self, j):
        return self.offset(j, 'socket_parent_frame')[0], self.offset(j, 'socket_child_frame')[0]

    def mobilizer(self, j, q=None, cubic=False):
        """X_FM of a joint at coordinate values q (dict; default values where missing)."""
        val = lambda c: (q or {}).get(c, self.coord[c])
        if j.tag == 'WeldJoint':
            return IDENT
        if j.tag == 'PinJoint':
            return (rot([0, 0, 1], val(j.find('coordinates/Coordinate').get('name'))), [0.0, 0.0, 0.0])
        if j.tag == 'UniversalJoint':
            q1, q2 = [val(c.get('name')) for c in j.findall('coordinates/Coordinate')]
            return (mm(rot([1, 0, 0], q1), rot([0, 1, 0], q2)), [0.0, 0.0, 0.0])
        if j.tag != 'CustomJoint':
            raise ValueError('unsupported joint type %s (%s)' % (j.tag, j.get('name')))
        R, p = EYE, [0.0, 0.0, 0.0]
        for ta in j.find('SpatialTransform'):
            cname = (ta.findtext('coordinates') or '').split()
            x = val(cname[0]) if cname else 0.0
            fn = [e for e in ta if e.tag not in ('coordinates', 'axis')]
            v = eval_function(fn[0], x, cubic) if fn else 0.0
            if ta.get('name').startswith('rotation'):
                R = mm(R, rot(vec(ta.findtext('axis')), v))           # body-fixed sequence
            else:
                p = add(p, mul(unit(vec(ta.findtext('axis'))), v))    # translations in parent frame F
        return (R, p)

    def pose(self, body):
        if body not in self.X_G:
            j = self.parent_joint[body]
            pb, X_PF = self.offset(j, 'socket_parent_frame')
            _, X_BM = self.offset(j, 'socket_child_frame')
            self.X_G[body] = compose(compose(compose(self.pose(pb), X_PF), self.mobilizer(j)), inv(X_BM))
        return self.X_G[body]

    def ancestors(self, body):
        out = [body]
        while out[-1] in self.parent_joint:
            out.append(self.joint_bodies(self.parent_joint[out[-1]])[0])
        return out

# ----------------------------------------------------------------------------- our model definition
REF_MASS, REF_HEIGHT = 75.0, 1.75
# our body -> source body whose frame it uses
FRAME = {'pelvis': 'pelvis', 'L5': 'lumbar5', 'L4': 'lumbar4', 'L3': 'lumbar3', 'L2': 'lumbar2',
         'L1': 'lumbar1', 'torso': 'thoracic12'}
for s in 'rl':
    FRAME.update({'femur_' + s: 'femur_' + s, 'tibia_' + s: 'tibia_' + s, 'foot_' + s: 'calcn_' + s})
# source bodies that do not follow their kinematic parent
SPECIAL = {'talus_r': 'foot_r', 'talus_l': 'foot_l', 'patella_r': 'tibia_r', 'patella_l': 'tibia_l',
           'Abdomen': 'pelvis'}   # Abdomen hangs from the sacrum; its muscle points are mapped by height
# knee angles (our sign, deg) at which moving patella points are tabulated; the last one is 0 (= `at`)
PATELLA_KNOTS_DEG = list(range(-140, 1, 10))
LUMBAR = [('L5_S1', 'pelvis', 'L5'), ('L4_L5', 'L5', 'L4'), ('L3_L4', 'L4', 'L3'),
          ('L2_L3', 'L3', 'L2'), ('L1_L2', 'L2', 'L1')]

GROUPS = [
    ('glute_med', 'gluteus_medius'), ('glute_min', 'gluteus_minimus'), ('glute_max', 'gluteus_maximus'),
    ('hip_abductors', 'gluteus_medius_minimus_TFL_and_piriformis'),
    ('hip_extensors', 'gluteus_maximus_hamstrings_crossing_hip_and_ischial_adductor_magnus'),
    ('hip_flexors', 'iliacus_psoas_rectus_femoris_TFL_sartorius'),
    ('hip_adductors', 'adductor_longus_brevis_magnus_and_gracilis'), ('hip_rotators', 'piriformis_gemelli_obturators_quadratus_femoris'),
    ('hamstrings', 'biceps_femoris_semimembranosus_semitendinosus'), ('quadriceps', 'rectus_femoris_and_vasti'),
    ('plantarflexors', 'gastrocnemius_soleus_tibialis_posterior_peronei'), ('dorsiflexors', 'tibialis_anterior'),
    ('psoas', 'psoas_major_one_fascicle_per_lumbar_level'), ('iliacus', 'iliacus'),
    ('multifidus', 'lumbar_multifidus_one_fascicle_per_level'), ('quadratus_lumborum', 'quadratus_lumborum'),
    ('erector_spinae_deep', 'lumbar_fascicles_of_longissimus_and_iliocostalis'),
    ('longissimus_thoracis', 'longissimus_thoracis_pars_thoracis'),
    ('iliocostalis', 'iliocostalis_lumborum_pars_thoracis'),
    ('superficial_back', 'thoracic_erector_spinae_and_latissimus_dorsi'),
    ('deep_core', 'multifidus_QL_psoas_deep_erector_spinae_(Raabe_and_Chaudhari_2018)'),
    ('abdominals', 'rectus_abdominis_and_obliques'), ('rectus_abdominis', 'rectus_abdominis'),
    ('obliques', 'external_and_internal_obliques'), ('latissimus_dorsi', 'latissimus_dorsi_lumbar_and_iliac_parts'),
    ('tfl', 'tensor_fasciae_latae'), ('triceps_surae', 'soleus_and_gastrocnemii_(Achilles_tendon)')]

def table(rows): return [(n, g) for g, names in rows for n in names.split()]
LEG_MUSCLES = table([  # (groups, source names without side)
    ('glute_med,hip_abductors', 'glmed1 glmed2 glmed3'), ('glute_min,hip_abductors', 'glmin1 glmin2 glmin3'),
    ('glute_max,hip_extensors', 'glmax1 glmax2 glmax3'), ('tfl,hip_abductors,hip_flexors', 'tfl'),
    ('iliacus,hip_flexors', 'iliacus'), ('hip_flexors', 'sart'), ('hip_rotators,hip_abductors', 'piri'),
    ('hip_adductors', 'addlong addbrev addmagProx addmagMid addmagDist grac'), ('hip_adductors,hip_extensors', 'addmagIsch'),
    ('hamstrings,hip_extensors', 'bflh140'), ('hamstrings', 'bfsh140'), ('hamstrings,hip_extensors', 'semimem semiten'),
    ('quadriceps,hip_flexors', 'recfem'), ('quadriceps', 'vasmed vasint vaslat140'),
    ('plantarflexors,triceps_surae', 'gasmed gaslat140 soleus'), ('plantarflexors', 'tibpost perlong perbrev'),
    ('dorsiflexors', 'tibant')])
# Piriformis optimal fibre length. The source keeps 2.6 cm (lts 11.5 cm), the value of the Delp
# et al. 1990 lower-limb model (gait2392's peri_r has the same), which Rajagopal et al. 2016 did
# not replace (Ward et al. 2009's cadaver set has no piriformis). Measured with sarcomere-length
# correction, piriformis fibres are 8.37 +- 0.51 cm long (muscle 11.83 cm, 10 hips):
# Parvaresh KC, Chang C, Patel A, Lieber RL, Ball ST, Ward SR (2019) BMC Musculoskelet Disord
# 20:611, Table 1. A 2.6 cm fibre on a path that changes by several cm over the hip's range
# leaves the model's only dedicated external rotator off its force-length plateau; the hip
# rotation moment then falls to reserves and to the psoas (docs/lumbar_audit.md, finding 7).
# The tendon slack length is re-derived so that the path length at which the fibres are at
# their optimal length (lts + lopt cos(pennation)) stays the source's: same operating point.
# fmax: see SHORT_ROTATOR_PCSA_CM2 below.
PIRIFORMIS_LOPT = 0.0837
# Short external rotators. Rajagopal et al. 2016 keep only the piriformis; its 1030 N stood for the whole group.
# The group's other muscles come from the Delp et al. 1990 lower-limb model as carried by the runner's model of
# Hamner & Delp 2013 (gait2392 lineage, --hamner): `gem` (gemelli; the obturator internus leaves the pelvis through
# the lesser sciatic foramen and inserts with them, so its external line of action is theirs) and `quad_fem`
# (quadratus femoris; the obturator externus runs below the femoral neck from the inferior pelvis to the posterior
# femur as it does, and the two act alike, Vaarbakken K et al. 2015, Clin Biomech 30:231). Their attachments are
# mapped into the Rajagopal pelvis and femur by a local least-squares scale and translation fitted on the
# attachments both models share (map_points). Each line's fmax is its physiological cross-section measured with
# sarcomere-length correction in Parvaresh KC, Chang C,
# Patel A, Lieber RL, Ball ST, Ward SR (2019) BMC Musculoskelet Disord 20:611, Table 1 (cm^2): piriformis 2.17;
# superior gemellus 0.68 + obturator internus 3.76 + inferior gemellus 1.02; obturator externus 4.54; times the
# stress that turns that paper's cadaver cross-sections into this model's young-adult strengths: the source's
# gluteus minimus (three fascicles, 1216 N) over the same paper's gluteus minimus (8.29 cm^2), 147 N/cm^2. The
# piriformis gives the same ratio if its source fmax was a volume over its 2.6 cm fibres at the source's 60 N/cm^2
# (44.6 cm^3): 320 N at 8.37 cm fibres, 147 N/cm^2 over its 2.17 cm^2. The quadratus femoris row of that
# table was not readable in the stored copies, so the quadratus femoris's own cross-section is missing.
SHORT_ROTATOR_PCSA_CM2 = dict(piri=2.17, gem=0.68 + 3.76 + 1.02, quad_fem=4.54)
GLMIN_PCSA_CM2 = 8.29
# gem optimal fibre length: the gemelli's, PCSA-weighted (superior 4.85, inferior 5.64 cm; Parvaresh et al. 2019,
# Table 1). Delp 1990's 2.5 cm is as short as its piriformis fibre. The obturator internus (8.77 cm) is not averaged
# in: its fibres lie inside the pelvis, on a path this line does not have. lts: same path length at optimal fibre
# length as the source, scaled by the ratio of the path lengths at the default pose.
GEM_LOPT = (0.68 * 0.0485 + 1.02 * 0.0564) / (0.68 + 1.02)
# Shared attachments used to map points of the Hamner model into the Rajagopal model: (Hamner, Rajagopal) names.
MAP_LANDMARKS = [('glut_max1', 'glmax1'), ('glut_max2', 'glmax2'), ('glut_max3', 'glmax3'), ('glut_med1', 'glmed1'),
                 ('glut_med2', 'glmed2'), ('glut_med3', 'glmed3'), ('glut_min1', 'glmin1'), ('glut_min2', 'glmin2'),
                 ('glut_min3', 'glmin3'), ('add_brev', 'addbrev'), ('add_long', 'addlong'), ('add_mag3', 'addmagIsch'),
                 ('bifemlh', 'bflh140'), ('semimem', 'semimem'), ('semiten', 'semiten'), ('grac', 'grac'),
                 ('iliacus', 'iliacus'), ('rect_fem', 'recfem'), ('sar', 'sart'), ('tfl', 'tfl'), ('peri', 'piri')]
MAP_RADIUS = 0.04   # m, Gaussian weight of a landmark by its distance from the mapped point
# Plantarflexors group: gastrocnemius, soleus, tibialis posterior and the peronei (all cross the
# ankle behind its axis); the toe flexors/extensors are left out with the toes merged into the foot.
# triceps_surae: the muscles of the Achilles tendon, whose tendons are elastic in the default
# tendon model (docs/simulation.md, "Tendons").
# psoas: per lumbar level the largest torso fascicle; hybrid path, see make_psoas()
PSOAS = ['Ps_L1_VB', 'Ps_L2_TP', 'Ps_L3_TP', 'Ps_L4_TP', 'Ps_L5_VB']
# Kept fascicles per trunk group. Each carries, besides its own fmax, the fmax of the dropped source fascicles it
# represents (lump_trunk_fascicles), so each group has the whole cross-section of the source muscle. The fascicles
# marked "+" were added to the first reduced set (one or two per group) because without them the force-weighted
# lumbar moment arms of the group missed those of the full source set by up to 76% (docs/model_format.md).
TRUNK_MUSCLES = table([
    # multifidus: per level the largest fascicle from the vertebra to sacrum/pelvis (L5: m5t_1; m5s has lopt 1.5 cm);
    #   + m1s (L1 -> L4, the short fascicles that do not reach the sacrum)
    ('multifidus,deep_core', 'MF_m1t_3 MF_m2t_3 MF_m3t_2 MF_m4s MF_m5t_1 MF_m1s'),
    # quadratus lumborum: ilium -> L1, L3, L4 and ilium -> 12th rib;
    #   + the 12th-rib -> L2 / L3 fascicles (QL_mid, which do not cross the lower levels) and ilium -> L2
    ('quadratus_lumborum,deep_core', 'QL_post_I_3-L1 QL_post_I_3-L3 QL_post_I_2-L4 QL_ant_I_3-12_1 '
                                     'QL_mid_L2-12_1 QL_mid_L3-12_1 QL_post_I_2-L2'),
    ('erector_spinae_deep,deep_core', 'LTpL_L1 LTpL_L2 LTpL_L3 LTpL_L4 LTpL_L5 IL_L1 IL_L2 IL_L3 IL_L4'),
    # longissimus thoracis pars thoracis: T11 and R11 to the sacrum; + T2 (from L2), T5 (from L4), T7 (sacrum, via
    #   L2 only) and T8 (sacrum, via L4, L3, L2): most of its fascicles end on lumbar vertebrae, not the sacrum
    ('longissimus_thoracis,superficial_back', 'LTpT_T11 LTpT_R11 LTpT_T5 LTpT_T7 LTpT_T2 LTpT_T8'),
    ('iliocostalis,superficial_back', 'IL_R11 IL_R12'),
    ('rectus_abdominis,abdominals', 'rect_abd'),
    # obliques: + E0_R7, E0_R8 (abdominal-wall ends at L3 / L5 height), IO1 (L4 height), IO5 (10th rib)
    ('obliques,abdominals', 'E0_R9 E0_R10 IO2 IO4 E0_R7 IO1 E0_R8 IO5'),
    # latissimus dorsi: + LD_L4
    ('latissimus_dorsi,superficial_back', 'LD_L3 LD_Il LD_L4')])

# The whole source muscle of each trunk group (source names without side, regular expression): what the kept
# fascicles of the group (first group of their `groups`) must carry together.
TRUNK_GROUP_SOURCE = [
    ('psoas', r'Ps_.*'), ('multifidus', r'MF_.*'), ('quadratus_lumborum', r'QL_.*'),
    ('erector_spinae_deep', r'LTpL_.*|IL_L\d+'), ('longissimus_thoracis', r'LTpT_.*'), ('iliocostalis', r'IL_R\d+'),
    ('rectus_abdominis', r'rect_abd'), ('obliques', r'E0_.*|IO\d'), ('latissimus_dorsi', r'LD_.*')]
# A source fascicle whose lumbar moment arms are all below this (m) crosses no lumbar joint of this model (both ends
# on the merged torso, or on L1 and the torso across the welded T12/L1): it acts inside one rigid body here, has no
# moment and no load to give, and is not lumped into a fascicle that would give it one.
NON_CROSSING_ARM = 1e-4

TORSO_FAMILIES = ('Ps', 'rect', 'IL', 'LTpT', 'LTpL', 'QL', 'MF', 'E0', 'IO1', 'IO2', 'IO3', 'IO4', 'IO5', 'IO6', 'LD')
SRC_LEGS = 'Rajagopal et al. 2016, IEEE Trans Biomed Eng 63:2068; Lai et al. 2017, Ann Biomed Eng 45:2762'
SRC_TORSO = 'Allaire et al. 2020 torso as credited (thoracolumbar model of Bruno et al. 2015, J Biomech Eng 137:081003)'
SRC_COUPLING = 'Christophy et al. 2012, Biomech Model Mechanobiol 11:19 (axial rotation as corrected in kinematicPassengerModel)'

# ----------------------------------------------------------------------------- extraction
def raw_points(f, strict=False):
    """(body, location) of the fixed path points of an OpenSim muscle element, in order. Conditional and moving
    points are skipped, or refused when `strict` (a path to be copied must have none)."""
    out = []
    for p in f.find('GeometryPath/PathPointSet/objects'):
        if p.tag != 'PathPoint':
            if strict:
                raise ValueError('%s: only fixed path points are mapped, not %s' % (f.get('name'), p.tag))
            continue
        out.append((p.findtext('socket_parent_frame').split('/')[-1], vec(p.findtext('location'))))
    return out

def map_landmarks(src, dst, body, side):
    """The MAP_LANDMARKS attachments on `body` in both models: (Hamner name, point in src, point in dst), the
    first pelvis point and the last femur point of each muscle."""
    force = lambda m, n: next(x for x in m.model.find('ForceSet/objects') if x.get('name') == n + '_' + side)
    out = []
    for hn, rn in MAP_LANDMARKS:
        pa = [q for b, q in raw_points(force(src, hn)) if b == body]
        pb = [q for b, q in raw_points(force(dst, rn)) if b == body]
        if pa and pb:
            i = 0 if body == 'pelvis' else -1
            out.append((hn, pa[i], pb[i]))
    return out

def map_points(src, dst, body, side, p, leave_out=None):
    """Point p in `body` of model `src` (Hamner) moved into the same body of model `dst` (Rajagopal): weighted
    least-squares scale and translation, fitted on the map_landmarks of that body, each weighted by
    exp(-(d / MAP_RADIUS)^2) with d its distance from p. `leave_out`: a landmark (Hamner name) not to fit on, for
    the leave-one-out check (map_check)."""
    L = [(a, b) for hn, a, b in map_landmarks(src, dst, body, side) if hn != leave_out]
    if len(L) < 4:
        raise ValueError('too few shared attachments on %s to map a point (%d)' % (body, len(L)))
    w = [math.exp(-(norm(sub(a, p)) / MAP_RADIUS) ** 2) + 1e-6 for a, _ in L]
    W = sum(w)
    ca = mul([sum(wi * a[j] for wi, (a, _) in zip(w, L)) for j in range(3)], 1.0 / W)
    cb = mul([sum(wi * b[j] for wi, (_, b) in zip(w, L)) for j in range(3)], 1.0 / W)
    s = (sum(wi * dot(sub(a, ca), sub(b, cb)) for wi, (a, b) in zip(w, L))
         / sum(wi * dot(sub(a, ca), sub(a, ca)) for wi, (a, _) in zip(w, L)))
    return add(mul(sub(p, ca), s), cb)

def map_check(src, dst, side):
    """Leave-one-out error (m) of map_points on every landmark: (body, Hamner name, distance between the landmark
    mapped from the others and the Rajagopal one)."""
    return [(body, hn, norm(sub(map_points(src, dst, body, side, a, leave_out=hn), b)))
            for body in ('pelvis', 'femur_' + side) for hn, a, b in map_landmarks(src, dst, body, side)]

class Extractor:
    def __init__(self, osim, christophy, hamner):
        self.m = osim
        self.ch = christophy
        self.hamner = hamner
        self.our_of = {}
        for b in osim.bodies:
            self.our_of[b] = SPECIAL.get(b) or next(o for a in osim.ancestors(b) for o, s in FRAME.items() if s == a)
        self.X_G = {o: osim.X_G[s] for o, s in FRAME.items()}     # our body frames in ground
        self.X_G['ground'] = IDENT

    def to_our(self, src_body, p, our=None):
        our = our or self.our_of[src_body]
        return our, apply(inv(self.X_G[our]), apply(self.m.X_G[src_body], p))

    # --- mass properties --------------------------------------------------------------------------
    def mass_properties(self):
        src_total = sum(float(b.findtext('mass')) for b in self.m.bodies.values())
        k = REF_MASS / src_total
        out = {}
        for our in FRAME:
            parts = []
            for name, b in self.m.bodies.items():
                if self.our_of[name] != our: continue
                X = compose(inv(self.X_G[our]), self.m.X_G[name])
                I = vec(b.findtext('inertia'))
                Is = [[I[0], I[3], I[4]], [I[3], I[1], I[5]], [I[4], I[5], I[2]]]
                parts.append((float(b.findtext('mass')), apply(X, vec(b.findtext('mass_center'))),
                              mm(mm(X[0], Is), mT(X[0])), name))
            m = sum(p[0] for p in parts)
            c = mul([sum(p[0] * p[1][i] for p in parts) for i in range(3)], 1.0 / m)
            I = [[0.0] * 3 for _ in range(3)]
            for mi, ci, Ii, _ in parts:
                d = sub(ci, c)
                for i in range(3):
                    for j in range(3):
                        I[i][j] += Ii[i][j] + mi * ((dot(d, d) if i == j else 0.0) - d[i] * d[j])
            out[our] = dict(mass=m * k, src_mass=m, com=c, I=[[x * k for x in r] for r in I],
                            parts=[p[3] for p in parts])
        return out, src_total, k

    # --- joints -------------------------------------------------------------------------------------
    def joint_frames(self, src_joint, parent, child, z_axis_in_F=None):
        """Parent frame F of the source joint in our parent body (optionally re-oriented so that its z axis is
        the given axis of F), and the same frame expressed in our child body at the default pose."""
        j = self.m.joints[src_joint]
        pb, X_PF = self.m.offset(j, 'socket_parent_frame')
        X_GF = compose(self.m.X_G[pb], X_PF)
        if z_axis_in_F is not None:
            hint = mv(mT(X_GF[0]), [r[0] for r in self.X_G[parent][0]])   # x axis of our parent body, in F
            z = unit(z_axis_in_F); x = unit(sub(hint, mul(z, dot(hint, z)))); y = cross(z, x)
            X_GF = (mm(X_GF[0], mT([x, y, z])), X_GF[1])
        return compose(inv(self.X_G[parent]), X_GF), compose(inv(self.X_G[child]), X_GF)

    def joints(self):
        J = [dict(name='ground_pelvis', type='free', parent='ground', child='pelvis',
                  coordinates='pelvis_tilt,pelvis_list,pelvis_rotation,pelvis_tx,pelvis_ty,pelvis_tz',
                  Xp=IDENT, Xc=IDENT)]
        ratios = self.christophy_ratios()
        for lvl, p, c in LUMBAR:
            Xp, Xc = self.joint_frames(lvl + '_IVDjnt', p, c)
            J.append(dict(name=lvl, type='gimbal', parent=p, child=c, Xp=Xp, Xc=Xc,
                          axes=self.axes_of(lvl + '_IVDjnt'), ratios=ratios[lvl]))
        Xp, Xc = self.joint_frames('T12_L1_IVDjnt', 'L1', 'torso')
        J.append(dict(name='T12_L1', type='weld', parent='L1', child='torso', Xp=Xp, Xc=Xc))
        for s in 'rl':
            Xp, Xc = self.joint_frames('hip_' + s, 'pelvis', 'femur_' + s)
            J.append(dict(name='hip_' + s, type='gimbal', parent='pelvis', child='femur_' + s, Xp=Xp, Xc=Xc,
                          axes='z,x,y' if s == 'r' else 'z,-x,-y',
                          coordinates='hip_flexion_%s,hip_adduction_%s,hip_rotation_%s' % (s, s, s)))
            Xp, Xc = self.knee_frames(s)
            J.append(dict(name='knee_' + s, type='pin', parent='femur_' + s, child='tibia_' + s, Xp=Xp, Xc=Xc,
                          axes='z', coordinates='knee_angle_' + s))
            Xp, Xc = self.joint_frames('ankle_' + s, 'tibia_' + s, 'foot_' + s, [0, 0, 1])
            J.append(dict(name='ankle_' + s, type='pin', parent='tibia_' + s, child='foot_' + s, Xp=Xp, Xc=Xc,
                          axes='z', coordinates='ankle_angle_' + s))
        return J

    def knee_frames(self, s):
        """Knee: Rajagopal flexion is +rotation about the walker-knee rotation1 axis; our z = minus that axis, so
        knee_angle < 0 in flexion (gait2392). Pin at the walker-knee rotation centre, translations dropped."""
        ax = vec(self.m.joints['walker_knee_' + s].find('SpatialTransform')[0].findtext('axis'))
        return self.joint_frames('walker_knee_' + s, 'femur_' + s, 'tibia_' + s, mul(ax, -1.0))

    def patella_point(self, s, p):
        """A patella path point as a moving point on our tibia: (our tibia body, position at knee 0, table). The
        source places the patella relative to the femur by the patellofemoral CustomJoint, a function of its knee
        angle (coupled 1:1); at each knot (our sign: source angle = -ours) the point goes patella -> femur by
        that joint (SimmSplines evaluated exactly, linear extrapolation past 120 deg as in OpenSim), then
        femur -> our tibia through our knee pin at that angle."""
        j = self.m.joints['patellofemoral_' + s]
        beta = j.find('coordinates/Coordinate').get('name')
        _, X_FemF = self.m.offset(j, 'socket_parent_frame')
        _, X_PatM = self.m.offset(j, 'socket_child_frame')
        Xp, Xc = self.knee_frames(s)
        table = []
        for k in PATELLA_KNOTS_DEG:
            X_FemPat = compose(compose(X_FemF, self.m.mobilizer(j, {beta: -math.radians(k)}, cubic=True)), inv(X_PatM))
            X_TibFem = compose(compose(Xc, (mT(rot([0, 0, 1], math.radians(k))), [0.0, 0.0, 0.0])), inv(Xp))
            table.append(apply(X_TibFem, apply(X_FemPat, p)))
        return 'tibia_' + s, table[-1], dict(coordinate='knee_angle_' + s, knots_deg=PATELLA_KNOTS_DEG, table=table)

    def axes_of(self, src_joint):
        letters = []
        for ta in list(self.m.joints[src_joint].find('SpatialTransform'))[:3]:
            a = vec(ta.findtext('axis')); i = max(range(3), key=lambda k: abs(a[k]))
            assert abs(abs(a[i]) - 1) < 1e-9, 'oblique axis in ' + src_joint
            letters.append(('-' if a[i] < 0 else '') + 'xyz'[i])
        return ','.join(letters)

    def christophy_ratios(self):
        """Per level (ext, bend, rot) ratios: L4/L5..L1/L2 from the coupler constraints, L5/S1 = 1 - rest."""
        r = {lvl: [0.0, 0.0, 0.0] for lvl, _, _ in LUMBAR}
        for c in self.ch.find('ConstraintSet/objects'):
            lvl, kind = c.get('name').rsplit('_', 2)[0], c.get('name').split('_')[-2]
            r[lvl]['FE LB AR'.split().index(kind)] = vec(c.find('.//coefficients').text)[0]
        r['L5_S1'] = [1.0 - sum(r[l][i] for l, _, _ in LUMBAR[1:]) for i in range(3)]
        return r

    def christophy_range(self, name):
        c = next(c for c in self.ch.iter('Coordinate') if c.get('name') == name)
        return [math.degrees(x) for x in vec(c.findtext('range'))]

    def coordinates(self):
        """(name, unit, [lo, hi]) in deg or m: source ranges, knee sign flipped, lumbar from Christophy."""
        src = lambda n: vec(next(c for c in self.m.model.iter('Coordinate') if c.get('name') == n).findtext('range'))
        deg = lambda n: [math.degrees(x) for x in src(n)]
        C = [(n, 'deg', deg(n)) for n in ('pelvis_tilt', 'pelvis_list', 'pelvis_rotation')]
        C += [(n, 'm', src(n)) for n in ('pelvis_tx', 'pelvis_ty', 'pelvis_tz')]
        C += [('lumbar_' + n, 'deg', self.christophy_range(c)) for n, c in
              (('extension', 'flex_extension'), ('bending', 'lat_bending'), ('rotation', 'axial_rotation'))]
        for s in 'rl':
            C += [(n + s, 'deg', deg(n + s)) for n in ('hip_flexion_', 'hip_adduction_', 'hip_rotation_')]
            lo, hi = deg('knee_angle_' + s)
            C += [('knee_angle_' + s, 'deg', [-hi, -lo]), ('ankle_angle_' + s, 'deg', deg('ankle_angle_' + s))]
        return C

    # --- muscles ------------------------------------------------------------------------------------
    def force(self, name): return next(f for f in self.m.model.find('ForceSet/objects') if f.get('name') == name)

    def abdomen_body(self, pG):
        """Abdomen (abdominal wall) points: the lumbar segment at the same height (IVD centres as limits)."""
        levels = [('pelvis', 'L5_S1'), ('L5', 'L4_L5'), ('L4', 'L3_L4'), ('L3', 'L2_L3'), ('L2', 'L1_L2'), ('L1', 'T12_L1')]
        for body, lvl in levels:
            j = self.m.joints[lvl + '_IVDjnt']; pb, X = self.m.offset(j, 'socket_parent_frame')
            if pG[1] < apply(compose(self.m.X_G[pb], X), [0, 0, 0])[1]: return body
        return 'torso'

    def path(self, f):
        pts = []
        for p in f.find('GeometryPath/PathPointSet/objects'):
            body = p.findtext('socket_parent_frame').split('/')[-1]
            if p.tag == 'ConditionalPathPoint':
                lo, hi = vec(p.findtext('range'))
                if not lo <= self.m.coord[p.findtext('socket_coordinate').split('/')[-1]] <= hi: continue
            if p.tag == 'MovingPathPoint':
                loc = [eval_function(p.find(k)[0], self.m.coord[p.findtext('socket_%s_coordinate' % k).split('/')[-1]])
                       for k in ('x_location', 'y_location', 'z_location')]
            else:
                loc = vec(p.findtext('location'))
            if body in ('patella_r', 'patella_l'):
                pts.append(self.patella_point(body[-1], loc)); continue
            our = self.abdomen_body(apply(self.m.X_G[body], loc)) if body == 'Abdomen' else None
            pts.append(self.to_our(body, loc, our))
        return pts

    def src_bodies(self, f):
        return [p.findtext('socket_parent_frame').split('/')[-1] for p in f.find('GeometryPath/PathPointSet/objects')]

    def muscle(self, src, groups, side):
        f = self.force(src)
        pts = self.path(f)
        m = dict(name=src.lower().replace('-', '_'), side=side, groups=groups, src=src, pts=pts,
                 fmax=float(f.findtext('max_isometric_force')), lopt=float(f.findtext('optimal_fiber_length')),
                 lts=float(f.findtext('tendon_slack_length')),
                 penn=math.degrees(float(f.findtext('pennation_angle_at_optimal'))),
                 wraps=self.wraps(f, pts), on_pelvis='pelvis' in self.src_bodies(f))
        m['src_lts'] = m['lts']
        return m

    def fix_piriformis(self, m):
        """Optimal fibre length PIRIFORMIS_LOPT (Parvaresh et al. 2019); lts keeps the source's path length
        at optimal fibre length."""
        c = math.cos(math.radians(m['penn']))
        m['lts'] = m['lts'] + (m['lopt'] - PIRIFORMIS_LOPT) * c
        m['src_lts'] = m['lts']   # the summary's "source lts" column is for the retuned torso fascicles
        m['src_lopt'] = m['lopt']
        m['lopt'] = PIRIFORMIS_LOPT

    def short_rotators(self, M):
        """Add the gemelli and quadratus femoris lines of the Hamner model to each side, after the piriformis, and
        give all three the fmax of their cross-sections (SHORT_ROTATOR_PCSA_CM2) at the gluteus minimus's stress."""
        for s in 'rl':
            piri = next(m for m in M if m['src'] == 'piri_' + s)
            stress = sum(m['fmax'] for m in M if m['src'] in ('glmin1_' + s, 'glmin2_' + s, 'glmin3_' + s)) / GLMIN_PCSA_CM2
            f_src = piri['fmax']
            at = M.index(piri)
            for n in ('gem', 'quad_fem'):
                hm = self.hamner
                f = next(x for x in hm.model.find('ForceSet/objects') if x.get('name') == n + '_' + s)
                raw = raw_points(f, strict=True)
                if [b for b, _ in raw] != ['pelvis', 'femur_' + s]:
                    raise ValueError('%s_%s: expected one pelvis and one femur point, got %s' % (n, s, raw))
                L_src = norm(sub(apply(hm.X_G[raw[1][0]], raw[1][1]), apply(hm.X_G[raw[0][0]], raw[0][1])))
                pts = [self.to_our(body, map_points(hm, self.m, body, s, loc)) for body, loc in raw]
                L = path_length(pts, [], self.X_G)
                lopt_src, lts_src = float(f.findtext('optimal_fiber_length')), float(f.findtext('tendon_slack_length'))
                penn = math.degrees(float(f.findtext('pennation_angle_at_optimal')))
                k = L / L_src
                c = math.cos(math.radians(penn))
                lopt = GEM_LOPT if n == 'gem' else lopt_src * k
                lts = (lts_src + lopt_src * c) * k - lopt * c
                at += 1
                M.insert(at, dict(name=n + '_' + s, side=s, groups='hip_rotators', src=n + '_' + s, pts=pts,
                                  fmax=stress * SHORT_ROTATOR_PCSA_CM2[n], lopt=lopt, lts=lts, src_lts=lts,
                                  penn=penn, wraps=[], on_pelvis=True,
                                  short_rotator=dict(k=k, lopt_src=lopt_src, lts_src=lts_src, stress=stress)))
            piri['fmax'] = stress * SHORT_ROTATOR_PCSA_CM2['piri']
            piri['short_rotator'] = dict(stress=stress, fmax_src=f_src)

    def make_psoas(self, src, side):
        """Hybrid psoas: vertebral origin of the torso fascicle + the Rajagopal psoas path from the pelvic brim to
        the lesser trochanter with its brim cylinder (the torso fascicle ends on the pelvis and would not cross the
        hip). Hill parameters of the torso fascicle; lts re-derived by retune_lts()."""
        m = self.muscle(src + '_' + side, 'psoas,hip_flexors,deep_core', side)
        leg = self.force('psoas_' + side)
        m['pts'] = [m['pts'][0]] + self.path(leg)[1:]
        m['wraps'] = self.wraps(leg, m['pts'])
        return m

    def torso_reference_fibre_length(self):
        """Median default-pose normalised fibre length of the source torso fascicles that do not touch the
        Rajagopal pelvis (their parameters fit the geometry: all lie in 0.76-1.04)."""
        v = []
        for f in self.m.model.find('ForceSet/objects'):
            n = f.get('name')
            if n.split('_')[0] in TORSO_FAMILIES and n[-2:] in ('_r', '_l') and 'pelvis' not in self.src_bodies(f):
                m = dict(lopt=float(f.findtext('optimal_fiber_length')), lts=float(f.findtext('tendon_slack_length')),
                         penn=math.degrees(float(f.findtext('pennation_angle_at_optimal'))))
                v.append(fibre_norm(path_length(self.path(f), [], self.X_G), m))
        v.sort()
        return v[len(v) // 2], len(v)

    def retune_lts(self, m, target):
        """Torso fascicles attached to the Rajagopal pelvis are 1.2-3.3 lopt long at the default pose in the
        source (parameters not re-fitted after the torso was grafted on): give them the tendon slack length that
        puts the fibres at the torso model's own reference length `target`."""
        L = path_length(m['pts'], m['wraps'], self.X_G)
        s = math.sin(math.radians(m['penn']))
        m['lts'] = L - m['lopt'] * math.sqrt(target ** 2 - s ** 2)

    def wraps(self, f, pts):
        out = []
        for pw in f.findall('GeometryPath/PathWrapSet/objects/PathWrap'):
            wname = pw.findtext('wrap_object')
            body, w = next((b, w) for b, e in self.m.bodies.items() for w in e.iter() if w.get('name') == wname)
            if w.tag != 'WrapCylinder':
                raise ValueError('non-cylinder wrap %s on %s: handle explicitly' % (wname, f.get('name')))
            Xw = compose(self.m.X_G[body], xf(euler_xyz(vec(w.findtext('xyz_body_rotation'))), vec(w.findtext('translation'))))
            our = self.our_of[body]
            Xo = compose(inv(self.X_G[our]), Xw)
            a, b = [int(x) for x in (pw.findtext('range') or '-1 -1').split()]
            segs = list(range(0 if a < 1 else a - 1, (len(pts) - 2 if b < 1 else min(b - 2, len(pts) - 2)) + 1))
            segs = [i for i in segs if pts[i][0] != pts[i + 1][0]] or segs   # prefer segments crossing a joint
            g = [apply(self.X_G[pt[0]], pt[1]) for pt in pts]
            best = None
            for i in segs:                            # segment passing closest to the axis (within the length)
                for k in range(201):
                    q = apply(inv(Xw), add(g[i], mul(sub(g[i + 1], g[i]), k / 200.0)))
                    d = math.hypot(q[0], q[1]) + max(0.0, abs(q[2]) - 0.5 * float(w.findtext('length')))
                    if best is None or d < best[0]: best = (d, i, k / 200.0, q)
            quad = (w.findtext('quadrant') or 'all').strip().lower()
            if quad in ('all', ''):
                s_local = unit([best[3][0], best[3][1], 0.0])
            else:
                s_local = [0.0, 0.0, 0.0]; s_local['xyz'.index(quad[-1])] = -1.0 if quad[0] == '-' else 1.0
            out.append(dict(name=wname.lower(), body=our, center=Xo[1], axis=mv(Xo[0], [0, 0, 1]),
                            side=mv(Xo[0], s_local), radius=float(w.findtext('radius')), seg=best[1], t=best[2],
                            dist=best[0], quadrant=quad, length=float(w.findtext('length'))))
        return sorted(out, key=lambda w: (w['seg'], w['t']))

    # --- lumbar moment arms and lumping of dropped trunk fascicles ---------------------------------------
    def lumbar_axes(self):
        """Per lumbar level (L5_S1 first): joint centre and the extension and bending axes (signed as our joint's
        first and second gimbal axes) in ground at the default pose, and the bodies above the level."""
        chain = [c for _, _, c in LUMBAR] + ['torso']
        out = []
        for k, (lvl, p, c) in enumerate(LUMBAR):
            Xp, _ = self.joint_frames(lvl + '_IVDjnt', p, c)
            R, o = compose(self.X_G[p], Xp)
            axes = []
            for letter in self.axes_of(lvl + '_IVDjnt').split(',')[:2]:
                i = 'xyz'.index(letter[-1]); sgn = -1.0 if letter[0] == '-' else 1.0
                axes.append([sgn * R[r][i] for r in range(3)])
            out.append((lvl, o, axes, chain[k:]))
        return out

    def lumbar_arms(self, pts, wraps=()):
        """Moment arms (m) at the default (neutral) pose, [L5_S1 extension, L5_S1 bending, L4_L5 extension, ...,
        L1_L2 bending]: r = -dL/dq by central differences, q = rotation of every body above the level about the
        level's axis through its joint centre. Straight segments between path points (and the cylinders in `wraps`;
        the source torso fascicles have none), i.e. what CoreStride computes at that pose."""
        h, out = 1e-4, []
        for _, o, axes, distal in self.lumbar_axes():
            for a in axes:
                L = []
                for q in (h, -h):
                    R = rot(a, q); X = dict(self.X_G)
                    for b in distal:
                        X[b] = (mm(R, self.X_G[b][0]), add(mv(R, sub(self.X_G[b][1], o)), o))
                    L.append(path_length(pts, list(wraps), X))
                out.append(-(L[0] - L[1]) / (2 * h))
        return out

    def lump_trunk_fascicles(self, M):
        """Give each kept trunk fascicle (fmax already x TRUNK_STRESS_SCALE) the fmax of the dropped source fascicles
        it represents, so that each group of TRUNK_GROUP_SOURCE carries the whole source muscle. Rule: per side and
        group, each dropped fascicle goes to the kept fascicle whose lumbar moment-arm profile (extension and
        lateral bending at the five levels, neutral posture, source paths) is nearest in the least-squares sense;
        that keeps the group's force-weighted moment arms at every level close to those of the full set. Dropped
        fascicles that cross no lumbar joint of this model (NON_CROSSING_ARM) are left out and listed. Returns
        the per-group report: source totals and the force-weighted moment arms, full set vs this model."""
        forces = [f for f in self.m.model.find('ForceSet/objects') if f.find('max_isometric_force') is not None]
        report = []
        for g, pattern in TRUNK_GROUP_SOURCE:
            for s in 'rl':
                src = [f for f in forces if f.get('name').endswith('_' + s) and re.fullmatch(pattern, f.get('name')[:-2])]
                kept = [m for m in M if m['side'] == s and m['groups'].split(',')[0] == g]
                arms = {f.get('name'): self.lumbar_arms(self.path(f)) for f in src}
                raw = {f.get('name'): float(f.findtext('max_isometric_force')) for f in src}
                assert kept and all(m['src'] in arms for m in kept), g
                for m in kept: m['own_raw'], m['lumped'] = raw[m['src']], []
                excluded = []
                for n in sorted(arms, key=lambda n: [f.get('name') for f in src].index(n)):
                    if any(m['src'] == n for m in kept): continue
                    if max(abs(r) for r in arms[n]) < NON_CROSSING_ARM:
                        excluded.append((n, raw[n])); continue
                    rep = min(kept, key=lambda m: sum((a - b) ** 2 for a, b in zip(arms[n], arms[m['src']])))
                    rep['lumped'].append((n, raw[n]))
                    rep['fmax'] += raw[n] * TRUNK_STRESS_SCALE
                full = [sum(raw[n] * TRUNK_STRESS_SCALE * arms[n][i] for n in arms) for i in range(10)]
                model, lumped = [0.0] * 10, [0.0] * 10
                for m in kept:
                    a = self.lumbar_arms(m['pts'], m['wraps'])
                    model = [model[i] + m['fmax'] * a[i] for i in range(10)]
                    lumped = [lumped[i] + m['fmax'] * arms[m['src']][i] for i in range(10)]
                report.append(dict(group=g, side=s, n_src=len(src), n_kept=len(kept), raw_total=sum(raw.values()),
                                   excluded=excluded, model_total=sum(m['fmax'] for m in kept), full=full, lumped=lumped,
                                   model=model))
        return report

    def muscles(self, retune=True):
        M = []
        for s in 'rl':
            M += [self.muscle(n + '_' + s, g, s) for n, g in LEG_MUSCLES]
            M += [self.make_psoas(n, s) for n in PSOAS]
            M += [self.muscle(n + '_' + s, g, s) for n, g in TRUNK_MUSCLES]
        for m in M:
            if m['src'].startswith('piri_'): self.fix_piriformis(m)
        self.short_rotators(M)
        self.ref_fibre = self.torso_reference_fibre_length()
        for m in M:
            m['torso'] = m['src'].split('_')[0] in TORSO_FAMILIES
            if retune and m['torso'] and m['on_pelvis']:
                self.retune_lts(m, self.ref_fibre[0])
            if m['torso'] or m['src'].startswith('Ps_'):
                m['fmax'] *= TRUNK_STRESS_SCALE
        self.lumping = self.lump_trunk_fascicles(M)
        return M

# ----------------------------------------------------------------------------- output
def fmt(v, nd=5):
    out = []
    for x in (v if isinstance(v, (list, tuple)) else [v]):
        s = '%.*f' % (nd, x)
        out.append('0' if float(s) == 0 else s.rstrip('0').rstrip('.'))
    return ','.join(out)

def frame_fields(X, which):
    return 'location_in_%s=%s orientation_in_%s_deg=%s' % (
        which, fmt(X[1]), which, fmt([math.degrees(a) for a in to_euler_xyz(X[0])], 4))

def wrap_comment(text, width=118):
    """A '#' comment, broken at spaces into lines of at most `width` characters (continuations indented)."""
    lines, cur = [], '#'
    for word in text.split(' '):
        if len(cur) + 1 + len(word) > width and cur.strip() != '#':
            lines.append(cur); cur = '#  '
        cur += ' ' + word
    return '\n'.join(lines + [cur])

LEVEL_NAMES = [l for l, _, _ in LUMBAR]

def write_lumping(report, w):
    """Comment block: group totals (source vs model) and force-weighted lumbar moment arms (full set vs model)."""
    w()
    w('# Trunk groups: the kept fascicles carry the whole source muscle (lumping, docs/model_format.md).')
    w(wrap_comment('  Source: fmax of every fascicle of the group in cyclistFullBodyMuscle.osim (100 N/cm^2), %s; the model:'
                   ' x%g (Burkhart et al. 2018, J Orthop Res 36:498).' % (SRC_TORSO, TRUNK_STRESS_SCALE)))
    w('#   Each dropped fascicle is lumped into the kept fascicle of its group and side whose lumbar moment-arm')
    w('#   profile (extension and lateral bending at L5/S1..L1/L2, neutral posture) is nearest (least squares).')
    w('#   Fascicles crossing no lumbar joint of this model (both ends on the merged torso, or L1 -> torso across')
    w('#   the welded T12/L1) act inside one rigid body here and are left out, listed below.')
    w('# %-21s %9s %14s %18s %15s %12s' % ('group', 'fasc/side', 'source N, both', 'left out N, both', 'x0.755 target', 'model N'))
    for g, _ in TRUNK_GROUP_SOURCE:
        rs = [r for r in report if r['group'] == g]
        raw = sum(r['raw_total'] for r in rs); ex_ = sum(f for r in rs for _, f in r['excluded'])
        w('# %-21s %4d -> %-2d %14.1f %18.1f %15.1f %12.1f' % (g, rs[0]['n_src'], rs[0]['n_kept'], raw, ex_,
                                                             (raw - ex_) * TRUNK_STRESS_SCALE, sum(r['model_total'] for r in rs)))
    for r in report:
        if r['side'] == 'r' and r['excluded']:
            w(wrap_comment('  left out (%s, per side): %s' % (r['group'], ', '.join('%s %s N' % (n[:-2], fmt(f, 1)) for n, f in r['excluded']))))
    w('# Force-weighted lumbar moment arms, right side, neutral posture: sum over the group of fmax x moment arm (N m;')
    w('#   + = extension / bending to the right). full: every source fascicle (x0.755); lumped: the kept fascicles')
    w('#   with their lumped fmax on their source paths (the lumping alone); model: as emitted here (differs from')
    w('#   lumped only for the psoas, whose emitted path runs over the pelvic brim to the femur). diff = model vs')
    w('#   full, in % of full (in N m where |full| < 5 N m). Moment arm = -dL/dq, straight segments between points.')
    w('# %-21s %-6s %8s %7s %7s %8s %9s %7s %7s %8s' % ('group', 'level', 'ext full', 'lumped', 'model', 'diff',
                                                       'bend full', 'lumped', 'model', 'diff'))
    pct = lambda f, m: ('%+6.1f%%' % (100 * (m - f) / f)) if abs(f) >= 5 else '%+5.1fNm' % (m - f)
    for r in report:
        if r['side'] != 'r': continue
        for k, lvl in enumerate(LEVEL_NAMES):
            f, l, m = [[r[key][2 * k + d] for d in (0, 1)] for key in ('full', 'lumped', 'model')]
            if max(abs(x) for x in f + m) < 0.05: continue
            w('# %-21s %-6s %8.1f %7.1f %7.1f %8s %9.1f %7.1f %7.1f %8s' % (
                r['group'], lvl, f[0], l[0], m[0], pct(f[0], m[0]), f[1], l[1], m[1], pct(f[1], m[1])))

def write(ex, out, err, retune=True):
    bodies, src_total, k = ex.mass_properties()
    joints, coords, muscles = ex.joints(), ex.coordinates(), ex.muscles(retune)
    w = lambda s='': out.write(s + '\n')
    w('# CoreStride trunk-and-hip model, format version 1 (docs/model_format.md).')
    w('# GENERATED by scripts/extract_model.py -- do not edit by hand; rerun the script instead.')
    w('# Numbers (facts) extracted from public MIT-licensed OpenSim models, no model text copied:')
    w('#   cyclistFullBodyMuscle.osim, Copyright (c) 2021 ross-wilkinson (opensim-model-fullBodyMuscleActuated):')
    w('#     pelvis and legs: ' + SRC_LEGS)
    w('#     sacrum, lumbar vertebrae, torso, trunk muscles: ' + SRC_TORSO)
    w('#     (the .osim credits "Allaire et al."; its <publications> field is empty)')
    w('#   Christophy2012_axialRotationUpd_skeletonOnly.osim, Copyright (c) 2024 mjhmilla (kinematicPassengerModel):')
    w('#     lumbar coupling ratios and lumbar ranges: ' + SRC_COUPLING)
    w('#   Hamner2010_v4_subject01.osim, Copyright (c) 2021 Functional Biomechanics Laboratory, Colorado School of Mines')
    w('#     (twsa-optimization-for-rra; Hamner & Delp 2013, J Biomech 46:780, gait2392 lineage, Delp et al. 1990):')
    w('#     gemelli and quadratus femoris attachments and quadratus femoris fibre and tendon lengths')
    w('# Frames: OpenSim convention (x anterior, y superior, z to the right), all bodies placed at the source')
    w('# default pose. Masses and inertias scaled x%.5f (source %.3f kg -> %g kg); lengths and muscle' % (k, src_total, REF_MASS))
    w('# parameters unscaled (the source file does not state its subject height).')
    w()
    w('model trunk_hip reference_mass=%g reference_height=%g' % (REF_MASS, REF_HEIGHT))
    w()
    w('# Source: CoreStride grouping; deep core as defined by Raabe & Chaudhari 2018, J Biomech 67:26')
    for g, d in GROUPS: w('group %s description=%s' % (g, d))
    w()
    w('# Source: %s (pelvis, legs); %s (spine, torso).' % (SRC_LEGS, SRC_TORSO))
    w('# Composite bodies (parallel-axis theorem) at the default pose; our frame = source frame named:')
    for o, b in bodies.items():
        w('#   %-7s frame=%-10s merges %s' % (o, FRAME[o], ' '.join(b['parts'])))
    for o, b in bodies.items():
        I = b['I']
        w('body %s mass=%s com=%s inertia=%s' % (o, fmt(b['mass'], 4), fmt(b['com']),
                                                 fmt([I[0][0], I[1][1], I[2][2], I[0][1], I[0][2], I[1][2]], 6)))
    w()
    w('# Source: joint frames: %s; %s.' % (SRC_LEGS, SRC_TORSO))
    w('# Lumbar ratios (ext,bend,rot): ' + SRC_COUPLING + '; L5/S1 = 1 - other levels.')
    w('# Knee: pin at the walker-knee rotation centre, its translations and secondary rotations dropped;')
    w('#   axis = minus the Rajagopal flexion axis, so knee_angle < 0 is flexion (gait2392 sign).')
    w('# T12/L1 welded at the default pose; subtalar and mtp locked at default (foot = talus+calcn+toes).')
    for j in joints:
        s = 'joint %s type=%s parent=%s child=%s %s %s' % (j['name'], j['type'], j['parent'], j['child'],
                                                         frame_fields(j['Xp'], 'parent'), frame_fields(j['Xc'], 'child'))
        if 'axes' in j: s += ' axes=' + j['axes']
        if 'coordinates' in j: s += ' coordinates=' + j['coordinates']
        if 'ratios' in j:
            s += ' coupled=lumbar_extension,lumbar_bending,lumbar_rotation ratios=' + fmt(j['ratios'], 5)
        w(s)
    w()
    w('# Source: ranges: %s (knee sign flipped to gait2392); lumbar: %s.' % (SRC_LEGS, SRC_COUPLING))
    for n, u, (lo, hi) in coords:
        w('coordinate %s range%s=%s%s' % (n, '_deg' if u == 'deg' else '', fmt([lo, hi], 3 if u == 'deg' else 4),
                                          ' default_deg=0' if u == 'deg' else ''))
    w()
    w('# Source: linear per-level stiffness, N m/rad: flexion 3.6, extension 5.1, bending 4.0, rotation')
    w('#   8.4 N m/deg, mid-ranges of intact lumbar segments compiled in PMC4844119 Table 3 (Schmidt et al.')
    w('#   2007; Miller et al. 1986, J Biomech 19:79). Elastic-zone values: stiffer than the neutral zone.')
    for j in joints:
        if 'ratios' in j:
            ks = {d: v * 180.0 / math.pi for d, v in LUMBAR_STIFFNESS_NM_PER_DEG.items()}
            w('lumbar_stiffness %s flexion=%s extension=%s bending=%s rotation=%s' % (
                j['name'], fmt(ks['flexion'], 1), fmt(ks['extension'], 1), fmt(ks['bending'], 1), fmt(ks['rotation'], 1)))
    w()
    w('# Source: WrapCylinder objects, %s; moved into our body frames.' % SRC_LEGS)
    w('# side = the OpenSim quadrant axis; quadrant "all": the side the path lies on at the default pose.')
    seen = {}
    for m in muscles:
        for wr in m['wraps']:
            if wr['name'] in seen: continue
            seen[wr['name']] = wr
            w('wrap %s type=cylinder body=%s center=%s axis=%s radius=%s side=%s' % (
                wr['name'], wr['body'], fmt(wr['center']), fmt(wr['axis'], 6), fmt(wr['radius']), fmt(wr['side'], 6)))
    write_lumping(ex.lumping, w)
    block = None
    for m in muscles:
        kind = 'psoas' if m['src'].startswith('Ps_') else ('torso' if m['torso'] else 'legs')
        if kind != block:
            block = kind
            w()
            if kind == 'legs':
                w('# Source: %s.' % SRC_LEGS)
                w('# Quadriceps patella points: moving points on the tibia (which carries the patella mass), every')
                w('#   10 deg of knee angle, from the source patellofemoral joint (patella pose relative to the femur')
                w('#   as a function of knee angle; splines past 120 deg extrapolated linearly as in OpenSim) and')
                w('#   our knee pin; `at` = the value at knee angle 0. Knee extensor cylinders stay on the segment')
                w('#   that ends at the first patella point, as in the source.')
            elif kind == 'psoas':
                w('# Source: psoas origins and fmax, lopt, penn: %s;' % SRC_TORSO)
                w('#   brim-to-lesser-trochanter path and brim cylinder: %s.' % SRC_LEGS)
                w('#   fmax x0.755 (Burkhart et al. 2018, J Orthop Res 36:498), see the trunk block below.')
            else:
                w('# Source: %s. Points of the Abdomen body (abdominal wall) moved to the' % SRC_TORSO)
                w('#   lumbar segment at the same height.')
                w('#   fmax x0.755: maximal muscle stress 75.5 instead of 100 N/cm^2, Burkhart et al. 2018,')
                w('#   J Orthop Res 36:498 (also applied to the psoas fascicles above).')
            if kind != 'legs' and retune:
                w('# lts of fascicles attached to the Rajagopal pelvis re-derived so that the default-pose fibre')
                w('#   length is %.3f lopt, the median of the source torso fascicles not touching the pelvis.' % ex.ref_fibre[0])
        if m.get('lumped'):
            w(wrap_comment('fmax = %g x (own %s N + lumped %s) = %s N' % (TRUNK_STRESS_SCALE, fmt(m['own_raw'], 1), ', '.join(
                '%s %s N' % (n[:-2], fmt(f, 1)) for n, f in m['lumped']), fmt(m['fmax'], 1))))
        sr = m.get('short_rotator')
        if sr:
            n = m['src'][:-2]
            w(wrap_comment('fmax: %s cm^2 (Parvaresh et al. 2019, BMC Musculoskelet Disord 20:611, Table 1) x %s N/cm^2 '
                           '(source gluteus minimus fmax over its 8.29 cm^2 in the same table)%s' % (
                               fmt(SHORT_ROTATOR_PCSA_CM2[n], 2), fmt(sr['stress'], 1),
                               '; source fmax %s N' % fmt(sr['fmax_src'], 1) if 'fmax_src' in sr else '')))
        if sr and 'k' in sr:
            what = ('gemelli, carrying the obturator internus' if m['src'].startswith('gem')
                    else 'quadratus femoris, carrying the obturator externus')
            w(wrap_comment('%s: path of Delp et al. 1990 via Hamner & Delp 2013, J Biomech 46:780, mapped into this '
                           'pelvis and femur (extract_model.py, map_points)' % what))
            if m['src'].startswith('gem'):
                w(wrap_comment('lopt: the gemelli\'s fibre length, PCSA-weighted (4.85 and 5.64 cm, same table; source '
                               '%s m); lts: the source path length at optimal fibre length x %s (path length here over '
                               'source at the default pose)' % (fmt(sr['lopt_src'], 5), fmt(sr['k'], 4))))
            else:
                w(wrap_comment('lopt, lts: source (Delp et al. 1990) x %s, the path length here over the source\'s at '
                               'the default pose' % fmt(sr['k'], 4)))
        if m.get('src_lopt'):
            w('# lopt: piriformis fibre length 8.37 cm, Parvaresh et al. 2019, BMC Musculoskelet Disord 20:611')
            w('#   (source %s m, from Delp et al. 1990); lts re-derived: same path length at optimal fibre length.'
              % fmt(m['src_lopt'], 5))
        w('muscle %s side=%s groups=%s fmax=%s lopt=%s lts=%s penn_deg=%s' % (
            m['name'], m['side'], m['groups'], fmt(m['fmax'], 1), fmt(m['lopt'], 5), fmt(m['lts'], 5), fmt(m['penn'], 2)))
        for pt in m['pts']:
            if len(pt) == 2:
                w('point body=%s at=%s' % (pt[0], fmt(pt[1])))
            else:
                mv_ = pt[2]
                w('point body=%s at=%s moving=%s knots_deg=%s xs=%s ys=%s zs=%s' % (
                    pt[0], fmt(pt[1], 6), mv_['coordinate'], ','.join('%d' % k for k in mv_['knots_deg']),
                    *[fmt([r[i] for r in mv_['table']], 6) for i in range(3)]))
        for wr in m['wraps']: w('wrapref %s between=%d,%d' % (wr['name'], wr['seg'], wr['seg'] + 1))

    # ---- summary to stderr
    e = lambda s='': err.write(s + '\n')
    e('source total mass %.3f kg -> scaled x%.5f to %.1f kg' % (src_total, k, REF_MASS))
    e('%-7s %7s %7s  %-24s %s' % ('body', 'src kg', 'kg', 'com (m)', 'Ixx Iyy Izz (kg m^2, scaled)'))
    for o, b in bodies.items():
        e('%-7s %7.3f %7.3f  %-24s %s' % (o, b['src_mass'], b['mass'], fmt(b['com'], 4),
                                         ' '.join('%.4f' % b['I'][i][i] for i in range(3))))
    e('total   %7.3f %7.3f' % (sum(b['src_mass'] for b in bodies.values()), sum(b['mass'] for b in bodies.values())))
    e('Hamner -> Rajagopal attachment map, right side, leave-one-out error (cm): ' + ', '.join(
        '%s %s %.1f' % (b.split('_')[0], n, 100 * d) for b, n, d in map_check(ex.hamner, ex.m, 'r')))
    e('muscles %d (%d per side), wrap cylinders %d; torso reference fibre length %.3f lopt (median of %d)'
      % (len(muscles), len(muscles) // 2, len(seen), ex.ref_fibre[0], ex.ref_fibre[1]))
    e('right side at default pose: L = musculotendon length, lf = normalised fibre length, * = outside 0.5..1.6')
    for m in muscles:
        if m['side'] != 'r': continue
        L = path_length(m['pts'], m['wraps'], ex.X_G)
        src = dict(m, lts=m['src_lts'])
        e('  %-17s fmax=%6.1f L=%.4f lf=%.2f%s%s %s' % (
            m['name'], m['fmax'], L, fibre_norm(L, m), '*' if not 0.5 <= fibre_norm(L, m) <= 1.6 else ' ',
            ' (source lts %.4f: lf=%.2f)' % (m['src_lts'], fibre_norm(L, src)) if m['lts'] != m['src_lts'] else '',
            ' '.join('%s@%d,%d' % (x['name'], x['seg'], x['seg'] + 1) for x in m['wraps'])))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('cyclist', help='cyclistFullBodyMuscle.osim')
    ap.add_argument('--christophy', help='Christophy2012_axialRotationUpd_skeletonOnly.osim (default: next to cyclist)')
    ap.add_argument('--hamner', help='Hamner2010_v4_subject01.osim, source of the gemelli and quadratus femoris paths '
                                     '(default: ../running/hamner2013_subject01/ beside the cyclist file)')
    ap.add_argument('-o', '--output', help='output file (default stdout)')
    ap.add_argument('--source-lts', action='store_true',
                    help='keep the source tendon slack lengths of pelvis-attached torso fascicles (no re-derivation)')
    a = ap.parse_args()
    ch = a.christophy or os.path.join(os.path.dirname(os.path.abspath(a.cyclist)),
                                      'Christophy2012_axialRotationUpd_skeletonOnly.osim')
    hm = a.hamner or os.path.join(os.path.dirname(os.path.abspath(a.cyclist)), os.pardir, 'running',
                                  'hamner2013_subject01', 'Hamner2010_v4_subject01.osim')
    ex = Extractor(OsimModel(a.cyclist), ET.parse(ch).getroot().find('Model'), OsimModel(hm))
    out = open(a.output, 'w') if a.output else sys.stdout
    write(ex, out, sys.stderr, retune=not a.source_lts)
    if a.output: out.close()

if __name__ == '__main__':
    main()
