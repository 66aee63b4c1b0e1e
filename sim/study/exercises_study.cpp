#include "exercises_study.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "error.h"
#include "model_parser.h"

namespace corestride {

PeakLoads peakL5S1(const ScenarioRun& run) {
    PeakLoads p;
    const auto& levels = run.model->lumbarLevels();
    for (size_t k = 0; k < levels.size(); ++k) {
        if (levels[k].joint != "L5_S1" || k >= run.result.lumbar_stride_metrics.size()) continue;
        const Table& t = run.result.lumbar_stride_metrics[k];
        p.compression = strideMean(t, StrideMetric::PeakCompression);
        p.ap_shear = strideMean(t, StrideMetric::PeakAnteriorShear);
        p.lateral_shear = strideMean(t, StrideMetric::PeakLateralShear);
    }
    return p;
}

std::vector<std::pair<std::string, double>> groupGains(const Model& model, const std::vector<double>& before,
                                                       const std::vector<double>& after, double min_gain) {
    std::vector<std::pair<std::string, double>> out;
    for (int g = 0; g < static_cast<int>(model.groupNames().size()); ++g) {
        double sum = 0;
        int n = 0;
        for (size_t i = 0; i < model.muscles().size(); ++i) {
            const auto& gs = model.muscles()[i].groups;
            if (std::find(gs.begin(), gs.end(), g) == gs.end() || before[i] <= 0) continue;
            sum += after[i] / before[i] - 1.0;
            ++n;
        }
        if (n && sum / n > min_gain) out.push_back({model.groupNames()[g], sum / n});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

std::vector<Exercise> selectProgram(const Model& model, const Scenario& s) {
    std::vector<Exercise> library = readExerciseLibrary(defaultExerciseDir());
    const std::string& wanted = s.text("training.program");
    std::vector<Exercise> program;
    for (const Exercise& e : library) {
        validateExercise(e, model);
        if (wanted == "all" || ("," + wanted + ",").find("," + e.name + ",") != std::string::npos) program.push_back(e);
    }
    if (program.empty()) throw UserError("key 'training.program': no exercise matches '" + wanted + "'");
    std::istringstream names(wanted);
    for (std::string n; std::getline(names, n, ',');)
        if (wanted != "all" && std::none_of(program.begin(), program.end(), [&](const Exercise& e) { return e.name == n; }))
            throw UserError("key 'training.program': no exercise '" + n + "' in " + defaultExerciseDir());
    return program;
}

ExerciseStudy runExerciseStudy(const Scenario& s, const std::function<void(double)>& progress) {
    ExerciseStudy study;
    study.weeks = s.number("training.weeks");
    study.sessions_per_week = s.number("training.sessions_per_week");
    // One model and one reference stride for every run (what varies is a run parameter).
    ScenarioRun base = runScenarioSetup(s);
    const Model& model = *base.model;
    const MuscleCondition weak = muscleCondition(model, s);
    const MuscleCondition healthy = healthyCondition(model);

    const std::vector<Exercise> program = selectProgram(model, s);
    const TrainingParams params = readTrainingParams(defaultTrainingParamsPath());

    auto add = [&](const std::string& name, const std::string& title, const MuscleCondition& c) {
        StudyRun r;
        r.name = name;
        r.title = title;
        r.strength = c.strength;
        r.run.model = base.model;
        r.run.reference = base.reference;
        study.runs.push_back(std::move(r));
        return &study.runs.back().strength;
    };
    add("healthy", "healthy runner", healthy);
    add("weakened", "weakened runner", weak);
    std::vector<const Exercise*> all;
    for (const Exercise& e : program) {
        all.push_back(&e);
        MuscleCondition c = weak;
        c.strength = trainStrength(model, weak.strength, {&e}, study.weeks, study.sessions_per_week, params);
        add("after_" + e.name, e.title, c);
    }
    MuscleCondition c = weak;
    c.strength = trainStrength(model, weak.strength, all, study.weeks, study.sessions_per_week, params);
    add("after_program", "whole program", c);

    CmcOptions opt = cmcOptions(s);
    opt.max_activation = weak.max_activation;
    opt.length_scale = weak.length_scale;
    for (size_t k = 0; k < study.runs.size(); ++k) {
        StudyRun& r = study.runs[k];
        CmcOptions o = opt;
        o.strength = r.strength;
        if (r.name == "healthy") { o.max_activation.clear(); o.length_scale.clear(); }
        r.run.result = runCmc(model, *base.reference, o);
        if (progress) progress(static_cast<double>(k + 1) / study.runs.size());
    }
    return study;
}

}  // namespace corestride
