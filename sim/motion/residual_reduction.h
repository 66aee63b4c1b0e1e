// Residual reduction for any reference motion, in the manner of OpenSim's RRA (Delp et al.
// 2007, IEEE Trans Biomed Eng 54:1940; Hicks et al. 2015, J Biomech Eng 137:020905): make the
// model's mass distribution and the motion's pelvis and trunk kinematics agree with the
// measured ground reactions, so that the pelvis residual (the force and moment nobody in the
// body can supply) is small.
//
// Three steps, each reported in the returned diagnostics:
//  1. total mass: every segment mass (and inertia) is scaled by one factor so that the mean
//     vertical residual over the window vanishes (RRA's recommended mass change);
//  2. trunk mass centre: the torso's mass centre moves fore-aft and sideways in its own
//     frame so that the mean residual moments about the horizontal axes vanish (RRA's
//     torso COM adjustment);
//  3. kinematics: smooth corrections (cubic B-splines) of the six pelvis coordinates and of
//     lumbar extension and bending minimise the residuals normalised by the Hicks et al.
//     thresholds, with a penalty that keeps them within the best-practice tracking bounds
//     (2 cm, 2 deg). For a periodic reference whose window holds whole strides the splines
//     are periodic over one stride, so a run may start before the window (a warm-up).
// Both static adjustments are clamped to documented limits (ResidualReductionOptions); a
// clamped adjustment is reported, never hidden.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model.h"
#include "reference_motion.h"

namespace corestride {

struct ResidualReductionOptions {
    // Limits of the static adjustments. The mass limit: a scaled model whose mass is more
    // than 10% off the ground reactions is a scaling or data error to fix at the source;
    // the COM limit is about a fifth of the torso's depth.
    double mass_change_limit = 0.10;   // fraction of the model's mass
    double com_shift_limit = 0.05;     // m, each of fore-aft and lateral, torso frame
    // Kinematic corrections.
    double knot_spacing = 0.01;        // s, B-spline knot spacing (resolves up to ~50 Hz)
    double sample_rate = 200;          // Hz, residual samples over the window
    int iterations = 4;                // Gauss-Newton iterations
    // Cost of a correction of this size at one sample, relative to a residual at the Hicks
    // threshold at that sample (weight 1): larger corrections cost quadratically more.
    double translation_scale = 0.02;   // m
    double rotation_scale = 0.0349066; // rad (2 deg)
    double correction_weight = 0.01;
    // Trunk corrections are also charged for their acceleration: a lumbar correction of
    // 2 rad/s^2 moves the torso (about 1.2 kg m^2) with about 2.5 N m, a small share of the
    // lumbar moment, so the trunk is corrected only slowly (lean), the pelvis at any rate.
    double trunk_acceleration_scale = 2.0;   // rad/s^2
};

// Pelvis residual statistics of a reference on a model (ground frame, moments about the
// pelvis origin), and the Hicks et al. 2015 thresholds they are judged against.
struct ResidualStats {
    double force_max = 0, force_rms = 0;      // N, magnitude
    double moment_max = 0, moment_rms = 0;    // N m, magnitude
    double force_mean[3] = {0, 0, 0};         // N, per ground axis
    double moment_mean[3] = {0, 0, 0};        // N m, per ground axis
    double peak_external_force = 0;           // N, peak magnitude of the summed ground reactions
    double com_height = 0;                    // m, mean height of the whole-body mass centre
};
ResidualStats referenceResiduals(const Model& model, const ReferenceMotion& reference, double sample_rate = 200);

struct ResidualReduction {
    std::shared_ptr<const Model> model;                  // with the adjusted masses
    std::shared_ptr<const ReferenceMotion> reference;    // with the corrected kinematics
};

// Reduces the residuals of `reference` for the model built from `desc` for `subject`.
// The returned reference keeps the body weight of `reference` (the subject's declared
// weight normalises loads) and adds its adjustments to diagnostics(). `reference_model` is
// the model `reference` was built on; the returned reference keeps it alive.
ResidualReduction reduceResiduals(const ModelDescription& desc, const Subject& subject, const BuildOptions& build,
                                  std::shared_ptr<const ReferenceMotion> reference,
                                  std::shared_ptr<const Model> reference_model,
                                  const ResidualReductionOptions& options = {});

}  // namespace corestride
