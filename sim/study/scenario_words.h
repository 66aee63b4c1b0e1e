// A scenario in plain words for readers who do not know the keys (the report, `summary`).
#pragma once

#include <string>
#include <vector>

#include "scenario.h"

namespace corestride {

// One sentence per setting: first the runner and the motion, then every weakness, tightness,
// training and control setting that differs from its default, in table order. Keys without a
// dedicated wording are given as "key = value unit (help text)".
std::vector<std::string> describeScenario(const Scenario& scenario);

// A muscle group's name in plain words: "glute_med" -> "gluteus medius".
std::string plainGroupName(const std::string& group);

// A group on one side in plain words: "glute_med_r" -> "right gluteus medius"; a name
// without a side suffix as plainGroupName.
std::string plainCapacityName(const std::string& group_side);

}  // namespace corestride
