// `corestride summary`: the key numbers of every run or sweep in a results file, as a table
// or JSON (docs/analysis.md).
#include "cli_common.h"
#include "results_summary.h"

namespace corestride {

namespace {
const char* kSummaryUsage = "usage: corestride summary RESULTS.h5 [--json]\n";
}  // namespace

int summaryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    const ReaderArgs a = parseReaderArgs(args, kSummaryUsage, ReaderOptions{}, out);
    if (a.help) return 0;
    const FileSummary s = summariseResults(openResults(a.input));
    if (a.json) printSummaryJson(s, out);
    else printSummaryTable(s, out);
    return 0;
}

}  // namespace corestride
