#include "run.h"

#include "error.h"
#include "file_reference.h"
#include "model_parser.h"
#include "paths.h"
#include "exercises_study.h"
#include "residual_reduction.h"
#include "standing_reference.h"
#include "training.h"
#include "weakness.h"

namespace corestride {

std::string scenarioModelFile(const Scenario& s) {
    const std::string& f = s.text("model.file");
    return f.empty() ? defaultModelPath() : f;
}

std::vector<std::string> scenarioInputFiles(const Scenario& s) {
    std::vector<std::string> files{scenarioModelFile(s)};
    const std::string& source = s.text("motion.source");
    if (source == "builtin") files.push_back(builtinStrideFile());
    if (source == "files") {
        files.push_back(s.text("motion.kinematics"));
        files.push_back(s.text("motion.grf"));
    }
    if (s.text("training.apply") == "yes") {
        files.push_back(defaultTrainingParamsPath());
        const std::vector<std::string> library = exerciseLibraryFiles(defaultExerciseDir());
        files.insert(files.end(), library.begin(), library.end());
    }
    return files;
}

CmcOptions cmcOptions(const Scenario& s) {
    CmcOptions o;
    o.mode = s.text("control.mode") == "adaptive" ? ControlMode::Adaptive : ControlMode::Strict;
    const std::string& cost = s.text("control.cost");
    o.cost = cost == "volume" ? ActivationCost::Volume : cost == "cubed" ? ActivationCost::Cubed : ActivationCost::Squared;
    o.interval = s.number("control.interval");
    o.kp = s.number("control.kp");
    o.kv = s.number("control.kv");
    o.reserve_optimal = s.number("control.reserve_optimal");
    o.reserve_max = s.number("control.reserve_max");
    o.residual_optimal = s.number("control.residual_optimal");
    o.adaptive_reserve_max = s.number("control.adaptive_reserve_max");
    o.accuracy = s.number("integrator.accuracy");
    return o;
}

CmcOptions runOptions(const Model& model, const Scenario& s) {
    CmcOptions opt = cmcOptions(s);
    const MuscleCondition cond = muscleCondition(model, s);
    opt.strength = cond.strength;
    opt.max_activation = cond.max_activation;
    opt.length_scale = cond.length_scale;
    if (s.text("training.apply") == "yes") {
        const std::vector<Exercise> program = selectProgram(model, s);
        std::vector<const Exercise*> ptrs;
        for (const Exercise& e : program) ptrs.push_back(&e);
        opt.strength = trainStrength(model, cond.strength, ptrs, s.number("training.weeks"),
                                     s.number("training.sessions_per_week"), readTrainingParams(defaultTrainingParamsPath()));
    }
    return opt;
}

ScenarioRun runScenario(const Scenario& s, const std::function<void(double)>& progress) {
    ScenarioRun run = runScenarioSetup(s);
    CmcOptions opt = runOptions(*run.model, s);
    opt.progress = progress;
    run.result = runCmc(*run.model, *run.reference, opt);
    return run;
}

ScenarioRun runScenarioSetup(const Scenario& s) {
    ScenarioRun run;
    BuildOptions build;
    build.compliant_tendon = s.text("model.tendon") == "compliant";
    const ModelDescription desc = readModelFile(scenarioModelFile(s));
    const Subject subject{s.number("subject.mass"), s.number("subject.height")};
    run.model = Model::build(desc, subject, build);
    if (s.text("motion.source") == "builtin") {
        StrideOptions so;
        so.speed = s.number("running.speed");
        so.symmetric = s.text("running.stride") == "symmetric";
        so.strides = s.integer("running.strides");
        run.reference = makeStrideReference(*run.model, readStrideFile(builtinStrideFile()), so);
    } else if (s.text("motion.source") == "standing") {
        const double t_end = s.number("motion.t_end");
        run.reference = makeStandingReference(*run.model, t_end > 0 ? t_end : 1.0);
    } else {
        FileMotionOptions fo;
        fo.kinematics = s.text("motion.kinematics");
        fo.grf = s.text("motion.grf");
        fo.t_start = s.number("motion.t_start");
        fo.t_end = s.number("motion.t_end");
        fo.belt_speed = s.number("motion.belt_speed");
        fo.right_prefix = s.text("motion.grf_right");
        fo.left_prefix = s.text("motion.grf_left");
        fo.lowpass_hz = s.number("motion.lowpass_hz");
        if (fo.kinematics.empty()) throw UserError("key 'motion.kinematics': required when motion.source = files");
        if (fo.grf.empty()) throw UserError("key 'motion.grf': required when motion.source = files");
        run.reference = makeFileReference(*run.model, fo);
    }
    if (s.text("motion.residual_reduction") == "yes") {
        ResidualReduction rr = reduceResiduals(desc, subject, build, run.reference, run.model);
        run.model = rr.model;
        run.reference = rr.reference;
    }
    return run;
}

}  // namespace corestride
