#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include <Eigen/LU>

#include "qp_reference.h"
#include "qp_problems.h"
#include "qp_solver.h"

using namespace corestride;
using test::muscleShapedProblem;

namespace {

// A random problem shaped like static optimisation: n - n_reserve "activations" in [0, 1]
// with h in [0.5, 2], columns crossing 1-3 rows with mixed signs, then one "reserve" per row
// (box [-1000, 1000], large h). b is reached by activations spread over [-0.3, 1.3], so
// some lower and upper bounds are active at the solution.
BoxQP randomProblem(std::mt19937& rng, int n, int m) {
    std::uniform_real_distribution<double> unit(0.0, 1.0), sym(-1.0, 1.0);
    std::uniform_int_distribution<int> row(0, m - 1), crossings(1, 3);
    BoxQP qp;
    qp.h.resize(n);
    qp.c.resize(n);
    qp.A.setZero(m, n);
    qp.lo.resize(n);
    qp.hi.resize(n);
    const int n_act = n - m;
    Eigen::VectorXd a_target(n_act);
    for (int j = 0; j < n_act; ++j) {
        qp.h[j] = 0.5 + 1.5 * unit(rng);
        qp.c[j] = 0.2 * sym(rng);
        qp.lo[j] = 0;
        qp.hi[j] = 1;
        for (int k = crossings(rng); k > 0; --k) qp.A(row(rng), j) = 20.0 * sym(rng);
        a_target[j] = -0.3 + 1.6 * unit(rng);
    }
    for (int r = 0; r < m; ++r) {
        const int j = n_act + r;
        qp.h[j] = 1e3 * (1 + unit(rng));
        qp.c[j] = 0;
        qp.lo[j] = -1000;
        qp.hi[j] = 1000;
        qp.A(r, j) = 1.0;
    }
    qp.b = qp.A.leftCols(n_act) * a_target;
    return qp;
}

// Worst violations of the KKT conditions, each relative to the size of its terms.
struct KKTError {
    double equality = 0, bounds = 0, stationarity = 0, sign = 0, complementarity = 0;
    int active = 0;
};

KKTError checkKKT(const BoxQP& qp, const QPResult& r) {
    KKTError e;
    const Eigen::VectorXd& x = r.x;
    e.equality = (qp.A * x - qp.b).lpNorm<Eigen::Infinity>() / (1 + qp.b.lpNorm<Eigen::Infinity>());
    const Eigen::VectorXd atl = qp.A.transpose() * r.lambda;
    for (int i = 0; i < x.size(); ++i) {
        const double mu = qp.h[i] * x[i] + qp.c[i] - atl[i];
        const double scale = std::abs(qp.h[i] * x[i]) + std::abs(qp.c[i]) + std::abs(atl[i]) + 1e-12;
        const double d_lo = x[i] - qp.lo[i], d_hi = qp.hi[i] - x[i];
        e.bounds = std::max({e.bounds, -d_lo / (1 + std::abs(qp.lo[i])), -d_hi / (1 + std::abs(qp.hi[i]))});
        const bool at_lo = d_lo <= 1e-9 * (1 + std::abs(qp.lo[i]));
        const bool at_hi = d_hi <= 1e-9 * (1 + std::abs(qp.hi[i]));
        if (at_lo && at_hi) {
            ++e.active;  // fixed variable: any sign
        } else if (at_lo) {
            ++e.active;
            e.sign = std::max(e.sign, -mu / scale);
        } else if (at_hi) {
            ++e.active;
            e.sign = std::max(e.sign, mu / scale);
        } else {
            e.stationarity = std::max(e.stationarity, std::abs(mu) / scale);
        }
        e.complementarity = std::max(e.complementarity,
                                     std::abs(mu) / scale * std::min(std::abs(d_lo), std::abs(d_hi)) /
                                         (1 + std::abs(x[i])));
    }
    return e;
}

void requireKKT(const BoxQP& qp, const QPResult& r, double tol) {
    const KKTError e = checkKKT(qp, r);
    CHECK(e.equality <= tol);
    CHECK(e.bounds <= tol);
    CHECK(e.stationarity <= tol);
    CHECK(e.sign <= tol);
    CHECK(e.complementarity <= tol);
}

// Largest |x_i - y_i| / (1 + |y_i|).
double relativeDifference(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
    return ((x - y).cwiseAbs().array() / (1 + y.cwiseAbs().array())).maxCoeff();
}

}  // namespace

