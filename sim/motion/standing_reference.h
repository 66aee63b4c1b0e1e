// Quiet standing as a reference motion: every coordinate at its default (the model's upright
// anatomical pose), at rest, each foot carrying half the body weight straight up at a centre
// of pressure under the whole-body mass centre (fore-aft) and under the foot (sideways). It is
// statically consistent with the model by construction, so its residuals are zero up to
// round-off. Used by the validation against intradiscal pressure in relaxed standing
// (docs/validation.md).
#pragma once

#include <memory>

#include "reference_motion.h"

namespace corestride {

// duration in s (> 0).
std::unique_ptr<ReferenceMotion> makeStandingReference(const Model& model, double duration);

}  // namespace corestride
