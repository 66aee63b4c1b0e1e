// The validation suite (see the header). Every published number below carries its source;
// docs/validation_references.md gives the pages and the checks made on them.
#include "validation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

#include "cmc.h"
#include "model_parser.h"
#include "paths.h"
#include "run.h"
#include "scenario.h"
#include "validation_data.h"

namespace corestride {
namespace {

constexpr double kGravity = 9.80665;

std::string fmt(double v, int precision = 3) {
    std::ostringstream o;
    if (std::abs(v) >= 100 && std::abs(v) < 1e7) o << std::fixed << std::setprecision(0) << v;   // no exponents for N
    else o << std::setprecision(precision) << v;
    return o.str();
}

ScenarioRun runCase(const std::map<std::string, std::string>& overrides) {
    return runScenario(Scenario::resolve("", overrides).settings());
}

int levelIndex(const Model& m, const std::string& joint) {
    for (size_t k = 0; k < m.lumbarLevels().size(); ++k)
        if (m.lumbarLevels()[k].joint == joint) return static_cast<int>(k);
    return -1;
}

// Largest compression at a level over the run, N.
double peakCompression(const ScenarioRun& run, const std::string& joint) {
    const int k = levelIndex(*run.model, joint);
    double peak = 0;
    for (int i = 0; i < run.result.lumbar_force[k].rows(); ++i) peak = std::max(peak, run.result.lumbar_force[k].at(i, 0));
    return peak;
}

// Largest anterior shear at a level over the run (the ap_shear column, docs/lumbar_loads.md), N.
double peakAnteriorShear(const ScenarioRun& run, const std::string& joint) {
    const int k = levelIndex(*run.model, joint);
    double peak = -1e300;
    for (int i = 0; i < run.result.lumbar_force[k].rows(); ++i) peak = std::max(peak, run.result.lumbar_force[k].at(i, 1));
    return peak;
}

// Largest summed force of a muscle group (both sides) over the run, N.
double peakGroupForce(const ScenarioRun& run, const std::string& group_name) {
    const Model& m = *run.model;
    const int group = m.groupIndex(group_name);
    if (group < 0) throw std::logic_error("validation: the model has no group " + group_name);
    std::vector<int> idx;
    for (size_t k = 0; k < m.muscles().size(); ++k) {
        const Muscle& mu = m.muscles()[k];
        if (std::find(mu.groups.begin(), mu.groups.end(), group) != mu.groups.end()) idx.push_back(static_cast<int>(k));
    }
    const Table& f = run.result.muscle_force;
    double peak = 0;
    for (int i = 0; i < f.rows(); ++i) {
        double sum = 0;
        for (int k : idx) sum += f.at(i, k);
        peak = std::max(peak, sum);
    }
    return peak;
}

// Largest hip contact force of either hip over the run, in body weights.
double peakHipBW(const ScenarioRun& run) {
    const Table& h = run.result.hip_force;
    double peak = 0;
    for (int i = 0; i < h.rows(); ++i)
        for (int side = 0; side < 2; ++side)
            peak = std::max(peak, std::hypot(h.at(i, 3 * side), h.at(i, 3 * side + 1), h.at(i, 3 * side + 2)));
    return peak / run.reference->bodyWeight();
}

// Largest Achilles tendon force of either leg over the run (the summed tendon forces of the
// model's triceps_surae group on one side: soleus and both gastrocnemii), in body weights; NaN
// for a model without the group.
double peakAchillesBW(const ScenarioRun& run) {
    const Model& m = *run.model;
    const int group = m.groupIndex("triceps_surae");
    if (group < 0) return std::nan("");
    double peak = 0;
    for (Side side : {Side::Right, Side::Left}) {
        std::vector<int> idx;
        for (size_t k = 0; k < m.muscles().size(); ++k) {
            const Muscle& mu = m.muscles()[k];
            if (mu.side == side && std::find(mu.groups.begin(), mu.groups.end(), group) != mu.groups.end())
                idx.push_back(static_cast<int>(k));
        }
        const Table& f = run.result.muscle_force;
        for (int i = 0; i < f.rows(); ++i) {
            double sum = 0;
            for (int k : idx) sum += f.at(i, k);
            peak = std::max(peak, sum);
        }
    }
    return peak / run.reference->bodyWeight();
}

// Phase (% of the stride after right foot strike, in (-50, 50]) at which the summed
// activation of the named right-side muscles peaks, averaged over the samples of one stride.
// half_cycle: for muscles with one burst per foot strike, the two halves of the stride are
// averaged first and the result is the peak's distance from the nearer foot strike, in
// [0, 25] % of the stride. Otherwise the
// larger of two nearly equal bursts would decide, and the right-stance burst, the first of a
// run, carries CMC's start-up transient (it peaks 19-21 % after strike, the left one 13 %).
double peakPhase(const ScenarioRun& run, const std::vector<std::string>& muscles, double strike, double stride,
                 bool half_cycle = false) {
    const RunResult& r = run.result;
    std::vector<int> idx;
    for (const std::string& name : muscles) {
        const int k = run.model->muscleIndex(name);
        if (k >= 0) idx.push_back(k);
    }
    if (idx.empty()) return NAN;
    // Bin the stride in 2% phases so that a run of several strides averages them.
    std::vector<double> sum(50, 0.0);
    std::vector<int> count(50, 0);
    for (size_t i = 0; i < r.time.size(); ++i) {
        double phase = std::fmod((r.time[i] - strike) / stride, 1.0);
        if (phase < 0) phase += 1;
        const int bin = std::min(49, static_cast<int>(phase * 50));
        double a = 0;
        for (int k : idx) a += r.activation.at(static_cast<int>(i), k);
        sum[bin] += a;
        ++count[bin];
    }
    if (half_cycle) {
        std::vector<double> folded(25, 0.0);
        for (int b = 0; b < 25; ++b)
            folded[b] = 0.5 * (sum[b] / std::max(count[b], 1) + sum[b + 25] / std::max(count[b + 25], 1));
        const int best = static_cast<int>(std::max_element(folded.begin(), folded.end()) - folded.begin());
        const double after = (best + 0.5) * 2.0;   // % of the stride after a foot strike
        return std::min(after, 50.0 - after);
    }
    int best = 0;
    for (int b = 0; b < 50; ++b)
        if (count[b] && sum[b] / count[b] > sum[best] / std::max(count[best], 1)) best = b;
    double phase = (best + 0.5) * 2.0;   // %
    if (phase > 50) phase -= 100;
    return phase;
}

// The first right-foot strike (vertical ground reaction rising through kContactForce).
double rightStrike(const ScenarioRun& run) {
    const RunResult& r = run.result;
    for (size_t i = 1; i < r.time.size(); ++i)
        if (r.grf_force.at(static_cast<int>(i) - 1, 1) < kContactForce && r.grf_force.at(static_cast<int>(i), 1) >= kContactForce)
            return r.time[i];
    return r.time.empty() ? 0 : r.time.front();   // the built-in stride starts at right strike
}

const QualityCheck* findCheck(const RunResult& r, const std::string& name) {
    for (const QualityCheck& q : r.checks)
        if (q.name == name) return &q;
    return nullptr;
}

void addResidualRows(ValidationReport& rep, const std::string& tag, const std::string& group, const ScenarioRun& run) {
    const RunResult& r = run.result;
    const std::string hicks = "Hicks JL, Uchida TK, Seth A, Rajagopal A, Delp SL (2015) J Biomech Eng 137:020905, sec. 3.1.3";
    const struct { const char* check; const char* what; const char* published; } rows[] = {
        {"residual_force_max", "peak pelvis residual force", "at most 5% of the peak external force"},
        {"residual_force_rms", "RMS pelvis residual force", "at most 5% of the peak external force"},
        {"residual_moment_rms", "RMS pelvis residual moment", "at most 1% of COM height x the peak external force"},
    };
    for (const auto& row : rows) {
        const QualityCheck* q = findCheck(r, row.check);
        ValidationRow v{tag + "_" + row.check, group, row.what, 0, "", 0, 0, row.published, hicks, ""};
        if (!q) {
            v.skipped = "the run did not finish: " + r.status.text();
        } else {
            v.value = q->value;
            v.unit = q->unit;
            v.hi = q->limit;
        }
        rep.rows.push_back(v);
    }
    double worst = 0;
    std::string worst_name;
    for (const QualityCheck& q : r.checks)
        if (q.name.rfind("tracking_rms_", 0) == 0 && q.unit == "deg" && q.value > worst) { worst = q.value; worst_name = q.name.substr(13); }
    ValidationRow t{tag + "_tracking", group, "worst RMS joint-angle tracking error (" + worst_name + ")", worst, "deg", 0, 5.0,
                    "RMS error 2-5 deg", "OpenSim best practices for CMC (Hicks et al. 2015 and the OpenSim documentation)", ""};
    if (r.checks.empty()) t.skipped = "the run did not finish: " + r.status.text();
    rep.rows.push_back(t);
}

void addLoadRows(ValidationReport& rep, const std::string& tag, const std::string& group, const ScenarioRun& run) {
    const double bw = run.reference->bodyWeight();
    const LoadBand& disc = kWilkeJogging;
    rep.rows.push_back({tag + "_l4l5_peak_compression", group, "peak L4/L5 compression over the stride", peakCompression(run, "L4_L5"),
                        "N", disc.lo_mpa * disc.newton_per_mpa, disc.hi_mpa * disc.newton_per_mpa,
                        disc.published + "; " + kDiscConversion.published, disc.citation + "; " + kDiscConversion.citation, ""});
    rep.rows.back().published += " (band for this runner: " + fmt(disc.lo_mpa * disc.newton_per_mpa / bw, 2) + "-" +
                                 fmt(disc.hi_mpa * disc.newton_per_mpa / bw, 2) + " BW)";
    rep.rows.push_back({tag + "_hip_peak", group, "peak hip contact force (either hip)", peakHipBW(run), "BW", kBergmannJogging.lo,
                        kBergmannJogging.hi, kBergmannJogging.published, kBergmannJogging.citation, ""});
    const ForceBand& at = kReiterAchillesRunning;
    rep.rows.push_back({tag + "_achilles_peak", group, "peak Achilles tendon force (soleus and gastrocnemii, either leg)",
                        peakAchillesBW(run), "BW", at.lo, at.hi, at.published, at.citation, ""});
}

}  // namespace

ValidationReport runValidation(const ValidationOptions& opt) {
    const auto start = std::chrono::steady_clock::now();
    ValidationReport rep;
    auto say = [&](const std::string& s) { if (opt.progress) opt.progress(s); };

    // 1. Quiet standing: L4/L5 compression against relaxed-standing intradiscal pressure.
    say("quiet standing");
    {
        const ScenarioRun run = runCase({{"run.name", "standing"}, {"motion.source", "standing"}, {"motion.t_end", "1"}});
        const int k = levelIndex(*run.model, "L4_L5");
        double mean = 0;
        int n = 0;
        for (size_t i = 0; i < run.result.time.size(); ++i)
            if (run.result.time[i] >= 0.3) { mean += run.result.lumbar_force[k].at(static_cast<int>(i), 0); ++n; }
        ValidationRow row{"standing_l4l5_compression", "Quiet standing (75 kg, 1.75 m)", "mean L4/L5 compression, relaxed upright standing",
                          n ? mean / n : 0, "N", kWilkeStanding.lo_mpa * kWilkeStanding.newton_per_mpa,
                          kWilkeStanding.hi_mpa * kWilkeStanding.newton_per_mpa,
                          kWilkeStanding.published + "; " + kDiscConversion.published,
                          kWilkeStanding.citation + "; " + kDiscConversion.citation, ""};
        if (!run.result.status.finished()) row.skipped = "the run did not finish: " + run.result.status.text();
        rep.rows.push_back(row);
    }

    // 2. Running on the built-in stride at three speeds: loads, and at 3.5 m/s muscle timing
    // and residuals.
    for (const char* speed : {"3.0", "3.5", "4.0"}) {
        say(std::string("running ") + speed + " m/s (built-in stride)");
        const ScenarioRun run = runCase({{"run.name", std::string("running_") + speed}, {"running.speed", speed}});
        const std::string tag = std::string("running_") + speed, group = std::string("Running ") + speed + " m/s, built-in stride (75 kg, 1.75 m)";
        addLoadRows(rep, tag, group, run);
        if (std::string(speed) != "3.5") continue;
        addResidualRows(rep, tag, group, run);
        const double strike = rightStrike(run), stride = run.reference->strideTime();
        for (const EmgBand& e : kEmgTiming) {
            // A muscle with two bursts per stride (trunk muscles, one per foot strike): the
            // peak of the half-cycle average, as a distance from the nearer foot strike.
            const double value = peakPhase(run, e.muscles, strike, stride, e.either_foot);
            rep.rows.push_back({tag + "_emg_" + e.id, "Muscle timing, running 3.5 m/s", e.what, value, "% stride", e.lo, e.hi,
                                e.published, e.citation, ""});
        }
    }

    // 3. The shared treadmill trials read as user files (optional: ../shared), with the leg
    // lengths of the runner's own model (the built-in stride's runner).
    double thigh = 1, shank = 1;
    strideRunnerLegFactors(readModelFile(defaultModelPath()), thigh, shank);
    // The case ids of a trial's rows (addResidualRows, then addLoadRows). Without the trial files
    // they are listed as skipped, so that the table and the baseline keep every case; with them,
    // the rows the run gives are checked against this list (a new row must be added here).
    static const char* const kTrialCaseIds[] = {"residual_force_max", "residual_force_rms", "residual_moment_rms",
                                                "tracking", "l4l5_peak_compression", "hip_peak", "achilles_peak"};
    for (const SharedTrial& t : kSharedTrials) {
        const std::string dir = opt.shared_dir + "/data/running/hamner2013_subject01/Run_" + t.id;
        const std::string tag = std::string("hamner_") + t.id, group = std::string("Treadmill trial ") + t.label + " as user files";
        if (opt.shared_dir.empty() || !std::ifstream(dir + "/Run_" + t.id + "_IK.mot")) {
            for (const char* id : kTrialCaseIds)
                rep.rows.push_back({tag + "_" + id, group, id, 0, "", 0, 0, "", "", "trial files absent (" + dir + ")"});
            continue;
        }
        say(std::string("treadmill trial ") + t.label);
        const ScenarioRun run = runCase({{"run.name", tag},
                                         {"subject.mass", fmt(t.mass, 6)},
                                         {"subject.height", fmt(t.height, 6)},
                                         {"subject.thigh_scale", fmt(thigh, 6)},
                                         {"subject.shank_scale", fmt(shank, 6)},
                                         {"motion.source", "files"},
                                         {"motion.kinematics", dir + "/Run_" + t.id + "_IK.mot"},
                                         {"motion.grf", dir + "/Run_" + t.id + "_GRF_newCOP3_v24.mot"},
                                         {"motion.t_start", fmt(t.t0, 6)},
                                         {"motion.t_end", fmt(t.t1, 6)}});
        // A run over its quality thresholds says so in the table's heading: its loads carry the
        // caveat (for these trials the foot check, docs/simulation.md "User files").
        const std::string shown = run.result.status.ok() ? group : group + " (status: " + run.result.status.text() + ")";
        const size_t first = rep.rows.size();
        addResidualRows(rep, tag, shown, run);
        addLoadRows(rep, tag, shown, run);
        const size_t n = sizeof(kTrialCaseIds) / sizeof(kTrialCaseIds[0]);
        bool same = rep.rows.size() - first == n;
        for (size_t k = 0; same && k < n; ++k) same = rep.rows[first + k].id == tag + "_" + kTrialCaseIds[k];
        if (!same) throw std::logic_error("validation: the rows of trial " + tag + " differ from kTrialCaseIds");
    }

    // 4. Training: the strength gain the model predicts for published programmes.
    for (ValidationRow& row : trainingRows()) rep.rows.push_back(row);

    // 5. Compensation (docs/compensation.md): the form change that hip abductor weakness
    // brings. The deviation weight was calibrated against these two cases.
    {
        const std::string group = "Compensation: running form with weak hip abductors (calibration of the deviation weight)";
        const std::string cal = "; CALIBRATED: compensation.deviation_weight = 1 was chosen against this case "
                                "(docs/compensation.md)";
        auto change = [](const RunResult& r, const std::string& name) {
            for (const auto& [n, v] : r.metrics)
                if (n == "form_change_" + name + "_deg") return v;
            return std::nan("");
        };
        say("compensation: hip abductors 45% weaker");
        const ScenarioRun moderate = runCase({{"run.name", "abductors_45"}, {"control.mode", "compensate"},
                                              {"weakness.group.hip_abductors", "0.45"}});
        double largest = 0;
        for (const char* m : {"trunk_lean_to_stance_peak_r", "trunk_lean_to_stance_peak_l", "pelvic_drop_peak_r",
                              "pelvic_drop_peak_l", "hip_adduction_stance_peak_r", "hip_adduction_stance_peak_l",
                              "trunk_flexion_mean", "pelvic_tilt_anterior_mean"})
            largest = std::max(largest, std::abs(change(moderate.result, m)));
        ValidationRow a{"compensation_abductors45_form_change", group,
                        "hip abductors 45% weaker: largest change of trunk lean, pelvic drop, hip adduction, trunk "
                        "flexion or pelvic tilt",
                        largest, "deg", 0, 2,
                        "52% abductor strength loss after a superior gluteal nerve block: no significant change of "
                        "pelvic drop in single-leg stance (P = 0.99); walking after the block: no significant change "
                        "of pelvic drop (P = .53), trunk lean (P = .78) or hip adduction (P = .48) (abstracts; not "
                        "running); project band: within 2 deg" + cal,
                        "Kendall KD et al. (2013) Clin J Sport Med 23:45-51; Pohl MB et al. (2015) J Athl Train 50:385-391",
                        ""};
        if (!moderate.result.status.finished()) a.skipped = "the run did not finish: " + moderate.result.status.text();
        rep.rows.push_back(a);
        say("compensation: hip abductors 90% weaker");
        const ScenarioRun severe = runCase({{"run.name", "abductors_90"}, {"control.mode", "compensate"},
                                            {"weakness.group.hip_abductors", "0.9"}});
        const double lean = 0.5 * (change(severe.result, "trunk_lean_to_stance_peak_r") +
                                   change(severe.result, "trunk_lean_to_stance_peak_l"));
        ValidationRow b{"compensation_abductors90_trunk_lean", group,
                        "hip abductors 90% weaker: change of the trunk lean toward the stance leg (mean of both sides)",
                        lean, "deg", 3, 30,
                        "weak abductors: the torso is shifted over the weight-bearing hip (qualitative, single-leg "
                        "stance); project band: a clear lean, at least 3 deg (no running measurement in degrees "
                        "found)" + cal,
                        "Hardcastle P, Nade S (1985) J Bone Joint Surg Br 67:741-746", ""};
        if (!severe.result.status.finished()) b.skipped = "the run did not finish: " + severe.result.status.text();
        rep.rows.push_back(b);
    }

    // 6. Fatigue over a long run (docs/long_run.md): strength lost by the end of a run. The
    // running fatigue factor was calibrated against the first case; the others test it.
    {
        const std::string group = "Fatigue: strength lost over a run (calibration of the running fatigue factor)";
        auto lost = [](const RunResult& r, const std::string& group_name) {
            const LongRunResult& lr = r.long_run;
            double sum = 0;
            int n = 0;
            for (size_t g = 0; g < lr.group_names.size(); ++g)
                if (lr.group_names[g] == group_name + "_r" || lr.group_names[g] == group_name + "_l") {
                    sum += 100 * (1 - lr.capacity_end[g]);
                    ++n;
                }
            return n ? sum / n : std::nan("");
        };
        auto skipped = [](const ScenarioRun& r) {
            return r.result.long_run.completed ? std::string()
                                               : "the long run did not complete: " + r.result.long_run.status;
        };
        say("fatigue: healthy runner, 30 min at 3.5 m/s");
        const ScenarioRun healthy = runCase({{"run.name", "healthy_30min"}, {"control.mode", "compensate"},
                                             {"run.duration_min", "30"}});
        const std::string riazati = "Riazati S, Caplan N, Matabuena M, Hayes PR (2020) Front Bioeng Biotechnol 8:360";
        ValidationRow a{"fatigue_healthy30_hip_abductor_loss", group,
                        "healthy runner, 30 min at 3.5 m/s: hip abductor strength lost (mean of both sides)",
                        lost(healthy.result, "hip_abductors"), "%", 7.8, 13.8,
                        "isometric hip abduction 0.490 -> 0.437 kg/kg (-10.8 %) after a continuous run of 26-32 min "
                        "at 3.3-3.6 m/s (20 masters runners); project band: within 3 points; CALIBRATED: "
                        "running_fatigue_factor (models/fatigue.params) was fitted to this case",
                        riazati, skipped(healthy)};
        rep.rows.push_back(a);
        ValidationRow b{"fatigue_healthy30_hip_adductor_loss", group,
                        "healthy runner, 30 min at 3.5 m/s: hip adductor strength lost (mean of both sides)",
                        lost(healthy.result, "hip_adductors"), "%", 3.9, 9.9,
                        "isometric hip adduction 0.318 -> 0.296 kg/kg (-6.9 %) after the same runs; project band: "
                        "within 3 points",
                        riazati, skipped(healthy)};
        rep.rows.push_back(b);
        ValidationRow c{"fatigue_healthy30_knee_extensor_loss", group,
                        "healthy runner, 30 min at 3.5 m/s: knee extensor (quadriceps) strength lost (mean of both "
                        "sides)",
                        lost(healthy.result, "quadriceps"), "%", 0, 10,
                        "no significant change of isometric knee extensor peak torque after 30 min of moderate "
                        "running; knee extensor MVC unchanged right after 6 km at the anaerobic threshold (abstracts); "
                        "project band: at most 10 %",
                        "Wilhelm EN et al. (2014) Isokinet Exerc Sci 22:115-122; Skof B, Strojnik V (2006) Br J Sports "
                        "Med 40:219-222",
                        skipped(healthy)};
        rep.rows.push_back(c);
        say("fatigue: healthy runner, 5 h at 3.0 m/s");
        const std::string place = "Place N, Lepers R, Deley G, Millet GY (2004) Med Sci Sports Exerc 36(8):1347-1356, doi "
                                  "10.1249/01.MSS.0000135786.22996.77";
        const ScenarioRun five = runCase({{"run.name", "healthy_5h"}, {"control.mode", "compensate"},
                                          {"running.speed", "3.0"}, {"run.duration_min", "300"}, {"run.epochs", "10"}});
        ValidationRow d{"fatigue_healthy5h_knee_extensor_loss", group,
                        "healthy runner, 5 h at 3.0 m/s: knee extensor (quadriceps) strength lost (mean of both sides)",
                        lost(five.result, "quadriceps"), "%", 18, 38,
                        "knee extensor MVC loss reached -28 % after 5 h of treadmill running at 55 % of maximal "
                        "aerobic velocity (9 athletes; abstract); 3.0 m/s is the built-in stride's slowest speed "
                        "(55 % of ~5.5 m/s); project band: within 10 points. Most of that loss was central "
                        "(voluntary activation -16 %), which the model does not have (docs/long_run.md)",
                        place, skipped(five)};
        rep.rows.push_back(d);
        // The same study separates the muscle's own (peripheral) force from the drive to it:
        // electrically evoked tetanic force did not change. The model's fatigue is peripheral
        // only (it lowers each muscle's maximal activation), so this is the part it claims.
        ValidationRow e{"fatigue_healthy5h_knee_extensor_peripheral", group,
                        "healthy runner, 5 h at 3.0 m/s: knee extensor (quadriceps) strength lost, the model's "
                        "peripheral fatigue (mean of both sides)",
                        lost(five.result, "quadriceps"), "%", 0, 10,
                        "20 and 80 Hz electrically evoked tetanic force of the knee extensors not altered after the "
                        "5 h (peak twitch potentiated +18 %; abstract); project band: at most 10 %",
                        place, skipped(five)};
        rep.rows.push_back(e);
    }

    // 7. Deep-core weakness in running, against the one published simulation study of it (a
    // model, not a measurement): Raabe & Chaudhari 2018 weakened multifidus, quadratus
    // lumborum, psoas and the deep erector spinae, alone and together, in kinematically driven
    // OpenSim simulations of eight runners (so CoreStride's strict mode: the same stride). Their
    // weakness levels were not retrieved; the abstract's results are for "complete" weakness,
    // read here as the muscles' whole strength lost (docs/validation_references.md, section 9).
    {
        const std::string group = "Deep-core weakness, running 3.5 m/s, built-in stride: against a published simulation study";
        const std::string raabe = "Raabe ME, Chaudhari AMW (2018) J Biomech 67, doi 10.1016/j.jbiomech.2017.11.037 (abstract)";
        const std::string level = " (CoreStride: weakness.deep_core = 1 against the healthy runner, strict mode; the "
                                  "paper's weakness levels were not retrieved)";
        say("deep-core weakness: healthy and deep core 100% weaker");
        const ScenarioRun healthy = runCase({{"run.name", "deep_core_healthy"}});
        const ScenarioRun weak = runCase({{"run.name", "deep_core_weak"}, {"weakness.deep_core", "1"}});
        auto change = [](double before, double after) { return 100 * (after / before - 1); };
        auto skip = [](const ScenarioRun& a, const ScenarioRun& b) {
            if (!a.result.status.finished()) return "the run did not finish: " + a.result.status.text();
            if (!b.result.status.finished()) return "the run did not finish: " + b.result.status.text();
            return std::string();
        };
        double upper = -1e300, lower = 1e300, shear = 1e300;
        for (const char* lv : {"L1_L2", "L2_L3"}) upper = std::max(upper, change(peakCompression(healthy, lv), peakCompression(weak, lv)));
        for (const char* lv : {"L4_L5", "L5_S1"}) {
            lower = std::min(lower, change(peakCompression(healthy, lv), peakCompression(weak, lv)));
            shear = std::min(shear, change(peakAnteriorShear(healthy, lv), peakAnteriorShear(weak, lv)));
        }
        rep.rows.push_back({"deep_core_weak_upper_compression", group,
                            "deep core 100% weaker: change of peak compression at the upper lumbar levels (larger of "
                            "L1/L2, L2/L3)",
                            upper, "%", 0, 20,
                            "complete deep-core weakness raised compression on the upper lumbar vertebrae, up to +15 % "
                            "(p = .007); project band: 0 to +20 %" + level,
                            raabe, skip(healthy, weak)});
        rep.rows.push_back({"deep_core_weak_lower_compression", group,
                            "deep core 100% weaker: change of peak compression at the lower lumbar levels (smaller of "
                            "L4/L5, L5/S1)",
                            lower, "%", -10, 2,
                            "and lowered it on the lower lumbar vertebrae, up to -8 % (p = .008); project band: -10 to "
                            "+2 %" + level,
                            raabe, skip(healthy, weak)});
        rep.rows.push_back({"deep_core_weak_anterior_shear", group,
                            "deep core 100% weaker: change of peak anterior shear (smaller of L4/L5, L5/S1; at L1-L3 "
                            "the model's shear stays posterior)",
                            shear, "%", 0, 25,
                            "peak anterior shear rose on all lumbar vertebrae, up to +19 % (p = .001); project band: 0 "
                            "to +25 %" + level,
                            raabe, skip(healthy, weak)});
        say("deep-core weakness: deep erector spinae 100% weaker");
        const ScenarioRun erector = runCase({{"run.name", "erector_weak"}, {"weakness.group.erector_spinae_deep", "1"}});
        rep.rows.push_back({"erector_weak_longissimus_force", group,
                            "deep erector spinae alone 100% weaker: change of the peak longissimus thoracis (pars "
                            "thoracis) force, both sides",
                            change(peakGroupForce(healthy, "longissimus_thoracis"), peakGroupForce(erector, "longissimus_thoracis")),
                            "%", 25, 65,
                            "the superficial longissimus thoracis compensated in 4 of 5 weakness conditions; the deep "
                            "erector spinae needed the largest compensation, up to +45 +- 10 % of compensating muscle "
                            "force (p = .004); project band: mean +- 2 SD (CoreStride: "
                            "weakness.group.erector_spinae_deep = 1; the paper's levels were not retrieved)",
                            raabe, skip(healthy, erector)});
    }

    rep.wall_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return rep;
}

namespace {

std::string verdict(const ValidationRow& r) {
    if (!r.skipped.empty()) return "skipped";
    return r.within() ? "yes" : "**no**";
}

std::string band(const ValidationRow& r) {
    if (r.lo == 0 && r.hi > 0) return "≤ " + fmt(r.hi);
    return fmt(r.lo) + " – " + fmt(r.hi);
}

std::string htmlEscape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default: o += c;
        }
    }
    return o;
}

}  // namespace

