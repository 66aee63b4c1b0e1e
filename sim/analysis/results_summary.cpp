#include "results_summary.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis.h"
#include "analysis_file.h"
#include "capacity.h"
#include "cmc.h"
#include "results_schema.h"
#include "scenario_words.h"
#include "text_table.h"
#include "validation_data.h"
#include "version.h"
#include "error.h"

namespace corestride {

namespace {

using schema::Path;

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// The run summary numbers shown as key numbers, in this order, when the run has them.
const char* const kKeyMetrics[] = {
    "L5_S1_peak_compression_N", "L5_S1_peak_compression_bw_BW", "L5_S1_mean_compression_N",
    "L5_S1_peak_anterior_shear_N", "L5_S1_peak_posterior_shear_N", "L5_S1_peak_lateral_shear_N",
    "L5_S1_peak_loading_rate_BW_per_s", "L4_L5_peak_compression_N", "residual_force_max_N",
    "residual_moment_max_Nm"};

// The metrics listed per point of a small sweep.
const char* const kPointMetrics[] = {"L5_S1_peak_compression_N", "L5_S1_peak_compression_bw_BW",
                                     "L5_S1_peak_anterior_shear_N", "L4_L5_peak_compression_N"};

// /runs/<run>/capacity; empty for a file written before capacity use was recorded.
std::vector<GroupCapacity> readCapacity(const H5Reader& r, const std::string& run) {
    std::vector<GroupCapacity> out;
    if (!r.exists(schema::path(Path::CapacityNames, run))) return out;
    const auto names = r.readStrings(schema::path(Path::CapacityNames, run));
    const auto peak = readValues(r, schema::path(Path::CapacityPeak, run), names.size());
    const auto mean = readValues(r, schema::path(Path::CapacityMean, run), names.size());
    const auto stance = readValues(r, schema::path(Path::CapacityStanceMean, run), names.size());
    const auto weakened = readValues(r, schema::path(Path::CapacityWeakened, run), names.size());
    for (std::size_t g = 0; g < names.size(); ++g) {
        GroupCapacity c;
        c.name = names[g];
        const std::size_t n = c.name.size();
        const bool sided = n > 2 && c.name[n - 2] == '_' && (c.name[n - 1] == 'r' || c.name[n - 1] == 'l');
        c.side = sided ? c.name.substr(n - 1) : "";
        c.group = sided ? c.name.substr(0, n - 2) : c.name;
        c.peak = peak[g];
        c.mean = mean[g];
        c.stance_mean = stance[g];
        c.weakened = weakened[g] != 0;
        out.push_back(c);
    }
    return out;
}

// The long run of `run`, or inactive when the file has none (run.duration_min = 0 or older files).
LongRunSummary readLongRun(const H5Reader& r, const std::string& run, const std::vector<GroupCapacity>& capacity) {
    LongRunSummary l;
    const std::string g = schema::path(Path::LongRun, run);
    if (!r.exists(g)) return l;
    l.active = true;
    l.status = r.readStringAttribute(g, "status");
    l.completed = r.readIntAttribute(g, "completed") != 0;
    l.duration_min = r.readDoubleAttribute(g, "duration_s") / 60;
    l.epochs = static_cast<int>(r.readIntAttribute(g, "epochs"));
    for (double t : r.readDoubles(schema::path(Path::LongRunEpochTime, run))) l.minutes.push_back(t / 60);
    const size_t n = l.minutes.size();
    if (n == 0) return l;
    auto column = [&](Path key, const std::string& name) {
        const std::string path = schema::path(key, run);
        const auto cols = r.readStringListAttribute(path, schema::attr::kColumns);
        const H5Matrix m = readTable(r, path, n, cols.size());
        std::vector<double> v(n, std::nan(""));
        for (size_t c = 0; c < cols.size(); ++c)
            if (cols[c] == name)
                for (size_t k = 0; k < n; ++k) v[k] = m.at(k, c);
        return v;
    };
    l.l5s1_compression_N = column(Path::LongRunPeakCompression, "L5_S1");
    l.l5s1_ap_shear_N = column(Path::LongRunPeakApShear, "L5_S1");
    auto sides = [&](const std::string& stem) {
        std::vector<double> a = column(Path::LongRunForm, stem + "_r_deg"), b = column(Path::LongRunForm, stem + "_l_deg");
        for (size_t k = 0; k < n; ++k) a[k] = std::fmax(a[k], b[k]);
        return a;
    };
    l.trunk_lean_deg = sides("form_trunk_lean_to_stance_peak");
    l.pelvic_drop_deg = sides("form_pelvic_drop_peak");
    l.hip_adduction_deg = sides("form_hip_adduction_stance_peak");
    const auto names = r.readStrings(schema::path(Path::LongRunGroups, run));
    const auto end = r.readDoubles(schema::path(Path::LongRunCapacityEnd, run));
    const auto out = r.readDoubles(schema::path(Path::LongRunRunOutTime, run));
    if (end.size() != names.size() || out.size() != names.size())
        throw UserError(r.path() + ": " + g + ": capacity_end and run_out_time must have one value per group");
    const H5Matrix cap = readTable(r, schema::path(Path::LongRunCapacity, run), n, names.size());
    // The groups the capacity table shows (weakened, else the defaults), then any that ran out.
    std::vector<std::string> shown;
    for (const auto& c : capacity)
        if (c.weakened) shown.push_back(c.name);
    if (shown.empty())
        for (const auto& c : capacity)
            if (std::find(kDefaultCapacityGroups.begin(), kDefaultCapacityGroups.end(), c.group) != kDefaultCapacityGroups.end())
                shown.push_back(c.name);
    for (size_t i = 0; i < names.size(); ++i)
        if (!std::isnan(out[i]) && std::find(shown.begin(), shown.end(), names[i]) == shown.end()) shown.push_back(names[i]);
    for (const std::string& name : shown) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) continue;
        const size_t i = static_cast<size_t>(it - names.begin());
        LongRunSummary::Group grp{name, {}, end[i], out[i] / 60};
        for (size_t k = 0; k < n; ++k) grp.capacity.push_back(cap.at(k, i));
        l.groups.push_back(std::move(grp));
    }
    return l;
}

