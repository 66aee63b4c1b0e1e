#include "inverse_dynamics.h"

#include "error.h"

namespace corestride {

void setCoordinateState(const Model& model, SimTK::State& state, const double* q, const double* qd) {
    const auto& coords = model.coordinates();
    for (size_t c = 0; c < coords.size(); ++c)
        for (size_t k = 0; k < coords[c].u.size(); ++k) {
            state.updQ()[coords[c].u[k]] = coords[c].ratio[k] * q[c];
            state.updU()[coords[c].u[k]] = coords[c].ratio[k] * qd[c];
        }
}

void coordinateToMobility(const Model& model, const double* qdd, SimTK::Vector& udot) {
    udot.resize(model.numMobilities());
    udot = 0;
    const auto& coords = model.coordinates();
    for (size_t c = 0; c < coords.size(); ++c)
        for (size_t k = 0; k < coords[c].u.size(); ++k) udot[coords[c].u[k]] = coords[c].ratio[k] * qdd[c];
}

void mobilityToCoordinate(const Model& model, const SimTK::Vector& tau_u, double* tau_c) {
    const auto& coords = model.coordinates();
    for (size_t c = 0; c < coords.size(); ++c) {
        double t = 0;
        for (size_t k = 0; k < coords[c].u.size(); ++k) t += coords[c].ratio[k] * tau_u[coords[c].u[k]];
        tau_c[c] = t;
    }
}

void calcMissingMobilityForces(const Model& model, const SimTK::State& state, const SimTK::Vector& udot,
                               SimTK::Vector& tau_u) {
    const auto& sys = model.system();
    sys.realize(state, SimTK::Stage::Dynamics);
    model.matter().calcResidualForceIgnoringConstraints(state, sys.getMobilityForces(state, SimTK::Stage::Dynamics),
                                                        sys.getRigidBodyForces(state, SimTK::Stage::Dynamics), udot,
                                                        tau_u);
}

void calcMissingForces(const Model& model, const SimTK::State& state, const SimTK::Vector& udot, double* tau_c) {
    SimTK::Vector residual;
    calcMissingMobilityForces(model, state, udot, residual);
    mobilityToCoordinate(model, residual, tau_c);
}

std::vector<int> pelvisCoordinates(const Model& model) {
    std::vector<int> idx;
    for (const char* n : {"pelvis_tilt", "pelvis_list", "pelvis_rotation", "pelvis_tx", "pelvis_ty", "pelvis_tz"}) {
        const int i = model.coordinateIndex(n);
        if (i < 0) throw UserError("model '" + model.name() + "' has no coordinate '" + n + "'");
        idx.push_back(i);
    }
    return idx;
}

// Translations are along ground axes, so their generalized forces are the force itself. The
// rotational generalized forces are tau = J_w^T M with J_w the pelvis angular-velocity
// Jacobian of the three rotational rates; solve for M.
void pelvisWrench(const Model& model, const SimTK::State& state, const double* tau, SimTK::Vec3& moment_G,
                  SimTK::Vec3& force_G) {
    const auto pc = pelvisCoordinates(model);
    const auto& pelvis = model.matter().getMobilizedBody(model.bodyIndex("pelvis"));
    SimTK::Vec3 col[3];
    for (int k = 0; k < 3; ++k) {
        SimTK::Vector u(model.numMobilities(), 0.0);
        u[model.coordinates()[pc[k]].u[0]] = 1.0;
        SimTK::Vector_<SimTK::SpatialVec> V;
        model.matter().multiplyBySystemJacobian(state, u, V);
        col[k] = V[pelvis.getMobilizedBodyIndex()][0];
    }
    const SimTK::Mat33 Jw(col[0][0], col[1][0], col[2][0], col[0][1], col[1][1], col[2][1], col[0][2], col[1][2],
                          col[2][2]);
    moment_G = (~Jw).invert() * SimTK::Vec3(tau[0], tau[1], tau[2]);
    force_G = SimTK::Vec3(tau[3], tau[4], tau[5]);
}

}  // namespace corestride