TEST_CASE("no active bounds: the Schur-complement solution equals a dense KKT solve", "[qp]") {
    std::mt19937 rng(11);
    for (int n : {20, 110}) {
        BoxQP qp = randomProblem(rng, n, 6);
        qp.lo.setConstant(n, -1e6);
        qp.hi.setConstant(n, 1e6);
        ActiveSetQP solver(n, 6);
        const QPResult& r = solver.solve(qp);
        REQUIRE(r.status == QPStatus::Optimal);
        CHECK(r.iterations == 0);

        // [H -A^T; A 0] [x; lambda] = [-c; b]
        Eigen::MatrixXd K = Eigen::MatrixXd::Zero(n + 6, n + 6);
        K.topLeftCorner(n, n) = qp.h.asDiagonal();
        K.topRightCorner(n, 6) = -qp.A.transpose();
        K.bottomLeftCorner(6, n) = qp.A;
        Eigen::VectorXd rhs(n + 6);
        rhs << -qp.c, qp.b;
        const Eigen::VectorXd sol = K.fullPivLu().solve(rhs);
        CHECK(relativeDifference(r.x, sol.head(n)) < 1e-10);
        CHECK(relativeDifference(r.lambda, sol.tail(6)) < 1e-10);
        CHECK(r.objective == Approx(calcQPObjective(qp, sol.head(n))).epsilon(1e-12));
        CHECK(r.equality_residual < 1e-10 * (1 + qp.b.lpNorm<Eigen::Infinity>()));
    }
}

TEST_CASE("random problems agree with Simbody's interior-point optimizer and meet KKT", "[qp]") {
    std::mt19937 rng(2024);
    int problems = 0;
    for (int n : {20, 110, 200}) {
        for (int m : {6, 19}) {
            ActiveSetQP solver(n, m);
            const int count = (n == 200) ? 5 : 10;  // 50 problems in all
            for (int k = 0; k < count; ++k, ++problems) {
                const BoxQP qp = randomProblem(rng, n, m);
                const QPResult& r = solver.solve(qp, false);
                std::string message;
                const QPResult ref = solveReferenceQP(qp, ReferenceQPOptions(), &message);
                INFO("n = " << n << ", m = " << m << ", problem " << k << ", IPOPT: " << message);
                REQUIRE(r.status == QPStatus::Optimal);
                REQUIRE(ref.status == QPStatus::Optimal);
                requireKKT(qp, r, 1e-9);
                // Bounds are active whenever activations outnumber the rows (at n = 20, m = 19
                // there is a single activation).
                if (n - m >= m) CHECK(checkKKT(qp, r).active > 0);
                CHECK(relativeDifference(r.x, ref.x) < 1e-5);
                CHECK(std::abs(r.objective - ref.objective) <= 1e-7 * std::max(1.0, std::abs(ref.objective)));
                // The interior-point answer is no better than the active-set one (up to its
                // constraint tolerance).
                CHECK(r.objective <= ref.objective + 1e-9 * std::max(1.0, std::abs(ref.objective)));
            }
        }
    }
    CHECK(problems == 50);
}

TEST_CASE("a muscle-shaped problem agrees with the reference", "[qp]") {
    for (unsigned seed : {1u, 2u, 3u}) {
        const BoxQP qp = muscleShapedProblem(seed, 120, true);
        ActiveSetQP solver(139, 19);
        const QPResult& r = solver.solve(qp);
        std::string message;
        const QPResult ref = solveReferenceQP(qp, ReferenceQPOptions(), &message);
        INFO("seed " << seed << ", IPOPT: " << message);
        REQUIRE(r.status == QPStatus::Optimal);
        REQUIRE(ref.status == QPStatus::Optimal);
        requireKKT(qp, r, 1e-9);
        CHECK(checkKKT(qp, r).active > 20);  // antagonists switched off
        CHECK(r.equality_residual < 1e-9 * qp.b.lpNorm<Eigen::Infinity>());
        CHECK(relativeDifference(r.x, ref.x) < 1e-5);
        CHECK(std::abs(r.objective - ref.objective) <= 1e-7 * std::abs(ref.objective));
        // Pelvis rows are carried by their residual actuators alone: tau / 10.
        for (int d = 0; d < 6; ++d) CHECK(r.x[120 + d] == Approx(qp.b[d] / 10).epsilon(1e-12));
    }
}