RunSummary summariseRun(const ResultsFile& file, const std::string& run) {
    const H5Reader& r = file.reader;
    const std::string g = runGroup(run);
    RunSummary s;
    s.name = run;
    s.title = runTitle(file, run);
    s.status = RunStatus::fromText(r.readStringAttribute(g, schema::attr::kStatus));
    s.body_weight_N = r.readDoubleAttribute(g, schema::attr::kBodyWeight);
    s.description = runDescription(file, run);
    // A run that failed before its first samples (a compensation that did not converge, a
    // static optimisation that failed at once) is written with its status and no samples: its
    // summary is the status alone.
    if (runFailedWithoutSamples(r, run)) {
        const std::string comp = schema::path(Path::Compensation, run);
        if (r.exists(comp)) s.compensation = r.readStringAttribute(comp, "status");
        return s;
    }
    const auto time = readRunTime(r, run);
    const auto strides = usableStrides(time, readRunStrides(r, run));
    s.strides = static_cast<int>(strides.size());
    const auto names = r.readStrings(schema::path(Path::SummaryNames, run));
    const auto values = readValues(r, schema::path(Path::SummaryValues, run), names.size());
    for (const char* key : kKeyMetrics) {
        const auto it = std::find(names.begin(), names.end(), key);
        if (it != names.end()) s.metrics.push_back({key, values[static_cast<std::size_t>(it - names.begin())]});
    }
    // Every lumbar level's peak compression and anterior shear (the upper levels can move the
    // other way from L5/S1), in the file's level order.
    for (std::size_t k = 0; k < names.size(); ++k) {
        const std::string& n = names[k];
        const bool level = n.size() > 6 && n[0] == 'L' && n[2] == '_' && n[5] == '_';
        const bool wanted = level && (n.compare(5, std::string::npos, "_peak_compression_N") == 0 ||
                                      n.compare(5, std::string::npos, "_peak_anterior_shear_N") == 0);
        if (wanted && std::none_of(s.metrics.begin(), s.metrics.end(), [&](const auto& m) { return m.first == n; }))
            s.metrics.push_back({n, values[k]});
    }
    // Peak hip contact force per side (magnitude): the mean over strides of each stride's peak,
    // like the lumbar peaks.
    const H5Matrix hip = readTable(r, schema::path(Path::HipForce, run), time.size(), 6);
    for (int side = 0; side < 2; ++side) {
        std::vector<double> peaks;
        for (const auto& [t0, t1] : strides) {
            double peak = 0;
            for (std::size_t i = 0; i < hip.rows; ++i) {
                if (time[i] < t0 - 1e-9 || time[i] > t1 + 1e-9) continue;
                const double* f = &hip.data[i * hip.cols + 3 * side];
                peak = std::max(peak, std::sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]));
            }
            peaks.push_back(peak);
        }
        s.metrics.push_back({side == 0 ? "hip_contact_peak_r_N" : "hip_contact_peak_l_N", mean(peaks)});
    }
    double worst = 0;
    for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k].rfind("tracking_rms_", 0) == 0 && names[k].size() > 4 &&
            names[k].compare(names[k].size() - 4, 4, "_deg") == 0)
            worst = std::max(worst, values[k]);
    s.metrics.push_back({"tracking_rms_worst_deg", worst});
    // The largest reserve share of a joint's peak moment (runs since December 2026 record it;
    // OpenSim's CMC best practices ask for under 10 %).
    double share = -1;
    for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k].rfind("reserve_share_", 0) == 0) share = std::max(share, values[k]);
    if (share >= 0) s.metrics.push_back({"reserve_share_worst_pct", share});
    s.capacity = readCapacity(r, run);
    for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k].rfind("form_", 0) == 0) s.form.push_back({names[k], values[k]});
    const std::string comp = schema::path(Path::Compensation, run);
    if (r.exists(comp)) s.compensation = r.readStringAttribute(comp, "status");
    s.long_run = readLongRun(r, run, s.capacity);
    return s;
}

