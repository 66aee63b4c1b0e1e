// The shipped model (models/trunk_hip.model) against published anatomy and strength. Each
// interval cites its source; docs/validation_sources.md gives the status of every number
// (checked against retrieved text, or a recollection to confirm). These tests fail when the
// model file, the path geometry or the muscle model change the numbers out of range.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "model.h"
#include "model_analysis.h"
#include "model_parser.h"
#include "muscle.h"
#include "muscle_path.h"
#include "paths.h"

using namespace corestride;

namespace {

std::shared_ptr<const Model> shippedModel() {
    static auto m = Model::build(readModelFile(defaultModelPath()), Subject{75, 1.75});
    return m;
}

int mobility(const Model& m, const std::string& coordinate) { return m.coordinates()[m.coordinateIndex(coordinate)].u[0]; }

// Extension (slot) or bending mobility of one lumbar level.
int levelMobility(const Model& m, const std::string& joint, bool bending) {
    for (const LumbarLevel& l : m.lumbarLevels())
        if (l.joint == joint) return l.u0 + (bending ? l.slot_bending : l.slot_extension);
    FAIL("no lumbar level " << joint);
    return -1;
}

// Force-weighted moment arm (cm) of several groups together, right side.
double groupsArmCm(const Model& m, const SimTK::State& s, std::vector<std::string> groups, int u) {
    double num = 0, den = 0;
    for (int i = 0; i < static_cast<int>(m.muscles().size()); ++i) {
        const Muscle& mu = m.muscles()[i];
        if (mu.side != Side::Right) continue;
        bool in = false;
        for (const auto& g : groups) in |= std::count(mu.groups.begin(), mu.groups.end(), m.groupIndex(g)) > 0;
        if (!in) continue;
        const double r = calcMobilityMomentArm(m, s, i, u);
        if (std::abs(r) < 1e-3) continue;
        num += mu.fmax * r;
        den += mu.fmax;
    }
    REQUIRE(den > 0);
    return 100 * num / den;
}

// Postures spanning the running range of the built-in stride (docs/running_stride.md):
// hip flexion -20..+50 deg, hip adduction -10..+10 deg, lumbar extension -10..+10 deg.
std::vector<std::array<double, 3>> runningPostures() {
    std::vector<std::array<double, 3>> out;
    for (double hf : {-20.0, 0.0, 25.0, 50.0})
        for (double ad : {-10.0, 0.0, 10.0})
            for (double le : {-10.0, 0.0, 10.0}) out.push_back({hf, ad, le});
    return out;
}

void setPosture(const Model& m, SimTK::State& s, const std::array<double, 3>& p) {
    m.setCoordinate(s, m.coordinateIndex("hip_flexion_r"), p[0] * M_PI / 180);
    m.setCoordinate(s, m.coordinateIndex("hip_adduction_r"), p[1] * M_PI / 180);
    m.setCoordinate(s, m.coordinateIndex("lumbar_extension"), p[2] * M_PI / 180);
    m.system().realize(s, SimTK::Stage::Position);
}

}  // namespace

