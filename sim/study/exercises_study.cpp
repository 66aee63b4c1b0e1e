#include "exercises_study.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

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

ExerciseStudy runExerciseStudy(const Settings& s, const std::function<void(double)>& progress) {
    ExerciseStudy study;
    study.weeks = s.training.weeks;
    study.sessions_per_week = s.training.sessions_per_week;
    // One model and one reference stride for every run (what varies is a run parameter).
    ScenarioRun base = runScenarioSetup(s);
    const Model& model = *base.model;
    const MuscleCondition weak = muscleCondition(model, s);
    const MuscleCondition healthy = healthyCondition(model);

    const std::vector<Exercise> program = selectProgram(model, s.training);
    const TrainingParams params = readTrainingParams(defaultTrainingParamsPath());

    auto add = [&](StudyRun::Role role, const std::string& name, const std::string& title, const MuscleCondition& c) {
        StudyRun r;
        r.role = role;
        r.name = name;
        r.title = title;
        r.strength = c.strength;
        r.max_activation = c.max_activation;
        r.length_scale = c.length_scale;
        r.run.model = base.model;
        r.run.reference = base.reference;
        study.runs.push_back(std::move(r));
        return &study.runs.back().strength;
    };
    add(StudyRun::Role::Healthy, kHealthyRun, "healthy runner", healthy);
    add(StudyRun::Role::Weakened, kWeakenedRun, "weakened runner", weak);
    std::vector<const Exercise*> all;
    for (const Exercise& e : program) {
        all.push_back(&e);
        MuscleCondition c = weak;
        c.strength = trainStrength(model, weak.strength, {&e}, study.weeks, study.sessions_per_week, params);
        add(StudyRun::Role::Exercise, "after_" + e.name, e.title, c);
    }
    MuscleCondition c = weak;
    c.strength = trainStrength(model, weak.strength, all, study.weeks, study.sessions_per_week, params);
    add(StudyRun::Role::Program, "after_program", "whole program", c);

    for (size_t k = 0; k < study.runs.size(); ++k) {
        StudyRun& r = study.runs[k];
        CmcOptions o = cmcOptions(s);
        o.strength = r.strength;
        o.max_activation = r.max_activation;
        o.length_scale = r.length_scale;
        r.run.result = simulate(model, base.reference, o, s, &r.run.reference);
        if (progress) progress(static_cast<double>(k + 1) / study.runs.size());
    }
    return study;
}

const StudyRun& ExerciseStudy::weakened() const {
    for (const StudyRun& r : runs)
        if (r.role == StudyRun::Role::Weakened) return r;
    throw std::logic_error("exercise study without its weakened run");
}

}  // namespace corestride