void summariseExercises(const ResultsFile& file, FileSummary& s) {
    const H5Reader& r = file.reader;
    const std::string g = schema::path(Path::Exercises), table = schema::path(Path::ExercisesSummary);
    s.training_weeks = r.readDoubleAttribute(g, "training_weeks");
    s.sessions_per_week = r.readDoubleAttribute(g, "sessions_per_week");
    const auto runs = r.readStrings(schema::path(Path::ExercisesRuns));
    const auto titles = readNames(r, schema::path(Path::ExercisesTitles), runs.size());
    const auto gains = readNames(r, schema::path(Path::ExercisesStrengthened), runs.size());
    const auto columns = r.readStringListAttribute(table, schema::attr::kColumns);
    const H5Matrix m = readTable(r, table, runs.size(), columns.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        ExerciseRow row{runs[i], titles[i], gains[i], {}};
        for (std::size_t c = 0; c < m.cols; ++c) row.values.push_back({columns[c], m.at(i, c)});
        s.exercises.push_back(std::move(row));
    }
}

void summariseSweep(const ResultsFile& file, FileSummary& s) {
    const H5Reader& r = file.reader;
    const SweepAnalysis sa = analyseSweep(file);
    s.design = r.hasAttribute("/", "design") ? r.readStringAttribute("/", "design") : "";
    s.points = sa.points;
    s.points_ok = sa.points_ok;
    s.sensitivity_points = sa.points_ok;
    for (std::size_t p = 0; p < sa.parameters.size(); ++p) s.parameters.push_back({sa.parameters[p], sa.parameter_ranges[p]});
    for (const auto& m : sa.metrics) {
        SweepMetricSummary ms{m.name, m.min, m.max, m.mean, m.src.r2, m.src.why_not, {}, {}};
        for (std::size_t p = 0; p < sa.parameters.size(); ++p) {
            ms.src.push_back({sa.parameters[p], m.src.coef[p]});
            ms.first_order.push_back({sa.parameters[p], m.first_order[p]});
        }
        s.metrics.push_back(std::move(ms));
    }
    if (sa.points <= kListPoints)
        for (std::size_t i = 0; i < sa.points; ++i) {
            FileSummary::Point pt{sa.point_values[i], sa.point_ok[i], {}};
            for (const auto& m : sa.metrics)
                if (std::find(std::begin(kPointMetrics), std::end(kPointMetrics), m.name) != std::end(kPointMetrics))
                    pt.metrics.push_back({m.name, m.per_point[i]});
            s.point_list.push_back(std::move(pt));
        }
}

