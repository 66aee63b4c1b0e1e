#include "muscle.h"

#include <algorithm>
#include <cmath>

#include "muscle_curves.h"

namespace corestride {
namespace {

// Fibre length from its projection along the tendon, constant thickness w.
double fiberFromProjection(double along, double w) {
    return std::sqrt(w * w + along * along);
}

}  // namespace

void calcRigidTendonMuscle(const Muscle& m, double length, double speed, double a, double strength,
                           MuscleState& out, double length_scale) {
    const double lopt = m.lopt, lts = m.lts * length_scale;
    const double w = lopt * std::sin(m.pennation);
    // A path shorter than the tendon leaves a fibre of at most its height: keep it positive.
    const double along = std::max(length - lts, 1e-4 * lopt);
    const double lf = fiberFromProjection(along, w);
    const double cosp = along / lf;
    const double vf = speed * cosp;
    const double ln = lf / lopt;
    const double vn = std::clamp(vf / (m.vmax * lopt), -1.0, 1.0);
    const double fmax = m.fmax * strength;
    out.length = length;
    out.speed = speed;
    out.fiber_length = lf;
    out.fiber_velocity = vf;
    out.cos_pennation = cosp;
    out.activation = a;
    out.force_gain = fmax * activeForceLength(ln) * forceVelocity(vn) * cosp;
    out.force_passive = fmax * passiveForceLength(ln) * cosp;
    out.force = std::max(0.0, out.force_gain * a + out.force_passive);
}

void calcCompliantTendonMuscle(const Muscle& m, double length, double speed, double ln, double a,
                               double strength, MuscleState& out, double length_scale) {
    const double lopt = m.lopt, lts = m.lts * length_scale;
    const double w = lopt * std::sin(m.pennation);
    const double lf = std::max(ln * lopt, w * 1.0001 + 1e-6);
    const double along = std::sqrt(lf * lf - w * w);
    const double cosp = along / lf;
    const double lt = length - along;
    const double fmax = m.fmax * strength;
    const double ft = std::max(0.0, tendonForceLength(lt / lts));    // normalised tendon force
    const double fl = activeForceLength(lf / lopt), fpe = passiveForceLength(lf / lopt);
    // Equilibrium a fl fv(v) + fpe + beta v = ft / cos: monotone in v, solved by bisection
    // (a fixed number of halvings keeps the result deterministic and bounded).
    const double target = ft / cosp - fpe;
    double lo = -1.0, hi = 1.0;
    auto g = [&](double v) { return a * fl * forceVelocity(v) + kFiberDamping * v - target; };
    while (g(lo) > 0 && lo > -1e3) lo *= 2;
    while (g(hi) < 0 && hi < 1e3) hi *= 2;
    for (int it = 0; it < 60; ++it) {
        const double mid = 0.5 * (lo + hi);
        (g(mid) > 0 ? hi : lo) = mid;
    }
    const double vn = 0.5 * (lo + hi);
    out.length = length;
    out.speed = speed;
    out.fiber_length = lf;
    out.fiber_velocity = vn * m.vmax * lopt;
    out.cos_pennation = cosp;
    out.activation = a;
    out.force_gain = fmax * fl * forceVelocity(vn) * cosp;
    out.force_passive = fmax * (fpe + kFiberDamping * vn) * cosp;
    out.force = fmax * ft;
}

double equilibriumFiberLength(const Muscle& m, double length, double a, double strength, double length_scale) {
    // Bisection on the fibre length: tendon force minus isometric fibre force is monotone.
    const double lopt = m.lopt;
    const double w = lopt * std::sin(m.pennation);
    double lo = (w + 1e-6) / lopt, hi = std::max(lo * 1.01, length / lopt);
    MuscleState s;
    auto imbalance = [&](double ln) {
        calcCompliantTendonMuscle(m, length, 0, ln, a, strength, s, length_scale);
        return s.fiber_velocity;  // > 0: the fibre wants to lengthen, so it is too short
    };
    for (int it = 0; it < 80; ++it) {
        const double mid = 0.5 * (lo + hi);
        (imbalance(mid) > 0 ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

}  // namespace corestride
