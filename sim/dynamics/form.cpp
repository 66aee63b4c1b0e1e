#include "form.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "error.h"

namespace corestride {

const std::vector<std::string> kFormColumns = {"trunk_flexion",        "trunk_lean_right", "pelvic_obliquity",
                                               "pelvic_tilt_anterior", "hip_adduction_r",  "hip_adduction_l"};

namespace {

constexpr double kDeg = 180.0 / M_PI;

int coordinateOrThrow(const Model& model, const char* name) {
    const int c = model.coordinateIndex(name);
    if (c < 0) throw UserError("model '" + model.name() + "' has no coordinate '" + name + "' (running form measures)");
    return c;
}

}  // namespace

void calcFormMeasures(const Model& model, RunResult& r) {
    const auto& torso = model.matter().getMobilizedBody(model.bodyIndex("torso"));
    const auto& pelvis = model.matter().getMobilizedBody(model.bodyIndex("pelvis"));
    const int hip_r = coordinateOrThrow(model, "hip_adduction_r"), hip_l = coordinateOrThrow(model, "hip_adduction_l");
    const int flex[2] = {coordinateOrThrow(model, "hip_flexion_r"), coordinateOrThrow(model, "hip_flexion_l")};
    const int nc = static_cast<int>(model.coordinates().size()), n = r.q.rows();
    r.form = Table{};
    r.form.cols = static_cast<int>(kFormColumns.size());
    SimTK::State s = model.defaultState();
    // The model's neutral posture (every coordinate zero: the source model's upright stance);
    // trunk angles are those of the torso's direction that was vertical there, so that the
    // fixed tilt of the torso frame (a thoracic vertebra's frame) does not count as lean.
    for (int c = 0; c < nc; ++c) model.setCoordinate(s, c, 0.0);
    model.system().realize(s, SimTK::Stage::Position);
    const SimTK::Vec3 up_T = ~torso.getBodyRotation(s) * SimTK::Vec3(0, 1, 0);   // torso frame
    double flexion_mean = 0, tilt_mean = 0;
    const double none = -std::numeric_limits<double>::infinity();
    double lean_peak[2] = {none, none}, drop_peak[2] = {none, none}, add_peak[2] = {none, none}, ext_peak[2] = {none, none};
    for (int k = 0; k < n; ++k) {
        for (int c = 0; c < nc; ++c) model.setCoordinate(s, c, r.q.at(k, c));
        model.system().realize(s, SimTK::Stage::Position);
        const SimTK::Vec3 y_T = torso.getBodyRotation(s) * up_T;
        const SimTK::Vec3 x_P = pelvis.getBodyRotation(s) * SimTK::Vec3(1, 0, 0);
        const SimTK::Vec3 z_P = pelvis.getBodyRotation(s) * SimTK::Vec3(0, 0, 1);
        const double row[6] = {std::atan2(y_T[0], y_T[1]),
                               std::atan2(y_T[2], y_T[1]),
                               std::asin(std::clamp(z_P[1], -1.0, 1.0)),
                               std::asin(std::clamp(-x_P[1], -1.0, 1.0)),
                               r.q.at(k, hip_r),
                               r.q.at(k, hip_l)};
        r.form.data.insert(r.form.data.end(), row, row + 6);
        flexion_mean += row[0] / n;
        tilt_mean += row[3] / n;
        // Hip extension peaks around toe-off, at the edge of stance: over the whole stride.
        for (int side = 0; side < 2; ++side) ext_peak[side] = std::max(ext_peak[side], -r.q.at(k, flex[side]));
        for (int side = 0; side < 2; ++side) {
            const int grf_col = side == 0 ? 1 : 4;
            if (r.grf_force.rows() != n || r.grf_force.at(k, grf_col) <= kContactForce) continue;
            const double sign = side == 0 ? 1.0 : -1.0;   // toward the stance side; the other side lower
            lean_peak[side] = std::max(lean_peak[side], sign * row[1]);
            drop_peak[side] = std::max(drop_peak[side], sign * row[2]);
            add_peak[side] = std::max(add_peak[side], row[4 + side]);
        }
    }
    r.metrics.push_back({"form_trunk_flexion_mean_deg", flexion_mean * kDeg});
    r.metrics.push_back({"form_pelvic_tilt_anterior_mean_deg", tilt_mean * kDeg});
    const char* suffix[2] = {"_r_deg", "_l_deg"};
    for (int side = 0; side < 2; ++side) {
        if (lean_peak[side] == none) continue;
        r.metrics.push_back({std::string("form_trunk_lean_to_stance_peak") + suffix[side], lean_peak[side] * kDeg});
        r.metrics.push_back({std::string("form_pelvic_drop_peak") + suffix[side], drop_peak[side] * kDeg});
        r.metrics.push_back({std::string("form_hip_adduction_stance_peak") + suffix[side], add_peak[side] * kDeg});
        r.metrics.push_back({std::string("form_hip_extension_peak") + suffix[side], ext_peak[side] * kDeg});
    }
}

}  // namespace corestride