std::string num(double v, int precision = 4) {
    if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
    std::ostringstream os;
    os << std::setprecision(precision) << v;
    return os.str();
}

// NaN and infinities (a metric of no finished point) are null: JSON has no such numbers.
nlohmann::ordered_json jsonNumber(double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json jsonValues(const NamedValues& v) {
    auto out = nlohmann::ordered_json::object();
    for (const auto& [name, x] : v) out[name] = jsonNumber(x);
    return out;
}

nlohmann::ordered_json jsonNumbers(const std::vector<double>& v) {
    auto out = nlohmann::ordered_json::array();
    for (double x : v) out.push_back(jsonNumber(x));
    return out;
}

nlohmann::ordered_json longRunJson(const LongRunSummary& l) {
    if (!l.active) return nullptr;
    auto groups = nlohmann::ordered_json::array();
    for (const auto& g : l.groups)
        groups.push_back({{"name", g.name},
                          {"plain_name", plainCapacityName(g.name)},
                          {"capacity_pct", jsonNumbers([&] {
                               std::vector<double> v;
                               for (double c : g.capacity) v.push_back(100 * c);
                               return v;
                           }())},
                          {"capacity_end_pct", jsonNumber(100 * g.capacity_end)},
                          {"run_out_min", jsonNumber(g.run_out_min)}});
    return {{"status", l.status},
            {"completed", l.completed},
            {"duration_min", jsonNumber(l.duration_min)},
            {"epochs", l.epochs},
            {"minutes", jsonNumbers(l.minutes)},
            {"l5s1_peak_compression_N", jsonNumbers(l.l5s1_compression_N)},
            {"l5s1_peak_ap_shear_N", jsonNumbers(l.l5s1_ap_shear_N)},
            {"trunk_lean_deg", jsonNumbers(l.trunk_lean_deg)},
            {"pelvic_drop_deg", jsonNumbers(l.pelvic_drop_deg)},
            {"hip_adduction_deg", jsonNumbers(l.hip_adduction_deg)},
            {"groups", groups}};
}

double valueOf(const NamedValues& v, const std::string& name) {
    for (const auto& [n, x] : v)
        if (n == name) return x;
    return kNaN;
}

}  // namespace

FileSummary summariseResults(const ResultsFile& file) {
    FileSummary s;
    s.file = file.reader.path();
    s.content = file.content;
    s.reference_run = file.reference_run;
    for (const auto& run : file.runs) s.runs.push_back(summariseRun(file, run));
    if (file.content == ResultsContent::Exercises) summariseExercises(file, s);
    if (file.content == ResultsContent::Sweep) summariseSweep(file, s);
    return s;
}

namespace {

double bwOf(const RunSummary& r, const std::string& metric) { return valueOf(r.metrics, metric) / r.body_weight_N; }

// A parameter value as the user wrote it in the spec (up to 6 significant digits).
std::string valueText(double v) { return num(v, 6); }

}  // namespace

