// Capacity use (dynamics/capacity.h): the group use in closed form on made-up activations,
// the weakened-group flags, and the contract on a real run (use never above 1, the summary
// reads back what the run wrote).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "capacity.h"
#include "cli.h"
#include "paths.h"
#include "results_summary.h"
#include "test_support.h"

using namespace corestride;

namespace {

// A run of `n` samples with every activation set by `act(sample, muscle)`; the right foot on
// the ground in the first half, the left in the second.
RunResult madeUpRun(const Model& model, int n, const std::function<double(int, int)>& act) {
    RunResult r;
    const int nm = static_cast<int>(model.muscles().size());
    r.activation.cols = nm;
    r.grf_force.cols = 6;
    for (int k = 0; k < n; ++k) {
        r.time.push_back(0.01 * k);
        for (int i = 0; i < nm; ++i) r.activation.data.push_back(act(k, i));
        const bool right = k < n / 2;
        const double grf[6] = {0, right ? 800.0 : 0.0, 0, 0, right ? 0.0 : 800.0, 0};
        r.grf_force.data.insert(r.grf_force.data.end(), grf, grf + 6);
    }
    return r;
}

int groupIndex(const RunResult& r, const std::string& name) {
    const auto& g = r.capacity.group_names;
    const auto it = std::find(g.begin(), g.end(), name);
    REQUIRE(it != g.end());
    return static_cast<int>(it - g.begin());
}

bool inGroup(const Model& model, int muscle, const std::string& group) {
    const auto& gs = model.muscles()[muscle].groups;
    return std::find(gs.begin(), gs.end(), model.groupIndex(group)) != gs.end();
}

}  // namespace

TEST_CASE("capacity use in closed form: strength-weighted activation over ceiling, per side", "[capacity]") {
    const Model& model = test::shippedModel();
    const int nm = static_cast<int>(model.muscles().size());

    SECTION("equal activations give that activation for every group; the ceiling divides it") {
        RunResult r = madeUpRun(model, 10, [](int, int) { return 0.3; });
        std::vector<double> ceiling(nm, 1.0);
        for (int i = 0; i < nm; ++i)
            if (inGroup(model, i, "glute_med") && model.muscles()[i].side == Side::Right) ceiling[i] = 0.6;
        calcCapacityUse(model, {}, ceiling, r);
        CHECK(r.capacity.group_peak[groupIndex(r, "glute_med_r")] == Approx(0.5));
        CHECK(r.capacity.group_peak[groupIndex(r, "glute_med_l")] == Approx(0.3));
        CHECK(r.capacity.group_mean[groupIndex(r, "deep_core_r")] == Approx(0.3));
        for (int i = 0; i < nm; ++i) CHECK(r.capacity.muscle_peak[i] == Approx(0.3 / ceiling[i]));
    }

    SECTION("one muscle at full activation uses its share of the group's force; stance is its side's contact") {
        // Only glmed1_r active, and only in the first half (right stance): the right gluteus
        // medius uses fmax(glmed1_r) x s / sum over the group of fmax x s x ceiling.
        const int m1 = [&] {
            for (int i = 0; i < nm; ++i)
                if (model.muscles()[i].name == "glmed1_r") return i;
            FAIL("no glmed1_r");
            return -1;
        }();
        RunResult r = madeUpRun(model, 10, [&](int k, int i) { return i == m1 && k < 5 ? 1.0 : 0.0; });
        std::vector<double> strength(nm, 1.0);
        strength[m1] = 0.5;
        double capacity = 0;
        for (int i = 0; i < nm; ++i)
            if (inGroup(model, i, "glute_med") && model.muscles()[i].side == Side::Right)
                capacity += model.muscles()[i].fmax * strength[i];
        calcCapacityUse(model, strength, {}, r);
        const int g = groupIndex(r, "glute_med_r");
        const double share = model.muscles()[m1].fmax * 0.5 / capacity;
        CHECK(r.capacity.group_peak[g] == Approx(share));
        CHECK(r.capacity.group_mean[g] == Approx(share / 2));
        CHECK(r.capacity.group_stance_mean[g] == Approx(share));          // right stance: samples 0-4
        CHECK(r.capacity.group_stance_mean[groupIndex(r, "glute_med_l")] == 0.0);
        CHECK(r.capacity.group_use.at(7, g) == 0.0);
        CHECK(test::metric(r, "capacity_peak_glute_med_r_pct") == Approx(100 * share));
        CHECK(test::metric(r, "capacity_stance_mean_glute_med_r_pct") == Approx(100 * share));
    }

    SECTION("weakened flags name the groups a scenario weakened, not the groups around them") {
        RunResult r = madeUpRun(model, 4, [](int, int) { return 0.1; });
        std::vector<double> strength(nm, 1.0);
        for (int i = 0; i < nm; ++i) {
            if (inGroup(model, i, "glute_med") && model.muscles()[i].side == Side::Right) strength[i] = 0.6;
            if (inGroup(model, i, "deep_core")) strength[i] = 0.7;
        }
        calcCapacityUse(model, strength, {}, r);
        auto weakened = [&](const std::string& n) { return r.capacity.group_weakened[groupIndex(r, n)] == 1; };
        CHECK(weakened("glute_med_r"));
        CHECK_FALSE(weakened("glute_med_l"));
        CHECK_FALSE(weakened("hip_abductors_r"));   // partly weakened
        CHECK(weakened("deep_core_r"));
        CHECK(weakened("deep_core_l"));
        CHECK_FALSE(weakened("psoas_r"));           // weakened, but inside the deep core
        CHECK_FALSE(weakened("multifidus_l"));
    }

    SECTION("a group with no strength left has no capacity to use: NaN, not 0% used") {
        RunResult r = madeUpRun(model, 4, [](int, int) { return 0.2; });
        std::vector<double> strength(nm, 1.0), ceiling(nm, 1.0);
        for (int i = 0; i < nm; ++i)
            if (inGroup(model, i, "glute_med") && model.muscles()[i].side == Side::Right) strength[i] = ceiling[i] = 0.0;
        calcCapacityUse(model, strength, ceiling, r);
        const int g = groupIndex(r, "glute_med_r");
        CHECK(std::isnan(r.capacity.group_peak[g]));
        CHECK(std::isnan(r.capacity.group_stance_mean[g]));
        CHECK(std::isnan(test::metric(r, "capacity_peak_glute_med_r_pct")));
        CHECK(r.capacity.group_weakened[g] == 1);
        CHECK(r.capacity.group_peak[groupIndex(r, "glute_med_l")] == Approx(0.2));
        for (int i = 0; i < nm; ++i)
            if (ceiling[i] == 0.0) CHECK(std::isnan(r.capacity.muscle_peak[i]));
    }

    SECTION("a strength or ceiling vector of the wrong size is refused") {
        RunResult r = madeUpRun(model, 2, [](int, int) { return 0.1; });
        CHECK_THROWS_AS(calcCapacityUse(model, std::vector<double>(3, 1.0), {}, r), std::invalid_argument);
    }
}

