// Running form measures (dynamics/form.h): closed-form postures, the stance bookkeeping and
// the symmetry of the built-in symmetric stride.
#include <catch2/catch.hpp>

#include <cmath>

#include "cmc.h"
#include "form.h"
#include "reference_motion.h"
#include "paths.h"
#include "test_support.h"

using namespace corestride;

namespace {

// One sample per posture; the right foot on the ground in every sample.
RunResult postures(const Model& model, const std::vector<std::vector<std::pair<std::string, double>>>& set) {
    RunResult r;
    const int nc = static_cast<int>(model.coordinates().size());
    r.q.cols = nc;
    r.grf_force.cols = 6;
    for (const auto& p : set) {
        std::vector<double> q(nc, 0.0);
        for (const auto& [name, value] : p) q[model.coordinateIndex(name)] = value;
        r.q.data.insert(r.q.data.end(), q.begin(), q.end());
        const double grf[6] = {0, 700, 0, 0, 0, 0};
        r.grf_force.data.insert(r.grf_force.data.end(), grf, grf + 6);
        r.time.push_back(0.01 * r.time.size());
    }
    return r;
}

double column(const RunResult& r, int k, const std::string& name) {
    const auto it = std::find(kFormColumns.begin(), kFormColumns.end(), name);
    REQUIRE(it != kFormColumns.end());
    return r.form.at(k, static_cast<int>(it - kFormColumns.begin()));
}

bool hasMetric(const RunResult& r, const std::string& name) {
    for (const auto& [n, v] : r.metrics)
        if (n == name) return true;
    return false;
}

}  // namespace

TEST_CASE("form measures of known postures", "[form]") {
    const Model& m = test::shippedModel();
    // A rotation of the pelvis about the ground z axis (right) by t turns its forward axis to
    // (cos t, sin t): t < 0 tilts the front down (anterior tilt -t) and carries the trunk forward
    // by -t. A pure lumbar bending leans the trunk sideways and leaves the pelvis level.
    const double t = -0.2, b = 0.15;
    RunResult r = postures(m, {{}, {{"pelvis_tilt", t}}, {{"lumbar_bending", b}}, {{"hip_adduction_r", 0.1}}});
    calcFormMeasures(m, r);
    REQUIRE(r.form.rows() == 4);
    for (const auto& c : kFormColumns) CHECK(column(r, 0, c) == Approx(0.0).margin(1e-12));
    CHECK(column(r, 1, "pelvic_tilt_anterior") == Approx(-t));
    CHECK(column(r, 1, "trunk_flexion") == Approx(-t));
    CHECK(column(r, 1, "trunk_lean_right") == Approx(0.0).margin(1e-12));
    CHECK(std::abs(column(r, 2, "trunk_lean_right")) > 0.5 * b);   // the levels share the bending
    CHECK(column(r, 2, "pelvic_obliquity") == Approx(0.0).margin(1e-12));
    CHECK(column(r, 2, "trunk_flexion") == Approx(0.0).margin(1e-3));
    CHECK(column(r, 3, "hip_adduction_r") == 0.1);
    // Only the right foot was on the ground: right stance metrics, no left ones.
    CHECK(test::metric(r, "form_hip_adduction_stance_peak_r_deg") == Approx(0.1 * 180 / M_PI));
    CHECK(test::metric(r, "form_trunk_flexion_mean_deg") == Approx(-t * 180 / M_PI / 4).epsilon(1e-3));
    CHECK_FALSE(hasMetric(r, "form_hip_adduction_stance_peak_l_deg"));
}

TEST_CASE("form measures: the symmetric built-in stride gives the same numbers on both sides", "[form]") {
    const Model& m = test::shippedModel();
    auto ref = makeStrideReference(m, readStrideFile(modelsDir() + "/running_stride.fourier"), StrideOptions());
    const RunResult r = runCmc(m, *ref, CmcOptions());
    REQUIRE(r.status.ok());
    for (const char* measure : {"form_trunk_lean_to_stance_peak", "form_pelvic_drop_peak", "form_hip_adduction_stance_peak"}) {
        INFO(measure);
        const double right = test::metric(r, std::string(measure) + "_r_deg"), left = test::metric(r, std::string(measure) + "_l_deg");
        CHECK(right == Approx(left).margin(0.3));
        CHECK(right > 0.0);
    }
    // Running leans the trunk forward and tilts the pelvis anteriorly.
    CHECK(test::metric(r, "form_trunk_flexion_mean_deg") > 0.0);
    CHECK(test::metric(r, "form_pelvic_tilt_anterior_mean_deg") > 0.0);
}
