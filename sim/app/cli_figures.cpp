// `corestride plot` and `corestride report`: figures and the report page, drawn by
// analysis/plot.py and analysis/report.py under Debian's Python (python3-matplotlib,
// python3-h5py); the numbers they show are computed here (analysis/, docs/analysis.md).
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis_file.h"
#include "cli_common.h"
#include "error.h"
#include "output_dir.h"
#include "paths.h"
#include "results_summary.h"
#include "suggest.h"

namespace corestride {

namespace {

std::string pythonInterpreter() {
    if (const char* env = std::getenv("CORESTRIDE_PYTHON")) return env;
    return "/usr/bin/python3";
}

// Runs argv[0] with arguments, inheriting stdout and stderr; returns its exit status
// (128 + signal if it was killed, 127 if it could not be started).
int runProcess(const std::vector<std::string>& argv) {
    std::cout.flush();
    std::cerr.flush();
    std::vector<char*> cargs;
    for (const auto& a : argv) cargs.push_back(const_cast<char*>(a.c_str()));
    cargs.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw UserError("cannot start " + argv[0]);
    if (pid == 0) {
        ::execvp(cargs[0], cargs.data());   // searches PATH when CORESTRIDE_PYTHON has no slash
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("waitpid failed for " + argv[0]);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void checkPython() {
    const std::string py = pythonInterpreter();
    if (runProcess({py, "-c", "import matplotlib, h5py, numpy"}) != 0)
        throw UserError("figures need " + py + " with matplotlib, h5py and numpy (Debian: apt-get install "
                        "python3-matplotlib python3-h5py; scripts/setup installs them; CORESTRIDE_PYTHON picks "
                        "another interpreter)");
}

void runScript(const std::string& script, std::vector<std::string> args) {
    const std::string path = analysisDir() + "/" + script;
    args.insert(args.begin(), {pythonInterpreter(), path});
    const int rc = runProcess(args);
    if (rc == 2) throw UserError(script + " rejected its input (message above)");
    // Anything else is the script's or its environment's failure (a full disk, a broken
    // matplotlib): say which, with its own message above, and leave no output.
    if (rc != 0)
        throw UserError(script + " failed with exit status " + std::to_string(rc) +
                        " (its message is above; a full disk or a broken Python installation are the usual causes); "
                        "nothing was written");
}

// --metric must name a metric of the sweep; a wrong one gets the closest names, the L5/S1 ones
// first (the metrics the figures are about).
void checkMetric(const ResultsFile& results, const ReaderArgs& a) {
    if (results.content != ResultsContent::Sweep)
        throw UserError("option '--metric': applies to sweep results; " + a.input + " is not a sweep");
    std::vector<std::string> names;
    for (const auto& m : analyseSweep(results).metrics) names.push_back(m.name);
    if (std::find(names.begin(), names.end(), a.metric) != names.end()) return;
    std::stable_partition(names.begin(), names.end(), [](const std::string& n) { return n.rfind("L5_S1_", 0) == 0; });
    std::string hint = didYouMean(a.metric, names);
    if (hint.empty()) {
        hint = " (e.g.";
        for (std::size_t i = 0; i < names.size() && i < 3; ++i) hint += (i ? ", " : " ") + names[i];
        hint += ")";
    }
    throw UserError("option '--metric': '" + a.metric + "' is not a metric of " + a.input + hint +
                    "; corestride summary " + a.input + " --json lists them all");
}

// Analysis and figures of `results` into `dir` (which exists): dir/analysis.h5 and dir/<figures>.
void makeFigures(const ResultsFile& results, const ReaderArgs& a, const std::string& analysis,
                 const std::string& figures, std::ostream& err) {
    if (!a.metric.empty()) checkMetric(results, a);
    checkPython();
    writeAnalysisFile(results, analysis, false, err);
    std::vector<std::string> args{"--results", a.input, "--analysis", analysis, "-o", figures};
    if (!a.metric.empty()) args.insert(args.end(), {"--metric", a.metric});
    if (!a.run.empty()) {
        if (std::find(results.runs.begin(), results.runs.end(), a.run) == results.runs.end())
            throw UserError("option '--run': '" + a.run + "' is not a run of " + a.input);
        args.insert(args.end(), {"--run", a.run});
    }
    runScript("plot.py", args);
}

const char* kPlotUsage = "usage: corestride plot RESULTS.h5 -o DIR [--overwrite] [--metric NAME] [--run NAME]\n";
const char* kReportUsage = "usage: corestride report RESULTS.h5 -o DIR [--overwrite] [--metric NAME] [--run NAME]\n";

}  // namespace

int plotCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ReaderArgs a = parseReaderArgs(args, kPlotUsage, ReaderOptions{true, true, false}, out);
    if (a.help) return 0;
    const ResultsFile results = openResults(a.input);
    OutputDir dir(a.output, a.overwrite, {a.input});
    const std::string analysis = dir.path() + "/analysis.h5";
    makeFigures(results, a, analysis, dir.path(), err);
    dir.commit();
    out << "figures in " << dir.finalPath() << "/ (analysis.h5 holds the numbers they show)\n";
    return 0;
}

int reportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ReaderArgs a = parseReaderArgs(args, kReportUsage, ReaderOptions{true, true, false}, out);
    if (a.help) return 0;
    const ResultsFile results = openResults(a.input);
    const FileSummary summary = summariseResults(results);
    OutputDir dir(a.output, a.overwrite, {a.input});
    const std::string json = dir.path() + "/summary.json", figures = dir.path() + "/figures";
    {
        std::ofstream js(json);
        printSummaryJson(summary, js);
        js.close();
        if (!js) throw UserError(json + ": cannot write");
    }
    if (::mkdir(figures.c_str(), 0777) != 0) throw UserError(figures + ": cannot create directory");
    makeFigures(results, a, dir.path() + "/analysis.h5", figures, err);
    runScript("report.py", {"--summary", json, "--analysis", dir.path() + "/analysis.h5", "--figures", figures, "-o",
                            dir.path() + "/index.html"});
    dir.commit();
    out << "report: " << std::filesystem::absolute(dir.finalPath() + "/index.html").string() << "\n";
    return 0;
}

}  // namespace corestride