TEST_CASE("capacity use of a run: never above the ceiling, and summary reads back what run wrote", "[capacity]") {
    // Neural weakness lowers the activation ceiling of gluteus medius to 0.6: its activation
    // may reach the ceiling but not pass it, so no use exceeds 1.
    const std::string out =
        (std::filesystem::temp_directory_path() / ("corestride_capacity_" + std::to_string(::getpid()) + ".h5")).string();
    std::ostringstream o, e;
    REQUIRE(runCli({"run", scenariosDir() + "/weak_glute_med.cfg", "--weakness.neural=yes", "--quiet", "-o", out}, o, e) == 0);
    INFO(o.str());
    CHECK_THAT(o.str(), Catch::Matchers::Contains("capacity use") && Catch::Matchers::Contains("right gluteus medius"));
    const FileSummary s = summariseResults(openResults(out));
    REQUIRE(s.runs.size() == 1);
    const auto& cap = s.runs[0].capacity;
    REQUIRE(!cap.empty());
    int weakened = 0;
    for (const GroupCapacity& c : cap) {
        INFO(c.name);
        CHECK(c.peak <= 1.0 + 1e-6);
        CHECK(c.mean <= c.peak);
        CHECK(c.stance_mean <= c.peak + 1e-12);
        CHECK(c.mean >= 0.0);
        weakened += c.weakened;
        if (c.weakened) CHECK(c.group == "glute_med");
    }
    CHECK(weakened == 2);   // right and left
    // The summary's reserve line is the largest reserve share the run recorded, and the run
    // printed the same share for its largest reserve (a weak gluteus medius in strict mode:
    // the hip adduction reserve takes what the abductors cannot give).
    double share = -1;
    for (const auto& [n, v] : s.runs[0].metrics)
        if (n == "reserve_share_worst_pct") share = v;
    REQUIRE(share >= 0);
    CHECK(share > 10);
    CHECK_THAT(o.str(), Catch::Matchers::Contains("NOTE: reserves above 10% of the joint's peak moment"));
    // ... and, the runner being weakened on the recorded stride, that those loads are missing
    // (docs/lumbar_audit.md, finding 16); a healthy runner gets no such note.
    CHECK_THAT(o.str(), Catch::Matchers::Contains("the scenario weakens muscles and keeps the recorded stride"));
    {
        std::ostringstream ho, he;
        REQUIRE(runCli({"run", "--quiet", "-o", out, "--overwrite"}, ho, he) == 0);
        CHECK_THAT(ho.str(), !Catch::Matchers::Contains("weakens muscles"));
    }
    std::ostringstream json;
    printSummaryJson(s, json);
    const auto j = nlohmann::json::parse(json.str());
    const auto& jc = j["runs"][0]["capacity"];
    REQUIRE(jc.size() == cap.size());
    CHECK(jc[0]["peak_pct"].get<double>() == Approx(100 * cap[0].peak));
    std::filesystem::remove(out);
}
