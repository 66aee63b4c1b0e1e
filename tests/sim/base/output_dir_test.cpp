#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "error.h"
#include "output_dir.h"

using namespace corestride;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

TEST_CASE("OutputDir: atomic replace, refusal without overwrite, cleanup on failure", "[output]") {
    const fs::path base = fs::temp_directory_path() / ("corestride_outdir_" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base);
    const std::string out = (base / "report").string();
    {
        OutputDir d(out, false);
        CHECK_FALSE(fs::exists(out));
        std::ofstream(d.path() + "/a.txt") << "first";
        d.commit();
    }
    CHECK(fs::exists(out + "/a.txt"));
    CHECK_THROWS_WITH(OutputDir(out, false), Contains("exists") && Contains("--overwrite"));
    {
        OutputDir d(out + "/", true);   // a trailing slash names the same directory
        std::ofstream(d.path() + "/b.txt") << "second";
        CHECK(fs::exists(out + "/a.txt"));   // the old output stays until commit
        d.commit();
    }
    CHECK(fs::exists(out + "/b.txt"));
    CHECK_FALSE(fs::exists(out + "/a.txt"));
    std::string temp;
    {
        OutputDir d(out, true);   // never committed: the old output is kept, the temporary removed
        temp = d.path();
        std::ofstream(d.path() + "/c.txt") << "lost";
    }
    CHECK_FALSE(fs::exists(temp));
    CHECK(fs::exists(out + "/b.txt"));
    CHECK(fs::exists(out + "/" + OutputDir::kMarker));
    // A directory corestride did not write is never replaced, even with overwrite.
    fs::create_directories(base / "mine");
    std::ofstream((base / "mine" / "notes.txt").string()) << "keep";
    CHECK_THROWS_WITH(OutputDir((base / "mine").string(), true), Contains("not written by corestride"));
    CHECK(fs::exists(base / "mine" / "notes.txt"));
    // Nor one that holds an input of the command.
    std::ofstream(out + "/input.h5") << "results";
    CHECK_THROWS_WITH(OutputDir(out, true, {out + "/input.h5"}), Contains("holds the input"));
    CHECK(fs::exists(out + "/input.h5"));
    fs::remove_all(base / "mine");
    std::ofstream((base / "file").string()) << "x";
    CHECK_THROWS_WITH(OutputDir((base / "file").string(), true), Contains("not a directory"));
    CHECK(fs::directory_iterator(base) != fs::directory_iterator());
    std::size_t entries = 0;
    for (auto it = fs::directory_iterator(base); it != fs::directory_iterator(); ++it) ++entries;
    CHECK(entries == 2);   // report/ and file: no .tmp or .old leftovers
    fs::remove_all(base);
}
