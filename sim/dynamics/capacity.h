// Capacity use: how close each muscle and each muscle group works to its limit over a run
// (RunResult::capacity; docs/analysis.md). This is where strengthening shows when the loads
// barely move: a stronger muscle produces the same force at a lower fraction of what it can
// give.
#pragma once

#include <string>
#include <vector>

#include "model.h"
#include "run_result.h"

namespace corestride {

// The groups of capacity use, split by side, in the model's group order (right, left, then
// midline for each group): "<group>_r", "<group>_l" or "<group>", with their muscles.
struct CapacityGroup {
    std::string name;
    Side side = Side::Mid;
    std::vector<int> muscles;   // indices into Model::muscles()
};
std::vector<CapacityGroup> capacityGroups(const Model& model);

// From the run's activations and its muscle condition: `strength` (factor on fmax) and
// `ceiling` (activation ceiling), one per muscle, or empty for all 1. Groups are split by
// side. Also appends per group and side the metrics capacity_peak_<group>_<side>_pct and
// capacity_stance_mean_<group>_<side>_pct to r.metrics. Throws std::invalid_argument when
// a vector's size does not match the model.
void calcCapacityUse(const Model& model, const std::vector<double>& strength, const std::vector<double>& ceiling,
                     RunResult& r);

// The groups that tables show when a run weakened none: the runners' article's hip and core.
extern const std::vector<std::string> kDefaultCapacityGroups;   // "glute_med", "deep_core"

// Indices into c.group_names of the groups to show: those the scenario weakened, else every
// side of kDefaultCapacityGroups; in the model's group order.
std::vector<size_t> capacityGroupsToShow(const CapacityUse& c);

}  // namespace corestride