TEST_CASE("shipped model: bodies, coordinates, muscles and mass", "[model_validation]") {
    const Model& m = *shippedModel();
    CHECK(m.totalMass() == Approx(75.0).epsilon(1e-5));  // masses are rounded in the file
    for (const char* b : {"pelvis", "L5", "L4", "L3", "L2", "L1", "torso", "femur_r", "tibia_r", "foot_r", "femur_l",
                          "tibia_l", "foot_l"})
        CHECK_NOTHROW(m.bodyIndex(b));
    CHECK(m.lumbarLevels().size() == 5);
    CHECK(m.muscles().size() >= 80);
    // Mass distribution (Rajagopal et al. 2016 legs, 75 kg: femur 9.3, tibia 3.7 kg): each leg
    // about 13-15 kg; the trunk (pelvis, lumbar, torso with head and arms) the rest.
    const auto mass = [&](const char* b) { return m.matter().getMobilizedBody(m.bodyIndex(b)).getBodyMass(m.defaultState()); };
    const double leg = mass("femur_r") + mass("tibia_r") + mass("foot_r");
    CHECK(leg > 12.5);
    CHECK(leg < 15.5);
    CHECK(mass("femur_r") == Approx(mass("femur_l")));
    CHECK(mass("torso") > mass("pelvis"));
    // Every required muscle family is there, on both sides.
    for (const char* g : {"glute_med", "glute_min", "glute_max", "tfl", "iliacus", "psoas", "hip_adductors", "hamstrings",
                          "quadriceps", "plantarflexors", "dorsiflexors", "multifidus", "quadratus_lumborum",
                          "erector_spinae_deep", "longissimus_thoracis", "iliocostalis", "rectus_abdominis", "obliques",
                          "latissimus_dorsi", "deep_core", "abdominals", "hip_flexors", "hip_abductors", "superficial_back"}) {
        INFO(g);
        REQUIRE(m.groupIndex(g) >= 0);
        int right = 0, left = 0;
        for (const Muscle& mu : m.muscles())
            if (std::count(mu.groups.begin(), mu.groups.end(), m.groupIndex(g))) (mu.side == Side::Left ? left : right)++;
        CHECK(right > 0);
        CHECK(left == right);
    }
    // Psoas has a fascicle from each lumbar vertebra (deep core, Raabe & Chaudhari 2018).
    int psoas_r = 0;
    for (const Muscle& mu : m.muscles())
        if (mu.side == Side::Right && std::count(mu.groups.begin(), mu.groups.end(), m.groupIndex("psoas"))) ++psoas_r;
    CHECK(psoas_r == 5);
}

TEST_CASE("shipped model: coupling ratios sum to one and the levels move as they say", "[model_validation]") {
    const Model& m = *shippedModel();
    for (const char* c : {"lumbar_extension", "lumbar_bending", "lumbar_rotation"}) {
        const Coordinate& co = m.coordinates()[m.coordinateIndex(c)];
        REQUIRE(co.u.size() == 5);
        double sum = 0;
        for (double r : co.ratio) sum += r;
        CHECK(sum == Approx(1.0).epsilon(1e-4));
    }
    // Christophy et al. 2012 (Biomech Model Mechanobiol 11:19), flexion-extension ratios
    // L5/S1 ... L1/L2 = 0.125, 0.185, 0.204, 0.231, 0.255: the torso turns by the sum.
    SimTK::State s = m.defaultState();
    m.setCoordinate(s, m.coordinateIndex("lumbar_extension"), -0.4);
    m.system().realize(s, SimTK::Stage::Position);
    const double expected[] = {0.125, 0.185, 0.204, 0.231, 0.255};
    for (int k = 0; k < 5; ++k) {
        const LumbarLevel& lv = m.lumbarLevels()[k];
        CHECK(s.getQ()[lv.u0 + lv.slot_extension] == Approx(-0.4 * expected[k]).epsilon(1e-3));
    }
    // Relative rotation of torso and pelvis equals the global angle (levels in series).
    const auto& torso = m.matter().getMobilizedBody(m.bodyIndex("torso"));
    const auto& pelvis = m.matter().getMobilizedBody(m.bodyIndex("pelvis"));
    SimTK::State s0 = m.defaultState();
    m.system().realize(s0, SimTK::Stage::Position);
    const SimTK::Rotation R0 = ~pelvis.getBodyRotation(s0) * torso.getBodyRotation(s0);
    const SimTK::Rotation R1 = ~pelvis.getBodyRotation(s) * torso.getBodyRotation(s);
    const SimTK::Vec4 angle_axis = (~R0 * R1).convertRotationToAngleAxis();
    CHECK(angle_axis[0] == Approx(0.4).epsilon(1e-6));
}

