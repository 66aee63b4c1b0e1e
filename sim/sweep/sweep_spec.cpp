#include "sweep_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>

#include "error.h"
#include "record_reader.h"
#include "scenario.h"
#include "input_file.h"

namespace corestride {

namespace {

std::vector<std::string> splitComma(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string part; std::getline(in, part, ',');) out.push_back(trim(part));
    if (!s.empty() && s.back() == ',') out.push_back("");
    return out;
}

// A strict decimal number: the whole text, finite.
double parseNumber(const std::string& text, const std::string& file, int line, const std::string& key) {
    double v = 0;
    std::string why;
    if (!parseDecimal(text, v, &why)) throw fileError(file, line, key, "value '" + text + "' " + why);
    return v;
}

// Checks `value` against the key's kind and range, naming the spec's line and the key.
void checkPointValue(const KeySpec& spec, const std::string& value, const std::string& file, int line, const std::string& key) {
    try {
        checkValue(spec, value, "", key);
    } catch (const UserError& e) {
        throw UserError(file + ":" + std::to_string(line) + ": " + e.what());
    }
}

// One `key = ...` line of [parameters]: "lo .. hi, n", "lo .. hi" or "a, b, c".
SweepParameter parseParameter(const std::string& key, const std::string& value, SweepDesign design,
                              const std::string& file, int line) {
    const KeySpec* spec = findScenarioKey(key);
    if (!spec) throw fileError(file, line, key, "unknown scenario key (corestride run --help lists them)");
    if (spec->kind != KeyKind::Number && spec->kind != KeyKind::Integer)
        throw fileError(file, line, key, "is not a numeric key; a sweep varies numeric keys only");
    SweepParameter p;
    p.key = key;
    p.line = line;
    p.integer = spec->kind == KeyKind::Integer;
    if (value.empty()) throw fileError(file, line, key, "empty value; expected 'lo .. hi, count' or 'a, b, c'");
    const auto dots = value.find("..");
    if (dots != std::string::npos) {
        p.is_range = true;
        const std::vector<std::string> rest = splitComma(value.substr(dots + 2));
        const std::string lo = trim(value.substr(0, dots)), hi = rest[0];
        p.lo = parseNumber(lo, file, line, key);
        p.hi = parseNumber(hi, file, line, key);
        if (p.lo > p.hi) throw fileError(file, line, key, "reversed range " + lo + " .. " + hi + " (lo > hi)");
        if (p.lo == p.hi) throw fileError(file, line, key, "empty range " + lo + " .. " + hi + " (lo == hi)");
        checkPointValue(*spec, lo, file, line, key);
        checkPointValue(*spec, hi, file, line, key);
        if (design == SweepDesign::Lhs) {
            if (rest.size() != 1) throw fileError(file, line, key, "lhs takes a range 'lo .. hi' without a count");
            return p;
        }
        if (rest.size() != 2) throw fileError(file, line, key, "a grid range needs a count: 'lo .. hi, count'");
        const double n = parseNumber(rest[1], file, line, key);
        if (n < 2 || n != std::floor(n) || n > 1e6)
            throw fileError(file, line, key, "count '" + rest[1] + "' must be an integer >= 2");
        p.count = static_cast<int>(n);
        // Evenly spaced, both ends exact, rounded to 15 significant digits.
        for (int i = 0; i < p.count; ++i) {
            const double v = i == p.count - 1 ? p.hi : p.lo + (p.hi - p.lo) * i / (p.count - 1);
            // 15 significant digits: 0 .. 0.6, 4 gives 0.2, not 0.19999999999999998.
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.15g", v);
            const std::string text = formatExact(std::strtod(buf, nullptr));
            checkPointValue(*spec, text, file, line, key);
            p.values.push_back(text);
        }
        return p;
    }
    if (design == SweepDesign::Lhs) throw fileError(file, line, key, "lhs needs a range 'lo .. hi'");
    for (const std::string& v : splitComma(value)) {
        parseNumber(v, file, line, key);
        checkPointValue(*spec, v, file, line, key);
        p.values.push_back(v);
    }
    return p;
}

std::string directoryOf(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

}  // namespace

std::string formatExact(double value) {
    char buf[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, value);
        if (std::strtod(buf, nullptr) == value) break;
    }
    return buf;
}

