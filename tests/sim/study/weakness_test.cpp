// Weakness and tightness: how scenario keys become per-muscle parameters, and what weakness
// does in a simulation (contracts and physics, not hoped-for conclusions).
#include <catch2/catch.hpp>

#include <cmath>

#include "cmc.h"
#include "error.h"
#include "model_parser.h"
#include "exercises_study.h"
#include "run.h"
#include "training.h"
#include "scenario.h"
#include "weakness.h"

#include "test_support.h"
#include "paths.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {
std::shared_ptr<const Model> model() {
    static auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    return m;
}
bool inGroup(const Model& m, int i, const std::string& g) {
    const auto& gs = m.muscles()[i].groups;
    return std::count(gs.begin(), gs.end(), m.groupIndex(g)) > 0;
}
// Mean over time of the summed force of the muscles of `group` on `side`.
double meanGroupForce(const Model& m, const RunResult& r, const std::string& group, Side side) {
    double sum = 0;
    for (int k = 0; k < r.muscle_force.rows(); ++k)
        for (int i = 0; i < r.muscle_force.cols; ++i)
            if (inGroup(m, i, group) && m.muscles()[i].side == side) sum += r.muscle_force.at(k, i);
    return sum / r.muscle_force.rows();
}
using test::metric;
}  // namespace

TEST_CASE("weakness keys multiply, by group, side and muscle, with neural inhibition and tightness", "[weakness]") {
    const Model& m = *model();
    const Scenario s = Scenario::resolve("", {{"weakness.glute_med", "0.3"}, {"weakness.glute_med_r", "0.2"},
                                              {"weakness.deep_core", "0.5"}, {"weakness.muscle.tfl_l", "0.1"},
                                              {"weakness.group.hamstrings", "0.25"}, {"tightness.hip_flexors", "1"}});
    const MuscleCondition c = muscleCondition(m, s.settings());
    for (int i = 0; i < static_cast<int>(m.muscles().size()); ++i) {
        const Muscle& mu = m.muscles()[i];
        INFO(mu.name);
        double expect = 1;
        if (inGroup(m, i, "glute_med")) expect *= 0.7 * (mu.side == Side::Right ? 0.8 : 1.0);
        if (inGroup(m, i, "deep_core")) expect *= 0.5;
        if (inGroup(m, i, "hamstrings")) expect *= 0.75;
        if (mu.name == "tfl_l") expect *= 0.9;
        CHECK(c.strength[i] == Approx(expect));
        CHECK(c.max_activation[i] == 1.0);
        const bool flexor = inGroup(m, i, "iliacus") || inGroup(m, i, "psoas") || mu.name.rfind("recfem", 0) == 0;
        CHECK(c.length_scale[i] == Approx(flexor ? 1 - kTightnessShortening * mu.lopt / mu.lts : 1.0));
    }
    // Neural inhibition: the same factors become maximal activations.
    const MuscleCondition n = muscleCondition(m, Scenario::resolve("", {{"weakness.glute_med", "0.3"}, {"weakness.neural", "yes"}}).settings());
    for (int i = 0; i < static_cast<int>(m.muscles().size()); ++i) {
        CHECK(n.strength[i] == 1.0);
        CHECK(n.max_activation[i] == Approx(inGroup(m, i, "glute_med") ? 0.7 : 1.0));
    }
    CHECK_THROWS_WITH(muscleCondition(m, Scenario::resolve("", {{"weakness.group.glutes", "0.2"}}).settings()),
                      Contains("weakness.group.glutes") && Contains("no muscle group 'glutes'"));
    CHECK_THROWS_WITH(muscleCondition(m, Scenario::resolve("", {{"weakness.muscle.gmed9", "0.2"}}).settings()),
                      Contains("weakness.muscle.gmed9"));
    CHECK_THROWS_WITH(Scenario::resolve("", {{"weakness.group.hamstrings", "1.5"}}), Contains("out of range"));
}

TEST_CASE("weakness in simulation: weakened muscles pull less, strict still tracks and reports its deviation", "[weakness]") {
    const Model& m = *model();
    auto ref = makeStrideReference(m, readStrideFile(modelsDir() + "/running_stride.fourier"),
                                   StrideOptions());
    const RunResult healthy = runCmc(m, *ref, CmcOptions());
    CmcOptions weak;
    weak.strength = muscleCondition(m, Scenario::resolve("", {{"weakness.glute_med_r", "0.4"}}).settings()).strength;
    const RunResult strict = runCmc(m, *ref, weak);
    REQUIRE(strict.status.ok());
    // The weakened muscles carry less; the other right abductors take the load.
    CHECK(meanGroupForce(m, strict, "glute_med", Side::Right) < meanGroupForce(m, healthy, "glute_med", Side::Right));
    double others_h = 0, others_w = 0;
    for (const char* g : {"glute_min", "tfl", "hip_rotators"}) {
        others_h += meanGroupForce(m, healthy, g, Side::Right);
        others_w += meanGroupForce(m, strict, g, Side::Right);
    }
    CHECK(others_w > others_h);
    // No recorded force exceeds the weakened capacity (fmax x strength x the eccentric
    // force-velocity maximum 1.8, plus passive force at most fmax at 1.6 lopt).
    for (int i = 0; i < static_cast<int>(m.muscles().size()); ++i)
        for (int k = 0; k < strict.muscle_force.rows(); ++k)
            CHECK(strict.muscle_force.at(k, i) <= m.muscles()[i].fmax * (1.8 * weak.strength[i] + 1.0) + 1e-9);
    // Strict mode: the motion is still tracked.
    for (const Coordinate& c : m.coordinates())
        if (c.rotational) CHECK(metric(strict, "tracking_rms_" + c.name + "_deg") < 5.0);

    // The deviation is reported coordinate by coordinate, and it is the RMS of q - q_ref.
    for (int c = 0; c < static_cast<int>(m.coordinates().size()); ++c) {
        const Coordinate& co = m.coordinates()[c];
        double ss = 0;
        for (int k = 0; k < strict.q.rows(); ++k) ss += std::pow(strict.q.at(k, c) - strict.q_ref.at(k, c), 2);
        const double rms = std::sqrt(ss / strict.q.rows()) * (co.rotational ? 180 / M_PI : 100.0);
        CHECK(metric(strict, "tracking_rms_" + co.name + (co.rotational ? "_deg" : "_cm")) == Approx(rms).epsilon(1e-9));
    }
}

TEST_CASE("training.apply: a run's strengths are the weakened runner's after the program", "[weakness]") {
    const Model& m = *model();
    const std::map<std::string, std::string> keys = {{"weakness.glute_med", "0.4"}, {"training.program", "side_plank"},
                                                     {"training.weeks", "8"}};
    auto with = keys;
    with["training.apply"] = "yes";
    const CmcOptions before = runOptions(m, Scenario::resolve("", keys).settings());
    const CmcOptions after = runOptions(m, Scenario::resolve("", with).settings());
    const std::vector<Exercise> program = selectProgram(m, Scenario::resolve("", with).settings().training);
    REQUIRE(program.size() == 1);
    const std::vector<double> expect = trainStrength(m, before.strength, {&program[0]}, 8, 2.5,
                                                     readTrainingParams(defaultTrainingParamsPath()));
    CHECK(after.strength == expect);
    const int gmed = m.muscleIndex("glmed1_r");
    CHECK(after.strength[gmed] > before.strength[gmed]);
}
