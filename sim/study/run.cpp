#include "run.h"

#include "error.h"
#include "file_reference.h"
#include "model_parser.h"
#include "paths.h"
#include "exercise.h"
#include "residual_reduction.h"
#include "settings.h"
#include "form.h"
#include "long_run.h"
#include "stride_deviation.h"
#include "stride_prediction.h"
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
    if (s.run.duration_s > 0) files.push_back(defaultFatigueParamsPath());
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
    run.result = simulate(*run.model, run.reference, opt, s, &run.reference);
    return run;
}

RunResult simulate(const Model& model, std::shared_ptr<const ReferenceMotion> reference, const CmcOptions& opt,
                   const Settings& s, std::shared_ptr<const ReferenceMotion>* tracked) {
    if (s.run.duration_s > 0) return simulateLongRun(model, reference, opt, s, tracked);
    return simulateStride(model, reference, opt, s, tracked);
}

RunResult simulateStride(const Model& model, std::shared_ptr<const ReferenceMotion> reference, const CmcOptions& opt,
                         const Settings& s, std::shared_ptr<const ReferenceMotion>* tracked) {
    if (tracked) *tracked = reference;
    if (opt.mode != ControlMode::Compensate) return runCmc(model, *reference, opt);
    PredictionOptions po;
    po.deviation_weight = s.compensation.deviation_weight;
    po.nodes = s.compensation.nodes;
    po.harmonics = s.compensation.harmonics;
    po.reserve_max = s.compensation.reserve_max_Nm;
    po.max_iterations = s.compensation.max_iterations;
    const StridePrediction pred = predictStride(model, *reference, opt, po);
    CompensationResult c;
    c.active = true;
    c.solved = pred.solved;
    c.status = pred.status;
    c.iterations = pred.iterations;
    c.evaluations = pred.evaluations;
    c.gradient_evaluations = pred.gradient_evaluations;
    c.costs = pred.costs;
    c.effort_measured = pred.effort_measured;
    c.reserve_excess = pred.reserve_excess;
    c.wall_time = pred.wall_time;
    c.evaluation_time = pred.evaluation_time;
    c.gradient_time = pred.gradient_time;
    c.nodes = po.nodes;
    c.harmonics = po.harmonics;
    c.deviation_weight = po.deviation_weight;
    const StrideDeviation& d = pred.deviation;
    const int nc = static_cast<int>(model.coordinates().size());
    c.coefficients.cols = d.basisSize();
    c.coefficients.data.assign(static_cast<size_t>(nc) * d.basisSize(), 0.0);
    for (size_t j = 0; j < d.coords.size() && d.coeffs.rows() == static_cast<int>(d.coords.size()); ++j)
        for (int k = 0; k < d.basisSize(); ++k) c.coefficients.data[d.coords[j] * d.basisSize() + k] = d.coeffs(j, k);
    RunResult r;
    if (!pred.solved) {
        r.status = RunStatus::failed("compensation " + pred.status);
        r.wall_time = pred.wall_time;
        r.compensation = std::move(c);
        return r;
    }
    std::shared_ptr<const ReferenceMotion> compensated = makeCompensatedReference(model, reference, d);
    if (tracked) *tracked = compensated;
    CmcOptions strict = opt;
    strict.mode = ControlMode::Compensate;   // tracked as in strict mode (cmc.h)
    r = runCmc(model, *compensated, strict);
    r.wall_time += pred.wall_time;
    // The measured stride on the run's samples, and its running form for the comparison.
    RunResult measured;
    measured.time = r.time;
    measured.grf_force = r.grf_force;
    measured.q.cols = nc;
    std::vector<double> q(nc), qd(nc), qdd(nc);
    for (double t : r.time) {
        reference->coordinates(t, q.data(), qd.data(), qdd.data());
        measured.q.data.insert(measured.q.data.end(), q.begin(), q.end());
    }
    if (!r.time.empty()) {
        calcFormMeasures(model, measured);
        c.form_measured = measured.form;
        // form_<measure>_deg of both strides: the compensated minus the measured.
        std::vector<std::pair<std::string, double>> change;
        for (const auto& [name, value] : r.metrics) {
            if (name.rfind("form_", 0) != 0) continue;
            for (const auto& [mname, mvalue] : measured.metrics)
                if (mname == name) change.push_back({"form_change_" + name.substr(5), value - mvalue});
        }
        r.metrics.insert(r.metrics.end(), change.begin(), change.end());
    }
    c.q_measured = std::move(measured.q);
    r.metrics.push_back({"compensation_iterations", static_cast<double>(c.iterations)});
    r.metrics.push_back({"compensation_time_s", c.wall_time});
    r.metrics.push_back({"compensation_effort", c.costs.effort});
    r.metrics.push_back({"compensation_effort_measured", c.effort_measured});
    r.compensation = std::move(c);
    return r;
}

Subject scenarioSubject(const Settings& s, const ModelDescription& desc) {
    Subject subject{s.subject.mass_kg, s.subject.height_m, s.subject.thigh_scale, s.subject.shank_scale};
    if (s.motion.source == MotionSource::Builtin) {
        double thigh = 1, shank = 1;
        strideRunnerLegFactors(desc, thigh, shank);
        subject.thigh_scale *= thigh;
        subject.shank_scale *= shank;
    }
    return subject;
}

ScenarioRun runScenarioSetup(const Settings& s) {
    ScenarioRun run;
    BuildOptions build;
    build.tendon = s.model.tendon;
    const ModelDescription desc = readModelFile(scenarioModelFile(s));
    const Subject subject = scenarioSubject(s, desc);
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
        fo.lead_in = s.control.warm_up_s;   // the files' data before the window, for the warm-up
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