// Capacity use of the weakened groups of any run (or gluteus medius and deep core when none
// is weakened), per side: peak over the run and mean in that side's stance, in %.
void printCapacityTable(const FileSummary& s, std::ostream& out) {
    std::vector<std::string> shown;   // capacity names, in the file's group order
    for (const auto& r : s.runs)
        for (const auto& c : r.capacity)
            if (c.weakened && std::find(shown.begin(), shown.end(), c.name) == shown.end()) shown.push_back(c.name);
    if (shown.empty())
        for (const auto& r : s.runs)
            for (const auto& c : r.capacity)
                if (std::find(kDefaultCapacityGroups.begin(), kDefaultCapacityGroups.end(), c.group) !=
                        kDefaultCapacityGroups.end() &&
                    std::find(shown.begin(), shown.end(), c.name) == shown.end())
                    shown.push_back(c.name);
    if (shown.empty()) return;   // files written before capacity use was recorded
    std::vector<TextTable::Column> cols{{"run", "", TextTable::Align::Left}};
    for (const auto& n : shown) cols.push_back({plainCapacityName(n), "peak / stance %"});
    TextTable t(cols);
    for (const auto& r : s.runs) {
        std::vector<std::string> row{r.name};
        for (const auto& n : shown) {
            const auto it = std::find_if(r.capacity.begin(), r.capacity.end(), [&](const GroupCapacity& c) { return c.name == n; });
            row.push_back(it == r.capacity.end() || !r.status.finished()
                              ? std::string("-")
                              : fixedText(100 * it->peak, 0) + " / " + fixedText(100 * it->stance_mean, 0));
        }
        t.add(row);
    }
    out << "\ncapacity use: how much of what the group can give it uses (activation over its ceiling, weighted by "
           "strength); peak over the stride / mean while that side's foot is on the ground\n";
    t.print(out);
    bool none_left = false;
    for (const auto& r : s.runs)
        for (const auto& c : r.capacity)
            none_left = none_left || (std::isnan(c.peak) && std::find(shown.begin(), shown.end(), c.name) != shown.end());
    if (none_left) out << "(- / -: the group has no strength left, so there is no capacity to use)\n";
}

// Running form of every run that has it, in degrees.
void printFormTable(const FileSummary& s, std::ostream& out) {
    if (std::none_of(s.runs.begin(), s.runs.end(), [](const RunSummary& r) { return !r.form.empty(); })) return;
    const auto L = TextTable::Align::Left;
    TextTable t({{"run", "", L}, {"trunk flexion", "deg"}, {"trunk lean r / l", "deg"}, {"pelvic drop r / l", "deg"},
                 {"hip adduction r / l", "deg"}, {"anterior pelvic tilt", "deg"}});
    bool compensated = false;
    for (const auto& r : s.runs) {
        if (r.form.empty() || !r.status.finished()) continue;
        auto has = [&](const std::string& n) {
            return std::any_of(r.form.begin(), r.form.end(), [&](const auto& f) { return f.first == n; });
        };
        // In compensate mode each value is followed by its change from the measured stride.
        auto v = [&](const std::string& n) {
            const std::string change = "form_change_" + n.substr(5);
            std::string text = fixedText(valueOf(r.form, n), 1);
            if (has(change)) {
                const double d = valueOf(r.form, change);
                const std::string dt = fixedText(d, 1);
                text += " (" + std::string(d > 0 && dt != "0.0" ? "+" : "") + dt + ")";
            }
            return text;
        };
        auto pair = [&](const std::string& n) { return v(n + "_r_deg") + " / " + v(n + "_l_deg"); };
        compensated = compensated || !r.compensation.empty();
        t.add({r.name, v("form_trunk_flexion_mean_deg"), pair("form_trunk_lean_to_stance_peak"),
               pair("form_pelvic_drop_peak"), pair("form_hip_adduction_stance_peak"),
               v("form_pelvic_tilt_anterior_mean_deg")});
    }
    out << "\nrunning form: trunk flexion and pelvic tilt are means over the stride; lean toward the stance side, "
           "drop of the opposite side of the pelvis and hip adduction are peaks in each side's stance"
        << (compensated ? "; compensate mode: (change from the measured stride)" : "") << "\n";
    t.print(out);
}

