#include "exercise.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "error.h"
#include "suggest.h"
#include "model.h"
#include "record_reader.h"
#include "paths.h"
#include "input_file.h"

namespace corestride {
namespace {

// EMG normalised to an MVIC can exceed 100 % (MacAskill 2014: 99.9 ± 17 %); anything past
// twice the MVIC is taken as a typing error.
constexpr double kMaxMvcPct = 200;

bool yesNo(Record& r, const std::string& key) {
    const std::string& v = r.raw(key);
    if (v == "yes") return true;
    if (v == "no") return false;
    r.fail(key, "'" + v + "' is not one of: yes, no");
}

// `key=v` or `key=lo,hi` with 0 < lo <= hi (<= max when given).
DoseRange range(Record& r, const std::string& key, double max = 0) {
    const std::vector<double> v = r.numbers(key, 1, 2);
    DoseRange d{v.front(), v.back()};
    if (!(d.lo > 0)) r.fail(key, "must be positive, got " + r.raw(key));
    if (d.hi < d.lo) r.fail(key, "range '" + r.raw(key) + "' must be given as lo,hi with lo <= hi");
    if (max > 0 && d.hi > max) r.fail(key, "must not exceed " + std::to_string(static_cast<int>(max)) + ", got " + r.raw(key));
    return d;
}

DoseRange optionalRange(Record& r, const std::string& key) { return r.has(key) ? range(r, key) : DoseRange{}; }

ValueStatus parseStatus(Record& r) {
    const std::string& v = r.raw("status");
    if (v == "checked") return ValueStatus::Checked;
    if (v == "unverified") return ValueStatus::Unverified;
    if (v == "estimate") return ValueStatus::Estimate;
    r.fail("status", "'" + v + "' is not one of: checked, unverified, estimate");
}

LoadSide parseSide(Record& r) {
    const std::string& v = r.raw("side");
    if (v == "loaded") return LoadSide::Loaded;
    if (v == "opposite") return LoadSide::Opposite;
    if (v == "both") return LoadSide::Both;
    r.fail("side", "'" + v + "' is not one of: loaded, opposite, both");
}

void parseHeader(Record& r, const std::string& file, Exercise& e) {
    if (r.name.empty()) r.fail("name", "'exercise' record needs a name");
    const std::string stem = std::filesystem::path(file).stem().string();
    if (r.name != stem) r.fail("name", "exercise '" + r.name + "' must be in a file named " + r.name + ".exercise");
    e.name = r.name;
    e.where = r.where;
    e.title = r.raw("title");
    std::replace(e.title.begin(), e.title.end(), '_', ' ');   // values have no spaces; '_' stands for one
    const std::string& dose = r.raw("dose");
    if (dose == "hold") e.dose = DoseKind::Hold;
    else if (dose == "reps") e.dose = DoseKind::Reps;
    else r.fail("dose", "'" + dose + "' is not one of: hold, reps");
    if (e.dose == DoseKind::Hold) {
        e.hold_s = range(r, "hold_s");
        e.reps = optionalRange(r, "reps");
    } else {
        if (r.has("hold_s")) r.fail("hold_s", "only 'dose=hold' exercises take hold_s");
        e.reps = range(r, "reps");
    }
    e.sets = optionalRange(r, "sets");
    e.each_side = yesNo(r, "each_side");
    e.sessions_per_week = range(r, "sessions_per_week", 7);
    e.dose_source = r.raw("dose_source");
    r.rejectUnknown();
}

ExerciseLoad parseLoad(Record& r, const Exercise& e) {
    if (!r.name.empty()) r.fail("name", "'load' records take no name (use group=...)");
    ExerciseLoad l;
    l.where = r.where;
    l.group = r.raw("group");
    if (!isName(l.group)) r.fail("group", "'" + l.group + "' is not a valid name ([A-Za-z0-9_]+)");
    l.side = parseSide(r);
    if (!e.each_side && l.side != LoadSide::Both)
        r.fail("side", "a bilateral exercise (each_side=no) loads both sides: use side=both");
    const double pct = r.nonNegative("mvc_pct");
    if (pct > kMaxMvcPct) r.fail("mvc_pct", "must not exceed " + std::to_string(static_cast<int>(kMaxMvcPct)) + " %, got " + r.raw("mvc_pct"));
    l.mvc = pct / 100.0;
    l.source = r.raw("source");
    l.status = parseStatus(r);
    r.rejectUnknown();
    for (const ExerciseLoad& other : e.loads)
        if (other.group == l.group)
            r.fail("group", "group '" + l.group + "' already loaded on line " + std::to_string(other.where.line));
    return l;
}

}  // namespace

Exercise parseExerciseText(const std::string& text, const std::string& file) {
    Exercise e;
    bool have_header = false;
    std::stringstream in(text);
    // One `exercise` record first, then its `load` records.
    const int lines = forEachRecord(in, file, [&](Record& r) {
        if (r.keyword == "exercise") {
            if (have_header) r.fail("", "second 'exercise' record (one exercise per file)");
            parseHeader(r, file, e);
            have_header = true;
        } else if (r.keyword == "load") {
            if (!have_header) r.fail("", "'load' before the 'exercise' record");
            e.loads.push_back(parseLoad(r, e));
        } else {
            r.fail("", "unknown record '" + r.keyword + "' (exercise, load)");
        }
    });
    if (!have_header) throw fileError(file, lines, "", "no 'exercise' record");
    if (e.loads.empty()) throw fileError(file, e.where.line, "", "exercise '" + e.name + "' has no 'load' record");
    return e;
}

Exercise readExerciseFile(const std::string& path) {
    return parseExerciseText(readInputFile(path, "exercise file"), path);
}

std::vector<std::string> exerciseLibraryFiles(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> paths;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".exercise") paths.push_back(it->path().string());
    if (ec) throw UserError(dir + ": cannot read exercise directory: " + ec.message());
    if (paths.empty()) throw UserError(dir + ": no *.exercise file");
    // The name equals the stem (checked by the parser), so sorting paths sorts names.
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::vector<Exercise> readExerciseLibrary(const std::string& dir) {
    std::vector<Exercise> out;
    for (const std::string& p : exerciseLibraryFiles(dir)) out.push_back(readExerciseFile(p));
    return out;
}

std::string defaultExerciseDir() { return scenariosDir() + "/exercises"; }

void validateExercise(const Exercise& exercise, const Model& model) {
    for (const ExerciseLoad& l : exercise.loads) {
        if (model.groupIndex(l.group) >= 0) continue;
        std::string known;
        for (const std::string& g : model.groupNames()) known += (known.empty() ? "" : ", ") + g;
        throw fileError(l.where.file, l.where.line, "group",
                        "unknown muscle group '" + l.group + "' in model '" + model.name() + "' (groups: " + known + ")");
    }
}

const char* toString(ValueStatus status) {
    switch (status) {
        case ValueStatus::Checked: return "checked";
        case ValueStatus::Unverified: return "unverified";
        case ValueStatus::Estimate: return "estimate";
    }
    return "?";
}

const char* toString(LoadSide side) {
    switch (side) {
        case LoadSide::Loaded: return "loaded";
        case LoadSide::Opposite: return "opposite";
        case LoadSide::Both: return "both";
    }
    return "?";
}

std::vector<Exercise> selectProgram(const Model& model, const Settings::Training& training) {
    std::vector<Exercise> library = readExerciseLibrary(defaultExerciseDir());
    const auto named = [&](const std::string& name) {
        return std::find(training.program.begin(), training.program.end(), name) != training.program.end();
    };
    std::vector<Exercise> program;
    for (const Exercise& e : library) {
        validateExercise(e, model);
        if (training.all_exercises || named(e.name)) program.push_back(e);
    }
    std::vector<std::string> names;
    for (const Exercise& e : library) names.push_back(e.name);
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    for (const std::string& n : training.program)
        if (std::none_of(program.begin(), program.end(), [&](const Exercise& e) { return e.name == n; }))
            throw UserError("key 'training.program': no exercise '" + n + "'" + didYouMean(n, names) +
                            "; the exercises are: all, or any of " + list + " (separated by commas)");
    if (program.empty()) throw UserError("key 'training.program': no exercise in " + defaultExerciseDir());
    return program;
}

}  // namespace corestride
