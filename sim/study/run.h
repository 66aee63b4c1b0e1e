// One scenario, end to end: build the model for the subject, build the reference motion,
// run computed muscle control, and (run_output.h) write it to HDF5.
#pragma once

#include <functional>
#include <memory>

#include "cmc.h"
#include "model.h"
#include "reference_motion.h"
#include "settings.h"

namespace corestride {

struct ScenarioRun {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const ReferenceMotion> reference;   // shared by runs on the same stride
    RunResult result;
};

// Model file named by the scenario (model.file), or the built-in one.
std::string scenarioModelFile(const Settings& settings);

// The subject a scenario's model is built for: body mass, height and the thigh and shank
// factors; with the built-in stride the factors multiply its runner's leg proportions
// (strideRunnerLegFactors), so that the feet land where his did.
Subject scenarioSubject(const Settings& s, const ModelDescription& desc);

// Every file a run of the scenario reads: the model, the motion (the built-in stride file, or
// the user's kinematics and ground reactions), and with training.apply = yes the training
// parameters and the exercise library. Sweeps record their digests to refuse resuming with
// changed inputs.
std::vector<std::string> scenarioInputFiles(const Settings& settings);

// Builds the model and reference and runs the simulation. Throws UserError for bad input
// (files, keys); numerical failures end up in result.status instead.
ScenarioRun runScenario(const Settings& settings, const std::function<void(double)>& progress = {});

// Builds the model and the reference of a scenario without running (result left empty).
ScenarioRun runScenarioSetup(const Settings& settings);

// Simulates the scenario's run on `reference`: with run.duration_min > 0 a long run with muscle
// fatigue (long_run.h, whose strides are simulateStride()'s), else one simulateStride().
RunResult simulate(const Model& model, std::shared_ptr<const ReferenceMotion> reference, const CmcOptions& opt,
                   const Settings& settings, std::shared_ptr<const ReferenceMotion>* tracked = nullptr);

// Simulates `reference` with the scenario's control law: computed muscle control; in compensate
// mode first the stride prediction for opt's muscles, then computed muscle control of the
// compensated stride (RunResult::compensation records the prediction; a failed prediction is
// a failed run). `tracked` (optional, may point to the caller's `reference`) receives the
// reference that was tracked.
RunResult simulateStride(const Model& model, std::shared_ptr<const ReferenceMotion> reference, const CmcOptions& opt,
                   const Settings& settings, std::shared_ptr<const ReferenceMotion>* tracked = nullptr);

// CMC options for the scenario's runner: control keys, weakness and tightness, and with
// training.apply = yes the strength after training.program for training.weeks.
CmcOptions runOptions(const Model& model, const Settings& settings);

}  // namespace corestride
