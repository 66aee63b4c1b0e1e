#include "activation_plan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "qp_solver.h"

namespace corestride {

std::vector<double> projectDeactivationCone(double z0, const std::vector<double>& v, const std::vector<double>& E) {
    // Weighted isotonic regression of y_k = z_k / P_k (targets v_k / P_k, weights P_k^2) by pooling
    // adjacent violators, kept in each block's own scale to avoid the underflow of P_k over long
    // runs: a block starting at s holds S1 = sum (P_k / P_s) v_k and S2 = sum (P_k / P_s)^2, and
    // its z at s is S1 / S2. Node 0 is fixed by a weight that dwarfs the others.
    const int K = static_cast<int>(v.size());
    std::vector<double> logP(K + 1, 0.0);
    for (int k = 1; k <= K; ++k) logP[k] = logP[k - 1] + std::log(E[k - 1]);
    struct Block { int start; double s1, s2; };
    std::vector<Block> blocks;
    blocks.reserve(K + 1);
    constexpr double kFixed = 1e12;
    blocks.push_back({0, kFixed * z0, kFixed});
    for (int k = 1; k <= K; ++k) {
        blocks.push_back({k, v[k - 1], 1.0});
        while (blocks.size() >= 2) {
            Block& next = blocks.back();
            Block& prev = blocks[blocks.size() - 2];
            const double r = std::exp(logP[next.start] - logP[prev.start]);
            if (prev.s1 / prev.s2 * r <= next.s1 / next.s2) break;
            prev.s1 += r * next.s1;
            prev.s2 += r * r * next.s2;
            blocks.pop_back();
        }
    }
    std::vector<double> z(K);
    for (size_t b = 0; b < blocks.size(); ++b) {
        const int end = b + 1 < blocks.size() ? blocks[b + 1].start : K + 1;
        const double zs = blocks[b].s1 / blocks[b].s2;
        for (int k = std::max(1, blocks[b].start); k < end; ++k) z[k - 1] = zs * std::exp(logP[k] - logP[blocks[b].start]);
    }
    return z;
}

namespace {

// The cost of activations a at every node, the rows met by the actuators (clamped to their
// bounds); `activation` receives the activations' part.
double planCost(const PlanProblem& p, const std::vector<std::vector<double>>& a, double& activation) {
    double f = 0;
    for (size_t k = 0; k < p.nodes.size(); ++k) {
        for (int i = 0; i < p.nm; ++i) f += p.weight[i] * a[k][i] * a[k][i];
    }
    activation = f;
    for (size_t k = 0; k < p.nodes.size(); ++k) {
        const PlanNode& n = p.nodes[k];
        for (int e = 0; e < p.ne; ++e) {
            double need = n.b[e];
            for (int i = 0; i < p.nm; ++i) need -= n.A(e, i) * a[k][i];
            const double r = std::clamp(need / p.actuator_gain[e], -p.actuator_bound[e], p.actuator_bound[e]);
            f += r * r;
        }
    }
    return f;
}

}  // namespace

ActivationPlan solveActivationPlan(const PlanProblem& p, const PlanOptions& opt) {
    const auto start = std::chrono::steady_clock::now();
    ActivationPlan out;
    const int K = static_cast<int>(p.nodes.size()), nm = p.nm, ne = p.ne;
    if (K == 0) { out.converged = true; return out; }

    // Per node and muscle the deactivation and activation factors, from the first pass's
    // activation at the previous node, and how far the first pass itself is from the bounds they
    // make (its realised activations follow the integrator's smooth dynamics, not the bounds'
    // exponentials).
    std::vector<std::vector<double>> Ed(nm, std::vector<double>(K)), Ea = Ed;
    for (int k = 0; k < K; ++k)
        for (int i = 0; i < nm; ++i) {
            const double prev = k == 0 ? p.a_start[i] : p.nodes[k - 1].a_first[i], now = p.nodes[k].a_first[i];
            Ed[i][k] = std::exp(-p.nodes[k].T * (0.5 + 1.5 * prev) / p.tau_deactivation);
            Ea[i][k] = std::exp(-p.nodes[k].T / (p.tau_activation * (0.5 + 1.5 * prev)));
            out.first_pass_violation = std::max({out.first_pass_violation, Ed[i][k] * prev - now,
                                                 now - (p.amax[i] - (p.amax[i] - prev) * Ea[i][k])});
        }
    // Consensus ADMM over three copies of the activations: xq meets the rows, xd the
    // deactivation cone, xa the activation cone (amax - a decays no faster than E_a allows);
    // z is their consensus, uq, ud, ua the scaled multipliers.
    using Traj = std::vector<std::vector<double>>;
    Traj xq(K, std::vector<double>(nm)), xd = xq, xa = xq, z = xq, uq = xq, ud = xq, ua = xq;
    for (int k = 0; k < K; ++k) xq[k] = p.nodes[k].a_first;
    out.objective_first_pass = planCost(p, xq, out.activation_cost_first_pass);
    z = xq;
    std::vector<double> v(K);
    auto projectDeact = [&](int i, const Traj& base, const Traj& mult, Traj& x) {
        for (int k = 0; k < K; ++k) v[k] = base[k][i] - mult[k][i];
        const std::vector<double> xi = projectDeactivationCone(p.a_start[i], v, Ed[i]);
        for (int k = 0; k < K; ++k) x[k][i] = xi[k];
    };
    auto projectAct = [&](int i, const Traj& base, const Traj& mult, Traj& x) {
        for (int k = 0; k < K; ++k) v[k] = p.amax[i] - (base[k][i] - mult[k][i]);
        const std::vector<double> xi = projectDeactivationCone(p.amax[i] - p.a_start[i], v, Ea[i]);
        for (int k = 0; k < K; ++k) x[k][i] = p.amax[i] - xi[k];
    };

    // A feasible point from the first pass: each activation clamped, node by node, into the
    // interval its predecessor allows, [Ed a_(k-1), amax - Ea (amax - a_(k-1))], which is never
    // empty (Ed, Ea <= 1); a first pass that meets the bounds is left as it is.
    {
        Traj feasible = xq;
        for (int i = 0; i < nm; ++i)
            for (int k = 0; k < K; ++k) {
                const double prev = k == 0 ? p.a_start[i] : feasible[k - 1][i];
                feasible[k][i] = std::clamp(feasible[k][i], Ed[i][k] * prev, p.amax[i] - Ea[i][k] * (p.amax[i] - prev));
            }
        double unused = 0;
        out.objective_first_pass_feasible = planCost(p, feasible, unused);
    }

    // One static optimisation per node, set up once (only its linear term changes between
    // iterations, its diagonal with the penalty), and one solver per node: each keeps its active
    // set for the next sweep.
    const int n = nm + ne;
    std::vector<BoxQP> qps(K);
    std::vector<std::unique_ptr<ActiveSetQP>> solvers;
    for (int k = 0; k < K; ++k) {
        BoxQP& qp = qps[k];
        qp.h.resize(n); qp.c.setZero(n); qp.A.setZero(ne, n); qp.lo.resize(n); qp.hi.resize(n);
        qp.A.leftCols(nm) = p.nodes[k].A;
        qp.b = p.nodes[k].b;
        for (int e = 0; e < ne; ++e) {
            qp.h[nm + e] = 2;
            qp.lo[nm + e] = -p.actuator_bound[e];
            qp.hi[nm + e] = p.actuator_bound[e];
            qp.A(e, nm + e) = p.actuator_gain[e];
        }
        for (int i = 0; i < nm; ++i) { qp.lo[i] = 0; qp.hi[i] = p.amax[i]; }
        solvers.push_back(std::make_unique<ActiveSetQP>(n, ne));
    }
    // Penalty rho_i = scale c_i with c_i the mean curvature of the cost along activation i once
    // the actuators are eliminated, 2 w_i + 2 sum_e (A_ei / o_e)^2 (a diagonal preconditioner: a
    // muscle with large moment arms is held to the consensus as firmly as the rows hold it);
    // the scale adapted by residual balancing (Boyd et al. 2011, sec. 3.4.1).
    Eigen::VectorXd curvature = Eigen::VectorXd::Zero(nm);
    for (const PlanNode& nd : p.nodes)
        for (int i = 0; i < nm; ++i) {
            double c = 2 * p.weight[i];
            for (int e = 0; e < ne; ++e) c += 2 * std::pow(nd.A(e, i) / p.actuator_gain[e], 2);
            curvature[i] += c / K;
        }
    double scale = opt.rho;
    Eigen::VectorXd rho(nm);
    auto setPenalty = [&] {
        for (int i = 0; i < nm; ++i) {
            rho[i] = scale * curvature[i];
            for (BoxQP& qp : qps) qp.h[i] = 2 * p.weight[i] + rho[i];
        }
    };
    setPenalty();

    for (int it = 1; it <= opt.max_iterations; ++it) {
        out.iterations = it;
        // The rows' copy: each node's static optimisation, pulled towards z - uq.
        for (int k = 0; k < K; ++k) {
            BoxQP& qp = qps[k];
            for (int i = 0; i < nm; ++i) qp.c[i] = -rho[i] * (z[k][i] - uq[k][i]);
            const QPResult* res = &solvers[k]->solve(qp, true);
            if (res->status != QPStatus::Optimal) res = &solvers[k]->solve(qp, false);
            if (res->status != QPStatus::Optimal) { ++out.qp_failures; continue; }
            for (int i = 0; i < nm; ++i) xq[k][i] = res->x[i];
        }
        // The cones' copies: each muscle's trajectory projected; then the consensus and multipliers.
        double primal = 0, dual = 0;
        for (int i = 0; i < nm; ++i) {
            projectDeact(i, z, ud, xd);
            projectAct(i, z, ua, xa);
            for (int k = 0; k < K; ++k) {
                const double zn = (xq[k][i] + uq[k][i] + xd[k][i] + ud[k][i] + xa[k][i] + ua[k][i]) / 3;
                dual = std::max(dual, std::abs(zn - z[k][i]));
                z[k][i] = zn;
                uq[k][i] += xq[k][i] - zn;
                ud[k][i] += xd[k][i] - zn;
                ua[k][i] += xa[k][i] - zn;
                primal = std::max({primal, std::abs(xq[k][i] - zn), std::abs(xd[k][i] - zn), std::abs(xa[k][i] - zn)});
            }
        }
        out.max_split = primal;
        out.max_dual = dual;
        if (primal < opt.tolerance && dual < opt.tolerance) { out.converged = true; break; }
        if (it % 5 == 0 && (primal > 10 * dual || dual > 10 * primal)) {
            const double f = primal > dual ? 2.0 : 0.5;   // the scaled multipliers u = y / rho follow
            scale *= f;
            setPenalty();
            for (Traj* u : {&uq, &ud, &ua})
                for (auto& uk : *u)
                    for (double& x : uk) x /= f;
        }
    }
    // The plan: z, within [0, amax] (the cone keeps z >= 0 for a >= 0; the ceiling is a's).
    out.a = z;
    for (auto& ak : out.a)
        for (int i = 0; i < nm; ++i) ak[i] = std::clamp(ak[i], 0.0, p.amax[i]);
    out.objective = planCost(p, out.a, out.activation_cost);
    out.wall_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace corestride
