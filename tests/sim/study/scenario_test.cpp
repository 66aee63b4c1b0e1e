#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "error.h"
#include "scenario.h"
#include "settings.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {
std::string writeTemp(const std::string& text) {
    const std::string path = "/tmp/corestride_scenario_test_" + std::to_string(::getpid()) + ".cfg";
    std::ofstream(path) << text;
    return path;
}
}  // namespace

TEST_CASE("scenario defaults, file values and command-line overrides", "[scenario]") {
    const Scenario d = Scenario::resolve("", {});
    CHECK(d.number("running.speed") == 3.5);
    CHECK(d.text("control.mode") == "strict");
    CHECK(d.origin("running.speed") == "default");
    const std::string f = writeTemp("# comment\n[running]\nspeed = 3.2   # m/s\n[control]\nmode = compensate\n");
    const Scenario s = Scenario::resolve(f, {{"running.speed", "3.9"}});
    CHECK(s.number("running.speed") == 3.9);                 // the command line wins
    CHECK(s.origin("running.speed") == "command line");
    CHECK(s.text("control.mode") == "compensate");
    CHECK_THAT(s.origin("control.mode"), Contains(":5"));    // file and line
    // The resolved text lists every key and reads back to the same scenario.
    const std::string ini = s.toIni();
    for (const KeySpec& k : scenarioKeys()) CHECK_THAT(ini, Contains(k.name.substr(k.name.find('.') + 1) + " = "));
    const Scenario again = Scenario::resolve(writeTemp(ini), {});
    for (const KeySpec& k : scenarioKeys()) CHECK(again.text(k.name) == s.text(k.name));
    std::remove(f.c_str());
}

TEST_CASE("scenario: the per-coordinate reserve family is written with its key and reads back", "[scenario]") {
    const Scenario s = Scenario::resolve("", {{"control.reserve_optimal.lumbar_rotation", "10"}});
    const std::string ini = s.toIni();
    CHECK_THAT(ini, Contains("reserve_optimal.lumbar_rotation = 10"));
    const Scenario again = Scenario::resolve(writeTemp(ini), {});
    CHECK(again.number("control.reserve_optimal.lumbar_rotation") == 10);
    CHECK(again.settings().control.reserve_optimal_coordinate_Nm == s.settings().control.reserve_optimal_coordinate_Nm);
    // Its range is the plain key's.
    CHECK_THROWS_WITH(Scenario::resolve("", {{"control.reserve_optimal.lumbar_rotation", "0"}}),
                      Contains("control.reserve_optimal.lumbar_rotation") && Contains("out of range"));
}

TEST_CASE("scenario errors name the file and line or the key, and the value", "[scenario]") {
    auto error = [](const std::string& text, std::map<std::string, std::string> o = {}) {
        try {
            Scenario::resolve(text.empty() ? "" : writeTemp(text), o);
        } catch (const UserError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(error("[running]\nsped = 3\n"), Contains(":2:") && Contains("unknown key 'running.sped'"));
    CHECK_THAT(error("[running]\nspeed = fast\n"), Contains(":2:") && Contains("'running.speed'") && Contains("'fast' is not a number"));
    CHECK_THAT(error("[running]\nspeed = 5\n"), Contains("out of range [3, 4] m/s"));
    CHECK_THAT(error("[running]\nspeed = 3\nspeed = 3.1\n"), Contains(":3:") && Contains("given twice"));
    CHECK_THAT(error("[running\n"), Contains(":1:") && Contains("malformed section"));
    CHECK_THAT(error("[control]\nmode = loose\n"), Contains("'loose' is not one of: strict, compensate"));
    // The retired mode says what replaces it.
    CHECK_THAT(error("[control]\nmode = adaptive\n"), Contains(":2:") && Contains("retired") && Contains("'compensate'"));
    CHECK_THAT(error("", {{"running.strides", "1.5"}}), Contains("command line") && Contains("not an integer"));
    CHECK_THAT(error("", {{"nosuch.key", "1"}}), Contains("unknown key 'nosuch.key'"));
    CHECK_THROWS_WITH(Scenario::resolve("/nonexistent/x.cfg", {}), Contains("/nonexistent/x.cfg"));
}

TEST_CASE("scenario: numbers are plain decimals, run names plain words, motion files only with motion.source = files",
          "[scenario]") {
    CHECK_THROWS_WITH(Scenario::resolve("", {{"running.speed", "0x1p1"}}), Contains("running.speed") && Contains("is not a number"));
    CHECK_THROWS_WITH(Scenario::resolve("", {{"subject.mass", "1e-320"}}), Contains("subject.mass") && Contains("out of range"));
    CHECK_THROWS_WITH(Scenario::resolve("", {{"subject.mass", " 70"}}), Contains("is not a number"));
    CHECK(Scenario::resolve("", {{"subject.mass", "7.0e1"}}).number("subject.mass") == 70.0);
    for (const char* bad : {"a/b", "..", ".hidden", "two words", ""}) {
        INFO(bad);
        CHECK_THROWS_WITH(Scenario::resolve("", {{"run.name", bad}}), Contains("is not a run name"));
    }
    CHECK(Scenario::resolve("", {{"run.name", "weak_glute-2.5"}}).text("run.name") == "weak_glute-2.5");
    const std::string file = writeTemp("[motion]\nkinematics = trial.mot\n");
    CHECK_THROWS_WITH(Scenario::resolve(file, {}),
                      Contains(file + ":2") && Contains("motion.kinematics") && Contains("motion.source = builtin"));
    std::remove(file.c_str());
}
