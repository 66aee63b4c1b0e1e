// External loads on the model (ground reaction forces) supplied per run. The immutable model
// holds no loads; a run stores a pointer to its ExternalLoadSource in its own State, and the
// model's force element asks it for the loads at the state's time.
#pragma once

#include <Simbody.h>

namespace corestride {

// One foot's ground reaction at an instant.
struct FootLoad {
    bool contact = false;
    SimTK::MobilizedBodyIndex body;   // the foot
    SimTK::Vec3 force_G{0};           // N, on the foot, ground frame
    SimTK::Vec3 cop_G{0};             // centre of pressure in ground, m (reporting)
    SimTK::Vec3 p_B{0};               // the same point fixed in the foot frame, m (application)
    double free_moment = 0;           // N m about the ground vertical (Y)
    // A couple added to the foot, N m, ground frame: the change of a compensated stride's
    // ground reaction moment about the measured centre of pressure (stride_deviation.h). A
    // couple is the same load as a shift of the centre of pressure, d x F, but stays finite
    // where the vertical force vanishes at the edges of stance. Zero for measured strides.
    SimTK::Vec3 couple_G{0};
};

class ExternalLoadSource {
public:
    virtual ~ExternalLoadSource() = default;
    // Loads on the right and left foot at time t (s).
    virtual void footLoads(double t, FootLoad& right, FootLoad& left) const = 0;
};

}  // namespace corestride
