// Inverse dynamics of the model along a prescribed motion: the generalized forces that the
// muscles and reserve actuators must add to gravity, ground reactions and passive forces so
// that the model follows given accelerations. Used to check reference motions for dynamic
// consistency, to drive static optimisation, and to cross-check simulated runs.
#pragma once

#include <vector>

#include "model.h"

namespace corestride {

// Puts coordinate values and rates (model coordinate order) into the state (u = qdot for
// every mobility of this model's joints).
void setCoordinateState(const Model& model, SimTK::State& state, const double* q, const double* qd);

// Mobility accelerations udot from coordinate accelerations (lumbar levels by ratio).
void coordinateToMobility(const Model& model, const double* qdd, SimTK::Vector& udot);

// tau_c = sum over the coordinate's mobilities of ratio * tau_u: generalized forces on the
// named coordinates (the lumbar constraint forces drop out of this projection).
void mobilityToCoordinate(const Model& model, const SimTK::Vector& tau_u, double* tau_c);

// Generalized forces (per model coordinate) still missing for udot after every force the
// system applies in `state` (realized to Dynamics by this call): gravity, ground reactions,
// passive joint forces and the muscle forces of the state's activations.
void calcMissingForces(const Model& model, const SimTK::State& state, const SimTK::Vector& udot, double* tau_c);
// The same per mobility (before the projection onto coordinates): each lumbar level's own
// three generalized forces. `tau_u` is resized to the number of mobilities.
void calcMissingMobilityForces(const Model& model, const SimTK::State& state, const SimTK::Vector& udot,
                               SimTK::Vector& tau_u);

// The pelvis residual as a ground-frame force (N) and moment about the pelvis origin (N m)
// from the six pelvis generalized forces (tilt, list, rotation, tx, ty, tz in model order).
void pelvisWrench(const Model& model, const SimTK::State& state, const double* tau_pelvis,
                  SimTK::Vec3& moment_G, SimTK::Vec3& force_G);

// Indices (model coordinate order) of the six pelvis coordinates: tilt, list, rotation, tx, ty, tz.
std::vector<int> pelvisCoordinates(const Model& model);

}  // namespace corestride
