#include "scenario_words.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace corestride {

namespace {

std::string percent(double fraction) {
    std::ostringstream os;
    os << std::round(fraction * 1000.0) / 10.0 << "%";
    return os.str();
}

std::string number(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

// Dedicated wording of one key, or "" to use the generic form.
std::string phrase(const Scenario& s, const std::string& key) {
    const auto val = [&] { return s.number(key); };
    if (key == "weakness.glute_med") return "Gluteus medius " + percent(val()) + " weaker on both sides.";
    if (key == "weakness.glute_med_r") return "Right gluteus medius " + percent(val()) + " weaker.";
    if (key == "weakness.glute_med_l") return "Left gluteus medius " + percent(val()) + " weaker.";
    if (key == "weakness.deep_core")
        return "Deep core (multifidus, quadratus lumborum, psoas, deep erector spinae) " + percent(val()) + " weaker.";
    if (key.rfind("weakness.group.", 0) == 0) return "Muscle group " + key.substr(15) + " " + percent(val()) + " weaker.";
    if (key.rfind("weakness.muscle.", 0) == 0) return "Muscle " + key.substr(16) + " " + percent(val()) + " weaker.";
    if (key.rfind("control.reserve_optimal.", 0) == 0)
        return "The reserve actuator of " + key.substr(24) + " has an optimal torque of " + number(val()) + " N m instead of " +
               number(s.number("control.reserve_optimal")) + " N m (its price in the static optimisation: a sensitivity setting).";
    if (key == "weakness.neural")
        return "The weakness is neural: the muscles cannot be fully activated (their maximal force is unchanged).";
    if (key == "tightness.hip_flexors")
        return "Tight hip flexors from sitting (iliacus, psoas, rectus femoris), tightness " + number(val()) + " on a 0-1 scale.";
    if (key == "training.apply")
        return "Simulated after " + number(s.number("training.weeks")) + " weeks of training (" +
               s.text("training.program") + " of the program), " + number(s.number("training.sessions_per_week")) +
               " sessions a week.";
    if (key == "control.mode" && s.text(key) == "compensate")
        return "The running form adapts to the muscles: the stride is first re-optimised for them (compensate mode), "
               "then simulated.";
    if (key == "control.mode" && s.text(key) == "static")
        return "Muscle forces by static optimisation of the recorded stride, instant by instant (no muscle-driven "
               "simulation: a cross-check).";
    return "";
}

bool isDefault(const Scenario& s, const KeySpec& k) {
    const std::string& v = s.text(k.name);
    if (k.kind == KeyKind::Number || k.kind == KeyKind::Integer) return std::stod(v) == std::stod(k.default_value);
    return v == k.default_value;
}

}  // namespace

std::vector<std::string> describeScenario(const Scenario& s) {
    std::vector<std::string> out;
    std::ostringstream runner;
    runner << "Runner of " << number(s.number("subject.mass")) << " kg and " << number(s.number("subject.height"))
           << " m; ";
    if (s.text("motion.source") == "files")
        runner << "motion and ground forces from " << s.text("motion.kinematics") << " and " << s.text("motion.grf") << ".";
    else
        runner << "running at " << number(s.number("running.speed"))
               << " m/s, the built-in stride of a recorded runner (Hamner & Delp 2013), "
               << s.integer("running.strides") << (s.integer("running.strides") == 1 ? " stride." : " strides.");
    out.push_back(runner.str());

    static const char* kSkipped[] = {"run.name", "subject.", "running.", "motion.", "training.weeks",
                                     "training.sessions_per_week", "training.program"};
    const auto starts = [](const std::string& name, const char* prefix) { return name.rfind(prefix, 0) == 0; };
    const auto body = [&](const std::string& name) {
        return starts(name, "weakness.") || starts(name, "tightness.") || starts(name, "training.");
    };
    bool weak = false;
    // The runner's body first (weakness, tightness, training), then how it is simulated.
    for (int pass = 0; pass < 2; ++pass) {
        for (const auto& k : scenarioKeys()) {
            bool skip = body(k.name) != (pass == 0);
            for (const char* p : kSkipped) skip = skip || starts(k.name, p);
            if (skip || isDefault(s, k)) continue;
            if (starts(k.name, "weakness.") && k.name != "weakness.neural") weak = true;
            std::string p = phrase(s, k.name);
            if (p.empty()) p = k.name + " = " + s.text(k.name) + (k.unit == "-" ? "" : " " + k.unit) + " (" + k.help + ").";
            out.push_back(p);
        }
        if (pass == 1) {
            for (const auto& [key, value] : s.withPrefix("control.reserve_optimal."))   // open family
                out.push_back(phrase(s, key));
            continue;
        }
        for (const auto& [key, value] : s.withPrefix("weakness.")) {   // open families
            if (!starts(key, "weakness.group.") && !starts(key, "weakness.muscle.")) continue;
            if (std::stod(value) == 0) continue;
            weak = true;
            out.push_back(phrase(s, key));
        }
    }
    if (!weak) out.insert(out.begin() + 1, "No muscle weakness.");
    return out;
}

std::string plainGroupName(const std::string& group) {
    static const std::map<std::string, std::string> names = {
        {"glute_med", "gluteus medius"},          {"glute_min", "gluteus minimus"},
        {"glute_max", "gluteus maximus"},         {"quadratus_lumborum", "quadratus lumborum"},
        {"erector_spinae_deep", "deep erector spinae"}, {"longissimus_thoracis", "longissimus thoracis"},
        {"rectus_abdominis", "rectus abdominis"}, {"deep_core", "deep core"},
        {"latissimus_dorsi", "latissimus dorsi"}, {"tfl", "tensor fasciae latae"}};
    const auto it = names.find(group);
    if (it != names.end()) return it->second;
    std::string s = group;
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

std::string plainCapacityName(const std::string& group_side) {
    const std::size_t n = group_side.size();
    if (n > 2 && group_side[n - 2] == '_' && (group_side[n - 1] == 'r' || group_side[n - 1] == 'l'))
        return std::string(group_side[n - 1] == 'r' ? "right " : "left ") + plainGroupName(group_side.substr(0, n - 2));
    return plainGroupName(group_side);
}

}  // namespace corestride
