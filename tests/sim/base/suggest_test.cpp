#include <catch2/catch.hpp>

#include "suggest.h"

using namespace corestride;

TEST_CASE("closest names: containment first, then small edit distances, in the caller's order", "[suggest]") {
    const std::vector<std::string> exercises{"bird_dog", "cat_camel", "glute_bridge", "running_man",
                                             "side_lying_leg_raise", "side_plank", "single_leg_squat"};
    CHECK(closestNames("plank", exercises) == std::vector<std::string>{"side_plank"});
    CHECK(closestNames("Side_Plank", exercises) == std::vector<std::string>{"side_plank"});
    CHECK(closestNames("brid_dog", exercises) == std::vector<std::string>{"bird_dog"});
    CHECK(closestNames("swimming", exercises).empty());
    const std::vector<std::string> keys{"running.speed", "running.stride", "running.strides"};
    CHECK(closestNames("running.sped", keys).front() == "running.speed");
    // Ties keep the caller's order (L5/S1 metrics listed first are suggested first).
    CHECK(closestNames("compression", {"L5_S1_peak_compression_N", "L4_L5_peak_compression_N"}, 1) ==
          std::vector<std::string>{"L5_S1_peak_compression_N"});
}

TEST_CASE("did you mean: one phrase, or nothing", "[suggest]") {
    CHECK(didYouMean("plank", {"side_plank", "bird_dog"}) == " (did you mean side_plank?)");
    CHECK(didYouMean("x_N", {"a_N", "b_N"}, 2) == " (did you mean a_N or b_N?)");
    CHECK(didYouMean("zzzzzz", {"side_plank"}).empty());
}
