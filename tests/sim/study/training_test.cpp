#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <unistd.h>

#include "error.h"
#include "exercise.h"
#include "model.h"
#include "model_parser.h"
#include "run.h"
#include "scenario.h"
#include "training.h"

#include "test_support.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

const Model& builtInModel() { return test::shippedModel(); }

const std::vector<Exercise>& library() {
    static const std::vector<Exercise> lib = readExerciseLibrary(defaultExerciseDir());
    return lib;
}

const Exercise& exercise(const std::string& name) {
    for (const Exercise& e : library())
        if (e.name == name) return e;
    FAIL("no exercise " << name);
    return library().front();
}

// Hand values for checking the equations (the shipped values before issue 10; tau and the
// headroom are now calibrated, see shipped()). Not physiology: only the arithmetic.
TrainingParams params() {
    TrainingParams p;
    p.intensity_threshold = 0.40;
    p.intensity_full = 0.60;
    p.reference_sessions = 3;
    p.frequency_exponent = 0.55;
    p.time_constant_weeks = 6;
    p.headroom = 0.25;
    return p;
}

// The shipped values (models/training.params), written out.
TrainingParams shipped() {
    TrainingParams p = params();
    p.time_constant_weeks = 36;
    p.headroom = 1.0;
    return p;
}

int muscle(const std::string& name) {
    const int m = builtInModel().muscleIndex(name);
    REQUIRE(m >= 0);
    return m;
}

std::string writeTemp(const std::string& text) {
    const std::string path = "/tmp/corestride_training_test_" + std::to_string(::getpid()) + ".params";
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("the shipped training parameters", "[training]") {
    // Issue 10: tau 6 -> 36 weeks and headroom 0.25 -> 1.0 (calibrated against the trials
    // below; the old pair gave the demo's weak runner +62 % in 6 weeks).
    const TrainingParams p = readTrainingParams(defaultTrainingParamsPath());
    const TrainingParams q = shipped();
    CHECK(p.intensity_threshold == Approx(q.intensity_threshold));
    CHECK(p.intensity_full == Approx(q.intensity_full));
    CHECK(p.reference_sessions == q.reference_sessions);
    CHECK(p.frequency_exponent == q.frequency_exponent);
    CHECK(p.time_constant_weeks == q.time_constant_weeks);
    CHECK(p.headroom == q.headroom);
    // Braith 1989: two sessions a week give 80 % of the three-a-week gain.
    CHECK(calcFrequencyFactor(2, p) == Approx(0.80).margin(0.001));
}

TEST_CASE("the training model follows its equations", "[training]") {
    const TrainingParams p = params();
    // r(I) = clamp((I - 0.4) / 0.2, 0, 1)
    CHECK(calcIntensityResponse(0.30, p) == 0);
    CHECK(calcIntensityResponse(0.40, p) == 0);
    CHECK(calcIntensityResponse(0.45, p) == Approx(0.25));
    CHECK(calcIntensityResponse(0.50, p) == Approx(0.50));
    CHECK(calcIntensityResponse(0.60, p) == 1);
    CHECK(calcIntensityResponse(0.99, p) == 1);
    // f(n) = min(1, n/3)^0.55
    CHECK(calcFrequencyFactor(0, p) == 0);
    CHECK(calcFrequencyFactor(1, p) == Approx(std::pow(1.0 / 3.0, 0.55)));
    CHECK(calcFrequencyFactor(2, p) == Approx(0.8001102010732513));
    CHECK(calcFrequencyFactor(3, p) == 1);
    CHECK(calcFrequencyFactor(5, p) == 1);
    // T(t) = 1 - exp(-t/6)
    CHECK(calcTimeFactor(0, p) == 0);
    CHECK(calcTimeFactor(6, p) == Approx(1 - std::exp(-1.0)));
    CHECK(calcTimeFactor(3, p) == Approx(0.3934693402873666));
    // s = s0 + r f T (1.25 - s0): 0.8 + 0.5 * 0.80011 * 0.63212 * 0.45 = 0.913797...
    CHECK(calcTrainedStrength(0.8, 0.5, 6, 2, p) == Approx(0.8 + 0.5 * 0.8001102010732513 * 0.6321205588285577 * 0.45));
    CHECK(calcTrainedStrength(0.8, 0.5, 6, 2, p) == Approx(0.9137974).epsilon(1e-6));
    // Full stimulus, 3 weeks, from 0.70: 0.7 + 0.39347 * 0.55 = 0.91641 (+31 %; arithmetic only,
    // the trials are checked against the shipped values in "[trials]").
    CHECK(calcTrainedStrength(0.7, 0.8, 3, 3, p) / 0.7 - 1 == Approx(0.3091544816543595));
    // Above the ceiling nothing changes; strength never decreases.
    CHECK(calcTrainedStrength(1.3, 0.8, 12, 3, p) == 1.3);
}

TEST_CASE("a muscle below the intensity threshold barely changes", "[training]") {
    const TrainingParams p = params();
    CHECK(std::abs(calcTrainedStrength(1.0, 0.39, 52, 3, p) - 1.0) < 0.01);
    CHECK(std::abs(calcTrainedStrength(0.5, 0.39, 52, 3, p) - 0.5) < 0.005);
    // The two-leg bridge: glutes (28, 25 %) and longissimus (39 %) are below the threshold and
    // do not change; multifidus at 44 % gets r = 0.2: 1 + 0.2 * 1 * T(12) * 0.25 = 1.0432.
    const Model& m = builtInModel();
    const std::vector<double> s = trainStrength(m, std::vector<double>(m.muscles().size(), 1.0),
                                                {&exercise("glute_bridge")}, 12, 3, p);
    const int below[] = {m.groupIndex("glute_med"), m.groupIndex("glute_max"), m.groupIndex("longissimus_thoracis")};
    int n_below = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        for (int g : below)
            for (int mg : m.muscles()[i].groups)
                if (mg == g) {
                    CHECK(std::abs(s[i] - 1.0) < 0.01);
                    ++n_below;
                }
    }
    // Every muscle of the three groups was checked (2 x (3 + 3 + 2) = 16 before the trunk groups
    // were completed in models/trunk_hip.model; counted from the model since).
    int n_expected = 0;
    for (const Muscle& mu : m.muscles())
        for (int g : below)
            if (std::find(mu.groups.begin(), mu.groups.end(), g) != mu.groups.end()) ++n_expected;
    CHECK(n_below >= 16);
    CHECK(n_below == n_expected);
    CHECK(s[muscle("mf_m1t_3_r")] == Approx(1 + 0.2 * calcTimeFactor(12, p) * 0.25));
    CHECK(s[muscle("soleus_l")] == 1.0);
}

