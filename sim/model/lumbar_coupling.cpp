#include "lumbar_coupling.h"

#include <cassert>

namespace corestride {

LumbarCoupling::LumbarCoupling(SimTK::SimbodyMatterSubsystem& matter,
                               const std::vector<SimTK::MobilizedBody>& mobilizers,
                               const std::vector<CouplingGroup>& groups)
    : Implementation(matter) {
    // Every mobilizer here is a Gimbal with 3 q; constrained q index = 3 * mobilizer + q.
    for (const auto& m : mobilizers) addConstrainedMobilizer(m);
    for (const auto& g : groups) {
        const size_t n = g.mobilizer.size();
        for (size_t i = 0; i + 1 < n; ++i) {
            std::vector<Term> row;
            for (size_t j = 0; j < n; ++j) {
                double c = -g.ratio[i];
                if (j == i) c += 1.0;
                row.push_back({3 * g.mobilizer[j] + g.q_in_mobilizer[j], c});
            }
            rows_.push_back(row);
        }
    }
    setDefaultNumConstraintEquations(static_cast<int>(rows_.size()), 0, 0);
}

template <class Array>
void LumbarCoupling::apply(const Array& x, SimTK::Array_<SimTK::Real>& err) const {
    for (size_t e = 0; e < rows_.size(); ++e) {
        double s = 0;
        for (const Term& t : rows_[e]) s += t.c * x[SimTK::ConstrainedQIndex(t.cq)];
        err[e] = s;
    }
}

void LumbarCoupling::calcPositionErrors(const SimTK::State&,
                                        const SimTK::Array_<SimTK::Transform, SimTK::ConstrainedBodyIndex>&,
                                        const SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& q,
                                        SimTK::Array_<SimTK::Real>& perr) const {
    apply(q, perr);
}

void LumbarCoupling::calcPositionDotErrors(const SimTK::State&,
                                           const SimTK::Array_<SimTK::SpatialVec, SimTK::ConstrainedBodyIndex>&,
                                           const SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& qdot,
                                           SimTK::Array_<SimTK::Real>& pverr) const {
    apply(qdot, pverr);
}

void LumbarCoupling::calcPositionDotDotErrors(const SimTK::State&,
                                              const SimTK::Array_<SimTK::SpatialVec, SimTK::ConstrainedBodyIndex>&,
                                              const SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& qdotdot,
                                              SimTK::Array_<SimTK::Real>& paerr) const {
    apply(qdotdot, paerr);
}

// Generalized forces of the multipliers: G^T lambda, with G the constant row matrix.
void LumbarCoupling::addInPositionConstraintForces(const SimTK::State&, const SimTK::Array_<SimTK::Real>& lambda,
                                                   SimTK::Array_<SimTK::SpatialVec, SimTK::ConstrainedBodyIndex>&,
                                                   SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& qForces) const {
    for (size_t e = 0; e < rows_.size(); ++e)
        for (const Term& t : rows_[e]) qForces[SimTK::ConstrainedQIndex(t.cq)] += t.c * lambda[e];
}

}  // namespace corestride
