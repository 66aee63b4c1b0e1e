// Lumbar reaction loads against an independent free-body computation in static postures:
// the L5/S1 reaction must balance the weight of everything above it plus the forces of the
// muscles that act on the bodies above it (Newton-Euler on the upper body, u = udot = 0).
#include <catch2/catch.hpp>

#include "cli.h"
#include "inverse_dynamics.h"
#include "lumbar_loads.h"
#include "model_forces.h"
#include "model_parser.h"
#include "muscle_path.h"

using namespace corestride;

namespace {

struct Posture {
    double lumbar_ext, lumbar_bend, lumbar_rot, hip_flex, activation_trunk;
};

}  // namespace

TEST_CASE("L5/S1 reaction equals the free-body balance of the upper body in static postures", "[lumbar_loads]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    const Model& model = *m;
    const int nm = static_cast<int>(model.muscles().size()), nc = static_cast<int>(model.coordinates().size());
    const LumbarLevel& l5s1 = model.lumbarLevels().front();
    REQUIRE(l5s1.joint == "L5_S1");
    // Bodies above L5/S1: L5 and every body whose chain to ground passes through it.
    std::vector<bool> upper(model.matter().getNumBodies(), false);
    for (SimTK::MobilizedBodyIndex b(1); b < model.matter().getNumBodies(); ++b) {
        SimTK::MobilizedBodyIndex a = b;
        while (a != 0 && a != l5s1.body) a = model.matter().getMobilizedBody(a).getParentMobilizedBody().getMobilizedBodyIndex();
        upper[b] = (a == l5s1.body);
    }
    for (const Posture& p : {Posture{0, 0, 0, 0, 0.2}, Posture{-0.4, 0.1, 0.05, 0.3, 0.5}, Posture{0.2, -0.15, -0.2, -0.2, 0.8}}) {
        SimTK::State s = model.defaultState();
        model.setCoordinate(s, model.coordinateIndex("pelvis_ty"), 1.0);
        model.setCoordinate(s, model.coordinateIndex("lumbar_extension"), p.lumbar_ext);
        model.setCoordinate(s, model.coordinateIndex("lumbar_bending"), p.lumbar_bend);
        model.setCoordinate(s, model.coordinateIndex("lumbar_rotation"), p.lumbar_rot);
        model.setCoordinate(s, model.coordinateIndex("hip_flexion_r"), p.hip_flex);
        std::vector<double> a(nm, 0.05);
        for (int i = 0; i < nm; ++i)
            if (model.muscles()[i].path.front().body == model.bodyIndex("pelvis") && upper[model.muscles()[i].path.back().body])
                a[i] = p.activation_trunk;
        model.forces().setActivations(s, a);
        // Hold the posture: reserves that make every acceleration zero.
        std::vector<double> tau_c(nc);
        SimTK::Vector udot(model.numMobilities(), 0.0), tau_u(model.numMobilities(), 0.0);
        calcMissingForces(model, s, udot, tau_c.data());
        for (int c = 0; c < nc; ++c) model.addCoordinateForce(c, tau_c[c], tau_u);
        model.forces().setReserves(s, tau_u);
        model.system().realize(s, SimTK::Stage::Acceleration);
        REQUIRE(s.getUDot().normInf() < 1e-8);

        // Free body of the upper bodies: gravity and the muscle forces acting on them, about
        // the L5/S1 joint centre, in ground.
        const SimTK::Vec3 g(0, -9.80665, 0);
        const SimTK::Vec3 centre = model.matter().getMobilizedBody(l5s1.parent).getBodyTransform(s) * l5s1.X_PD.p();
        SimTK::Vec3 F(0), M(0);
        double weight = 0;   // of the upper bodies, N
        for (SimTK::MobilizedBodyIndex b(1); b < model.matter().getNumBodies(); ++b) {
            if (!upper[b]) continue;
            const auto& mb = model.matter().getMobilizedBody(b);
            const SimTK::Vec3 com = mb.getBodyTransform(s) * mb.getBodyMassCenterStation(s);
            F += mb.getBodyMass(s) * g;
            weight += mb.getBodyMass(s) * 9.80665;
            M += SimTK::cross(com - centre, mb.getBodyMass(s) * g);
        }
        const auto& states = model.forces().getMuscleStates(s);
        const auto& paths = model.forces().getPaths(s);
        for (int i = 0; i < nm; ++i)
            for (const PathForcePoint& fp : paths[i].points) {
                if (!upper[fp.body]) continue;
                const SimTK::Vec3 f = states[i].force * fp.dir_G;
                const SimTK::Vec3 at = model.matter().getMobilizedBody(fp.body).getBodyTransform(s) * fp.p_B;
                F += f;
                M += SimTK::cross(at - centre, f);
            }
        // The joint carries the rest: reaction on L5 = -(F, M). In the reported convention the
        // load is the reaction expressed in the disc frame.
        JointLoadWorkspace ws;
        JointLoads loads;
        calcJointLoads(model, s, ws, loads);
        const SimTK::Rotation R_GD =
            model.matter().getMobilizedBody(l5s1.parent).getBodyRotation(s) * l5s1.X_PD.R();
        const SimTK::Vec3 R_D = ~R_GD * (-F), M_D = ~R_GD * (-M);
        const LevelLoad& L = loads.lumbar.front();
        INFO("posture ext " << p.lumbar_ext << " compression " << L.force[0] << " N");
        CHECK(L.force[0] == Approx(R_D[1]).margin(1e-6));
        CHECK(L.force[1] == Approx(-R_D[0]).margin(1e-6));
        CHECK(L.force[2] == Approx(-R_D[2]).margin(1e-6));
        for (int k = 0; k < 3; ++k) CHECK(L.moment[k] == Approx(-M_D[k]).margin(1e-6));
        // Upright, the muscles pulling the trunk down add to its weight: compression exceeds it.
        if (p.lumbar_ext == 0) CHECK(L.force[0] > weight);
    }
}

TEST_CASE("the passive share of the lumbar moment is the disc stiffness torque", "[lumbar_loads]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    const Model& model = *m;
    SimTK::State s = model.defaultState();
    model.forces().setMusclesEnabled(s, false);
    model.setCoordinate(s, model.coordinateIndex("lumbar_extension"), 0.2);   // extension
    model.system().realize(s, SimTK::Stage::Acceleration);
    JointLoadWorkspace ws;
    JointLoads loads;
    calcJointLoads(model, s, ws, loads);
    for (size_t k = 0; k < loads.lumbar.size(); ++k) {
        const LumbarLevel& lv = model.lumbarLevels()[k];
        const double theta = s.getQ()[lv.u0 + lv.slot_extension];
        // Extension about the disc frame's z axis (the joint frames' first gimbal axis at q = 0
        // is z); the torque the spring applies to the upper body is -k theta, and the reported
        // moment is the upper body's on the joint: +k theta about z, near upright.
        CHECK(loads.lumbar[k].passive_moment[2] == Approx(lv.k_extension * theta).epsilon(0.05));
        CHECK(loads.lumbar[k].reserve_moment.norm() == 0.0);
    }
}