TEST_CASE("training gains saturate and grow with weeks and sessions", "[training]") {
    const TrainingParams p = params();
    const double cap = 1 + p.headroom;
    // After a year the gain reaches the ceiling; doubling 26 to 52 weeks adds little.
    CHECK(calcTrainedStrength(1.0, 0.8, 52, 3, p) == Approx(cap).margin(1e-3));
    CHECK(calcTrainedStrength(0.6, 0.8, 52, 3, p) == Approx(cap).margin(1e-3));
    const double g26 = calcTrainedStrength(1.0, 0.8, 26, 3, p) - 1.0;
    const double g52 = calcTrainedStrength(1.0, 0.8, 52, 3, p) - 1.0;
    CHECK(g52 > g26);
    CHECK(g52 - g26 < 0.02 * g52);
    // Monotone in weeks, sessions a week and intensity.
    double last = 0;
    for (double w = 0; w <= 60; w += 0.5) {
        const double s = calcTrainedStrength(0.8, 0.55, w, 2, p);
        CHECK(s >= last);
        if (w > 0) CHECK(s > last);
        last = s;
    }
    last = 0;
    for (double n = 0; n <= 7; n += 0.25) {
        const double s = calcTrainedStrength(0.8, 0.55, 8, n, p);
        CHECK(s >= last);
        if (n <= 3 && n > 0) CHECK(s > last);
        last = s;
    }
    CHECK(calcTrainedStrength(0.8, 0.55, 8, 2, p) < calcTrainedStrength(0.8, 0.55, 8, 3, p));
    last = 0;
    for (double i = 0; i <= 1.0; i += 0.05) {
        const double s = calcTrainedStrength(0.8, i, 8, 2, p);
        CHECK(s >= last);
        last = s;
    }
}

