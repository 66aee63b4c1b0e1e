#include "qp_solver.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace corestride {

namespace {

// The Schur complement is rebuilt from scratch after this many rank-one updates, so that
// rounding errors of the updates cannot accumulate.
constexpr int kRebuildInterval = 16;
// A working set is accepted only if every Cholesky pivot of its S is at least kAcceptPivot
// times the diagonal entry. A set once accepted is refactored (after updates or a rebuild,
// which change S by rounding errors) with the laxer kRefactorPivot, so it is never rejected
// later for rounding.
constexpr double kAcceptPivot = 1e-12;
constexpr double kRefactorPivot = 1e-14;
// A downdate that removes all but this fraction of a column's weight cancels digits: rebuild.
constexpr double kCancellationTol = 1e-6;
// Relative tolerance on the sign of a bound multiplier, against the size of its terms.
constexpr double kDualTol = 1e-11;

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

const char* toString(QPStatus status) {
    switch (status) {
        case QPStatus::Optimal: return "optimal";
        case QPStatus::Infeasible: return "infeasible";
        case QPStatus::RankDeficient: return "rank-deficient equality constraints";
        case QPStatus::IterationLimit: return "iteration limit";
    }
    return "unknown";
}

double calcQPObjective(const BoxQP& qp, const Eigen::VectorXd& x) {
    return 0.5 * x.dot(qp.h.cwiseProduct(x)) + qp.c.dot(x);
}

double calcEqualityResidual(const BoxQP& qp, const Eigen::VectorXd& x) {
    return (qp.A * x - qp.b).lpNorm<Eigen::Infinity>();
}

ActiveSetQP::ActiveSetQP(int n, int m, const QPOptions& options)
    : n_(n), m_(m), options_(options), set_(n, kFree), warm_set_(n, kFree),
      B_(m, n), S_(m, m), S_trial_(m, m), llt_(m), llt_trial_(m), x_(n), mu_(n), g_(n), z_(n), inv_sqrt_h_(n),
      lambda_(m), w_(m), r_(m) {
    assert(n > 0 && m >= 0);
    result_.x.setZero(n);
    result_.lambda.setZero(m);
}

// The starting working set: every bound inactive (cold), or the previous solve's active
// bounds that still exist in this problem (warm). Fixed variables sit at their bound.
void ActiveSetQP::setUpWorkingSet(const BoxQP& qp, bool warm) {
    for (int i = 0; i < n_; ++i) {
        signed char s = warm ? warm_set_[i] : static_cast<signed char>(kFree);
        if (s != kFree) {
            if (qp.lo[i] == qp.hi[i]) s = kFixed;
            else if (s == kLower && std::isfinite(qp.lo[i])) s = kLower;
            else if (s == kUpper && std::isfinite(qp.hi[i])) s = kUpper;
            else s = kFree;
        }
        set_[i] = s;
        if (s == kLower || s == kFixed) x_[i] = qp.lo[i];
        if (s == kUpper) x_[i] = qp.hi[i];
        if (s == kFree) B_.col(i) = qp.A.col(i) * inv_sqrt_h_[i];
        else B_.col(i).setZero();
    }
}

// Drops the active bound of variable j: one more column in B, a rank-one update of S = B B^T
// and its factor. Adding a column to a positive definite S keeps it so.
void ActiveSetQP::releaseBound(const BoxQP& qp, int j) {
    set_[j] = kFree;
    B_.col(j) = qp.A.col(j) * inv_sqrt_h_[j];
    S_.selfadjointView<Eigen::Lower>().rankUpdate(B_.col(j), 1.0);
    ++updates_since_build_;
    if (!factorSchur()) {
        buildSchur();
        factorSchur();
    }
}

// S = B B^T from scratch. Only the lower triangle of S is kept (the Cholesky factor and
// the pivot test read nothing else).
void ActiveSetQP::buildSchur() {
    S_.setZero();
    S_.selfadjointView<Eigen::Lower>().rankUpdate(B_);
    updates_since_build_ = 0;
}

// Cholesky factor of S; false when S is not (numerically) positive definite, that is when
// the free columns of A do not span all m rows: a pivot below pivot_tol times its diagonal.
bool ActiveSetQP::factor(const Eigen::MatrixXd& S, Eigen::LLT<Eigen::MatrixXd>& llt, double pivot_tol) {
    llt.compute(S);
    if (llt.info() != Eigen::Success) return false;
    const auto& L = llt.matrixLLT();
    for (int i = 0; i < S.rows(); ++i) {
        if (!(L(i, i) * L(i, i) > pivot_tol * S(i, i))) return false;
    }
    return true;
}

bool ActiveSetQP::factorSchur() { return factor(S_, llt_, kRefactorPivot); }

// The minimiser for the current working set, from scratch:
//   S lambda = b - A_B x_B + A_F H_F^-1 c_F,   x_F = H_F^-1 (A_F^T lambda - c_F),
//   mu_B = H_B x_B + c_B - A_B^T lambda.
void ActiveSetQP::calcSolution(const BoxQP& qp) {
    for (int i = 0; i < n_; ++i) z_[i] = (set_[i] == kFree) ? -qp.c[i] / qp.h[i] : x_[i];
    r_ = qp.b;
    r_.noalias() -= qp.A * z_;
    lambda_ = r_;
    llt_.solveInPlace(lambda_);
    g_.noalias() = qp.A.transpose() * lambda_;
    for (int i = 0; i < n_; ++i) {
        if (set_[i] == kFree) {
            x_[i] = (g_[i] - qp.c[i]) / qp.h[i];
            mu_[i] = 0;
        } else {
            mu_[i] = qp.h[i] * x_[i] + qp.c[i] - g_[i];
        }
    }
}

// The free variable whose bound is violated most, measured by the objective increase a
// fix would roughly cost (h_j times the squared violation); -1 when none is violated.
int ActiveSetQP::findMostViolated(const BoxQP& qp) const {
    int worst = -1;
    double worst_score = 0;
    for (int i = 0; i < n_; ++i) {
        if (set_[i] != kFree) continue;
        double violation = 0;
        if (x_[i] < qp.lo[i]) {
            violation = qp.lo[i] - x_[i];
            if (violation <= options_.feasibility_tol * (1 + std::abs(qp.lo[i]))) continue;
        } else if (x_[i] > qp.hi[i]) {
            violation = x_[i] - qp.hi[i];
            if (violation <= options_.feasibility_tol * (1 + std::abs(qp.hi[i]))) continue;
        } else {
            continue;
        }
        const double score = qp.h[i] * violation * violation;
        if (score > worst_score) {
            worst_score = score;
            worst = i;
        }
    }
    return worst;
}

// Drops active bounds whose multipliers have the wrong sign, one at a time (the worst
// first), re-solving after each drop, until the working set is dual feasible. Needed after
// a warm start and when a rebuild from scratch corrects the signs of tiny multipliers.
// Expects a fresh calcSolution. False when the iteration limit is reached.
bool ActiveSetQP::restoreDualFeasibility(const BoxQP& qp) {
    for (;;) {
        int worst = -1;
        double worst_score = 0;
        for (int i = 0; i < n_; ++i) {
            if (set_[i] != kLower && set_[i] != kUpper) continue;
            const double wrong = (set_[i] == kLower) ? -mu_[i] : mu_[i];
            const double tol = kDualTol * (std::abs(qp.h[i] * x_[i]) + std::abs(qp.c[i]) + std::abs(g_[i]));
            if (wrong <= tol) continue;
            const double score = wrong * wrong / qp.h[i];
            if (score > worst_score) {
                worst_score = score;
                worst = i;
            }
        }
        if (worst < 0) return true;
        if (result_.iterations >= options_.max_iterations) return false;
        ++result_.iterations;
        releaseBound(qp, worst);
        calcSolution(qp);
    }
}

// One Goldfarb-Idnani "add constraint" step for the violated bound of variable j. The
// iterate moves along the path of minimisers with x_j pushed toward its bound, parametrised
// by the growth of the new bound's multiplier. Per unit of the step s (w = S^-1 a_j,
// g = A^T w, gamma = g_j / h_j, sigma = +1 toward a lower bound, -1 toward an upper):
//   d lambda = -sigma w,   d x_l = -sigma g_l / h_l (free l != j),
//   d x_j = sigma (1 - gamma),   d mu_k = sigma g_k (bound k),   d mu_j = sigma h_j.
// Partial step: an active bound's multiplier reaches zero first; that bound is dropped and
// the step repeated. Full step: x_j reaches its bound, which joins the working set. When
// the other constraints determine x_j (gamma = 1: the new bound depends linearly on the
// active ones) only the multipliers move. When x_j cannot reach its bound (gamma = 1, or
// fixing it would leave a numerically singular S) and no active bound can be dropped, the
// problem is infeasible. Returns Optimal once the bound is added.
QPStatus ActiveSetQP::addBound(const BoxQP& qp, int j) {
    const bool below = x_[j] < qp.lo[j];
    const double sigma = below ? 1.0 : -1.0;
    const double target = below ? qp.lo[j] : qp.hi[j];
    for (;;) {
        if (result_.iterations >= options_.max_iterations) return QPStatus::IterationLimit;
        ++result_.iterations;

        // Direction.
        w_ = qp.A.col(j);
        llt_.solveInPlace(w_);
        g_.noalias() = qp.A.transpose() * w_;
        const double one_minus_gamma = 1.0 - g_[j] / qp.h[j];
        const bool moves = one_minus_gamma > options_.singular_tol;  // else x stays put

        // Dual step length: the first active multiplier to reach zero.
        double dual_step = kInf;
        int blocking = -1;
        for (int k = 0; k < n_; ++k) {
            const double rate = sigma * g_[k];
            double s = kInf;
            if (set_[k] == kLower && rate < 0) s = std::max(mu_[k], 0.0) / -rate;
            else if (set_[k] == kUpper && rate > 0) s = std::max(-mu_[k], 0.0) / rate;
            if (s < dual_step) {
                dual_step = s;
                blocking = k;
            }
        }
        // Primal step length: x_j reaches its bound. Taken only if S without column j
        // factors (S_trial_, which then becomes S).
        const double primal_step = moves ? std::abs(target - x_[j]) / one_minus_gamma : kInf;
        bool full = moves && primal_step <= dual_step;
        if (full) {
            S_trial_ = S_;
            S_trial_.selfadjointView<Eigen::Lower>().rankUpdate(B_.col(j), -1.0);
            full = factor(S_trial_, llt_trial_, kAcceptPivot);
        }
        if (!full && blocking < 0) return QPStatus::Infeasible;
        const double step = full ? primal_step : dual_step;

        // Move primal and dual variables.
        const double ds = sigma * step;
        lambda_.noalias() -= ds * w_;
        for (int k = 0; k < n_; ++k) {
            if (set_[k] != kFree) mu_[k] += ds * g_[k];
            else if (k != j && moves) x_[k] -= ds * g_[k] / qp.h[k];
        }
        mu_[j] += ds * qp.h[j];
        if (moves) x_[j] += ds * one_minus_gamma;

        if (full) {
            // Full step: the bound joins the working set.
            x_[j] = target;
            set_[j] = (qp.lo[j] == qp.hi[j]) ? kFixed : (below ? kLower : kUpper);
            B_.col(j).setZero();
            S_ = S_trial_;
            llt_ = llt_trial_;
            ++updates_since_build_;
            if (updates_since_build_ >= kRebuildInterval || one_minus_gamma < kCancellationTol) {
                buildSchur();
                if (factorSchur()) {
                    calcSolution(qp);
                } else {  // cannot happen after the accept test; keep the updated S
                    S_ = S_trial_;
                    llt_ = llt_trial_;
                    updates_since_build_ = 1;
                }
            }
            return QPStatus::Optimal;
        }
        // Partial step: drop the blocking bound and push on.
        mu_[blocking] = 0;
        releaseBound(qp, blocking);
    }
}

void ActiveSetQP::finish(const BoxQP& qp, QPStatus status) {
    result_.status = status;
    result_.x = x_;
    result_.lambda = lambda_;
    double objective = 0;
    for (int i = 0; i < n_; ++i) objective += (0.5 * qp.h[i] * x_[i] + qp.c[i]) * x_[i];
    result_.objective = objective;
    r_ = -qp.b;
    r_.noalias() += qp.A * x_;
    result_.equality_residual = (m_ > 0) ? r_.lpNorm<Eigen::Infinity>() : 0.0;
    have_warm_ = (status == QPStatus::Optimal);
    if (have_warm_) warm_set_ = set_;
}

const QPResult& ActiveSetQP::solve(const BoxQP& qp, bool warm_start) {
    assert(qp.h.size() == n_ && qp.c.size() == n_ && qp.lo.size() == n_ && qp.hi.size() == n_);
    assert(qp.A.rows() == m_ && qp.A.cols() == n_ && qp.b.size() == m_);
    result_.iterations = 0;
    for (int i = 0; i < n_; ++i) {
        assert(qp.h[i] > 0);
        inv_sqrt_h_[i] = 1.0 / std::sqrt(qp.h[i]);
    }

    // Start: the minimiser with the equality rows and the starting working set active.
    const bool warm = warm_start && have_warm_;
    setUpWorkingSet(qp, warm);
    buildSchur();
    if (!factor(S_, llt_, kAcceptPivot)) {
        // The remembered set leaves too few free columns for this problem: start cold.
        if (warm) setUpWorkingSet(qp, false);
        buildSchur();
        if (!warm || !factor(S_, llt_, kAcceptPivot)) {
            x_.setZero();
            lambda_.setZero();
            finish(qp, QPStatus::RankDeficient);
            return result_;
        }
    }
    calcSolution(qp);
    for (int i = 0; i < n_; ++i) {
        if (!(qp.lo[i] <= qp.hi[i])) {
            finish(qp, QPStatus::Infeasible);
            return result_;
        }
    }
    if (!restoreDualFeasibility(qp)) {
        finish(qp, QPStatus::IterationLimit);
        return result_;
    }

    // Add violated bounds until there are none. The answer is confirmed on a Schur
    // complement rebuilt from scratch, so it does not depend on the path of updates.
    for (;;) {
        const int j = findMostViolated(qp);
        if (j < 0) {
            if (updates_since_build_ == 0) break;
            buildSchur();
            if (!factorSchur()) {
                finish(qp, QPStatus::RankDeficient);
                return result_;
            }
            calcSolution(qp);
            if (!restoreDualFeasibility(qp)) {
                finish(qp, QPStatus::IterationLimit);
                return result_;
            }
            continue;
        }
        const QPStatus status = addBound(qp, j);
        if (status != QPStatus::Optimal) {
            finish(qp, status);
            return result_;
        }
    }
    finish(qp, QPStatus::Optimal);
    return result_;
}

}  // namespace corestride
