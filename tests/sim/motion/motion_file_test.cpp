#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "error.h"
#include "motion_file.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

// A small OpenSim 4 file; the line numbers are used by the error tests below.
const std::string kBase =
    "walk\n"                                           // 1
    "version=1\n"                                      // 2
    "nRows=3\n"                                        // 3
    "nColumns=4\n"                                     // 4
    "inDegrees=yes\n"                                  // 5
    "endheader\n"                                      // 6
    "time\thip_flexion_r\tknee_angle_r\tpelvis_tx\n"   // 7
    "0.0\t10\t-5\t0.5\n"                               // 8
    "0.1\t20\t-15\t0.6\n"                              // 9
    "0.2\t30\t-25\t0.7\n";                             // 10

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    return text;
}

std::string parseError(const std::string& text) {
    try {
        parseMotionText(text, "bad.mot");
    } catch (const UserError& e) {
        return e.what();
    }
    FAIL("no error for:\n" << text);
    return "";
}

// Replaces the first occurrence of `from` in kBase and returns the parse error.
std::string parseErrorAfter(const std::string& from, const std::string& to) {
    return parseError(replaced(kBase, from, to));
}

std::string fixture(const std::string& name) {
    return std::string(CORESTRIDE_TEST_DIR) + "/fixtures/motion/" + name;
}

}  // namespace

TEST_CASE("an OpenSim 4 file parses into labelled columns", "[motion_file]") {
    const MotionTable m = parseMotionText(kBase, "walk.mot");
    CHECK(m.file == "walk.mot");
    CHECK(m.labels == std::vector<std::string>{"hip_flexion_r", "knee_angle_r", "pelvis_tx"});
    CHECK(m.time == std::vector<double>{0.0, 0.1, 0.2});
    REQUIRE(m.columns.size() == 3);
    CHECK(m.columns[1] == std::vector<double>{-5, -15, -25});
    CHECK(m.columns[2][2] == 0.7);
}

TEST_CASE("inDegrees selects the angle unit, and SIMM headers default to degrees", "[motion_file]") {
    CHECK(parseMotionText(kBase, "a.mot").angle_unit == AngleUnit::Degrees);
    CHECK(parseMotionText(replaced(kBase, "inDegrees=yes", "inDegrees=no"), "a.mot").angle_unit ==
          AngleUnit::Radians);

    // Old SIMM header mixed with OpenSim 4 keys and no inDegrees: degrees.
    const MotionTable simm = readMotionFile(fixture("simm_mixed.mot"));
    CHECK(simm.angle_unit == AngleUnit::Degrees);
    CHECK(simm.labels == std::vector<std::string>{"pelvis_ty", "knee_angle_r", "hip_flexion_r"});
    CHECK(simm.time.size() == 4);
    CHECK(simm.columns[2][3] == 65.0);

    // A SIMM-only header, and inDegrees=no winning over the SIMM convention.
    const std::string simm_only =
        "name x\ndatacolumns 2\ndatarows 2\nendheader\ntime a\n0 1\n1 2\n";
    CHECK(parseMotionText(simm_only, "s.mot").angle_unit == AngleUnit::Degrees);
    CHECK(parseMotionText("inDegrees=no\n" + simm_only, "s.mot").angle_unit == AngleUnit::Radians);
    // A free-text first line is the table's name, even if it starts with "time".
    CHECK(parseMotionText(replaced(kBase, "walk", "time trial 3"), "a.mot").time.size() == 3);

    // Neither: the unit is ambiguous and the file is rejected.
    const std::string msg = parseErrorAfter("inDegrees=yes\n", "");
    CHECK_THAT(msg, Contains("bad.mot:5:") && Contains("field 'inDegrees'") && Contains("ambiguous"));
}

TEST_CASE("columns are read by label, whatever their order", "[motion_file]") {
    const MotionTable a = parseMotionText(kBase, "a.mot");
    const MotionTable b = parseMotionText(
        "version=1\ninDegrees=yes\nendheader\n"
        "time pelvis_tx hip_flexion_r extra knee_angle_r\n"
        "0.0 0.5 10 99 -5\n"
        "0.1 0.6 20 99 -15\n"
        "0.2 0.7 30 99 -25\n",
        "b.mot");
    for (const std::string label : {"hip_flexion_r", "knee_angle_r", "pelvis_tx"}) {
        const int ja = a.column(label), jb = b.column(label);
        REQUIRE(ja >= 0);
        REQUIRE(jb >= 0);
        CHECK(a.columns[ja] == b.columns[jb]);
    }
    CHECK(b.column("extra") == 2);
    CHECK(a.column("extra") == -1);
    CHECK(a.column("time") == -1);
    CHECK(a.column("") == -1);
}

