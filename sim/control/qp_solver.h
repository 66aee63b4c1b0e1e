// Strictly convex quadratic programs with a diagonal Hessian, linear equality constraints and
// bounds on every variable: the static-optimisation problem that computed muscle control
// solves at every control interval (unknowns: muscle activations, then reserve actuators;
// equality rows: one per generalized coordinate).
//
//     minimize    0.5 * sum_i h_i x_i^2 + c^T x
//     subject to  A x = b,   lo <= x <= hi.
//
// ActiveSetQP solves it with a dual active-set method (Goldfarb & Idnani 1983, Math Program
// 27:1-33) specialised to bounds: the equality rows are always active, a bound is either
// active (its variable is fixed) or not, and every linear system is the m x m Schur
// complement S = A_F H_F^-1 A_F^T over the free variables F. A dual method needs no
// feasible starting point (no phase 1), proves infeasibility when it meets it, and restarts
// cheaply from the previous solution's active set.
#pragma once

#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace corestride {

// The problem data. n unknowns, m equality rows. h (n) must be > 0; A is m x n; lo and hi (n)
// may hold -inf / +inf; a variable with lo == hi is fixed. Units are the caller's: the solver
// is scale-aware (its tolerances are relative) but assumes nothing about them.
struct BoxQP {
    Eigen::VectorXd h, c;
    Eigen::MatrixXd A;
    Eigen::VectorXd b, lo, hi;
};

enum class QPStatus {
    Optimal,         // KKT conditions hold to the tolerances of QPOptions.
    Infeasible,      // no x in the box satisfies A x = b (a dual ray was found)
    RankDeficient,   // A has linearly dependent rows (S singular with every variable free)
    IterationLimit,  // QPOptions::max_iterations working-set changes were not enough
};
const char* toString(QPStatus status);

// The solution. Stationarity reads  H x + c = A^T lambda + mu,  with the bound multipliers
// mu = H x + c - A^T lambda >= 0 at lower bounds, <= 0 at upper bounds, 0 in between.
// On Infeasible or IterationLimit, x is the last iterate: it satisfies A x = b, but some
// bounds are violated.
struct QPResult {
    Eigen::VectorXd x;          // n
    Eigen::VectorXd lambda;     // m, equality multipliers
    QPStatus status = QPStatus::IterationLimit;
    int iterations = 0;         // working-set changes (bounds added or dropped)
    double objective = 0;       // 0.5 x^T H x + c^T x
    double equality_residual = 0;  // max_i |(A x - b)_i|
};

struct QPOptions {
    int max_iterations = 2000;  // working-set changes per solve
    // A bound is violated when x passes it by more than feasibility_tol * (1 + |bound|).
    double feasibility_tol = 1e-10;
    // Adding a bound whose variable the other constraints determine to within this relative
    // amount (1 - a_j^T S^-1 a_j / h_j) counts as adding a linearly dependent constraint.
    double singular_tol = 1e-10;
};

// 0.5 x^T H x + c^T x and max_i |(A x - b)_i| for any x (these allocate a temporary).
double calcQPObjective(const BoxQP& qp, const Eigen::VectorXd& x);
double calcEqualityResidual(const BoxQP& qp, const Eigen::VectorXd& x);

// The solver and its workspace, sized once for n unknowns and m equality rows: a solve
// allocates nothing. One instance per run (it is not thread-safe; it keeps the last active
// set for the next warm start).
class ActiveSetQP {
public:
    ActiveSetQP(int n, int m, const QPOptions& options = QPOptions());

    // Solves qp, whose sizes must be the workspace's (checked by assertion). With
    // warm_start, the search starts from the active set of the previous Optimal solve (CMC
    // calls this every control interval with a slightly changed problem); without, or when
    // that set no longer suits the problem, it starts with every bound inactive. The result
    // is a deterministic function of qp and the starting set. The reference stays valid
    // until the next call.
    const QPResult& solve(const BoxQP& qp, bool warm_start = true);

    // Forgets the stored active set: the next solve starts cold.
    void clearWarmStart() { have_warm_ = false; }


private:
    enum Bound : signed char { kFree = 0, kLower = 1, kUpper = 2, kFixed = 3 };

    void setUpWorkingSet(const BoxQP& qp, bool warm);
    void releaseBound(const BoxQP& qp, int j);
    void buildSchur();
    static bool factor(const Eigen::MatrixXd& S, Eigen::LLT<Eigen::MatrixXd>& llt, double pivot_tol);
    bool factorSchur();
    void calcSolution(const BoxQP& qp);
    int findMostViolated(const BoxQP& qp) const;
    bool restoreDualFeasibility(const BoxQP& qp);
    QPStatus addBound(const BoxQP& qp, int j);
    void finish(const BoxQP& qp, QPStatus status);

    int n_, m_;
    QPOptions options_;
    std::vector<signed char> set_, warm_set_;
    bool have_warm_ = false;
    int updates_since_build_ = 0;

    Eigen::MatrixXd B_;  // m x n: column j is a_j / sqrt(h_j) for free j, else 0
    Eigen::MatrixXd S_;  // m x m Schur complement B_ B_^T (lower triangle)
    Eigen::MatrixXd S_trial_;  // S_ without the column of the bound being added
    Eigen::LLT<Eigen::MatrixXd> llt_, llt_trial_;
    Eigen::VectorXd x_, mu_, g_, z_, inv_sqrt_h_;  // n
    Eigen::VectorXd lambda_, w_, r_;               // m
    QPResult result_;
};

}  // namespace corestride
