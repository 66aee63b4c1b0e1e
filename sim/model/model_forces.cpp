#include "model_forces.h"

#include <algorithm>

#include "model.h"

namespace corestride {

using SimTK::State;
using SimTK::Vector;

ModelForces::ModelForces(const Model& model, const SimTK::GeneralForceSubsystem& forces)
    : model_(model), forces_(forces) {}

// Which tendons are elastic was decided when the model was built (Model::build, TendonModel).
bool ModelForces::isCompliant(const Muscle& m) const { return m.compliant_tendon; }

// Indices are written once, while the Model is being built (single-threaded), and only
// read afterwards.
void ModelForces::realizeTopology(State& s) const {
    const int nm = static_cast<int>(model_.muscles().size());
    const auto sub = forces_.getMySubsystemIndex();
    const int nz = model_.hasCompliantTendons() ? 2 * nm : nm;
    Vector z(nz, 0.0);
    for (int i = nm; i < nz; ++i) z[i] = 1.0;   // fibre lengths start at optimal
    z0_ = s.allocateZ(sub, z);
    excitation_ = s.allocateDiscreteVariable(sub, SimTK::Stage::Dynamics, new SimTK::Value<Vector>(Vector(nm, 0.0)));
    strength_ = s.allocateDiscreteVariable(sub, SimTK::Stage::Dynamics, new SimTK::Value<Vector>(Vector(nm, 1.0)));
    length_scale_ = s.allocateDiscreteVariable(sub, SimTK::Stage::Dynamics, new SimTK::Value<Vector>(Vector(nm, 1.0)));
    enabled_ = s.allocateDiscreteVariable(sub, SimTK::Stage::Dynamics, new SimTK::Value<bool>(true));
    rigid_tendons_ = s.allocateDiscreteVariable(sub, SimTK::Stage::Dynamics, new SimTK::Value<bool>(false));
    // The matter subsystem (created first) has realized its topology: its mobility count is known.
    reserves_ = s.allocateDiscreteVariable(sub, SimTK::Stage::Dynamics,
                                           new SimTK::Value<Vector>(Vector(model_.matter().getNumMobilities(), 0.0)));
    loads_ = s.allocateDiscreteVariable(sub, SimTK::Stage::Dynamics,
                                        new SimTK::Value<const ExternalLoadSource*>(nullptr));
    Scratch init;
    init.muscles.resize(nm);
    init.paths.resize(nm);
    for (auto& p : init.paths) p.points.reserve(16);
    scratch_ = s.allocateCacheEntry(sub, SimTK::Stage::Dynamics, new SimTK::Value<Scratch>(init));
}

ModelForces::Scratch& ModelForces::updScratch(const State& s) const {
    return SimTK::Value<Scratch>::updDowncast(s.updCacheEntry(forces_.getMySubsystemIndex(), scratch_)).upd();
}

void ModelForces::setActivations(State& s, const std::vector<double>& a) const {
    Vector& z = s.updZ(forces_.getMySubsystemIndex());
    for (size_t i = 0; i < a.size(); ++i) z[z0_ + static_cast<int>(i)] = a[i];
}

void ModelForces::setExcitations(State& s, const std::vector<double>& e) const {
    Vector& v = SimTK::Value<Vector>::updDowncast(s.updDiscreteVariable(forces_.getMySubsystemIndex(), excitation_)).upd();
    for (size_t i = 0; i < e.size(); ++i) v[static_cast<int>(i)] = e[i];
}

void ModelForces::setStrength(State& s, const std::vector<double>& f) const {
    Vector& v = SimTK::Value<Vector>::updDowncast(s.updDiscreteVariable(forces_.getMySubsystemIndex(), strength_)).upd();
    for (size_t i = 0; i < f.size(); ++i) v[static_cast<int>(i)] = f[i];
}

void ModelForces::setRigidTendons(State& s, bool rigid) const {
    SimTK::Value<bool>::updDowncast(s.updDiscreteVariable(forces_.getMySubsystemIndex(), rigid_tendons_)).upd() = rigid;
}

void ModelForces::setMusclesEnabled(State& s, bool enabled) const {
    SimTK::Value<bool>::updDowncast(s.updDiscreteVariable(forces_.getMySubsystemIndex(), enabled_)).upd() = enabled;
}

void ModelForces::setReserves(State& s, const Vector& tau_u) const {
    SimTK::Value<Vector>::updDowncast(s.updDiscreteVariable(forces_.getMySubsystemIndex(), reserves_)).upd() = tau_u;
}

const std::vector<PathGeometry>& ModelForces::getPaths(const State& s) const {
    return updScratch(s).paths;
}

void ModelForces::setExternalLoads(State& s, const ExternalLoadSource* source) const {
    SimTK::Value<const ExternalLoadSource*>::updDowncast(s.updDiscreteVariable(forces_.getMySubsystemIndex(), loads_))
        .upd() = source;
}

const ExternalLoadSource* ModelForces::getExternalLoads(const State& s) const {
    return SimTK::Value<const ExternalLoadSource*>::downcast(s.getDiscreteVariable(forces_.getMySubsystemIndex(), loads_))
        .get();
}

void ModelForces::setLengthScale(State& s, const std::vector<double>& f) const {
    Vector& v = SimTK::Value<Vector>::updDowncast(s.updDiscreteVariable(forces_.getMySubsystemIndex(), length_scale_)).upd();
    for (size_t i = 0; i < f.size(); ++i) v[static_cast<int>(i)] = f[i];
}

double ModelForces::getActivation(const State& s, int m) const {
    return s.getZ(forces_.getMySubsystemIndex())[z0_ + m];
}

double ModelForces::getStrength(const State& s, int m) const {
    return SimTK::Value<Vector>::downcast(s.getDiscreteVariable(forces_.getMySubsystemIndex(), strength_)).get()[m];
}

const std::vector<MuscleState>& ModelForces::getMuscleStates(const State& s) const {
    return updScratch(s).muscles;
}

void ModelForces::equilibrateFibers(State& s) const {
    if (!model_.hasCompliantTendons()) return;
    if (SimTK::Value<bool>::downcast(s.getDiscreteVariable(forces_.getMySubsystemIndex(), rigid_tendons_)).get()) return;
    model_.system().realize(s, SimTK::Stage::Position);
    const int nm = static_cast<int>(model_.muscles().size());
    PathGeometry path;
    std::vector<double> ln(nm);
    for (int i = 0; i < nm; ++i) {
        if (!isCompliant(model_.muscles()[i])) { ln[i] = 1.0; continue; }
        calcPathGeometry(model_, s, i, path);
        const double ls = SimTK::Value<Vector>::downcast(s.getDiscreteVariable(forces_.getMySubsystemIndex(), length_scale_)).get()[i];
        ln[i] = equilibriumFiberLength(model_.muscles()[i], path.length, getActivation(s, i), getStrength(s, i), ls);
    }
    Vector& z = s.updZ(forces_.getMySubsystemIndex());
    for (int i = 0; i < nm; ++i) z[z0_ + nm + i] = ln[i];
}

void ModelForces::calcForce(const State& s, SimTK::Vector_<SimTK::SpatialVec>& body_forces,
                            SimTK::Vector_<SimTK::Vec3>&, Vector& mobility_forces) const {
    const auto sub = forces_.getMySubsystemIndex();
    const Vector& z = s.getZ(sub);
    const Vector& strength = SimTK::Value<Vector>::downcast(s.getDiscreteVariable(sub, strength_)).get();
    const Vector& lscale = SimTK::Value<Vector>::downcast(s.getDiscreteVariable(sub, length_scale_)).get();
    const auto& muscles = model_.muscles();
    const int nm = static_cast<int>(muscles.size());
    Scratch& scratch = updScratch(s);
    const auto& matter = model_.matter();

    // Muscles: tension along the path, applied at every force point.
    const bool muscles_on = SimTK::Value<bool>::downcast(s.getDiscreteVariable(sub, enabled_)).get();
    const bool all_rigid = SimTK::Value<bool>::downcast(s.getDiscreteVariable(sub, rigid_tendons_)).get();
    if (muscles_on) updBodyKinematics(model_, s, scratch.bodies);
    for (int i = 0; muscles_on && i < nm; ++i) {
        PathGeometry& path = scratch.paths[i];
        calcPathGeometry(model_, s, i, path, &scratch.bodies);
        const double speed = calcLengtheningSpeed(model_, s, path, &scratch.bodies);
        const double a = std::clamp(z[z0_ + i], 0.0, 1.0);
        MuscleState& ms = scratch.muscles[i];
        if (!all_rigid && isCompliant(muscles[i]))
            calcCompliantTendonMuscle(muscles[i], path.length, speed, z[z0_ + nm + i], a, strength[i], ms, lscale[i]);
        else
            calcRigidTendonMuscle(muscles[i], path.length, speed, a, strength[i], ms, lscale[i]);
        for (const PathForcePoint& f : path.points) {
            // Spatial force at the body origin: moment (R p_B) x F, force F.
            const SimTK::Vec3 F = ms.force * f.dir_G;
            body_forces[f.body] += SimTK::SpatialVec(SimTK::cross(scratch.bodies.X_GB[f.body].R() * f.p_B, F), F);
            if (f.moving_u >= 0) mobility_forces[f.moving_u] += ms.force * f.movingForce();
        }
    }

    // Ground reactions of the run, at the centre of pressure fixed in each foot.
    if (const ExternalLoadSource* src = getExternalLoads(s)) {
        FootLoad feet[2];
        src->footLoads(s.getTime(), feet[0], feet[1]);
        for (const FootLoad& f : feet) {
            if (!f.contact) continue;
            const auto& foot = matter.getMobilizedBody(f.body);
            foot.applyForceToBodyPoint(s, f.p_B, f.force_G, body_forces);
            foot.applyBodyTorque(s, SimTK::Vec3(0, f.free_moment, 0) + f.couple_G, body_forces);
        }
    }

    // Reserve and residual actuators.
    mobility_forces += SimTK::Value<Vector>::downcast(s.getDiscreteVariable(sub, reserves_)).get();

    // Passive joint forces: lumbar stiffness and range limits.
    addPassiveMobilityForces(s, mobility_forces);
}

// Passive lumbar stiffness, per level and axis, of the level's own angles; range limits on
// rotational coordinates as generalized forces on the coordinate (Model::addCoordinateForce).
void ModelForces::addPassiveMobilityForces(const State& s, Vector& mobility_forces) const {
    const Vector& q = s.getQ();
    const Vector& u = s.getU();
    for (const LumbarLevel& lv : model_.lumbarLevels()) {
        const double ext = q[lv.u0 + lv.slot_extension];
        mobility_forces[lv.u0 + lv.slot_extension] -= (ext > 0 ? lv.k_extension : lv.k_flexion) * ext;
        mobility_forces[lv.u0 + lv.slot_bending] -= lv.k_bending * q[lv.u0 + lv.slot_bending];
        mobility_forces[lv.u0 + lv.slot_rotation] -= lv.k_rotation * q[lv.u0 + lv.slot_rotation];
    }
    const int nc = static_cast<int>(model_.coordinates().size());
    for (int ci = 0; ci < nc; ++ci) {
        const Coordinate& c = model_.coordinates()[ci];
        if (!c.rotational) continue;
        double value = 0, rate = 0;
        for (int k : c.u) { value += q[k]; rate += u[k]; }
        double tau = 0;
        if (value > c.hi) tau = -kLimitStiffness * (value - c.hi) - kLimitDamping * std::max(rate, 0.0);
        else if (value < c.lo) tau = kLimitStiffness * (c.lo - value) - kLimitDamping * std::min(rate, 0.0);
        if (tau != 0) model_.addCoordinateForce(ci, tau, mobility_forces);
    }
}

const Vector& ModelForces::getReserves(const State& s) const {
    return SimTK::Value<Vector>::downcast(s.getDiscreteVariable(forces_.getMySubsystemIndex(), reserves_)).get();
}

// Activation dynamics and, for compliant tendons, the fibre-length rates.
void ModelForces::realizeAcceleration(const State& s) const {
    const auto sub = forces_.getMySubsystemIndex();
    const Vector& z = s.getZ(sub);
    const Vector& e = SimTK::Value<Vector>::downcast(s.getDiscreteVariable(sub, excitation_)).get();
    Vector& zdot = s.updZDot(sub);
    const int nm = static_cast<int>(model_.muscles().size());
    for (int i = 0; i < nm; ++i) zdot[z0_ + i] = activation_.derivative(e[i], z[z0_ + i]);
    if (model_.hasCompliantTendons()) {
        const bool all_rigid = SimTK::Value<bool>::downcast(s.getDiscreteVariable(sub, rigid_tendons_)).get();
        const Scratch& scratch = updScratch(s);
        for (int i = 0; i < nm; ++i)
            zdot[z0_ + nm + i] =
                all_rigid || !isCompliant(model_.muscles()[i]) ? 0.0 : scratch.muscles[i].fiber_velocity / model_.muscles()[i].lopt;
    }
}

}  // namespace corestride
