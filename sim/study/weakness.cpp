#include "weakness.h"

#include <algorithm>

#include "error.h"

namespace corestride {

MuscleCondition healthyCondition(const Model& model) {
    const size_t n = model.muscles().size();
    return {std::vector<double>(n, 1.0), std::vector<double>(n, 1.0), std::vector<double>(n, 1.0)};
}

MuscleCondition muscleCondition(const Model& model, const Settings& s) {
    MuscleCondition c = healthyCondition(model);
    std::vector<double> keep(model.muscles().size(), 1.0);
    auto inGroup = [&](const Muscle& m, int g) { return std::count(m.groups.begin(), m.groups.end(), g) > 0; };
    auto weakenGroup = [&](const std::string& key, const std::string& group, Side only, double loss) {
        const int g = model.groupIndex(group);
        if (g < 0) throw UserError("key '" + key + "': the model has no muscle group '" + group + "'");
        for (size_t i = 0; i < keep.size(); ++i) {
            const Muscle& m = model.muscles()[i];
            if (inGroup(m, g) && (only == Side::Mid || m.side == only)) keep[i] *= 1.0 - loss;
        }
    };
    const Settings::Weakness& w = s.weakness;
    weakenGroup("weakness.glute_med", "glute_med", Side::Mid, w.glute_med);
    weakenGroup("weakness.glute_med_r", "glute_med", Side::Right, w.glute_med_r);
    weakenGroup("weakness.glute_med_l", "glute_med", Side::Left, w.glute_med_l);
    weakenGroup("weakness.deep_core", "deep_core", Side::Mid, w.deep_core);
    for (const auto& [group, loss] : w.groups) weakenGroup("weakness.group." + group, group, Side::Mid, loss);
    for (const auto& [muscle, loss] : w.muscles) {
        const int i = model.muscleIndex(muscle);
        if (i < 0) throw UserError("key 'weakness.muscle." + muscle + "': the model has no muscle '" + muscle + "'");
        keep[i] *= 1.0 - loss;
    }
    (w.neural ? c.max_activation : c.strength) = keep;

    // Hip flexor tightness: a shorter musculotendon rest length of iliacus, psoas and rectus
    // femoris, the way contracture is modelled in Delp et al. 1995 (J Orthop Res 13:96); the
    // tendon slack length loses kTightnessShortening x lopt at tightness 1 (docs/weakness.md).
    const double t = s.tightness.hip_flexors;
    const int gi = model.groupIndex("iliacus"), gp = model.groupIndex("psoas");
    for (size_t i = 0; i < keep.size(); ++i) {
        const Muscle& m = model.muscles()[i];
        const bool rf = m.name.rfind("recfem", 0) == 0;
        if ((gi >= 0 && inGroup(m, gi)) || (gp >= 0 && inGroup(m, gp)) || rf)
            c.length_scale[i] = 1.0 - kTightnessShortening * t * m.lopt / m.lts;
    }
    return c;
}

}  // namespace corestride