TEST_CASE("Windows line endings, padded labels and trailing tabs are tolerated", "[motion_file]") {
    const MotionTable g = readMotionFile(fixture("grf_windows.sto"));
    CHECK(g.angle_unit == AngleUnit::Radians);
    CHECK(g.labels ==
          std::vector<std::string>{"R_ground_force_vy", "R_ground_force_px", "R_ground_torque_y"});
    CHECK(g.time == std::vector<double>{0.0, 0.001, 0.002});
    CHECK(g.columns[g.column("R_ground_force_vy")][2] == 800.0);

    std::string crlf;
    for (char c : kBase) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const MotionTable m = parseMotionText(crlf, "crlf.mot");
    CHECK(m.columns == parseMotionText(kBase, "lf.mot").columns);
}

TEST_CASE("malformed rows name file, line and column", "[motion_file]") {
    // Too few fields: names the first missing column.
    std::string msg = parseErrorAfter("0.1\t20\t-15\t0.6", "0.1\t20\t-15");
    CHECK_THAT(msg, Contains("bad.mot:9:") && Contains("field 'pelvis_tx'") && Contains("3 fields, expected 4"));
    // Too many fields.
    msg = parseErrorAfter("0.1\t20\t-15\t0.6", "0.1\t20\t-15\t0.6\t7.5");
    CHECK_THAT(msg, Contains("bad.mot:9:") && Contains("extra field '7.5'"));
    // Not a number, and a number with trailing junk.
    msg = parseErrorAfter("0.1\t20\t-15", "0.1\t20\tabc");
    CHECK_THAT(msg, Contains("bad.mot:9:") && Contains("field 'knee_angle_r'") && Contains("'abc'"));
    msg = parseErrorAfter("0.1\t20\t-15", "0.1\t20\t-1.5e1x");
    CHECK_THAT(msg, Contains("bad.mot:9:") && Contains("field 'knee_angle_r'") && Contains("'-1.5e1x'"));
    msg = parseErrorAfter("0.1\t20\t-15", "0.1\t20,5\t-15");
    CHECK_THAT(msg, Contains("bad.mot:9:") && Contains("field 'hip_flexion_r'") && Contains("'20,5'"));
    // NaN and infinity.
    msg = parseErrorAfter("0.2\t30", "0.2\tnan");
    CHECK_THAT(msg, Contains("bad.mot:10:") && Contains("field 'hip_flexion_r'") && Contains("'nan'"));
    msg = parseErrorAfter("0.2\t30\t-25\t0.7", "0.2\t30\t-25\tinf");
    CHECK_THAT(msg, Contains("bad.mot:10:") && Contains("field 'pelvis_tx'") && Contains("'inf'"));
    msg = parseErrorAfter("0.2\t30", "NaN\t30");
    CHECK_THAT(msg, Contains("bad.mot:10:") && Contains("field 'time'") && Contains("'NaN'"));
    // Time that goes back or repeats.
    msg = parseErrorAfter("0.2\t30", "0.05\t30");
    CHECK_THAT(msg, Contains("bad.mot:10:") && Contains("field 'time'") && Contains("does not increase"));
    msg = parseErrorAfter("0.2\t30", "0.1\t30");
    CHECK_THAT(msg, Contains("bad.mot:10:") && Contains("field 'time'") && Contains("0.1"));
}