std::string hashText(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

SweepSpec readSweepSpec(const std::string& path) {
    return parseSweepSpec(readInputFile(path, "sweep spec"), path);
}

// [points] repeats its `point` key; every other key is given once.
SweepSpec parseSweepSpec(const std::string& text, const std::string& file) {
    SweepSpec s;
    s.file = file;
    s.text = text;
    std::vector<IniEntry> lines;
    std::set<std::string> seen;
    IniRules rules;
    rules.sections = {"sweep", "parameters", "points"};
    rules.keys_need_section = true;
    const int lineno = forEachIniEntry(text, file, rules, [&](const IniEntry& l) {
        const std::string full = l.section + "." + l.key;
        if (!(l.section == "points" && l.key == "point") && !seen.insert(full).second)
            throw fileError(file, l.line, l.key, "given twice");
        lines.push_back(l);
    });

    // [sweep]: the base scenario and the design.
    std::string design = "grid";
    int samples_line = 0, seed_line = 0;
    for (const IniEntry& l : lines) {
        if (l.section != "sweep") continue;
        if (l.key == "base") {
            s.base = l.value.empty() || l.value.front() == '/' ? l.value : directoryOf(file) + l.value;
        } else if (l.key == "design") {
            design = l.value;
            if (design == "grid") s.design = SweepDesign::Grid;
            else if (design == "lhs") s.design = SweepDesign::Lhs;
            else if (design == "list") s.design = SweepDesign::List;
            else throw fileError(file, l.line, "design", "value '" + l.value + "' is not one of: grid, lhs, list");
        } else if (l.key == "samples") {
            const double n = parseNumber(l.value, file, l.line, "samples");
            if (n < 1 || n != std::floor(n) || n > 1e9) throw fileError(file, l.line, "samples", "value '" + l.value + "' must be an integer >= 1");
            s.samples = static_cast<int>(n);
            samples_line = l.line;
        } else if (l.key == "seed") {
            const double n = parseNumber(l.value, file, l.line, "seed");
            if (n < 0 || n != std::floor(n) || n > 9007199254740992.0)
                throw fileError(file, l.line, "seed", "value '" + l.value + "' must be an integer >= 0");
            s.seed = static_cast<std::uint64_t>(n);
            seed_line = l.line;
        } else {
            throw fileError(file, l.line, l.key, "unknown key in [sweep] (base, design, samples, seed)");
        }
    }
    if (s.design != SweepDesign::Lhs && (samples_line || seed_line))
        throw fileError(file, samples_line ? samples_line : seed_line, samples_line ? "samples" : "seed", "only for design = lhs");
    if (s.design == SweepDesign::Lhs && !samples_line) throw fileError(file, lineno, "samples", "design = lhs needs samples = N in [sweep]");
    // The base scenario must resolve on its own (its errors name its file and line).
    Scenario::resolve(s.base, {});

    // [parameters] (grid, lhs) or [points] (list).
    std::set<std::string> keys;
    for (const IniEntry& l : lines) {
        if (l.section == "parameters") {
            if (s.design == SweepDesign::List) throw fileError(file, l.line, l.key, "design = list takes [points], not [parameters]");
            s.parameters.push_back(parseParameter(l.key, l.value, s.design, file, l.line));
        } else if (l.section == "points") {
            if (s.design != SweepDesign::List) throw fileError(file, l.line, l.key, "[points] is only for design = list");
            if (l.key == "columns") {
                for (const std::string& key : splitComma(l.value)) {
                    const KeySpec* spec = findScenarioKey(key);
                    if (!spec) throw fileError(file, l.line, key, "unknown scenario key (corestride run --help lists them)");
                    if (spec->kind != KeyKind::Number && spec->kind != KeyKind::Integer)
                        throw fileError(file, l.line, key, "is not a numeric key; a sweep varies numeric keys only");
                    if (!keys.insert(key).second) throw fileError(file, l.line, key, "column given twice");
                    SweepParameter p;
                    p.key = key;
                    p.line = l.line;
                    p.integer = spec->kind == KeyKind::Integer;
                    s.parameters.push_back(p);
                }
            } else if (l.key == "point") {
                if (s.parameters.empty()) throw fileError(file, l.line, "point", "needs a 'columns = key, key, ...' line before it");
                const std::vector<std::string> v = splitComma(l.value);
                if (v.size() != s.parameters.size())
                    throw fileError(file, l.line, "point", std::to_string(v.size()) + " values for " +
                                                            std::to_string(s.parameters.size()) + " columns");
                for (size_t j = 0; j < v.size(); ++j) {
                    parseNumber(v[j], file, l.line, s.parameters[j].key);
                    checkPointValue(*findScenarioKey(s.parameters[j].key), v[j], file, l.line, s.parameters[j].key);
                }
                s.list_points.push_back(v);
                s.list_lines.push_back(l.line);
            } else {
                throw fileError(file, l.line, l.key, "unknown key in [points] (columns, point)");
            }
        }
    }
    for (const SweepParameter& p : s.parameters)
        if (s.design != SweepDesign::List && !keys.insert(p.key).second) throw fileError(file, p.line, p.key, "given twice");
    if (s.parameters.empty()) throw fileError(file, lineno, "", "no parameters: the sweep varies nothing");
    if (s.design == SweepDesign::List && s.list_points.empty()) throw fileError(file, lineno, "", "design = list without any 'point = ...' line");
    return s;
}

std::int64_t countSweepPoints(const SweepSpec& spec) {
    if (spec.design == SweepDesign::List) return static_cast<std::int64_t>(spec.list_points.size());
    if (spec.design == SweepDesign::Lhs) return spec.samples;
    std::int64_t n = 1;
    for (const SweepParameter& p : spec.parameters) {
        const auto k = static_cast<std::int64_t>(p.values.size());
        if (n > std::numeric_limits<std::int64_t>::max() / k) return std::numeric_limits<std::int64_t>::max();
        n *= k;
    }
    return n;
}

// Latin hypercube, n = samples points in d = parameters dimensions. One std::mt19937_64
// seeded with `seed` is drawn in this fixed order:
//  1. for each parameter j (file order): a permutation P_j of 0..n-1 by Fisher-Yates from the
//     identity, i = n-1 down to 1: swap(P[i], P[draw % (i + 1)]);
//  2. for each parameter j, then each point i: an offset u = (draw >> 11) * 2^-53 in [0, 1).
// Point i takes lo + (hi - lo) * (P_j[i] + u_ij) / n, rounded to the nearest integer for
// integer keys and clamped to [lo, hi]. Every parameter thus has exactly one sample in each of
// its n equal strata.
std::vector<SweepPoint> calcSweepPoints(const SweepSpec& spec) {
    std::vector<SweepPoint> points;
    const size_t d = spec.parameters.size();
    if (spec.design == SweepDesign::List) {
        for (size_t i = 0; i < spec.list_points.size(); ++i) {
            SweepPoint p;
            p.index = static_cast<int>(i);
            for (size_t j = 0; j < d; ++j) p.values.push_back({spec.parameters[j].key, spec.list_points[i][j]});
            points.push_back(p);
        }
    } else if (spec.design == SweepDesign::Grid) {
        const std::int64_t n = countSweepPoints(spec);
        if (n > std::numeric_limits<int>::max()) throw UserError(spec.file + ": the grid has too many points");
        std::vector<size_t> digit(d, 0);
        for (std::int64_t i = 0; i < n; ++i) {
            SweepPoint p;
            p.index = static_cast<int>(i);
            for (size_t j = 0; j < d; ++j) p.values.push_back({spec.parameters[j].key, spec.parameters[j].values[digit[j]]});
            points.push_back(p);
            for (size_t j = d; j-- > 0;) {   // odometer: the last parameter fastest
                if (++digit[j] < spec.parameters[j].values.size()) break;
                digit[j] = 0;
            }
        }
    } else {
        const int n = spec.samples;
        std::mt19937_64 rng(spec.seed);
        std::vector<std::vector<int>> perm(d, std::vector<int>(static_cast<size_t>(n)));
        for (size_t j = 0; j < d; ++j) {
            for (int i = 0; i < n; ++i) perm[j][static_cast<size_t>(i)] = i;
            for (int i = n - 1; i >= 1; --i) std::swap(perm[j][static_cast<size_t>(i)], perm[j][rng() % static_cast<std::uint64_t>(i + 1)]);
        }
        std::vector<std::vector<double>> u(d, std::vector<double>(static_cast<size_t>(n)));
        for (size_t j = 0; j < d; ++j)
            for (int i = 0; i < n; ++i) u[j][static_cast<size_t>(i)] = static_cast<double>(rng() >> 11) * 0x1.0p-53;
        for (int i = 0; i < n; ++i) {
            SweepPoint p;
            p.index = i;
            for (size_t j = 0; j < d; ++j) {
                const SweepParameter& par = spec.parameters[j];
                double v = par.lo + (par.hi - par.lo) * (perm[j][static_cast<size_t>(i)] + u[j][static_cast<size_t>(i)]) / n;
                if (par.integer) v = std::round(v);
                v = std::min(par.hi, std::max(par.lo, v));
                p.values.push_back({par.key, formatExact(v)});
            }
            points.push_back(p);
        }
    }
    return points;
}

}  // namespace corestride
