// Pieces shared by the CLI commands (cli.cpp dispatches to them).
#pragma once

#include <chrono>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "run.h"

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

void printRunSummary(std::ostream& out, const std::string& name, const ScenarioRun& run);

int runCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int exercisesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int benchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int sweepCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int summaryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int analyzeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int plotCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int reportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int exportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int validateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace corestride
