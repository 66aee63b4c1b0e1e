#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "error.h"
#include "inverse_dynamics.h"
#include "model_parser.h"
#include "reference_motion.h"
#include "paths.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {
const std::vector<StrideTrial>& trials() {
    static const auto t = readStrideFile(modelsDir() + "/running_stride.fourier");
    return t;
}
std::shared_ptr<const Model> model() {
    static auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    return m;
}
}  // namespace

TEST_CASE("stride file: both trials, and interpolation in speed is linear", "[stride_reference]") {
    REQUIRE(trials().size() == 2);
    const StrideTrial mid = interpolateStride(trials(), 3.5);
    CHECK(mid.stride_time == Approx(0.5 * (trials()[0].stride_time + trials()[1].stride_time)));
    CHECK(interpolateStride(trials(), 2.0).stride_time == trials()[0].stride_time);   // clamped
    const auto& a = trials()[0].symmetric.at("hip_flexion"), &b = trials()[1].symmetric.at("hip_flexion");
    CHECK(mid.symmetric.at("hip_flexion").a[2] == Approx(0.5 * (a.a[2] + b.a[2])));
}

TEST_CASE("stride file errors name file, line and field", "[stride_reference]") {
    const std::string path = "/tmp/corestride_stride_bad.fourier";
    std::ofstream(path) << "trial nominal_speed=3.0 speed=3.0 stride_time=0.7 body_mass=70 cycles=1 duty_factor_r=0.3 "
                           "duty_factor_l=0.3 left_strike_phase=0.5\n"
                           "coord trial=3.0 name=x kind=raw unit=rad a0=0 a=1,2 b=1\n";
    CHECK_THROWS_WITH(readStrideFile(path), Contains(path + ":2:") && Contains("field 'b'"));
}

TEST_CASE("built-in stride: periodic, derivatives consistent, vertical GRF averages body weight", "[stride_reference]") {
    StrideOptions o;
    o.correct = false;
    auto ref = makeStrideReference(*model(), trials(), o);
    const double T = ref->endTime() - ref->startTime();
    const size_t nc = model()->coordinates().size();
    std::vector<double> q0(nc), qd0(nc), qdd0(nc), q1(nc), qd1(nc), qdd1(nc), qp(nc), qm(nc), tmp(nc);
    ref->coordinates(0.0, q0.data(), qd0.data(), qdd0.data());
    ref->coordinates(T, q1.data(), qd1.data(), qdd1.data());
    for (size_t c = 0; c < nc; ++c) CHECK(q1[c] == Approx(q0[c]).margin(1e-9));
    // Central differences of q and qdot.
    const double t = 0.123, h = 1e-5;
    ref->coordinates(t, q0.data(), qd0.data(), qdd0.data());
    ref->coordinates(t + h, qp.data(), qd1.data(), tmp.data());
    ref->coordinates(t - h, qm.data(), q1.data(), tmp.data());
    for (size_t c = 0; c < nc; ++c) {
        CHECK((qp[c] - qm[c]) / (2 * h) == Approx(qd0[c]).margin(1e-5));
        CHECK((qd1[c] - q1[c]) / (2 * h) == Approx(qdd0[c]).margin(1e-3));
    }
    // Symmetric stride: the left hip is the right hip half a cycle later.
    const int hr = model()->coordinateIndex("hip_flexion_r"), hl = model()->coordinateIndex("hip_flexion_l");
    ref->coordinates(0.2, q0.data(), qd0.data(), qdd0.data());
    ref->coordinates(0.2 + T / 2, q1.data(), qd1.data(), qdd1.data());
    CHECK(q1[hl] == Approx(q0[hr]).margin(1e-12));
    // A periodic motion needs a mean vertical ground reaction of one body weight.
    double fy = 0;
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
        FootLoad r, l;
        ref->footLoads(T * i / n, r, l);
        fy += (r.force_G[1] + l.force_G[1]) / n;
    }
    CHECK(fy == Approx(ref->bodyWeight()).epsilon(0.01));
}

TEST_CASE("built-in stride: residual reduction brings the residuals inside Hicks et al. 2015", "[stride_reference]") {
    auto ref = makeStrideReference(*model(), trials(), StrideOptions());
    std::map<std::string, double> d(ref->diagnostics().begin(), ref->diagnostics().end());
    const double peak = d.at("peak_external_force_N");
    CHECK(d.at("residual_force_max_N_corrected") < d.at("residual_force_max_N_raw"));
    // Forces: peak and RMS at most 5% of the peak external force.
    CHECK(d.at("residual_force_max_N_corrected") < 0.05 * peak);
    CHECK(d.at("residual_force_rms_N_corrected") < 0.05 * peak);
    // Moments: at most 1% of COM height (about 1 m here) times the peak external force.
    CHECK(d.at("residual_moment_max_Nm_corrected") < 0.01 * 1.0 * peak);
    // The kinematic corrections stay small (Hicks et al.: a few degrees, centimetres).
    CHECK(std::abs(d.at("lumbar_extension_mean_change_deg")) < 2.0);
    CHECK(std::abs(d.at("cop_shift_in_foot_m")) < 0.02);
}