TEST_CASE("malformed headers and labels name file, line and key", "[motion_file]") {
    // No endheader: at the end of the file, or labels met first.
    std::string msg = parseError("version=1\ninDegrees=no\n");
    CHECK_THAT(msg, Contains("bad.mot:2:") && Contains("field 'endheader'"));
    msg = parseErrorAfter("endheader\n", "");
    CHECK_THAT(msg, Contains("bad.mot:6:") && Contains("field 'endheader'"));
    // No time column, time not first, no label line at all.
    msg = parseErrorAfter("time\thip", "Time\thip");
    CHECK_THAT(msg, Contains("bad.mot:7:") && Contains("field 'time'") && Contains("'Time'"));
    msg = parseErrorAfter("time\thip_flexion_r", "hip_flexion_r\ttime");
    CHECK_THAT(msg, Contains("bad.mot:7:") && Contains("field 'time'"));
    msg = parseError("inDegrees=no\nendheader\n\n");
    CHECK_THAT(msg, Contains("bad.mot:3:") && Contains("field 'time'"));
    // Duplicate label.
    msg = parseErrorAfter("knee_angle_r\tpelvis_tx", "knee_angle_r\thip_flexion_r");
    CHECK_THAT(msg, Contains("bad.mot:7:") && Contains("field 'hip_flexion_r'") && Contains("duplicate"));
    // Labels but no rows.
    msg = parseError(kBase.substr(0, kBase.find("0.0\t10")) + "\n");
    CHECK_THAT(msg, Contains("bad.mot:8:") && Contains("no data rows"));
    // Declared counts that differ from the data.
    msg = parseErrorAfter("nRows=3", "nRows=4");
    CHECK_THAT(msg, Contains("bad.mot:3:") && Contains("field 'nRows'") && Contains("4 rows") && Contains("has 3"));
    msg = parseErrorAfter("nRows=3\n", "nRows=3\ndatarows 2\n");
    CHECK_THAT(msg, Contains("bad.mot:4:") && Contains("field 'datarows'"));
    msg = parseErrorAfter("nColumns=4", "nColumns=5");
    CHECK_THAT(msg, Contains("bad.mot:4:") && Contains("field 'nColumns'") && Contains("5 columns"));
    // Bad header values.
    msg = parseErrorAfter("nRows=3", "nRows=three");
    CHECK_THAT(msg, Contains("bad.mot:3:") && Contains("field 'nRows'") && Contains("'three'"));
    msg = parseErrorAfter("inDegrees=yes", "inDegrees=maybe");
    CHECK_THAT(msg, Contains("bad.mot:5:") && Contains("field 'inDegrees'") && Contains("'maybe'"));
    msg = parseErrorAfter("nRows=3\n", "nRows=3\nnRows=3\n");
    CHECK_THAT(msg, Contains("bad.mot:4:") && Contains("field 'nRows'") && Contains("duplicate"));
    // A file that cannot be opened.
    CHECK_THROWS_WITH(readMotionFile(fixture("no_such.mot")), Contains("no_such.mot") && Contains("cannot open"));
}

TEST_CASE("interpolation is exact on linear data", "[motion_file]") {
    // y = 2 - 3 t on an uneven grid.
    const MotionTable m = parseMotionText(
        "inDegrees=no\nendheader\ntime y\n0 2\n0.25 1.25\n0.3 1.1\n1 -1\n", "lin.sto");
    for (double t : {0.0, 0.1, 0.25, 0.27, 0.3, 0.65, 0.999, 1.0})
        CHECK(m.interpolate(0, t) == Approx(2 - 3 * t).margin(1e-14));
    CHECK(m.interpolate(0, 1.0) == -1.0);
    CHECK(m.interpolate(0, 0.25) == 1.25);
    CHECK_THROWS_WITH(m.interpolate(0, 1.5), Contains("lin.sto") && Contains("1.5") && Contains("[0, 1]"));
    CHECK_THROWS_WITH(m.interpolate(0, -0.01), Contains("lin.sto") && Contains("-0.01"));
}

TEST_CASE("selectTimeWindow keeps the rows covering the window", "[motion_file]") {
    MotionTable m = parseMotionText(
        "inDegrees=no\nendheader\ntime y\n0 0\n0.1 1\n0.2 2\n0.3 3\n0.4 4\n0.5 5\n", "w.sto");
    MotionTable exact = m;
    selectTimeWindow(exact, 0.1, 0.3);
    CHECK(exact.time == std::vector<double>{0.1, 0.2, 0.3});
    CHECK(exact.columns[0] == std::vector<double>{1, 2, 3});

    selectTimeWindow(m, 0.15, 0.35);
    CHECK(m.time == std::vector<double>{0.1, 0.2, 0.3, 0.4});
    CHECK(m.interpolate(0, 0.15) == Approx(1.5));
    CHECK(m.interpolate(0, 0.35) == Approx(3.5));

    MotionTable w = parseMotionText(
        "inDegrees=no\nendheader\ntime y\n0 0\n0.1 1\n0.2 2\n", "w.sto");
    CHECK_THROWS_WITH(selectTimeWindow(w, 0.1, 0.5),
                      Contains("w.sto") && Contains("[0.1, 0.5]") && Contains("[0, 0.2]"));
    CHECK_THROWS_WITH(selectTimeWindow(w, -1, 0.1), Contains("w.sto") && Contains("[-1, 0.1]"));
    CHECK_THROWS_WITH(selectTimeWindow(w, 0.2, 0.1), Contains("w.sto") && Contains("empty"));
    CHECK(w.time.size() == 3);  // untouched by the failed calls
}

