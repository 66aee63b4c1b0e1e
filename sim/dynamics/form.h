// Clinical measures of running form from a run's kinematics (docs/analysis.md, "Running
// form"): trunk flexion and lean, pelvic obliquity and tilt, hip adduction. With the motion
// prescribed (strict mode) they are the reference runner's; they change where the motion does
// (compensate mode, docs/compensation.md).
#pragma once

#include "model.h"
#include "run_result.h"

namespace corestride {

// Columns of RunResult::form, per sample, in rad (ground frame x forward, y up, z right):
//   trunk_flexion        the torso's long axis from vertical in the sagittal plane, + forward;
//                        the long axis is the torso direction that is vertical in the model's
//                        neutral posture (every coordinate zero)
//   trunk_lean_right     the same in the frontal plane, + toward the right
//   pelvic_obliquity     pelvis medio-lateral axis from horizontal, + right side higher
//   pelvic_tilt_anterior pelvis fore-aft axis from horizontal, + front lower (anterior tilt),
//                        from the model's pelvis frame at zero
//   hip_adduction_r, hip_adduction_l   the coordinates, + adduction
extern const std::vector<std::string> kFormColumns;

// Fills r.form from r.q and appends the summary metrics (deg):
//   form_trunk_flexion_mean_deg, form_pelvic_tilt_anterior_mean_deg (means over the run),
//   form_trunk_lean_to_stance_peak_{r,l}_deg (largest lean toward the side in stance),
//   form_pelvic_drop_peak_{r,l}_deg (largest drop of the opposite side while that side is in
//   stance), form_hip_adduction_stance_peak_{r,l}_deg, form_hip_extension_peak_{r,l}_deg
//   (largest hip extension, minus hip flexion, over the run: around toe-off, where tight hip
//   flexors shorten the stride).
// A side never in stance (ground reaction at most kContactForce) gets no stance metrics.
// Throws UserError if the model lacks the torso or pelvis body or a hip adduction coordinate.
void calcFormMeasures(const Model& model, RunResult& r);

}  // namespace corestride
