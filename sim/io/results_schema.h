// The one owner of CoreStride's HDF5 layouts (docs/hdf5_schema.md): every dataset and group
// path of a results file (`run`, `exercises`, `sweep`) and of an analysis file (`analyze`),
// the units of the datasets whose unit is fixed, and both format versions. Writers and readers
// build their paths here and nowhere else; analysis/results_schema.py holds the same table for
// the Python scripts, and the test `results_schema_python` checks that the two agree.
#pragma once

#include <string>
#include <vector>

namespace corestride::schema {

// Root attribute `format` and `format_version` of a results file and of an analysis file.
constexpr const char* kFormat = "corestride";
// Version 2 adds /runs/{run}/compensation (compensate mode) and drops /runs/{run}/slack (of the
// retired adaptive mode); version 3 adds /runs/{run}/long_run (run.duration_min > 0). Readers
// accept 1 to 3 (they never read slack).
constexpr int kFormatVersion = 3;
constexpr int kOldestFormatVersion = 1;
constexpr const char* kAnalysisFormat = "corestride-analysis";
constexpr int kAnalysisFormatVersion = 1;

// Each dataset or group, by what it holds. Paths are templates in `run` (a run's name) and
// `level` (a lumbar level, "L5_S1"); a key that does not use one ignores it.
enum class Path {
    // results file: one group per run
    Runs,              // /runs
    Run,               // /runs/{run}
    Time,              // s
    Strides,           // s, columns start, end
    CoordinateNames, CoordinateUnits, CoordinateQ, CoordinateQRef, CoordinateQd, CoordinateQdd,
    MuscleNames, MuscleGroups, MuscleActivation, MuscleExcitation, MuscleForce,
    Reserves, JointMoments, Residuals,
    GrfForce, GrfCop, GrfFreeMoment,
    Lumbar,            // /runs/{run}/lumbar, one group per level
    Level,             // /runs/{run}/lumbar/{level}
    LevelForce, LevelForceBw, LevelMoment, LevelPassiveMoment, LevelReserveMoment, LevelCouplingMoment,
    LevelStrideMetrics,
    HipForce,
    Checks, CheckNames, CheckValue, CheckLimit, CheckUnits, CheckSource, CheckPassed,
    SummaryNames, SummaryValues,
    ReferenceNames, ReferenceValues,
    MuscleStrength, MuscleCeiling, MuscleUsePeak, MuscleUseMean,
    Capacity,          // /runs/{run}/capacity: capacity use per muscle group and side
    CapacityNames, CapacityUse, CapacityPeak, CapacityMean, CapacityStanceMean, CapacityWeakened,
    Form,              // /runs/{run}/form: running form per sample (form.h)
    Compensation,      // /runs/{run}/compensation: compensate mode's prediction (format version 2)
    CompensationMeasured, CompensationDeviation, CompensationDeviationPeak, CompensationDeviationRms,
    CompensationCoefficients, CompensationFormMeasured,
    LongRun,           // /runs/{run}/long_run: a run with muscle fatigue (format version 3)
    LongRunEpochTime, LongRunGroups, LongRunCapacity, LongRunEffort, LongRunDemand, LongRunCapacityEnd, LongRunRunOutTime, LongRunForm, LongRunPeakCompression, LongRunMeanCompression, LongRunPeakApShear, LongRunMuscleCapacity,
    // results file of `corestride exercises`
    Exercises, ExercisesSummary, ExercisesRuns, ExercisesTitles, ExercisesStrengthened,
    // results file of `corestride sweep` (its runs, if saved, are under /runs)
    SweepSummary, SweepStatus,
    // analysis file
    CyclePercent,      // /runs/{run}/cycle_percent
    CurveLevelForce,   // /runs/{run}/lumbar/{level}/force; _mean and _sd are appended
    CurveGroupNames, CurveGroupForce,   // the latter with _mean and _sd appended
    CurveContact,
    Stick, StickLandmarks, StickSegments, StickTime, StickCyclePercent, StickPoints, StickL5S1Force,
    StickPointsMeasured,   // compensate mode: the measured stride's landmarks at the same samples
    Difference,        // /differences/{run}
    DifferenceLevelForce, DifferenceLevelPeak,
    DifferenceGroupNames, DifferenceGroupForce, DifferenceGroupForcePct,
    Sensitivity, SensitivityParameters, SensitivityMetrics, SensitivitySrc, SensitivityR2, SensitivityFirstOrder,
    Count_
};

// The path of `key` for `run` and `level`.
std::string path(Path key, const std::string& run = "", const std::string& level = "");

// The `units` attribute of the dataset: "" for groups, string lists and datasets whose unit
// varies by column (those say so in their own attribute).
const char* units(Path key);

// Every key: the name the Python table uses ("run.time"), the path template with `{run}` and
// `{level}` left in, and the units, for the consistency test and for docs.
struct Entry {
    const char* name;
    const char* path_template;
    const char* units;
};
const std::vector<Entry>& entries();

// The run-group attributes that more than one file reads.
namespace attr {
constexpr const char* kFormat = "format";
constexpr const char* kFormatVersion = "format_version";
constexpr const char* kSoftwareVersion = "software_version";
constexpr const char* kContent = "content";          // root of a sweep file: "sweep"
constexpr const char* kScenario = "scenario";        // run group: the resolved scenario (INI text)
constexpr const char* kStatus = "status";            // run group
constexpr const char* kBodyWeight = "body_weight_N"; // run group
constexpr const char* kColumns = "columns";          // any table
}  // namespace attr

}  // namespace corestride::schema
