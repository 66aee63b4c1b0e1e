// The long run (run.duration_min > 0; docs/long_run.md): minutes of running with muscle
// fatigue. The run is split into run.epochs epochs. A stride is simulated at the start of each
// epoch and one at the end of the run, each with the control law of the scenario (in compensate
// mode the form adapts) and with every muscle's activation ceiling lowered to the capacity the
// fatigue model (dynamics/fatigue.h) leaves it; between strides, the fatigue state advances
// over the epoch's running time under the activations the stride at its start demanded.
#pragma once

#include <memory>

#include "fatigue.h"
#include "run.h"

namespace corestride {

// The fatigue parameters a long run reads (models/fatigue.params) with the scenario's
// fatigue.rest_recovery applied (no: rest multiplier 1, the model of Xia & Frey Law 2008).
FatigueParams longRunFatigueParams(const Settings& settings);

// Simulates settings.run.duration_s of running (> 0) in settings.run.epochs epochs. The
// returned result is the first stride's, which is exactly what simulate() gives for the
// fresh runner, with RunResult::long_run filled and late-run metrics (late_*, capacity_end_*,
// run_out_min_*) appended. A stride that cannot be simulated ends the run: long_run.status
// says at which minute and why; it is not an error. Throws UserError for a bad fatigue
// parameter file.
RunResult simulateLongRun(const Model& model, std::shared_ptr<const ReferenceMotion> reference, const CmcOptions& opt,
                          const Settings& settings, std::shared_ptr<const ReferenceMotion>* tracked = nullptr);

}  // namespace corestride
