// A static-optimisation problem shaped like the model's, shared by the QP tests and the QP
// benchmark (bench/qp_bench.cpp).
#pragma once

#include <random>

#include "qp_solver.h"

namespace corestride::test {

// A problem shaped like the 19-coordinate model: pelvis (rows 0-5, residual actuators
// only), lumbar (6-8), right hip (9-11), knee (12), ankle (13), left leg (14-18). A column
// is moment arm (m) x maximal force (N) for each coordinate a muscle crosses, so a unit
// activation gives N m; the joint torques b are a few hundred N m. Reserves have an
// optimal torque of 10 N m, cost (tau / 10)^2 like an activation squared.
inline BoxQP muscleShapedProblem(unsigned seed, int n_muscles, bool with_reserves) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto between = [&](double a, double b) { return a + (b - a) * unit(rng); };
    auto sign = [&]() { return unit(rng) < 0.5 ? -1.0 : 1.0; };
    const int m = 19;
    const int n = n_muscles + (with_reserves ? m : 0);
    BoxQP qp;
    qp.h.setConstant(n, 2.0);
    qp.c.setZero(n);
    qp.A.setZero(m, n);
    qp.lo.setZero(n);
    qp.hi.setOnes(n);
    // Which coordinates a muscle crosses: lumbar muscles, then per leg hip-only, hip-knee,
    // knee-only, knee-ankle, ankle-only.
    for (int j = 0; j < n_muscles; ++j) {
        const double fmax = between(200, 2500);
        const int kind = j % 6;
        const int leg = (j / 6) % 2 == 0 ? 9 : 14;
        auto cross = [&](int coord) { qp.A(coord, j) = sign() * between(0.01, 0.07) * fmax; };
        switch (kind) {
            case 0: for (int d = 6; d < 9; ++d) cross(d); break;
            case 1: for (int d = leg; d < leg + 3; ++d) cross(d); break;
            case 2: cross(leg); cross(leg + 3); break;
            case 3: cross(leg + 3); break;
            case 4: cross(leg + 3); cross(leg + 4); break;
            default: cross(leg + 4); break;
        }
    }
    if (with_reserves) {
        for (int d = 0; d < m; ++d) {
            const int j = n_muscles + d;
            qp.A(d, j) = 10.0;
            qp.lo[j] = -1000;
            qp.hi[j] = 1000;
        }
    }
    qp.b.resize(m);
    for (int d = 0; d < m; ++d) qp.b[d] = (d < 6) ? sign() * between(5, 40) : sign() * between(80, 300);
    return qp;
}

}  // namespace corestride::test
