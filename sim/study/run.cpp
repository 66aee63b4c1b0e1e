#include "run.h"

#include "error.h"
#include "file_reference.h"
#include "model_parser.h"
#include "paths.h"
#include "exercise.h"
#include "residual_reduction.h"
#include "settings.h"
#include "standing_reference.h"
#include "training.h"
#include "weakness.h"

namespace corestride {

std::string scenarioModelFile(const Settings& s) {
    return s.model.file.empty() ? defaultModelPath() : s.model.file;
}

std::vector<std::string> scenarioInputFiles(const Settings& s) {
    std::vector<std::string> files{scenarioModelFile(s)};
    if (s.motion.source == MotionSource::Builtin) files.push_back(builtinStrideFile());
    if (s.motion.source == MotionSource::Files) {
        files.push_back(s.motion.kinematics);
        files.push_back(s.motion.grf);
    }
    if (s.training.apply) {
        files.push_back(defaultTrainingParamsPath());
        const std::vector<std::string> library = exerciseLibraryFiles(defaultExerciseDir());
        files.insert(files.end(), library.begin(), library.end());
    }
    return files;
}

CmcOptions runOptions(const Model& model, const Settings& s) {
    CmcOptions opt = cmcOptions(s);
    const MuscleCondition cond = muscleCondition(model, s);
    opt.strength = s.training.apply ? trainedStrength(model, cond.strength, s.training) : cond.strength;
    opt.max_activation = cond.max_activation;
    opt.length_scale = cond.length_scale;
    return opt;
}

ScenarioRun runScenario(const Settings& s, const std::function<void(double)>& progress) {
    ScenarioRun run = runScenarioSetup(s);
    CmcOptions opt = runOptions(*run.model, s);
    opt.progress = progress;
    run.result = runCmc(*run.model, *run.reference, opt);
    return run;
}

ScenarioRun runScenarioSetup(const Settings& s) {
    ScenarioRun run;
    BuildOptions build;
    build.compliant_tendon = s.model.compliant_tendon;
    const ModelDescription desc = readModelFile(scenarioModelFile(s));
    const Subject subject{s.subject.mass_kg, s.subject.height_m};
    run.model = Model::build(desc, subject, build);
    const Settings::Motion& m = s.motion;
    if (m.source == MotionSource::Builtin) {
        StrideOptions so;
        so.speed = s.running.speed_m_per_s;
        so.symmetric = s.running.symmetric;
        so.strides = s.running.strides;
        run.reference = makeStrideReference(*run.model, readStrideFile(builtinStrideFile()), so);
    } else if (m.source == MotionSource::Standing) {
        run.reference = makeStandingReference(*run.model, m.t_end_s > 0 ? m.t_end_s : 1.0);
    } else {
        FileMotionOptions fo;
        fo.kinematics = m.kinematics;
        fo.grf = m.grf;
        fo.t_start = m.t_start_s;
        fo.t_end = m.t_end_s;
        fo.belt_speed = m.belt_speed_m_per_s;
        fo.right_prefix = m.grf_right;
        fo.left_prefix = m.grf_left;
        fo.lowpass_hz = m.lowpass_hz;
        if (fo.kinematics.empty()) throw UserError("key 'motion.kinematics': required when motion.source = files");
        if (fo.grf.empty()) throw UserError("key 'motion.grf': required when motion.source = files");
        run.reference = makeFileReference(*run.model, fo);
    }
    if (m.residual_reduction) {
        ResidualReduction rr = reduceResiduals(desc, subject, build, run.reference, run.model);
        run.model = rr.model;
        run.reference = rr.reference;
    }
    return run;
}

}  // namespace corestride
