// `corestride analyze`: gait-cycle curves (mean, SD), differences between runs and sweep
// sensitivities into an analysis file (docs/analysis.md).
#include <filesystem>

#include "analysis_file.h"
#include "cli_common.h"
#include "error.h"

namespace corestride {

namespace {
const char* kAnalyzeUsage = "usage: corestride analyze RESULTS.h5 -o ANALYSIS.h5 [--overwrite]\n";
}  // namespace

int analyzeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ReaderArgs a = parseReaderArgs(args, kAnalyzeUsage, ReaderOptions{true, false, false}, out);
    if (a.help) return 0;
    const ResultsFile results = openResults(a.input);
    std::error_code ec;
    if (std::filesystem::weakly_canonical(a.output, ec) == std::filesystem::weakly_canonical(a.input, ec))
        throw UserError("option '-o': " + a.output + " is the input results file; pick another output");
    writeAnalysisFile(results, a.output, a.overwrite, err);
    out << "wrote " << a.output << "\n";
    return 0;
}

}  // namespace corestride
