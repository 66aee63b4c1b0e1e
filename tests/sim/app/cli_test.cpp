#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "test_models.h"

using namespace corestride;
using Catch::Matchers::Contains;

TEST_CASE("model check accepts a valid file and rejects a broken one with file and line", "[cli]") {
    const auto dir = std::filesystem::temp_directory_path() / ("corestride_cli_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string good = (dir / "cli_test_good.model").string(), bad = (dir / "cli_test_bad.model").string();
    std::ofstream(good) << test::tinyModelText();
    std::string text = test::tinyModelText();
    text.replace(text.find("body femur mass=3"), 17, "body femur mass=-3");
    std::ofstream(bad) << text;
    std::ostringstream out, err;
    CHECK(runCli({"model", "check", good}, out, err) == 0);
    CHECK_THAT(out.str(), Contains("ok"));
    CHECK_THROWS_WITH(runCli({"model", "check", bad}, out, err),
                      Contains("cli_test_bad.model:") && Contains("field 'mass'") && Contains("-3"));
    CHECK_THROWS_AS(runCli({"model", "frobnicate"}, out, err), UserError);
    CHECK_THROWS_WITH(runCli({"model", "info", "--mass", "abc"}, out, err), Contains("mass"));
    // The same range as the scenario key subject.mass.
    CHECK_THROWS_WITH(runCli({"model", "info", "--mass", "300"}, out, err), Contains("[30, 200] kg"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("cli: a key given twice on the command line is refused, as in a scenario file", "[cli]") {
    std::ostringstream out, err;
    CHECK_THROWS_WITH(runCli({"run", "--running.speed=3.2", "--running.speed=3.9", "-o", "/tmp/never.h5"}, out, err),
                      Contains("running.speed") && Contains("given twice"));
}

TEST_CASE("cli: run prints the lumbar loads per level and a plain pass or fail of its checks", "[cli]") {
    const std::string out_file = "/tmp/corestride_cli_loads_" + std::to_string(::getpid()) + ".h5";
    std::ostringstream out, err;
    REQUIRE(runCli({"run", "-o", out_file, "--quiet"}, out, err) == 0);
    const std::string text = out.str();
    CHECK_THAT(text, Contains("checks: PASS"));
    CHECK_THAT(text, !Contains("activation plan"));   // only with control.plan = run
    CHECK_THAT(text, Contains("compression") && Contains("anterior shear"));
    // One row per level: compression N, BW, anterior shear N, BW; BW = N / body weight. The
    // peak anterior shear of a level that is sheared backward all stride long is negative
    // (L2/L3 of the built-in stride: about -1 N).
    for (const char* level : {"L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2"}) {
        std::smatch m;
        const std::regex row(std::string(level) + " +([0-9]+) +([0-9]+\\.[0-9]{2}) +(-?[0-9]+) +(-?[0-9]+\\.[0-9]{2})\n");
        REQUIRE(std::regex_search(text, m, row));
        const double bw = 75 * 9.80665;   // the default subject.mass
        CHECK(std::stod(m[2]) == Approx(std::stod(m[1]) / bw).margin(0.006));
        CHECK(std::stod(m[4]) == Approx(std::stod(m[3]) / bw).margin(0.006));
    }
    std::remove(out_file.c_str());
}

TEST_CASE("cli: a planned run prints its plan, and control.plan takes none or run only", "[cli][plan]") {
    const std::string out_file = "/tmp/corestride_cli_plan_" + std::to_string(::getpid()) + ".h5";
    std::ostringstream out, err;
    REQUIRE(runCli({"run", "-o", out_file, "--quiet", "--control.plan=run"}, out, err) == 0);
    const std::string text = out.str();
    std::smatch m;
    const std::regex line("activation plan \\(control.plan\\): converged after ([0-9]+) iterations in [0-9.]+ s; "
                          "whole-run cost ([0-9.]+) with each interval alone, ([0-9.]+) planned \\(activations' part "
                          "[0-9.]+ -> [0-9.]+\\); the first pass strays up to [0-9.]+ from the plan's activation bounds\n");
    REQUIRE(std::regex_search(text, m, line));
    CHECK(std::stoi(m[1]) > 0);
    CHECK(std::stod(m[3]) < std::stod(m[2]));   // at 3.5 m/s with the warm-up (cmc_test: the same)
    CHECK_THAT(text, Contains("checks: PASS"));
    std::remove(out_file.c_str());
    CHECK_THROWS_WITH(runCli({"run", "-o", out_file, "--control.plan=maybe"}, out, err),
                      Contains("control.plan") && Contains("maybe") && Contains("none, run"));
}

// A UserError is exit code 2 (main.cpp; the exit codes are tested with the program itself).
TEST_CASE("cli: bad long-run keys are user errors naming the key and value, and write nothing", "[cli][long_run]") {
    const std::string out = std::filesystem::temp_directory_path() / ("corestride_cli_long_" + std::to_string(::getpid()) + ".h5");
    for (const auto& [arg, key, value] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"--run.duration_min=-5", "run.duration_min", "-5"},
             {"--run.epochs=0", "run.epochs", "0"},
             {"--fatigue.rest_recovery=sometimes", "fatigue.rest_recovery", "sometimes"}}) {
        for (const char* command : {"run", "exercises"}) {
            std::ostringstream o, err;
            INFO(command << " " << arg);
            CHECK_THROWS_AS(runCli({command, arg, "-o", out}, o, err), UserError);
            CHECK_THROWS_WITH(runCli({command, arg, "-o", out}, o, err), Contains(key) && Contains(value));
            CHECK_FALSE(std::filesystem::exists(out));
        }
    }
}

TEST_CASE("cli: a run that failed before its first sample is summarised by its status and export skips it", "[cli]") {
    // A compensation allowed one iteration fails before the tracking starts: the file holds the
    // run with its status and no samples. Readers report the status instead of calling the
    // file damaged.
    const std::string dir = "/tmp/corestride_cli_failed_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string h5 = dir + "/failed.h5";
    std::ostringstream o, e;
    REQUIRE(runCli({"run", "--control.mode=compensate", "--compensation.max_iterations=1", "-o", h5, "--quiet"}, o, e) == 3);
    CHECK_THAT(o.str(), Contains("compensation failed"));
    std::ostringstream so, se;
    REQUIRE(runCli({"summary", h5}, so, se) == 0);
    CHECK_THAT(so.str(), Contains("compensation failed: iteration limit"));
    std::ostringstream jo, je;
    REQUIRE(runCli({"summary", h5, "--json"}, jo, je) == 0);
    CHECK_THAT(jo.str(), Contains("\"status\": \"compensation failed: iteration limit\""));
    std::ostringstream xo, xe;
    CHECK_THROWS_WITH(runCli({"export", h5, "-o", dir + "/export"}, xo, xe), Contains("no run with samples to export"));
    CHECK_THAT(xe.str(), Contains("run 'baseline' failed before its first sample"));
    CHECK(!std::filesystem::exists(dir + "/export"));
    std::ostringstream ao, ae;
    CHECK(runCli({"analyze", h5, "-o", dir + "/analysis.h5"}, ao, ae) == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("cli: a muscle whose passive force passes its fmax is named, with the value the run recorded", "[cli]") {
    // Tight hip flexors at 4.0 m/s: the rigid-tendon rectus femoris is stretched past its
    // passive curve's range in swing (docs/weakness.md); a healthy run at 3.0 m/s is not.
    const std::string h5 = "/tmp/corestride_cli_passive_" + std::to_string(::getpid()) + ".h5";
    std::ostringstream o, e;
    REQUIRE(runCli({"run", "--running.speed=4.0", "--tightness.hip_flexors=1", "-o", h5, "--quiet"}, o, e) == 0);
    CHECK_THAT(o.str(), Contains("NOTE: passive fibre force above the muscle's maximal isometric force: recfem_r"));
    std::ostringstream jo, je;
    REQUIRE(runCli({"summary", h5, "--json"}, jo, je) == 0);
    std::ostringstream ho, he;
    REQUIRE(runCli({"run", "--running.speed=3.0", "-o", h5, "--quiet", "--overwrite"}, ho, he) == 0);
    CHECK_THAT(ho.str(), !Contains("NOTE: passive fibre force"));
    std::remove(h5.c_str());
}
