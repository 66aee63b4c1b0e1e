// `corestride exercises`: what each exercise's strengthening gives back at L5/S1.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "cli.h"
#include "capacity.h"
#include "cli_common.h"
#include "error.h"
#include "exercises_study.h"
#include "run_output.h"
#include "scenario.h"
#include "scenario_words.h"
#include "text_table.h"
#include "training.h"

namespace corestride {

namespace {

// Columns of the summary table (one row per run).
const std::vector<std::string> kSummaryColumns = {
    "peak_compression_N", "peak_compression_BW", "peak_ap_shear_N", "peak_ap_shear_BW", "peak_lateral_shear_N",
    "peak_lateral_shear_BW", "change_compression_N", "change_compression_pct", "change_ap_shear_N",
    "change_ap_shear_pct", "change_lateral_shear_N", "change_lateral_shear_pct", "mean_strength_gain_pct"};

// The groups an exercise strengthened, as strength in % of the healthy runner's before and
// after training ("gluteus medius 60→79%": % of the healthy runner's strength), the two largest
// gains; or why there is none.
std::string gainsText(const Model& model, const std::vector<double>& healthy, const std::vector<double>& before,
                      const std::vector<double>& after, double threshold_pct) {
    const auto gains = groupGains(model, before, after);
    std::ostringstream os;
    int shown = 0;
    for (const auto& [g, v] : gains) {
        // Report the named groups of the question first; skip the broad umbrella groups.
        if (g == "hip_abductors" || g == "hip_extensors" || g == "superficial_back" || g == "abdominals") continue;
        const int gi = model.groupIndex(g);
        double b = 0, a = 0;
        int n = 0;
        for (std::size_t i = 0; i < model.muscles().size(); ++i) {
            const auto& gs = model.muscles()[i].groups;
            if (std::find(gs.begin(), gs.end(), gi) == gs.end() || healthy[i] <= 0) continue;
            b += before[i] / healthy[i];
            a += after[i] / healthy[i];
            ++n;
        }
        if (!n) continue;
        os << (shown ? ", " : "") << plainGroupName(g) << " " << std::lround(100 * b / n) << "→"
           << std::lround(100 * a / n) << "%";
        if (++shown == 2) break;
    }
    if (shown) return os.str();
    return "no gain: every muscle it loads works at or below " + std::to_string(std::lround(threshold_pct)) +
           "% MVIC (training threshold)";
}

// Capacity use of the groups the scenario weakened, for every run of the study: what
// strengthening gives back even when the loads barely move.
void printCapacityUse(std::ostream& out, const ExerciseStudy& study) {
    const CapacityUse& weak = study.weakened().run.result.capacity;
    std::vector<std::string> shown;
    for (size_t g = 0; g < weak.group_names.size(); ++g)
        if (weak.group_weakened[g]) shown.push_back(weak.group_names[g]);
    if (shown.empty()) return;
    constexpr double kAtLimit = 0.98;
    bool at_limit = false;
    out << "Capacity use of the weakened groups: how much of what the group can give it uses (activation over its "
           "ceiling, weighted by strength); peak over the stride / mean while that side's foot is on the ground\n";
    std::vector<TextTable::Column> cols{{"run", "", TextTable::Align::Left}};
    for (const auto& n : shown) cols.push_back({plainCapacityName(n), "peak / stance %"});
    TextTable t(cols);
    for (const StudyRun& r : study.runs) {
        const CapacityUse& c = r.run.result.capacity;
        std::string title = r.title;
        std::replace(title.begin(), title.end(), '_', ' ');
        std::vector<std::string> row{title};
        for (const auto& n : shown) {
            const auto it = std::find(c.group_names.begin(), c.group_names.end(), n);
            const size_t g = static_cast<size_t>(it - c.group_names.begin());
            row.push_back(it == c.group_names.end() || !r.run.result.status.finished()
                              ? std::string("-")
                              : fixedText(100 * c.group_peak[g], 0) + " / " + fixedText(100 * c.group_stance_mean[g], 0));
        }
        t.add(row);
        for (const auto& n : shown) {
            const auto it = std::find(c.group_names.begin(), c.group_names.end(), n);
            if (it != c.group_names.end() && c.group_peak[static_cast<size_t>(it - c.group_names.begin())] >= kAtLimit)
                at_limit = true;
        }
    }
    t.print(out, "  ");
    if (at_limit)
        out << "  (a peak of " << std::lround(100 * kAtLimit)
            << "% or more: the group reaches its limit and, in strict mode, the reserve actuators supply the rest of "
               "the joint moment; the runner as simulated asks more of it than it can give)\n";
}

// Compensate mode: each run's running form against the measured stride, in degrees.
void printFormChange(std::ostream& out, const ExerciseStudy& study) {
    if (!study.runs.front().run.result.compensation.active) return;
    out << "Running form in compensate mode: change from the measured stride, deg (lean: trunk toward the stance "
           "leg; drop: the opposite side of the pelvis; hip adduction: in stance; peaks in each side's stance)\n";
    const auto L = TextTable::Align::Left;
    TextTable t({{"run", "", L}, {"trunk lean r", "deg"}, {"l", "deg"}, {"pelvic drop r", "deg"}, {"l", "deg"},
                 {"hip adduction r", "deg"}, {"l", "deg"}, {"hip extension r", "deg"}, {"l", "deg"},
                 {"trunk flexion", "deg"}, {"pelvic tilt", "deg"}});
    const char* keys[] = {"trunk_lean_to_stance_peak_r", "trunk_lean_to_stance_peak_l", "pelvic_drop_peak_r",
                          "pelvic_drop_peak_l", "hip_adduction_stance_peak_r", "hip_adduction_stance_peak_l",
                          "hip_extension_peak_r", "hip_extension_peak_l", "trunk_flexion_mean",
                          "pelvic_tilt_anterior_mean"};
    for (const StudyRun& r : study.runs) {
        std::map<std::string, double> m(r.run.result.metrics.begin(), r.run.result.metrics.end());
        std::string title = r.title;
        std::replace(title.begin(), title.end(), '_', ' ');
        std::vector<std::string> row{title};
        for (const char* k : keys) {
            const auto it = m.find(std::string("form_change_") + k + "_deg");
            row.push_back(it == m.end() ? std::string("-") : fixedText(it->second, 1));
        }
        t.add(row);
        if (!r.run.result.status.finished()) t.note("    ^ " + r.run.result.status.text());
    }
    t.print(out, "  ");
}


// A long run: each run's L5/S1 loads at the start and at the end of the run, the change at the
// end against the weakened runner, and the capacity the weakened groups have left.
void printLongRunEffects(std::ostream& out, const ExerciseStudy& study, double bw) {
    const LongRunResult& wl = study.weakened().run.result.long_run;
    if (!wl.active) return;
    const double minutes = wl.duration / 60;
    auto last = [](const LongRunResult& lr, const Table& t) {
        return lr.completed && t.rows() > 0 ? t.at(t.rows() - 1, 0) : std::nan("");
    };
    const CapacityUse& weak = study.weakened().run.result.capacity;
    std::vector<size_t> shown = capacityGroupsToShow(weak);
    if (shown.size() > 4) shown.resize(4);
    out << "The long run: " << fixedText(minutes, 0) << " minutes in " << wl.epochs
        << " epochs; peak L5/S1 loads per stride at minute 0 and at minute " << fixedText(minutes, 0)
        << "; change: at the end, against the weakened runner at the end\n";
    const auto L = TextTable::Align::Left;
    std::vector<TextTable::Column> cols{{"run", "", L},          {"compression 0", "BW"}, {"end", "BW"},
                                        {"change", "%"},         {"AP shear 0", "BW"},    {"end", "BW"},
                                        {"change", "%"}};
    for (size_t g : shown) cols.push_back({plainCapacityName(weak.group_names[g]) + " left", "%"});
    cols.push_back({"groups out", ""});
    TextTable t(cols);
    const double wc = last(wl, wl.peak_compression), ws = last(wl, wl.peak_ap_shear);
    auto change = [](double v, double ref) {
        if (std::isnan(v) || std::isnan(ref)) return std::string("-");
        const std::string pct = fixedText(100 * (v - ref) / ref, 1);
        return (v > ref && pct != "0.0" ? "+" : "") + pct;
    };
    std::string program_sentence;
    for (const StudyRun& r : study.runs) {
        const LongRunResult& lr = r.run.result.long_run;
        std::string title = r.title;
        std::replace(title.begin(), title.end(), '_', ' ');
        if (lr.epoch_time.empty()) {
            std::vector<std::string> row(cols.size(), "-");
            row[0] = title;
            t.add(row);
            t.note("    ^ " + lr.status);
            continue;
        }
        const double c0 = lr.peak_compression.at(0, 0), s0 = lr.peak_ap_shear.at(0, 0);
        const double c1 = last(lr, lr.peak_compression), s1 = last(lr, lr.peak_ap_shear);
        const bool trained = r.role == StudyRun::Role::Exercise || r.role == StudyRun::Role::Program;
        std::vector<std::string> row{title, fixedText(c0 / bw, 2), std::isnan(c1) ? "-" : fixedText(c1 / bw, 2),
                                     trained ? change(c1, wc) : "", fixedText(s0 / bw, 2),
                                     std::isnan(s1) ? "-" : fixedText(s1 / bw, 2), trained ? change(s1, ws) : ""};
        for (size_t g : shown) row.push_back(fixedText(100 * lr.capacity_end[g], 0));
        int n_out = 0;
        double first = std::nan("");
        for (double x : lr.run_out_time)
            if (!std::isnan(x)) {
                ++n_out;
                first = std::isnan(first) ? x : std::min(first, x);
            }
        row.push_back(n_out ? std::to_string(n_out) + " (from min " + fixedText(first / 60, 1) + ")" : "0");
        t.add(row);
        if (!lr.completed) t.note("    ^ " + lr.status);
        if (r.role == StudyRun::Role::Program && !std::isnan(s1) && !std::isnan(ws) && ws > 0) {
            const double pct = 100 * (s1 - ws) / ws, pcc = 100 * (c1 - wc) / wc;
            program_sentence = "  After the programme, peak L5/S1 anterior shear at minute " + fixedText(minutes, 0) + " is " +
                               fixedText(std::fabs(pct), 1) + "% " + (pct <= 0 ? "lower" : "higher") +
                               " than the weakened runner's, and peak compression " + fixedText(std::fabs(pcc), 1) + "% " +
                               (pcc <= 0 ? "lower" : "higher") + ".\n";
        }
    }
    t.print(out, "  ");
    out << program_sentence;
}

}  // namespace

int exercisesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string usage =
        "usage: corestride exercises [SCENARIO.cfg] [--training.weeks=N] [--training.sessions_per_week=K] "
        "[--section.key=value ...] -o OUT.h5 [--overwrite] [--quiet]\n";
    const ParsedRunArgs a = parseRunArgs(args, usage, out);
    if (a.help) return 0;
    const Scenario scenario = Scenario::resolve(a.scenario_file, a.overrides);
    H5Writer writer = H5Writer::create(a.output, a.overwrite);
    ProgressPrinter progress(err, a.quiet, "exercises");
    const ExerciseStudy study = runExerciseStudy(scenario.settings(), std::ref(progress));
    const Model& model = *study.runs.front().run.model;
    const double bw = study.runs.front().run.reference->bodyWeight();