// Long runs: the first and the last stride of each run, and the groups shown.
void printLongRunTable(const FileSummary& s, std::ostream& out) {
    if (std::none_of(s.runs.begin(), s.runs.end(), [](const RunSummary& r) { return r.long_run.active; })) return;
    const auto L = TextTable::Align::Left;
    TextTable t({{"run", "", L}, {"minutes", ""}, {"L5/S1 compression", "BW"}, {"AP shear", "BW"},
                 {"trunk lean", "deg"}, {"capacity left at the end", "%", L}, {"status", "", L}});
    for (const auto& r : s.runs) {
        const LongRunSummary& l = r.long_run;
        if (!l.active) continue;
        if (l.minutes.empty()) {
            t.add({r.name, "-", "-", "-", "-", "-", l.status});
            continue;
        }
        const size_t e = l.minutes.size() - 1;
        const double bw = r.body_weight_N;
        auto span = [&](const std::vector<double>& v, double scale, int d) {
            return fixedText(v.front() / scale, d) + " -> " + fixedText(v[e] / scale, d);
        };
        std::string groups;
        for (const auto& g : l.groups) {
            groups += (groups.empty() ? "" : ", ") + plainCapacityName(g.name) + " " + fixedText(100 * g.capacity_end, 0);
            if (!std::isnan(g.run_out_min)) groups += " (out from min " + fixedText(g.run_out_min, 1) + ")";
        }
        t.add({r.name, fixedText(l.minutes.front(), 0) + " -> " + fixedText(l.minutes[e], 0),
               span(l.l5s1_compression_N, bw, 2), span(l.l5s1_ap_shear_N, bw, 2), span(l.trunk_lean_deg, 1, 1), groups,
               l.status});
    }
    out << "\nlong run: the first and the last simulated stride (muscle fatigue, docs/long_run.md)\n";
    t.print(out);
}

