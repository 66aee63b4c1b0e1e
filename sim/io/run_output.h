// Writing runs to HDF5 (docs/hdf5_schema.md, format_version 1): root attributes, then one
// group /runs/<name>/ per run with its resolved scenario, status, time series and summary.
#pragma once

#include <string>

#include "h5_file.h"
#include "run.h"

namespace corestride {

constexpr int kFormatVersion = 1;

// Root attributes: format = "corestride", format_version, software_version.
void writeFileHeader(H5Writer& out);

// /runs/<name>/ for one finished (or failed) run.
void writeRun(H5Writer& out, const std::string& name, const Scenario& scenario, const ScenarioRun& run);

}  // namespace corestride
