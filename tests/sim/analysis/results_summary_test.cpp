#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "results_summary.h"
#include "synthetic_results.h"
#include "test_support.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

double valueOf(const NamedValues& v, const std::string& name) {
    for (const auto& [n, x] : v)
        if (n == name) return x;
    FAIL("no value " << name);
    return 0;
}

std::string tempFile(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("corestride_summary_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

}  // namespace

TEST_CASE("summary of a runs file: key numbers and plain-language descriptions", "[summary]") {
    const std::string path = tempFile("runs.h5");
    test::writeSyntheticRuns(path, test::shippedModel());
    const FileSummary s = summariseResults(openResults(path));
    REQUIRE(s.runs.size() == 2);
    const RunSummary& weak = s.runs[1];
    CHECK(weak.name == "weak");
    CHECK(weak.strides == 2);
    CHECK(valueOf(weak.metrics, "L5_S1_peak_compression_N") == Approx(1250));
    // Mean over the two strides of each stride's peak: right (|(3,4,0)| + 2) / 2, left (0 + 10) / 2.
    CHECK(valueOf(weak.metrics, "hip_contact_peak_r_N") == Approx(3.5));
    CHECK(valueOf(weak.metrics, "hip_contact_peak_l_N") == Approx(5.0));
    CHECK(valueOf(weak.metrics, "tracking_rms_worst_deg") == Approx(0.25));
    // Files without reserve-share metrics (before December 2026) get no reserve line.
    for (const auto& [n, v] : weak.metrics) CHECK(n != "reserve_share_worst_pct");
    CHECK_THAT(weak.description.at(1), Contains("Gluteus medius 40% weaker on both sides"));
    CHECK_THAT(s.runs[0].description.at(1), Contains("No muscle weakness"));
    // Written without /capacity (as files before capacity use was recorded): read as none.
    CHECK(weak.capacity.empty());

    std::ostringstream table, json;
    printSummaryTable(s, table);
    CHECK_THAT(table.str(), Contains("weak") && Contains("1250"));
    printSummaryJson(s, json);
    const auto j = nlohmann::json::parse(json.str());
    CHECK(j["reference_run"] == "healthy");
    CHECK(j["runs"][1]["metrics"]["L5_S1_peak_compression_N"].get<double>() == Approx(1250));
    std::filesystem::remove(path);
}

TEST_CASE("summary of a sweep: ranges, failed points and sensitivities", "[summary]") {
    const std::string path = tempFile("sweep.h5");
    test::writeSyntheticSweep(path);
    const FileSummary s = summariseResults(openResults(path));
    CHECK(s.points == 10);
    CHECK(s.points_ok == 9);
    // A small sweep lists every point with its parameter values and status.
    REQUIRE(s.point_list.size() == 10);
    CHECK(std::count_if(s.point_list.begin(), s.point_list.end(), [](const auto& p) { return !p.ok; }) == 1);
    for (const auto& p : s.point_list) REQUIRE(p.values.size() == 2);
    REQUIRE(s.parameters.size() == 2);
    CHECK(s.parameters[0].first == "p1");
    REQUIRE(s.metrics.size() == 2);
    CHECK(s.metrics[0].min == Approx(-4));   // 3 p1 - 2 p2 on {0,1,2}^2
    CHECK(s.metrics[0].max == Approx(6));
    CHECK(s.metrics[0].mean == Approx(1));
    CHECK(valueOf(s.metrics[0].src, "p2") == Approx(-2 / std::sqrt(13.0)));
    CHECK(s.metrics[1].r2 == Approx(0.6));
    CHECK(valueOf(s.metrics[1].first_order, "p1") == Approx(0.6));
    std::ostringstream json;
    printSummaryJson(s, json);
    const auto j = nlohmann::json::parse(json.str());
    CHECK(j["sweep"]["points_ok"] == 9);
    CHECK(j["sweep"]["sensitivity"]["metrics"][1]["first_order"]["p1"].get<double>() == Approx(0.6));
    std::filesystem::remove(path);
}

TEST_CASE("summary JSON keeps any text intact and writes missing numbers as null", "[summary]") {
    FileSummary s;
    s.file = "odd \"name\"\\.h5";
    RunSummary r;
    r.name = "a";
    r.title = std::string("line\nbreak \x01 <script>");
    r.metrics = {{"x_N", std::numeric_limits<double>::quiet_NaN()}, {"y_N", 0.1}};
    s.runs.push_back(r);
    std::ostringstream json;
    printSummaryJson(s, json);
    const auto j = nlohmann::json::parse(json.str());   // throws if the text is not JSON
    CHECK(j["file"] == s.file);
    CHECK(j["runs"][0]["title"] == r.title);              // HTML escaping is the page's job
    CHECK(j["runs"][0]["metrics"]["x_N"].is_null());
    CHECK(j["runs"][0]["metrics"]["y_N"].get<double>() == 0.1);   // round trip, not 4 digits
    // A byte that is not UTF-8 (a damaged file) must not make the output invalid JSON.
    s.runs[0].title = "bad \xff byte";
    std::ostringstream bad;
    printSummaryJson(s, bad);
    CHECK_NOTHROW(nlohmann::json::parse(bad.str()));
}
