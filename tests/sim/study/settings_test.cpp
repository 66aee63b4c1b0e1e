// settings: every key of the scenario table reaches a typed field, with its value.
#include <catch2/catch.hpp>

#include <algorithm>

#include "scenario.h"
#include "settings.h"

using namespace corestride;

TEST_CASE("settings: every scenario key is read into a typed field, and nothing else is", "[settings]") {
    std::vector<std::string> table;
    for (const KeySpec& k : scenarioKeys()) table.push_back(k.name);
    std::sort(table.begin(), table.end());
    CHECK(settingsKeys() == table);
}

TEST_CASE("settings: values, choices and the open weakness families arrive typed", "[settings]") {
    const Scenario s = Scenario::resolve("", {{"subject.mass", "62.5"},
                                              {"running.stride", "measured"},
                                              {"running.strides", "3"},
                                              {"motion.source", "standing"},
                                              {"control.mode", "compensate"},
                                              {"compensation.deviation_weight", "0.5"},
                                              {"compensation.nodes", "30"},
                                              {"control.cost", "cubed"},
                                              {"control.lumbar_balance", "coordinates"},
                                              {"control.kp", "100"},
                                              {"weakness.neural", "yes"},
                                              {"weakness.group.glute_max", "0.25"},
                                              {"weakness.muscle.gmed1_r", "0.5"},
                                              {"control.reserve_optimal.hip_rotation_r", "10"},
                                              {"training.program", "side_plank,bird_dog"},
                                              {"training.apply", "yes"}});
    const Settings& t = s.settings();
    CHECK(t.run.name == "baseline");
    CHECK(t.subject.mass_kg == 62.5);
    CHECK(t.subject.height_m == 1.75);
    CHECK_FALSE(t.running.symmetric);
    CHECK(t.running.strides == 3);
    CHECK(t.motion.source == MotionSource::Standing);
    CHECK(t.motion.residual_reduction);
    CHECK(t.control.mode == ControlMode::Compensate);
    CHECK(t.compensation.deviation_weight == 0.5);
    CHECK(t.compensation.nodes == 30);
    CHECK(t.compensation.harmonics == 3);
    CHECK(t.control.cost == ActivationCost::Cubed);
    CHECK_FALSE(t.control.balance_levels);
    CHECK(t.control.kp_per_s2 == 100);
    CHECK(t.control.interval_s == 0.0025);
    CHECK(t.weakness.neural);
    CHECK(t.weakness.groups == std::map<std::string, double>{{"glute_max", 0.25}});
    CHECK(t.weakness.muscles == std::map<std::string, double>{{"gmed1_r", 0.5}});
    CHECK(t.control.reserve_optimal_coordinate_Nm == std::map<std::string, double>{{"hip_rotation_r", 10}});
    CHECK_FALSE(t.training.all_exercises);
    CHECK(t.training.program == std::vector<std::string>{"side_plank", "bird_dog"});
    CHECK(t.training.apply);
    const CmcOptions o = cmcOptions(t);
    CHECK(o.kp == 100);
    CHECK(o.mode == ControlMode::Compensate);
    CHECK_FALSE(o.balance_levels);
    CHECK(o.reserve_optimal_coordinate == std::map<std::string, double>{{"hip_rotation_r", 10}});

    const Scenario defaults = Scenario::resolve("", {});   // settings() refers into its Scenario
    const Settings& d = defaults.settings();
    CHECK(d.control.balance_levels);
    CHECK(d.training.all_exercises);
    CHECK(d.training.program.empty());
    CHECK(d.motion.source == MotionSource::Builtin);
    CHECK(d.weakness.groups.empty());
    // Names separated by ", " (as people write lists) are the same names.
    const Scenario listed = Scenario::resolve("", {{"training.program", "side_plank, bird_dog"}});
    const Settings& spaced = listed.settings();
    CHECK(spaced.training.program == std::vector<std::string>{"side_plank", "bird_dog"});
}