void writeValidationMarkdown(const ValidationReport& rep, std::ostream& out) {
    int ran = 0, within = 0, skipped = 0;
    for (const ValidationRow& r : rep.rows) {
        if (!r.skipped.empty()) { ++skipped; continue; }
        ++ran;
        within += r.within();
    }
    out << "# Validation: CoreStride against published measurements\n\n"
        << "Generated by `corestride validate --markdown docs/validation.md` (do not edit by hand; "
        << "`scripts/validate` regenerates it). " << ran << " cases ran, " << within << " within the published band, "
        << ran - within << " outside, " << skipped << " skipped. Wall time " << fmt(rep.wall_time, 3) << " s.\n\n"
        << "Each row: what CoreStride computes, its value, the published value or band (and how a published "
        << "measurement became the band), the citation, and whether the value lies within. A case outside its band is "
        << "a known weakness of the model, listed here so that nobody relies on that number unknowingly; "
        << "the test `validation_regression` (`tests/validation_test.py`) fails when a case that was within falls outside. Sources and the "
        << "checks made on them: `docs/validation_references.md`; the audit of the lumbar loads: `docs/lumbar_audit.md`.\n\n";
    std::string group;
    for (const ValidationRow& r : rep.rows) {
        if (r.group != group) {
            group = r.group;
            out << "\n## " << group << "\n\n| case | CoreStride | published | unit | within? | source |\n|---|---|---|---|---|---|\n";
        }
        if (!r.skipped.empty()) {
            out << "| " << r.what << " | — | — | | skipped: " << r.skipped << " | |\n";
            continue;
        }
        out << "| `" << r.id << "`: " << r.what << " | " << fmt(r.value, 4) << " | " << band(r) << " (" << r.published << ") | "
            << r.unit << " | " << verdict(r) << " | " << r.citation << " |\n";
    }
}

