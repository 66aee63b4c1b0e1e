// A compensated stride: the measured (reference) stride plus smooth periodic deviations of some
// coordinates, with the ground reaction changed so that the whole-body dynamics stay those of
// the measured stride (docs/compensation.md).
//
// Ground reaction. The measured ground reaction fits the measured motion (residual reduction
// leaves a pelvis residual within Hicks et al. 2015). A deviated motion has other segment
// accelerations, so the same ground reaction would leave a different pelvis residual. In
// stance, the change of that residual is handed to the stance foot: its ground reaction gains
// the force and the moment (about the measured centre of pressure) that make the pelvis
// residual equal the measured stride's at the same instant. The moment is a shift of the
// centre of pressure (FootLoad::couple_G); the prediction bounds it to stay inside the foot.
// In flight nothing can be handed over: the residual change stays with the pelvis residual,
// which the prediction penalises and the tracking run checks against Hicks et al. 2015.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "model.h"
#include "reference_motion.h"

namespace corestride {

// Deviations delta_c(t) = c0 + sum_k (a_k cos(k w tau) + b_k sin(k w tau)), tau = t - t0,
// w = 2 pi / period, for k = 1..harmonics: periodic over one stride, smooth, with closed-form
// rates and accelerations.
struct StrideDeviation {
    std::vector<int> coords;   // model coordinate indices
    int harmonics = 3;
    double t0 = 0, period = 1;   // s
    Eigen::MatrixXd coeffs;    // coords x basisSize(): c0, a1, b1, ..., aK, bK (rad or m)

    int basisSize() const { return 2 * harmonics + 1; }
    // The basis functions and their first two time derivatives at t (each basisSize()).
    void basis(double t, double* b, double* bd, double* bdd) const;
    // Adds the deviation at t to full coordinate vectors (model order); any pointer may be null.
    void add(double t, double* q, double* qd, double* qdd) const;
    // The deviation of coords[j] at t.
    double value(int j, double t) const;
    bool isZero() const { return coeffs.size() == 0 || coeffs.isZero(0.0); }
};

// The foot loads' change for a deviated pose: the pelvis residual change delta_tau (the six
// pelvis generalized forces, model order tilt, list, rotation, tx, ty, tz) as a ground-frame
// force and couple about each stance foot's centre of pressure, shared between the feet in
// contact by their vertical force. `state` is realized to Position at the deviated pose;
// `feet` are the measured loads at its time (cop_G is recomputed from p_B here). Feet not in
// contact get nothing.
struct GroundTransfer {
    SimTK::Vec3 force_G[2] = {SimTK::Vec3(0), SimTK::Vec3(0)};    // N, right then left
    SimTK::Vec3 couple_G[2] = {SimTK::Vec3(0), SimTK::Vec3(0)};   // N m, about the foot's centre of pressure
    SimTK::Vec3 cop_G[2] = {SimTK::Vec3(0), SimTK::Vec3(0)};      // m, the centre of pressure it refers to
};
GroundTransfer calcGroundTransfer(const Model& model, const SimTK::State& state, const double* delta_tau_pelvis,
                                  const FootLoad feet[2]);

// The generalized forces (per mobility) of a ground transfer applied to the feet.
void transferMobilityForces(const Model& model, const SimTK::State& state, const GroundTransfer& transfer,
                            const FootLoad feet[2], SimTK::Vector& tau_u);

// The compensated stride as a ReferenceMotion: base coordinates plus the deviation; the base
// ground reactions plus the transfer, sampled every sample_dt seconds over the reference and
// interpolated linearly (feet in contact as in the base). Keeps `base` alive.
std::shared_ptr<const ReferenceMotion> makeCompensatedReference(const Model& model,
                                                                std::shared_ptr<const ReferenceMotion> base,
                                                                const StrideDeviation& deviation,
                                                                double sample_dt = 0.001);

}  // namespace corestride
