// The `corestride` program: a thin layer that parses the command line and calls the library.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "error.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return corestride::runCli(args, std::cout, std::cerr);
    } catch (const corestride::UserError& e) {
        std::cerr << "corestride: error: " << e.what() << "\n";
        return corestride::kExitUserError;
    } catch (const std::exception& e) {
        std::cerr << "corestride: internal error: " << e.what() << "\n";
        return 1;
    }
}
