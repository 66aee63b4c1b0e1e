#include "muscle_curves.h"

#include <cmath>

namespace corestride {
namespace {

// Active force-length: sum of three Gaussian-like terms (De Groote 2016, eq. A2), divided by
// its value at l = 1 (0.99943 with the paper's constants) so that it is exactly 1 there.
constexpr double b11 = 0.814483478343008, b21 = 1.055033428970575, b31 = 0.162384573599574,
                 b41 = 0.063303448465465;
constexpr double b12 = 0.433004984392647, b22 = 0.716775413397760, b32 = -0.029947116970696,
                 b42 = 0.200356847296188;
constexpr double b13 = 0.1, b23 = 1.0, b33 = 0.353553390593274, b43 = 0.0;  // b33 = 0.5 sqrt(0.5)

double gaussian(double l, double b1, double b2, double b3, double b4) {
    const double x = (l - b2) / (b3 + b4 * l);
    return b1 * std::exp(-0.5 * x * x);
}

// Passive force-length (De Groote 2016, eq. A3): kPE = 4, e0 = 0.6.
constexpr double kPE = 4.0, e0 = 0.6;

// Force-velocity (De Groote 2016, eq. A4): f = d1 asinh(d2 v + d3) + d4, with the paper's
// d2 and d3; d1 and d4 re-solved from them (as OpenSim Moco does) so that f(0) = 1 and
// f(-1) = 0 exactly. The paper's rounded d1 = -0.318, d4 = 0.886 differ in the 3rd digit.
constexpr double d2 = -8.149156043475250, d3 = -0.374121508647863;
const double d1 = 1.0 / (std::asinh(d3) - std::asinh(d3 - d2));
const double d4 = 1.0 - d1 * std::asinh(d3);

// Tendon force-length (De Groote 2016, eq. A1): kT = 35, c1 = 0.200, c2 = 0.995, c3 = 0.250.
constexpr double kT = 35.0, c1 = 0.200, c2 = 0.995, c3 = 0.250;

double rawActiveForceLength(double l) {
    return gaussian(l, b11, b21, b31, b41) + gaussian(l, b12, b22, b32, b42) +
           gaussian(l, b13, b23, b33, b43);
}

}  // namespace

double activeForceLength(double l) {
    static const double at_optimum = rawActiveForceLength(1.0);
    return rawActiveForceLength(l) / at_optimum;
}

double passiveForceLength(double l) {
    if (l <= 1.0) return 0.0;
    return (std::exp(kPE * (l - 1.0) / e0) - 1.0) / (std::exp(kPE) - 1.0);
}

double forceVelocity(double v) {
    return d1 * std::asinh(d2 * v + d3) + d4;
}

double forceVelocityInverse(double f) {
    return (std::sinh((f - d4) / d1) - d3) / d2;
}

double tendonForceLength(double lt) {
    return c1 * std::exp(kT * (lt - c2)) - c3;
}

double tendonForceLengthInverse(double f) {
    return std::log((f + c3) / c1) / kT + c2;
}

double ActivationDynamics::derivative(double e, double a) const {
    const double f = 0.5 + 0.5 * std::tanh(smoothing * (e - a));
    const double s = 0.5 + 1.5 * a;
    return (e - a) * (f / (tau_activation * s) + (1.0 - f) * s / tau_deactivation);
}

}  // namespace corestride