TEST_CASE("a 5000 x 170 table parses", "[motion_file]") {
    std::string text = "name big\ndatacolumns 170\ndatarows 5000\nendheader\ntime";
    for (int j = 1; j < 170; ++j) text += "\tc" + std::to_string(j);
    text += "\n";
    char buf[32];
    for (int i = 0; i < 5000; ++i) {
        std::snprintf(buf, sizeof buf, "%.3f", 0.001 * i);
        text += buf;
        for (int j = 1; j < 170; ++j) {
            std::snprintf(buf, sizeof buf, "\t%.6f", 0.5 * j - 1e-3 * i);
            text += buf;
        }
        text += "\n";
    }
    const MotionTable m = parseMotionText(text, "big.mot");
    REQUIRE(m.time.size() == 5000);
    REQUIRE(m.columns.size() == 169);
    CHECK(m.columns[m.column("c169")][4999] == Approx(0.5 * 169 - 4.999));
}

TEST_CASE("the Hamner 2013 running files parse", "[motion_file]") {
    const std::string dir =
        std::string(CORESTRIDE_SHARED_DIR) + "/data/running/hamner2013_subject01/Run_30002";
    if (!std::filesystem::is_directory(dir)) {
        WARN("skipped: reference data not found at " << dir);
        return;
    }
    const MotionTable ik = readMotionFile(dir + "/Run_30002_IK.mot");
    CHECK(ik.time.size() == 475);
    CHECK(ik.labels.size() == 163);
    CHECK(ik.angle_unit == AngleUnit::Degrees);
    CHECK(ik.column("hip_flexion_r") >= 0);
    CHECK(ik.time.front() == Approx(0.05));
    CHECK(ik.time.back() == Approx(4.79));

    const MotionTable grf = readMotionFile(dir + "/Run_30002_GRF_newCOP3_v24.mot");
    CHECK(grf.time.size() == 4741);
    CHECK(grf.labels.size() == 18);
    const int vy = grf.column("R_ground_force_vy");
    REQUIRE(vy >= 0);
    const auto& f = grf.columns[vy];
    CHECK(*std::max_element(f.begin(), f.end()) == Approx(1831).margin(5));
}

TEST_CASE("the zero-lag low-pass filter has the Butterworth gain, no lag, and refuses uneven samples", "[motion_file]") {
    // Closed form: two passes of the prewarped 2nd-order Butterworth give
    // |H(f)| = 1 / (1 + (tan(pi f / fs) / tan(pi fcc / fs))^4), fcc the corrected cut-off.
    const double fs = 1000, fc = 15, fcc = fc / std::pow(std::sqrt(2.0) - 1.0, 0.25);
    for (double f : {3.0, 15.0, 40.0}) {
        INFO(f << " Hz");
        MotionTable t;
        t.file = "sine.mot";
        t.labels = {"x"};
        t.columns.resize(1);
        for (int i = 0; i < 4000; ++i) {
            t.time.push_back(i / fs);
            t.columns[0].push_back(std::sin(2 * M_PI * f * i / fs));
        }
        lowPassFilter(t, fc);
        const double r = std::tan(M_PI * f / fs) / std::tan(M_PI * fcc / fs), gain = 1 / (1 + r * r * r * r);
        // Amplitude and phase in the middle (away from the padded ends), by projection.
        double s = 0, c = 0;
        for (int i = 1000; i < 3000; ++i) {
            s += t.columns[0][i] * std::sin(2 * M_PI * f * i / fs);
            c += t.columns[0][i] * std::cos(2 * M_PI * f * i / fs);
        }
        CHECK(2 * std::hypot(s, c) / 2000 == Approx(gain).margin(0.01));
        CHECK(std::abs(c) < 0.01 * std::abs(s) + 1e-6);   // zero phase
    }
    CHECK(std::pow(std::sqrt(2.0) - 1.0, 0.25) < 1);   // the correction raises the single-pass cut-off
    MotionTable uneven = parseMotionText("version=1\ninDegrees=no\nendheader\ntime\tx\n0\t1\n0.01\t2\n0.02\t3\n0.04\t4\n0.05\t5\n",
                                         "uneven.mot");
    CHECK_THROWS_WITH(lowPassFilter(uneven, 5), Contains("uneven.mot") && Contains("equally spaced"));
    MotionTable ok = parseMotionText("version=1\ninDegrees=no\nendheader\ntime\tx\n0\t1\n0.01\t2\n0.02\t3\n0.03\t4\n0.04\t5\n",
                                     "ok.mot");
    CHECK_THROWS_WITH(lowPassFilter(ok, 45), Contains("Nyquist"));
}
