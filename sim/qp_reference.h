// The reference solver for BoxQP: Simbody's general nonlinear optimizer (SimTK::Optimizer
// with the InteriorPoint algorithm, that is the IPOPT bundled in SimTKmath, with its
// limited-memory Hessian). ActiveSetQP is checked against it in the tests and timed against
// it in bench/qp_bench.cpp. It is slow and allocates: not for the simulation loop.
#pragma once

#include <string>

#include <Eigen/Core>

#include "qp_solver.h"

namespace corestride {

struct ReferenceQPOptions {
    Eigen::VectorXd initial_guess;  // n, or empty: 0 clamped to the box
    double tolerance = 1e-10;       // IPOPT's convergence and constraint tolerances
    int max_iterations = 3000;      // IPOPT iterations
};

// Solves qp with SimTK::Optimizer. The status is Optimal when IPOPT reports success,
// Infeasible when it reports an infeasible problem or a failed restoration phase (its
// answer to constraints it cannot meet), IterationLimit when it runs out of iterations; any
// other IPOPT failure is Optimal if the returned x meets the equality rows to 1e-6 * (1 +
// max|b|), else IterationLimit. lambda is a least-squares estimate from the stationarity
// rows of the variables off their bounds; iterations counts gradient evaluations. IPOPT's
// message (empty on success) goes to *message when given. Throws nothing.
QPResult solveReferenceQP(const BoxQP& qp, const ReferenceQPOptions& options = ReferenceQPOptions(),
                          std::string* message = nullptr);

}  // namespace corestride
