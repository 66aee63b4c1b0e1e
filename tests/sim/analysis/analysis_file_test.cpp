#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "analysis_file.h"
#include "opensim_export.h"
#include "results_schema.h"
#include "results_summary.h"
#include "error.h"
#include "synthetic_results.h"
#include "test_support.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& tag)
        : path(std::filesystem::temp_directory_path() / ("corestride_" + tag + "_" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace

TEST_CASE("analysis file: gait-cycle curves, contact and group forces match hand-computed values", "[analysis]") {
    TempDir dir("analysis_file");
    test::writeSyntheticRuns(dir.file("runs.h5"), test::shippedModel());
    const ResultsFile rf = openResults(dir.file("runs.h5"));
    CHECK(rf.content == ResultsContent::Runs);
    CHECK(rf.reference_run == "healthy");
    std::ostringstream warn;
    writeAnalysisFile(rf, dir.file("an.h5"), false, warn);
    CHECK(warn.str().empty());
    const H5Reader a(dir.file("an.h5"));
    CHECK(a.readStringAttribute("/", "format") == "corestride-analysis");
    CHECK(a.readIntAttribute("/", "format_version") == 1);
    CHECK(a.readStringAttribute("/", "reference_run") == "healthy");
    CHECK(a.readIntAttribute("/runs/healthy", "strides_used") == 2);   // the third ends after the data

    const H5Matrix f = a.readMatrix("/runs/weak/lumbar/L5_S1/force_mean");
    const H5Matrix sd = a.readMatrix("/runs/weak/lumbar/L5_S1/force_sd");
    REQUIRE(f.rows == 101);
    for (std::size_t p = 0; p <= 100; p += 25) {
        const double fr = p / 100.0;
        CHECK(f.at(p, 0) == Approx(1150 + 100 * fr));        // (1000 + 200 t + 100), strides at t and t + 0.5
        CHECK(sd.at(p, 0) == Approx(std::sqrt(5000.0)));
        CHECK(f.at(p, 1) == Approx(300));
        CHECK(f.at(p, 2) == Approx(50 * (0.25 + 0.5 * fr)));
    }
    // Contact: right stance where (t mod 0.5) < 0.2, i.e. the first 40 % of the cycle.
    const H5Matrix c = a.readMatrix("/runs/healthy/contact");
    CHECK(c.at(20, 0) == 1.0);
    CHECK(c.at(60, 0) == 0.0);
    CHECK(c.at(60, 1) == 1.0);   // left: [50 %, 90 %)
    CHECK(c.at(20, 1) == 0.0);

    // Group b = m1 + m2 = 10 + 20 t; groups are sorted by name: a, b, c.
    CHECK(a.readStrings("/runs/healthy/groups/names") == std::vector<std::string>{"a", "b", "c"});
    const H5Matrix gm = a.readMatrix("/runs/healthy/groups/force_mean");
    CHECK(gm.at(50, 1) == Approx(10 + 20 * 0.5));
    CHECK(gm.at(50, 0) == Approx(10));

    // Differences from the healthy reference: +100 N compression everywhere; peaks +100 N;
    // group a +10 N (+100 %), b +10 N over a cycle mean of 19.95 N, c unchanged.
    const H5Matrix d = a.readMatrix("/differences/weak/lumbar/L5_S1/force_mean_change");
    CHECK(d.at(0, 0) == Approx(100));
    CHECK(d.at(77, 0) == Approx(100));
    CHECK(d.at(77, 1) == Approx(0).margin(1e-9));
    CHECK(a.readDoubles("/differences/weak/lumbar/L5_S1/peak_change")[0] == Approx(100));
    const auto change = a.readDoubles("/differences/weak/groups/mean_force_change");
    const auto pct = a.readDoubles("/differences/weak/groups/mean_force_change_pct");
    CHECK(change[0] == Approx(10));
    CHECK(pct[0] == Approx(100));
    CHECK(change[1] == Approx(10));
    CHECK(pct[1] == Approx(100 * 10 / 19.95));
    CHECK(change[2] == Approx(0).margin(1e-9));
    CHECK_FALSE(a.exists("/differences/healthy"));
    CHECK_FALSE(a.exists("/sensitivity"));
}

TEST_CASE("analysis file: stick figure at the default pose against the model file", "[analysis]") {
    TempDir dir("analysis_stick");
    const Model& model = test::shippedModel();
    test::writeSyntheticRuns(dir.file("runs.h5"), model);
    std::ostringstream warn;
    writeAnalysisFile(openResults(dir.file("runs.h5")), dir.file("an.h5"), false, warn);
    const H5Reader a(dir.file("an.h5"));
    const auto marks = a.readStrings("/runs/healthy/stick/landmarks");
    const H5Matrix p = a.readMatrix("/runs/healthy/stick/points");
    REQUIRE(p.rows == 51);   // samples of the first stride, [0, 0.5] s
    const auto at = [&](const std::string& name, int axis) {
        const auto it = std::find(marks.begin(), marks.end(), name);
        REQUIRE(it != marks.end());
        return p.at(0, 3 * static_cast<std::size_t>(it - marks.begin()) + static_cast<std::size_t>(axis));
    };
    // q = 0: the pelvis frame is ground, so the right hip centre is the model file's
    // location_in_parent (-0.05628, -0.07849, 0.07726) times the length scale.
    const double s = model.lengthScale();
    CHECK(at("hip_r", 0) == Approx(-0.05628 * s));
    CHECK(at("hip_r", 1) == Approx(-0.07849 * s));
    CHECK(at("hip_r", 2) == Approx(0.07726 * s));
    CHECK(at("L5_S1", 0) == Approx(-0.118 * s));
    CHECK(at("L5_S1", 1) == Approx(0.071 * s));
    CHECK(at("hip_l", 2) == Approx(-0.07726 * s));
    // L5/S1 disc frame at q = 0 is rotated -21 deg about z: compression c (with ap 300 and
    // lateral 50 t) gives the force on the sacrum R_z(-21 deg) (300, -c, 50 t).
    const H5Matrix force = a.readMatrix("/runs/healthy/stick/l5s1_force");
    const double th = -21.0 * M_PI / 180.0, comp = 1000.0, ap = 300.0;
    CHECK(force.at(0, 0) == Approx(std::cos(th) * ap + std::sin(th) * comp));
    CHECK(force.at(0, 1) == Approx(std::sin(th) * ap - std::cos(th) * comp));
    CHECK(force.at(0, 2) == Approx(0).margin(1e-9));
    // A later frame checks the lateral component and its sign: at t = 0.4 s, lateral shear
    // 50 t = 20 N points to the right (+z); the disc frame's z is ground z up to the pose's
    // small rotations (coordinate c is 0.001 (c + 1) t rad; pelvis list 0.8 mrad tips about
    // 1 N of the 1080 N compression into z).
    CHECK(force.at(40, 2) == Approx(20.0).margin(2.0));
    const auto segments = a.readInts("/runs/healthy/stick/segments");
    CHECK(segments.size() % 2 == 0);
    for (auto i : segments) CHECK((i >= 0 && i < static_cast<std::int64_t>(marks.size())));
}

TEST_CASE("analysis file: sweep sensitivities", "[analysis]") {
    TempDir dir("analysis_sweep");
    test::writeSyntheticSweep(dir.file("sweep.h5"));
    const ResultsFile rf = openResults(dir.file("sweep.h5"));
    CHECK(rf.content == ResultsContent::Sweep);
    CHECK(rf.runs.empty());
    std::ostringstream warn;
    writeAnalysisFile(rf, dir.file("an.h5"), false, warn);
    const H5Reader a(dir.file("an.h5"));
    CHECK(a.readStrings("/sensitivity/parameters") == std::vector<std::string>{"p1", "p2"});
    CHECK(a.readStrings("/sensitivity/metrics") == std::vector<std::string>{"lin", "mixed"});
    CHECK(a.readIntAttribute("/sensitivity", "points_used") == 9);   // the failed point is left out
    const H5Matrix src = a.readMatrix("/sensitivity/src");
    CHECK(src.at(0, 0) == Approx(3 / std::sqrt(13.0)));
    CHECK(src.at(0, 1) == Approx(-2 / std::sqrt(13.0)));
    CHECK(src.at(1, 0) == Approx(std::sqrt(0.6)));
    CHECK(a.readDoubles("/sensitivity/r2")[1] == Approx(0.6));
    // First-order indices on the grid: exact conditional means (9/13, 4/13) and (0.6, 0).
    const H5Matrix s1 = a.readMatrix("/sensitivity/first_order");
    CHECK(s1.at(0, 0) == Approx(9.0 / 13.0));
    CHECK(s1.at(0, 1) == Approx(4.0 / 13.0));
    CHECK(s1.at(1, 0) == Approx(0.6));
    CHECK(s1.at(1, 1) == Approx(0.0).margin(1e-12));
    // An existing output is kept unless overwrite is asked for.
    CHECK_THROWS_WITH(writeAnalysisFile(rf, dir.file("an.h5"), false, warn), Contains("exists"));
}

TEST_CASE("results files that are not CoreStride's, or of an unknown version, are refused", "[analysis]") {
    TempDir dir("analysis_format");
    {
        H5Writer w = H5Writer::create(dir.file("other.h5"), false);
        w.setStringAttribute("/", "format", "opensim");
        w.commit();
        H5Writer v = H5Writer::create(dir.file("future.h5"), false);
        v.setStringAttribute("/", "format", "corestride");
        v.setIntAttribute("/", "format_version", schema::kFormatVersion + 1);
        v.commit();
        H5Writer n = H5Writer::create(dir.file("plain.h5"), false);
        n.createGroup("/data");
        n.commit();
    }
    CHECK_THROWS_WITH(openResults(dir.file("other.h5")),
                      Contains("other.h5") && Contains("not a CoreStride results file") && Contains("'opensim'"));
    CHECK_THROWS_WITH(openResults(dir.file("future.h5")),
                      Contains("future.h5") && Contains("format_version " + std::to_string(schema::kFormatVersion + 1)));
    // The previous version (before compensation groups) is still read.
    test::writeSyntheticRuns(dir.file("version1.h5"), test::shippedModel(), 1);
    CHECK(openResults(dir.file("version1.h5")).runs.size() == 2);
    CHECK_THROWS_WITH(openResults(dir.file("plain.h5")), Contains("plain.h5") && Contains("no root attribute 'format'"));
    std::ofstream(dir.file("text.h5")) << "hello\n";
    CHECK_THROWS_AS(openResults(dir.file("text.h5")), UserError);
    CHECK_THROWS_AS(openResults(dir.file("missing.h5")), UserError);
}

TEST_CASE("analysis file: a run that did not finish gets no curves and no differences", "[analysis]") {
    TempDir dir("analysis_failed");
    {
        H5Writer w = H5Writer::create(dir.file("runs.h5"), false);
        writeFileHeader(w);
        test::writeSyntheticRun(w, test::shippedModel(), "healthy", false);
        test::writeSyntheticRun(w, test::shippedModel(), "weak", true);
        w.setStringAttribute("/runs/weak", "status", "static optimisation infeasible at t = 0.44 s");
        w.commit();
    }
    std::ostringstream warn;
    writeAnalysisFile(openResults(dir.file("runs.h5")), dir.file("an.h5"), false, warn);
    CHECK_THAT(warn.str(), Contains("'weak' did not finish") && Contains("infeasible"));
    const H5Reader a(dir.file("an.h5"));
    CHECK(a.readIntAttribute("/runs/weak", "strides_used") == 0);
    CHECK_FALSE(a.exists("/runs/weak/lumbar"));
    CHECK_FALSE(a.exists("/differences/weak"));
    CHECK(a.readIntAttribute("/runs/healthy", "strides_used") == 2);
}

TEST_CASE("damaged results files: a clear error naming the file and the dataset, never wrong numbers", "[analysis]") {
    TempDir dir("analysis_damaged");
    const Model& model = test::shippedModel();
    // Each case: the dataset replaced, how it is written wrongly, and words the error must hold.
    struct Case {
        std::string dataset;
        std::function<void(H5Writer&, const std::string&)> write;
        std::string words;
    };
    const std::size_t nc = model.coordinates().size();
    const std::vector<Case> cases = {
        {"coordinates/q", [&](H5Writer& w, const std::string& g) {
             w.writeMatrix(g + "/coordinates/q", 50, nc, std::vector<double>(50 * nc, 0.0), "rad or m");
         }, "coordinates/q: expected 101 x " + std::to_string(nc) + ", found 50 x " + std::to_string(nc)},
        {"lumbar/L5_S1/force", [](H5Writer& w, const std::string& g) {
             w.writeMatrix(g + "/lumbar/L5_S1/force", 101, 4, std::vector<double>(404, 0.0), "N");
         }, "lumbar/L5_S1/force: expected 101 x 3, found 101 x 4"},
        {"grf/force", [](H5Writer& w, const std::string& g) {
             w.writeMatrix(g + "/grf/force", 101, 3, std::vector<double>(303, 0.0), "N");
         }, "grf/force: expected 101 x 6"},
        {"muscles/groups", [](H5Writer& w, const std::string& g) {
             w.writeStrings(g + "/muscles/groups", {"a", "b", "c", "d"});
         }, "muscles/force: expected 101 x 4, found 101 x 3"},
        {"strides", [](H5Writer& w, const std::string& g) {
             w.writeMatrix(g + "/strides", 2, 1, {0.0, 0.5}, "s");
         }, "strides: expected any x 2"},
        {"time", [](H5Writer& w, const std::string& g) {
             std::vector<double> t(101, 0.0);
             w.writeDoubles(g + "/time", t, "s");
         }, "time does not increase at sample 1"},
        {"summary/values", [](H5Writer& w, const std::string& g) {
             w.writeDoubles(g + "/summary/values", {1.0}, "1");
         }, "summary/values: expected 2 values, found 1"},
    };
    for (const auto& c : cases) {
        SECTION(c.dataset) {
            const std::string path = dir.file("damaged.h5");
            {
                H5Writer w = H5Writer::create(path, true);
                writeFileHeader(w);
                test::writeSyntheticRun(w, model, "healthy", false, {c.dataset});
                c.write(w, "/runs/healthy");
                w.commit();
            }
            const ResultsFile rf = openResults(path);
            std::ostringstream warn;
            const auto all = [&] {
                writeAnalysisFile(rf, dir.file("an.h5"), true, warn);
                summariseResults(rf);
                exportRunToOpenSim(rf, "healthy", dir.path.string());
            };
            CHECK_THROWS_WITH(all(), Contains("damaged.h5") && Contains(c.words));
        }
    }
}
