// `corestride analyze`: the analysis of a results file written as its own HDF5 file
// (format "corestride-analysis", docs/analysis.md): gait-cycle curves of every run,
// differences from the reference run, and for sweeps the sensitivities.
#pragma once

#include <ostream>
#include <string>

#include "results_file.h"

namespace corestride {

constexpr int kAnalysisFormatVersion = 1;
constexpr int kCyclePoints = 101;

// Writes the analysis of `file` to `out_path` atomically (refused if it exists, unless
// `overwrite`). Things that cannot be computed for one run (no complete stride, a model file
// that no longer exists for the stick figure) are left out of that run and reported on `warn`.
void writeAnalysisFile(const ResultsFile& file, const std::string& out_path, bool overwrite, std::ostream& warn);

// Column indices of /summary in a sweep file: the parameters lie between `point` and `ok`,
// the metrics after `wall_time_s`.
struct SweepColumns {
    std::vector<std::string> names;
    std::size_t first_parameter = 1, end_parameter = 1, ok = 0, first_metric = 0;
};
SweepColumns sweepColumns(const ResultsFile& file);

// Bins of the first-order sensitivity estimate for `points` finished points: sqrt(points),
// between 2 and 30 (used where a parameter's values do not repeat, e.g. a Latin hypercube).
std::size_t sensitivityBins(std::size_t points);

}  // namespace corestride