void writeValidationHtml(const ValidationReport& rep, std::ostream& out) {
    int ran = 0, within = 0;
    for (const ValidationRow& r : rep.rows)
        if (r.skipped.empty()) { ++ran; within += r.within(); }
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>CoreStride validation</title>\n<style>\n"
        << "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}\n"
        << "h1{font-size:1.6em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
        << "table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}\n"
        << "th{background:#f0f0f0;text-align:left}td.num{text-align:right;white-space:nowrap}\n"
        << ".yes{background:#e3f4e3}.no{background:#fbe3e3;font-weight:bold}.skip{color:#777}\n"
        << ".summary{background:#f7f7f7;border-left:4px solid #888;padding:.5em 1em}\n</style></head><body>\n"
        << "<h1>How far CoreStride's numbers agree with measurements</h1>\n<p class=\"summary\">" << ran << " comparisons ran: "
        << within << " within the published band, " << ran - within
        << " outside. A comparison outside its band marks a number of the model not to be relied on yet.</p>\n";
    std::string group;
    for (const ValidationRow& r : rep.rows) {
        if (r.group != group) {
            if (!group.empty()) out << "</table>\n";
            group = r.group;
            out << "<h2>" << htmlEscape(group) << "</h2>\n<table><tr><th>case</th><th>CoreStride</th><th>published band</th>"
                << "<th>within?</th><th>source</th></tr>\n";
        }
        if (!r.skipped.empty()) {
            out << "<tr class=\"skip\"><td>" << htmlEscape(r.what) << "</td><td colspan=\"4\">skipped: " << htmlEscape(r.skipped)
                << "</td></tr>\n";
            continue;
        }
        out << "<tr><td>" << htmlEscape(r.what) << "</td><td class=\"num\">" << fmt(r.value, 4) << " " << htmlEscape(r.unit)
            << "</td><td>" << htmlEscape(band(r)) << " " << htmlEscape(r.unit) << "<br><small>" << htmlEscape(r.published)
            << "</small></td><td class=\"" << (r.within() ? "yes" : "no") << "\">" << (r.within() ? "yes" : "no") << "</td><td><small>"
            << htmlEscape(r.citation) << "</small></td></tr>\n";
    }
    if (!group.empty()) out << "</table>\n";
    out << "</body></html>\n";
}

}  // namespace corestride