TEST_CASE("a weakened muscle gains more than a healthy one", "[training]") {
    const TrainingParams p = params();
    const Model& m = builtInModel();
    std::vector<double> s0(m.muscles().size(), 1.0);
    const int weak = muscle("glmed1_r"), healthy = muscle("glmed1_l");
    s0[weak] = 0.6;
    const std::vector<double> s = trainStrength(m, s0, {&exercise("side_lying_leg_raise")}, 6, 2, p);
    const double gain_weak = s[weak] - 0.6, gain_healthy = s[healthy] - 1.0;
    CHECK(gain_healthy > 0);
    CHECK(gain_weak > gain_healthy);
    CHECK(gain_weak / 0.6 > gain_healthy / 1.0);
    // Hand values: r(0.81) = 1, f(2) = 0.80011, T(6) = 0.63212.
    const double rft = 0.8001102010732513 * 0.6321205588285577;
    CHECK(s[weak] == Approx(0.6 + rft * 0.65));
    CHECK(s[healthy] == Approx(1.0 + rft * 0.25));
}

TEST_CASE("programme intensity: the largest load per muscle, both sides alike", "[training]") {
    const Model& m = builtInModel();
    std::vector<const Exercise*> all;
    for (const Exercise& e : library()) all.push_back(&e);
    const std::vector<double> I = calcProgramIntensity(m, all);
    REQUIRE(I.size() == m.muscles().size());
    // GMed: max(leg raise 81, side plank 74, squat 64, ...); GMax: max(squat 59, bird dog 56, ...).
    CHECK(I[muscle("glmed2_r")] == Approx(0.81));
    CHECK(I[muscle("glmed2_l")] == Approx(0.81));
    CHECK(I[muscle("glmax1_r")] == Approx(0.59));
    CHECK(I[muscle("mf_m4s_l")] == Approx(0.46));                 // bird dog
    CHECK(I[muscle("ql_post_i_3_l1_r")] == Approx(0.50));         // side plank
    CHECK(I[muscle("soleus_r")] == 0);                            // no exercise loads it
    CHECK(I[muscle("glmin1_r")] == 0);                            // no published amplitude

    // Twelve weeks, twice a week, everyone healthy: the full library strengthens GMed and the
    // obliques, leaves the soleus, and treats right and left alike.
    const TrainingParams p = readTrainingParams(defaultTrainingParamsPath());
    const std::vector<double> s = trainStrength(m, std::vector<double>(m.muscles().size(), 1.0), all, 12, 2, p);
    const double rft = calcFrequencyFactor(2, p) * calcTimeFactor(12, p);
    CHECK(s[muscle("glmed1_r")] == Approx(1 + rft * p.headroom));
    CHECK(s[muscle("e0_r9_l")] == Approx(1 + rft * p.headroom));        // obliques 69 % (side plank)
    CHECK(s[muscle("glmax2_r")] == Approx(1 + (0.95) * rft * p.headroom));   // r(0.59) = 0.95
    CHECK(s[muscle("soleus_r")] == 1.0);
    for (const Muscle& mu : m.muscles()) {
        if (mu.side != Side::Right) continue;
        const std::string left = mu.name.substr(0, mu.name.size() - 2) + "_l";
        CHECK(s[m.muscleIndex(mu.name)] == s[muscle(left)]);
    }
}

