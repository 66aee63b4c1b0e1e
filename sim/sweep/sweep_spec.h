// Sweep specifications (docs/sweeps.md): an INI file that names a base scenario, the numeric
// scenario keys that vary with their ranges or values, and the design that turns them into an
// ordered list of points. A point is the base scenario plus overrides {key: value}.
//
//   [sweep]
//   base = ../weak_glute_med.cfg     # relative to the spec file; empty = defaults only
//   design = grid                    # grid | lhs | list
//   samples = 20                     # lhs: number of points
//   seed = 1                         # lhs: seed of std::mt19937_64
//   [parameters]                     # grid and lhs
//   weakness.glute_med_r = 0 .. 0.6, 4    # range: grid -> 4 evenly spaced values, ends included
//   weakness.deep_core = 0, 0.2, 0.5      # grid: explicit values
//   running.speed = 3.0 .. 4.0            # lhs: a range without a count
//   [points]                         # list
//   columns = weakness.glute_med_r, running.speed
//   point = 0.2, 3.5
//
// calcSweepPoints() is a pure function of the spec, so that any driver (threads here, MPI
// ranks later) schedules the same points under the same indices.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace corestride {

enum class SweepDesign { Grid, Lhs, List };

struct SweepParameter {
    std::string key;              // scenario key, e.g. "weakness.glute_med_r"
    int line = 0;                 // line in the spec file
    bool is_range = false;        // lo .. hi (with count for a grid) or an explicit list
    double lo = 0, hi = 0;        // range ends (is_range)
    int count = 0;                // grid: number of values in the range
    std::vector<std::string> values;  // explicit values (grid), or computed from the range
    bool integer = false;         // the key takes integers (lhs rounds its samples)
};

struct SweepSpec {
    std::string file;             // the spec file
    std::string text;             // its text (stored in the output)
    std::string base;             // base scenario file, resolved against the spec's directory
    SweepDesign design = SweepDesign::Grid;
    int samples = 0;              // lhs
    std::uint64_t seed = 0;       // lhs
    std::vector<SweepParameter> parameters;   // in file order (list: the columns)
    std::vector<std::vector<std::string>> list_points;   // list: one value per column
    std::vector<int> list_lines;  // list: the line of each point
};

// One point of the design: index in the ordered list and the overrides, in parameter order.
struct SweepPoint {
    int index = 0;
    std::vector<std::pair<std::string, std::string>> values;   // key -> exact decimal text
};

// Reads and checks a spec. Throws UserError "FILE:LINE: ..." naming the key for an unknown
// key or section, a non-numeric value, a value outside the key's range, an empty (lo == hi)
// or reversed (lo > hi) range, a bad count, or a design without what it needs. The base
// scenario is resolved once (its own errors name its file and line).
SweepSpec readSweepSpec(const std::string& path);

// The same from text (`file` names it in messages; `base` is resolved against its directory).
SweepSpec parseSweepSpec(const std::string& text, const std::string& file);

// The ordered points of the design. Grid: the Cartesian product, the last parameter varying
// fastest. List: the points in file order. Lhs: Latin hypercube, documented in sweep_spec.cpp
// and docs/sweeps.md; deterministic for a given seed on every platform (it uses only
// std::mt19937_64 outputs, never std:: distributions, whose algorithms are unspecified).
std::vector<SweepPoint> calcSweepPoints(const SweepSpec& spec);

// Number of points calcSweepPoints() would return, without building them (saturates at
// INT64_MAX for huge grids).
std::int64_t countSweepPoints(const SweepSpec& spec);

// The shortest decimal text that reads back (strtod) as exactly `value`.
std::string formatExact(double value);

// A 64-bit FNV-1a hash as 16 hex digits.
std::string hashText(const std::string& text);

}  // namespace corestride
