#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "error.h"
#include "exercise.h"
#include "model.h"
#include "model_parser.h"

#include "test_support.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

const Model& builtInModel() { return test::shippedModel(); }

// A fresh temporary directory for this process.
std::string tempDir(const std::string& tag) {
    const std::string dir = "/tmp/corestride_exercise_test_" + std::to_string(::getpid()) + "_" + tag;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::string writeFile(const std::string& dir, const std::string& file, const std::string& text) {
    const std::string path = dir + "/" + file;
    std::ofstream(path) << text;
    return path;
}

const char* kGood =
    "# a test exercise\n"
    "exercise bad title=Bad dose=reps reps=10 each_side=yes sessions_per_week=2,3 dose_source=test\n"
    "load group=glute_med side=loaded mvc_pct=74 source=Ekstrom_2007 status=unverified\n";

// The error message of reading `text` as bad.exercise, after replacing `from` with `to`.
std::string errorAfter(const std::string& from, const std::string& to, const std::string& base = kGood) {
    std::string text = base;
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    const std::string path = writeFile(tempDir("err"), "bad.exercise", text);
    try {
        readExerciseFile(path);
    } catch (const UserError& e) {
        return e.what();
    }
    FAIL("no error for: " << to);
    return "";
}

const ExerciseLoad* findLoad(const Exercise& e, const std::string& group) {
    for (const ExerciseLoad& l : e.loads)
        if (l.group == group) return &l;
    return nullptr;
}

}  // namespace

TEST_CASE("every shipped exercise parses and validates against the built-in model", "[exercise]") {
    const std::vector<Exercise> lib = readExerciseLibrary(defaultExerciseDir());
    std::vector<std::string> names;
    for (const Exercise& e : lib) names.push_back(e.name);
    CHECK(names == std::vector<std::string>{"bird_dog", "cat_camel", "glute_bridge", "running_man",
                                            "side_lying_leg_raise", "side_plank", "single_leg_squat"});
    for (const Exercise& e : lib) {
        INFO(e.name);
        CHECK_NOTHROW(validateExercise(e, builtInModel()));
        CHECK(!e.loads.empty());
        CHECK(!e.dose_source.empty());
        CHECK(e.sessions_per_week.lo == 2);
        CHECK(e.sessions_per_week.hi == 3);
        CHECK(e.sessions_per_week.mid() == 2.5);
        for (const ExerciseLoad& l : e.loads) {
            CHECK(!l.source.empty());
            CHECK(l.mvc >= 0);
            CHECK(l.mvc <= 1.0);
        }
    }
    // Values and doses as the cited papers (Ekstrom et al. 2007, Distefano et al. 2009) and the runners' article give them.
    const Exercise& plank = lib[5];
    REQUIRE(plank.name == "side_plank");
    CHECK(plank.dose == DoseKind::Hold);
    CHECK(plank.hold_s.lo == 15);
    CHECK(plank.hold_s.hi == 20);
    CHECK(!plank.reps.given());
    CHECK(plank.each_side);
    REQUIRE(findLoad(plank, "glute_med"));
    CHECK(findLoad(plank, "glute_med")->mvc == Approx(0.74));
    CHECK(findLoad(plank, "glute_med")->side == LoadSide::Loaded);
    CHECK(findLoad(plank, "glute_med")->status == ValueStatus::Unverified);
    CHECK(findLoad(plank, "quadratus_lumborum")->mvc == Approx(0.50));
    const Exercise& raise = lib[4];
    CHECK(raise.reps.lo == 10);
    CHECK(findLoad(raise, "glute_med")->mvc == Approx(0.81));
    CHECK(findLoad(raise, "glute_med")->status == ValueStatus::Checked);
    CHECK(lib[0].hold_s.lo == 30);                                  // bird dog 30 s holds
    CHECK(lib[1].reps.lo == 5);                                     // cat-camel 5-10 reps
    CHECK(lib[1].reps.hi == 10);
    CHECK(!lib[1].each_side);
    // The two exercises without published amplitudes are estimates.
    for (const Exercise* e : {&lib[1], &lib[3]})
        for (const ExerciseLoad& l : e->loads) CHECK(l.status == ValueStatus::Estimate);
    CHECK(lib[3].loads.size() == 2);
    CHECK(toString(ValueStatus::Estimate) == std::string("estimate"));
    CHECK(toString(LoadSide::Opposite) == std::string("opposite"));
}

