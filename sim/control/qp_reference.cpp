#include "qp_reference.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include <Eigen/QR>
#include <SimTKmath.h>

namespace corestride {

namespace {

// IPOPT relaxes every bound by bound_relax_factor * max(1, |bound|) (default 1e-8,
// Wachter & Biegler 2006, Math Program 106:25-57, eq. 35), and Simbody 3.7 does not pass
// that option on. The bound handed to IPOPT is therefore moved inward so that the relaxed
// bound is the true one (to rounding).
constexpr double kIpoptBoundRelax = 1e-8;

double compensateLower(double lo) {
    if (!std::isfinite(lo)) return lo;
    const double shifted = lo + kIpoptBoundRelax;  // |shifted| < 1: relaxed by exactly 1e-8
    if (std::abs(shifted) < 1) return shifted;
    return (lo > 0) ? lo / (1 - kIpoptBoundRelax) : lo / (1 + kIpoptBoundRelax);
}

double compensateUpper(double hi) { return -compensateLower(-hi); }

// BoxQP as a SimTK::OptimizerSystem, in the scaled unknowns y = sqrt(h) x, whose Hessian is
// the identity: IPOPT (with the limited-memory Hessian Simbody imposes) then converges
// reliably, which it does not on the raw problem when h spans 0.5 to 2000 (it stopped with
// "Restoration failed" on 4 of the first 10 random test problems). Objective, gradient, the m
// equality rows A S^-1 y - b and their constant Jacobian A S^-1 (S = diag(sqrt(h))), and the
// box as parameter limits. Simbody hands over Vectors that view contiguous memory, which
// Eigen maps directly.
class BoxQPSystem : public SimTK::OptimizerSystem {
public:
    explicit BoxQPSystem(const BoxQP& qp)
        : qp_(qp), scale_(qp.h.cwiseSqrt()), c_scaled_(qp.c.cwiseQuotient(scale_)),
          A_scaled_(qp.A * scale_.cwiseInverse().asDiagonal()) {
        const int n = static_cast<int>(qp.h.size());
        const int m = static_cast<int>(qp.b.size());
        setNumParameters(n);
        setNumEqualityConstraints(m);
        setNumLinearEqualityConstraints(m);
        SimTK::Vector lo(n), hi(n);
        for (int i = 0; i < n; ++i) {
            lo[i] = qp.lo[i] * scale_[i];
            hi[i] = qp.hi[i] * scale_[i];
            if (hi[i] - lo[i] > 4 * kIpoptBoundRelax * std::max({1.0, std::abs(lo[i]), std::abs(hi[i])})) {
                lo[i] = compensateLower(lo[i]);
                hi[i] = compensateUpper(hi[i]);
            }
        }
        setParameterLimits(lo, hi);
    }

    const Eigen::VectorXd& getScale() const { return scale_; }

    int objectiveFunc(const SimTK::Vector& p, bool, SimTK::Real& f) const override {
        const auto y = view(p);
        f = 0.5 * y.squaredNorm() + c_scaled_.dot(y);
        return 0;
    }
    int gradientFunc(const SimTK::Vector& p, bool, SimTK::Vector& gradient) const override {
        ++gradient_evaluations;
        update(gradient) = view(p) + c_scaled_;
        return 0;
    }
    int constraintFunc(const SimTK::Vector& p, bool, SimTK::Vector& constraints) const override {
        update(constraints) = A_scaled_ * view(p) - qp_.b;
        return 0;
    }
    int constraintJacobian(const SimTK::Vector&, bool, SimTK::Matrix& jac) const override {
        for (int j = 0; j < jac.ncol(); ++j)
            for (int i = 0; i < jac.nrow(); ++i) jac(i, j) = A_scaled_(i, j);
        return 0;
    }

    mutable int gradient_evaluations = 0;

private:
    static Eigen::Map<const Eigen::VectorXd> view(const SimTK::Vector& v) {
        return Eigen::Map<const Eigen::VectorXd>(&v[0], v.size());
    }
    static Eigen::Map<Eigen::VectorXd> update(SimTK::Vector& v) {
        return Eigen::Map<Eigen::VectorXd>(&v[0], v.size());
    }

