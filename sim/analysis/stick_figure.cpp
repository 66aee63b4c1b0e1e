#include "stick_figure.h"

#include "error.h"

namespace corestride {

namespace {

// A landmark: a station on a body, or the origin of a body's inboard joint frame (the joint
// centre, located in its parent body).
struct Landmark {
    std::string name;
    std::string body;
    bool joint_centre = true;
    SimTK::Vec3 p_B{0};   // m before scaling, when not a joint centre
};

SimTK::Vec3 locate(const Model& model, const SimTK::State& s, const Landmark& l) {
    const auto& mb = model.matter().getMobilizedBody(model.bodyIndex(l.body));
    if (!l.joint_centre) return mb.findStationLocationInGround(s, l.p_B * model.lengthScale());
    const SimTK::Vec3 p_P = mb.getInboardFrame(s).p();
    return mb.getParentMobilizedBody().findStationLocationInGround(s, p_P);
}

}  // namespace

StickFigure computeStickFigure(const Model& model, const std::vector<std::string>& coordinate_names,
                               const std::vector<double>& q, const std::vector<double>& force_D, std::size_t frames) {
    const std::size_t nc = coordinate_names.size();
    if (nc != model.coordinates().size())
        throw UserError("stick figure: the run has " + std::to_string(nc) + " coordinates, the model " +
                        std::to_string(model.coordinates().size()));
    std::vector<int> index(nc);
    for (std::size_t c = 0; c < nc; ++c) {
        index[c] = model.coordinateIndex(coordinate_names[c]);
        if (index[c] < 0) throw UserError("stick figure: coordinate '" + coordinate_names[c] + "' is not in the model");
    }
    if (q.size() != frames * nc || force_D.size() != frames * 3) throw UserError("stick figure: sizes do not match");

    std::vector<Landmark> marks = {{"head", "torso", false, {0, 0.40, 0}},
                                   {"T12_L1", "torso"}, {"L1_L2", "L1"}, {"L2_L3", "L2"}, {"L3_L4", "L3"},
                                   {"L4_L5", "L4"}, {"L5_S1", "L5"}, {"pelvis", "pelvis", false, {0, 0, 0}}};
    for (const char* side : {"r", "l"}) {
        const std::string s = side;
        marks.push_back({"hip_" + s, "femur_" + s});
        marks.push_back({"knee_" + s, "tibia_" + s});
        marks.push_back({"ankle_" + s, "foot_" + s});
        marks.push_back({"toe_" + s, "foot_" + s, false, {0.19, 0, 0}});
    }
    StickFigure out;
    for (const auto& m : marks) out.landmarks.push_back(m.name);
    out.segments = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}};
    for (int side = 0; side < 2; ++side) {
        const int h = 8 + 4 * side;
        out.segments.insert(out.segments.end(), {{6, h}, {7, h}, {h, h + 1}, {h + 1, h + 2}, {h + 2, h + 3}});
    }
    const LumbarLevel* l5s1 = nullptr;
    for (const auto& lv : model.lumbarLevels())
        if (lv.joint == "L5_S1") l5s1 = &lv;
    if (!l5s1) throw UserError("stick figure: the model has no L5_S1 level");

    SimTK::State s = model.defaultState();
    const auto& matter = model.matter();
    out.points.reserve(frames * 3 * marks.size());
    for (std::size_t f = 0; f < frames; ++f) {
        for (std::size_t c = 0; c < nc; ++c) model.setCoordinate(s, index[c], q[f * nc + c]);
        model.system().realize(s, SimTK::Stage::Position);
        for (const auto& m : marks) {
            const SimTK::Vec3 p = locate(model, s, m);
            out.points.insert(out.points.end(), {p[0], p[1], p[2]});
        }
        const SimTK::Rotation R_GD = matter.getMobilizedBody(l5s1->parent).getBodyRotation(s) * l5s1->X_PD.R();
        const double* fD = &force_D[f * 3];
        const SimTK::Vec3 on_sacrum = R_GD * SimTK::Vec3(fD[1], -fD[0], fD[2]);
        out.l5s1_force.insert(out.l5s1_force.end(), {on_sacrum[0], on_sacrum[1], on_sacrum[2]});
    }
    return out;
}

}  // namespace corestride
