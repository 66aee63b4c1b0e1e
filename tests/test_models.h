// Tiny models written inline for tests, with geometry simple enough for closed-form answers.
#pragma once

#include <string>

namespace corestride::test {

// Pelvis on a free joint; two lumbar levels coupled 0.4 / 0.6 (extension), 0.3 / 0.7
// (bending), 0.5 / 0.5 (rotation); a torso welded on top; one femur on a hip gimbal at the
// pelvis origin. Muscle `flexor` runs from pelvis (a, h1, 0) to femur (a, -h2, 0), a = 0.05,
// h1 = 0.1, h2 = 0.2: a straight line with hip-flexion moment arm a at neutral. Muscle
// `mover` inserts on a femur point that moves with the hip flexion angle (a tabulated path).
inline std::string tinyModelText() {
    return R"(# tiny test model
model tiny reference_mass=20 reference_height=1.0
group flexors
group back
body pelvis mass=10 com=0,0,0 inertia=0.1,0.1,0.1
body L2 mass=1 com=0,0.02,0 inertia=0.01,0.01,0.01
body L1 mass=1 com=0,0.02,0 inertia=0.01,0.01,0.01
body torso mass=5 com=0,0.2,0 inertia=0.2,0.1,0.2
body femur mass=3 com=0,-0.2,0 inertia=0.05,0.01,0.05
joint ground_pelvis type=free parent=ground child=pelvis coordinates=pelvis_tilt,pelvis_list,pelvis_rotation,pelvis_tx,pelvis_ty,pelvis_tz
joint L2_L3 type=gimbal parent=pelvis child=L2 location_in_parent=0,0.1,0 axes=z,x,y coupled=lumbar_extension,lumbar_bending,lumbar_rotation ratios=0.4,0.3,0.5
joint L1_L2 type=gimbal parent=L2 child=L1 location_in_parent=0,0.04,0 axes=z,x,y coupled=lumbar_extension,lumbar_bending,lumbar_rotation ratios=0.6,0.7,0.5
joint T12_L1 type=weld parent=L1 child=torso location_in_parent=0,0.04,0
joint hip type=gimbal parent=pelvis child=femur axes=z,x,y coordinates=hip_flexion,hip_adduction,hip_rotation
coordinate pelvis_tilt range_deg=-90,90
coordinate pelvis_list range_deg=-90,90
coordinate pelvis_rotation range_deg=-90,90
coordinate pelvis_tx range=-5,5
coordinate pelvis_ty range=-5,5
coordinate pelvis_tz range=-5,5
coordinate lumbar_extension range_deg=-70,26
coordinate lumbar_bending range_deg=-25,25
coordinate lumbar_rotation range_deg=-45,45
coordinate hip_flexion range_deg=-30,120
coordinate hip_adduction range_deg=-50,30
coordinate hip_rotation range_deg=-40,40
lumbar_stiffness L2_L3 flexion=60 extension=90 bending=80 rotation=200
lumbar_stiffness L1_L2 flexion=60 extension=90 bending=80 rotation=200
muscle flexor side=r groups=flexors fmax=1000 lopt=0.2 lts=0.1 penn_deg=0
point body=pelvis at=0.05,0.1,0
point body=femur at=0.05,-0.2,0
muscle erector side=mid groups=back fmax=500 lopt=0.1 lts=0.05 penn_deg=10
point body=pelvis at=-0.06,0.05,0
point body=torso at=-0.06,0.1,0
muscle mover side=r groups=flexors fmax=100 lopt=0.1 lts=0.1 penn_deg=0
point body=pelvis at=0.1,0.1,0.01
point body=femur at=0.1,-0.2,0 moving=hip_flexion knots_deg=-60,0,60 xs=0.05,0.1,0.12 ys=-0.2,-0.2,-0.15 zs=0,0,0.02
)";
}

}  // namespace corestride::test
