// Opening a results file for analysis: the format check every reader command makes first,
// what the file holds, and the names, titles and plain-language descriptions of its runs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "h5_file.h"

namespace corestride {

enum class ResultsContent { Runs, Exercises, Sweep };
const char* contentName(ResultsContent content);   // "runs", "exercises", "sweep"

struct ResultsFile {
    H5Reader reader;
    ResultsContent content = ResultsContent::Runs;
    // Runs with time series, in display order: /exercises/runs for `corestride exercises`,
    // otherwise by name.
    std::vector<std::string> runs;
    // `healthy` if the file has it, else the first run; empty without runs.
    std::string reference_run;
};

// Opens `path` and checks it: root attribute `format` = "corestride" and `format_version` =
// schema::kFormatVersion. Throws UserError naming the file and the offending value otherwise (also for
// a file that is not HDF5 or is missing).
ResultsFile openResults(const std::string& path);

// "/runs/<name>"
std::string runGroup(const std::string& name);

// Reads of results-file datasets with their shape checked, so that a damaged or foreign file
// gives a UserError naming the file, the dataset and the expected and actual shape instead of
// wrong numbers. `rows` or `cols` 0 accepts any; a `columns` attribute, if the dataset has one,
// must name exactly its columns.
H5Matrix readTable(const H5Reader& r, const std::string& path, std::size_t rows, std::size_t cols);
std::vector<double> readValues(const H5Reader& r, const std::string& path, std::size_t size);
std::vector<std::string> readNames(const H5Reader& r, const std::string& path, std::size_t size);
// /runs/<run>/time: at least two samples, strictly increasing.
std::vector<double> readRunTime(const H5Reader& r, const std::string& run);
// A run that failed before its first samples (its status says why, its time series are
// empty): readers report its status instead of reading series it does not have.
bool runFailedWithoutSamples(const H5Reader& r, const std::string& run);
// /runs/<run>/strides as (start, end) pairs.
std::vector<std::pair<double, double>> readRunStrides(const H5Reader& r, const std::string& run);

// Display title: the exercise title for `corestride exercises` files, "point N: key = value,
// ..." for the runs of a sweep saved with time series, else the run name.
std::string runTitle(const ResultsFile& file, const std::string& run);

// The run's scenario in plain words (describeScenario), with what the exercises study changed:
// the healthy reference has no weakness, and every after_<exercise> run adds its training.
std::vector<std::string> runDescription(const ResultsFile& file, const std::string& run);

}  // namespace corestride
