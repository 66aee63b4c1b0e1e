// The exercise what-if study behind `corestride exercises`: the healthy runner, the
// scenario's weakened runner, the weakened runner after each exercise alone and after the
// whole program, all on one model and one reference stride.
#pragma once

#include <string>
#include <vector>

#include "exercise.h"
#include "run.h"
#include "training.h"
#include "weakness.h"

namespace corestride {

// Names of the two reference runs in the study and in its results file.
constexpr const char* kHealthyRun = "healthy";
constexpr const char* kWeakenedRun = "weakened";

struct StudyRun {
    enum class Role { Healthy, Weakened, Exercise, Program };
    Role role = Role::Healthy;
    std::string name;                 // kHealthyRun, kWeakenedRun, after_<exercise>, after_program
    std::string title;                // for tables
    // Per muscle, the run's condition (MuscleCondition): the healthy runner has no weakness
    // and no tightness; every other run keeps the scenario's activation ceiling and tightness.
    std::vector<double> strength, max_activation, length_scale;
    ScenarioRun run;                  // model and reference shared with the other runs
};

struct ExerciseStudy {
    std::vector<StudyRun> runs;       // healthy, weakened, one per exercise, program
    // The scenario's weakened runner, before training: what every exercise is compared with.
    const StudyRun& weakened() const;
    double weeks = 0, sessions_per_week = 0;
};

// Throws UserError for bad keys, exercise files or training parameters.
ExerciseStudy runExerciseStudy(const Settings& settings, const std::function<void(double)>& progress = {});

// Peak L5/S1 compression, anterior shear and lateral shear (N; mean of the per-stride peaks).
struct PeakLoads {
    double compression = 0, ap_shear = 0, lateral_shear = 0;
};
PeakLoads peakL5S1(const ScenarioRun& run);

// Mean strength gain (fraction) per muscle group between two strength vectors, for the
// groups whose mean gain exceeds `min_gain`; sorted by gain.
std::vector<std::pair<std::string, double>> groupGains(const Model& model, const std::vector<double>& before,
                                                       const std::vector<double>& after, double min_gain = 0.01);

}  // namespace corestride
