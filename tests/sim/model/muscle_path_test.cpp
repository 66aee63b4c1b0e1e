#include <catch2/catch.hpp>

#include <cmath>

#include "muscle_path.h"

using namespace corestride;
using SimTK::Vec3;

TEST_CASE("cylinder wrap: symmetric case against the closed form", "[muscle_path]") {
    const double R = 0.03, D = 0.1;
    Vec3 T1, T2;
    double arc = 0;
    // The straight line passes through the axis: the path goes round the +y side.
    REQUIRE(wrapCylinder(Vec3(-D, 0, 0), Vec3(D, 0, 0), Vec3(0), Vec3(0, 0, 1), Vec3(0, 1, 0), R, T1, T2, arc));
    const double alpha = std::acos(R / D);
    CHECK(arc == Approx(R * (M_PI - 2 * alpha)));
    CHECK(T1[1] > 0);
    CHECK(T2[1] > 0);
    CHECK(T1.norm() == Approx(R));
    const double total = (T1 - Vec3(-D, 0, 0)).norm() + arc + (Vec3(D, 0, 0) - T2).norm();
    CHECK(total == Approx(2 * std::sqrt(D * D - R * R) + R * (M_PI - 2 * alpha)));
    // Tangency: the straight part is perpendicular to the radius at the tangent point.
    CHECK(SimTK::dot(T1 - Vec3(-D, 0, 0), T1) == Approx(0).margin(1e-14));
}

TEST_CASE("cylinder wrap: helical path unrolls to a straight line", "[muscle_path]") {
    const double R = 0.03, D = 0.1, H = 0.05;
    Vec3 T1, T2;
    double arc = 0;
    REQUIRE(wrapCylinder(Vec3(-D, 0, -H), Vec3(D, 0, H), Vec3(0), Vec3(0, 0, 1), Vec3(0, 1, 0), R, T1, T2, arc));
    const double l2 = 2 * std::sqrt(D * D - R * R) + R * (M_PI - 2 * std::acos(R / D));
    const double total = (T1 - Vec3(-D, 0, -H)).norm() + arc + (Vec3(D, 0, H) - T2).norm();
    CHECK(total == Approx(std::sqrt(l2 * l2 + 4 * H * H)).epsilon(1e-12));
}

TEST_CASE("cylinder wrap: the constrained side decides", "[muscle_path]") {
    const double R = 0.03, D = 0.1;
    Vec3 T1, T2;
    double arc = 0;
    // Clears the cylinder on the allowed (+y) side: straight.
    CHECK_FALSE(wrapCylinder(Vec3(-D, 2 * R, 0), Vec3(D, 2 * R, 0), Vec3(0), Vec3(0, 0, 1), Vec3(0, 1, 0), R, T1, T2, arc));
    // Passes on the forbidden side: pulled round the allowed side.
    CHECK(wrapCylinder(Vec3(-D, -2 * R, 0), Vec3(D, -2 * R, 0), Vec3(0), Vec3(0, 0, 1), Vec3(0, 1, 0), R, T1, T2, arc));
    CHECK(T1[1] > 0);
    // The cylinder is not between the points: straight.
    CHECK_FALSE(wrapCylinder(Vec3(0.2, 0, 0), Vec3(0.3, 0, 0), Vec3(0), Vec3(0, 0, 1), Vec3(0, 1, 0), R, T1, T2, arc));
    // Continuity where wrapping starts: the wrapped length equals the straight one at contact.
    const double y = R + 1e-9;
    REQUIRE(wrapCylinder(Vec3(-D, y - 1e-8, 0), Vec3(D, y - 1e-8, 0), Vec3(0), Vec3(0, 0, 1), Vec3(0, 1, 0), R, T1, T2, arc));
    const double wrapped = (T1 - Vec3(-D, y - 1e-8, 0)).norm() + arc + (Vec3(D, y - 1e-8, 0) - T2).norm();
    CHECK(wrapped == Approx(2 * D).epsilon(1e-6));
}