TEST_CASE("shipped model: moment arms at neutral and across the running range", "[model_validation]") {
    const Model& m = *shippedModel();
    const int hip_ad = mobility(m, "hip_adduction_r"), hip_fl = mobility(m, "hip_flexion_r");
    SimTK::State s = m.defaultState();
    for (const auto& posture : runningPostures()) {
        setPosture(m, s, posture);
        INFO("hip flexion, adduction, lumbar extension (deg): " << posture[0] << ", " << posture[1] << ", " << posture[2]);
        // Gluteus medius abduction (adduction negative): 3.5-7.0 cm at neutral and over moderate
        // flexion (Dostal & Andrews 1981; Németh & Ohlsén 1989), falling with hip flexion:
        // 2.5 cm allowed at 50 deg flexion.
        const double gmed = -groupsArmCm(m, s, {"glute_med"}, hip_ad);
        CHECK(gmed > 2.5);
        CHECK(gmed < 7.0);
        // Gluteus maximus extension: 4-9 cm (Németh & Ohlsén 1985; Dostal et al. 1986).
        const double gmax = -groupsArmCm(m, s, {"glute_max"}, hip_fl);
        CHECK(gmax > 4.0);
        CHECK(gmax < 9.0);
        // Psoas hip flexion: 0.5-3.5 cm (Németh & Ohlsén 1985; Arnold et al. 2000).
        const double ps = groupsArmCm(m, s, {"psoas"}, hip_fl);
        CHECK(ps > 0.5);
        CHECK(ps < 3.5);
        for (const char* level : {"L5_S1", "L3_L4"}) {
            INFO(level);
            const int ext = levelMobility(m, level, false), bend = levelMobility(m, level, true);
            // Erector spinae mass (lumbar and thoracic parts) extension: 4-7.5 cm; multifidus
            // 3.5-7 cm (McGill, Patt & Norman 1988; Jorgensen et al. 2001, men). Known deviation:
            // at L5/S1 the shipped model gives 3.7-3.9 cm (the source model's lumbar fascicles
            // run close to the joint centre), so the bound there is 3.5 cm.
            const double es = groupsArmCm(m, s, {"erector_spinae_deep", "longissimus_thoracis", "iliocostalis"}, ext);
            CHECK(es > (std::string(level) == "L5_S1" ? 3.5 : 4.0));
            CHECK(es < 7.5);
            const double mf = groupsArmCm(m, s, {"multifidus"}, ext);
            CHECK(mf > 3.5);
            CHECK(mf < 7.0);
            // Quadratus lumborum lateral bending (right muscle bends right): 3.5-8 cm (McGill 1988;
            // Phillips et al. 2008).
            const double ql = groupsArmCm(m, s, {"quadratus_lumborum"}, bend);
            CHECK(ql > 3.5);
            CHECK(ql < 8.0);
            // Psoas lateral bending 2.5-6.5 cm (Santaguida & McGill 1995, J Biomech 28:339).
            const double psb = groupsArmCm(m, s, {"psoas"}, bend);
            CHECK(psb > 2.5);
            CHECK(psb < 6.5);
        }
        // Rectus abdominis flexion at L3/L4: standing women 8.5 cm (Jorgensen et al. 2005, Clin
        // Biomech 20:242, checked); standing exceeds supine by about 30% (McGill 1996, J Biomech
        // 29:973, checked) and men exceed women (Jorgensen et al. 2001): 8-13 cm.
        const double ra = -groupsArmCm(m, s, {"rectus_abdominis"}, levelMobility(m, "L3_L4", false));
        CHECK(ra > 8.0);
        CHECK(ra < 13.0);
        // Psoas at L3/L4 lies close to the flexion axis: within +-2 cm (Santaguida & McGill 1995).
        const double ps34 = groupsArmCm(m, s, {"psoas"}, levelMobility(m, "L3_L4", false));
        CHECK(std::abs(ps34) < 2.0);
    }
}

