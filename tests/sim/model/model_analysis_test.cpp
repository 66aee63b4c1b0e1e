#include <catch2/catch.hpp>

#include <cmath>

#include "model.h"
#include "model_analysis.h"
#include "model_parser.h"
#include "muscle_path.h"
#include "test_models.h"

using namespace corestride;

// Closed form for the tiny model's flexor: origin (a, h1) on the pelvis, insertion (a, -h2)
// on the femur turned by q about z. L(q) = |R(q)(a, -h2) - (a, h1)|; r = -dL/dq.
static double flexorMomentArm(double q) {
    const double a = 0.05, h1 = 0.1, h2 = 0.2;
    const double x = a * std::cos(q) + h2 * std::sin(q) - a, y = a * std::sin(q) - h2 * std::cos(q) - h1;
    const double dx = -a * std::sin(q) + h2 * std::cos(q), dy = a * std::cos(q) + h2 * std::sin(q);
    return -(x * dx + y * dy) / std::hypot(x, y);
}

TEST_CASE("moment arms: generalized force of unit tension = -dL/dq = closed form", "[model_analysis]") {
    auto m = Model::build(parseModelText(test::tinyModelText(), "tiny.model"), Subject{20, 1.0});
    const int hip = m->coordinateIndex("hip_flexion");
    for (double q : {-0.4, 0.0, 0.3, 0.9}) {
        SimTK::State s = m->defaultState();
        m->setCoordinate(s, hip, q);
        m->system().realize(s, SimTK::Stage::Position);
        const double r = calcMomentArm(*m, s, 0, hip);
        CHECK(r == Approx(flexorMomentArm(q)).epsilon(1e-10));
        CHECK(calcMomentArmByDifferences(*m, s, 0, hip) == Approx(r).epsilon(1e-6));
    }
    CHECK(flexorMomentArm(0.0) == Approx(0.05));
}

TEST_CASE("a lumbar global coordinate's moment arm is the ratio-weighted sum over levels", "[model_analysis]") {
    auto m = Model::build(parseModelText(test::tinyModelText(), "tiny.model"), Subject{20, 1.0});
    const int ext = m->coordinateIndex("lumbar_extension"), bend = m->coordinateIndex("lumbar_bending");
    const int es = m->muscleIndex("erector");
    for (double q : {-0.3, 0.0, 0.2}) {
        SimTK::State s = m->defaultState();
        m->setCoordinate(s, ext, q);
        m->setCoordinate(s, bend, 0.1);
        m->system().realize(s, SimTK::Stage::Position);
        const double r = calcMomentArm(*m, s, es, ext);
        CHECK(r == Approx(calcMomentArmByDifferences(*m, s, es, ext)).epsilon(1e-6));
        CHECK(r > 0.04);  // posterior muscle extends (6 cm behind the joints)
    }
}

TEST_CASE("moving path points: moment arm and lengthening speed include the point's motion", "[model_analysis]") {
    auto m = Model::build(parseModelText(test::tinyModelText(), "tiny.model"), Subject{20, 1.0});
    const int hip = m->coordinateIndex("hip_flexion"), mover = m->muscleIndex("mover");
    for (double q : {-0.8, -0.3, 0.2, 0.7}) {
        SimTK::State s = m->defaultState();
        m->setCoordinate(s, hip, q);
        s.updU()[m->coordinates()[hip].u[0]] = 1.3;
        m->system().realize(s, SimTK::Stage::Velocity);
        const double r = calcMomentArm(*m, s, mover, hip);
        CHECK(r == Approx(calcMomentArmByDifferences(*m, s, mover, hip)).epsilon(1e-6));
        // dL/dt = -r qdot along this motion.
        PathGeometry path;
        calcPathGeometry(*m, s, mover, path);
        CHECK(calcLengtheningSpeed(*m, s, path) == Approx(-r * 1.3).epsilon(1e-9));
    }
}
