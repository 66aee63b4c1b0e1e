// One finished run as the what-if explorer shows it (`corestride serve`, docs/explorer.md), in
// JSON: the L5/S1 and every other lumbar level's compression and shear over the gait cycle,
// the key numbers in N and BW with the validation suite's in vivo bands, the capacity use of
// the groups shown, the running form and its change, the stick figure over the stride and,
// for a long run, the loads, form and capacity per epoch.
#pragma once

#include <string>

#include "run.h"

namespace corestride {

// Serialized JSON (layout: docs/explorer.md). `frames`: stick-figure frames over the run.
std::string runViewJson(const ScenarioRun& run, int frames = 60);

}  // namespace corestride
