// Export of runs to OpenSim's text formats (Storage version 1: a name line, version=1,
// nRows, nColumns, inDegrees, endheader, tab-separated labels starting with `time`, then one
// row per sample), so that results open in OpenSim's plotter and scripts.
#pragma once

#include <string>
#include <vector>

#include "results_file.h"

namespace corestride {

// Writes into directory `dir`, for run `run` of `file`:
//   <run>_coordinates.mot   every coordinate; rotations in degrees (inDegrees=yes), translations in m
//   <run>_activations.sto   muscle activations (columns: muscle names), 1
//   <run>_forces.sto        muscle forces (muscle names), N
//   <run>_lumbar_loads.sto  per level <level>_compression, _ap_shear, _lateral_shear (N, disc
//                           frame) and <level>_moment_x/_y/_z (N m), inDegrees=no
//   <run>_grf.mot           ground reactions as OpenSim GRF columns (R_ground_force_vx ...,
//                           _force_px ..., _torque_x ...; N, m, N m), readable by motion.grf
// Returns the paths written.
std::vector<std::string> exportRunToOpenSim(const ResultsFile& file, const std::string& run, const std::string& dir);

}  // namespace corestride
