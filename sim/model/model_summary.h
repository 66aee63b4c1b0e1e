// Human-readable summary of a model (`corestride model info`).
#pragma once

#include <ostream>

#include "model.h"

namespace corestride {

void printModelSummary(const Model& model, std::ostream& out);

}  // namespace corestride
