#include "results_file.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "error.h"
#include "exercises_study.h"
#include "results_schema.h"
#include "scenario.h"
#include "scenario_words.h"

namespace corestride {

const char* contentName(ResultsContent content) {
    switch (content) {
        case ResultsContent::Runs: return "runs";
        case ResultsContent::Exercises: return "exercises";
        case ResultsContent::Sweep: return "sweep";
    }
    return "?";
}

using schema::Path;

std::string runGroup(const std::string& name) { return schema::path(Path::Run, name); }

namespace {
[[noreturn]] void badShape(const H5Reader& r, const std::string& path, const std::string& expected,
                           const std::string& actual) {
    throw UserError(r.path() + ": " + path + ": expected " + expected + ", found " + actual +
                    " (damaged, or not written by this corestride)");
}
std::string dims(std::size_t rows, std::size_t cols) {
    return (rows ? std::to_string(rows) : std::string("any")) + " x " + (cols ? std::to_string(cols) : std::string("any"));
}
}  // namespace

H5Matrix readTable(const H5Reader& r, const std::string& path, std::size_t rows, std::size_t cols) {
    H5Matrix m = r.readMatrix(path);
    if ((rows && m.rows != rows) || (cols && m.cols != cols))
        badShape(r, path, dims(rows, cols), std::to_string(m.rows) + " x " + std::to_string(m.cols));
    if (r.hasAttribute(path, "columns")) {
        const auto names = r.readStringListAttribute(path, "columns");
        if (names.size() != m.cols)
            badShape(r, path, std::to_string(m.cols) + " names in attribute 'columns'", std::to_string(names.size()));
    }
    return m;
}

std::vector<double> readValues(const H5Reader& r, const std::string& path, std::size_t size) {
    auto v = r.readDoubles(path);
    if (size && v.size() != size) badShape(r, path, std::to_string(size) + " values", std::to_string(v.size()));
    return v;
}

std::vector<std::string> readNames(const H5Reader& r, const std::string& path, std::size_t size) {
    auto v = r.readStrings(path);
    if (size && v.size() != size) badShape(r, path, std::to_string(size) + " strings", std::to_string(v.size()));
    return v;
}

std::vector<double> readRunTime(const H5Reader& r, const std::string& run) {
    const std::string path = schema::path(Path::Time, run);
    auto t = r.readDoubles(path);
    if (t.size() < 2) badShape(r, path, "at least 2 samples", std::to_string(t.size()));
    for (std::size_t k = 1; k < t.size(); ++k)
        if (!(t[k] > t[k - 1]))
            throw UserError(r.path() + ": " + path + ": time does not increase at sample " + std::to_string(k));
    return t;
}

bool runFailedWithoutSamples(const H5Reader& r, const std::string& run) {
    const std::string g = runGroup(run);
    if (!r.hasAttribute(g, schema::attr::kStatus)) return false;
    return !RunStatus::fromText(r.readStringAttribute(g, schema::attr::kStatus)).finished() &&
           r.readDoubles(schema::path(Path::Time, run)).size() < 2;
}

std::vector<std::pair<double, double>> readRunStrides(const H5Reader& r, const std::string& run) {
    const H5Matrix m = readTable(r, schema::path(Path::Strides, run), 0, 2);
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = 0; i < m.rows; ++i) out.push_back({m.at(i, 0), m.at(i, 1)});
    return out;
}

