// Private to app/: no other folder includes it (tests/layering_test.py checks).
// Pieces shared by the CLI commands; cli.cpp holds the table that lists and dispatches them.
#pragma once

#include <chrono>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "run.h"
#include "sweep.h"

namespace corestride {

// Exit code of `run` when the simulation itself failed (the file records the status).
constexpr int kExitSimulationFailed = 3;
// Exit code of `validate` when some case lies outside its published band.
constexpr int kExitValidationOutside = 4;

struct ParsedRunArgs {
    bool help = false, overwrite = false, quiet = false;
    std::string scenario_file, output;
    std::map<std::string, std::string> overrides;   // "section.key" -> value
};

// Parses [SCENARIO] [--section.key=value ...] -o OUT [--overwrite] [--quiet] [--help].
ParsedRunArgs parseRunArgs(const std::vector<std::string>& args, const std::string& usage, std::ostream& out);

// Every scenario key with unit, default and range.
void printScenarioKeys(std::ostream& out);

// Progress on stderr every 10% once a run has taken more than a second; silent with quiet.
class ProgressPrinter {
public:
    ProgressPrinter(std::ostream& err, bool quiet, std::string label);
    void operator()(double fraction);

private:
    std::ostream& err_;
    bool quiet_;
    std::string label_;
    std::chrono::steady_clock::time_point start_;
    int last_tenth_ = 0;
};

// Arguments of the commands that read a results file: FILE [-o OUT] [--overwrite] [--json]
// [--metric NAME] [--run NAME].
struct ReaderArgs {
    bool help = false, overwrite = false, json = false;
    std::string input, output, metric, run;
};

// Which options a reading command takes besides FILE.
struct ReaderOptions {
    bool output = false;      // -o OUT [--overwrite]; without it, --json
    bool figures = false;     // --metric NAME --run NAME (plot, report)
    bool run = false;         // --run NAME alone (export)
};

// Parses a reading command's arguments; with --help prints usage and options and returns
// help = true. Throws UserError with the usage for anything else that is wrong.
ReaderArgs parseReaderArgs(const std::vector<std::string>& args, const std::string& usage, const ReaderOptions& which,
                           std::ostream& out);

void printRunSummary(std::ostream& out, const std::string& name, const ScenarioRun& run);
// The long run's per-epoch tables (nothing unless run.duration_min > 0), cli_long_run.cpp.
void printLongRun(std::ostream& out, const ScenarioRun& run);

// The commands (cli.cpp lists them with their usage).
int modelInfoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int modelCheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int exercisesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int benchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int sweepCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// `sweep` of corestride-mpi (cli_sweep_mpi.cpp, compiled into that program only).
int mpiSweepCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Computes a sweep's points instead of the worker threads (runSweepMpi); null: the threads.
using SweepDriver = SweepReport (*)(const std::string& spec_file, const SweepOptions& options);
// `sweep` with its points computed by `driver`.
int sweepMain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, SweepDriver driver);
int summaryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int analyzeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int plotCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int reportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int exportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int validateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int serveCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace corestride
