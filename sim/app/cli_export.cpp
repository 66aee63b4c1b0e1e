// `corestride export`: OpenSim .mot/.sto files of every run (or one) of a results file.
#include <algorithm>

#include "cli_common.h"
#include "error.h"
#include "opensim_export.h"
#include "output_dir.h"
#include "results_schema.h"

namespace corestride {

namespace {
const char* kExportUsage = "usage: corestride export RESULTS.h5 -o DIR [--overwrite] [--run NAME]\n";
}  // namespace

int exportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ReaderArgs a = parseReaderArgs(args, kExportUsage, ReaderOptions{true, false, true}, out);
    if (a.help) return 0;
    const ResultsFile results = openResults(a.input);
    if (results.runs.empty()) throw UserError(a.input + ": no run with time series to export (sweeps: --save=timeseries)");
    std::vector<std::string> runs = results.runs;
    if (!a.run.empty()) {
        if (std::find(runs.begin(), runs.end(), a.run) == runs.end())
            throw UserError("option '--run': '" + a.run + "' is not a run of " + a.input);
        runs = {a.run};
    }
    // A run that failed before its first samples has nothing to export: say so and go on.
    std::vector<std::string> exported;
    for (const auto& run : runs) {
        if (runFailedWithoutSamples(results.reader, run))
            err << "export: run '" << run << "' failed before its first sample ("
                << results.reader.readStringAttribute(runGroup(run), schema::attr::kStatus) << "); skipped\n";
        else
            exported.push_back(run);
    }
    if (exported.empty()) throw UserError(a.input + ": no run with samples to export (every run failed before its first sample)");
    OutputDir dir(a.output, a.overwrite, {a.input});
    std::size_t files = 0;
    for (const auto& run : exported) files += exportRunToOpenSim(results, run, dir.path()).size();
    dir.commit();
    out << "wrote " << files << " OpenSim files for " << exported.size() << " run" << (exported.size() == 1 ? "" : "s")
        << " to " << dir.finalPath() << "/\n";
    return 0;
}

}  // namespace corestride
