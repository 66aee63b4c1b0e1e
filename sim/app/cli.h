// Command-line front end (app/): parses arguments with Boost.Program_options and calls the library;
// the library itself never prints. Returns the process exit code; throws UserError for bad
// input (the caller prints it and exits with kExitUserError).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace corestride {

using CommandFn = int (*)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// What a variant of the program does differently: corestride-mpi runs `sweep` under MPI.
struct CliVariant {
    CommandFn sweep = nullptr;   // null: the threaded sweep
};

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           const CliVariant& variant = {});

// The whole program: runs the command line, prints a UserError as "corestride: error: ..." (exit
// 2) and anything else as an internal error (exit 1), with unprintable bytes escaped.
int programMain(int argc, char** argv, const CliVariant& variant = {});

}  // namespace corestride
