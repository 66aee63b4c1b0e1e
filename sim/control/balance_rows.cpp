#include "balance_rows.h"

namespace corestride {

std::vector<BalanceRow> balanceRows(const Model& model, bool balance_levels) {
    std::vector<BalanceRow> rows;
    for (int c = 0; c < static_cast<int>(model.coordinates().size()); ++c) {
        const Coordinate& co = model.coordinates()[c];
        if (balance_levels && co.u.size() > 1)
            for (size_t k = 0; k < co.u.size(); ++k) rows.push_back({c, co.u[k], co.ratio[k]});
        else
            rows.push_back({c, -1, 1.0});
    }
    return rows;
}

Eigen::VectorXd activationWeights(const Model& model, ActivationCost cost) {
    const int nm = static_cast<int>(model.muscles().size());
    Eigen::VectorXd weight = Eigen::VectorXd::Ones(nm);
    if (cost == ActivationCost::Volume) {
        double mean = 0;
        for (const Muscle& mu : model.muscles()) mean += mu.fmax * mu.lopt / nm;
        for (int i = 0; i < nm; ++i) weight[i] = model.muscles()[i].fmax * model.muscles()[i].lopt / mean;
    }
    return weight;
}

}  // namespace corestride