TEST_CASE("fixed variables and active upper bounds", "[qp]") {
    // Three unknowns, one row: x0 + x1 + x2 = 2.5 with x1 fixed at 1 and x2 <= 0.6;
    // minimise 0.5 (x0^2 + x1^2 + x2^2) - 2 x2. Without the bound x2 = 1.75; with it
    // x2 = 0.6 (upper), x0 = 0.9 = lambda.
    BoxQP qp;
    qp.h = Eigen::Vector3d(1, 1, 1);
    qp.c = Eigen::Vector3d(0, 0, -2);
    qp.A = Eigen::RowVector3d(1, 1, 1);
    qp.b = Eigen::VectorXd::Constant(1, 2.5);
    qp.lo = Eigen::Vector3d(-10, 1, 0);
    qp.hi = Eigen::Vector3d(10, 1, 0.6);
    ActiveSetQP solver(3, 1);
    const QPResult& r = solver.solve(qp);
    REQUIRE(r.status == QPStatus::Optimal);
    CHECK(r.x[0] == Approx(0.9).epsilon(1e-14));
    CHECK(r.x[1] == 1.0);
    CHECK(r.x[2] == 0.6);
    CHECK(r.lambda[0] == Approx(0.9).epsilon(1e-14));
    requireKKT(qp, r, 1e-12);
    const QPResult ref = solveReferenceQP(qp);
    CHECK(relativeDifference(r.x, ref.x) < 1e-6);
}

TEST_CASE("infeasible: torques beyond what the muscles can give", "[qp]") {
    SECTION("one row, every activation at its upper bound is not enough") {
        BoxQP qp;
        qp.h.setOnes(10);
        qp.c.setZero(10);
        qp.A.setOnes(1, 10);
        qp.b = Eigen::VectorXd::Constant(1, 12.0);
        qp.lo.setZero(10);
        qp.hi.setOnes(10);
        ActiveSetQP solver(10, 1);
        CHECK(solver.solve(qp).status == QPStatus::Infeasible);
        const QPResult ref = solveReferenceQP(qp);
        CHECK(ref.status != QPStatus::Optimal);
        CHECK(ref.equality_residual > 1.0);  // at best 10 of 12
    }
    SECTION("the muscle-shaped problem without reserves, torques scaled up") {
        // Without residual actuators the pelvis rows are empty: keep the 13 muscle rows.
        const BoxQP full = muscleShapedProblem(5, 120, false);
        BoxQP qp = full;
        qp.A = full.A.bottomRows(13);
        qp.b = 20 * full.b.tail(13);
        ActiveSetQP solver(120, 13);
        const QPResult& r = solver.solve(qp);
        CHECK(r.status == QPStatus::Infeasible);
        std::string message;
        const QPResult ref = solveReferenceQP(qp, ReferenceQPOptions(), &message);
        INFO("IPOPT: " << message);
        CHECK(ref.status != QPStatus::Optimal);
        CHECK(ref.equality_residual > 1e-3 * qp.b.lpNorm<Eigen::Infinity>());
    }
    SECTION("the same torques are feasible with reserves") {
        BoxQP qp = muscleShapedProblem(5, 120, true);
        qp.b *= 20;
        ActiveSetQP solver(139, 19);
        const QPResult& r = solver.solve(qp);
        CHECK(r.status == QPStatus::Optimal);
        requireKKT(qp, r, 1e-9);
    }
}

TEST_CASE("dependent equality rows are reported", "[qp]") {
    BoxQP qp = muscleShapedProblem(7, 60, true);
    qp.A.row(18) = qp.A.row(17);
    qp.b[18] = qp.b[17];
    ActiveSetQP solver(79, 19);
    CHECK(solver.solve(qp).status == QPStatus::RankDeficient);
}

TEST_CASE("warm start: repeatable, and fewer iterations on a perturbed problem", "[qp]") {
    const BoxQP qp = muscleShapedProblem(4, 200, true);
    ActiveSetQP warm(219, 19), cold(219, 19);
    const QPResult first = warm.solve(qp);
    REQUIRE(first.status == QPStatus::Optimal);
    CHECK(first.iterations > 10);

    // Same problem again, warm: bitwise the same answer, no working-set change.
    const QPResult& again = warm.solve(qp);
    CHECK(again.iterations == 0);
    CHECK((again.x.array() == first.x.array()).all());
    CHECK((again.lambda.array() == first.lambda.array()).all());
    // A second workspace, cold: bitwise the same too.
    CHECK((cold.solve(qp).x.array() == first.x.array()).all());

    // The next control interval: torques changed by a few per cent.
    BoxQP next = qp;
    for (int d = 6; d < 19; ++d) next.b[d] *= 1.0 + 0.03 * std::sin(1.7 * d);
    const QPResult from_warm = warm.solve(next, true);
    const QPResult from_cold = cold.solve(next, false);
    REQUIRE(from_warm.status == QPStatus::Optimal);
    REQUIRE(from_cold.status == QPStatus::Optimal);
    CHECK(from_warm.iterations < from_cold.iterations);
    CHECK(relativeDifference(from_warm.x, from_cold.x) < 1e-10);
    requireKKT(next, from_warm, 1e-9);
}
