// results_schema: the table is complete and consistent, and what `run` writes is exactly
// what the schema lists, with the schema's units.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <sstream>
#include <unistd.h>

#include "cli.h"
#include "h5_file.h"
#include "paths.h"
#include "results_schema.h"

using namespace corestride;
namespace fs = std::filesystem;

namespace {

// Every object path under `group`, recursively (groups and datasets).
void objects(const H5Reader& r, const std::string& group, std::set<std::string>& out) {
    for (const auto& name : r.children(group)) {
        const std::string path = group + "/" + name;
        out.insert(path);
        if (!r.hasAttribute(path, "units")) objects(r, path, out);
    }
}

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Every schema entry whose name starts with `prefix` exists in the file for `run`, with the
// schema's units where it has one; returns how many entries were checked.
int checkEntries(const H5Reader& r, const std::string& prefix, const std::string& run) {
    int checked = 0;
    for (const auto& x : schema::entries()) {
        const std::string name = x.name;
        if (!startsWith(name, prefix)) continue;
        const std::string p = schema::path(static_cast<schema::Path>(&x - schema::entries().data()), run);
        INFO(name << " at " << p);
        CHECK(r.exists(p));
        ++checked;
        if (std::string(x.units).empty()) continue;
        REQUIRE(r.hasAttribute(p, "units"));
        CHECK(r.readStringAttribute(p, "units") == x.units);
    }
    return checked;
}

}  // namespace

TEST_CASE("results schema: one entry per key, unique names and paths, templates filled", "[results_schema]") {
    const auto& e = schema::entries();
    REQUIRE(e.size() == static_cast<std::size_t>(schema::Path::Count_));
    std::set<std::string> names, templates;
    for (const auto& x : e) {
        CHECK(names.insert(x.name).second);
        CHECK(startsWith(x.path_template, "/"));
        // The analysis file reuses /runs/{run}/lumbar/{level}/force (+ _mean, _sd); no other repeats.
        if (!templates.insert(x.path_template).second) CHECK(std::string(x.name) == "analysis.lumbar.level.force");
    }
    CHECK(schema::path(schema::Path::LevelForce, "baseline", "L4_L5") == "/runs/baseline/lumbar/L4_L5/force");
    CHECK(schema::path(schema::Path::SweepSummary, "ignored") == "/summary");
    CHECK(std::string(schema::units(schema::Path::Time)) == "s");
}

TEST_CASE("results schema: a run's file holds exactly the schema's run datasets, with its units", "[results_schema]") {
    const fs::path dir = fs::temp_directory_path() / ("corestride_schema_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string out = (dir / "baseline.h5").string();
    std::ostringstream o, err;
    REQUIRE(runCli({"run", scenariosDir() + "/baseline.cfg", "--quiet", "-o", out}, o, err) == 0);
    const H5Reader r(out);
    std::set<std::string> written;
    objects(r, schema::path(schema::Path::Run, "baseline"), written);
    const auto levels = r.children(schema::path(schema::Path::Lumbar, "baseline"));
    REQUIRE(levels.size() == 5);

    std::set<std::string> listed;
    int datasets = 0;
    for (const auto& x : schema::entries()) {
        const std::string name = x.name;
        if (!startsWith(name, "run.")) continue;
        if (startsWith(name, "run.compensation")) continue;   // compensate mode only (next test)
        if (startsWith(name, "run.long_run")) continue;       // long runs only (test below)
        const bool per_level = name.find(".level") != std::string::npos;
        for (const auto& level : per_level ? levels : std::vector<std::string>{""}) {
            const std::string p = schema::path(static_cast<schema::Path>(&x - schema::entries().data()), "baseline", level);
            listed.insert(p);
            INFO(name << " at " << p);
            CHECK(r.exists(p));
            if (std::string(x.units).empty()) continue;   // a group
            ++datasets;
            REQUIRE(r.hasAttribute(p, "units"));
            CHECK(r.readStringAttribute(p, "units") == x.units);
        }
    }
    CHECK(datasets > 40);
    // Every object written is listed, or is a parent group created on the way to one that is
    // ("/runs/baseline/grf" for ".../grf/force").
    for (const auto& p : written) {
        const auto child = listed.lower_bound(p + "/");
        const bool parent = child != listed.end() && startsWith(*child, p + "/");
        INFO("written but not in the schema: " << p);
        CHECK((listed.count(p) == 1 || parent));
    }
    fs::remove_all(dir);
}

TEST_CASE("results schema: a compensate run writes the compensation datasets, with their units", "[results_schema]") {
    const fs::path dir = fs::temp_directory_path() / ("corestride_schema_comp_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string out = (dir / "comp.h5").string();
    std::ostringstream o, err;
    REQUIRE(runCli({"run", "--control.mode=compensate", "--compensation.nodes=8", "--weakness.glute_med=0.4", "--quiet",
                    "-o", out},
                   o, err) == 0);
    const H5Reader r(out);
    CHECK(r.readIntAttribute("/", "format_version") == schema::kFormatVersion);
    CHECK(checkEntries(r, "run.compensation", "baseline") == 7);
    const std::string g = schema::path(schema::Path::Compensation, "baseline");
    CHECK(r.readIntAttribute(g, "solved") == 1);
    CHECK(r.readIntAttribute(g, "nodes") == 8);
    fs::remove_all(dir);
}

TEST_CASE("results schema: a long run writes the long-run datasets, with their units", "[results_schema]") {
    const fs::path dir = fs::temp_directory_path() / ("corestride_schema_long_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string out = (dir / "long.h5").string();
    std::ostringstream o, err;
    REQUIRE(runCli({"run", "--run.duration_min=5", "--run.epochs=1", "--quiet", "-o", out}, o, err) == 0);
    const H5Reader r(out);
    CHECK(checkEntries(r, "run.long_run", "baseline") == 13);
    const std::string g = schema::path(schema::Path::LongRun, "baseline");
    CHECK(r.readStringAttribute(g, "status") == "completed 5 min");
    CHECK(r.readIntAttribute(g, "completed") == 1);
    CHECK(r.readIntAttribute(g, "epochs") == 1);
    CHECK(r.readDoubles(schema::path(schema::Path::LongRunEpochTime, "baseline")) == std::vector<double>{0.0, 300.0});
    // The terminal shows the per-epoch table.
    CHECK(o.str().find("long run: completed 5 min") != std::string::npos);
    CHECK(o.str().find("remaining capacity") != std::string::npos);
    fs::remove_all(dir);
}
