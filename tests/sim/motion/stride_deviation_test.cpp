// Compensated strides (stride_deviation.h): the Fourier deviations against finite differences,
// and the ground-reaction transfer against the whole-body dynamics it must preserve.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "inverse_dynamics.h"
#include "model_forces.h"
#include "model_parser.h"
#include "paths.h"
#include "reference_motion.h"
#include "stride_deviation.h"
#include "test_support.h"

using namespace corestride;

namespace {

std::shared_ptr<const ReferenceMotion> builtinStride(const Model& m) {
    return makeStrideReference(m, readStrideFile(modelsDir() + "/running_stride.fourier"), StrideOptions());
}

// A deviation of every coordinate with arbitrary coefficients of a few degrees (centimetres).
StrideDeviation someDeviation(const Model& m, const ReferenceMotion& ref) {
    StrideDeviation d;
    d.harmonics = 3;
    d.t0 = ref.startTime();
    d.period = ref.strideTime();
    const int nc = static_cast<int>(m.coordinates().size());
    d.coeffs.resize(nc, d.basisSize());
    for (int c = 0; c < nc; ++c) {
        d.coords.push_back(c);
        const double s = m.coordinates()[c].rotational ? 0.03 : 0.01;
        for (int k = 0; k < d.basisSize(); ++k) d.coeffs(c, k) = s * std::sin(1.3 * c + 0.7 * k + 0.2);
    }
    return d;
}

// Pelvis generalized forces of a reference at t (muscles off: internal forces do not count).
void pelvisResidual(const Model& m, const ReferenceMotion& ref, double t, double* out) {
    SimTK::State s = m.defaultState();
    m.forces().setExternalLoads(s, &ref);
    m.forces().setMusclesEnabled(s, false);
    const size_t nc = m.coordinates().size();
    std::vector<double> q(nc), qd(nc), qdd(nc), tau(nc);
    SimTK::Vector udot;
    s.setTime(t);
    ref.coordinates(t, q.data(), qd.data(), qdd.data());
    setCoordinateState(m, s, q.data(), qd.data());
    coordinateToMobility(m, qdd.data(), udot);
    calcMissingForces(m, s, udot, tau.data());
    const std::vector<int> p = pelvisCoordinates(m);
    for (int k = 0; k < 6; ++k) out[k] = tau[p[k]];
}

}  // namespace

TEST_CASE("stride deviation: rates and accelerations are the time derivatives of the deviation", "[compensation]") {
    const Model& m = test::shippedModel();
    const auto ref = builtinStride(m);
    const StrideDeviation d = someDeviation(m, *ref);
    const size_t nc = m.coordinates().size();
    const double h = 1e-5;
    for (double t : {0.05, 0.21, 0.48}) {
        std::vector<double> q(nc, 0.0), qd(nc, 0.0), qdd(nc, 0.0), qp(nc, 0.0), qm(nc, 0.0), vp(nc, 0.0), vm(nc, 0.0);
        d.add(t, q.data(), qd.data(), qdd.data());
        d.add(t + h, qp.data(), vp.data(), nullptr);
        d.add(t - h, qm.data(), vm.data(), nullptr);
        for (size_t c = 0; c < nc; ++c) {
            CHECK(qd[c] == Approx((qp[c] - qm[c]) / (2 * h)).epsilon(1e-6).margin(1e-8));
            CHECK(qdd[c] == Approx((vp[c] - vm[c]) / (2 * h)).epsilon(1e-5).margin(1e-6));
            CHECK(q[c] == Approx(d.value(static_cast<int>(c), t)).margin(1e-15));
        }
    }
    // Periodic over one stride.
    std::vector<double> a(nc, 0.0), b(nc, 0.0);
    d.add(d.t0 + 0.1, a.data(), nullptr, nullptr);
    d.add(d.t0 + 0.1 + d.period, b.data(), nullptr, nullptr);
    for (size_t c = 0; c < nc; ++c) CHECK(a[c] == Approx(b[c]).margin(1e-12));
}

TEST_CASE("stride deviation: in stance the ground transfer keeps the measured pelvis residual, in flight it cannot",
          "[compensation]") {
    const Model& m = test::shippedModel();
    const auto base = builtinStride(m);
    const StrideDeviation d = someDeviation(m, *base);
    const auto comp = makeCompensatedReference(m, base, d, 0.001);
    int stance = 0, flight = 0;
    double worst_stance = 0, smallest_flight_change = 1e9;
    const double T = base->endTime() - base->startTime();
    const int n = static_cast<int>(std::ceil(T / 0.001 - 1e-9));
    for (int k = 3; k < n; k += 10) {
        // On the transfer's sample grid (about 1 ms), where its interpolation is exact.
        const double t = base->startTime() + T * k / n;
        FootLoad r, l;
        base->footLoads(t, r, l);
        double rb[6], rc[6];
        pelvisResidual(m, *base, t, rb);
        pelvisResidual(m, *comp, t, rc);
        double diff = 0;
        for (int i = 0; i < 6; ++i) diff = std::max(diff, std::abs(rc[i] - rb[i]));
        if (r.contact || l.contact) {
            ++stance;
            worst_stance = std::max(worst_stance, diff);
        } else {
            ++flight;
            smallest_flight_change = std::min(smallest_flight_change, diff);
        }
    }
    REQUIRE(stance > 10);
    REQUIRE(flight > 5);
    INFO("stance: largest pelvis residual change " << worst_stance << "; flight: smallest " << smallest_flight_change);
    CHECK(worst_stance < 1e-6);
    // The deviation's accelerations change the body's momentum in flight, which no ground
    // reaction can supply: the residual changes by newtons.
    CHECK(smallest_flight_change > 1.0);
}

TEST_CASE("stride deviation: a zero deviation reproduces the measured stride bitwise", "[compensation]") {
    const Model& m = test::shippedModel();
    const auto base = builtinStride(m);
    StrideDeviation d = someDeviation(m, *base);
    d.coeffs.setZero();
    const auto comp = makeCompensatedReference(m, base, d);
    const size_t nc = m.coordinates().size();
    for (double t : {0.0, 0.1, 0.2, 0.33, 0.5, 0.69}) {
        std::vector<double> q1(nc), qd1(nc), qdd1(nc), q2(nc), qd2(nc), qdd2(nc);
        base->coordinates(t, q1.data(), qd1.data(), qdd1.data());
        comp->coordinates(t, q2.data(), qd2.data(), qdd2.data());
        CHECK(q1 == q2);
        CHECK(qd1 == qd2);
        CHECK(qdd1 == qdd2);
        FootLoad r1, l1, r2, l2;
        base->footLoads(t, r1, l1);
        comp->footLoads(t, r2, l2);
        CHECK(r1.force_G == r2.force_G);
        CHECK(l1.force_G == l2.force_G);
        CHECK(r2.couple_G == SimTK::Vec3(0));
        CHECK(l2.couple_G == SimTK::Vec3(0));
    }
}
