#include "settings.h"

#include <set>
#include <sstream>
#include <stdexcept>

#include "record_reader.h"
#include "scenario.h"

namespace corestride {

namespace {

// Reads keys of a resolved scenario and records which ones were read.
class KeyReader {
public:
    explicit KeyReader(const Scenario& s) : s_(s) {}
    double number(const char* key) { read_.insert(key); return s_.number(key); }
    int integer(const char* key) { read_.insert(key); return s_.integer(key); }
    const std::string& text(const char* key) { read_.insert(key); return s_.text(key); }
    bool is(const char* key, const char* choice) { return text(key) == choice; }
    std::map<std::string, double> family(const std::string& prefix) {
        std::map<std::string, double> out;
        for (const auto& [key, value] : s_.withPrefix(prefix)) out[key.substr(prefix.size())] = s_.number(key);
        return out;
    }
    const std::set<std::string>& read() const { return read_; }

private:
    const Scenario& s_;
    std::set<std::string> read_;
};

Settings fill(KeyReader& k) {
    Settings s;
    s.run.name = k.text("run.name");
    s.run.duration_s = 60 * k.number("run.duration_min");
    s.run.epochs = k.integer("run.epochs");
    s.run.rest_recovery = k.is("fatigue.rest_recovery", "yes");
    s.subject.mass_kg = k.number("subject.mass");
    s.subject.height_m = k.number("subject.height");
    s.subject.thigh_scale = k.number("subject.thigh_scale");
    s.subject.shank_scale = k.number("subject.shank_scale");
    s.model.file = k.text("model.file");
    if (!parseTendonModel(k.text("model.tendon"), s.model.tendon))   // the scenario checked the word
        throw std::logic_error("settings: model.tendon '" + k.text("model.tendon") + "' passed the scenario's check");
    s.running.speed_m_per_s = k.number("running.speed");
    s.running.symmetric = k.is("running.stride", "symmetric");
    s.running.strides = k.integer("running.strides");

    const std::string& source = k.text("motion.source");
    s.motion.source = source == "files" ? MotionSource::Files : source == "standing" ? MotionSource::Standing
                                                                                     : MotionSource::Builtin;
    s.motion.kinematics = k.text("motion.kinematics");
    s.motion.grf = k.text("motion.grf");
    s.motion.t_start_s = k.number("motion.t_start");
    s.motion.t_end_s = k.number("motion.t_end");
    s.motion.belt_speed_m_per_s = k.number("motion.belt_speed");
    s.motion.grf_right = k.text("motion.grf_right");
    s.motion.grf_left = k.text("motion.grf_left");
    s.motion.lowpass_hz = k.number("motion.lowpass_hz");
    s.motion.residual_reduction = k.is("motion.residual_reduction", "yes");

    s.control.mode = k.is("control.mode", "compensate") ? ControlMode::Compensate
                     : k.is("control.mode", "static")   ? ControlMode::Static
                                                        : ControlMode::Strict;
    s.compensation.deviation_weight = k.number("compensation.deviation_weight");
    s.compensation.nodes = k.integer("compensation.nodes");
    s.compensation.harmonics = k.integer("compensation.harmonics");
    s.compensation.reserve_max_Nm = k.number("compensation.reserve_max");
    s.compensation.max_iterations = k.integer("compensation.max_iterations");
    const std::string& cost = k.text("control.cost");
    s.control.cost = cost == "volume" ? ActivationCost::Volume
                     : cost == "cubed" ? ActivationCost::Cubed
                                       : ActivationCost::Squared;
    s.control.balance_levels = k.is("control.lumbar_balance", "levels");
    s.control.plan = k.is("control.plan", "run");
    s.control.interval_s = k.number("control.interval");
    s.control.warm_up_s = k.number("control.warm_up");
    s.control.kp_per_s2 = k.number("control.kp");
    s.control.kv_per_s = k.number("control.kv");
    s.control.reserve_optimal_Nm = k.number("control.reserve_optimal");
    s.control.reserve_optimal_coordinate_Nm = k.family("control.reserve_optimal.");
    s.control.reserve_max_Nm = k.number("control.reserve_max");
    s.control.residual_optimal = k.number("control.residual_optimal");
    s.integrator.accuracy = k.number("integrator.accuracy");

    s.weakness.glute_med = k.number("weakness.glute_med");
    s.weakness.glute_med_r = k.number("weakness.glute_med_r");
    s.weakness.glute_med_l = k.number("weakness.glute_med_l");
    s.weakness.deep_core = k.number("weakness.deep_core");
    s.weakness.neural = k.is("weakness.neural", "yes");
    s.weakness.groups = k.family("weakness.group.");
    s.weakness.muscles = k.family("weakness.muscle.");
    s.tightness.hip_flexors = k.number("tightness.hip_flexors");

    s.training.weeks = k.number("training.weeks");
    s.training.sessions_per_week = k.number("training.sessions_per_week");
    const std::string& program = k.text("training.program");
    s.training.all_exercises = program == "all";
    if (!s.training.all_exercises) {
        std::istringstream names(program);
        for (std::string n; std::getline(names, n, ',');) s.training.program.push_back(trim(n));   // "a, b" as "a,b"
    }
    s.training.apply = k.is("training.apply", "yes");
    return s;
}

}  // namespace

Settings makeSettings(const Scenario& scenario) {
    KeyReader k(scenario);
    return fill(k);
}

std::vector<std::string> settingsKeys() {
    const Scenario defaults = Scenario::resolve("", {});
    KeyReader k(defaults);
    fill(k);
    return {k.read().begin(), k.read().end()};
}

CmcOptions cmcOptions(const Settings& settings) {
    const Settings::Control& c = settings.control;
    CmcOptions o;
    o.mode = c.mode;
    o.cost = c.cost;
    o.balance_levels = c.balance_levels;
    o.plan = c.plan;
    o.interval = c.interval_s;
    o.warm_up = c.warm_up_s;
    o.kp = c.kp_per_s2;
    o.kv = c.kv_per_s;
    o.reserve_optimal = c.reserve_optimal_Nm;
    o.reserve_optimal_coordinate = c.reserve_optimal_coordinate_Nm;
    o.reserve_max = c.reserve_max_Nm;
    o.residual_optimal = c.residual_optimal;
    o.accuracy = settings.integrator.accuracy;
    return o;
}

}  // namespace corestride
