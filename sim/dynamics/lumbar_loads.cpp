#include "lumbar_loads.h"

#include "model_forces.h"

namespace corestride {
namespace {

// Moment vector (ground frame) equivalent to generalized torques tau on a gimbal's three
// mobilities: tau = H^T M, H the relative angular velocity per unit rate (columns).
SimTK::Vec3 torqueToMoment(const SimTK::Mat33& H, const SimTK::Vec3& tau) {
    return (~H).invert() * tau;
}

}  // namespace

void calcJointLoads(const Model& model, const SimTK::State& s, JointLoadWorkspace& ws, JointLoads& out) {
    const auto& matter = model.matter();
    matter.calcMobilizerReactionForces(s, ws.reactions);
    ws.passive.resize(model.numMobilities());
    ws.passive = 0;
    model.forces().addPassiveMobilityForces(s, ws.passive);
    const SimTK::Vector& reserves = model.forces().getReserves(s);
    matter.calcConstraintForcesFromMultipliers(s, s.getMultipliers(), ws.constraint_body_forces, ws.constraint_mobility);
    matter.calcSystemJacobian(s, ws.J);

    out.lumbar.resize(model.lumbarLevels().size());
    for (size_t k = 0; k < model.lumbarLevels().size(); ++k) {
        const LumbarLevel& lv = model.lumbarLevels()[k];
        const SimTK::Rotation R_GD = matter.getMobilizedBody(lv.parent).getBodyRotation(s) * lv.X_PD.R();
        const SimTK::SpatialVec& r = ws.reactions[lv.body];
        const SimTK::Vec3 f_D = ~R_GD * r[1], m_D = ~R_GD * r[0];
        LevelLoad& L = out.lumbar[k];
        L.force = SimTK::Vec3(f_D[1], -f_D[0], -f_D[2]);
        L.moment = -m_D;
        // Mobility-force shares: tau on the level's own three mobilities as moments in D.
        const SimTK::Mat33 H(ws.J(lv.body, lv.u0)[0][0], ws.J(lv.body, lv.u0 + 1)[0][0], ws.J(lv.body, lv.u0 + 2)[0][0],
                             ws.J(lv.body, lv.u0)[0][1], ws.J(lv.body, lv.u0 + 1)[0][1], ws.J(lv.body, lv.u0 + 2)[0][1],
                             ws.J(lv.body, lv.u0)[0][2], ws.J(lv.body, lv.u0 + 1)[0][2], ws.J(lv.body, lv.u0 + 2)[0][2]);
        auto share = [&](const SimTK::Vector& tau_u, double sign) {
            const SimTK::Vec3 tau(tau_u[lv.u0], tau_u[lv.u0 + 1], tau_u[lv.u0 + 2]);
            return -(~R_GD * torqueToMoment(H, sign * tau));
        };
        L.passive_moment = share(ws.passive, 1);
        L.reserve_moment = share(reserves, 1);
        // calcConstraintForcesFromMultipliers returns the forces the constraint applies with
        // the opposite sign (Simbody: -G^T lambda), hence -1.
        L.coupling_moment = share(ws.constraint_mobility, -1);
    }
    const char* femurs[2] = {"femur_r", "femur_l"};
    const auto& pelvis = matter.getMobilizedBody(model.bodyIndex("pelvis"));
    for (int side = 0; side < 2; ++side) {
        const SimTK::SpatialVec& r = ws.reactions[model.bodyIndex(femurs[side])];
        out.hip_force[side] = -(~pelvis.getBodyRotation(s) * r[1]);
    }
}

}  // namespace corestride
