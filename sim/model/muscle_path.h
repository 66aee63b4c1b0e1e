// Musculotendon paths: straight segments between body-fixed path points, and frictionless
// cylinder wrapping where a segment would cut through bone. A path is reduced to a list of
// force points: at each, the unit tension pulls the body along dir_G. The same list gives
// the length's time derivative (virtual power: dL/dt = -sum dir_G . v) and the generalized
// forces (moment arms), so length, speed and moment arms cannot disagree.
#pragma once

#include <vector>

#include <Simbody.h>

namespace corestride {

class Model;

struct PathForcePoint {
    SimTK::MobilizedBodyIndex body;
    SimTK::Vec3 p_B;      // station, m, body frame
    SimTK::Vec3 dir_G;    // force per unit tension on the body, ground frame (not unit)
    // A moving point also does work through its mobility: a unit tension adds the generalized
    // force dir_G . dp_G on mobility moving_u (dp_G = d(location)/d(angle), ground frame).
    int moving_u = -1;
    SimTK::Vec3 dp_G{0};
    double movingForce() const { return moving_u < 0 ? 0.0 : SimTK::dot(dir_G, dp_G); }
};

struct PathGeometry {
    double length = 0;    // m
    std::vector<PathForcePoint> points;
};

// Poses and spatial velocities of every body, read from the state once so that the path
// code does not go through Simbody's (checked) cache access for every point.
struct BodyKinematics {
    std::vector<SimTK::Transform> X_GB;   // by MobilizedBodyIndex
    std::vector<SimTK::SpatialVec> V_GB;  // angular, linear velocity of the body origin, ground
};
// Fills bk from a state realized to Stage::Velocity (poses only, with_velocity = false:
// Stage::Position).
void updBodyKinematics(const Model& model, const SimTK::State& state, BodyKinematics& bk, bool with_velocity = true);

// Geometry of muscle `m` in a state realized to Stage::Position. Reuses out's storage. With
// bk, body poses come from it (it must describe the same state).
void calcPathGeometry(const Model& model, const SimTK::State& state, int m, PathGeometry& out,
                      const BodyKinematics* bk = nullptr);

// dL/dt of a path (m/s, positive = lengthening); the state must be realized to Velocity.
double calcLengtheningSpeed(const Model& model, const SimTK::State& state, const PathGeometry& path,
                            const BodyKinematics* bk = nullptr);

// Wrapping of the segment P->S (ground frame) over a cylinder with centre c, unit axis a,
// radius R, constrained to pass on the side `side` (unit, perpendicular to a). Returns false
// when the straight segment clears the cylinder on the allowed side; otherwise the tangent
// points T1, T2 and the length of the helical arc between them.
bool wrapCylinder(const SimTK::Vec3& P, const SimTK::Vec3& S, const SimTK::Vec3& c, const SimTK::Vec3& a,
                  const SimTK::Vec3& side, double R, SimTK::Vec3& T1, SimTK::Vec3& T2, double& arc);

}  // namespace corestride