    const BoxQP& qp_;
    Eigen::VectorXd scale_, c_scaled_;
    Eigen::MatrixXd A_scaled_;
};

bool contains(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

// Least-squares equality multipliers from H x + c = A^T lambda on the variables off their
// bounds (all variables when fewer than m are off their bounds).
Eigen::VectorXd estimateMultipliers(const BoxQP& qp, const Eigen::VectorXd& x) {
    const int n = static_cast<int>(x.size());
    std::vector<int> inner;
    for (int i = 0; i < n; ++i) {
        const double margin_lo = x[i] - qp.lo[i], margin_hi = qp.hi[i] - x[i];
        if (margin_lo > 1e-6 * (1 + std::abs(qp.lo[i])) && margin_hi > 1e-6 * (1 + std::abs(qp.hi[i])))
            inner.push_back(i);
    }
    if (static_cast<int>(inner.size()) < qp.A.rows()) {
        inner.resize(n);
        for (int i = 0; i < n; ++i) inner[i] = i;
    }
    Eigen::MatrixXd At(inner.size(), qp.A.rows());
    Eigen::VectorXd rhs(inner.size());
    for (size_t k = 0; k < inner.size(); ++k) {
        const int i = inner[k];
        At.row(k) = qp.A.col(i).transpose();
        rhs[k] = qp.h[i] * x[i] + qp.c[i];
    }
    return At.colPivHouseholderQr().solve(rhs);
}

}  // namespace

QPResult solveReferenceQP(const BoxQP& qp, const ReferenceQPOptions& options, std::string* message) {
    const int n = static_cast<int>(qp.h.size());
    const double b_scale = (qp.b.size() > 0) ? qp.b.lpNorm<Eigen::Infinity>() : 0.0;
    BoxQPSystem system(qp);
    const Eigen::VectorXd& scale = system.getScale();

    // One IPOPT run from the initial guess; returns IPOPT's failure message, empty on success.
    SimTK::Vector y(n);
    auto attempt = [&](double tolerance) -> std::string {
        for (int i = 0; i < n; ++i) {
            const double guess = (options.initial_guess.size() == n) ? options.initial_guess[i] : 0.0;
            y[i] = std::min(std::max(guess, qp.lo[i]), qp.hi[i]) * scale[i];
        }
        try {
            SimTK::Optimizer optimizer(system, SimTK::InteriorPoint);
            optimizer.setConvergenceTolerance(tolerance);
            // Absolute, in the units of b: made relative to the size of b.
            optimizer.setConstraintTolerance(tolerance * (1 + b_scale));
            optimizer.setMaxIterations(options.max_iterations);
            optimizer.setDiagnosticsLevel(0);
            optimizer.useNumericalGradient(false);
            optimizer.useNumericalJacobian(false);
            // No projection onto the (compensated) bounds at the end: it would cost A x = b.
            optimizer.setAdvancedStrOption("honor_original_bounds", "no");
            optimizer.optimize(y);
            return std::string();
        } catch (const std::exception& e) {
            return e.what();
        }
    };
    auto residual = [&]() {
        Eigen::VectorXd x(n);
        for (int i = 0; i < n; ++i) x[i] = y[i] / scale[i];
        return calcEqualityResidual(qp, x);
    };
    const double feasible_tol = 1e-6 * (1 + b_scale);

    // IPOPT sometimes stalls on dual infeasibility just above its tolerance and gives up in
    // restoration near a feasible point (about 1 in 100 of the test problems at 1e-10): it
    // is then run again with the tolerance 10 and 100 times looser.
    std::string what = attempt(options.tolerance);
    for (int looser : {10, 100}) {
        if (what.empty() || contains(what, "Maximum iterations") || residual() > feasible_tol) break;
        const std::string retry = attempt(looser * options.tolerance);
        what = retry.empty() ? std::string() : what + " | at " + std::to_string(looser) + " x tolerance: " + retry;
    }

    // Back to x; the compensated bounds leave x at most a rounding error outside the box.
    QPResult result;
    result.x.resize(n);
    for (int i = 0; i < n; ++i) result.x[i] = std::min(std::max(y[i] / scale[i], qp.lo[i]), qp.hi[i]);
    result.iterations = system.gradient_evaluations;
    result.objective = calcQPObjective(qp, result.x);
    result.equality_residual = calcEqualityResidual(qp, result.x);
    result.lambda = estimateMultipliers(qp, result.x);
    if (what.empty()) result.status = QPStatus::Optimal;
    else if (contains(what, "Maximum iterations")) result.status = QPStatus::IterationLimit;
    else if (result.equality_residual > feasible_tol) result.status = QPStatus::Infeasible;
    else result.status = QPStatus::IterationLimit;  // stopped near a feasible point, unconverged
    if (message) *message = what;
    return result;
}

}  // namespace corestride
