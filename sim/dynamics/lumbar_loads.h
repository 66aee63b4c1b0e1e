// Intervertebral loads at every lumbar level and hip joint contact forces, from Simbody's
// mobilizer reaction forces (SimbodyMatterSubsystem::calcMobilizerReactionForces).
//
// What the reported lumbar load includes: the reaction at a level is everything the lower
// body transmits to the upper one at the joint centre. Each level is a three-axis rotational
// (ball-type) joint, so its reaction force is the force the disc and facets carry, set by
// gravity, inertia, ground reactions and every muscle crossing the level; its reaction moment
// is made only of the mobility torques applied at that joint: (1) the passive disc-and-
// ligament stiffness and range-limit torques, (2) the reserve actuators' share, and (3) the
// torques of the lumbar coupling constraint (Christophy et al. 2012 ratios), which stand for
// whatever coordinates the levels in the body. The three shares are reported separately and
// sum to the moment. Muscles appear in the moment balance of the bodies, not in the joint
// moment: a muscle crossing a level loads it through the force it adds (docs/lumbar_loads.md).
//
// Conventions (docs/lumbar_loads.md): the disc frame D of a level is fixed in the lower body
// (x anterior, y superior, z right; origin at the joint centre). With R the reaction force
// on the upper body: compression = R.y (> 0 compresses the disc), AP shear = -R.x (> 0 when
// the upper vertebra is pushed forward relative to the lower), lateral shear = -R.z (> 0
// when it is pushed to the right). Moments are those the upper body exerts on the joint,
// -M_R, in D (about x: lateral bending, y: axial rotation, z: flexion-extension).
#pragma once

#include <vector>

#include "model.h"

namespace corestride {

struct LevelLoad {
    SimTK::Vec3 force{0};            // compression, ap_shear, lateral_shear (N)
    SimTK::Vec3 moment{0};           // about x, y, z of D (N m)
    SimTK::Vec3 passive_moment{0};   // share of the passive joint torques (N m, in D)
    SimTK::Vec3 reserve_moment{0};   // share of the reserve actuators
    SimTK::Vec3 coupling_moment{0};  // share of the coupling constraint
};

struct JointLoads {
    std::vector<LevelLoad> lumbar;   // per model lumbar level, in lumbarLevels() order
    SimTK::Vec3 hip_force[2];        // right, left: force of the femur on the pelvis, pelvis frame (N)
};

// Scratch, sized on first use.
struct JointLoadWorkspace {
    SimTK::Vector_<SimTK::SpatialVec> reactions;
    SimTK::Vector_<SimTK::SpatialVec> constraint_body_forces;
    SimTK::Vector passive, constraint_mobility;
    SimTK::Matrix_<SimTK::SpatialVec> J;
};

// The state must be realized to Stage::Acceleration.
void calcJointLoads(const Model& model, const SimTK::State& state, JointLoadWorkspace& ws, JointLoads& out);

}  // namespace corestride
