#include <catch2/catch.hpp>

#include <regex>

#include "error.h"
#include "model_parser.h"
#include "test_models.h"

using namespace corestride;

namespace {

// Replaces the first occurrence of `from` in the tiny model and parses the result.
std::string parseErrorAfter(const std::string& from, const std::string& to) {
    std::string text = test::tinyModelText();
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    try {
        parseModelText(text, "bad.model");
    } catch (const UserError& e) {
        return e.what();
    }
    FAIL("no error for: " << to);
    return "";
}

// 1-based line of the first line containing `needle` in the tiny model after the edit.
std::string lineOf(const std::string& needle) {
    const std::string text = test::tinyModelText();
    int line = 1;
    for (size_t i = 0; i < text.find(needle); ++i) line += text[i] == '\n';
    return "bad.model:" + std::to_string(line) + ":";
}

}  // namespace

TEST_CASE("the tiny model parses with its records", "[model_parser]") {
    const ModelDescription d = parseModelText(test::tinyModelText(), "tiny.model");
    CHECK(d.name == "tiny");
    CHECK(d.bodies.size() == 5);
    CHECK(d.joints.size() == 5);
    CHECK(d.muscles.size() == 3);
    CHECK(d.muscles[2].points[1].knots.size() == 3);
    CHECK(d.muscles[0].points.size() == 2);
    CHECK(d.muscles[1].pennation == Approx(10 * M_PI / 180));
    CHECK(d.coordinates[0].range_hi == Approx(M_PI / 2));
    CHECK(d.joints[1].ratios[0] == 0.4);
}

TEST_CASE("model file errors name file, line and field", "[model_parser]") {
    using Catch::Matchers::Contains;
    // Unknown body as a joint parent.
    std::string msg = parseErrorAfter("parent=L2 child=L1", "parent=L9 child=L1");
    CHECK_THAT(msg, Contains(lineOf("joint L1_L2")) && Contains("field 'parent'") && Contains("unknown body 'L9'"));
    // Missing required field.
    msg = parseErrorAfter("body femur mass=3 ", "body femur ");
    CHECK_THAT(msg, Contains(lineOf("body femur")) && Contains("field 'mass'") && Contains("missing"));
    // Duplicate field.
    msg = parseErrorAfter("body L2 mass=1", "body L2 mass=1 mass=2");
    CHECK_THAT(msg, Contains(lineOf("body L2")) && Contains("field 'mass'") && Contains("duplicate"));
    // Negative and NaN mass.
    msg = parseErrorAfter("body L1 mass=1", "body L1 mass=-1");
    CHECK_THAT(msg, Contains(lineOf("body L1")) && Contains("field 'mass'") && Contains("-1"));
    msg = parseErrorAfter("body L1 mass=1", "body L1 mass=nan");
    CHECK_THAT(msg, Contains(lineOf("body L1")) && Contains("field 'mass'") && Contains("nan"));
    // Unknown group.
    msg = parseErrorAfter("groups=flexors", "groups=flexorz");
    CHECK_THAT(msg, Contains(lineOf("muscle flexor")) && Contains("field 'groups'") && Contains("unknown group 'flexorz'"));
    // A path point on a body that does not exist.
    msg = parseErrorAfter("point body=femur", "point body=tibia");
    CHECK_THAT(msg, Contains(lineOf("point body=femur")) && Contains("field 'body'") && Contains("unknown body 'tibia'"));
    // Duplicate body.
    msg = parseErrorAfter("body L1 mass=1", "body L2 mass=1");
    CHECK_THAT(msg, Contains(lineOf("body L1")) && Contains("duplicate body 'L2'"));
    // Not a number, unknown field, unknown record.
    msg = parseErrorAfter("fmax=1000", "fmax=1e3x");
    CHECK_THAT(msg, Contains(lineOf("muscle flexor")) && Contains("field 'fmax'") && Contains("'1e3x' is not a number"));
    msg = parseErrorAfter("fmax=1000", "fmax=1000 colour=red");
    CHECK_THAT(msg, Contains("field 'colour'") && Contains("unknown field"));
    msg = parseErrorAfter("group back", "grup back");
    CHECK_THAT(msg, Contains(lineOf("group back")) && Contains("unknown record 'grup'"));
    // Coupling ratios must sum to one per global coordinate.
    msg = parseErrorAfter("ratios=0.6,0.7,0.5", "ratios=0.6,0.7,0.6");
    CHECK_THAT(msg, Contains("field 'ratios'") && Contains("lumbar_rotation") && Contains("not 1"));
    // Reversed range.
    msg = parseErrorAfter("range_deg=-30,120", "range_deg=120,-30");
    CHECK_THAT(msg, Contains(lineOf("coordinate hip_flexion")) && Contains("reversed"));
}

TEST_CASE("a missing model file is a user error naming the file", "[model_parser]") {
    CHECK_THROWS_WITH(readModelFile("/nonexistent/x.model"), Catch::Matchers::Contains("/nonexistent/x.model"));
}
