// A whole-run activation plan for computed muscle control (docs/lumbar_audit.md, finding 7;
// docs/simulation.md, "Activation plan").
//
// CMC's static optimisation sees one control interval at a time: a muscle it switches fully on
// at push-off cannot switch off faster than its deactivation allows (tau_d = 60 ms, De Groote et
// al. 2016, Ann Biomed Eng 44:2922). The plan is the same static optimisation over every node of
// the run at once, with the activation dynamics between consecutive nodes as constraints, as
// whole-motion optimisations with activation dynamics do (De Groote et al. 2016): a muscle whose
// force will soon be unwanted can be spared now. (Measured: it does not lower the flight-phase
// co-contraction; docs/lumbar_audit.md, finding 7.)
//
//     minimize    sum_k [ sum_i w_i a_ki^2 + sum_e r_ke^2 ]
//     subject to  A_k a_k + diag(o) r_k = b_k                (node k's balance rows, from a first CMC pass)
//                 a_ki >= Ed_ki a_(k-1),i                      (excitation 0 from node k-1 to node k)
//                 amax_i - a_ki >= Ea_ki (amax_i - a_(k-1),i)  (excitation amax_i)
//                 0 <= a_ki <= amax_i,  |r_ke| <= bound_e,  a_0 fixed
//
// with Ed_ki = exp(-T_k (0.5 + 1.5 abar) / tau_d) and Ea_ki = exp(-T_k / (tau_a (0.5 + 1.5 abar))),
// abar the first pass's activation at node k-1: CMC's own interval bounds (cmc.cpp) with their
// rates taken from the first pass. The tracking pass enforces the exact bounds.
//
// Solved by consensus ADMM (Boyd et al. 2011, Found Trends Mach Learn 3:1) over three copies of
// the activations: one meets each node's rows (one static optimisation per node, ActiveSetQP as
// CMC solves it), one the deactivation bound and one the activation bound. Those two are
// projections of each muscle's trajectory onto a cone {z_k >= E_k z_(k-1)} (for the activation
// bound, of amax - a). With z_k = P_k y_k, P_k = E_1 ... E_k, the cone is {y non-decreasing},
// so the projection is a weighted isotonic regression (weights P_k^2), solved exactly by
// pooling adjacent violators.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

namespace corestride {

// One node: the length of time since the previous node, its balance rows over the muscles'
// activations (A: ne x nm) and the row actuators, and the first pass's activations there.
struct PlanNode {
    double T = 0;
    Eigen::MatrixXd A;
    Eigen::VectorXd b;
    std::vector<double> a_first;   // nm
};

struct PlanProblem {
    int nm = 0, ne = 0;
    Eigen::VectorXd weight;              // w_i (nm)
    std::vector<double> amax;            // nm
    std::vector<double> actuator_gain;   // o_e (ne): generalized force per unit control
    std::vector<double> actuator_bound;  // bound on each row control (ne)
    double tau_activation = 0.015, tau_deactivation = 0.060;   // s
    std::vector<double> a_start;         // activations at node 0 (nm), fixed
    std::vector<PlanNode> nodes;         // nodes 1 .. K
};

struct PlanOptions {
    double rho = 1;                 // initial ADMM penalty, in units of each muscle's cost curvature (adapted)
    // Stop when every copy is within this of the consensus and the consensus moved less than
    // this in the last iteration (activation units).
    double tolerance = 2e-4;
    int max_iterations = 5000;
};

struct ActivationPlan {
    bool converged = false;
    std::vector<std::vector<double>> a;   // per node 1 .. K, the planned activations (nm)
    double objective_first_pass = 0;      // the cost of the first pass's activations (rows met by the actuators)
    double objective = 0;                 // the cost of the plan (the same rows)
    // The cost of the first pass made feasible: each activation clamped, node by node, into
    // the bounds its (clamped) predecessor allows (the first pass's realised activations break
    // them by first_pass_violation). A feasible point of the plan's problem, so the plan's
    // optimum costs no more (up to the ADMM tolerance).
    double objective_first_pass_feasible = 0;
    double activation_cost_first_pass = 0, activation_cost = 0;   // the activations' part of each
    double max_split = 0;                 // largest |copy - consensus| at the end (activation)
    double first_pass_violation = 0;      // largest violation of the plan's bounds by the first pass (activation)
    double max_dual = 0;                  // the consensus's last move (activation)
    int iterations = 0, qp_failures = 0;  // node solves that failed (the node keeps its previous copy)
    double wall_time = 0;                 // s
};

ActivationPlan solveActivationPlan(const PlanProblem& problem, const PlanOptions& options = PlanOptions());

// The projection of v (nodes 1 .. K of one muscle) onto {z: z_k >= E_k z_(k-1), z_0 = z0} in the
// Euclidean norm (E_k in (0, 1]); exposed for its test.
std::vector<double> projectDeactivationCone(double z0, const std::vector<double>& v, const std::vector<double>& E);

}  // namespace corestride