// The Achilles tendon's moment arm sets how much tendon force a plantarflexion moment takes
// (validation case *_achilles_peak against in vivo tensiometry). In vivo at rest: 34.6 +- 1.8 mm
// at 20 deg dorsiflexion rising to 36.9 +- 1.9 mm at 10 deg plantarflexion (ultrasound and motion
// capture, 10 men; Manal K, Cowder JD, Buchanan TS 2013, Physiol Rep 1:e00139, abstract checked);
// 4.3-5.6 cm by MRI (centre of rotation and tendon excursion; Maganaris CN, Baltzopoulos V,
// Sargeant AJ 2000, Eur J Appl Physiol 83:363, abstract checked). Band 3.2-5.6 cm from 20 deg
// dorsiflexion to 20 deg plantarflexion (ankle_angle positive = dorsiflexion), and the arm
// larger in plantarflexion than in dorsiflexion, as both studies found.
TEST_CASE("shipped model: Achilles tendon moment arm against in vivo measurements", "[model_validation]") {
    const Model& m = *shippedModel();
    const int ankle = mobility(m, "ankle_angle_r");
    SimTK::State s = m.defaultState();
    double at_df = 0, at_pf = 0;
    for (double deg : {20.0, 10.0, 0.0, -10.0, -20.0}) {
        m.setCoordinate(s, m.coordinateIndex("ankle_angle_r"), deg * M_PI / 180);
        m.system().realize(s, SimTK::Stage::Position);
        const double arm = -groupsArmCm(m, s, {"triceps_surae"}, ankle);   // plantarflexion positive
        INFO("ankle " << deg << " deg (dorsiflexion positive): triceps surae moment arm " << arm << " cm");
        CHECK(arm > 3.2);
        CHECK(arm < 5.6);
        if (deg == 20.0) at_df = arm;
        if (deg == -20.0) at_pf = arm;
    }
    CHECK(at_pf > at_df);
}

TEST_CASE("shipped model: maximal isometric joint moments at neutral", "[model_validation]") {
    const Model& m = *shippedModel();
    SimTK::State s = m.defaultState();
    m.system().realize(s, SimTK::Stage::Position);
    auto moment = [&](const char* c, int dir) { return std::abs(calcMaxIsometricMoment(m, s, m.coordinateIndex(c), dir)); };
    // Hip abduction, one leg: 2.0-3.5 N m/kg in young adults by hand-held and isometric
    // dynamometry (docs/validation_sources.md, section 2): 150-265 N m at 75 kg.
    const double abd = moment("hip_adduction_r", -1);
    CHECK(abd > 150);
    CHECK(abd < 265);
    // Hip extension in the prone test posture (hip 0, knee flexed 90 deg, which takes the
    // hamstrings off): young men 207 +- 63 N m scaled to 75 kg (Anderson, Madigan & Nussbaum
    // 2007, J Biomech 40:3105, peak over angles), mean +- 2 SD. Known deviation: with the knee
    // straight the Rajagopal et al. 2016 leg muscles give about 430 N m.
    SimTK::State prone = m.defaultState();
    m.setCoordinate(prone, m.coordinateIndex("knee_angle_r"), -M_PI / 2);
    m.system().realize(prone, SimTK::Stage::Position);
    const double ext = std::abs(calcMaxIsometricMoment(m, prone, m.coordinateIndex("hip_flexion_r"), -1));
    CHECK(ext > 81);
    CHECK(ext < 333);
    // Trunk extension, upright: men 200-350 N m (Chaffin 1999: 288 N m at 20 deg flexion,
    // checked; upright is weaker than flexed).
    const double text = moment("lumbar_extension", +1);
    CHECK(text > 200);   // the upper bound: the known deviation below
    // Trunk flexion: above 100 N m (McGill 1996, checked) and an extension/flexion ratio of
    // 1.1 +- 0.6 standing (Kocjan & Sarabon 2014, J Sports Sci Med 13:365, checked).
    const double tflex = moment("lumbar_extension", -1);
    CHECK(tflex > 100);
    CHECK(text / tflex > 0.5);
    CHECK(text / tflex < 1.7);
    // Lateral bending: 70-300 N m each side (docs/validation_sources.md, recollection), and
    // symmetric.
    const double lb_r = moment("lumbar_bending", +1), lb_l = moment("lumbar_bending", -1);
    CHECK(lb_r > 70);    // the upper bound: the known deviation below
    CHECK(lb_r == Approx(lb_l).epsilon(0.01));
}

