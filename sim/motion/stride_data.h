// Private to motion/: no other folder includes it (tests/layering_test.py checks).
// The built-in running stride: Fourier and stance-series coefficients fitted to Hamner &
// Delp 2013 (models/running_stride.fourier; format in docs/running_stride.md), read and
// interpolated in speed.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace corestride {

// x(phi) = a0 + sum_k a_k cos(2 pi k phi) + b_k sin(2 pi k phi), phi in cycles.
struct FourierCurve {
    double a0 = 0;
    std::vector<double> a, b;
    // Value and first two derivatives with respect to time for a cycle of `period` seconds.
    void evaluate(double phi, double period, double& x, double& xd, double& xdd) const;
};

// A curve over stance, s = ((phi - start) mod 1) / (end - start) in [0, 1]; zero in swing.
// basis "sin": f = sum_k b_k sin(k pi s); basis "poly": f = offset + sum_m c_m s^m.
struct StanceCurve {
    double start = 0, end = 0;
    bool sine = true;
    double offset = 0;
    std::vector<double> coef;
    double stanceFraction(double phi) const;   // s, or -1 in swing
    double evaluate(double s) const;
};

struct StrideTrial {
    double nominal_speed = 0;   // m/s, the trial's label (3.0, 4.0)
    double speed = 0;           // m/s, measured belt speed
    double stride_time = 0;     // s
    double body_mass = 0;       // kg, of the measured runner
    double left_strike_phase = 0.5;
    std::map<std::string, FourierCurve> raw;        // by coordinate name
    std::map<std::string, FourierCurve> symmetric;  // legs without _r/_l
    std::map<std::string, StanceCurve> grf;         // "r.vy", "l.cop_x", "sym.vz", ...
};

// Reads the stride file; throws UserError naming file, line and field.
std::vector<StrideTrial> readStrideFile(const std::string& path);

// Linear interpolation of every field between the two trials that bracket `nominal_speed`
// (clamped to the measured range).
StrideTrial interpolateStride(const std::vector<StrideTrial>& trials, double nominal_speed);

}  // namespace corestride