    writeFileHeader(writer);
    for (const StudyRun& r : study.runs) writeRun(writer, r.name, scenario, r.run);
    const StudyRun& weakened = study.weakened();
    const double threshold_pct = 100 * readTrainingParams(defaultTrainingParamsPath()).intensity_threshold;
    const PeakLoads weak = peakL5S1(weakened.run);
    std::vector<double> table;
    std::vector<std::string> rows, titles, gains;
    out << "Peak L5/S1 loads after " << fixedText(study.weeks, 1) << " weeks at " << fixedText(study.sessions_per_week, 1)
        << " sessions a week (body weight " << fixedText(bw, 0)
        << " N); change: against the weakened runner, in % of its value\n";
    const auto L = TextTable::Align::Left;
    TextTable t({{"run", "", L}, {"compression", "N"}, {"", "BW"}, {"change", "%"}, {"AP shear", "N"}, {"", "BW"},
                 {"change", "%"}, {"lateral shear", "N"}, {"", "BW"}, {"change", "%"}, {"strengthened: % of healthy strength", "before→after", L}});
    for (const StudyRun& r : study.runs) {
        const PeakLoads p = peakL5S1(r.run);
        const bool trained = r.role != StudyRun::Role::Healthy && r.role != StudyRun::Role::Weakened;
        const std::string g = r.role == StudyRun::Role::Healthy    ? "(reference)"
                              : r.role == StudyRun::Role::Weakened ? "(scenario)"
                                                                   : gainsText(model, study.runs.front().strength,
                                                                               weakened.strength, r.strength, threshold_pct);
        double mean_gain = 0;
        for (size_t i = 0; i < r.strength.size(); ++i)
            if (weakened.strength[i] > 0) mean_gain += (r.strength[i] / weakened.strength[i] - 1) / r.strength.size();
        auto change = [&](double v, double ref) {
            if (!trained) return std::string("");
            const std::string pct = fixedText(100 * (v - ref) / ref, 1);
            return (v > ref && pct != "0.0" ? "+" : "") + pct;
        };
        std::string title = r.title;
        std::replace(title.begin(), title.end(), '_', ' ');
        t.add({title, fixedText(p.compression, 0), fixedText(p.compression / bw, 2), change(p.compression, weak.compression),
               fixedText(p.ap_shear, 0), fixedText(p.ap_shear / bw, 2), change(p.ap_shear, weak.ap_shear),
               fixedText(p.lateral_shear, 0), fixedText(p.lateral_shear / bw, 2),
               change(p.lateral_shear, weak.lateral_shear), g});
        if (!r.run.result.status.ok()) t.note("    ^ " + r.run.result.status.text());
        const double row[] = {p.compression, p.compression / bw, p.ap_shear, p.ap_shear / bw, p.lateral_shear,
                               p.lateral_shear / bw, p.compression - weak.compression,
                               100 * (p.compression - weak.compression) / weak.compression, p.ap_shear - weak.ap_shear,
                               100 * (p.ap_shear - weak.ap_shear) / weak.ap_shear, p.lateral_shear - weak.lateral_shear,
                               100 * (p.lateral_shear - weak.lateral_shear) / weak.lateral_shear, 100 * mean_gain};
        table.insert(table.end(), row, row + kSummaryColumns.size());
        rows.push_back(r.name);
        titles.push_back(r.title);
        gains.push_back(g);
    }
    t.print(out, "  ");
    printCapacityUse(out, study);
    printFormChange(out, study);
    printLongRunEffects(out, study, bw);
    writeExercisesTable(writer, ExercisesTable{kSummaryColumns, rows, titles, gains, table, study.weeks,
                                               study.sessions_per_week});
    writer.commit();
    out << "written: " << a.output << "\n";
    for (const StudyRun& r : study.runs)
        if (!r.run.result.status.finished()) return kExitSimulationFailed;
    return 0;
}

}  // namespace corestride
