#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <set>

#include "error.h"
#include "sweep_spec.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

// The error message of parsing `text`, or "" if it parses.
std::string specError(const std::string& text) {
    try {
        parseSweepSpec(text, "spec.cfg");
    } catch (const UserError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("sweep spec: a grid is the product of the parameters, the last varying fastest", "[sweep]") {
    const SweepSpec s = parseSweepSpec(
        "[sweep]\ndesign = grid\n[parameters]\nweakness.glute_med_r = 0 .. 0.6, 4\nweakness.deep_core = 0, 0.5\n", "g.cfg");
    REQUIRE(s.parameters.size() == 2);
    CHECK(s.parameters[0].values == std::vector<std::string>{"0", "0.2", "0.4", "0.6"});
    CHECK(countSweepPoints(s) == 8);
    const auto points = calcSweepPoints(s);
    REQUIRE(points.size() == 8);
    CHECK(points[0].values == std::vector<std::pair<std::string, std::string>>{{"weakness.glute_med_r", "0"}, {"weakness.deep_core", "0"}});
    CHECK(points[1].values[1].second == "0.5");
    CHECK(points[2].values[0].second == "0.2");
    CHECK(points[7].index == 7);
    CHECK(points[7].values[0].second == "0.6");   // the upper end is exact
}

TEST_CASE("sweep spec: list points in file order", "[sweep]") {
    const SweepSpec s = parseSweepSpec(
        "[sweep]\ndesign = list\n[points]\ncolumns = running.speed, weakness.deep_core\npoint = 3.2, 0.1\npoint = 3.8, 0\n", "l.cfg");
    const auto points = calcSweepPoints(s);
    REQUIRE(points.size() == 2);
    CHECK(points[0].values[0] == std::make_pair(std::string("running.speed"), std::string("3.2")));
    CHECK(points[1].values[1].second == "0");
}

TEST_CASE("sweep spec: Latin hypercube is seeded, stratified and within range", "[sweep]") {
    const std::string text =
        "[sweep]\ndesign = lhs\nsamples = 10\nseed = 7\n[parameters]\nrunning.speed = 3.0 .. 4.0\nweakness.glute_med = 0 .. 0.5\n"
        "running.strides = 1 .. 3\n";
    const auto a = calcSweepPoints(parseSweepSpec(text, "a.cfg"));
    const auto b = calcSweepPoints(parseSweepSpec(text, "b.cfg"));
    REQUIRE(a.size() == 10);
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].values == b[i].values);   // same seed, same points
    std::set<int> strata;
    for (const auto& p : a) {
        const double v = std::strtod(p.values[0].second.c_str(), nullptr);
        CHECK(v >= 3.0);
        CHECK(v <= 4.0);
        strata.insert(static_cast<int>(std::floor((v - 3.0) * 10)));
        const double n = std::strtod(p.values[2].second.c_str(), nullptr);
        CHECK(n == std::round(n));   // integer key
    }
    CHECK(strata.size() == 10);      // one sample per stratum
    std::string other = text;
    other.replace(other.find("seed = 7"), 8, "seed = 8");
    CHECK(calcSweepPoints(parseSweepSpec(other, "c.cfg"))[0].values != a[0].values);
}

TEST_CASE("sweep spec: exact decimal text", "[sweep]") {
    for (double v : {0.1, 1.0 / 3, 3.5, 1e-300, 0.0, -2.25}) CHECK(std::strtod(formatExact(v).c_str(), nullptr) == v);
    CHECK(formatExact(0.1) == "0.1");
    CHECK(hashText("a") != hashText("b"));
    CHECK(hashText("a").size() == 16);
}

TEST_CASE("sweep spec: bad input names the line and the key", "[sweep]") {
    const std::string head = "[sweep]\ndesign = grid\n[parameters]\n";
    CHECK_THAT(specError(head + "weakness.glute_mid = 0 .. 1, 3\n"), Contains("spec.cfg:4") && Contains("weakness.glute_mid") && Contains("unknown"));
    CHECK_THAT(specError(head + "running.speed = 3.5 .. 3.5, 3\n"), Contains("spec.cfg:4") && Contains("running.speed") && Contains("empty range"));
    CHECK_THAT(specError(head + "running.speed = 3.9 .. 3.1, 3\n"), Contains("spec.cfg:4") && Contains("reversed range"));
    CHECK_THAT(specError(head + "running.speed = 3.1, fast\n"), Contains("spec.cfg:4") && Contains("'fast' is not a number"));
    CHECK_THAT(specError(head + "running.speed = 2 .. 3.5, 3\n"), Contains("spec.cfg:4") && Contains("out of range"));
    CHECK_THAT(specError(head + "running.speed =\n"), Contains("spec.cfg:4") && Contains("empty value"));
    CHECK_THAT(specError(head + "control.mode = strict\n"), Contains("control.mode") && Contains("not a numeric key"));
    CHECK_THAT(specError(head + "running.speed = 3.1 .. 3.9\n"), Contains("needs a count"));
    CHECK_THAT(specError(head + "running.speed = 3.1\nrunning.speed = 3.2\n"), Contains("spec.cfg:5") && Contains("given twice"));
    CHECK_THAT(specError("[sweep]\ndesign = cube\n"), Contains("spec.cfg:2") && Contains("design"));
    CHECK_THAT(specError("[sweep]\nbase = /nonexistent/base.cfg\n[parameters]\nrunning.speed = 3.1\n"), Contains("/nonexistent/base.cfg"));
    CHECK_THAT(specError("[sweep]\ndesign = list\n[points]\ncolumns = running.speed\npoint = 3.1, 0.2\n"),
               Contains("spec.cfg:5") && Contains("2 values for 1 columns"));
    CHECK_THAT(specError("[sweep]\ndesign = lhs\n[parameters]\nrunning.speed = 3.1 .. 3.9\n"), Contains("samples"));
    CHECK_THAT(specError("[sweep]\n[parameters]\n"), Contains("no parameters"));
    CHECK(specError(head + "running.speed = 3.1 .. 3.9, 3\n").empty());
}