void printSummaryTable(const FileSummary& s, std::ostream& out) {
    const auto L = TextTable::Align::Left;
    out << s.file << ": " << contentName(s.content) << ", " << s.runs.size() << " run"
        << (s.runs.size() == 1 ? "" : "s") << " with time series\n";
    if (!s.runs.empty()) {
        out << "\npeak loads (means over strides of each stride's peak)\n";
        TextTable t({{"run", "", L}, {"strides", ""}, {"L5/S1 compression", "N"}, {"", "BW"}, {"AP shear", "N"},
                     {"", "BW"}, {"lat. shear", "N"}, {"L4/L5 compr.", "N"}, {"hip contact r", "N"}, {"", "BW"},
                     {"hip contact l", "N"}, {"", "BW"}, {"status", "", L}});
        bool unfinished = false, over = false;
        for (const auto& r : s.runs) {
            // A run that stopped early has peaks up to the failure only: not results, not shown.
            const bool shown = r.status.finished();
            auto n = [&](const char* metric, int decimals) {
                return shown ? fixedText(valueOf(r.metrics, metric), decimals) : std::string("-");
            };
            auto bw = [&](const char* metric) { return shown ? fixedText(bwOf(r, metric), 2) : std::string("-"); };
            t.add({r.name, std::to_string(r.strides), n("L5_S1_peak_compression_N", 0), bw("L5_S1_peak_compression_N"),
                   n("L5_S1_peak_anterior_shear_N", 0), bw("L5_S1_peak_anterior_shear_N"),
                   n("L5_S1_peak_lateral_shear_N", 0), n("L4_L5_peak_compression_N", 0), n("hip_contact_peak_r_N", 0),
                   bw("hip_contact_peak_r_N"), n("hip_contact_peak_l_N", 0), bw("hip_contact_peak_l_N"),
                   r.status.text()});
            unfinished = unfinished || !shown;
            over = over || r.status.kind() == RunStatus::Kind::OverThresholds;
        }
        t.print(out);
        if (unfinished) out << "(-: the run stopped early; its loads up to the failure are not results)\n";
        printCapacityTable(s, out);
        printFormTable(s, out);
        printLongRunTable(s, out);
        if (over)
            out << "(finished over thresholds: residuals or tracking errors above the published limits, Hicks et al. "
                   "2015; treat its loads with caution)\n";
    }
    if (!s.exercises.empty()) {
        out << "\nexercises: change of peak L5/S1 loads against the weakened runner after " << num(s.training_weeks)
            << " weeks, " << num(s.sessions_per_week) << " sessions/week (% of the weakened runner's value)\n";
        TextTable t({{"run", "", L}, {"compression", "N"}, {"", "%"}, {"AP shear", "N"}, {"", "%"},
                     {"lateral shear", "N"}, {"", "%"}, {"strengthened", "", L}});
        for (const auto& e : s.exercises)
            t.add({e.title, fixedText(valueOf(e.values, "change_compression_N"), 0),
                   fixedText(valueOf(e.values, "change_compression_pct"), 1),
                   fixedText(valueOf(e.values, "change_ap_shear_N"), 0),
                   fixedText(valueOf(e.values, "change_ap_shear_pct"), 1),
                   fixedText(valueOf(e.values, "change_lateral_shear_N"), 0),
                   fixedText(valueOf(e.values, "change_lateral_shear_pct"), 1), e.strengthened});
        t.print(out);
    }
    if (s.content == ResultsContent::Sweep) {
        out << "\nsweep: " << s.points << " points (" << s.design << "), " << s.points_ok << " finished\n";
        TextTable params({{"parameter", "", L}, {"min", ""}, {"max", ""}});
        for (const auto& [name, range] : s.parameters) params.add({name, valueText(range.first), valueText(range.second)});
        params.print(out, "  ");
        if (!s.point_list.empty()) {
            out << "\npoints\n";
            std::vector<TextTable::Column> cols{{"#", ""}};
            for (const auto& p : s.parameters) cols.push_back({p.first, ""});
            cols.insert(cols.end(), {{"L5/S1 compression", "N"}, {"", "BW"}, {"L5/S1 AP shear", "N"},
                                     {"L4/L5 compression", "N"}, {"status", "", L}});
            TextTable pts(cols);
            for (std::size_t i = 0; i < s.point_list.size(); ++i) {
                const auto& pt = s.point_list[i];
                std::vector<std::string> row{std::to_string(i)};
                for (double v : pt.values) row.push_back(valueText(v));
                row.insert(row.end(), {fixedText(valueOf(pt.metrics, "L5_S1_peak_compression_N"), 0),
                                       fixedText(valueOf(pt.metrics, "L5_S1_peak_compression_bw_BW"), 2),
                                       fixedText(valueOf(pt.metrics, "L5_S1_peak_anterior_shear_N"), 0),
                                       fixedText(valueOf(pt.metrics, "L4_L5_peak_compression_N"), 0),
                                       pt.ok ? "ok" : "failed"});
                pts.add(row);
            }
            pts.print(out, "  ");
        }
        out << "\nkey metrics over the finished points";
        std::vector<TextTable::Column> cols{{"metric", "", L}, {"min", ""}, {"max", ""}, {"R²", ""}};
        for (const auto& p : s.parameters) cols.push_back({"SRC " + p.first, ""});
        TextTable t(cols);
        std::size_t shown = 0;
        std::string why;   // the reason R^2 and SRC are missing, when one reason covers every metric shown
        bool one_reason = true;
        for (const auto& m : s.metrics) {
            if (std::find(std::begin(kKeyMetrics), std::end(kKeyMetrics), m.name) == std::end(kKeyMetrics)) continue;
            ++shown;
            std::vector<std::string> row{m.name, num(m.min), num(m.max), fixedText(m.r2, 2)};
            for (const auto& src : m.src) row.push_back(fixedText(src.second, 2));
            t.add(row);
            if (!m.src_why_not.empty()) {
                if (why.empty()) why = m.src_why_not;
                else if (why != m.src_why_not) one_reason = false;
            }
        }
        out << " (" << shown << " of " << s.metrics.size() << "; --json gives them all)\n";
        t.print(out, "  ");
        out << "(SRC: standardised regression coefficients, Saltelli et al. 2008; linear sensitivity is meaningful "
               "where R² >= 0.7";
        if (!why.empty())
            out << ". '-': not computed, " << (one_reason ? why : "see src_not_computed in --json for each metric");
        out << ")\n";
    }
}