ResultsFile openResults(const std::string& path) {
    ResultsFile f{H5Reader(path), ResultsContent::Runs, {}, {}};
    const H5Reader& r = f.reader;
    if (!r.hasAttribute("/", schema::attr::kFormat))
        throw UserError(path + ": not a CoreStride results file (no root attribute 'format')");
    const std::string format = r.readStringAttribute("/", schema::attr::kFormat);
    if (format != schema::kFormat)
        throw UserError(path + ": not a CoreStride results file (format = '" + format + "', expected '" +
                        schema::kFormat + "')");
    const std::int64_t version = r.hasAttribute("/", schema::attr::kFormatVersion)
                                     ? r.readIntAttribute("/", schema::attr::kFormatVersion)
                                     : -1;
    if (version < schema::kOldestFormatVersion || version > schema::kFormatVersion)
        throw UserError(path + ": unknown format_version " + std::to_string(version) + " (this corestride reads " +
                        std::to_string(schema::kOldestFormatVersion) + " to " + std::to_string(schema::kFormatVersion) + ")");
    if (r.hasAttribute("/", schema::attr::kContent) && r.readStringAttribute("/", schema::attr::kContent) == "sweep")
        f.content = ResultsContent::Sweep;
    else if (r.exists(schema::path(Path::Exercises)))
        f.content = ResultsContent::Exercises;

    if (f.content == ResultsContent::Exercises) {
        const auto names = r.readStrings(schema::path(Path::ExercisesRuns));
        readNames(r, schema::path(Path::ExercisesTitles), names.size());
        readNames(r, schema::path(Path::ExercisesStrengthened), names.size());
        for (const auto& name : names)
            if (r.exists(runGroup(name))) f.runs.push_back(name);
    } else if (r.exists(schema::path(Path::Runs))) {
        f.runs = r.children(schema::path(Path::Runs));
    }
    if (f.content == ResultsContent::Runs && f.runs.empty())
        throw UserError(path + ": a CoreStride results file without runs (no /runs group)");
    if (std::find(f.runs.begin(), f.runs.end(), kHealthyRun) != f.runs.end())
        f.reference_run = kHealthyRun;
    else if (!f.runs.empty())
        f.reference_run = f.runs.front();
    return f;
}

namespace {

// Row of `run` in /exercises/runs, or -1.
int exerciseRow(const ResultsFile& file, const std::string& run) {
    if (file.content != ResultsContent::Exercises) return -1;
    const auto names = file.reader.readStrings(schema::path(Path::ExercisesRuns));
    const auto it = std::find(names.begin(), names.end(), run);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

}  // namespace

// "point 3: weakness.glute_med_r = 0.2, weakness.deep_core = 0" for run point_000003 of a
// sweep, from its /summary row; "" if the run is not a sweep point.
std::string sweepPointTitle(const ResultsFile& file, const std::string& run) {
    if (file.content != ResultsContent::Sweep || run.rfind("point_", 0) != 0) return "";
    const H5Reader& r = file.reader;
    const auto columns = r.readStringListAttribute(schema::path(Path::SweepSummary), schema::attr::kColumns);
    const auto ok = std::find(columns.begin(), columns.end(), "ok");
    if (columns.empty() || columns.front() != "point" || ok == columns.end()) return "";
    const H5Matrix m = readTable(r, schema::path(Path::SweepSummary), 0, columns.size());
    const double index = std::strtod(run.c_str() + 6, nullptr);
    for (std::size_t i = 0; i < m.rows; ++i) {
        if (m.at(i, 0) != index) continue;
        std::ostringstream os;
        os << "point " << index << ":";
        for (std::size_t c = 1; c < static_cast<std::size_t>(ok - columns.begin()); ++c)
            os << (c > 1 ? ", " : " ") << columns[c] << " = " << m.at(i, c);
        return os.str();
    }
    return "";
}

std::string runTitle(const ResultsFile& file, const std::string& run) {
    const std::string point = sweepPointTitle(file, run);
    if (!point.empty()) return point;
    const int row = exerciseRow(file, run);
    if (row < 0) return run;
    return file.reader.readStrings(schema::path(Path::ExercisesTitles)).at(static_cast<std::size_t>(row));
}

std::vector<std::string> runDescription(const ResultsFile& file, const std::string& run) {
    const std::string g = runGroup(run);
    const Scenario s = Scenario::fromIni(file.reader.readStringAttribute(g, schema::attr::kScenario),
                                         file.reader.path() + ": " + g + " attribute 'scenario'");
    std::vector<std::string> lines = describeScenario(s);
    const int row = exerciseRow(file, run);
    if (row < 0) return lines;
    if (run == kHealthyRun) {
        // The study's reference runner: the same scenario without any weakness.
        std::vector<std::string> out{lines.front(), "The same runner without any weakness: the healthy reference."};
        return out;
    }
    if (run == kWeakenedRun) {
        lines.push_back("As in the scenario, before any training.");
        return lines;
    }
    const H5Reader& r = file.reader;
    std::ostringstream os;
    const std::string g_ex = schema::path(Path::Exercises);
    os << "After " << r.readDoubleAttribute(g_ex, "training_weeks") << " weeks of " << runTitle(file, run) << ", "
       << r.readDoubleAttribute(g_ex, "sessions_per_week") << " sessions a week; strength gained: "
       << r.readStrings(schema::path(Path::ExercisesStrengthened)).at(static_cast<std::size_t>(row)) << ".";
    lines.push_back(os.str());
    return lines;
}

}  // namespace corestride
