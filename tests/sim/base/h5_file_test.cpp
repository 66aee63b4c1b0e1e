#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "error.h"
#include "h5_file.h"

using namespace corestride;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// A fresh, empty directory under the system temp directory, removed with its content.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("corestride_h5_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
    // Names of the entries in the directory.
    std::set<std::string> entries() const {
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(path)) names.insert(e.path().filename().string());
        return names;
    }
};

// A committed file whose only content is the string attribute /@tag = `tag`.
// A CoreStride file (root attribute format, which --overwrite requires) with a tag.
void writeTagged(const std::string& path, const std::string& tag, bool overwrite) {
    H5Writer w = H5Writer::create(path, overwrite);
    w.setStringAttribute("/", "format", "corestride");
    w.setStringAttribute("/", "tag", tag);
    w.commit();
}

}  // namespace

TEST_CASE("h5: every type round-trips through writer and reader", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("results.h5");
    const std::vector<double> q = {0.1, -0.2, 0.3, 1.5, 2.5, -3.5};  // 2 x 3, row-major
    const std::vector<double> t = {0.0, 0.01, 0.02, 1e-300, -0.0, 1e300};
    const std::vector<std::string> muscles = {"iliacus_r", "psoas_r", "", "glut_max_ü"};
    const std::vector<std::int64_t> ints = {0, -1, 42, INT64_MAX, INT64_MIN};
    {
        H5Writer w = H5Writer::create(path, false);
        w.writeMatrix("/runs/baseline/coordinates", 2, 3, q, "rad", {"hip_flexion", "knee", "lumbar_extension"});
        w.writeDoubles("runs/baseline/time", t, "s");
        w.writeMatrix("/runs/baseline/f_L5S1_S1", 2, 3, q, "N", {"x", "y", "z"}, "S1");
        w.writeStrings("/model/muscles", muscles);
        w.writeInts("/runs/baseline/status", ints);
        w.createGroup("/runs/perturbed/extra");
        // Attributes on the root, a group and a dataset, one of each type.
        for (const std::string obj : {"/", "/runs/baseline", "/runs/baseline/coordinates"}) {
            w.setStringAttribute(obj, "note", "on " + obj);
            w.setDoubleAttribute(obj, "mass", 72.5);
            w.setIntAttribute(obj, "seed", -7);
        }
        w.setStringAttribute("/", "note", "replaced");  // same name again: replaced
        w.setStringListAttribute("/new/group", "list", {"a", "bb", "ccc"});  // group made on demand
        w.commit();
    }
    H5Reader r(path);
    const H5Matrix m = r.readMatrix("/runs/baseline/coordinates");
    CHECK(m.rows == 2);
    CHECK(m.cols == 3);
    CHECK(m.data == q);
    CHECK(m.at(1, 2) == -3.5);
    CHECK(r.readDoubles("/runs/baseline/time") == t);
    CHECK(std::signbit(r.readDoubles("/runs/baseline/time")[4]));
    CHECK(r.readStrings("/model/muscles") == muscles);
    CHECK(r.readInts("/runs/baseline/status") == ints);
    CHECK(r.readStringAttribute("/", "note") == "replaced");
    for (const std::string obj : {"/", "/runs/baseline", "/runs/baseline/coordinates"}) {
        if (obj != "/") CHECK(r.readStringAttribute(obj, "note") == "on " + obj);
        CHECK(r.readDoubleAttribute(obj, "mass") == 72.5);
        CHECK(r.readIntAttribute(obj, "seed") == -7);
        CHECK(r.readDoubleAttribute(obj, "seed") == -7.0);  // integers read as doubles too
    }
    CHECK(r.readStringListAttribute("/new/group", "list") == std::vector<std::string>{"a", "bb", "ccc"});

    // Units, frame and columns attributes.
    CHECK(r.readStringAttribute("/runs/baseline/coordinates", "units") == "rad");
    CHECK(r.readStringListAttribute("/runs/baseline/coordinates", "columns") ==
          std::vector<std::string>{"hip_flexion", "knee", "lumbar_extension"});
    CHECK_FALSE(r.hasAttribute("/runs/baseline/coordinates", "frame"));
    CHECK(r.readStringAttribute("/runs/baseline/f_L5S1_S1", "frame") == "S1");
    CHECK(r.readStringAttribute("/runs/baseline/time", "units") == "s");
    CHECK_FALSE(r.hasAttribute("/runs/baseline/time", "columns"));

    // Structure: children in name order, existence of paths at any depth.
    CHECK(r.children("/") == std::vector<std::string>{"model", "new", "runs"});
    CHECK(r.children("/runs") == std::vector<std::string>{"baseline", "perturbed"});
    CHECK(r.children("/runs/baseline") ==
          std::vector<std::string>{"coordinates", "f_L5S1_S1", "status", "time"});
    CHECK(r.exists("/"));
    CHECK(r.exists("/runs/perturbed/extra"));
    CHECK(r.exists("/runs/baseline/coordinates"));
    CHECK_FALSE(r.exists("/runs/nope"));
    CHECK_FALSE(r.exists("/nope/deeper/still"));
    CHECK_FALSE(r.exists("/runs/baseline/coordinates/below_a_dataset"));
}

