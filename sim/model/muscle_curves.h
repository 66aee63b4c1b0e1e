// Dimensionless Hill-type muscle curves and activation dynamics of De Groote et al. 2016
// (Ann Biomed Eng 44:2922-2936). As in OpenSim Moco's DeGrooteFregly2016Muscle (Dembia et
// al. 2020, PLoS Comput Biol 16:e1008493), the active force-length curve is normalised to be
// exactly 1 at optimal length and the force-velocity curve exactly 1 at zero velocity and 0
// at -1. Lengths are normalised by the optimal fibre length,
// velocities by vmax * optimal fibre length (positive = lengthening), forces by fmax.
#pragma once

namespace corestride {

double activeForceLength(double l_norm);       // three Gaussians
double passiveForceLength(double l_norm);      // exponential, 0 at l <= 1
double forceVelocity(double v_norm);           // 1 at v = 0, 0 at v = -1
double forceVelocityInverse(double f_v);       // v_norm for a given force-velocity factor
double tendonForceLength(double l_tendon_norm);  // l_tendon / tendon slack length
double tendonForceLengthInverse(double f_t);     // normalised tendon length for a force

// First-order activation dynamics, smooth switch between activation and deactivation:
// da/dt = (e - a) [f / (tau_a (0.5 + 1.5 a)) + (1 - f)(0.5 + 1.5 a) / tau_d],
// f = 0.5 + 0.5 tanh(b (e - a)). Units: 1/s.
struct ActivationDynamics {
    double tau_activation = 0.015;    // s, De Groote 2016
    double tau_deactivation = 0.060;  // s, De Groote 2016
    double smoothing = 10.0;          // b, De Groote 2016 (Moco's default is 10)
    double derivative(double excitation, double activation) const;
};

}  // namespace corestride
