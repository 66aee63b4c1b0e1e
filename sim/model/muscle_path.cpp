#include "muscle_path.h"

#include <cmath>

#include "model.h"

namespace corestride {

using SimTK::Vec3;

bool wrapCylinder(const Vec3& P, const Vec3& S, const Vec3& c, const Vec3& a, const Vec3& side, double R,
                  Vec3& T1, Vec3& T2, double& arc) {
    // Cylinder coordinates: e1 = side, e2 = a x e1, axial along a.
    const Vec3 e1 = side, e2 = SimTK::cross(a, side);
    const Vec3 p = P - c, s = S - c;
    const double px = SimTK::dot(p, e1), py = SimTK::dot(p, e2), pa = SimTK::dot(p, a);
    const double sx = SimTK::dot(s, e1), sy = SimTK::dot(s, e2), sa = SimTK::dot(s, a);
    const double dp = std::hypot(px, py), ds = std::hypot(sx, sy);
    if (dp <= R || ds <= R) return false;  // an end point inside the cylinder: leave it straight

    // Closest point of the 2-D segment to the axis; clear on the allowed side means no wrap.
    const double dx = sx - px, dy = sy - py, len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? -(px * dx + py * dy) / len2 : 0.0;
    if (t <= 0.0 || t >= 1.0) return false;
    const double mx = px + t * dx, my = py + t * dy;
    if (std::hypot(mx, my) >= R && mx >= 0.0) return false;

    // Tangent points for both directions round the circle; keep the one passing the +e1 side.
    const double phiP = std::atan2(py, px), phiS = std::atan2(sy, sx);
    const double alP = std::acos(R / dp), alS = std::acos(R / ds);
    auto wrap2pi = [](double x) { x = std::fmod(x, 2 * M_PI); return x < 0 ? x + 2 * M_PI : x; };
    // Counter-clockwise: leave P at phiP + alP, arrive at phiS - alS.
    const double t1ccw = phiP + alP, dccw = wrap2pi(phiS - alS - t1ccw);
    // Clockwise: leave P at phiP - alP, arrive at phiS + alS.
    const double t1cw = phiP - alP, dcw = wrap2pi(t1cw - (phiS + alS));
    const double midccw = std::cos(t1ccw + 0.5 * dccw), midcw = std::cos(t1cw - 0.5 * dcw);
    bool ccw;
    if ((midccw > 0) != (midcw > 0)) ccw = midccw > 0;
    else ccw = dccw <= dcw;
    const double th1 = ccw ? t1ccw : t1cw, dth = ccw ? dccw : dcw;
    const double th2 = ccw ? th1 + dth : th1 - dth;

    // Unroll: the axial coordinate grows linearly with the 2-D path length (a helix).
    const double lP = std::sqrt(dp * dp - R * R), lS = std::sqrt(ds * ds - R * R);
    const double l2 = lP + R * dth + lS, da = sa - pa;
    const double a1 = pa + da * lP / l2, a2 = pa + da * (lP + R * dth) / l2;
    T1 = c + R * (std::cos(th1) * e1 + std::sin(th1) * e2) + a1 * a;
    T2 = c + R * (std::cos(th2) * e1 + std::sin(th2) * e2) + a2 * a;
    arc = R * dth * std::sqrt(1.0 + (da / l2) * (da / l2));
    return true;
}

void updBodyKinematics(const Model& model, const SimTK::State& state, BodyKinematics& bk, bool with_velocity) {
    const auto& matter = model.matter();
    const int nb = matter.getNumBodies();
    bk.X_GB.resize(nb);
    bk.V_GB.resize(nb);
    for (SimTK::MobilizedBodyIndex b(0); b < nb; ++b) {
        const auto& mb = matter.getMobilizedBody(b);
        bk.X_GB[b] = mb.getBodyTransform(state);
        if (with_velocity) bk.V_GB[b] = mb.getBodyVelocity(state);
    }
}

void calcPathGeometry(const Model& model, const SimTK::State& state, int m, PathGeometry& out,
                      const BodyKinematics* bk) {
    const Muscle& mu = model.muscles()[m];
    const auto& matter = model.matter();
    auto pose = [&](SimTK::MobilizedBodyIndex b) -> const SimTK::Transform& {
        return bk ? bk->X_GB[b] : matter.getMobilizedBody(b).getBodyTransform(state);
    };
    out.points.clear();
    out.length = 0;
    // Vertices of the path in ground, with the body each lies on; arcs join wrap tangent points.
    struct Vertex { SimTK::MobilizedBodyIndex body; Vec3 p_G; bool arc_to_next; int moving_u; Vec3 dp_G; };
    Vertex verts[64];
    int nv = 0;
    const int np = static_cast<int>(mu.path.size());
    for (int i = 0; i < np; ++i) {
        const PathPoint& pp = mu.path[i];
        const SimTK::Transform& X_GB = pose(pp.body);
        Vec3 dp_B;
        const Vec3 p_B = pp.locate(state, &dp_B);
        verts[nv++] = {pp.body, X_GB * p_B, false, pp.moving_u, X_GB.R() * dp_B};
        if (i + 1 == np) break;
        for (const MuscleWrap& mw : mu.wraps) {
            if (mw.segment != i) continue;
            const Wrap& w = model.wraps()[mw.wrap];
            const SimTK::Transform& X_GW = pose(w.body);
            const Vec3 P = verts[nv - 1].p_G;
            const Vec3 S = pose(mu.path[i + 1].body) * mu.path[i + 1].locate(state);
            Vec3 T1, T2;
            double arc = 0;
            if (wrapCylinder(P, S, X_GW * w.center_B, X_GW.R() * w.axis_B, X_GW.R() * w.side_B, w.radius, T1, T2, arc)) {
                verts[nv++] = {w.body, T1, true, -1, Vec3(0)};
                verts[nv++] = {w.body, T2, false, -1, Vec3(0)};
                out.length += arc;
            }
            break;  // one wrap per segment
        }
    }
    for (int k = 0; k + 1 < nv; ++k)
        if (!verts[k].arc_to_next) out.length += (verts[k + 1].p_G - verts[k].p_G).norm();
    // Force points: unit tension pulls each vertex toward its straight neighbours.
    for (int k = 0; k < nv; ++k) {
        Vec3 dir(0);
        if (k > 0 && !verts[k - 1].arc_to_next) dir += (verts[k - 1].p_G - verts[k].p_G).normalize();
        if (k + 1 < nv && !verts[k].arc_to_next) dir += (verts[k + 1].p_G - verts[k].p_G).normalize();
        const SimTK::Transform& X_GB = pose(verts[k].body);
        out.points.push_back({verts[k].body, ~X_GB * verts[k].p_G, dir, verts[k].moving_u, verts[k].dp_G});
    }
}

double calcLengtheningSpeed(const Model& model, const SimTK::State& state, const PathGeometry& path,
                            const BodyKinematics* bk) {
    double ldot = 0;
    for (const PathForcePoint& f : path.points) {
        Vec3 v;
        if (bk) {   // v = v_Bo + w x (R p_B)
            const SimTK::SpatialVec& V = bk->V_GB[f.body];
            v = V[1] + SimTK::cross(V[0], bk->X_GB[f.body].R() * f.p_B);
        } else {
            v = model.matter().getMobilizedBody(f.body).findStationVelocityInGround(state, f.p_B);
        }
        ldot -= SimTK::dot(f.dir_G, v);
        if (f.moving_u >= 0) ldot -= f.movingForce() * state.getU()[f.moving_u];
    }
    return ldot;
}

}  // namespace corestride
