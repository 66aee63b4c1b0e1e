// The model's one force element: muscle forces along their paths, passive lumbar disc and
// ligament stiffness, and soft range-of-motion limits. It also owns the per-state muscle
// variables: activations (and, with compliant tendons, normalised fibre lengths) as
// continuous states, excitations and strength factors as discrete variables.
#pragma once

#include <vector>

#include <Simbody.h>

#include "external_loads.h"
#include "muscle.h"
#include "muscle_curves.h"
#include "muscle_path.h"

namespace corestride {

class Model;

// Range-of-motion limits: a linear spring and damper engage beyond a coordinate's range.
// A numerical choice to keep the motion inside the published ranges, not a tissue property.
constexpr double kLimitStiffness = 500.0;  // N m/rad
constexpr double kLimitDamping = 5.0;      // N m s/rad

class ModelForces : public SimTK::Force::Custom::Implementation {
public:
    ModelForces(const Model& model, const SimTK::GeneralForceSubsystem& forces);

    // Per-state variables. Vectors have one entry per muscle.
    void setActivations(SimTK::State& s, const std::vector<double>& a) const;
    void setExcitations(SimTK::State& s, const std::vector<double>& e) const;
    void setStrength(SimTK::State& s, const std::vector<double>& factor) const;  // multiplies fmax
    void setLengthScale(SimTK::State& s, const std::vector<double>& factor) const;  // multiplies lts
    double getActivation(const SimTK::State& s, int m) const;
    double getStrength(const SimTK::State& s, int m) const;
    // Muscle states of the last force evaluation; the state must be realized to Dynamics.
    const std::vector<MuscleState>& getMuscleStates(const SimTK::State& s) const;
    // Switches every muscle force off (for inverse dynamics of whole-body quantities that
    // internal forces cannot change, such as the pelvis residuals); on by default.
    void setMusclesEnabled(SimTK::State& s, bool enabled) const;
    // Treats every tendon as rigid in this state, elastic ones too (their fibre-length states
    // are then ignored and not advanced). For pose-by-pose problems without fibre dynamics,
    // such as the prediction of a compensated stride; off by default.
    void setRigidTendons(SimTK::State& s, bool rigid) const;

    // Reserve and residual actuators: generalized forces on the mobilities (size numMobilities),
    // applied as given until changed.
    void setReserves(SimTK::State& s, const SimTK::Vector& tau_u) const;
    const SimTK::Vector& getReserves(const SimTK::State& s) const;
    // Adds the passive joint forces (lumbar disc-and-ligament stiffness, range limits) of the
    // state to mobility_forces (size numMobilities); the state must be realized to Velocity.
    void addPassiveMobilityForces(const SimTK::State& s, SimTK::Vector& mobility_forces) const;
    // Path geometry of every muscle from the last force evaluation (state realized to Dynamics).
    const std::vector<PathGeometry>& getPaths(const SimTK::State& s) const;

    // The run's ground reactions (may be null: no external loads). The source must outlive
    // every use of the state.
    void setExternalLoads(SimTK::State& s, const ExternalLoadSource* source) const;
    const ExternalLoadSource* getExternalLoads(const SimTK::State& s) const;
    // Whether a muscle's tendon is elastic in this model (Muscle::compliant_tendon).
    bool isCompliant(const Muscle& m) const;
    // Starts compliant tendons in equilibrium at the state's pose (no-op for rigid tendons).
    void equilibrateFibers(SimTK::State& s) const;

    // Simbody interface.
    void calcForce(const SimTK::State& s, SimTK::Vector_<SimTK::SpatialVec>& body_forces,
                   SimTK::Vector_<SimTK::Vec3>& particle_forces, SimTK::Vector& mobility_forces) const override;
    SimTK::Real calcPotentialEnergy(const SimTK::State&) const override { return 0; }
    void realizeTopology(SimTK::State& s) const override;
    void realizeAcceleration(const SimTK::State& s) const override;

private:
    struct Scratch {
        std::vector<MuscleState> muscles;
        std::vector<PathGeometry> paths;
        BodyKinematics bodies;
    };
    Scratch& updScratch(const SimTK::State& s) const;
    const Model& model_;
    const SimTK::GeneralForceSubsystem& forces_;
    ActivationDynamics activation_;
    // Indices allocated in realizeTopology (the same for every state of this system).
    mutable SimTK::ZIndex z0_;
    mutable SimTK::DiscreteVariableIndex excitation_, strength_, length_scale_, loads_, reserves_, enabled_,
        rigid_tendons_;
    mutable SimTK::CacheEntryIndex scratch_;
};

}  // namespace corestride
