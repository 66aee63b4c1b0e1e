// The `corestride` program: a thin layer that parses the command line and calls the library
// (app/cli.cpp holds the command table).
#include "cli.h"

int main(int argc, char** argv) { return corestride::programMain(argc, argv); }
