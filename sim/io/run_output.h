// Writing results files (docs/hdf5_schema.md; paths, units and format version from
// results_schema.h): root attributes, one group /runs/<name>/ per run with its resolved scenario,
// status, time series and summary, and the table of `corestride exercises`.
#pragma once

#include <string>
#include <vector>

#include "h5_file.h"
#include "run.h"

namespace corestride {

// Root attributes: format = "corestride", format_version, software_version.
void writeFileHeader(H5Writer& out);

// /runs/<name>/ for one finished (or failed) run.
void writeRun(H5Writer& out, const std::string& name, const Scenario& scenario, const ScenarioRun& run);

// /exercises: the exercise study's table, one row per run (in display order) and one column
// per `columns` entry (names end in their unit), with the training dose as attributes.
struct ExercisesTable {
    std::vector<std::string> columns;
    std::vector<std::string> runs, titles, strengthened;   // one per row
    std::vector<double> values;                            // rows x columns, row-major
    double training_weeks = 0, sessions_per_week = 0;
};
void writeExercisesTable(H5Writer& out, const ExercisesTable& table);

}  // namespace corestride
