// The moment-arm matrix of all muscles: R(c, i) = generalized force on model coordinate c of
// a unit tension in muscle i (= -dL_i/dq_c), from one system Jacobian and the path force
// points of the last force evaluation. The per-interval cost of static optimisation.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "model.h"

namespace corestride {

// Scratch for calcMomentArmMatrix, sized once per model.
struct MomentArmWorkspace {
    SimTK::Matrix_<SimTK::SpatialVec> J;   // nb x nu system Jacobian
    std::vector<double> Jflat;             // the same, [b][u][6] contiguous
    std::vector<double> tau_u;             // nu
};

// `state` must be realized to Stage::Dynamics (the paths are those of that evaluation).
// R is resized to (coordinates x muscles).
// With R_u, also the mobility-space matrix (mobilities x muscles): each lumbar level's own
// three mobilities instead of the coupled coordinates (for multi-joint balances).
void calcMomentArmMatrix(const Model& model, const SimTK::State& state, MomentArmWorkspace& ws, Eigen::MatrixXd& R,
                         Eigen::MatrixXd* R_u = nullptr);

}  // namespace corestride
