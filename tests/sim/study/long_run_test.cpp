// The long run (study/long_run.h, docs/long_run.md): a healthy runner lasts 30 minutes and holds
// its form better than a weak one; one epoch's first stride is today's single stride; stronger
// muscles fatigue less; the programme leaves the weak runner more capacity late in the run; the
// keys' errors; the same answer whatever the thread count.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

#include "error.h"
#include "h5_file.h"
#include "run.h"
#include "scenario.h"
#include "sweep.h"
#include "test_support.h"

using namespace corestride;
using Catch::Matchers::Contains;
using test::metric;

namespace {

ScenarioRun run(const std::map<std::string, std::string>& keys) { return runScenario(Scenario::resolve("", keys).settings()); }

// The demo's runners over 30 minutes in compensate mode, default epochs; computed once.
const ScenarioRun& healthy30() {
    static const ScenarioRun r = run({{"control.mode", "compensate"}, {"run.duration_min", "30"}});
    return r;
}
const std::map<std::string, std::string> kWeak = {{"control.mode", "compensate"}, {"run.duration_min", "30"},
                                                  {"weakness.glute_med", "0.4"},     {"weakness.deep_core", "0.4"}};
const ScenarioRun& weak30() {
    static const ScenarioRun r = run(kWeak);
    return r;
}

// Largest change, first stride to last, of the clinical form measures (deg).
double formDrift(const LongRunResult& lr) {
    REQUIRE(lr.form.rows() >= 2);
    double d = 0;
    for (int c = 0; c < lr.form.cols; ++c) {
        const std::string& n = lr.form_names[c];
        if (n.find("trunk_lean") == std::string::npos && n.find("pelvic_drop") == std::string::npos &&
            n.find("hip_adduction") == std::string::npos && n.find("trunk_flexion") == std::string::npos &&
            n.find("pelvic_tilt") == std::string::npos)
            continue;
        d = std::max(d, std::abs(lr.form.at(lr.form.rows() - 1, c) - lr.form.at(0, c)));
    }
    return d;
}

double groupEnd(const LongRunResult& lr, const std::string& group) {
    for (size_t g = 0; g < lr.group_names.size(); ++g)
        if (lr.group_names[g] == group) return lr.capacity_end[g];
    FAIL("no group " << group);
    return 0;
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

}  // namespace

// One case with sections: the 30-minute runs are computed once per process and shared (each
// takes about 40 s), as Catch2 runs every section in the same process.
TEST_CASE("long run: 30 minutes, healthy, weak and after the programme", "[long_run][slow]") {
    SECTION("a healthy runner runs 30 minutes without any group running out") {
        const LongRunResult& lr = healthy30().result.long_run;
        REQUIRE(lr.active);
        CHECK(lr.completed);
        CHECK(lr.status == "completed 30 min");
        REQUIRE(lr.epoch_time.size() == 7);   // 6 epochs: a stride at the start of each and at the end
        CHECK(lr.epoch_time.back() == Approx(1800));
        for (size_t g = 0; g < lr.group_names.size(); ++g) {
            INFO(lr.group_names[g]);
            CHECK(std::isnan(lr.run_out_time[g]));
            CHECK(lr.capacity_end[g] <= 1.0);
            CHECK(lr.capacity_end[g] > 0.5);
        }
        // Running costs capacity (a group used less in a later epoch may recover some: no
        // monotonicity is asked of every group).
        CHECK(groupEnd(lr, "glute_med_r") < 0.99);
        CHECK(groupEnd(lr, "glute_med_l") < 0.99);
        CHECK(metric(healthy30().result, "long_run_groups_out") == 0);
    }
    SECTION("the weak runner's form changes more over 30 minutes than the healthy runner's") {
        const LongRunResult& h = healthy30().result.long_run;
        const LongRunResult& w = weak30().result.long_run;
        REQUIRE(w.completed);
        INFO("form drift healthy " << formDrift(h) << " deg, weak " << formDrift(w) << " deg");
        CHECK(formDrift(h) < formDrift(w));
        // The weak groups end the run with less capacity than the healthy runner's same groups.
        for (const char* g : {"glute_med_r", "glute_med_l", "deep_core_r", "deep_core_l"}) {
            INFO(g);
            CHECK(groupEnd(w, g) < groupEnd(h, g));
        }
    }
    SECTION("after the programme the weak runner has more capacity late in the run") {
        std::map<std::string, std::string> k = kWeak;
        k["training.apply"] = "yes";
        k["training.weeks"] = "6";
        k["training.sessions_per_week"] = "2.5";
        const ScenarioRun trained = run(k);
        const LongRunResult& t = trained.result.long_run;
        const LongRunResult& w = weak30().result.long_run;
        REQUIRE(t.completed);
        for (const char* g : {"glute_med_r", "glute_med_l", "deep_core_r", "deep_core_l"}) {
            INFO(g);
            CHECK(groupEnd(t, g) > groupEnd(w, g));
        }
    }
}

TEST_CASE("long run: with one epoch the first stride is the single compensated stride, bitwise", "[long_run][slow]") {
    const ScenarioRun single = run({{"control.mode", "compensate"}, {"weakness.glute_med", "0.4"}});
    const ScenarioRun one = run({{"control.mode", "compensate"}, {"weakness.glute_med", "0.4"}, {"run.duration_min", "10"},
                                 {"run.epochs", "1"}});
    const RunResult& a = single.result;
    const RunResult& b = one.result;
    REQUIRE(b.long_run.active);
    REQUIRE(b.long_run.epoch_time.size() == 2);   // minute 0 and minute 10
    CHECK(a.status.text() == b.status.text());
    CHECK(sameBits(a.time, b.time));
    CHECK(sameBits(a.q.data, b.q.data));
    CHECK(sameBits(a.q_ref.data, b.q_ref.data));
    CHECK(sameBits(a.activation.data, b.activation.data));
    CHECK(sameBits(a.muscle_force.data, b.muscle_force.data));
    REQUIRE(a.lumbar_force.size() == b.lumbar_force.size());
    for (size_t l = 0; l < a.lumbar_force.size(); ++l) CHECK(sameBits(a.lumbar_force[l].data, b.lumbar_force[l].data));
    CHECK(sameBits(a.compensation.coefficients.data, b.compensation.coefficients.data));
    // The long run appends its metrics after the single stride's, which are unchanged.
    REQUIRE(b.metrics.size() > a.metrics.size());
    for (size_t i = 0; i < a.metrics.size(); ++i) {
        CHECK(a.metrics[i].first == b.metrics[i].first);
        if (a.metrics[i].first == "compensation_time_s") continue;   // wall time
        INFO(a.metrics[i].first);
        CHECK(std::memcmp(&a.metrics[i].second, &b.metrics[i].second, sizeof(double)) == 0);
    }
    // The epoch's first row is the fresh runner: full capacity.
    for (int g = 0; g < b.long_run.capacity.cols; ++g) CHECK(b.long_run.capacity.at(0, g) == 1.0);
}

TEST_CASE("long run: stronger muscles fatigue less for the same running", "[long_run]") {
    // Strict mode (the stride is the measured one for everybody): only the strength differs.
    double previous = 2;
    for (const char* weakness : {"0", "0.25", "0.5"}) {
        const ScenarioRun r = run({{"run.duration_min", "20"}, {"run.epochs", "1"}, {"weakness.glute_med", weakness}});
        REQUIRE(r.result.long_run.active);
        const double cap = 0.5 * (groupEnd(r.result.long_run, "glute_med_r") + groupEnd(r.result.long_run, "glute_med_l"));
        INFO("gluteus medius " << weakness << " weaker: capacity left " << cap);
        CHECK(cap < previous);
        previous = cap;
    }
}

TEST_CASE("long run: bad keys exit 2 naming the key", "[long_run]") {
    CHECK_THROWS_WITH(Scenario::resolve("", {{"run.duration_min", "-5"}}), Contains("run.duration_min") && Contains("-5"));
    CHECK_THROWS_WITH(Scenario::resolve("", {{"run.epochs", "0"}}), Contains("run.epochs") && Contains("0"));
    CHECK_THROWS_WITH(Scenario::resolve("", {{"run.epochs", "2.5"}}), Contains("run.epochs") && Contains("2.5"));
    CHECK_THROWS_WITH(Scenario::resolve("", {{"fatigue.rest_recovery", "maybe"}}),
                      Contains("fatigue.rest_recovery") && Contains("maybe"));
    CHECK_THROWS_AS(Scenario::resolve("", {{"run.duration_min", "-5"}}), UserError);
}

TEST_CASE("long run: a sweep over minutes gives bitwise identical results with 1 and 2 threads", "[long_run][sweep]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("corestride_long_run_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "base.cfg") << "[run]\nepochs = 2\n";
    const std::string text =
        "[sweep]\nbase = base.cfg\ndesign = list\n[points]\ncolumns = run.duration_min, weakness.glute_med\n"
        "point = 5, 0\npoint = 10, 0.3\npoint = 10, 0\n";
    const std::string spec_path = (dir / "spec.cfg").string();
    std::ofstream(spec_path) << text;
    const SweepSpec spec = parseSweepSpec(text, spec_path);
    SweepOptions a;
    a.output = (dir / "a.h5").string();
    a.jobs = 2;
    SweepOptions b = a;
    b.output = (dir / "b.h5").string();
    b.jobs = 1;
    REQUIRE(runSweep(spec, a).complete);
    REQUIRE(runSweep(spec, b).complete);
    H5Reader fa(a.output), fb(b.output);
    const auto cols = fa.readStringListAttribute("/summary", "columns");
    CHECK(cols == fb.readStringListAttribute("/summary", "columns"));
    CHECK(std::find(cols.begin(), cols.end(), "late_L5_S1_peak_compression_N") != cols.end());
    CHECK(std::find(cols.begin(), cols.end(), "capacity_end_glute_med_r_pct") != cols.end());
    const H5Matrix ma = fa.readMatrix("/summary"), mb = fb.readMatrix("/summary");
    REQUIRE(ma.rows == 3);
    const int wall = static_cast<int>(std::find(cols.begin(), cols.end(), "wall_time_s") - cols.begin());
    for (size_t r = 0; r < ma.rows; ++r)
        for (size_t c = 0; c < ma.cols; ++c)
            if (static_cast<int>(c) != wall) {
                const double x = ma.data[r * ma.cols + c], y = mb.data[r * mb.cols + c];
                CHECK((std::memcmp(&x, &y, sizeof x) == 0 || (std::isnan(x) && std::isnan(y))));
            }
    fs::remove_all(dir);
}
