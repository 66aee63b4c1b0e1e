// From a scenario's weakness and tightness keys to per-muscle run parameters
// (docs/weakness.md): strength factors on fmax, maximal activations (neural inhibition) and
// length factors on optimal fibre and tendon slack length (hip flexor tightness).
#pragma once

#include <vector>

#include "model.h"
#include "scenario.h"

namespace corestride {

struct MuscleCondition {
    std::vector<double> strength;        // factor on fmax, 1 = healthy
    std::vector<double> max_activation;  // 1 = healthy
    std::vector<double> length_scale;    // factor on lopt and lts, 1 = healthy
};

// Shortening of the hip flexors' optimal fibre and tendon slack lengths at tightness 1.
constexpr double kTightnessShortening = 0.10;

// Weakness keys multiply: a muscle in glute_med with weakness.glute_med = 0.3 and
// weakness.glute_med_r = 0.2 keeps 0.7 x 0.8 of its force. Throws UserError naming the key
// for an unknown group or muscle.
MuscleCondition muscleCondition(const Model& model, const Scenario& scenario);

// A healthy condition for every muscle.
MuscleCondition healthyCondition(const Model& model);

}  // namespace corestride
