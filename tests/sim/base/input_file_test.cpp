// Input files are read only when they are regular files of bounded size: a FIFO must not
// block, a device must not be read until memory runs out, a directory is named as one.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "input_file.h"
#include "model_parser.h"
#include "scenario.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

fs::path tempDir() {
    const auto dir = fs::temp_directory_path() / ("corestride_input_file_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("input files: regular files are read whole, anything else is refused by name", "[input_file]") {
    const fs::path dir = tempDir();
    const std::string file = (dir / "a.cfg").string();
    std::ofstream(file) << "[run]\nname = x\n";
    CHECK(readInputFile(file, "scenario file") == "[run]\nname = x\n");

    CHECK_THROWS_WITH(readInputFile((dir / "missing.cfg").string(), "scenario file"),
                      Contains("missing.cfg") && Contains("cannot open scenario file"));
    CHECK_THROWS_WITH(readInputFile(dir.string(), "scenario file"), Contains("is a directory, not a scenario file"));
    CHECK_THROWS_WITH(readInputFile("/dev/zero", "scenario file"), Contains("/dev/zero") && Contains("not a regular file"));
    CHECK_THROWS_WITH(readInputFile(file, "scenario file", 4), Contains("more than the 4"));
    CHECK_THROWS_AS(readInputFile("", "model file"), UserError);

    // A FIFO with no writer: opening it would block forever; it is refused at once.
    const std::string fifo = (dir / "model.fifo").string();
    ::unlink(fifo.c_str());
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(readModelFile(fifo), Contains("model.fifo") && Contains("not a regular file"));
    // The readers built on it: a directory as a scenario no longer runs the defaults.
    CHECK_THROWS_WITH(Scenario::resolve(dir.string(), {}), Contains("is a directory"));
    ::unlink(fifo.c_str());
}
