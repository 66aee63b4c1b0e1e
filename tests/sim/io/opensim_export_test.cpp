#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include <unistd.h>

#include "motion_file.h"
#include "opensim_export.h"
#include "synthetic_results.h"
#include "test_support.h"

using namespace corestride;

TEST_CASE("OpenSim export reads back with the motion-file reader", "[export]") {
    const auto dir = std::filesystem::temp_directory_path() / ("corestride_export_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string results = (dir / "runs.h5").string();
    test::writeSyntheticRuns(results, test::shippedModel());
    const ResultsFile rf = openResults(results);
    const auto files = exportRunToOpenSim(rf, "weak", dir.string());
    REQUIRE(files.size() == 5);

    const MotionTable q = readMotionFile(dir.string() + "/weak_coordinates.mot");
    CHECK(q.angle_unit == AngleUnit::Degrees);
    CHECK(q.labels.size() == test::shippedModel().coordinates().size());
    CHECK(q.time.size() == 101);
    CHECK(q.labels[0] == "pelvis_tilt");
    // Coordinate c is 0.001 (c + 1) t: rotations come back in degrees, translations in metres.
    const auto& coords = test::shippedModel().coordinates();
    for (std::size_t c = 0; c < coords.size(); ++c) {
        const double v = 0.001 * static_cast<double>(c + 1) * 0.5;
        CHECK(q.interpolate(static_cast<int>(c), 0.5) == Approx(coords[c].rotational ? v * 180 / M_PI : v));
    }

    const MotionTable loads = readMotionFile(dir.string() + "/weak_lumbar_loads.sto");
    CHECK(loads.angle_unit == AngleUnit::Radians);
    const int comp = loads.column("L5_S1_compression");
    REQUIRE(comp >= 0);
    CHECK(loads.interpolate(comp, 0.5) == Approx(1000 + 200 * 0.5 + 100));
    CHECK(loads.column("L1_L2_moment_z") >= 0);

    const MotionTable forces = readMotionFile(dir.string() + "/weak_forces.sto");
    CHECK(forces.interpolate(forces.column("m2"), 0.25) == Approx(5.0));
    const MotionTable act = readMotionFile(dir.string() + "/weak_activations.sto");
    CHECK(act.interpolate(act.column("m3"), 0.7) == Approx(0.3));

    const MotionTable grf = readMotionFile(dir.string() + "/weak_grf.mot");
    CHECK(grf.interpolate(grf.column("R_ground_force_vy"), 0.1) == Approx(500));
    CHECK(grf.interpolate(grf.column("L_ground_force_vy"), 0.3) == Approx(500));
    CHECK(grf.interpolate(grf.column("R_ground_force_px"), 0.6) == Approx(0.06));
    CHECK(grf.interpolate(grf.column("L_ground_torque_y"), 0.6) == Approx(1.5));
    std::filesystem::remove_all(dir);
}
