// Private to model/: no other folder includes it (tests/layering_test.py checks).
// The lumbar coupling constraint: each lumbar level's angle about one axis is a fixed ratio
// of the global coordinate (Christophy et al. 2012, J Biomech 45:1181). With the global
// value defined as the sum of the level angles (the ratios sum to one), level i obeys
//     q_i - r_i * sum_j q_j = 0,
// written for every level but the last of each global coordinate (the last is implied).
// All equations sit in one Constraint::Custom, which the Simbody notes measured 1.7x cheaper
// than one CoordinateCoupler per equation.
#pragma once

#include <vector>

#include <Simbody.h>

namespace corestride {

// One global coordinate: the mobilities (mobilizer, q within mobilizer) it spreads over and
// the ratio of each.
struct CouplingGroup {
    std::vector<int> mobilizer;    // index into the constraint's mobilizer list
    std::vector<int> q_in_mobilizer;
    std::vector<double> ratio;
};

class LumbarCoupling : public SimTK::Constraint::Custom::Implementation {
public:
    LumbarCoupling(SimTK::SimbodyMatterSubsystem& matter,
                   const std::vector<SimTK::MobilizedBody>& mobilizers,
                   const std::vector<CouplingGroup>& groups);
    Implementation* clone() const override { return new LumbarCoupling(*this); }

    void calcPositionErrors(const SimTK::State&, const SimTK::Array_<SimTK::Transform, SimTK::ConstrainedBodyIndex>&,
                            const SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& q,
                            SimTK::Array_<SimTK::Real>& perr) const override;
    void calcPositionDotErrors(const SimTK::State&, const SimTK::Array_<SimTK::SpatialVec, SimTK::ConstrainedBodyIndex>&,
                               const SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& qdot,
                               SimTK::Array_<SimTK::Real>& pverr) const override;
    void calcPositionDotDotErrors(const SimTK::State&, const SimTK::Array_<SimTK::SpatialVec, SimTK::ConstrainedBodyIndex>&,
                                  const SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& qdotdot,
                                  SimTK::Array_<SimTK::Real>& paerr) const override;
    void addInPositionConstraintForces(const SimTK::State&, const SimTK::Array_<SimTK::Real>& multipliers,
                                       SimTK::Array_<SimTK::SpatialVec, SimTK::ConstrainedBodyIndex>&,
                                       SimTK::Array_<SimTK::Real, SimTK::ConstrainedQIndex>& qForces) const override;

private:
    // Sparse rows of the (linear) constraint matrix over the constrained q's.
    struct Term { int cq; double c; };
    std::vector<std::vector<Term>> rows_;
    template <class Array>
    void apply(const Array& x, SimTK::Array_<SimTK::Real>& err) const;
};

}  // namespace corestride