TEST_CASE("h5: empty datasets round-trip", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("empty.h5");
    {
        H5Writer w = H5Writer::create(path, false);
        w.writeMatrix("/m", 0, 3, {}, "m", {"x", "y", "z"});
        w.writeDoubles("/d", {}, "1");
        w.writeStrings("/s", {});
        w.writeInts("/i", {});
        w.commit();
    }
    H5Reader r(path);
    const H5Matrix m = r.readMatrix("/m");
    CHECK(m.rows == 0);
    CHECK(m.cols == 3);
    CHECK(m.data.empty());
    CHECK(r.readDoubles("/d").empty());
    CHECK(r.readStrings("/s").empty());
    CHECK(r.readInts("/i").empty());
}

TEST_CASE("h5: double datasets are chunked, shuffled and deflated", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("chunked.h5");
    const std::size_t rows = 2000, cols = 3;
    std::vector<double> data(rows * cols);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::sin(0.001 * static_cast<double>(i));
    {
        H5Writer w = H5Writer::create(path, false);
        w.writeMatrix("/runs/a/q", rows, cols, data, "rad");
        w.writeDoubles("/runs/a/t", std::vector<double>(10, 1.0), "s");
        w.commit();
    }
    CHECK(H5Reader(path).readMatrix("/runs/a/q").data == data);

    // Inspect the creation properties with the plain C API.
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    for (const auto& [name, chunk_rows] : {std::pair<std::string, hsize_t>{"/runs/a/q", 1024}, {"/runs/a/t", 10}}) {
        INFO(name);
        const hid_t dset = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
        REQUIRE(dset >= 0);
        const hid_t dcpl = H5Dget_create_plist(dset);
        CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED);
        hsize_t chunk[2] = {0, 0};
        const int rank = H5Pget_chunk(dcpl, 2, chunk);
        CHECK(chunk[0] == chunk_rows);
        if (rank == 2) CHECK(chunk[1] == cols);
        REQUIRE(H5Pget_nfilters(dcpl) == 2);
        unsigned flags = 0, filter_config = 0;
        unsigned cd_values[4] = {0, 0, 0, 0};
        std::size_t n_cd = 4;
        char filter_name[64];
        CHECK(H5Pget_filter2(dcpl, 0, &flags, &n_cd, cd_values, sizeof filter_name, filter_name, &filter_config) ==
              H5Z_FILTER_SHUFFLE);
        n_cd = 4;
        CHECK(H5Pget_filter2(dcpl, 1, &flags, &n_cd, cd_values, sizeof filter_name, filter_name, &filter_config) ==
              H5Z_FILTER_DEFLATE);
        CHECK(n_cd >= 1);
        CHECK(cd_values[0] == 4);
        H5Pclose(dcpl);
        H5Dclose(dset);
    }
    H5Fclose(file);
}

TEST_CASE("h5: an existing file is replaced only with overwrite, and atomically", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("out.h5");
    writeTagged(path, "first", false);

    // Refused without the flag, before any work: no temp file, the old content intact.
    CHECK_THROWS_AS(H5Writer::create(path, false), UserError);
    CHECK_THROWS_WITH(H5Writer::create(path, false), Contains(path) && Contains("exists; pass --overwrite"));
    CHECK(dir.entries() == std::set<std::string>{"out.h5"});
    CHECK(H5Reader(path).readStringAttribute("/", "tag") == "first");

    // With the flag: the old file stays whole until commit, then the new one replaces it.
    {
        H5Writer w = H5Writer::create(path, true);
        w.setStringAttribute("/", "format", "corestride");
        w.setStringAttribute("/", "tag", "second");
        CHECK(H5Reader(path).readStringAttribute("/", "tag") == "first");
        CHECK(fs::exists(w.tempPath()));
        w.commit();
    }
    CHECK(H5Reader(path).readStringAttribute("/", "tag") == "second");
    CHECK(dir.entries() == std::set<std::string>{"out.h5"});

    // A failed overwrite (no commit) leaves the previous file as it was.
    {
        H5Writer w = H5Writer::create(path, true);
        w.setStringAttribute("/", "tag", "third");
    }
    CHECK(H5Reader(path).readStringAttribute("/", "tag") == "second");
    CHECK(dir.entries() == std::set<std::string>{"out.h5"});
}

