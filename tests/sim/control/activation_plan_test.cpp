// The whole-run activation plan: the projection onto the deactivation cone against the
// variational inequality that defines a projection, a three-node problem solved in closed form,
// and random problems against a one-node-at-a-time solution of the same rows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "activation_plan.h"
#include "qp_solver.h"

using namespace corestride;

namespace {

// A point of the cone {w_k >= E_k w_(k-1), w_0 = z0}: decays no faster than E, rises freely.
std::vector<double> randomConePoint(std::mt19937& rng, double z0, const std::vector<double>& E) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double> w(E.size());
    double prev = z0;
    for (size_t k = 0; k < E.size(); ++k) {
        w[k] = E[k] * prev + (unit(rng) < 0.5 ? 0.0 : 0.5 * unit(rng));
        prev = w[k];
    }
    return w;
}

double coneViolation(double z0, const std::vector<double>& z, const std::vector<double>& E) {
    double worst = 0, prev = z0;
    for (size_t k = 0; k < z.size(); ++k) {
        worst = std::max(worst, E[k] * prev - z[k]);
        prev = z[k];
    }
    return worst;
}

}  // namespace

TEST_CASE("deactivation cone: the projection is feasible and meets the variational inequality of a projection", "[plan]") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int trial = 0; trial < 200; ++trial) {
        const int K = 1 + static_cast<int>(40 * unit(rng));
        std::vector<double> E(K), v(K);
        for (int k = 0; k < K; ++k) { E[k] = 0.5 + 0.5 * unit(rng); v[k] = -0.2 + 1.4 * unit(rng); }
        const double z0 = unit(rng);
        const std::vector<double> z = projectDeactivationCone(z0, v, E);
        REQUIRE(z.size() == v.size());
        CHECK(coneViolation(z0, z, E) < 1e-10);
        // z is the projection of v onto a closed convex set C iff (v - z).(w - z) <= 0 for all w in C.
        for (int j = 0; j < 20; ++j) {
            const std::vector<double> w = randomConePoint(rng, z0, E);
            double ip = 0;
            for (int k = 0; k < K; ++k) ip += (v[k] - z[k]) * (w[k] - z[k]);
            CHECK(ip < 1e-9);
        }
        // A point already in the cone is its own projection.
        const std::vector<double> w = randomConePoint(rng, z0, E);
        const std::vector<double> pw = projectDeactivationCone(z0, w, E);
        for (int k = 0; k < K; ++k) CHECK(pw[k] == Approx(w[k]).margin(1e-12));
    }
}

TEST_CASE("deactivation cone: a long run with fast decay stays finite (no underflow of the decay products)", "[plan]") {
    const int K = 5000;   // 0.92^5000 is below the smallest double
    std::vector<double> E(K, 0.92), v(K, 0.0);
    for (int k = 0; k < K; k += 97) v[k] = 1.0;
    const std::vector<double> z = projectDeactivationCone(1.0, v, E);
    for (double x : z) REQUIRE(std::isfinite(x));
    CHECK(coneViolation(1.0, z, E) < 1e-10);
}

TEST_CASE("activation plan: three nodes solved in closed form, and it spares the muscle before its force is unwanted", "[plan]") {
    // One muscle of weight 1 and unit gain on one row with a reserve of unit gain: node cost
    // a^2 + (b - a)^2. Demand b = 1, 0, 0; a_0 = 0.6; the first pass was at rest (abar = 0), and
    // T = 2 ln2 tau_d makes E_d = exp(-T 0.5 / tau_d) = 1/2 at every node (E_a ~ 1e-5: the rise is free).
    // At nodes 2 and 3 the muscle is unwanted (cost 2 a^2), so the decay bound holds there:
    // a_2 = a_1 / 2, a_3 = a_1 / 4, and a_1 minimises a^2 + (1 - a)^2 + 2 (a/2)^2 + 2 (a/4)^2:
    // a_1 = 2 / 5.25 = 8/21. Node 1 alone would take 1/2.
    PlanProblem p;
    p.nm = 1;
    p.ne = 1;
    p.weight = Eigen::VectorXd::Ones(1);
    p.amax = {1.0};
    p.actuator_gain = {1.0};
    p.actuator_bound = {1000.0};
    p.a_start = {0.6};
    const double T = 2 * std::log(2.0) * p.tau_deactivation;
    for (double b : {1.0, 0.0, 0.0}) {
        PlanNode n;
        n.T = T;
        n.A = Eigen::MatrixXd::Ones(1, 1);
        n.b = Eigen::VectorXd::Constant(1, b);
        n.a_first = {0.0};
        p.nodes.push_back(n);
    }
    PlanOptions opt;
    opt.tolerance = 1e-8;
    opt.max_iterations = 20000;
    const ActivationPlan plan = solveActivationPlan(p, opt);
    REQUIRE(plan.converged);
    REQUIRE(plan.a.size() == 3);
    CHECK(plan.a[0][0] == Approx(8.0 / 21).margin(1e-5));
    CHECK(plan.a[1][0] == Approx(4.0 / 21).margin(1e-5));
    CHECK(plan.a[2][0] == Approx(2.0 / 21).margin(1e-5));
    // Its cost against the first pass's (a = 0 everywhere: the reserve takes b).
    CHECK(plan.objective_first_pass == Approx(1.0));
    const double a1 = 8.0 / 21;
    CHECK(plan.objective == Approx(a1 * a1 + (1 - a1) * (1 - a1) + 0.5 * a1 * a1 + 0.125 * a1 * a1).epsilon(1e-5));
    // The first pass (0, 0, 0) breaks the deactivation bound; clamped node by node into the
    // bounds it becomes z1 = 0.6 Ed (Ed from the first pass's 0.6 at node 0), then halving.
    const double z1 = 0.6 * std::exp(-T * (0.5 + 1.5 * 0.6) / p.tau_deactivation), z2 = z1 / 2, z3 = z2 / 2;
    CHECK(plan.first_pass_violation == Approx(z1));
    CHECK(plan.objective_first_pass_feasible ==
          Approx(z1 * z1 + (1 - z1) * (1 - z1) + 2 * z2 * z2 + 2 * z3 * z3).epsilon(1e-9));
    CHECK(plan.objective < plan.objective_first_pass_feasible);
}

