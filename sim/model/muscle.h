// Hill-type musculotendon dynamics (De Groote et al. 2016 curves, muscle_curves.h) with the
// constant-thickness pennation model: the fibre's height w = lopt sin(pennation) stays fixed.
// Rigid tendon (default): the fibre length follows from the path length. Compliant tendon:
// the normalised fibre length is a state; its velocity comes from force equilibrium between
// fibre and tendon.
#pragma once

#include "model.h"

namespace corestride {

// Everything about one musculotendon unit at one instant. Forces in N, lengths in m.
struct MuscleState {
    double length = 0;          // musculotendon path length
    double speed = 0;           // its rate, m/s, lengthening positive
    double fiber_length = 0;
    double fiber_velocity = 0;  // m/s, lengthening positive
    double cos_pennation = 1;
    double activation = 0;
    double force_gain = 0;      // tendon force per unit activation: F = force_gain a + force_passive
    double force_passive = 0;
    double force = 0;           // tendon force (tension), >= 0
};

// Fibre damping of the compliant-tendon model, in fmax per normalised velocity
// (OpenSim Moco DeGrooteFregly2016Muscle, Dembia et al. 2020: 0.01 recommended).
constexpr double kFiberDamping = 0.01;

// Rigid tendon: fills everything from length, speed and activation. `strength` scales fmax.
// `length_scale` multiplies the tendon slack length (hip flexor tightness shortens it).
void calcRigidTendonMuscle(const Muscle& m, double length, double speed, double activation,
                           double strength, MuscleState& out, double length_scale = 1.0);

// Compliant tendon: given the normalised fibre length (the state), returns the tendon force
// and the fibre velocity that keeps fibre and tendon in equilibrium.
void calcCompliantTendonMuscle(const Muscle& m, double length, double speed, double fiber_length_norm,
                               double activation, double strength, MuscleState& out, double length_scale = 1.0);

// The normalised fibre length in equilibrium with the tendon at zero velocity, used to start
// a compliant-tendon run.
double equilibriumFiberLength(const Muscle& m, double length, double activation, double strength,
                              double length_scale = 1.0);

}  // namespace corestride
