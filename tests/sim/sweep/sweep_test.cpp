#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "h5_file.h"
#include "paths.h"
#include "sweep.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

fs::path tempDir() {
    const auto dir = fs::temp_directory_path() / ("corestride_sweep_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

std::string writeFile(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
    return path.string();
}

// Three points on two (model, reference) combinations: two speeds.
const char* kSpec =
    "[sweep]\ndesign = list\n[points]\ncolumns = running.speed, weakness.glute_med_r\n"
    "point = 3.5, 0\npoint = 3.5, 0.4\npoint = 3.8, 0.2\n";

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("sweep: 1 and 2 threads, interrupted and resumed, give bitwise identical files", "[sweep][slow]") {
    const fs::path dir = tempDir();
    const SweepSpec spec = parseSweepSpec(kSpec, writeFile(dir / "spec.cfg", kSpec));

    // Reference: two threads, uninterrupted, with time series.
    SweepOptions a;
    a.output = (dir / "a.h5").string();
    a.jobs = 2;
    a.save = SweepSave::Timeseries;
    int reported = 0;
    a.progress = [&](const SweepProgress& p) {
        ++reported;
        CHECK(p.total == 3);
        CHECK(p.done == reported);
    };
    const SweepReport ra = runSweep(spec, a);
    CHECK(ra.complete);
    CHECK(ra.computed == 3);
    CHECK(ra.failed == 0);
    CHECK(reported == 3);
    CHECK_FALSE(fs::exists(a.output + ".journal"));
    CHECK_FALSE(fs::exists(a.output + ".parts"));

    // One thread, stopped after one point, a torn record appended (a kill mid-write), resumed.
    SweepOptions b = a;
    b.output = (dir / "b.h5").string();
    b.jobs = 1;
    b.progress = {};
    b.stop_after = 1;
    const SweepReport rb1 = runSweep(spec, b);
    CHECK_FALSE(rb1.complete);
    CHECK(rb1.computed == 1);
    CHECK_FALSE(fs::exists(b.output));
    std::ofstream(b.output + ".journal", std::ios::app) << "2\t0.5\tok\t1\tfake_metric\t12";
    b.stop_after = -1;
    const SweepReport rb2 = runSweep(spec, b);
    CHECK(rb2.complete);
    CHECK(rb2.resumed == 1);
    CHECK(rb2.computed == 2);
    CHECK_FALSE(fs::exists(b.output + ".journal"));

    H5Reader fa(a.output), fb(b.output);
    CHECK(fa.readStringAttribute("/", "spec_hash") == fb.readStringAttribute("/", "spec_hash"));
    const auto cols = fa.readStringListAttribute("/summary", "columns");
    CHECK(cols == fb.readStringListAttribute("/summary", "columns"));
    REQUIRE(cols.size() > 10);
    CHECK(cols[0] == "point");
    CHECK(cols[1] == "running.speed");
    CHECK(cols[3] == "ok");
    CHECK(cols[4] == "wall_time_s");
    CHECK(std::find(cols.begin(), cols.end(), "fake_metric") == cols.end());   // the torn line was dropped
    const H5Matrix ma = fa.readMatrix("/summary"), mb = fb.readMatrix("/summary");
    REQUIRE(ma.rows == 3);
    REQUIRE(mb.rows == 3);
    int differing = 0;
    for (size_t r = 0; r < 3; ++r) {
        CHECK(ma.at(r, 0) == static_cast<double>(r));   // ordered by point, none lost or repeated
        CHECK(ma.at(r, 3) == 1);
        for (size_t c = 0; c < ma.cols; ++c)
            if (c != 4 && !sameBits(ma.at(r, c), mb.at(r, c))) ++differing;   // all but wall time
    }
    CHECK(differing == 0);
    CHECK(ma.at(2, 1) == 3.8);
    CHECK(ma.at(1, 2) == 0.4);
    CHECK(fa.readStrings("/status") == std::vector<std::string>{"ok", "ok", "ok"});
    // The weakened point differs from the healthy one (the parameter reached the run).
    const size_t peak = static_cast<size_t>(std::find(cols.begin(), cols.end(), "L5_S1_peak_compression_N") - cols.begin());
    REQUIRE(peak < cols.size());
    CHECK(ma.at(0, peak) != ma.at(1, peak));
    // Time series, per point.
    for (const char* run : {"/runs/point_000000", "/runs/point_000002"}) {
        CHECK(fb.exists(std::string(run) + "/time"));
        CHECK(fa.readDoubles(std::string(run) + "/time") == fb.readDoubles(std::string(run) + "/time"));
    }

    // Rerunning a finished sweep does nothing; the CLI says so.
    std::ostringstream out, err;
    CHECK(runCli({"sweep", spec.file, "-o", a.output, "--save=timeseries", "--quiet"}, out, err) == 0);
    CHECK_THAT(out.str(), Contains("already complete"));

    // Another spec on the same output or journal: exit 2 (UserError), nothing removed.
    const std::string other = writeFile(dir / "other.cfg", std::string(kSpec) + "point = 3.6, 0\n");
    CHECK_THROWS_WITH(runCli({"sweep", other, "-o", a.output, "--quiet"}, out, err),
                      Contains("a.h5") && Contains("different sweep spec"));
    CHECK(fs::exists(a.output));
    const SweepSpec other_spec = readSweepSpec(other);
    SweepOptions c = b;
    c.output = (dir / "c.h5").string();
    c.stop_after = 0;   // creates the journal only
    runSweep(spec, c);
    CHECK_THROWS_WITH(runSweep(other_spec, c), Contains("c.h5.journal") && Contains("different sweep spec"));
    CHECK(fs::exists(c.output + ".journal"));
    fs::remove_all(dir);
}

TEST_CASE("sweep: a failing point is recorded with its error and the sweep goes on", "[sweep]") {
    const fs::path dir = tempDir();
    const std::string text = "[sweep]\ndesign = list\n[points]\ncolumns = weakness.group.no_such_group\npoint = 0.5\n";
    const SweepSpec spec = parseSweepSpec(text, writeFile(dir / "fail.cfg", text));
    SweepOptions o;
    o.output = (dir / "fail.h5").string();
    const SweepReport r = runSweep(spec, o);
    CHECK(r.complete);
    CHECK(r.failed == 1);
    H5Reader f(o.output);
    const auto status = f.readStrings("/status");
    REQUIRE(status.size() == 1);
    CHECK_THAT(status[0], Contains("error") && Contains("no_such_group"));
    CHECK(f.readMatrix("/summary").at(0, 2) == 0);   // ok column
    fs::remove_all(dir);
}

TEST_CASE("sweep: bad input is refused before any work, naming the key or line", "[sweep]") {
    const fs::path dir = tempDir();
    std::ostringstream out, err;
    const std::string big = writeFile(dir / "big.cfg", "[sweep]\n[parameters]\nrunning.speed = 3 .. 4, 50\nweakness.deep_core = 0 .. 1, 50\n");
    const std::string out_h5 = (dir / "big.h5").string();
    CHECK_THROWS_WITH(runCli({"sweep", big, "-o", out_h5}, out, err), Contains("2500 points") && Contains("--max-points"));
    CHECK_FALSE(fs::exists(out_h5 + ".journal"));
    const std::string bad = writeFile(dir / "bad.cfg", "[sweep]\n[parameters]\nrunning.sped = 3 .. 4, 2\n");
    CHECK_THROWS_WITH(runCli({"sweep", bad, "-o", out_h5}, out, err), Contains("bad.cfg:3") && Contains("running.sped"));
    CHECK_THROWS_WITH(runCli({"sweep", big, "-o", out_h5, "--save=everything"}, out, err), Contains("--save"));
    // An existing file that is not a sweep output.
    const std::string foreign = writeFile(dir / "foreign.h5", "not hdf5");
    const std::string small = writeFile(dir / "small.cfg", "[sweep]\n[parameters]\nrunning.speed = 3.5\n");
    CHECK_THROWS_WITH(runCli({"sweep", small, "-o", foreign}, out, err), Contains("not a sweep output"));
    std::ifstream in(foreign);
    std::string content;
    std::getline(in, content);
    CHECK(content == "not hdf5");
    fs::remove_all(dir);
}

TEST_CASE("sweep: resuming after an input file changed is refused, naming the file", "[sweep]") {
    // A sweep stopped part-way, its model edited, resumed: the finished points were computed
    // from the old model, the rest would come from the new one. The journal records a digest
    // of every input file, and the resume must stop with the file's name.
    const fs::path dir = tempDir() / "inputs";
    fs::create_directories(dir);
    std::ifstream in(defaultModelPath());
    std::stringstream model_text;
    model_text << in.rdbuf();
    const std::string model = writeFile(dir / "my.model", model_text.str());
    const std::string base = writeFile(dir / "base.cfg", "[model]\nfile = " + model + "\n");
    const std::string text = "[sweep]\nbase = " + base +
                             "\ndesign = list\n[points]\ncolumns = weakness.glute_med_r\npoint = 0\npoint = 0.2\npoint = 0.4\n";
    const SweepSpec spec = parseSweepSpec(text, writeFile(dir / "spec.cfg", text));
    SweepOptions o;
    o.output = (dir / "out.h5").string();
    o.jobs = 1;
    o.stop_after = 1;
    CHECK(runSweep(spec, o).computed == 1);

    writeFile(dir / "my.model", model_text.str() + "# edited after the sweep started\n");
    o.stop_after = -1;
    CHECK_THROWS_WITH(runSweep(spec, o), Contains(model) && Contains("changed since this sweep started"));
    CHECK_FALSE(fs::exists(o.output));

    writeFile(dir / "my.model", model_text.str());   // restored: the sweep resumes
    const SweepReport r = runSweep(spec, o);
    CHECK(r.complete);
    CHECK(r.resumed == 1);
    CHECK(r.computed == 2);
}

TEST_CASE("sweep: a second sweep onto the same output is refused while the first runs", "[sweep]") {
    const fs::path dir = tempDir() / "lock";
    fs::create_directories(dir);
    const SweepSpec spec = parseSweepSpec(kSpec, writeFile(dir / "spec.cfg", kSpec));
    SweepOptions o;
    o.output = (dir / "out.h5").string();
    o.stop_after = 0;
    // Another process holds the output's lock.
    const int fd = ::open((o.output + ".lock").c_str(), O_RDWR | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    CHECK_THROWS_WITH(runSweep(spec, o), Contains("another corestride sweep is writing this output"));
    CHECK_FALSE(fs::exists(o.output + ".journal"));
    ::flock(fd, LOCK_UN);
    ::close(fd);
    CHECK_NOTHROW(runSweep(spec, o));   // free again
    CHECK_FALSE(fs::exists(o.output + ".lock"));   // released and removed
    // A device as the output is refused before any work.
    SweepOptions dev = o;
    dev.output = "/dev/null";
    dev.overwrite = true;
    CHECK_THROWS_WITH(runSweep(spec, dev), Contains("not a regular file"));
}

TEST_CASE("sweep in compensate mode: 1 and 2 threads give bitwise identical results", "[sweep][compensation]") {
    const fs::path dir = tempDir();
    const std::string base = writeFile(dir / "comp_base.cfg", "[control]\nmode = compensate\n[compensation]\nnodes = 8\n");
    const std::string text = "[sweep]\nbase = " + base +
                             "\ndesign = list\n[points]\ncolumns = weakness.glute_med_r\npoint = 0\npoint = 0.6\n";
    const SweepSpec spec = parseSweepSpec(text, writeFile(dir / "comp_spec.cfg", text));
    SweepOptions a;
    a.output = (dir / "comp_a.h5").string();
    a.jobs = 2;
    a.save = SweepSave::Timeseries;
    SweepOptions b = a;
    b.output = (dir / "comp_b.h5").string();
    b.jobs = 1;
    REQUIRE(runSweep(spec, a).complete);
    REQUIRE(runSweep(spec, b).complete);
    H5Reader fa(a.output), fb(b.output);
    const H5Matrix ma = fa.readMatrix("/summary"), mb = fb.readMatrix("/summary");
    REQUIRE(ma.rows == 2);
    const auto cols = fa.readStringListAttribute("/summary", "columns");
    int differing = 0;
    for (size_t r = 0; r < 2; ++r)
        for (size_t c = 0; c < ma.cols; ++c)
            if (cols[c] != "wall_time_s" && cols[c] != "compensation_time_s" && !sameBits(ma.at(r, c), mb.at(r, c)))
                ++differing;
    CHECK(differing == 0);
    CHECK(fa.readStrings("/status") == std::vector<std::string>{"ok", "ok"});
    // The weakened point's form changed (the mode reached the run) and is in the summary.
    const size_t lean = static_cast<size_t>(std::find(cols.begin(), cols.end(), "form_change_trunk_lean_to_stance_peak_r_deg") - cols.begin());
    REQUIRE(lean < cols.size());
    CHECK(std::abs(ma.at(1, lean)) > std::abs(ma.at(0, lean)));
    CHECK(fa.readMatrix("/runs/point_000001/compensation/coefficients").data ==
          fb.readMatrix("/runs/point_000001/compensation/coefficients").data);
    fs::remove_all(dir);
}
