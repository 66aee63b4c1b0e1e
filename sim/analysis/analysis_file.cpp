#include "analysis_file.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

#include "analysis.h"
#include "cmc.h"
#include "version.h"
#include "error.h"
#include "model.h"
#include "model_parser.h"
#include "results_schema.h"
#include "run.h"
#include "scenario.h"
#include "stick_figure.h"

namespace corestride {

namespace {

using schema::Path;

const double kNaN = std::numeric_limits<double>::quiet_NaN();

struct LevelCurves {
    std::string level;
    CycleCurves force;
    std::vector<double> peak_means;   // peak compression, anterior shear, lateral shear; N
};

struct RunCurves {
    bool ok = false;                  // at least one complete stride
    std::vector<LevelCurves> levels;
    std::vector<std::string> groups;
    CycleCurves group_force;
};

// Muscle forces summed by group, rows = samples.
std::vector<double> groupForces(const H5Reader& r, const std::string& run, std::size_t samples,
                                std::vector<std::string>& names) {
    const auto muscle_groups = r.readStrings(schema::path(Path::MuscleGroups, run));
    const H5Matrix force = readTable(r, schema::path(Path::MuscleForce, run), samples, muscle_groups.size());
    std::map<std::string, std::vector<std::size_t>> members;
    for (std::size_t m = 0; m < muscle_groups.size(); ++m) {
        std::stringstream ss(muscle_groups[m]);
        std::string group;
        while (std::getline(ss, group, ','))
            if (!group.empty()) members[group].push_back(m);
    }
    names.clear();
    for (const auto& kv : members) names.push_back(kv.first);
    std::vector<double> out(force.rows * names.size(), 0.0);
    for (std::size_t i = 0; i < force.rows; ++i)
        for (std::size_t k = 0; k < names.size(); ++k)
            for (std::size_t m : members[names[k]]) out[i * names.size() + k] += force.at(i, m);
    return out;
}

// Mean over strides of the named columns of a level's stride_metrics.
std::vector<double> peakMeans(const H5Reader& r, const std::string& run, const std::string& level) {
    const std::string path = schema::path(Path::LevelStrideMetrics, run, level);
    const auto columns = r.readStringListAttribute(path, schema::attr::kColumns);
    const H5Matrix m = readTable(r, path, 0, columns.size());
    std::vector<double> out;
    for (const char* name : {"peak_compression", "peak_anterior_shear", "peak_lateral_shear"}) {
        const auto it = std::find(columns.begin(), columns.end(), name);
        if (it == columns.end()) throw UserError(r.path() + ": " + path + " has no column '" + name + "'");
        std::vector<double> v;
        for (std::size_t i = 0; i < m.rows; ++i) v.push_back(m.at(i, static_cast<std::size_t>(it - columns.begin())));
        out.push_back(mean(v));
    }
    return out;
}

void writeCurves(H5Writer& w, const std::string& path, const CycleCurves& c, const std::string& units,
                 const std::vector<std::string>& columns) {
    w.writeMatrix(path + "_mean", c.points, c.cols, c.mean, units, columns);
    w.writeMatrix(path + "_sd", c.points, c.cols, c.sd, units, columns);
}

// Models for stick figures, one per (model file, subject), built on demand.
class ModelCache {
public:
    std::shared_ptr<const Model> get(const Settings& s) {
        // The key holds everything scenarioSubject reads, so that the file is read only once.
        const std::string file = scenarioModelFile(s);
        std::ostringstream key;
        key << file << '|' << std::hexfloat << s.subject.mass_kg << '|' << s.subject.height_m << '|' << s.subject.thigh_scale
            << '|' << s.subject.shank_scale << '|' << (s.motion.source == MotionSource::Builtin);
        auto& slot = models_[key.str()];
        if (!slot) {
            const ModelDescription desc = readModelFile(file);
            slot = Model::build(desc, scenarioSubject(s, desc));
        }
        return slot;
    }

private:
    std::map<std::string, std::shared_ptr<const Model>> models_;
};

// The first stride's samples as a stick figure, and the floor height. `time` and `grf` are
// the run's samples and ground reaction forces, already read and checked by the caller.
void writeStick(H5Writer& w, const H5Reader& r, const std::string& run, ModelCache& models,
                const std::pair<double, double>& stride, const std::vector<double>& time, const H5Matrix& grf) {
    const std::string g = schema::path(Path::Run, run);
    const Scenario s = Scenario::fromIni(r.readStringAttribute(g, schema::attr::kScenario),
                                         r.path() + ": " + g + " attribute 'scenario'");
    const auto model = models.get(s.settings());
    const auto names = readNames(r, schema::path(Path::CoordinateNames, run), 0);
    const H5Matrix q = readTable(r, schema::path(Path::CoordinateQ, run), time.size(), names.size());
    const H5Matrix f = readTable(r, schema::path(Path::LevelForce, run, "L5_S1"), time.size(), 3);
    std::vector<double> t, qs, fs, pct;
    for (std::size_t i = 0; i < time.size(); ++i) {
        if (time[i] < stride.first - 1e-9 || time[i] > stride.second + 1e-9) continue;
        t.push_back(time[i]);
        pct.push_back(100.0 * (time[i] - stride.first) / (stride.second - stride.first));
        qs.insert(qs.end(), q.data.begin() + static_cast<long>(i * q.cols), q.data.begin() + static_cast<long>((i + 1) * q.cols));
        fs.insert(fs.end(), f.data.begin() + static_cast<long>(i * 3), f.data.begin() + static_cast<long>((i + 1) * 3));
    }
    const StickFigure sf = computeStickFigure(*model, names, qs, fs, t.size());
    std::vector<std::string> columns;
    for (const auto& l : sf.landmarks)
        for (const char* axis : {"_x", "_y", "_z"}) columns.push_back(l + axis);
    std::vector<std::int64_t> segments;
    for (const auto& [a, b] : sf.segments) { segments.push_back(a); segments.push_back(b); }
    const auto ds = [&](Path key) { return schema::path(key, run); };
    w.writeStrings(ds(Path::StickLandmarks), sf.landmarks);
    w.writeInts(ds(Path::StickSegments), segments);
    w.writeDoubles(ds(Path::StickTime), t, schema::units(Path::StickTime));
    w.writeDoubles(ds(Path::StickCyclePercent), pct, schema::units(Path::StickCyclePercent));
    const std::string ground = "ground: x forward, y up, z right";
    w.writeMatrix(ds(Path::StickPoints), t.size(), columns.size(), sf.points, schema::units(Path::StickPoints), columns,
                  ground);
    w.writeMatrix(ds(Path::StickL5S1Force), t.size(), 3, sf.l5s1_force, schema::units(Path::StickL5S1Force),
                  {"x", "y", "z"}, ground);
    w.setStringAttribute(ds(Path::StickL5S1Force), "description",
                         "force the upper body exerts on the sacrum at L5/S1");
    // Compensate mode: the measured stride's figure at the same samples, for the comparison.
    if (r.exists(schema::path(Path::CompensationMeasured, run))) {
        const H5Matrix qm = readTable(r, schema::path(Path::CompensationMeasured, run), time.size(), names.size());
        std::vector<double> qms;
        for (std::size_t i = 0; i < time.size(); ++i) {
            if (time[i] < stride.first - 1e-9 || time[i] > stride.second + 1e-9) continue;
            qms.insert(qms.end(), qm.data.begin() + static_cast<long>(i * qm.cols),
                       qm.data.begin() + static_cast<long>((i + 1) * qm.cols));
        }
        const StickFigure measured = computeStickFigure(*model, names, qms, fs, t.size());
        w.writeMatrix(ds(Path::StickPointsMeasured), t.size(), columns.size(), measured.points,
                      schema::units(Path::StickPointsMeasured), columns, ground);
        w.setStringAttribute(ds(Path::StickPointsMeasured), "description",
                             "compensate mode: the measured stride's landmarks at the same samples as points");
    }
    // The floor: the median height of the centre of pressure while a foot is loaded.
    const H5Matrix cop = readTable(r, schema::path(Path::GrfCop, run), time.size(), 6);
    std::vector<double> heights;
    for (std::size_t i = 0; i < grf.rows; ++i)
        for (int side = 0; side < 2; ++side)
            if (grf.at(i, 3 * side + 1) > kContactForce) heights.push_back(cop.at(i, 3 * side + 1));
    if (!heights.empty()) {
        std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
        w.setDoubleAttribute(ds(Path::Stick), "floor_y_m", heights[heights.size() / 2]);
    }
}

RunCurves analyseRun(H5Writer& w, const ResultsFile& file, const std::string& run, ModelCache& models,
                     std::ostream& warn) {
    const H5Reader& r = file.reader;
    const std::string g = schema::path(Path::Run, run), out = g;   // the same group name in both files
    const auto ds = [&](Path key, const std::string& level = "") { return schema::path(key, run, level); };
    w.createGroup(out);
    w.setStringAttribute(out, "title", runTitle(file, run));
    const std::string status = r.readStringAttribute(g, schema::attr::kStatus);
    w.setStringAttribute(out, schema::attr::kStatus, status);
    w.setDoubleAttribute(out, schema::attr::kBodyWeight, r.readDoubleAttribute(g, schema::attr::kBodyWeight));
    w.setStringListAttribute(out, "description", runDescription(file, run));

    RunCurves rc;
    if (!RunStatus::fromText(status).finished()) {
        // A failed run's samples stop (or diverge) mid-stride: its one "stride" is the recorded
        // part, and averaging it over a gait cycle would draw a wrong cycle.
        w.setIntAttribute(out, "strides_used", 0);
        warn << "analyze: run '" << run << "' did not finish (" << status << "); no curves\n";
        return rc;
    }
    const auto time = readRunTime(r, run);
    const auto strides = usableStrides(time, readRunStrides(r, run));
    w.setIntAttribute(out, "strides_used", static_cast<std::int64_t>(strides.size()));
    if (strides.empty()) {
        warn << "analyze: run '" << run << "' has no complete stride; no curves\n";
        return rc;
    }
    rc.ok = true;
    std::vector<double> pct(kCyclePoints);
    for (int p = 0; p < kCyclePoints; ++p) pct[p] = 100.0 * p / (kCyclePoints - 1);
    w.writeDoubles(ds(Path::CyclePercent), pct, schema::units(Path::CyclePercent));

    for (const auto& level : r.children(ds(Path::Lumbar))) {
        const H5Matrix f = readTable(r, ds(Path::LevelForce, level), time.size(), 3);
        LevelCurves lc{level, normaliseToCycle(time, f.data, 3, strides, kCyclePoints), peakMeans(r, run, level)};
        writeCurves(w, ds(Path::CurveLevelForce, level), lc.force, schema::units(Path::CurveLevelForce),
                    {"compression", "ap_shear", "lateral_shear"});
        rc.levels.push_back(std::move(lc));
    }
    const auto groups = groupForces(r, run, time.size(), rc.groups);
    rc.group_force = normaliseToCycle(time, groups, rc.groups.size(), strides, kCyclePoints);
    w.writeStrings(ds(Path::CurveGroupNames), rc.groups);
    writeCurves(w, ds(Path::CurveGroupForce), rc.group_force, schema::units(Path::CurveGroupForce), rc.groups);

    const H5Matrix grf = readTable(r, ds(Path::GrfForce), time.size(), 6);
    std::vector<double> contact(grf.rows * 2);
    for (std::size_t i = 0; i < grf.rows; ++i) {
        contact[2 * i] = grf.at(i, 1) > kContactForce ? 1.0 : 0.0;
        contact[2 * i + 1] = grf.at(i, 4) > kContactForce ? 1.0 : 0.0;
    }
    const CycleCurves cc = normaliseToCycle(time, contact, 2, strides, kCyclePoints);
    w.writeMatrix(ds(Path::CurveContact), cc.points, 2, cc.mean, schema::units(Path::CurveContact), {"right", "left"});

    try {
        writeStick(w, r, run, models, strides.front(), time, grf);
    } catch (const UserError& e) {
        warn << "analyze: run '" << run << "': no stick figure: " << e.what() << "\n";
    }
    return rc;
}

// Cycle average of a curve column, over points 0 .. P-2 (the last point repeats the first phase).
double cycleAverage(const CycleCurves& c, std::size_t col) {
    double s = 0;
    for (std::size_t p = 0; p + 1 < c.points; ++p) s += c.meanAt(p, col);
    return s / static_cast<double>(c.points - 1);
}

void writeDifference(H5Writer& w, const std::string& run, const RunCurves& a, const RunCurves& ref) {
    const auto ds = [&](Path key, const std::string& level = "") { return schema::path(key, run, level); };
    for (const auto& la : a.levels) {
        for (const auto& lr : ref.levels) {
            if (lr.level != la.level) continue;
            std::vector<double> d(la.force.mean.size());
            for (std::size_t i = 0; i < d.size(); ++i) d[i] = la.force.mean[i] - lr.force.mean[i];
            w.writeMatrix(ds(Path::DifferenceLevelForce, la.level), la.force.points, 3, d,
                          schema::units(Path::DifferenceLevelForce), {"compression", "ap_shear", "lateral_shear"});
            std::vector<double> pk(3);
            for (int k = 0; k < 3; ++k) pk[k] = la.peak_means[k] - lr.peak_means[k];
            w.writeDoubles(ds(Path::DifferenceLevelPeak, la.level), pk, schema::units(Path::DifferenceLevelPeak));
            w.setStringListAttribute(ds(Path::DifferenceLevelPeak, la.level), schema::attr::kColumns,
                                     {"peak_compression", "peak_anterior_shear", "peak_lateral_shear"});
        }
    }
    std::vector<std::string> names;
    std::vector<double> change, pct;
    for (std::size_t k = 0; k < a.groups.size(); ++k) {
        const auto it = std::find(ref.groups.begin(), ref.groups.end(), a.groups[k]);
        if (it == ref.groups.end()) continue;
        const double fa = cycleAverage(a.group_force, k);
        const double fr = cycleAverage(ref.group_force, static_cast<std::size_t>(it - ref.groups.begin()));
        names.push_back(a.groups[k]);
        change.push_back(fa - fr);
        pct.push_back(fr != 0 ? 100.0 * (fa - fr) / fr : kNaN);
    }
    w.writeStrings(ds(Path::DifferenceGroupNames), names);
    w.writeDoubles(ds(Path::DifferenceGroupForce), change, schema::units(Path::DifferenceGroupForce));
    w.writeDoubles(ds(Path::DifferenceGroupForcePct), pct, schema::units(Path::DifferenceGroupForcePct));
}

void writeSensitivity(H5Writer& w, const ResultsFile& file) {
    const SweepAnalysis sa = analyseSweep(file);
    std::vector<std::string> metrics;
    std::vector<double> src, r2, first;
    for (const auto& m : sa.metrics) {
        metrics.push_back(m.name);
        src.insert(src.end(), m.src.coef.begin(), m.src.coef.end());
        r2.push_back(m.src.r2);
        first.insert(first.end(), m.first_order.begin(), m.first_order.end());
    }
    const std::size_t np = sa.parameters.size();
    const std::string g = schema::path(Path::Sensitivity);
    w.createGroup(g);
    w.setStringAttribute(g, "method", kSrcMethod);
    w.setIntAttribute(g, "points_used", static_cast<std::int64_t>(sa.points_ok));
    w.writeStrings(schema::path(Path::SensitivityParameters), sa.parameters);
    w.writeStrings(schema::path(Path::SensitivityMetrics), metrics);
    w.writeMatrix(schema::path(Path::SensitivitySrc), metrics.size(), np, src, schema::units(Path::SensitivitySrc),
                  sa.parameters);
    w.writeDoubles(schema::path(Path::SensitivityR2), r2, schema::units(Path::SensitivityR2));
    w.writeMatrix(schema::path(Path::SensitivityFirstOrder), metrics.size(), np, first,
                  schema::units(Path::SensitivityFirstOrder), sa.parameters);
    w.setStringAttribute(schema::path(Path::SensitivityFirstOrder), "method", kFirstOrderMethod);
}

// Column indices of /summary in a sweep file: the parameters lie between `point` and `ok`,
// the metrics after `wall_time_s`.
struct SweepColumns {
    std::vector<std::string> names;
    std::size_t first_parameter = 1, end_parameter = 1, ok = 0, first_metric = 0;
};

SweepColumns sweepColumns(const ResultsFile& file) {
    SweepColumns sc;
    sc.names = file.reader.readStringListAttribute(schema::path(Path::SweepSummary), schema::attr::kColumns);
    const auto find = [&](const std::string& n) {
        const auto it = std::find(sc.names.begin(), sc.names.end(), n);
        if (it == sc.names.end()) throw UserError(file.reader.path() + ": /summary has no column '" + n + "'");
        return static_cast<std::size_t>(it - sc.names.begin());
    };
    if (find("point") != 0) throw UserError(file.reader.path() + ": /summary: first column is not 'point'");
    sc.ok = find("ok");
    sc.end_parameter = sc.ok;
    sc.first_metric = find("wall_time_s") + 1;
    return sc;
}

// Bins of the first-order estimate for n finished points: sqrt(n), between 2 and 30 (used
// where a parameter's values do not repeat, e.g. a Latin hypercube).
std::size_t sensitivityBins(std::size_t points) {
    const auto b = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(points))));
    return std::clamp<std::size_t>(b, 2, 30);
}

}  // namespace

