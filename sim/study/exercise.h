// The exercise library (docs/exercises.md): one `*.exercise` file per exercise, holding its
// dose (holds or repetitions, sets, sessions a week) and the relative intensity, in fractions
// of a maximal voluntary contraction, that it reaches in each muscle group it loads, every
// number with its published source. Read with the project's line-record reader; every
// malformed record throws a UserError naming file, line and field.
#pragma once

#include <string>
#include <vector>

#include "model_description.h"
#include "settings.h"

namespace corestride {

class Model;

// Whether a number was checked against its source text, is a recollection still to be
// confirmed, or is the project's own documented estimate (no published value).
enum class ValueStatus { Checked, Unverified, Estimate };

// Which side's muscles a load acts on, relative to the exercise's loaded side: the down side
// of a side plank, the lifted leg of a side-lying leg raise, the stance leg of a single-leg
// squat. `Both` for loads that act on both sides at once (and for every load of a bilateral
// exercise). An exercise done "each side" trains both sides at the load's intensity in every
// session, so for such programs the field is descriptive: see calcProgramIntensity().
enum class LoadSide { Loaded, Opposite, Both };

enum class DoseKind { Hold, Reps };

// A prescribed quantity given as one value (lo == hi) or a range. A quantity that the source
// does not prescribe is {0, 0} (given() is false).
struct DoseRange {
    double lo = 0, hi = 0;
    bool given() const { return hi > 0; }
    double mid() const { return 0.5 * (lo + hi); }
};

struct ExerciseLoad {
    std::string group;                     // a muscle group of the model (Model::groupNames())
    double mvc = 0;                        // mean EMG amplitude, fraction of MVC (file: mvc_pct)
    LoadSide side = LoadSide::Both;
    std::string source;                    // citation of `mvc`, words joined by underscores
    ValueStatus status = ValueStatus::Unverified;
    SourceLocation where;                  // the `load` record
};

struct Exercise {
    std::string name;                      // equals the file's stem
    std::string title;                     // for display; the file's underscores read as spaces
    DoseKind dose = DoseKind::Reps;
    DoseRange hold_s;                      // s per hold (hold exercises only)
    DoseRange reps;                        // repetitions (or holds) per set, per side
    DoseRange sets;                        // sets per session; {0, 0} when not prescribed
    bool each_side = false;                // done once with each side loaded, every session
    DoseRange sessions_per_week;           // prescribed frequency; mid() is the default
    std::string dose_source;               // citation of the dose numbers
    std::vector<ExerciseLoad> loads;       // at most one per group, at least one
    SourceLocation where;                  // the `exercise` record
};

// Parses exercise text already in memory; `file` is used in messages and to check that the
// exercise's name equals the file's stem. Throws UserError (file, line, field) for unknown
// records or fields, missing or malformed values, a `load` before the `exercise` record, a
// group loaded twice, or a bilateral exercise with a one-sided load.
Exercise parseExerciseText(const std::string& text, const std::string& file);

// Reads one `*.exercise` file. Throws UserError as parseExerciseText(), or naming the path if
// it cannot be opened.
Exercise readExerciseFile(const std::string& path);

// Reads every `*.exercise` file of a directory, sorted by exercise name. Throws UserError if
// the directory cannot be read or holds no exercise file, or for any malformed file.
std::vector<Exercise> readExerciseLibrary(const std::string& dir);
// The *.exercise files of `dir`, sorted (the library readExerciseLibrary reads).
std::vector<std::string> exerciseLibraryFiles(const std::string& dir);

// The shipped library's directory (scenarios/exercises under the data root, paths.h).
std::string defaultExerciseDir();

// Checks the exercise against a model: every loaded group must exist. Throws UserError naming
// the file, the `load` line and field 'group'.
void validateExercise(const Exercise& exercise, const Model& model);

// The exercises of the training programme (every exercise of the shipped library, or the
// named ones in the order given), read and validated against the model. Throws UserError
// naming the key training.program for a name the library does not have.
std::vector<Exercise> selectProgram(const Model& model, const Settings::Training& training);

const char* toString(ValueStatus status);
const char* toString(LoadSide side);

}  // namespace corestride