TEST_CASE("exercise file errors name file, line and field", "[exercise]") {
    const std::string line2 = "bad.exercise:2: ";
    const std::string line3 = "bad.exercise:3: ";
    CHECK_THAT(errorAfter("mvc_pct=74", "mvc_pct=lots"),
               Contains(line3) && Contains("field 'mvc_pct'") && Contains("'lots' is not a number"));
    CHECK_THAT(errorAfter("mvc_pct=74", "mvc_pct=-5"), Contains(line3) && Contains("field 'mvc_pct'") && Contains("negative"));
    CHECK_THAT(errorAfter("mvc_pct=74", "mvc_pct=250"), Contains(line3) && Contains("field 'mvc_pct'") && Contains("200"));
    CHECK_THAT(errorAfter("status=unverified", "status=maybe"), Contains(line3) && Contains("field 'status'") && Contains("'maybe'"));
    CHECK_THAT(errorAfter("side=loaded", "side=left"), Contains(line3) && Contains("field 'side'") && Contains("'left'"));
    CHECK_THAT(errorAfter(" source=Ekstrom_2007", ""), Contains(line3) && Contains("field 'source'") && Contains("missing"));
    CHECK_THAT(errorAfter("status=unverified", "status=unverified colour=red"), Contains(line3) && Contains("field 'colour'") && Contains("unknown field"));
    CHECK_THAT(errorAfter("each_side=yes", "each_side=sometimes"), Contains(line2) && Contains("field 'each_side'"));
    CHECK_THAT(errorAfter("sessions_per_week=2,3", "sessions_per_week=3,2"), Contains(line2) && Contains("field 'sessions_per_week'") && Contains("lo <= hi"));
    CHECK_THAT(errorAfter("sessions_per_week=2,3", "sessions_per_week=2,9"), Contains(line2) && Contains("field 'sessions_per_week'") && Contains("exceed 7"));
    CHECK_THAT(errorAfter("reps=10", "reps=1,2,3"), Contains(line2) && Contains("field 'reps'") && Contains("expected 1 or 2"));
    CHECK_THAT(errorAfter("dose=reps reps=10", "dose=reps"), Contains(line2) && Contains("field 'reps'") && Contains("missing"));
    CHECK_THAT(errorAfter("dose=reps", "dose=hold"), Contains(line2) && Contains("field 'hold_s'") && Contains("missing"));
    CHECK_THAT(errorAfter("dose=reps", "dose=stretch"), Contains(line2) && Contains("field 'dose'"));
    CHECK_THAT(errorAfter("exercise bad ", "exercise good "), Contains(line2) && Contains("field 'name'") && Contains("good.exercise"));
    CHECK_THAT(errorAfter("each_side=yes", "each_side=no"), Contains(line3) && Contains("field 'side'") && Contains("side=both"));
    CHECK_THAT(errorAfter("load group", "lode group"), Contains(line3) && Contains("unknown record 'lode'"));
    const std::string twice = std::string(kGood) + "load group=glute_med side=both mvc_pct=1 source=x status=estimate\n";
    CHECK_THAT(errorAfter("# a test", "#", twice), Contains("bad.exercise:4: field 'group'") && Contains("already loaded on line 3"));
    CHECK_THAT(errorAfter("exercise bad", "# exercise bad"), Contains(line3) && Contains("'load' before the 'exercise' record"));
    CHECK_THROWS_WITH(readExerciseFile("/nonexistent/x.exercise"), Contains("/nonexistent/x.exercise"));

    // An unknown group is caught against a model, naming file, line and field.
    const std::string dir = tempDir("group");
    std::string text = kGood;
    text.replace(text.find("glute_med"), 9, "glute_mega");
    const Exercise e = readExerciseFile(writeFile(dir, "bad.exercise", text));
    CHECK_THROWS_WITH(validateExercise(e, builtInModel()),
                      Contains(dir + "/bad.exercise:3: field 'group'") && Contains("unknown muscle group 'glute_mega'"));
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(tempDir("err"));
}

TEST_CASE("the exercise library reads every file of a directory, sorted by name", "[exercise]") {
    const std::string dir = tempDir("lib");
    std::string b = kGood, a = kGood;
    b.replace(b.find("exercise bad"), 12, "exercise zeta");
    a.replace(a.find("exercise bad"), 12, "exercise alpha");
    writeFile(dir, "zeta.exercise", b);
    writeFile(dir, "alpha.exercise", a);
    writeFile(dir, "notes.txt", "not an exercise\n");
    const std::vector<Exercise> lib = readExerciseLibrary(dir);
    REQUIRE(lib.size() == 2);
    CHECK(lib[0].name == "alpha");
    CHECK(lib[1].name == "zeta");
    CHECK_THROWS_WITH(readExerciseLibrary(tempDir("empty")), Contains("no *.exercise file"));
    CHECK_THROWS_WITH(readExerciseLibrary("/nonexistent/dir"), Contains("/nonexistent/dir"));
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(tempDir("empty"));
}
