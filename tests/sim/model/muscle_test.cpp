#include <catch2/catch.hpp>

#include <cmath>

#include "muscle.h"
#include "muscle_curves.h"

using namespace corestride;

namespace {
Muscle testMuscle(double penn_deg) {
    Muscle m;
    m.fmax = 1000; m.lopt = 0.1; m.lts = 0.2; m.pennation = penn_deg * M_PI / 180; m.vmax = 10;
    return m;
}
}  // namespace

TEST_CASE("rigid tendon: isometric force at optimal length is fmax cos(pennation)", "[muscle]") {
    for (double penn : {0.0, 20.0}) {
        Muscle m = testMuscle(penn);
        const double p = m.pennation;
        MuscleState s;
        calcRigidTendonMuscle(m, m.lts + m.lopt * std::cos(p), 0.0, 1.0, 1.0, s);
        CHECK(s.fiber_length == Approx(m.lopt));
        CHECK(s.force == Approx(1000 * std::cos(p)).epsilon(1e-9));
        CHECK(s.force_passive == Approx(0).margin(1e-12));
        // Strength scales fmax; activation scales the active part linearly.
        calcRigidTendonMuscle(m, m.lts + m.lopt * std::cos(p), 0.0, 0.5, 0.6, s);
        CHECK(s.force == Approx(0.5 * 0.6 * 1000 * std::cos(p)).epsilon(1e-9));
    }
}

TEST_CASE("rigid tendon: shortening lowers and lengthening raises the force", "[muscle]") {
    Muscle m = testMuscle(0);
    MuscleState iso, con, ecc;
    calcRigidTendonMuscle(m, 0.3, 0.0, 1.0, 1.0, iso);
    calcRigidTendonMuscle(m, 0.3, -0.5, 1.0, 1.0, con);
    calcRigidTendonMuscle(m, 0.3, 0.5, 1.0, 1.0, ecc);
    CHECK(con.force == Approx(1000 * forceVelocity(-0.5)));
    CHECK(con.force < iso.force);
    CHECK(ecc.force > iso.force);
    // Passive force past optimal length, even inactive.
    MuscleState stretched;
    calcRigidTendonMuscle(m, 0.2 + 0.13, 0.0, 0.0, 1.0, stretched);
    CHECK(stretched.force == Approx(1000 * passiveForceLength(1.3)));
}

TEST_CASE("compliant tendon: equilibrium fibre length balances tendon and fibre", "[muscle]") {
    Muscle m = testMuscle(15);
    const double length = 0.3;
    const double ln = equilibriumFiberLength(m, length, 0.8, 1.0);
    MuscleState s;
    calcCompliantTendonMuscle(m, length, 0.0, ln, 0.8, 1.0, s);
    CHECK(std::abs(s.fiber_velocity) < 1e-8);
    // Tendon force = fibre force along the tendon at zero velocity.
    const double fibre = 1000 * (0.8 * activeForceLength(ln) + passiveForceLength(ln)) * s.cos_pennation;
    CHECK(s.force == Approx(fibre).epsilon(1e-4));
    // The tendon is stretched: the fibre is shorter than in the rigid-tendon model.
    MuscleState rigid;
    calcRigidTendonMuscle(m, length, 0.0, 0.8, 1.0, rigid);
    CHECK(s.fiber_length < rigid.fiber_length);
    CHECK(s.force < rigid.force * 1.01);
}
