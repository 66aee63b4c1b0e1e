#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "model.h"
#include "model_forces.h"
#include "model_parser.h"
#include "muscle.h"
#include "muscle_path.h"
#include "test_models.h"

using namespace corestride;

namespace {
std::shared_ptr<const Model> tiny(double mass = 20, double height = 1.0) {
    return Model::build(parseModelText(test::tinyModelText(), "tiny.model"), Subject{mass, height});
}
}  // namespace

TEST_CASE("masses sum and scale with the subject", "[model]") {
    CHECK(tiny()->totalMass() == Approx(20.0).epsilon(1e-12));
    auto big = tiny(40, 2.0);
    CHECK(big->totalMass() == Approx(40.0).epsilon(1e-12));
    // Lengths scale with height: the flexor's insertion is twice as far from the hip.
    CHECK(big->muscles()[0].path[1].p_B[1] == Approx(-0.4));
    CHECK(big->muscles()[0].lopt == Approx(0.4));
    CHECK(big->muscles()[0].fmax == Approx(1000));  // forces are not scaled
    // Inertia scales with mass * length^2 (= 8x): the femur about its COM.
    const auto& fem = big->matter().getMobilizedBody(big->bodyIndex("femur"));
    auto small = tiny();
    const auto& fem1 = small->matter().getMobilizedBody(small->bodyIndex("femur"));
    const auto I2 = fem.getBodyMassProperties(big->defaultState()).calcCentralInertia();
    const auto I1 = fem1.getBodyMassProperties(small->defaultState()).calcCentralInertia();
    CHECK(I2.getMoments()[0] == Approx(8 * I1.getMoments()[0]));
}

TEST_CASE("coordinates follow OpenSim's names and lumbar levels move by their ratios", "[model]") {
    auto m = tiny();
    CHECK(m->coordinateIndex("pelvis_tx") >= 0);
    CHECK(m->coordinateIndex("hip_flexion") >= 0);
    const int ext = m->coordinateIndex("lumbar_extension"), bend = m->coordinateIndex("lumbar_bending");
    REQUIRE(ext >= 0);
    REQUIRE(m->coordinates()[ext].u.size() == 2);
    SimTK::State s = m->defaultState();
    m->setCoordinate(s, ext, 0.3);
    m->setCoordinate(s, bend, -0.1);
    m->system().realize(s, SimTK::Stage::Position);
    // Constraint errors vanish at a pose set through the coupled coordinates.
    CHECK(s.getQErr().normInf() < 1e-14);
    CHECK(m->getCoordinate(s, ext) == Approx(0.3));
    const auto& L2 = m->matter().getMobilizedBody(m->bodyIndex("L2"));
    CHECK(L2.getQAsVector(s)[0] == Approx(0.12));
    CHECK(L2.getQAsVector(s)[1] == Approx(-0.03));
    // With bending zero, the torso is turned by exactly the global extension about z.
    m->setCoordinate(s, bend, 0.0);
    m->system().realize(s, SimTK::Stage::Position);
    const auto& torso = m->matter().getMobilizedBody(m->bodyIndex("torso"));
    const SimTK::Rotation R = torso.getBodyRotation(s);
    CHECK(std::atan2(R[1][0], R[0][0]) == Approx(0.3).epsilon(1e-12));
}

TEST_CASE("the coupling holds in free dynamics", "[model]") {
    auto m = tiny();
    SimTK::State s = m->defaultState();
    const int ext = m->coordinateIndex("lumbar_extension"), rot = m->coordinateIndex("lumbar_rotation");
    m->setCoordinate(s, ext, 0.2);
    // Spin the levels consistently with the ratios, then let gravity and stiffness act.
    for (size_t k = 0; k < m->coordinates()[rot].u.size(); ++k)
        s.updU()[m->coordinates()[rot].u[k]] = m->coordinates()[rot].ratio[k] * 1.5;
    SimTK::RungeKuttaMersonIntegrator integ(m->system());
    integ.setAccuracy(1e-8);
    SimTK::TimeStepper ts(m->system(), integ);
    ts.initialize(s);
    ts.stepTo(0.2);
    const SimTK::State& e = integ.getState();
    const auto& c = m->coordinates()[ext];
    const double total = m->getCoordinate(e, ext);
    CHECK(std::abs(total - 0.2) > 1e-3);  // it moved
    for (size_t k = 0; k < c.u.size(); ++k) CHECK(e.getQ()[c.u[k]] == Approx(c.ratio[k] * total).margin(1e-7));
}

