#include "moment_arms.h"

#include "model_forces.h"

namespace corestride {

void calcMomentArmMatrix(const Model& model, const SimTK::State& state, MomentArmWorkspace& ws, Eigen::MatrixXd& R,
                         Eigen::MatrixXd* R_u) {
    const auto& matter = model.matter();
    const int nb = matter.getNumBodies(), nu = model.numMobilities();
    const int nm = static_cast<int>(model.muscles().size()), nc = static_cast<int>(model.coordinates().size());
    matter.calcSystemJacobian(state, ws.J);
    // Copy once into a flat array: element access on Simbody matrices is a library call.
    ws.Jflat.resize(static_cast<size_t>(nb) * nu * 6);
    for (int b = 0; b < nb; ++b)
        for (int u = 0; u < nu; ++u) {
            const SimTK::SpatialVec& v = ws.J(b, u);
            double* d = &ws.Jflat[(static_cast<size_t>(b) * nu + u) * 6];
            for (int k = 0; k < 3; ++k) { d[k] = v[0][k]; d[3 + k] = v[1][k]; }
        }
    ws.tau_u.resize(nu);
    R.resize(nc, nm);
    if (R_u) R_u->resize(nu, nm);
    const auto& paths = model.forces().getPaths(state);
    for (int i = 0; i < nm; ++i) {
        std::fill(ws.tau_u.begin(), ws.tau_u.end(), 0.0);
        for (const PathForcePoint& f : paths[i].points) {
            // Spatial force about the body origin: moment (r x f), force f; tau_u += J_b,u^T F.
            const SimTK::Vec3 r = matter.getMobilizedBody(f.body).getBodyRotation(state) * f.p_B;
            const SimTK::Vec3 m = SimTK::cross(r, f.dir_G);
            const double F[6] = {m[0], m[1], m[2], f.dir_G[0], f.dir_G[1], f.dir_G[2]};
            const double* Jb = &ws.Jflat[static_cast<size_t>(f.body) * nu * 6];
            for (int u = 0; u < nu; ++u) {
                const double* d = Jb + static_cast<size_t>(u) * 6;
                ws.tau_u[u] += d[0] * F[0] + d[1] * F[1] + d[2] * F[2] + d[3] * F[3] + d[4] * F[4] + d[5] * F[5];
            }
            if (f.moving_u >= 0) ws.tau_u[f.moving_u] += f.movingForce();
        }
        if (R_u)
            for (int u = 0; u < nu; ++u) (*R_u)(u, i) = ws.tau_u[u];
        for (int c = 0; c < nc; ++c) {
            const Coordinate& co = model.coordinates()[c];
            double s = 0;
            for (size_t k = 0; k < co.u.size(); ++k) s += co.ratio[k] * ws.tau_u[co.u[k]];
            R(c, i) = s;
        }
    }
}

}  // namespace corestride
