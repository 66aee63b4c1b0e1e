// The motion a run tracks: coordinate trajectories of every model coordinate with their first
// two time derivatives, and the ground reactions on each foot. Built from the built-in
// stride (stride_data.h) or from the user's OpenSim files (file_reference.h). Immutable
// once built; one per run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "external_loads.h"
#include "model.h"
#include "stride_data.h"

namespace corestride {

class ReferenceMotion : public ExternalLoadSource {
public:
    double startTime() const { return t0_; }
    double endTime() const { return t1_; }
    // q, qdot, qddot of every model coordinate (model order), rad or m.
    virtual void coordinates(double t, double* q, double* qd, double* qdd) const = 0;
    // Belt speed the motion was measured at (0 overground), m/s.
    double beltSpeed() const { return belt_speed_; }
    // Body weight the ground reactions are scaled to, N.
    double bodyWeight() const { return body_weight_; }
    // Duration of one stride when the motion is periodic (s), 0 when unknown.
    double strideTime() const { return stride_time_; }
    // Motion at the start of the window that is there for a run's warm-up, not for its
    // results (s): a run records from startTime() + leadIn(). 0 unless the motion was read
    // with data before the asked-for window (FileMotionOptions::lead_in).
    double leadIn() const { return lead_in_; }
    // Named numbers about how the reference was built (e.g. residuals before and after the
    // consistency corrections), for reports and outputs.
    const std::vector<std::pair<std::string, double>>& diagnostics() const { return diagnostics_; }

protected:
    // For a reference that changes another (`base`): its window, belt speed, body weight, stride
    // time and diagnostics.
    void describeAs(const ReferenceMotion& base) {
        t0_ = base.t0_;
        t1_ = base.t1_;
        belt_speed_ = base.belt_speed_;
        body_weight_ = base.body_weight_;
        stride_time_ = base.stride_time_;
        lead_in_ = base.lead_in_;
        diagnostics_ = base.diagnostics_;
    }
    std::vector<std::pair<std::string, double>> diagnostics_;
    double t0_ = 0, t1_ = 0, belt_speed_ = 0, body_weight_ = 0, stride_time_ = 0, lead_in_ = 0;
};

// The runner the built-in stride was measured on: Hamner & Delp 2013 (J Biomech 46:780)
// subject 01, whose public scaled OpenSim model (Hamner2010_v4_subject01.osim) has hip to knee
// 0.4324 m (the knee's translation at full extension) and knee to ankle 0.4781 m. The stride
// keeps that runner's pelvis path and foot placement, so a model replaying it needs his leg
// lengths for its feet to land where his did (docs/simulation.md, "Built-in stride: the
// runner's legs"). 1.80 m: the height the stride's fits are taken at (validation_data.cpp).
struct StrideRunner {
    static constexpr double height = 1.80;        // m
    static constexpr double hip_to_knee = 0.4324; // m
    static constexpr double knee_to_ankle = 0.4781;   // m
};

// The thigh and shank factors (Subject::thigh_scale, shank_scale) that give a model built
// from `desc` the built-in stride's runner's leg proportions: his segment lengths over his
// height, divided by the model's (the knee_r and ankle_r joint offsets over its reference
// height). 1 for a model without those joints.
void strideRunnerLegFactors(const ModelDescription& desc, double& thigh, double& shank);

// Options of the built-in stride.
struct StrideOptions {
    double speed = 3.5;         // m/s, nominal (3.0-4.0)
    bool symmetric = true;      // left = right half a cycle later
    int strides = 1;
    bool correct = true;        // apply the dynamic-consistency corrections below
};

// The built-in periodic stride for `model` (whose subject sets the body weight). Ground
// reactions are the fitted curves in body weights times the model's weight, applied at the
// centre of pressure, which is expressed in the foot frame along the reference kinematics.
// With options.correct, the stride is made dynamically consistent with the model in the
// manner of OpenSim's residual reduction: a damped Gauss-Newton least-squares fit of
// zero-mean periodic corrections of the six pelvis coordinates, a regularised offset of the
// mean lumbar extension (moving the torso mass centre) and a regularised fore-aft shift of
// the centre of pressure in the foot frame (stride_reference.cpp, docs/simulation.md).
std::unique_ptr<ReferenceMotion> makeStrideReference(const Model& model, const std::vector<StrideTrial>& trials,
                                                     const StrideOptions& options);

}  // namespace corestride