namespace {

// Maximal isometric hip rotation moments of the right hip at a hip flexion angle (N m):
// internal (positive hip_rotation) and external.
std::pair<double, double> hipRotationStrength(const Model& m, double flexion_deg) {
    SimTK::State s = m.defaultState();
    m.setCoordinate(s, m.coordinateIndex("hip_flexion_r"), flexion_deg * M_PI / 180);
    m.system().realize(s, SimTK::Stage::Position);
    const int c = m.coordinateIndex("hip_rotation_r");
    return {calcMaxIsometricMoment(m, s, c, +1), -calcMaxIsometricMoment(m, s, c, -1)};
}

}  // namespace

// In vivo, isometric internal-rotation torque rises with hip flexion: 90 > 40 > 10 deg
// (Johnson S, Hoffman M 2010, J Sport Rehabil 19:12-20, 15 men and 15 women, abstract) and
// 90 > 0 deg (Hoglund LT, Wong AL, Rickards C 2014, Int J Sports Phys Ther 9:58-67, 80 young
// adults, abstract).
TEST_CASE("shipped model: hip internal rotation strength rises with hip flexion", "[model_validation]") {
    const Model& m = *shippedModel();
    const double ir0 = hipRotationStrength(m, 0).first, ir10 = hipRotationStrength(m, 10).first;
    const double ir40 = hipRotationStrength(m, 40).first, ir90 = hipRotationStrength(m, 90).first;
    CHECK(ir10 > ir0);
    CHECK(ir40 > ir10);
    CHECK(ir90 > ir40);
}

// Known deviation (docs/lumbar_audit.md, finding 7): in vivo the external-rotation torque did not
// differ between 10, 40 and 90 deg of hip flexion (Johnson & Hoffman 2010, abstract) or was
// larger at 90 than at 0 deg (Hoglund et al. 2014, abstract). The model's falls from 145 N m at
// 10 deg to 94 at 40 and 53 at 90. With the piriformis as its only short external rotator it fell
// from 113 to 28 N m; the gemelli (with the obturator internus) and the quadratus femoris (with
// the obturator externus), added in December 2026, narrowed the gap but did not close it: the
// obturator externus, whose arm grows with flexion, rides on the quadratus femoris's path here.
// "Not different" is read as at least half. This case passes while the model stays outside and
// fails (to be moved into the test above) once it is inside.
TEST_CASE("shipped model: hip external rotation strength falls with hip flexion (known deviation)",
          "[model_validation][!shouldfail]") {
    const Model& m = *shippedModel();
    const double er10 = hipRotationStrength(m, 10).second, er90 = hipRotationStrength(m, 90).second;
    INFO("external rotation: " << er10 << " N m at 10 deg, " << er90 << " N m at 90 deg");
    CHECK(er90 > 0.5 * er10);
}

// Internal against external rotation: with a Cybex dynamometer, 60 normal subjects, seated and
// supine, "internal rotation torques exceeded external rotation torques in all but one
// situation" (Lindsay et al. 1992, J Orthop Sports Phys Ther 16:43-50, abstract; isokinetic).
// Seated (hip flexed 90 deg) the model agrees.
TEST_CASE("shipped model: hip internal rotation stronger than external rotation seated", "[model_validation]") {
    const Model& m = *shippedModel();
    const auto [ir90, er90] = hipRotationStrength(m, 90);
    INFO("hip flexed 90 deg: internal " << ir90 << " N m, external " << er90 << " N m");
    CHECK(ir90 > er90);
}

