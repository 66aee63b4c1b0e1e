#include "model_analysis.h"

#include <algorithm>
#include <cmath>

#include "muscle.h"
#include "muscle_path.h"

namespace corestride {

double calcMuscleLength(const Model& model, const SimTK::State& state, int m) {
    PathGeometry path;
    calcPathGeometry(model, state, m, path);
    return path.length;
}

namespace {

// Generalized forces on every mobility of a unit tension in muscle m.
SimTK::Vector unitTensionForces(const Model& model, const SimTK::State& state, int m) {
    PathGeometry path;
    calcPathGeometry(model, state, m, path);
    const auto& matter = model.matter();
    SimTK::Vector_<SimTK::SpatialVec> F(matter.getNumBodies(), SimTK::SpatialVec(SimTK::Vec3(0), SimTK::Vec3(0)));
    for (const PathForcePoint& f : path.points)
        matter.getMobilizedBody(f.body).applyForceToBodyPoint(state, f.p_B, f.dir_G, F);
    SimTK::Vector tau;
    matter.multiplyBySystemJacobianTranspose(state, F, tau);
    for (const PathForcePoint& f : path.points)
        if (f.moving_u >= 0) tau[f.moving_u] += f.movingForce();
    return tau;
}

}  // namespace

double calcMobilityMomentArm(const Model& model, const SimTK::State& state, int m, int u) {
    return unitTensionForces(model, state, m)[u];
}

double calcMomentArm(const Model& model, const SimTK::State& state, int m, int c) {
    const SimTK::Vector tau = unitTensionForces(model, state, m);
    const Coordinate& co = model.coordinates()[c];
    double r = 0;
    for (size_t k = 0; k < co.u.size(); ++k) r += co.ratio[k] * tau[co.u[k]];
    return r;
}

double calcMomentArmByDifferences(const Model& model, SimTK::State state, int m, int c, double h) {
    const double q0 = model.getCoordinate(state, c);
    model.setCoordinate(state, c, q0 + h);
    model.system().realize(state, SimTK::Stage::Position);
    const double lp = calcMuscleLength(model, state, m);
    model.setCoordinate(state, c, q0 - h);
    model.system().realize(state, SimTK::Stage::Position);
    const double lm = calcMuscleLength(model, state, m);
    return -(lp - lm) / (2 * h);
}

double calcMaxIsometricMoment(const Model& model, const SimTK::State& state, int c, int direction) {
    double total = 0;
    MuscleState ms;
    for (int m = 0; m < static_cast<int>(model.muscles().size()); ++m) {
        const double r = calcMomentArm(model, state, m, c);
        const double a = (r * direction > 0) ? 1.0 : 0.0;
        calcRigidTendonMuscle(model.muscles()[m], calcMuscleLength(model, state, m), 0.0, a, 1.0, ms);
        total += ms.force * r;
    }
    return total;
}

}  // namespace corestride