TEST_CASE("h5: a writer destroyed without commit leaves no file, and commit leaves exactly one", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("run.h5");
    std::string temp;
    {
        H5Writer w = H5Writer::create(path, false);
        w.writeDoubles("/t", {1, 2, 3}, "s");
        temp = w.tempPath();
        CHECK(temp == path + ".tmp." + std::to_string(::getpid()));
        CHECK(dir.entries() == std::set<std::string>{fs::path(temp).filename().string()});
    }
    CHECK(dir.entries().empty());

    // Unwinding from an exception cleans up the same way.
    CHECK_THROWS_WITH(([&] {
                          H5Writer w = H5Writer::create(path, false);
                          w.writeDoubles("/t", {1, 2, 3}, "s");
                          w.writeDoubles("/t", {4, 5, 6}, "s");  // exists already: throws
                      }()),
                      Contains(path) && Contains("/t") && Contains("cannot create dataset"));
    CHECK(dir.entries().empty());

    // A moved writer is committed once, by its new owner.
    H5Writer first = H5Writer::create(path, false);
    first.writeDoubles("/t", {1, 2, 3}, "s");
    H5Writer second = std::move(first);
    second.commit();
    CHECK(dir.entries() == std::set<std::string>{"run.h5"});
    CHECK(H5Reader(path).readDoubles("/t") == std::vector<double>{1, 2, 3});
}

TEST_CASE("h5: reader errors name the file and the object", "[h5]") {
    TempDir dir;
    const std::string missing = dir.file("missing.h5");
    CHECK_THROWS_AS(H5Reader(missing), UserError);
    CHECK_THROWS_WITH(H5Reader(missing), Contains(missing) && Contains("no such file"));

    const std::string text = dir.file("not_hdf5.h5");
    std::ofstream(text) << "time,value\n0,1\n";
    CHECK_THROWS_WITH(H5Reader(text), Contains(text) && Contains("not an HDF5 file"));

    const std::string path = dir.file("ok.h5");
    {
        H5Writer w = H5Writer::create(path, false);
        w.writeMatrix("/runs/a/q", 1, 2, {1, 2}, "rad");
        w.writeStrings("/names", {"a"});
        w.commit();
    }
    H5Reader r(path);
    CHECK_THROWS_WITH(r.readMatrix("/runs/b/q"), Contains(path) && Contains("/runs/b/q"));
    CHECK_THROWS_WITH(r.readDoubles("/runs/a/q"), Contains("/runs/a/q") && Contains("2 dimensions, expected 1"));
    CHECK_THROWS_WITH(r.readStringAttribute("/runs/a/q", "frame"),
                      Contains(path) && Contains("/runs/a/q") && Contains("'frame'"));
    CHECK_THROWS_WITH(r.readDoubleAttribute("/runs/a/q", "units"), Contains("'units' is not numeric"));
    CHECK_THROWS_WITH(r.readMatrix("/names"), Contains("/names") && Contains("not numeric"));
    CHECK_THROWS_WITH(r.children("/runs/a/q"), Contains("/runs/a/q") && Contains("cannot open group"));

    // Writer errors too: a dataset where a group is needed.
    H5Writer w = H5Writer::create(dir.file("bad.h5"), false);
    w.writeDoubles("/runs", {1}, "s");
    CHECK_THROWS_WITH(w.writeDoubles("/runs/a", {1}, "s"),
                      Contains(dir.file("bad.h5")) && Contains("/runs: exists and is not a group"));
}

TEST_CASE("h5: fixed-length strings, as MATLAB writes them, are read too", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("fixed.h5");
    writeTagged(path, "x", false);
    {
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        REQUIRE(file >= 0);
        const hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, 8);
        H5Tset_strpad(type, H5T_STR_SPACEPAD);
        const hsize_t two = 2;
        const hid_t scalar = H5Screate(H5S_SCALAR), pair = H5Screate_simple(1, &two, nullptr);
        const hid_t a1 = H5Acreate2(file, "units", type, scalar, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a1, type, "N*m     ");
        const hid_t a2 = H5Acreate2(file, "columns", type, pair, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a2, type, "x       yy      ");
        H5Aclose(a1);
        H5Aclose(a2);
        H5Sclose(scalar);
        H5Sclose(pair);
        H5Tclose(type);
        H5Fclose(file);
    }
    H5Reader r(path);
    CHECK(r.readStringAttribute("/", "units") == "N*m");
    CHECK(r.readStringListAttribute("/", "columns") == std::vector<std::string>{"x", "yy"});
    CHECK(r.readStringAttribute("/", "tag") == "x");
}

