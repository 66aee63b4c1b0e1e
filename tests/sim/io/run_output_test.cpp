// `corestride run` end to end: the HDF5 file's schema, units on every dataset, atomic
// writing, and bad input that leaves nothing behind.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "h5_file.h"
#include "paths.h"
#include "results_schema.h"
#include "version.h"

using namespace corestride;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() {
    static const fs::path d = [] {
        fs::path p = fs::temp_directory_path() / ("corestride_run_test_" + std::to_string(::getpid()));
        fs::create_directories(p);
        return p;
    }();
    return d;
}

// Every dataset under `group`, recursively.
void datasets(const H5Reader& r, const std::string& group, std::vector<std::string>& out) {
    for (const auto& name : r.children(group)) {
        const std::string path = group == "/" ? "/" + name : group + "/" + name;
        if (r.hasAttribute(path, "units") || !r.children(path).size()) out.push_back(path);
        else datasets(r, path, out);
    }
}

}  // namespace

TEST_CASE("run writes a self-describing HDF5 file, atomically, and refuses to overwrite", "[run_output]") {
    const std::string out = (tempDir() / "baseline.h5").string();
    const std::string scenario = scenariosDir() + "/baseline.cfg";
    std::ostringstream o, e;
    REQUIRE(runCli({"run", scenario, "--quiet", "-o", out}, o, e) == 0);
    CHECK_THAT(o.str(), Contains("status ok"));
    {
        H5Reader r(out);
        CHECK(r.readStringAttribute("/", "format") == "corestride");
        CHECK(r.readIntAttribute("/", "format_version") == schema::kFormatVersion);
        CHECK(r.readStringAttribute("/", "software_version") == kSoftwareVersion);
        const std::string g = "/runs/baseline";
        CHECK(r.readStringAttribute(g, "status") == "ok");
        CHECK_THAT(r.readStringAttribute(g, "scenario"), Contains("speed = 3.5") && Contains("[control]"));
        CHECK(r.readDoubleAttribute(g, "body_mass_kg") == 75.0);
        CHECK(r.readDoubleAttribute(g, "wall_time_s") > 0);
        const auto time = r.readDoubles(g + "/time");
        const auto q = r.readMatrix(g + "/coordinates/q");
        CHECK(q.rows == time.size());
        CHECK(q.cols == r.readStrings(g + "/coordinates/names").size());
        CHECK(r.readMatrix(g + "/muscles/force").cols == r.readStrings(g + "/muscles/names").size());
        CHECK(r.readStringListAttribute(g + "/residuals", "columns").size() == 6);
        CHECK(r.readStringAttribute(g + "/muscles/force", "units") == "N");
        std::vector<std::string> all;
        datasets(r, "/", all);
        CHECK(all.size() > 15);
        for (const auto& d : all) {
            INFO(d);
            CHECK(r.hasAttribute(d, "units"));
        }
    }
    // An existing file is refused and left untouched; --overwrite replaces it.
    const auto before = fs::last_write_time(out);
    CHECK_THROWS_WITH(runCli({"run", scenario, "--quiet", "-o", out}, o, e), Contains("exists") && Contains("--overwrite"));
    CHECK(fs::last_write_time(out) == before);
    // Bad input: an error naming the key, and no file.
    const std::string bad = (tempDir() / "bad.h5").string();
    CHECK_THROWS_WITH(runCli({"run", scenario, "--running.speed=fast", "-o", bad}, o, e),
                      Contains("running.speed") && Contains("fast"));
    CHECK_THROWS_WITH(runCli({"run", "--motion.source=files", "--motion.kinematics=/nonexistent.mot",
                              "--motion.grf=/nonexistent.mot", "-o", bad}, o, e),
                      Contains("/nonexistent.mot"));
    CHECK_FALSE(fs::exists(bad));
    for (const auto& entry : fs::directory_iterator(tempDir()))
        CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
    fs::remove_all(tempDir());
}
