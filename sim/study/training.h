// The training-response model (docs/exercises.md, "Training model"): the strength of every
// muscle after N weeks of an exercise programme, from the relative intensity each exercise
// reaches in the muscle, the sessions a week and the weeks, saturating over time and with
// more room to grow for a weakened muscle. Strengths are factors of the model's healthy
// maximal isometric force (1 = Muscle::fmax). Pure functions: no printing, no state.
//
//   I_m      = max over the programme's loads on any group of muscle m of the load's mvc
//   r(I)     = clamp((I - I0) / (I1 - I0), 0, 1)            intensity response
//   f(n)     = min(1, n / n_ref)^beta                        frequency factor
//   T(t)     = 1 - exp(-t / tau)                             time course (t in weeks)
//   s_m(t)   = s0 + r(I_m) f(n) T(t) (S_cap - s0)            if s0 < S_cap, else s0
//   S_cap    = 1 + headroom                                  strength ceiling
//
// The gain is proportional to the room left below the ceiling, so a weakened muscle gains
// more, in absolute and in relative terms, than a healthy one under the same exercise: the
// relative gain is r f T (S_cap - s0) / s0, so the ceiling sets how much more. A low ceiling
// (S_cap = 1.25 before issue 10) makes a muscle at 0.6 gain 4.3x the relative gain of a
// healthy one; published hip-abductor trials show weak (patellofemoral-pain) groups gaining
// about as much per week as healthy ones. The shipped S_cap and tau are calibrated against
// those trials (models/training.params, docs/exercises.md "Calibration").
// Detraining is not modelled: a muscle never loses strength.
#pragma once

#include <string>
#include <vector>

#include "settings.h"

namespace corestride {

class Model;
struct Exercise;

// The parameters of the model; models/training.params holds the values and their sources.
struct TrainingParams {
    double intensity_threshold = 0;   // I0, fraction of MVC: no strength gain at or below it
    double intensity_full = 0;        // I1, fraction of MVC: full response at or above it
    double reference_sessions = 0;    // n_ref, sessions a week giving the full response
    double frequency_exponent = 0;    // beta
    double time_constant_weeks = 0;   // tau, weeks
    double headroom = 0;              // S_cap - 1: ceiling above the healthy strength
};

// Reads a parameter file: `param <name> value=<v> status=<...> source=<...>` records (status
// checked, unverified, estimate, derived or calibrated), one for
// each of the names intensity_threshold_pct, intensity_full_pct, reference_sessions_per_week,
// frequency_exponent, time_constant_weeks, headroom. Throws UserError naming the file, line
// and field for malformed records, unknown or repeated names and out-of-range values, and
// naming the file and the parameter for a missing one.
TrainingParams readTrainingParams(const std::string& path);

// The shipped parameter file (models/training.params under the data root, paths.h).
std::string defaultTrainingParamsPath();

// Throws UserError unless 0 <= I0 < I1, n_ref > 0, beta > 0, tau > 0 and headroom >= 0.
void checkTrainingParams(const TrainingParams& params);

// r(I), f(n) and T(t) of the header's equations.
double calcIntensityResponse(double intensity, const TrainingParams& params);
double calcFrequencyFactor(double sessions_per_week, const TrainingParams& params);
double calcTimeFactor(double weeks, const TrainingParams& params);

// The relative intensity (fraction of MVC) every muscle reaches in the programme, indexed like
// Model::muscles(): the largest `mvc` of any load on any of the muscle's groups, 0 for a muscle
// no exercise loads. Exercises done "each side" (and bilateral ones) load the right, left and
// midline muscles of a group alike, since the programme trains each side in every session.
// Throws UserError (validateExercise()) for a group the model does not have.
std::vector<double> calcProgramIntensity(const Model& model, const std::vector<const Exercise*>& program);

// One muscle: the strength after `weeks` weeks at `sessions_per_week`, from strength0 at
// relative intensity `intensity`.
double calcTrainedStrength(double strength0, double intensity, double weeks, double sessions_per_week,
                           const TrainingParams& params);

// Every muscle: the new strength factors (indexed like Model::muscles()) after `weeks` weeks of
// the programme at `sessions_per_week` sessions a week (every exercise in every session).
// strength0 holds one factor per muscle (fraction of healthy fmax, >= 0). Throws UserError for
// a strength0 of the wrong size or with negative or non-finite entries, negative or non-finite
// weeks or sessions, invalid params, or an unknown group.
std::vector<double> trainStrength(const Model& model, const std::vector<double>& strength0,
                                  const std::vector<const Exercise*>& program, double weeks,
                                  double sessions_per_week, const TrainingParams& params);

// The strength after the scenario's training (training.program for training.weeks at
// training.sessions_per_week, with the shipped training parameters) from strength0.
std::vector<double> trainedStrength(const Model& model, const std::vector<double>& strength0,
                                    const Settings::Training& training);

}  // namespace corestride
