// Command-line front end. Parses arguments with Boost.Program_options and calls the library;
// the library itself never prints. Returns the process exit code; throws UserError for bad
// input (the caller prints it and exits with kExitUserError).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace corestride {

// Version of the software, written into outputs and printed by --version.
extern const char* const kSoftwareVersion;

// The default model file (models/trunk_hip.model of the source tree, or $CORESTRIDE_MODEL).
std::string defaultModelPath();

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace corestride