TEST_CASE("training input and parameter-file errors", "[training]") {
    const TrainingParams p = params();
    const Model& m = builtInModel();
    const std::vector<double> ok(m.muscles().size(), 1.0);
    const std::vector<const Exercise*> prog{&exercise("side_plank")};
    CHECK_THROWS_WITH(trainStrength(m, {1.0, 1.0}, prog, 6, 2, p), Contains("2 initial strengths for " + std::to_string(m.muscles().size()) + " muscles"));
    CHECK_THROWS_WITH(trainStrength(m, ok, prog, -1, 2, p), Contains("weeks"));
    CHECK_THROWS_WITH(trainStrength(m, ok, prog, 6, -2, p), Contains("sessions a week"));
    std::vector<double> bad = ok;
    bad[muscle("tfl_r")] = -0.1;
    CHECK_THROWS_WITH(trainStrength(m, bad, prog, 6, 2, p), Contains("'tfl_r'"));
    TrainingParams q = p;
    q.intensity_full = 0.3;
    CHECK_THROWS_AS(trainStrength(m, ok, prog, 6, 2, q), UserError);

    // Parameter files: file, line and field, or the missing parameter's name.
    std::ifstream in(defaultTrainingParamsPath());
    const std::string shipped((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto error = [&](const std::string& from, const std::string& to) {
        std::string text = shipped;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        const std::string path = writeTemp(text);
        try {
            readTrainingParams(path);
        } catch (const UserError& e) {
            std::remove(path.c_str());
            return std::string(e.what());
        }
        std::remove(path.c_str());
        return std::string("no error");
    };
    auto lineOf = [&](const std::string& needle) {
        int line = 1;
        for (size_t i = 0; i < shipped.find(needle); ++i) line += shipped[i] == '\n';
        return ":" + std::to_string(line) + ": ";
    };
    CHECK_THAT(error("param headroom value=1.0", "param headroom value=-1"),
               Contains(lineOf("param headroom")) && Contains("field 'value'") && Contains("must lie in [0, 5]"));
    CHECK_THAT(error("param headroom value=1.0", "param headroom value=big"),
               Contains(lineOf("param headroom")) && Contains("field 'value'") && Contains("'big' is not a number"));
    CHECK_THAT(error("param headroom", "param headrom"),
               Contains(lineOf("param headroom")) && Contains("field 'name'") && Contains("unknown parameter 'headrom'"));
    CHECK_THAT(error("param headroom", "param frequency_exponent"),
               Contains(lineOf("param headroom")) && Contains("field 'name'") && Contains("already given"));
    CHECK_THAT(error("param headroom", "# param headroom"), Contains("missing parameter 'headroom'"));
    CHECK_THAT(error("status=checked source=Rhea_2003_MSSE_35:456_untrained", "status=sure source=x"),
               Contains(lineOf("param intensity_full_pct")) && Contains("field 'status'"));
    CHECK_THAT(error("intensity_full_pct value=60", "intensity_full_pct value=30"),
               Contains(lineOf("param intensity_full_pct")) && Contains("must exceed intensity_threshold_pct"));
    CHECK_THAT(error("param headroom value=1.0", "parm headroom value=0.25"),
               Contains(lineOf("param headroom")) && Contains("unknown record 'parm'"));
    CHECK_THROWS_WITH(readTrainingParams("/nonexistent/t.params"), Contains("/nonexistent/t.params"));
}

// ---------------------------------------------------------------------------------------------
// Published hip-abductor training trials (issue 10). Each case runs the trial's programme, as
// the paper describes it, through trainStrength() with the shipped parameters and checks the
// predicted gluteus medius gain (s / s0 - 1) after the trial's duration against the trial's mean
// gain in isometric hip-abduction strength.
//
// Band: the mean divided or multiplied by 1.5. The trials' SDs (or CIs) of the change were not
// in the text read, so this is the project's tolerance, not the trials' dispersion; the means of
// comparable healthy 5-6-week programmes themselves differ 2.5-fold (Thorborg +11 %, Palmer +27 %),
// so no single model can sit within a tighter band of every trial.
//
// Programme mapping: each trial's exercises are mapped to the nearest library exercise; every
// one loads the gluteus medius at >= 60 % MVIC (r = 1). Sessions a week are not in the text read
// for these trials and are taken as 3 (f = 1); at 2 a week every prediction would be 0.8x.
// Baseline s0: 1 for healthy or asymptomatic groups; 0.83 for patellofemoral-pain groups
// (Dolak 2011: baseline abduction torque 5.4 vs 6.5 in a healthy cohort, discussion, checked).
// The same numbers are in docs/exercises.md ("Calibration") and models/training.params.
namespace {

struct Trial {
    const char* citation;
    std::vector<std::string> exercises;
    double weeks, sessions_per_week, s0;
    double mean_gain;  // fraction
};

// The gluteus medius gain the shipped model predicts for a trial's programme.
double predictedGain(const Trial& t) {
    const Model& m = builtInModel();
    const TrainingParams p = readTrainingParams(defaultTrainingParamsPath());
    std::vector<double> s0(m.muscles().size(), 1.0);
    const int gmed = m.groupIndex("glute_med");
    for (size_t i = 0; i < s0.size(); ++i)
        for (int g : m.muscles()[i].groups)
            if (g == gmed) s0[i] = t.s0;
    std::vector<const Exercise*> program;
    for (const std::string& name : t.exercises) program.push_back(&exercise(name));
    const std::vector<double> s = trainStrength(m, s0, program, t.weeks, t.sessions_per_week, p);
    // Every gluteus medius muscle, both sides, gets the same stimulus and gain.
    const int a = muscle("glmed1_r"), b = muscle("glmed3_l");
    CHECK(s[a] / t.s0 == Approx(s[b] / t.s0));
    return s[a] / t.s0 - 1;
}

void checkWithinBand(const Trial& t) {
    const double gain = predictedGain(t);
    INFO(t.citation << ": predicted " << 100 * gain << " %, published " << 100 * t.mean_gain << " %, band "
                    << 100 * t.mean_gain / 1.5 << " to " << 100 * t.mean_gain * 1.5 << " %");
    CHECK(gain >= t.mean_gain / 1.5);
    CHECK(gain <= t.mean_gain * 1.5);
}

}  // namespace

TEST_CASE("trial: Snyder 2009, healthy women, 6 weeks closed-chain hip rotation", "[training][trials]") {
    // Snyder KR, Earl JE, O'Connor KM, Ebersole KT (2009) Clin Biomech 24:26-34. 15 healthy women,
    // 6 weeks of closed-chain (single-leg stance) hip-rotation exercises; hand-held dynamometer.
    // Mean isometric hip-abduction strength +13 % (P = .009; docs/validation_references.md).
    // Single-leg stance work -> single_leg_squat (GMed 64 %). Old model: +15.8 %. Now: +15.4 %.
    checkWithinBand({"Snyder 2009", {"single_leg_squat"}, 6, 3, 1.0, 0.13});
}

TEST_CASE("trial: Thorborg 2010, healthy, 6 weeks side-lying hip abduction without load", "[training][trials]") {
    // Thorborg K, Bandholm T, Petersen J et al. (2010) Hip abduction strength training in the
    // clinical setting: with or without external loading? Scand J Med Sci Sports 20(Suppl 2):
    // 70-77, doi 10.1111/j.1600-0838.2010.01186.x (authors and pages checked in PubMed's record,
    // PMID 20840564; the project named it 'Jensen et al.' until December 2026). 31 healthy, physically active men and women, 6 weeks of side-lying hip
    // abduction; isometric strength of the trained leg +11 % without external load (+12 % with a
    // 10-RM load) (abstract, checked). -> side_lying_leg_raise (GMed 81 %, Distefano 2009, which
    // is the unloaded exercise). Old model: +15.8 %. Now: +15.4 %.
    checkWithinBand({"Thorborg 2010", {"side_lying_leg_raise"}, 6, 3, 1.0, 0.11});
}

TEST_CASE("trial: Dolak 2011, women with PFPS, 4 weeks hip strengthening then 4 weeks functional", "[training][trials]") {
    // Dolak KL et al. (2011) JOSPT 41(8):560-570. Women with patellofemoral pain
    // syndrome, hip group: 4 weeks of hip strengthening, then 4 weeks of functional exercise.
    // Hip-abductor strength +21 % from baseline to 8 weeks (P < .001) (abstract, checked).
    // Baseline 5.4 vs 6.5 in a healthy cohort -> s0 = 0.83. -> side_lying_leg_raise and
    // single_leg_squat. Old model: +37.3 % (fails). Now: +28.1 %.
    checkWithinBand({"Dolak 2011", {"side_lying_leg_raise", "single_leg_squat"}, 8, 3, 5.4 / 6.5, 0.21});
}

TEST_CASE("the demo's weak runner gains what weak patients gain", "[training][trials]") {
    // scenarios/weak_glute_med_and_core.cfg (scripts/demo): gluteus medius 40 % weaker (s0 = 0.6),
    // the `corestride exercises` defaults (6 weeks, 2.5 sessions a week), every library exercise.
    // Published weak (patellofemoral-pain) groups gained +21 % in 8 weeks (Dolak 2011) and +33 %
    // in 3 weeks (Ferber 2011, J Athl Train 46:142; magnitude unverified). Band: 21 / 1.5 to
    // 33 * 1.5 = 14 to 49.5 %. Old model: +61.9 % (the 62 %). Now: +32.4 %.
    const Model& m = builtInModel();
    const Scenario sc = Scenario::resolve(CORESTRIDE_TEST_DIR "/../scenarios/weak_glute_med_and_core.cfg", {});
    const CmcOptions opt = runOptions(m, sc.settings());
    const int gmed = muscle("glmed2_r");
    REQUIRE(opt.strength[gmed] == Approx(0.6));
    std::vector<const Exercise*> all;
    for (const Exercise& e : library()) all.push_back(&e);
    const double weeks = sc.number("training.weeks"), sessions = sc.number("training.sessions_per_week");
    REQUIRE(weeks == 6);
    REQUIRE(sessions == 2.5);
    const std::vector<double> s =
        trainStrength(m, opt.strength, all, weeks, sessions, readTrainingParams(defaultTrainingParamsPath()));
    const double gain = s[gmed] / opt.strength[gmed] - 1;
    INFO("demo gain " << 100 * gain << " %");
    CHECK(gain >= 0.21 / 1.5);
    CHECK(gain <= 0.33 * 1.5);
    CHECK(gain == Approx(0.324).margin(0.005));
    // A weaker muscle still gains more, relatively, than a healthy one under the same programme,
    // but about twice as much, not the 4.3x of the old ceiling (Dolak's 0.83 group gained about
    // as much per week as Snyder's and Thorborg's healthy ones).
    const std::vector<double> h = trainStrength(m, std::vector<double>(m.muscles().size(), 1.0), all, weeks, sessions,
                                                readTrainingParams(defaultTrainingParamsPath()));
    const double ratio = gain / (h[gmed] - 1);
    CHECK(ratio > 1.5);
    CHECK(ratio < 3.0);
}

// Known disagreements: the model stays outside these trials' bands. [!shouldfail] keeps them
// in the record: they report a failure as a pass, and turn into a failure if a change to the
// model brings them inside (then drop the tag and update docs/exercises.md).
TEST_CASE("trial: Palmer 2015, asymptomatic, 5 weeks functional motor control (outside)", "[training][trials][!shouldfail]") {
    // Palmer K, Hebron C, Williams JM (2015) BMC Musculoskelet Disord 16:105. 29 asymptomatic
    // volunteers with increased dynamic knee valgus; 5 weeks. The +27 % (load cell, isometric
    // abduction) is the functional motor-control group's (abstract, checked); the isolated-
    // strengthening group also improved significantly (magnitude not in the text read).
    // -> single_leg_squat. Predicted +13.0 % (old +14.1 %), below 27 / 1.5 = 18 %: the trial
    // disagrees with Snyder's and Thorborg's healthy 6-week +11-13 %, and the fit sits between.
    checkWithinBand({"Palmer 2015 (motor control group)", {"single_leg_squat"}, 5, 3, 1.0, 0.27});
}

TEST_CASE("trial: Ferber 2011, runners with PFPS, 3 weeks hip abductor strengthening (outside)", "[training][trials][!shouldfail]") {
    // Ferber R, Kendall KD, Farr L (2011) J Athl Train 46:142-149. 15 runners with PFPS, weaker
    // than controls at baseline (checked; magnitude not read, s0 = 0.83 as Dolak's PFPS group);
    // 3 weeks of hip-abductor strengthening (elastic band) -> side_lying_leg_raise. Strength
    // increased (checked); +33 % is the figure (unverified). Predicted +11.3 % (old
    // +19.9 %). Pain fell 40 % over the same 3 weeks: much of the early gain is likely
    // disinhibition, which CoreStride represents as neural weakness (activation ceiling), not
    // as fmax, and which trainStrength() does not lift.
    checkWithinBand({"Ferber 2011", {"side_lying_leg_raise"}, 3, 3, 5.4 / 6.5, 0.33});
}
