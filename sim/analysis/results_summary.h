// `corestride summary`: the key numbers of every run, exercise study or sweep in a results
// file, as a table for people or JSON for scripts (layout: docs/analysis.md).
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "results_file.h"
#include "run_result.h"

namespace corestride {

using NamedValues = std::vector<std::pair<std::string, double>>;

// Capacity use of one muscle group on one side (RunResult::capacity), as fractions.
struct GroupCapacity {
    std::string name;        // "<group>_r", "<group>_l", or "<group>" (midline)
    std::string group;       // "<group>"
    std::string side;        // "r", "l" or ""
    double peak = 0, mean = 0, stance_mean = 0;
    bool weakened = false;   // CapacityUse::group_weakened: a group the scenario weakened
};

// A long run (/runs/<run>/long_run): per epoch, L5/S1 peaks and form, and the capacity of the
// groups shown (weakened ones, else gluteus medius and deep core, plus any that ran out).
struct LongRunSummary {
    bool active = false, completed = false;
    std::string status;
    double duration_min = 0;
    int epochs = 0;
    std::vector<double> minutes;                        // of each simulated stride
    std::vector<double> l5s1_compression_N, l5s1_ap_shear_N;   // peaks per stride
    std::vector<double> trunk_lean_deg, pelvic_drop_deg, hip_adduction_deg;   // larger side
    struct Group {
        std::string name;
        std::vector<double> capacity;                   // per stride, fraction of fresh
        double capacity_end = 0;                        // fraction of fresh
        double run_out_min = 0;                         // NaN: never
    };
    std::vector<Group> groups;
};

struct RunSummary {
    std::string name, title;
    RunStatus status;
    int strides = 0;
    double body_weight_N = 0;
    std::vector<std::string> description;
    NamedValues metrics;   // key numbers, unit as the name's suffix
    // Per group and side; empty for files written before capacity use was recorded.
    std::vector<GroupCapacity> capacity;
    // Running form (form.h): the form_* summary numbers, in deg; empty for older files. In
    // compensate mode also form_change_* (compensated minus measured stride).
    NamedValues form;
    // Compensate mode (/runs/<run>/compensation): the prediction's status, "" otherwise.
    std::string compensation;
    LongRunSummary long_run;
};

struct ExerciseRow {
    std::string run, title, strengthened;
    NamedValues values;    // the columns of /exercises/summary
};

struct SweepMetricSummary {
    std::string name;
    double min = 0, max = 0, mean = 0;   // over finished points
    double r2 = 0;
    std::string src_why_not;             // why R^2 and SRC are not computed (empty when they are)
    NamedValues src;                     // per parameter
    NamedValues first_order;             // per parameter: Var(E[y|x]) / Var(y)
};

struct FileSummary {
    std::string file;
    ResultsContent content = ResultsContent::Runs;
    std::string reference_run;
    std::vector<RunSummary> runs;
    // Exercises study only.
    double training_weeks = 0, sessions_per_week = 0;
    std::vector<ExerciseRow> exercises;
    // Sweeps only.
    std::size_t points = 0, points_ok = 0;
    std::string design;
    std::vector<std::pair<std::string, std::pair<double, double>>> parameters;   // name, (min, max)
    std::vector<SweepMetricSummary> metrics;
    std::size_t sensitivity_points = 0;
    struct Point {
        std::vector<double> values;      // one per parameter
        bool ok = false;
        NamedValues metrics;             // the key metrics at this point (NaN where it failed)
    };
    std::vector<Point> point_list;       // every point, for small sweeps (kListPoints or fewer)
};

// Sweeps of at most this many points list every point in the summary.
constexpr std::size_t kListPoints = 25;

// Reads everything the summary shows. Throws UserError for missing or malformed objects.
FileSummary summariseResults(const ResultsFile& file);

void printSummaryTable(const FileSummary& s, std::ostream& out);
void printSummaryJson(const FileSummary& s, std::ostream& out);

}  // namespace corestride