TEST_CASE("h5: --overwrite replaces only regular files that CoreStride wrote, and bad output paths fail before any work",
          "[h5]") {
    const fs::path dir = fs::temp_directory_path() / ("corestride_h5_output_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string scenario = (dir / "s.cfg").string(), ours = (dir / "ours.h5").string();
    std::ofstream(scenario) << "[run]\nname = x\n";
    {
        H5Writer w = H5Writer::create(ours, false);
        w.setStringAttribute("/", "format", "corestride");
        w.commit();
    }
    CHECK_THROWS_WITH(H5Writer::checkOutputFile("", true), Contains("empty output path"));
    CHECK_THROWS_WITH(H5Writer::checkOutputFile(dir.string(), true), Contains("is a directory"));
    CHECK_THROWS_WITH(H5Writer::checkOutputFile("/dev/null", true), Contains("/dev/null") && Contains("not a regular file"));
    CHECK_THROWS_WITH(H5Writer::create("/dev/null", true), Contains("not a regular file"));
    CHECK(fs::is_character_file("/dev/null"));
    // An input given as the output, with --overwrite: refused, and the file keeps its text.
    CHECK_THROWS_WITH(H5Writer::create(scenario, true), Contains("s.cfg") && Contains("not written by CoreStride"));
    std::ifstream in(scenario);
    std::string first;
    std::getline(in, first);
    CHECK(first == "[run]");
    // CoreStride's own file: needs --overwrite, then it is replaced.
    CHECK_THROWS_WITH(H5Writer::create(ours, false), Contains("exists; pass --overwrite"));
    H5Writer again = H5Writer::create(ours, true);
    again.setStringAttribute("/", "format", "corestride");
    again.commit();
    CHECK(H5Reader(ours).readStringAttribute("/", "format") == "corestride");
    fs::remove_all(dir);
}

TEST_CASE("h5: a dataset that claims 10^12 elements gets a clear error, not std::bad_alloc", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("huge.h5");
    // A chunked dataset with a huge extent and no data written: a tiny file.
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t dims[1] = {1000000000000ULL}, chunk[1] = {1024};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(plist, 1, chunk);
    const hid_t dset = H5Dcreate2(file, "time", H5T_IEEE_F64LE, space, H5P_DEFAULT, plist, H5P_DEFAULT);
    REQUIRE(dset >= 0);
    H5Dclose(dset);
    H5Pclose(plist);
    H5Sclose(space);
    H5Fclose(file);
    CHECK(fs::file_size(path) < 100000);
    const H5Reader r(path);
    CHECK_THROWS_WITH(r.readDoubles("/time"), Contains(path) && Contains("claims more than"));
}

TEST_CASE("h5: temporary files of killed writers are removed, those of live ones kept", "[h5]") {
    TempDir dir;
    const std::string path = dir.file("out.h5");
    // A pid above the kernel's default pid_max (4194304 on 64-bit) cannot be a live process.
    const std::string stale = path + ".tmp.9999999", live = path + ".tmp." + std::to_string(::getppid());
    std::ofstream(stale) << "left by a kill -9";
    std::ofstream(live) << "another writer still running";
    writeTagged(path, "x", false);
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(live));
    fs::remove(live);
}

TEST_CASE("h5: copyFrom copies a group with its datasets and attributes, and names both files on failure", "[h5]") {
    TempDir d;
    const std::string src = d.file("src.h5"), dst = d.file("dst.h5");
    {
        H5Writer w = H5Writer::create(src, false);
        w.writeDoubles("/runs/a/time", {0.0, 0.5, 1.0}, "s");
        w.setStringAttribute("/runs/a", "status", "ok");
        w.commit();
    }
    H5Writer w = H5Writer::create(dst, false);
    w.createGroup("/runs");
    w.copyFrom(src, "/runs/a");
    CHECK_THROWS_WITH(w.copyFrom(src, "/runs/missing"), Contains(src) && Contains("/runs/missing") && Contains(w.tempPath()));
    CHECK_THROWS_WITH(w.copyFrom(d.file("absent.h5"), "/runs/a"), Contains("absent.h5"));
    w.commit();
    H5Reader r(dst);
    CHECK(r.readDoubles("/runs/a/time") == std::vector<double>{0.0, 0.5, 1.0});
    CHECK(r.readStringAttribute("/runs/a/time", "units") == "s");
    CHECK(r.readStringAttribute("/runs/a", "status") == "ok");
}