TEST_CASE("passive lumbar stiffness gives the stated torques", "[model]") {
    auto m = tiny();
    SimTK::State s = m->defaultState();
    const int ext = m->coordinateIndex("lumbar_extension");
    m->setCoordinate(s, ext, 0.1);   // extension: 0.04 and 0.06 rad at the two levels
    m->system().realize(s, SimTK::Stage::Dynamics);
    // Mobility forces of the force subsystem, read through the generalized forces.
    const SimTK::Vector& mob = m->system().getMobilityForces(s, SimTK::Stage::Dynamics);
    const auto& c = m->coordinates()[ext];
    CHECK(mob[c.u[0]] == Approx(-90 * 0.04));
    CHECK(mob[c.u[1]] == Approx(-90 * 0.06));
    m->setCoordinate(s, ext, -0.1);  // flexion
    m->system().realize(s, SimTK::Stage::Dynamics);
    const SimTK::Vector& mob2 = m->system().getMobilityForces(s, SimTK::Stage::Dynamics);
    CHECK(mob2[c.u[0]] == Approx(60 * 0.04));
}

TEST_CASE("tendon models: which tendons are elastic, and setRigidTendons makes a state's tendons rigid", "[model]") {
    // docs/simulation.md, "Tendons". triceps_surae: the group's muscles with a tendon at least as
    // long as their fibres; compliant: every such muscle; rigid: none.
    const ModelDescription d = readModelFile(std::string(CORESTRIDE_TEST_DIR) + "/../models/trunk_hip.model");
    auto count = [&](TendonModel t) {
        BuildOptions o;
        o.tendon = t;
        auto m = Model::build(d, Subject{}, o);
        int n = 0;
        for (const Muscle& mu : m->muscles()) n += mu.compliant_tendon ? 1 : 0;
        CHECK(m->hasCompliantTendons() == (n > 0));
        return std::make_pair(n, m);
    };
    CHECK(count(TendonModel::Rigid).first == 0);
    CHECK(count(TendonModel::TricepsSurae).first == 6);
    int long_tendons = 0;
    for (const auto& md : d.muscles) long_tendons += md.lts >= md.lopt ? 1 : 0;
    CHECK(count(TendonModel::Compliant).first == long_tendons);
    CHECK(BuildOptions().tendon == TendonModel::TricepsSurae);

    // In a state set to rigid tendons, an elastic muscle's force is the rigid-tendon force of its
    // path length and speed, whatever its fibre-length state; by default it is not.
    auto m = count(TendonModel::TricepsSurae).second;
    SimTK::State s = m->defaultState();
    const int soleus = m->muscleIndex("soleus_r");
    REQUIRE(soleus >= 0);
    m->forces().setActivations(s, std::vector<double>(m->muscles().size(), 0.4));
    m->system().realize(s, SimTK::Stage::Dynamics);
    const double elastic = m->forces().getMuscleStates(s)[soleus].force;   // fibres at optimal length (z = 1)
    m->forces().setRigidTendons(s, true);
    m->system().realize(s, SimTK::Stage::Dynamics);
    const MuscleState& ms = m->forces().getMuscleStates(s)[soleus];
    MuscleState rigid;
    calcRigidTendonMuscle(m->muscles()[soleus], ms.length, ms.speed, 0.4, 1.0, rigid);
    CHECK(ms.force == Approx(rigid.force).epsilon(1e-12));
    CHECK(std::abs(elastic - rigid.force) > 1.0);
}

