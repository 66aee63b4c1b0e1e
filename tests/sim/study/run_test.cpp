// Runs of the built-in stride (sim/study/run.h): the warm-up before the recorded stride
// (control.warm_up, CmcOptions::warm_up) removes the start-up transient of a run that starts
// from a static optimisation, so that a one-stride run gives the peaks of a settled stride.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "model_parser.h"
#include "paths.h"
#include "run.h"
#include "scenario.h"

#include "motion_files.h"
#include "test_support.h"

using namespace corestride;
using test::metric;

namespace {

ScenarioRun run(const std::map<std::string, std::string>& keys) { return runScenario(Scenario::resolve("", keys).settings()); }

std::string fmt(double v) {
    std::ostringstream o;
    o.precision(12);
    o << v;
    return o.str();
}

struct Peaks {
    double hip_r = 0, l4l5 = 0;   // BW, N: peak right hip contact force, peak L4/L5 force magnitude
};

// Peaks over the samples of [ta, tb].
Peaks peaks(const ScenarioRun& r, double ta, double tb) {
    const RunResult& res = r.result;
    int l4 = -1;
    for (size_t k = 0; k < r.model->lumbarLevels().size(); ++k)
        if (r.model->lumbarLevels()[k].joint == "L4_L5") l4 = static_cast<int>(k);
    REQUIRE(l4 >= 0);
    Peaks p;
    for (size_t i = 0; i < res.time.size(); ++i) {
        if (res.time[i] < ta - 1e-9 || res.time[i] > tb + 1e-9) continue;
        const Table& h = res.hip_force;
        const Table& f = res.lumbar_force[l4];
        p.hip_r = std::max(p.hip_r, std::hypot(h.at(i, 0), h.at(i, 1), h.at(i, 2)) / r.reference->bodyWeight());
        p.l4l5 = std::max(p.l4l5, std::hypot(f.at(i, 0), f.at(i, 1), f.at(i, 2)));
    }
    return p;
}

// The default scenario over two strides, run once for every test here (Catch2 re-enters a
// test case for each of its sections).
const ScenarioRun& twoStrides() {
    static const ScenarioRun r = run({{"running.strides", "2"}});
    return r;
}

}  // namespace

TEST_CASE("warm-up: a one-stride run gives the peaks of a settled stride", "[run]") {
    // The settled stride: the second of a two-stride run.
    const ScenarioRun& two = twoStrides();
    REQUIRE(two.result.status.ok());
    REQUIRE(two.result.strides.size() == 2);
    const auto [s1a, s1b] = two.result.strides[1];
    const Peaks settled = peaks(two, s1a, s1b);

    SECTION("with the default warm-up the first stride is within 3 % of the second") {
        const ScenarioRun one = run({});
        REQUIRE(one.result.status.ok());
        CHECK(metric(one.result, "warm_up_s") == Approx(0.1));
        CHECK(one.result.time.front() == Approx(one.reference->startTime()));   // the warm-up is not recorded
        const Peaks first = peaks(one, one.result.time.front(), one.result.time.back());
        CHECK(first.hip_r == Approx(settled.hip_r).epsilon(0.03));
        CHECK(first.l4l5 == Approx(settled.l4l5).epsilon(0.03));
        // The first stride of the two-stride run is that one-stride run.
        const Peaks two_first = peaks(two, two.result.strides[0].first, two.result.strides[0].second);
        CHECK(two_first.hip_r == Approx(first.hip_r).epsilon(0.01));
    }
    SECTION("a cold start overshoots at the first stance (what the warm-up is for)") {
        const ScenarioRun cold = run({{"running.strides", "2"}, {"control.warm_up", "0"}});
        REQUIRE(cold.result.status.ok());
        CHECK(metric(cold.result, "warm_up_s") == 0.0);
        const Peaks first = peaks(cold, cold.result.strides[0].first, cold.result.strides[0].second);
        const Peaks second = peaks(cold, cold.result.strides[1].first, cold.result.strides[1].second);
        CHECK(first.hip_r > 1.05 * second.hip_r);   // measured: 11.07 vs 9.98 BW (December 2026)
        CHECK(second.hip_r == Approx(settled.hip_r).epsilon(0.03));
    }
}

TEST_CASE("warm-up: a motion without a period starts at its window", "[run]") {
    const ScenarioRun standing = run({{"motion.source", "standing"}, {"motion.t_end", "0.2"}});
    REQUIRE(standing.result.status.ok());
    CHECK(metric(standing.result, "warm_up_s") == 0.0);
    CHECK(standing.result.time.front() == Approx(standing.reference->startTime()));
}

TEST_CASE("warm-up: a negative warm-up is refused with the key and the value", "[run]") {
    CHECK_THROWS_WITH(Scenario::resolve("", {{"control.warm_up", "-0.1"}}),
                      Catch::Matchers::Contains("control.warm_up") && Catch::Matchers::Contains("-0.1"));
}

TEST_CASE("warm-up: a user file's run warms up on the files' data before its window", "[run]") {
    // Files written from the built-in stride's two-stride run (its model and corrected motion);
    // read back on a model with the same leg lengths, window = the second stride.
    const ScenarioRun& two = twoStrides();
    REQUIRE(two.result.status.ok());
    const double T = two.reference->strideTime();
    const test::Files files = test::writeMotionFiles(*two.model, *two.reference, 2 * T, "warm_up_");
    double thigh = 1, shank = 1;
    strideRunnerLegFactors(readModelFile(defaultModelPath()), thigh, shank);
    const auto fileRun = [&](double t_start, const std::string& warm_up) {
        return run({{"motion.source", "files"}, {"motion.kinematics", files.ik}, {"motion.grf", files.grf},
                    {"motion.t_start", fmt(t_start)}, {"motion.t_end", fmt(2 * T - 0.01)},
                    {"subject.thigh_scale", fmt(thigh)}, {"subject.shank_scale", fmt(shank)},
                    {"control.warm_up", warm_up}});
    };
    const ScenarioRun warm = fileRun(T, "0.1"), cold = fileRun(T, "0"), little = fileRun(0.05, "0.1");
    std::remove(files.ik.c_str());
    std::remove(files.grf.c_str());
    REQUIRE(warm.result.status.ok());
    REQUIRE(cold.result.status.ok());
    REQUIRE(little.result.status.ok());
    // Records start at motion.t_start whatever the warm-up; the warm-up is what the files hold.
    CHECK(warm.result.time.front() == Approx(T));
    CHECK(cold.result.time.front() == Approx(T));
    CHECK(little.result.time.front() == Approx(0.05));
    CHECK(metric(warm.result, "warm_up_s") == Approx(0.1));
    CHECK(metric(cold.result, "warm_up_s") == 0.0);
    CHECK(metric(little.result, "warm_up_s") == Approx(0.05));   // only 0.05 s of data before the window
    // First stance of the window (right foot strike at T): warmed up, the settled built-in
    // stride's peak; cold, the start-up overshoot.
    const Peaks b = peaks(two, T, 1.5 * T), w = peaks(warm, T, 1.5 * T), c = peaks(cold, T, 1.5 * T);
    INFO("right hip, first stance: built-in " << b.hip_r << " BW, file warmed up " << w.hip_r << ", cold " << c.hip_r);
    CHECK(w.hip_r == Approx(b.hip_r).epsilon(0.05));
    CHECK(c.hip_r > 1.05 * w.hip_r);
}
