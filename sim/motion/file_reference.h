// A reference motion from the user's OpenSim files: coordinates from a .mot/.sto kinematics
// file (columns matched by coordinate name; degrees or radians as the header says) smoothed
// by generalized cross-validation quintic splines (Woltring 1986, as in Simbody's
// SplineFitter) for their derivatives, and per-foot ground reactions from a GRF .mot
// (OpenSim external-loads column names with a configurable prefix).
#pragma once

#include <memory>
#include <string>

#include "reference_motion.h"

namespace corestride {

struct FileMotionOptions {
    std::string kinematics, grf;       // file paths
    double t_start = 0, t_end = 0;     // s; t_end = 0: end of the kinematics
    // Data before t_start kept for a run's warm-up (ReferenceMotion::leadIn), up to this much:
    // less when the files start later. The window [t_start, t_end] is what a run records.
    double lead_in = 0;                // s
    double belt_speed = 0;             // m/s; > 0 converts treadmill data to overground
    std::string right_prefix = "R_ground_", left_prefix = "L_ground_";
    double contact_threshold = 20;     // N of vertical force
    // Zero-lag low-pass cut-off of kinematics and ground reactions, Hz; 0: no filter, GCV
    // smoothing splines of the kinematics (Woltring 1986) and raw ground reactions.
    double lowpass_hz = 0;
};

// Throws UserError naming the file (and line or column) for unreadable files, missing model
// coordinates or GRF columns, and a time window outside either file's data.
std::unique_ptr<ReferenceMotion> makeFileReference(const Model& model, const FileMotionOptions& options);

}  // namespace corestride
