// Prediction of a compensated stride: how the runner's form changes for the scenario's muscles
// (docs/compensation.md). A deviation-limited optimisation of the stride in the manner of
// Fregly et al. 2007 (IEEE Trans Biomed Eng 54:1687) with inverse-dynamics-based muscle
// recruitment at each time node as in Ackermann & van den Bogert 2010 (J Biomech 43:1055).
//
// Unknowns p: the Fourier coefficients of smooth periodic deviations of every coordinate from
// the measured stride (StrideDeviation). At each of N time nodes over one stride, the deviated
// motion's inverse dynamics (with the ground-reaction transfer of stride_deviation.h) give the
// generalized forces that muscles must produce; a static optimisation with the scenario's
// strength and activation ceilings (the same rows and weights as computed muscle control)
// recruits them, with heavily penalised, bounded reserves. Its optimal value V_n(p) is the
// node's effort.
//
//   minimise   J(p) = 1/N sum_n V_n(p) - g_0^T p + w/N sum_n sum_c (delta_c(t_n) / s_c)^2
//   subject to the centre of pressure of each loaded stance foot stays on its measured ground
//              path (each component within foot_tolerance) and its shift stays inside the
//              foot (|shift| <= a quarter of the foot's length and breadth).
//
// g_0 is the gradient of the healthy runner's effort at the measured stride: the measured
// stride is taken to be the stride that the healthy runner chose, so the criterion is
// corrected to be stationary there (to first order); what moves the stride is the change of
// the effort landscape that the scenario's muscles bring. A healthy scenario's optimum is the
// measured stride.
//
// Derivatives. V_n's gradient is exact by the envelope theorem: dV_n/dtheta = lambda_n^T
// d(b - A x*)/dtheta at the QP's solution x* and equality multipliers lambda_n, with theta
// the node's coordinates, rates and accelerations. The derivatives of b, A and of the foot
// quantities with respect to theta are forward differences over the node's own variables
// (the sparsity pattern: a node depends only on its own theta) and exact for the
// accelerations (b is linear in them); the chain to p is the closed-form Fourier basis. The
// solver is IPOPT (Waechter & Biegler 2006, Math Program 106:25) with a limited-memory
// Hessian.
#pragma once

#include <string>
#include <vector>

#include "cmc.h"
#include "model.h"
#include "reference_motion.h"
#include "run_result.h"
#include "stride_deviation.h"

namespace corestride {

struct PredictionOptions {
    int nodes = 24;            // time nodes over one stride
    int harmonics = 3;         // Fourier harmonics of each deviation
    // Cost of a deviation of one scale (s_c) held over the whole stride, per coordinate, in
    // units of the node effort (sum of squared activations). Calibration: docs/compensation.md.
    double deviation_weight = 1.0;
    double rotation_scale = 0.0174533;   // rad (1 deg)
    double translation_scale = 0.01;     // m
    // Stance foot: its centre of pressure keeps its measured ground path within this (m)...
    double foot_tolerance = 0.005;
    // ...and the shift of the centre of pressure stays within a quarter of the foot's length
    // (fore-aft) and breadth (lateral). Foot length 0.152 and breadth 0.055 of body height
    // (Drillis, Contini & Bluestein 1964, Artif Limbs 8:44; as tabulated by Winter 2009,
    // Biomechanics and Motor Control of Human Movement, 4th ed., fig. 4.1).
    double cop_shift_fraction = 0.25;
    // Nodes where a foot's vertical force is below this share of body weight carry no foot
    // constraints (the centre of pressure is ill defined at the edges of stance).
    double min_stance_force = 0.2;
    // Reserves are penalised for what they add to the healthy runner's reserve at the same
    // node of the measured stride, (r - r0)^2 in (N m)^2. A predicted stride that still needs
    // more than reserve_max (N m) beyond r0 anywhere is a failure: the scenario's muscles
    // cannot run it. 25 N m is 10% of a 250 N m joint torque, the order of the running hip's;
    // OpenSim's guideline keeps peak reserves below 10% of the peak joint torque (OpenSim
    // documentation, "Reserves and residuals").
    double reserve_max = 25;
    // Cost of a change of a pelvis residual component by its Hicks et al. 2015 threshold (5%
    // of the peak external force; 1% of that times the mass centre's height for moments),
    // held over the whole stride, in units of the node effort: residuals are heavily
    // penalised (in flight a deviation changes them; in stance the ground transfer absorbs it).
    double residual_weight = 10;
    int max_iterations = 100;
    double tolerance = 1e-4;   // IPOPT's convergence tolerance (scaled NLP error)
    double objective_change = 1e-3;   // stop when J changes less than this (relative) for 3 iterations
    double fd_step = 1e-6;     // rad, m (coordinates) and rad/s, m/s (rates)
};

// The result. status: "solved", or why not ("failed: ..."); on failure the deviation is the
// last iterate and must not be used.
struct StridePrediction {
    StrideDeviation deviation;
    bool solved = false;
    std::string status;
    int iterations = 0;
    int evaluations = 0, gradient_evaluations = 0;
    PredictionCosts costs;        // at the solution
    double reserve_excess = 0;    // N m, the largest reserve beyond the healthy runner's at the solution
    double effort_measured = 0;   // the effort of the measured stride with the scenario's muscles
    double wall_time = 0;         // s
    double evaluation_time = 0;   // s, mean of one objective-and-constraint evaluation
    double gradient_time = 0;     // s, mean of one derivative evaluation
};

// Predicts the compensated stride of `reference` for the muscles of `scenario` (strength,
// activation ceilings, length scale, balance, activation cost: Cubed is treated as Squared).
// Never throws for numerical trouble: a failed solve is a status. Thread-safe, but the IPOPT
// solves of one process run one at a time (sequential MUMPS is not thread-safe).
StridePrediction predictStride(const Model& model, const ReferenceMotion& reference, const CmcOptions& scenario,
                               const PredictionOptions& options = {});

// The prediction's nonlinear program at given unknowns, for checks of its derivatives. x: the
// coefficients (coordinate-major, StrideDeviation layout) in units of each coordinate's scale
// (rotation_scale, translation_scale). Evaluates every x_i in `points` with the same problem.
struct PredictionEvaluation {
    bool ok = false;
    PredictionCosts costs;      // costs.objective is f
    Eigen::VectorXd grad_f;     // numVariables
    Eigen::VectorXd g;          // constraints (foot path and centre-of-pressure shift)
    Eigen::MatrixXd jac_g;      // constraints x variables
};
std::vector<PredictionEvaluation> evaluatePrediction(const Model& model, const ReferenceMotion& reference,
                                                     const CmcOptions& scenario, const PredictionOptions& options,
                                                     const std::vector<Eigen::VectorXd>& points, bool gradients);

}  // namespace corestride
