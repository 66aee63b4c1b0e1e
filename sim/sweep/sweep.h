// Running a sweep (docs/sweeps.md): every point of a spec (sweep_spec.h) simulated once, on a
// pool of worker threads, with one writer (the calling thread) that journals each finished
// point and, when all are done, writes the HDF5 file atomically.
//
// Workers: one (model, reference) per worker and combination of keys, see SweepModelCache.
//
// Resumability: each finished point is appended to `<out>.journal` as one line with its own
// checksum and fsync'ed; with --save=timeseries its run is first written to
// `<out>.parts/point_NNNNNN.h5` (atomically). A rerun of the same spec with the same output
// reads the journal (a torn or corrupt line is dropped and recomputed), runs only the missing
// points, and builds `<out>` from the journal. The journal and parts are removed once `<out>`
// is in place. Doubles travel as exact decimal text, so the file is the same bitwise however
// often the sweep was interrupted and whatever the number of threads (except wall times).
//
// Point scheduling for other drivers (MPI ranks): calcSweepPoints() gives the ordered points;
// sweepPointScenario() and runSweepPoint() turn one point into one row, independently of any
// other point.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "run.h"
#include "scenario.h"
#include "sweep_spec.h"

namespace corestride {

enum class SweepSave { Summary, Timeseries };

// Counts reported after every finished point (from the writer thread).
struct SweepProgress {
    int total = 0;        // points in the design
    int done = 0;         // finished, including those found in the journal
    int failed = 0;       // finished with a status other than ok
    int resumed = 0;      // found in the journal at the start
    double elapsed = 0;   // s since this invocation started computing
    double rate = 0;      // points computed per second by this invocation
    double eta = 0;       // s left at that rate
};

// One finished point: its status (the run's, or Failed with "error: ..." when the point could
// not be set up) and metrics (RunResult::metrics).
// A metric name shared by every row that has it: interned once per process (a few hundred
// names), so that a sweep's memory does not grow with the name strings of every point.
const std::string* internMetricName(const std::string& name);

struct SweepRow {
    int index = 0;
    RunStatus status;
    double wall_time = 0;             // s
    std::vector<std::pair<const std::string*, double>> metrics;   // interned name, value
};

struct SweepOptions {
    std::string output;               // HDF5 file; the journal is `<output>.journal`
    int jobs = 0;                     // worker threads; 0 = all cores
    SweepSave save = SweepSave::Summary;
    std::int64_t max_points = 1000;   // larger designs need confirm
    bool confirm = false;
    bool overwrite = false;           // discard an existing output, journal and parts
    int stop_after = -1;              // compute at most this many new points, then stop (-1: all)
    std::function<void(const SweepProgress&)> progress;
    // Another driver for the points instead of the worker threads (the MPI coordinator,
    // sweep_mpi.h): called once, on the calling thread, with the indices of the points to
    // compute (in order, --stop-after applied); it calls `finished` on that same thread once
    // per point, in any order, with the row runSweepPoint() gave. Journal, progress and file
    // are then exactly as with threads. --save=summary only (rows carry no run).
    std::function<void(const std::vector<int>& todo, const std::function<void(const SweepRow&)>& finished)> compute;
};

struct SweepReport {
    int total = 0, computed = 0, resumed = 0, failed = 0;
    bool complete = false;            // <output> written (or already there)
    bool already_complete = false;    // <output> of this spec existed; nothing was run
};

// One (model, reference) per distinct combination of the subject.*, model.*, motion.* and
// running.* keys, built on first use and reused by the points that share it; the last
// kCapacity combinations are kept.
//
// One cache per worker thread, not one for all: a Model cannot be simulated from two threads
// at once. Simbody 3.7's GeneralForceSubsystem keeps a single CalcForcesTask per System that
// holds the State and force arrays being realized (realizeSubsystemDynamicsImpl), so two
// threads realizing their own States of one System race; observed here as a SIGSEGV in
// ModelForces::calcForce with 2 workers on one Model. ModelForces::realizeModel also writes
// a member on every new State. Sharing one Model across workers needs a fix in Model (one
// SimTK::System per workspace) or in Simbody.
class SweepModelCache {
public:
    static constexpr size_t kCapacity = 4;

    // The model and reference for `scenario` (result left empty). Throws what
    // runScenarioSetup() throws, again for every point of a combination that failed.
    ScenarioRun setup(const Scenario& scenario);

private:
    struct Entry {
        std::string key;
        ScenarioRun run;
        std::exception_ptr error;
    };
    std::vector<Entry> entries_;   // oldest first
};

// The base scenario of the spec, resolved once.
Scenario sweepBaseScenario(const SweepSpec& spec);

// The point's scenario: every base value, then the point's overrides.
Scenario sweepPointScenario(const Scenario& base, const SweepPoint& point);

// A hash of what determines the results: the resolved base scenario and every point's
// overrides, in order (formatting and comments of the spec file do not matter).
std::string sweepSpecHash(const Scenario& base, const std::vector<SweepPoint>& points);

// Simulates one point. Never throws for the point's own trouble: a failed simulation, or an
// error building its model (an unknown weakness group), ends up in the row's status. If
// `run` is given it receives the full run (for time series).
SweepRow runSweepPoint(const SweepPoint& point, const Scenario& scenario, SweepModelCache& cache,
                       ScenarioRun* run = nullptr);

// Journal lines: one finished point per line, with a checksum; parse returns false for a
// torn or corrupt line.
std::string formatJournalRecord(const SweepRow& row);
bool parseJournalRecord(const std::string& line, SweepRow& row);

// Runs (or resumes) the sweep. Throws UserError (exit 2) before any work for a design larger
// than max_points without confirm, an output or journal that belongs to a different spec, or
// an output that is not a sweep file; nothing existing is removed unless overwrite is set.
SweepReport runSweep(const SweepSpec& spec, const SweepOptions& options);

}  // namespace corestride