TEST_CASE("activation plan: on random problems it meets both activation bounds and costs no more than one node at a time", "[plan]") {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> unit(0.0, 1.0), sym(-1.0, 1.0);
    const double tau_a = 0.015, tau_d = 0.060, T = 0.01;
    for (int trial = 0; trial < 5; ++trial) {
        PlanProblem p;
        p.nm = 6;
        p.ne = 2;
        p.weight.resize(p.nm);
        for (int i = 0; i < p.nm; ++i) p.weight[i] = 0.5 + unit(rng);
        p.amax.assign(p.nm, 1.0);
        p.actuator_gain = {1.0, 1.0};
        p.actuator_bound = {1000.0, 1000.0};
        p.a_start.assign(p.nm, 0.1);
        Eigen::MatrixXd A(p.ne, p.nm);
        for (int e = 0; e < p.ne; ++e)
            for (int i = 0; i < p.nm; ++i) A(e, i) = unit(rng) < 0.3 ? 0.0 : 20 * sym(rng);
        // The first pass: each node's static optimisation alone, within the activation bounds
        // from the previous node's activation (as CMC solves it).
        ActiveSetQP solver(p.nm + p.ne, p.ne);
        BoxQP qp;
        qp.h.resize(p.nm + p.ne); qp.c.setZero(p.nm + p.ne); qp.A.setZero(p.ne, p.nm + p.ne);
        qp.lo.resize(p.nm + p.ne); qp.hi.resize(p.nm + p.ne);
        qp.A.leftCols(p.nm) = A;
        for (int e = 0; e < p.ne; ++e) {
            qp.A(e, p.nm + e) = 1;
            qp.h[p.nm + e] = 2;
            qp.lo[p.nm + e] = -1000;
            qp.hi[p.nm + e] = 1000;
        }
        std::vector<double> prev = p.a_start;
        const double phase = 6.3 * unit(rng);
        for (int k = 0; k < 40; ++k) {
            PlanNode n;
            n.T = T;
            n.A = A;
            n.b.resize(p.ne);
            for (int e = 0; e < p.ne; ++e) n.b[e] = 15 * std::max(0.0, std::sin(0.3 * k + phase + 2 * e));
            qp.b = n.b;
            for (int i = 0; i < p.nm; ++i) {
                qp.h[i] = 2 * p.weight[i];
                qp.lo[i] = prev[i] * std::exp(-T * (0.5 + 1.5 * prev[i]) / tau_d);
                qp.hi[i] = 1 - (1 - prev[i]) * std::exp(-T / (tau_a * (0.5 + 1.5 * prev[i])));
            }
            const QPResult& res = solver.solve(qp, false);
            REQUIRE(res.status == QPStatus::Optimal);
            n.a_first.assign(res.x.data(), res.x.data() + p.nm);
            prev = n.a_first;
            p.nodes.push_back(n);
        }
        PlanOptions opt;
        opt.tolerance = 1e-6;
        opt.max_iterations = 20000;
        const ActivationPlan plan = solveActivationPlan(p, opt);
        INFO("trial " << trial << ": iterations " << plan.iterations << ", split " << plan.max_split);
        REQUIRE(plan.converged);
        // Both bounds hold along the plan (rates from the first pass's activations, as planned).
        for (int k = 0; k < 40; ++k)
            for (int i = 0; i < p.nm; ++i) {
                const double a0 = k == 0 ? p.a_start[i] : plan.a[k - 1][i];
                const double abar = k == 0 ? p.a_start[i] : p.nodes[k - 1].a_first[i];
                CHECK(plan.a[k][i] >= a0 * std::exp(-T * (0.5 + 1.5 * abar) / tau_d) - 1e-5);
                CHECK(plan.a[k][i] <= 1 - (1 - a0) * std::exp(-T / (tau_a * (0.5 + 1.5 * abar))) + 1e-5);
            }
        // The first pass is a feasible point of the plan's problem, so the plan costs no more,
        // and making it feasible leaves it where it is.
        CHECK(plan.objective <= plan.objective_first_pass * (1 + 1e-4));
        CHECK(plan.objective_first_pass_feasible == Approx(plan.objective_first_pass).epsilon(1e-9));
    }
}
