// The validation suite (`corestride validate`): CoreStride's loads, muscle timing, residuals
// and training response against published measurements. Each row is one comparison: the
// value CoreStride computes, the published band it must lie in, the citation, and whether
// it does. docs/validation.md is generated from it.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace corestride {

struct ValidationRow {
    std::string id;          // stable key, e.g. "running_3.5_l4l5_compression"
    std::string group;       // section of the table
    std::string what;        // what the value is
    double value = 0;        // CoreStride's value, in unit
    std::string unit;
    double lo = 0, hi = 0;   // the published band, in unit
    std::string published;   // the published value as reported, and how it became the band
    std::string citation;
    std::string skipped;     // why the case did not run (empty: it ran)
    bool within() const { return skipped.empty() && value >= lo && value <= hi; }
};

struct ValidationOptions {
    std::string shared_dir;  // ../shared of the repository; its running trials are optional
    std::function<void(const std::string&)> progress;   // one line per case started
};

struct ValidationReport {
    std::vector<ValidationRow> rows;
    double wall_time = 0;    // s
};

ValidationReport runValidation(const ValidationOptions& options);

// The table as Markdown (docs/validation.md) and as a self-contained HTML page.
void writeValidationMarkdown(const ValidationReport& report, std::ostream& out);
void writeValidationHtml(const ValidationReport& report, std::ostream& out);

}  // namespace corestride
