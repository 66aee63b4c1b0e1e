#include "scenario.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

#include "error.h"
#include "input_file.h"
#include "record_reader.h"
#include "settings.h"
#include "suggest.h"

namespace corestride {

namespace {

KeySpec num(const std::string& name, const std::string& unit, const std::string& def, double lo, double hi,
            const std::string& help) {
    return {name, KeyKind::Number, unit, def, lo, hi, {}, help};
}
KeySpec integer(const std::string& name, const std::string& def, double lo, double hi, const std::string& help) {
    return {name, KeyKind::Integer, "-", def, lo, hi, {}, help};
}
KeySpec choice(const std::string& name, const std::string& def, std::vector<std::string> c, const std::string& help) {
    return {name, KeyKind::Choice, "-", def, 0, 0, std::move(c), help};
}
KeySpec text(const std::string& name, const std::string& def, const std::string& help) {
    return {name, KeyKind::Text, "-", def, 0, 0, {}, help};
}

// " (did you mean running.speed?)" for a mistyped key, "" when no key is close.
std::string keySuggestion(const std::string& key) {
    std::vector<std::string> names;
    for (const auto& k : scenarioKeys()) names.push_back(k.name);
    return didYouMean(key, names);
}

}  // namespace

const KeySpec* findScenarioKey(const std::string& name) {
    for (const auto& k : scenarioKeys())
        if (k.name == name) return &k;
    // Open families: weakness of any group or muscle, the reserve of any coordinate; the model
    // validates the name.
    static const KeySpec group{"weakness.group.<name>", KeyKind::Number, "-", "0", 0, 1, {}, "strength loss of a muscle group"};
    static const KeySpec muscle{"weakness.muscle.<name>", KeyKind::Number, "-", "0", 0, 1, {}, "strength loss of one muscle"};
    static const KeySpec reserve{"control.reserve_optimal.<coordinate>", KeyKind::Number, "N m", "1", 0.01, 1000, {},
                                 "optimal torque of one coordinate's reserve, overriding control.reserve_optimal there"};
    if (name.rfind("control.reserve_optimal.", 0) == 0 && name.size() > 24) return &reserve;
    if (name.rfind("weakness.group.", 0) == 0 && name.size() > 15) return &group;
    if (name.rfind("weakness.muscle.", 0) == 0 && name.size() > 16) return &muscle;
    return nullptr;
}

const std::vector<KeySpec>& scenarioKeys() {
    static const std::vector<KeySpec> keys = {
        text("run.name", "baseline", "name of the run group in the output file (/runs/<name>)"),
        num("run.duration_min", "min", "0", 0, 600,
            "length of a long run with muscle fatigue (docs/long_run.md); 0 = one fresh stride"),
        integer("run.epochs", "6", 1, 120,
                "long run: epochs; one stride at the start of each and one at the end, fatigue advanced between"),
        choice("fatigue.rest_recovery", "yes", {"yes", "no"},
               "long run: faster recovery while a muscle rests (Looft et al. 2018), or the original 3CC model"),
        num("subject.mass", "kg", "75", 30, 200, "body mass; scales segment masses and inertias"),
        num("subject.height", "m", "1.75", 1.2, 2.2, "height; scales lengths"),
        num("subject.thigh_scale", "-", "1", 0.8, 1.3,
            "thigh length factor on top of the height (and of the built-in stride's runner's legs): match the model user kinematics were solved on (docs/simulation.md)"),
        num("subject.shank_scale", "-", "1", 0.8, 1.3,
            "shank length factor on top of the height (and of the built-in stride's runner's legs): match the model user kinematics were solved on (docs/simulation.md)"),
        text("model.file", "", "model file; empty = the built-in models/trunk_hip.model"),
        choice("model.tendon", "triceps_surae", {"triceps_surae", "rigid", "compliant"},
               "elastic tendons: the Achilles tendon (soleus, gastrocnemii), none, or every tendon at least as long as its fibres"),
        num("running.speed", "m/s", "3.5", 3.0, 4.0, "running speed of the built-in stride (Hamner & Delp 2013 fits, interpolated)"),
        choice("running.stride", "symmetric", {"symmetric", "measured"},
               "symmetric: left = right half a cycle later; measured: the runner's own left/right asymmetry"),
        integer("running.strides", "1", 1, 20, "number of strides simulated"),
        choice("motion.source", "builtin", {"builtin", "files", "standing"},
               "built-in stride, the user's OpenSim files, or quiet standing (motion.t_end s long, 1 s if 0)"),
        text("motion.kinematics", "", "OpenSim .mot/.sto coordinates file (motion.source = files)"),
        text("motion.grf", "", "OpenSim GRF .mot file (motion.source = files)"),
        num("motion.t_start", "s", "0", 0, 1e6, "start of the time window in the files"),
        num("motion.t_end", "s", "0", 0, 1e6, "end of the time window (0 = end of data)"),
        num("motion.belt_speed", "m/s", "0", 0, 10, "treadmill belt speed of the files (0 = overground)"),
        text("motion.grf_right", "R_ground_", "column prefix of the right foot in the GRF file (force_v?, force_p?, torque_?)"),
        text("motion.grf_left", "L_ground_", "column prefix of the left foot in the GRF file"),
        num("motion.lowpass_hz", "Hz", "0", 0, 100,
            "zero-lag low-pass cut-off of the files' kinematics and ground reactions (0 = GCV splines, no filter)"),
        choice("motion.residual_reduction", "yes", {"yes", "no"},
               "RRA-style residual reduction: adjust total mass, torso mass centre and pelvis/trunk kinematics (docs/simulation.md)"),
        choice("control.mode", "strict", {"strict", "compensate", "static"},
               "strict: track the kinematics, reserves take what muscles cannot; compensate: predict how the "
               "runner's form adapts to the scenario's muscles, then track it (docs/compensation.md); static: "
               "no simulation, a static optimisation at every sample of the kinematics, rigid tendons, no "
               "activation dynamics (a cross-check of CMC, docs/simulation.md)"),
        num("control.interval", "s", "0.0025", 0.001, 0.05, "control interval of the CMC loop"),
        num("control.warm_up", "s", "0.1", 0, 2,
            "simulated time before the recorded motion, so that it starts with running's activations (docs/simulation.md, "
            "\"Start-up transient\"): the built-in stride's own periodic motion; for files their data before motion.t_start, "
            "as much as they hold; none for standing"),
        num("control.kp", "1/s^2", "6400", 0, 1e6, "proportional gain of the PD tracking law"),
        num("control.kv", "1/s", "160", 0, 1e4, "derivative gain of the PD tracking law (2 sqrt(kp) is critical)"),
        choice("control.cost", "squared", {"squared", "volume", "cubed"},
               "static optimisation cost: sum a^2, volume-weighted sum a^2, or sum a^3 (sequential QP)"),
        choice("control.plan", "none", {"none", "run"},
               "none: each control interval's static optimisation alone; run: first optimise the whole run's activations "
               "under activation dynamics, then track that plan (a controller check, about 5x the run time; "
               "docs/simulation.md, \"Activation plan\")"),
        choice("control.lumbar_balance", "levels", {"levels", "coordinates"},
               "levels: muscles balance every lumbar level's own moments (multi-joint equilibrium); coordinates: only "
               "the three coupled lumbar coordinates, the coupling constraint carries the rest (docs/simulation.md)"),
        num("control.reserve_optimal", "N m", "1", 0.01, 1000, "optimal torque of each reserve actuator (strict mode)"),
        num("control.reserve_max", "N m", "1000", 0, 1e5, "bound on each reserve torque (strict mode)"),
        num("control.residual_optimal", "N or N m", "1", 0.01, 1000, "optimal force/torque of the pelvis residual actuators"),
        num("compensation.deviation_weight", "-", "1", 1e-3, 1e3,
            "compensate mode: cost of a 1 deg (1 cm) deviation held over the stride, per coordinate, in units of "
            "the muscle effort (docs/compensation.md: calibration)"),
        integer("compensation.nodes", "24", 8, 200, "compensate mode: time nodes of the prediction over one stride"),
        integer("compensation.harmonics", "3", 1, 10, "compensate mode: Fourier harmonics of each coordinate's deviation"),
        num("compensation.reserve_max", "N m", "25", 0, 1e4,
            "compensate mode: a predicted stride needing more reserve than the healthy runner by this much fails (exit 3)"),
        integer("compensation.max_iterations", "100", 1, 10000, "compensate mode: iteration limit of the solver (IPOPT)"),
        num("integrator.accuracy", "-", "1e-4", 1e-8, 1e-2, "relative accuracy of the error-controlled integrator"),
        num("weakness.glute_med", "-", "0", 0, 1, "strength loss of gluteus medius, both sides (fraction of healthy fmax)"),
        num("weakness.glute_med_r", "-", "0", 0, 1, "strength loss of the right gluteus medius"),
        num("weakness.glute_med_l", "-", "0", 0, 1, "strength loss of the left gluteus medius"),
        num("weakness.deep_core", "-", "0", 0, 1,
            "strength loss of the deep core: multifidus, quadratus lumborum, psoas, deep erector spinae"),
        choice("weakness.neural", "no", {"no", "yes"},
               "yes: weakness lowers the maximal activation (neural inhibition) instead of the maximal force"),
        num("tightness.hip_flexors", "-", "0", 0, 1,
            "hip flexor tightness from sitting: iliacus, psoas and rectus femoris operate shorter (docs/weakness.md)"),
        num("training.weeks", "weeks", "6", 0, 104, "weeks of training (corestride exercises)"),
        num("training.sessions_per_week", "1/week", "2.5", 0.5, 7, "training sessions a week (the article: 2-3)"),
        text("training.program", "all", "exercises of the program: all, or names separated by commas"),
        choice("training.apply", "no", {"no", "yes"},
               "yes: run and sweep simulate the runner after training.program for training.weeks"),
    };
    return keys;
}

void checkValue(const KeySpec& spec, const std::string& value, const std::string& where, const std::string& key) {
    auto fail = [&](const std::string& why) {
        throw UserError(where + "key '" + (key.empty() ? spec.name : key) + "': value '" + value + "' " + why);
    };
    switch (spec.kind) {
        case KeyKind::Number:
        case KeyKind::Integer: {
            double v = 0;
            std::string why;
            if (!parseDecimal(value, v, &why)) fail(why);
            if (spec.kind == KeyKind::Integer && v != std::floor(v)) fail("is not an integer");
            if (v < spec.lo || v > spec.hi) {
                std::ostringstream os;
                os << "is out of range [" << spec.lo << ", " << spec.hi << "]" << (spec.unit == "-" ? "" : " " + spec.unit);
                // A fraction given in percent (weakness.glute_med=40): say which fraction it meant.
                if (spec.lo == 0 && spec.hi == 1 && spec.unit == "-" && v > 1 && v <= 100)
                    os << "; it is a fraction: did you mean " << v / 100 << " (" << value << "%)?";
                fail(os.str());
            }
            break;
        }
        case KeyKind::Choice: {
            std::string list;
            for (const auto& c : spec.choices) {
                if (c == value) return;
                list += (list.empty() ? "" : ", ") + c;
            }
            // The mode retired with format version 2: say what replaces it.
            if (spec.name == "control.mode" && value == "adaptive")
                fail("was retired (it let the stance leg drift and failed on the weakness presets); use "
                     "'compensate', where the runner's form adapts to the muscles (docs/compensation.md)");
            fail("is not one of: " + list);
            break;
        }
        case KeyKind::Text: break;
    }
}

// The file is read line by line (base/record_reader.h); every error names the line, and a key
// given twice is an error rather than one value silently winning.
Scenario Scenario::resolve(const std::string& file, const std::map<std::string, std::string>& overrides) {
    std::string text;
    if (!file.empty()) {
        text = readInputFile(file, "scenario file");
    }
    return parse(text, file, overrides);
}

Scenario Scenario::fromIni(const std::string& text, const std::string& where) { return parse(text, where, {}); }

Scenario Scenario::parse(const std::string& text, const std::string& file,
                         const std::map<std::string, std::string>& overrides) {
    Scenario s;
    for (const auto& k : scenarioKeys()) { s.values_[k.name] = k.default_value; s.origins_[k.name] = "default"; }
    if (!file.empty()) {
        std::map<std::string, int> line_of;
        forEachIniEntry(text, file, IniRules{}, [&](const IniEntry& e) {
            const std::string key = (e.section.empty() ? "" : e.section + ".") + e.key;
            const std::string where = file + ":" + std::to_string(e.line) + ": ";
            if (!findScenarioKey(key))
                throw UserError(where + "unknown key '" + key + "'" + keySuggestion(key) + " (corestride run --help lists them)");
            if (line_of.count(key))
                throw UserError(where + "key '" + key + "' given twice (first on line " + std::to_string(line_of[key]) + ")");
            line_of[key] = e.line;
            checkValue(*findScenarioKey(key), e.value, where, key);
            s.values_[key] = e.value;
            s.origins_[key] = file + ":" + std::to_string(e.line);
        });
    }
    for (const auto& [key, value] : overrides) {
        const KeySpec* spec = findScenarioKey(key);
        if (!spec)
            throw UserError("command line: unknown key '" + key + "'" + keySuggestion(key) + " (corestride run --help lists them)");
        checkValue(*spec, value, "command line: ", key);
        s.values_[key] = value;
        s.origins_[key] = "command line";
    }
    s.checkConsistency();
    s.settings_ = std::make_shared<const Settings>(makeSettings(s));
    return s;
}

void Scenario::checkConsistency() const {
    auto where = [&](const std::string& key) {
        const std::string& o = origin(key);
        return (o.empty() ? std::string("defaults") : o) + ": key '" + key + "': ";
    };
    // The run name becomes an HDF5 group and file names of exports: a plain word.
    const std::string& name = text("run.name");
    const bool plain = !name.empty() && name[0] != '.' && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    if (!plain)
        throw UserError(where("run.name") + "'" + name + "' is not a run name (letters, digits, '_', '-' and '.', not "
                                                          "starting with '.')");
    // Motion files are read only when the motion comes from files: say so rather than ignore them.
    if (text("motion.source") != "files")
        for (const char* key : {"motion.kinematics", "motion.grf"})
            if (!text(key).empty())
                throw UserError(where(key) + "'" + text(key) + "' is given but motion.source = " + text("motion.source") +
                                "; set motion.source = files to use it, or remove it");
}

double Scenario::number(const std::string& key) const { return std::stod(values_.at(key)); }

std::map<std::string, std::string> Scenario::withPrefix(const std::string& prefix) const {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : values_)
        if (k.rfind(prefix, 0) == 0) out[k] = v;
    return out;
}
int Scenario::integer(const std::string& key) const { return static_cast<int>(std::stod(values_.at(key))); }
const std::string& Scenario::text(const std::string& key) const { return values_.at(key); }
const std::string& Scenario::origin(const std::string& key) const { return origins_.at(key); }

std::string Scenario::toIni() const {
    std::ostringstream os;
    std::string section;
    for (const auto& k : scenarioKeys()) {
        const auto dot = k.name.find('.');
        const std::string sec = k.name.substr(0, dot);
        if (sec != section) { os << (section.empty() ? "" : "\n") << "[" << sec << "]\n"; section = sec; }
        os << k.name.substr(dot + 1) << " = " << values_.at(k.name) << "\n";
        if (k.name == "control.reserve_optimal")   // its per-coordinate family follows it
            for (const auto& [key, value] : withPrefix("control.reserve_optimal."))
                os << key.substr(8) << " = " << value << "\n";
        if (k.name == "weakness.neural")   // the open families follow the weakness keys
            for (const auto& [key, value] : withPrefix("weakness.")) {
                if (key.rfind("weakness.group.", 0) == 0 || key.rfind("weakness.muscle.", 0) == 0)
                    os << key.substr(9) << " = " << value << "\n";
            }
    }
    return os.str();
}

}  // namespace corestride