const char* const kSrcMethod =
    "standardised regression coefficients of a least-squares linear fit over the finished points (Saltelli, "
    "Ratto, Andres et al. 2008, Global Sensitivity Analysis: The Primer, Wiley); meaningful where R^2 >= 0.7";
const char* const kFirstOrderMethod =
    "first-order indices Var(E[y|x_j]) / Var(y) from given data, y averaged in bins of x_j (one per value on a "
    "grid, else about sqrt(n) equal-count bins; Plischke, Borgonovo & Smith 2013, European Journal of "
    "Operational Research 226:536)";

SweepAnalysis analyseSweep(const ResultsFile& file) {
    const SweepColumns sc = sweepColumns(file);
    const H5Matrix m = readTable(file.reader, schema::path(Path::SweepSummary), 0, sc.names.size());
    SweepAnalysis sa;
    sa.points = m.rows;
    std::vector<std::size_t> ok_rows;
    for (std::size_t i = 0; i < m.rows; ++i)
        if (m.at(i, sc.ok) == 1.0) ok_rows.push_back(i);
    sa.points_ok = ok_rows.size();
    for (std::size_t i = 0; i < m.rows; ++i) {
        sa.point_ok.push_back(m.at(i, sc.ok) == 1.0);
        std::vector<double> values;
        for (std::size_t p = sc.first_parameter; p < sc.end_parameter; ++p) values.push_back(m.at(i, p));
        sa.point_values.push_back(std::move(values));
    }
    for (std::size_t p = sc.first_parameter; p < sc.end_parameter; ++p) {
        double lo = kNaN, hi = kNaN;
        for (std::size_t i = 0; i < m.rows; ++i) {
            lo = std::isnan(lo) ? m.at(i, p) : std::min(lo, m.at(i, p));
            hi = std::isnan(hi) ? m.at(i, p) : std::max(hi, m.at(i, p));
        }
        sa.parameters.push_back(sc.names[p]);
        sa.parameter_ranges.push_back({lo, hi});
    }
    for (std::size_t j = sc.first_metric; j < sc.names.size(); ++j) {
        std::vector<std::vector<double>> x(sa.parameters.size());
        std::vector<double> y;
        for (std::size_t i : ok_rows) {
            if (!std::isfinite(m.at(i, j))) continue;
            y.push_back(m.at(i, j));
            for (std::size_t p = 0; p < x.size(); ++p) x[p].push_back(m.at(i, sc.first_parameter + p));
        }
        SweepMetricAnalysis ma;
        ma.name = sc.names[j];
        ma.min = y.empty() ? kNaN : *std::min_element(y.begin(), y.end());
        ma.max = y.empty() ? kNaN : *std::max_element(y.begin(), y.end());
        ma.mean = mean(y);
        ma.src = standardisedRegression(x, y);
        ma.first_order = firstOrderIndices(x, y, sensitivityBins(y.size()));
        for (std::size_t i = 0; i < m.rows; ++i) ma.per_point.push_back(sa.point_ok[i] ? m.at(i, j) : kNaN);
        sa.metrics.push_back(std::move(ma));
    }
    return sa;
}

void writeAnalysisFile(const ResultsFile& file, const std::string& out_path, bool overwrite, std::ostream& warn) {
    H5Writer w = H5Writer::create(out_path, overwrite);
    w.setStringAttribute("/", schema::attr::kFormat, schema::kAnalysisFormat);
    w.setIntAttribute("/", schema::attr::kFormatVersion, schema::kAnalysisFormatVersion);
    w.setStringAttribute("/", schema::attr::kSoftwareVersion, kSoftwareVersion);
    w.setStringAttribute("/", "source_file", file.reader.path());
    w.setStringAttribute("/", schema::attr::kContent, contentName(file.content));
    w.setStringAttribute("/", "reference_run", file.reference_run);

    ModelCache models;
    std::map<std::string, RunCurves> curves;
    for (const auto& run : file.runs) curves[run] = analyseRun(w, file, run, models, warn);
    const auto ref = curves.find(file.reference_run);
    if (ref != curves.end() && ref->second.ok)
        for (const auto& run : file.runs)
            if (run != file.reference_run && curves[run].ok) writeDifference(w, run, curves[run], ref->second);
    if (file.content == ResultsContent::Sweep) writeSensitivity(w, file);
    w.commit();
}

}  // namespace corestride
