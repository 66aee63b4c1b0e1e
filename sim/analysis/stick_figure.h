// Private to analysis/: no other folder includes it (tests/layering_test.py checks).
// The model as a stick figure: joint centres in ground over a recorded motion, and the L5/S1
// load as a vector in ground, for drawings (docs/analysis.md, `stick/`).
#pragma once

#include <string>
#include <vector>

#include "model.h"

namespace corestride {

struct StickFigure {
    std::vector<std::string> landmarks;          // K names
    std::vector<std::pair<int, int>> segments;   // landmark index pairs joined by lines
    std::vector<double> points;                  // frames x 3K, p_G of each landmark, m
    std::vector<double> l5s1_force;              // frames x 3, N, in ground
};

// Landmarks: `head` (a point 0.40 m above T12/L1 in the torso frame, times the model's length
// scale; drawn for orientation only), the lumbar joint centres T12_L1 ... L5_S1, `pelvis`
// (the pelvis frame origin), and per side hip, knee and ankle centres and `toe` (0.19 m ahead
// of the foot frame origin along its x axis, scaled; approximate).
//
// `q` holds the rows of coordinate values (rad or m) whose columns are named by
// `coordinate_names` (every model coordinate must be there; extra columns are an error).
// `force_D` holds the L5/S1 load rows (compression, ap_shear, lateral_shear; N) as the results
// file stores them; the returned vector is the force the upper body exerts on the sacrum,
// R_GD (ap_shear, -compression, lateral_shear). Throws UserError when names do not match.
StickFigure computeStickFigure(const Model& model, const std::vector<std::string>& coordinate_names,
                               const std::vector<double>& q, const std::vector<double>& force_D, std::size_t frames);

}  // namespace corestride
