#include <catch2/catch.hpp>

#include <cmath>

#include "muscle_curves.h"

using namespace corestride;

TEST_CASE("active force-length is 1 at optimal length and peaks there", "[muscle_curves]") {
    CHECK(activeForceLength(1.0) == Approx(1.0).epsilon(1e-12));
    double best = 0, at = 0;
    for (double l = 0.3; l <= 2.0; l += 1e-4) {
        const double f = activeForceLength(l);
        if (f > best) { best = f; at = l; }
    }
    CHECK(best < 1.0 + 2e-3);          // the three-Gaussian sum barely overshoots 1
    CHECK(std::abs(at - 1.0) < 0.02);  // and peaks at optimal length
    // It falls off on both sides (De Groote 2016, Fig. A1: about 0.1-0.2 at 0.5 and 1.6).
    CHECK(activeForceLength(0.5) < 0.3);
    CHECK(activeForceLength(1.6) < 0.3);
    CHECK(activeForceLength(0.8) > 0.6);
}

TEST_CASE("passive force-length is zero below optimal length and rises past it", "[muscle_curves]") {
    CHECK(passiveForceLength(0.9) == 0.0);
    CHECK(passiveForceLength(1.0) == 0.0);
    double prev = 0;
    for (double l = 1.05; l < 1.7; l += 0.05) {
        const double f = passiveForceLength(l);
        CHECK(f > prev);
        prev = f;
    }
    // e0 = 0.6: the passive force reaches fmax at 60% strain (De Groote 2016).
    CHECK(passiveForceLength(1.6) == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("force-velocity is 1 isometric, 0 at maximal shortening, above 1 when lengthening", "[muscle_curves]") {
    CHECK(forceVelocity(0.0) == Approx(1.0).epsilon(1e-12));
    CHECK(forceVelocity(-1.0) == Approx(0.0).margin(1e-12));
    CHECK(forceVelocity(0.5) > 1.2);
    CHECK(forceVelocity(1.0) < 1.9);   // eccentric plateau near 1.8 (De Groote 2016)
    for (double v = -1.0; v <= 1.0; v += 0.1) CHECK(forceVelocityInverse(forceVelocity(v)) == Approx(v).margin(1e-10));
}

TEST_CASE("tendon curve and its inverse", "[muscle_curves]") {
    // kT = 35: about 5% strain at fmax (De Groote 2016 gives 0.0474 with c2 = 0.995).
    CHECK(tendonForceLengthInverse(1.0) == Approx(1.0474).margin(5e-4));
    for (double f = 0.05; f < 1.5; f += 0.1) CHECK(tendonForceLength(tendonForceLengthInverse(f)) == Approx(f).epsilon(1e-12));
}

TEST_CASE("activation dynamics: the time constants of De Groote 2016", "[muscle_curves]") {
    ActivationDynamics ad;
    // Far from equilibrium the tanh switch is saturated: da/dt = (e - a) / (tau_a (0.5 + 1.5 a)).
    CHECK(ad.derivative(1.0, 0.0) == Approx(1.0 / (0.015 * 0.5)).epsilon(1e-4));
    CHECK(ad.derivative(0.0, 1.0) == Approx(-1.0 * 2.0 / 0.060).epsilon(1e-4));
    CHECK(ad.derivative(0.3, 0.3) == 0.0);
    // Integrate a step: activation reaches 63% faster than deactivation falls by 63%.
    auto timeTo = [&](double e, double a0, double target) {
        double a = a0, t = 0, dt = 1e-6;
        while ((e > a0) ? a < target : a > target) { a += dt * ad.derivative(e, a); t += dt; }
        return t;
    };
    const double t_up = timeTo(1.0, 0.0, 0.632), t_down = timeTo(0.0, 1.0, 0.368);
    // Closed forms of the saturated equations:
    // rise:  t = tau_a [2 ln(1/(1-a)) - 1.5 a], a = 0.632;
    // decay: t = 2 tau_d [ln(1/2) - ln(a/(0.5 + 1.5 a))], a = 0.368.
    CHECK(t_up == Approx(0.015 * (2 * std::log(1 / 0.368) - 1.5 * 0.632)).epsilon(0.02));
    CHECK(t_down == Approx(2 * 0.060 * (std::log(0.5) - std::log(0.368 / (0.5 + 1.5 * 0.368)))).epsilon(0.02));
}