// Known deviation (docs/lumbar_audit.md, finding 7): supine (hip at 0 deg) the same study found
// internal rotation the stronger too; the model is about 4 times stronger in external rotation
// there (160 against 38 N m), so the stance of running, which asks for internal rotation with
// the hip flexed 25-35 deg, finds the model's internal rotators near their limit. This case
// passes while the model stays outside and fails (to be moved into the test above) once it is
// inside.
TEST_CASE("shipped model: hip internal rotation weaker than external rotation supine (known deviation)",
          "[model_validation][!shouldfail]") {
    const Model& m = *shippedModel();
    const auto [ir0, er0] = hipRotationStrength(m, 0);
    INFO("hip at 0 deg: internal " << ir0 << " N m, external " << er0 << " N m");
    CHECK(ir0 > er0);
}

// Known deviation (issue 10): since the reduced trunk fascicles carry their groups' whole
// cross-section (Allaire et al. 2020 torso x 0.755, Burkhart et al. 2018), the trunk is
// stronger than young men measured upright: extension about 470 N m against 200-350 (Chaffin
// 1999), lateral bending about 450 N m against 70-300. The 0.755 factor was derived for the
// full torso; the bands are measured strength. This case passes while the model stays outside
// the bands and fails (to be moved back into the test above) once it is inside.
TEST_CASE("shipped model: trunk extension and bending strength above young men's (known deviation)",
          "[model_validation][!shouldfail]") {
    const Model& m = *shippedModel();
    SimTK::State s = m.defaultState();
    m.system().realize(s, SimTK::Stage::Position);
    auto moment = [&](const char* c, int dir) { return std::abs(calcMaxIsometricMoment(m, s, m.coordinateIndex(c), dir)); };
    CHECK(moment("lumbar_extension", +1) < 350);
    CHECK(moment("lumbar_bending", +1) < 300);
}

// Known deviation (docs/lumbar_audit.md, finding 11): the passive knee moment with the hip at
// 0 deg and the knee flexed 90 deg, ankle at 0. In vivo about 6 N m of extension (Riener R,
// Edrich T 1999, J Biomech 32:539, ten healthy subjects: their double-exponential fit,
// coefficients as implemented in Miller et al.'s public sprinting-model code, not checked
// against the paper); the band allows three times that. The model gives about 87 N m, 81 of it
// from the rectus femoris: its 7.6 cm fibres behind a rigid 45 cm tendon take the whole
// musculotendon stretch (the source model's tendon is elastic). This case passes while the
// model stays outside and fails (to be made a plain test) once the moment is inside.
TEST_CASE("shipped model: passive knee extension moment at hip 0 and knee 90 deg near in vivo (known deviation)",
          "[model_validation][!shouldfail]") {
    const Model& m = *shippedModel();
    SimTK::State s = m.defaultState();
    const int knee = m.coordinateIndex("knee_angle_r");
    m.setCoordinate(s, knee, -M_PI / 2);
    m.system().realize(s, SimTK::Stage::Position);
    double moment = 0, rf = 0;
    PathGeometry path;
    MuscleState ms;
    for (int i = 0; i < static_cast<int>(m.muscles().size()); ++i) {
        const Muscle& mu = m.muscles()[i];
        if (mu.side != Side::Right) continue;
        calcPathGeometry(m, s, i, path);
        calcRigidTendonMuscle(mu, path.length, 0, 0, 1, ms);   // no activation: passive force only
        const double part = ms.force_passive * calcMomentArmByDifferences(m, s, i, knee);
        moment += part;
        if (mu.name == "recfem_r") rf = part;
    }
    INFO("passive knee moment " << moment << " N m (extension positive), rectus femoris " << rf << " N m");
    CHECK(rf > 0);   // the rectus femoris pulls toward extension there
    CHECK(moment > 0);
    CHECK(moment < 3 * 6.2);
}
