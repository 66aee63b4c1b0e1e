// Model-level quantities computed from a state: moment arms and maximal isometric joint
// moments. Used by `corestride model info` and the validation tests.
#pragma once

#include <vector>

#include "model.h"

namespace corestride {

// Moment arm (m) of muscle m about coordinate c: the generalized force of a unit tension,
// r = -dL/dq (for a lumbar global coordinate, the ratio-weighted sum over its levels).
// The state must be realized to Stage::Position.
double calcMomentArm(const Model& model, const SimTK::State& state, int m, int c);

// Moment arm (m) of muscle m about one mobility u (for a lumbar level, the level's own angle).
double calcMobilityMomentArm(const Model& model, const SimTK::State& state, int m, int u);

// The same by central differences of the path length (step h, rad or m); an independent
// cross-check of calcMomentArm(). Takes a copy of the state.
double calcMomentArmByDifferences(const Model& model, SimTK::State state, int m, int c, double h = 1e-6);

// Isometric joint moment (N m) about coordinate c when every muscle whose moment arm has
// the sign `direction` (+1 or -1) is fully active and all others are inactive, at zero
// velocity with rigid tendons, passive fibre forces of all muscles included. Positive in
// the coordinate's positive direction.
double calcMaxIsometricMoment(const Model& model, const SimTK::State& state, int c, int direction);

// Musculotendon length (m) of muscle m; the state must be realized to Stage::Position.
double calcMuscleLength(const Model& model, const SimTK::State& state, int m);

}  // namespace corestride