// Written with nlohmann-json (Debian nlohmann-json3-dev): escaping and number formatting by a
// library that round-trips every double, instead of by hand. Keys keep this order.
void printSummaryJson(const FileSummary& s, std::ostream& out) {
    using Json = nlohmann::ordered_json;
    Json j;
    j["file"] = s.file;
    j["format_version"] = schema::kFormatVersion;
    j["software_version"] = kSoftwareVersion;
    j["content"] = contentName(s.content);
    j["reference_run"] = s.reference_run;
    // In vivo measurements of running the report shows beside the loads (study/validation_data.h,
    // the validation suite's bands: one source of those numbers).
    j["reference_ranges"] = Json::array(
        {Json{{"metric", "L4_L5_peak_compression_N"},
              {"activity", "jogging"},
              {"lo", kWilkeJogging.lo_mpa * kWilkeJogging.newton_per_mpa},
              {"hi", kWilkeJogging.hi_mpa * kWilkeJogging.newton_per_mpa},
              {"unit", "N"},
              {"measured", "intradiscal pressure at L4/L5 (one subject), converted to force"},
              {"published", kWilkeJogging.published},
              {"citation", kWilkeJogging.citation}},
         Json{{"metric", "hip_contact_peak_BW"},
              {"activity", "jogging"},
              {"lo", kBergmannJogging.lo},
              {"hi", kBergmannJogging.hi},
              {"unit", "BW"},
              {"measured", "instrumented hip prosthesis"},
              {"published", kBergmannJogging.published},
              {"citation", kBergmannJogging.citation}}});
    j["runs"] = Json::array();
    for (const auto& r : s.runs) {
        Json capacity = Json::array();
        for (const auto& c : r.capacity)
            capacity.push_back(Json{{"name", c.name},
                                    {"group", c.group},
                                    {"side", c.side},
                                    {"plain_name", plainCapacityName(c.name)},
                                    {"peak_pct", jsonNumber(100 * c.peak)},
                                    {"mean_pct", jsonNumber(100 * c.mean)},
                                    {"stance_mean_pct", jsonNumber(100 * c.stance_mean)},
                                    {"weakened", c.weakened}});
        j["runs"].push_back(Json{{"name", r.name},
                                 {"title", r.title},
                                 {"status", r.status.text()},
                                 {"strides", r.strides},
                                 {"body_weight_N", jsonNumber(r.body_weight_N)},
                                 {"description", r.description},
                                 {"metrics", jsonValues(r.metrics)},
                                 {"compensation", r.compensation},
                                 {"long_run", longRunJson(r.long_run)},
                                 {"capacity", capacity},
                                 {"form", jsonValues(r.form)}});
    }
    if (s.content == ResultsContent::Exercises) {
        Json rows = Json::array();
        for (const auto& e : s.exercises) {
            Json row{{"run", e.run}, {"title", e.title}, {"strengthened", e.strengthened}};
            for (const auto& [n, v] : e.values) row[n] = jsonNumber(v);
            rows.push_back(std::move(row));
        }
        j["exercises"] = Json{{"training_weeks", jsonNumber(s.training_weeks)},
                              {"sessions_per_week", jsonNumber(s.sessions_per_week)},
                              {"rows", std::move(rows)}};
    }
    if (s.content == ResultsContent::Sweep) {
        Json parameters = Json::array(), metrics = Json::array(), sensitivity = Json::array();
        for (const auto& [name, range] : s.parameters)
            parameters.push_back(Json{{"name", name}, {"min", jsonNumber(range.first)}, {"max", jsonNumber(range.second)}});
        for (const auto& m : s.metrics) {
            metrics.push_back(
                Json{{"name", m.name}, {"min", jsonNumber(m.min)}, {"max", jsonNumber(m.max)}, {"mean", jsonNumber(m.mean)}});
            sensitivity.push_back(Json{{"name", m.name},
                                       {"r2", jsonNumber(m.r2)},
                                       {"src_not_computed", m.src_why_not},
                                       {"src", jsonValues(m.src)},
                                       {"first_order", jsonValues(m.first_order)}});
        }
        j["sweep"] = Json{{"points", s.points},
                          {"points_ok", s.points_ok},
                          {"design", s.design},
                          {"parameters", std::move(parameters)},
                          {"metrics", std::move(metrics)},
                          {"sensitivity", Json{{"method", kSrcMethod},
                                               {"first_order_method", kFirstOrderMethod},
                                               {"points_used", s.sensitivity_points},
                                               {"metrics", std::move(sensitivity)}}}};
    }
    // Bytes that are not UTF-8 (a run title from a damaged file) become U+FFFD, never invalid JSON.
    out << j.dump(1, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace corestride
