#include "results_file.h"

#include <algorithm>
#include <sstream>

#include "error.h"
#include "run_output.h"
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

std::string runGroup(const std::string& name) { return "/runs/" + name; }

ResultsFile openResults(const std::string& path) {
    ResultsFile f{H5Reader(path), ResultsContent::Runs, {}, {}};
    const H5Reader& r = f.reader;
    if (!r.hasAttribute("/", "format"))
        throw UserError(path + ": not a CoreStride results file (no root attribute 'format')");
    const std::string format = r.readStringAttribute("/", "format");
    if (format != "corestride")
        throw UserError(path + ": not a CoreStride results file (format = '" + format + "', expected 'corestride')");
    const std::int64_t version = r.hasAttribute("/", "format_version") ? r.readIntAttribute("/", "format_version") : -1;
    if (version != kFormatVersion)
        throw UserError(path + ": unknown format_version " + std::to_string(version) + " (this corestride reads " +
                        std::to_string(kFormatVersion) + ")");
    if (r.hasAttribute("/", "content") && r.readStringAttribute("/", "content") == "sweep")
        f.content = ResultsContent::Sweep;
    else if (r.exists("/exercises"))
        f.content = ResultsContent::Exercises;

    if (f.content == ResultsContent::Exercises) {
        for (const auto& name : r.readStrings("/exercises/runs"))
            if (r.exists(runGroup(name))) f.runs.push_back(name);
    } else if (r.exists("/runs")) {
        f.runs = r.children("/runs");
    }
    if (f.content == ResultsContent::Runs && f.runs.empty())
        throw UserError(path + ": a CoreStride results file without runs (no /runs group)");
    if (std::find(f.runs.begin(), f.runs.end(), "healthy") != f.runs.end())
        f.reference_run = "healthy";
    else if (!f.runs.empty())
        f.reference_run = f.runs.front();
    return f;
}

namespace {

// Row of `run` in /exercises/runs, or -1.
int exerciseRow(const ResultsFile& file, const std::string& run) {
    if (file.content != ResultsContent::Exercises) return -1;
    const auto names = file.reader.readStrings("/exercises/runs");
    const auto it = std::find(names.begin(), names.end(), run);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

}  // namespace

std::string runTitle(const ResultsFile& file, const std::string& run) {
    const int row = exerciseRow(file, run);
    if (row < 0) return run;
    return file.reader.readStrings("/exercises/titles").at(static_cast<std::size_t>(row));
}

std::vector<std::string> runDescription(const ResultsFile& file, const std::string& run) {
    const std::string g = runGroup(run);
    const Scenario s = Scenario::fromIni(file.reader.readStringAttribute(g, "scenario"),
                                         file.reader.path() + ": " + g + " attribute 'scenario'");
    std::vector<std::string> lines = describeScenario(s);
    const int row = exerciseRow(file, run);
    if (row < 0) return lines;
    if (run == "healthy") {
        // The study's reference runner: the same scenario without any weakness.
        std::vector<std::string> out{lines.front(), "The same runner without any weakness: the healthy reference."};
        return out;
    }
    if (run == "weakened") {
        lines.push_back("As in the scenario, before any training.");
        return lines;
    }
    const H5Reader& r = file.reader;
    std::ostringstream os;
    os << "After " << r.readDoubleAttribute("/exercises", "training_weeks") << " weeks of "
       << runTitle(file, run) << ", " << r.readDoubleAttribute("/exercises", "sessions_per_week")
       << " sessions a week; strength gained: "
       << r.readStrings("/exercises/strengthened").at(static_cast<std::size_t>(row)) << ".";
    lines.push_back(os.str());
    return lines;
}

}  // namespace corestride
