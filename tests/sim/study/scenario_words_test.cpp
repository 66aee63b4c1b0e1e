#include <catch2/catch.hpp>

#include "scenario_words.h"

using namespace corestride;
using Catch::Matchers::Contains;

TEST_CASE("describeScenario: the runner first, then each setting that differs from the defaults", "[scenario]") {
    const auto healthy = describeScenario(Scenario::resolve("", {}));
    REQUIRE(healthy.size() == 2);
    CHECK_THAT(healthy[0], Contains("75 kg") && Contains("1.75 m") && Contains("3.5 m/s") && Contains("1 stride."));
    CHECK(healthy[1] == "No muscle weakness.");

    const auto weak = describeScenario(Scenario::resolve(
        "", {{"weakness.glute_med_r", "0.4"}, {"weakness.deep_core", "0.25"}, {"tightness.hip_flexors", "0.5"},
             {"running.strides", "3"}, {"control.kp", "100"}, {"weakness.group.obliques", "0.1"}}));
    CHECK_THAT(weak[0], Contains("3 strides"));
    CHECK(weak[1] == "Right gluteus medius 40% weaker.");
    CHECK_THAT(weak[2], Contains("Deep core") && Contains("25% weaker"));
    CHECK_THAT(weak[3], Contains("Tight hip flexors") && Contains("0.5"));
    CHECK(weak[4] == "Muscle group obliques 10% weaker.");
    CHECK_THAT(weak[5], Contains("control.kp = 100 1/s^2"));   // no dedicated wording: key, value, unit, help
    CHECK(weak.size() == 6);
    for (const auto& line : weak) CHECK(line != "No muscle weakness.");
}

TEST_CASE("describeScenario: a per-coordinate reserve price is stated with the global one", "[scenario]") {
    const auto d = describeScenario(Scenario::resolve("", {{"control.reserve_optimal.lumbar_rotation", "10"}}));
    REQUIRE(d.size() == 3);
    CHECK(d[1] == "No muscle weakness.");
    CHECK_THAT(d[2], Contains("lumbar_rotation") && Contains("10 N m instead of 1 N m"));
}
