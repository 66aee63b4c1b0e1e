// `corestride analyze`: the analysis of a results file written as its own HDF5 file
// (format "corestride-analysis", docs/analysis.md): gait-cycle curves of every run,
// differences from the reference run, and for sweeps the sensitivities.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "analysis.h"
#include "results_file.h"

namespace corestride {

constexpr int kCyclePoints = 101;

// Writes the analysis of `file` to `out_path` atomically (refused if it exists, unless
// `overwrite`). Things that cannot be computed for one run (no complete stride, a model file
// that no longer exists for the stick figure) are left out of that run and reported on `warn`.
void writeAnalysisFile(const ResultsFile& file, const std::string& out_path, bool overwrite, std::ostream& warn);

// A sweep's /summary analysed once, for `analyze` and `summary` alike: parameter ranges over
// all points, and per metric its range over the finished points with the standardised
// regression coefficients and first-order indices (docs/analysis.md, Methods).
struct SweepMetricAnalysis {
    std::string name;
    double min = 0, max = 0, mean = 0;   // over finished points where the metric is finite
    Src src;                             // one coefficient per parameter, and R^2
    std::vector<double> first_order;     // one index per parameter
    std::vector<double> per_point;       // the metric at every point (NaN where the point failed)
};
struct SweepAnalysis {
    std::vector<std::string> parameters;                      // in spec order
    std::vector<std::pair<double, double>> parameter_ranges;  // min, max over all points
    std::size_t points = 0, points_ok = 0;
    std::vector<std::vector<double>> point_values;            // per point, one value per parameter
    std::vector<bool> point_ok;                               // per point: the run finished
    std::vector<SweepMetricAnalysis> metrics;                 // in /summary order
};
SweepAnalysis analyseSweep(const ResultsFile& file);

// The methods with their citations, as the analysis file and the summary JSON state them.
extern const char* const kSrcMethod;
extern const char* const kFirstOrderMethod;

}  // namespace corestride
