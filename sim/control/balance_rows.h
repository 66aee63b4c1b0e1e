// The equality rows and muscle weights of a static optimisation, shared by computed muscle
// control (cmc.cpp) and the stride prediction (stride_prediction.cpp), so that both solve the
// same muscle-recruitment problem.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "cmc.h"
#include "model.h"

namespace corestride {

// One equality row: a model coordinate (mob = -1), or, with CmcOptions::balance_levels, one
// lumbar level's own mobility of a lumbar coordinate (ratio: its share of the coordinate).
struct BalanceRow {
    int coord = 0, mob = -1;
    double ratio = 1;
};
std::vector<BalanceRow> balanceRows(const Model& model, bool balance_levels);

// Per-muscle weight of the activation cost: 1, or with ActivationCost::Volume the muscle's
// volume (fmax x lopt) relative to the mean.
Eigen::VectorXd activationWeights(const Model& model, ActivationCost cost);

}  // namespace corestride
