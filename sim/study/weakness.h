// From a scenario's weakness and tightness keys to per-muscle run parameters
// (docs/weakness.md): strength factors on fmax, maximal activations (neural inhibition) and
// factors on the tendon slack length (hip flexor tightness).
#pragma once

#include <vector>

#include "model.h"
#include "settings.h"

namespace corestride {

struct MuscleCondition {
    std::vector<double> strength;        // factor on fmax, 1 = healthy
    std::vector<double> max_activation;  // 1 = healthy
    std::vector<double> length_scale;    // factor on the tendon slack length, 1 = healthy
};

// Shortening of the hip flexors' musculotendon rest length at tightness 1, as a fraction of
// the optimal fibre length (taken off the tendon slack length): the fibres sit 10% of lopt
// longer at every posture, so passive force rises earlier in hip extension.
constexpr double kTightnessShortening = 0.10;

// Weakness keys multiply: a muscle in glute_med with weakness.glute_med = 0.3 and
// weakness.glute_med_r = 0.2 keeps 0.7 x 0.8 of its force. Throws UserError naming the key
// for an unknown group or muscle.
MuscleCondition muscleCondition(const Model& model, const Settings& settings);

// A healthy condition for every muscle.
MuscleCondition healthyCondition(const Model& model);

}  // namespace corestride
