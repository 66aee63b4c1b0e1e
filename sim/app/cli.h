// Command-line front end. Parses arguments with Boost.Program_options and calls the library;
// the library itself never prints. Returns the process exit code; throws UserError for bad
// input (the caller prints it and exits with kExitUserError).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace corestride {

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace corestride