// Subject::thigh_scale / shank_scale (docs/simulation.md, "User files"): the femur and tibia get
// longer along their long axis, not thicker, and each muscle's fibre and tendon lengths follow
// its path length, so the muscles work at the same normalised fibre length as before.
TEST_CASE("segment factors lengthen the thigh and shank, not their widths", "[model]") {
    const ModelDescription d = readModelFile(std::string(CORESTRIDE_TEST_DIR) + "/../models/trunk_hip.model");
    const auto base = Model::build(d, Subject{75, 1.80});
    const auto longer = Model::build(d, Subject{75, 1.80, 1.03, 1.16});
    // Joint centres in the parent segment (Simbody's default inboard frames) and mass centres:
    // along the bone (y) 3 % and 16 % longer, across it as before.
    auto inboard = [](const Model& m, const char* body) {
        return m.matter().getMobilizedBody(m.bodyIndex(body)).getDefaultInboardFrame().p();
    };
    const SimTK::Vec3 knee0 = inboard(*base, "tibia_r"), knee1 = inboard(*longer, "tibia_r");
    const SimTK::Vec3 ankle0 = inboard(*base, "foot_r"), ankle1 = inboard(*longer, "foot_r");
    CHECK(knee1[1] == Approx(1.03 * knee0[1]).epsilon(1e-12));
    CHECK(ankle1[1] == Approx(1.16 * ankle0[1]).epsilon(1e-12));
    for (int k : {0, 2}) {
        CHECK(knee1[k] == Approx(knee0[k]).epsilon(1e-12));
        CHECK(ankle1[k] == Approx(ankle0[k]).epsilon(1e-12));
    }
    auto com = [](const Model& m, const char* body) {
        return m.matter().getMobilizedBody(m.bodyIndex(body)).getDefaultMassProperties().getMassCenter();
    };
    CHECK(com(*longer, "tibia_r")[1] == Approx(1.16 * com(*base, "tibia_r")[1]).epsilon(1e-12));
    CHECK(com(*longer, "tibia_r")[0] == Approx(com(*base, "tibia_r")[0]).epsilon(1e-12));
    CHECK(com(*longer, "pelvis")[0] == Approx(com(*base, "pelvis")[0]).epsilon(1e-12));
    CHECK(longer->totalMass() == Approx(base->totalMass()).epsilon(1e-12));
    // Path points on the tibia: y lengthened, x and z kept.
    const int sol = base->muscleIndex("soleus_r");
    REQUIRE(sol >= 0);
    const PathPoint& p0 = base->muscles()[sol].path.front();
    const PathPoint& p1 = longer->muscles()[sol].path.front();
    CHECK(p1.p_B[1] == Approx(1.16 * p0.p_B[1]).epsilon(1e-12));
    CHECK(p1.p_B[0] == Approx(p0.p_B[0]).epsilon(1e-12));
    CHECK(p1.p_B[2] == Approx(p0.p_B[2]).epsilon(1e-12));
    // Muscles: optimal fibre and tendon slack lengths scale with the default-pose path length,
    // so the normalised fibre length there is unchanged; a muscle of the trunk keeps its own.
    SimTK::State s0 = base->defaultState(), s1 = longer->defaultState();
    base->system().realize(s0, SimTK::Stage::Position);
    longer->system().realize(s1, SimTK::Stage::Position);
    PathGeometry g0, g1;
    for (const char* name : {"soleus_r", "vasint_r", "bflh140_r", "glmed1_r", "mf_m1s_r"}) {
        INFO(name);
        const int i = base->muscleIndex(name);
        REQUIRE(i >= 0);
        calcPathGeometry(*base, s0, i, g0);
        calcPathGeometry(*longer, s1, i, g1);
        const Muscle& m0 = base->muscles()[i];
        const Muscle& m1 = longer->muscles()[i];
        CHECK(m1.lopt / m0.lopt == Approx(g1.length / g0.length).epsilon(1e-12));
        CHECK(m1.lts / m0.lts == Approx(g1.length / g0.length).epsilon(1e-12));
        if (std::string(name) == "mf_m1s_r") CHECK(m1.lopt == m0.lopt);
        if (std::string(name) == "soleus_r") CHECK(g1.length / g0.length > 1.08);   // tibia to calcaneus
    }
    CHECK_THROWS_WITH(Model::build(d, Subject{75, 1.80, 0.0, 1.0}), Catch::Contains("scale factors must be positive"));
}
