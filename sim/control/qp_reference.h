// The reference solver for BoxQP: Simbody's general nonlinear optimizer (SimTK::Optimizer
// with the InteriorPoint algorithm, that is the IPOPT bundled in SimTKmath, with the
// limited-memory Hessian Simbody imposes). ActiveSetQP is checked against it in the tests
// and timed against it in bench/qp_bench.cpp. It is slow (60-300 ms for 120-220 unknowns)
// and allocates: not for the simulation loop.
//
// Three measures make IPOPT reliable and exact enough to be a reference (see the .cpp):
// it works in the unknowns y = sqrt(h) x, whose Hessian is the identity; the bounds given
// to it are moved inward by IPOPT's own bound relaxation (1e-8 relative, which Simbody does
// not let one switch off), so the box is met exactly and no final projection breaks A x = b;
// and a run that fails near a feasible point is repeated at 10 and then 100 times the
// tolerance.
#pragma once

#include <string>

#include <Eigen/Core>

#include "qp_solver.h"

namespace corestride {

struct ReferenceQPOptions {
    Eigen::VectorXd initial_guess;  // n, or empty: 0 clamped to the box
    double tolerance = 1e-10;       // IPOPT's convergence tolerance; times (1 + max|b|) for A x = b
    int max_iterations = 3000;      // IPOPT iterations per run
};

// Solves qp with SimTK::Optimizer. status: Optimal when IPOPT reports success; else
// IterationLimit when it ran out of iterations or stopped, unconverged, at a point meeting
// A x = b to 1e-6 (1 + max|b|); else Infeasible (it could not meet the equality rows inside
// the box). lambda is a least-squares estimate from the stationarity rows of the variables
// off their bounds; iterations counts gradient evaluations over all runs. IPOPT's failure
// messages (empty on success) go to *message when given. Throws nothing. Simbody prints one
// line to stdout if IPOPT ever stops at its "acceptable" level (it should not: those
// tolerances are set equal to the convergence tolerance).
QPResult solveReferenceQP(const BoxQP& qp, const ReferenceQPOptions& options = ReferenceQPOptions(),
                          std::string* message = nullptr);

}  // namespace corestride
