// Commands that read results files: summary, analyze, plot, report, export (docs/analysis.md).
// The figures and the report page are drawn by analysis/plot.py and analysis/report.py under
// Debian's Python (python3-matplotlib, python3-h5py); the numbers they show are computed here.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis_file.h"
#include "cli_common.h"
#include "error.h"
#include "opensim_export.h"
#include "output_dir.h"
#include "results_summary.h"
#include "paths.h"

namespace po = boost::program_options;

namespace corestride {

namespace {

struct ReaderArgs {
    bool help = false, overwrite = false, json = false;
    std::string input, output, metric, run;
};

// Parses FILE [-o OUT] [--overwrite] plus the command's own switches.
ReaderArgs parseReaderArgs(const std::vector<std::string>& args, const std::string& usage, bool needs_output,
                           bool plot_options, std::ostream& out, bool run_option = false) {
    po::options_description opts("options");
    opts.add_options()("help,h", "show this help")("input", po::value<std::string>(), "results file");
    if (needs_output)
        opts.add_options()("output,o", po::value<std::string>(), "output")("overwrite", "replace an existing output");
    else
        opts.add_options()("json", "JSON instead of a table");
    if (plot_options)
        opts.add_options()("metric", po::value<std::string>(), "sweep metric of the heat map (default L5_S1_peak_compression_N)")(
            "run", po::value<std::string>(), "run of the muscle-group and stick figures (default: weakened, else the first)");
    else if (run_option)
        opts.add_options()("run", po::value<std::string>(), "export only this run (default: every run)");
    po::positional_options_description pos;
    pos.add("input", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UserError(std::string(e.what()) + "\n" + usage);
    }
    ReaderArgs a;
    a.help = vm.count("help") > 0;
    if (a.help) { out << usage << opts; return a; }
    if (!vm.count("input")) throw UserError("missing RESULTS.h5\n" + usage);
    a.input = vm["input"].as<std::string>();
    if (needs_output) {
        if (!vm.count("output")) throw UserError("missing -o OUTPUT\n" + usage);
        a.output = vm["output"].as<std::string>();
        a.overwrite = vm.count("overwrite") > 0;
    } else {
        a.json = vm.count("json") > 0;
    }
    if (vm.count("metric")) a.metric = vm["metric"].as<std::string>();
    if (vm.count("run")) a.run = vm["run"].as<std::string>();
    return a;
}

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

// Analysis and figures of `results` into `dir` (which exists): dir/analysis.h5 and dir/<figures>.
void makeFigures(const ResultsFile& results, const ReaderArgs& a, const std::string& analysis,
                 const std::string& figures, std::ostream& err) {
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

const char* kSummaryUsage = "usage: corestride summary RESULTS.h5 [--json]\n";
const char* kAnalyzeUsage = "usage: corestride analyze RESULTS.h5 -o ANALYSIS.h5 [--overwrite]\n";
const char* kPlotUsage = "usage: corestride plot RESULTS.h5 -o DIR [--overwrite] [--metric NAME] [--run NAME]\n";
const char* kReportUsage = "usage: corestride report RESULTS.h5 -o DIR [--overwrite] [--metric NAME] [--run NAME]\n";
const char* kExportUsage = "usage: corestride export RESULTS.h5 -o DIR [--overwrite] [--run NAME]\n";

}  // namespace

int summaryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    const ReaderArgs a = parseReaderArgs(args, kSummaryUsage, false, false, out);
    if (a.help) return 0;
    const FileSummary s = summariseResults(openResults(a.input));
    if (a.json) printSummaryJson(s, out);
    else printSummaryTable(s, out);
    return 0;
}

int analyzeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ReaderArgs a = parseReaderArgs(args, kAnalyzeUsage, true, false, out);
    if (a.help) return 0;
    const ResultsFile results = openResults(a.input);
    std::error_code ec;
    if (std::filesystem::weakly_canonical(a.output, ec) == std::filesystem::weakly_canonical(a.input, ec))
        throw UserError("option '-o': " + a.output + " is the input results file; pick another output");
    writeAnalysisFile(results, a.output, a.overwrite, err);
    out << "wrote " << a.output << "\n";
    return 0;
}

int plotCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ReaderArgs a = parseReaderArgs(args, kPlotUsage, true, true, out);
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
    const ReaderArgs a = parseReaderArgs(args, kReportUsage, true, true, out);
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

int exportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    const ReaderArgs a = parseReaderArgs(args, kExportUsage, true, false, out, true);
    if (a.help) return 0;
    const ResultsFile results = openResults(a.input);
    if (results.runs.empty()) throw UserError(a.input + ": no run with time series to export (sweeps: --save=timeseries)");
    std::vector<std::string> runs = results.runs;
    if (!a.run.empty()) {
        if (std::find(runs.begin(), runs.end(), a.run) == runs.end())
            throw UserError("option '--run': '" + a.run + "' is not a run of " + a.input);
        runs = {a.run};
    }
    OutputDir dir(a.output, a.overwrite, {a.input});
    std::size_t files = 0;
    for (const auto& run : runs) files += exportRunToOpenSim(results, run, dir.path()).size();
    dir.commit();
    out << "wrote " << files << " OpenSim files for " << runs.size() << " run" << (runs.size() == 1 ? "" : "s")
        << " to " << dir.finalPath() << "/\n";
    return 0;
}

}  // namespace corestride
