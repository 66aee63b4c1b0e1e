#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "exercise.h"
#include "model.h"
#include "model_parser.h"
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

// The shipped values, written out so that the tests check the equations by hand.
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
    const TrainingParams p = readTrainingParams(defaultTrainingParamsPath());
    const TrainingParams q = params();
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
    // Full stimulus, 3 weeks, from 0.70: +31 % (Ferber 2011's +33 %, unverified).
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
    CHECK(n_below == 2 * (3 + 3 + 2));
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
    CHECK(s[muscle("glmed1_r")] == Approx(1 + rft * 0.25));
    CHECK(s[muscle("e0_r9_l")] == Approx(1 + rft * 0.25));        // obliques 69 % (side plank)
    CHECK(s[muscle("glmax2_r")] == Approx(1 + (0.95) * rft * 0.25));   // r(0.59) = 0.95
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
    CHECK_THROWS_WITH(trainStrength(m, {1.0, 1.0}, prog, 6, 2, p), Contains("2 initial strengths for 138 muscles"));
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
    CHECK_THAT(error("param headroom value=0.25", "param headroom value=-1"),
               Contains(lineOf("param headroom")) && Contains("field 'value'") && Contains("must lie in [0, 5]"));
    CHECK_THAT(error("param headroom value=0.25", "param headroom value=big"),
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
    CHECK_THAT(error("param headroom value=0.25", "parm headroom value=0.25"),
               Contains(lineOf("param headroom")) && Contains("unknown record 'parm'"));
    CHECK_THROWS_WITH(readTrainingParams("/nonexistent/t.params"), Contains("/nonexistent/t.params"));
}
