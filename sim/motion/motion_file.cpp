#include "motion_file.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "error.h"
#include "input_file.h"
#include "record_reader.h"

namespace corestride {
namespace {

// Short, exact-enough rendering of a number for messages: 0.05 rather than 0.050000.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// Field separators inside a line; '\r' counts as one so that CRLF files need no special case.
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::vector<std::string> splitWords(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isSpace(s[i])) ++i;
        size_t b = i;
        while (i < s.size() && !isSpace(s[i])) ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

// Walks the text line by line without copying it; `line` is the 1-based number of the line
// last returned.
struct LineCursor {
    const char* p;
    const char* end;
    int line = 0;

    bool next(const char*& b, const char*& e) {
        if (p >= end) return false;
        b = p;
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        ++line;
        return true;
    }
    bool nextString(std::string& s) {
        const char *b = nullptr, *e = nullptr;
        if (!next(b, e)) return false;
        s.assign(b, e);
        return true;
    }
    int lastLine() const { return line > 0 ? line : 1; }
};

bool isTwoNumbers(const std::string& s) {
    const auto words = splitWords(s);
    if (words.size() != 2) return false;
    for (const auto& w : words) {
        char* stop = nullptr;
        if (!std::isfinite(std::strtod(w.c_str(), &stop)) || *stop != '\0') return false;
    }
    return true;
}

// A row or column count declared in the header, with where it was declared.
struct DeclaredCount {
    std::string key;
    long value;
    int line;
};

struct Header {
    std::vector<DeclaredCount> rows, columns;  // nRows/datarows; nColumns/datacolumns
    bool has_in_degrees = false, in_degrees = false, simm = false;
    int end_line = 0;
};

long parseCount(const std::string& file, int line, const std::string& key, const std::string& value) {
    errno = 0;
    char* stop = nullptr;
    const long v = std::strtol(value.c_str(), &stop, 10);
    if (value.empty() || *stop != '\0' || errno == ERANGE || v < 0)
        throw fileError(file, line, key, "'" + value + "' is not a non-negative integer");
    return v;
}

// Reads header lines up to and including `endheader`. Unknown key=value lines and free text
// (the OpenSim name line, descriptions) are skipped; known keys are checked.
Header parseHeader(LineCursor& cur, const std::string& file) {
    Header h;
    std::set<std::string> seen;
    std::string raw;
    while (cur.nextString(raw)) {
        const std::string s = trim(raw);
        if (s.empty() || s[0] == '#') continue;
        if (s == "endheader") {
            h.end_line = cur.line;
            return h;
        }
        std::string key, value;
        const auto eq = s.find('=');
        if (eq != std::string::npos) {
            // OpenSim 4: key=value.
            key = trim(s.substr(0, eq));
            value = trim(s.substr(eq + 1));
        } else {
            // SIMM: keyword followed by its value(s).
            const auto words = splitWords(s);
            key = words[0];
            value = trim(s.substr(key.size()));
            // Line 1 may be a free-text name; later, "time ..." is the label line.
            if (key == "time" && words.size() > 1 && cur.line > 1)
                throw fileError(file, cur.line, "endheader",
                                "column labels found before 'endheader' (the header must end with "
                                "a line 'endheader')");
        }
        // SIMM `range a b`: its values are not used; a line that does not fit is free text.
        if (key == "range" && !isTwoNumbers(value)) continue;
        const bool known = key == "nRows" || key == "nColumns" || key == "inDegrees" ||
                           key == "version" || key == "datarows" || key == "datacolumns" ||
                           key == "otherdata" || key == "range" || key == "name";
        if (!known) continue;
        if (!seen.insert(key).second) throw fileError(file, cur.line, key, "duplicate header key");
        if (key == "nRows" || key == "datarows") {
            h.rows.push_back({key, parseCount(file, cur.line, key, value), cur.line});
        } else if (key == "nColumns" || key == "datacolumns") {
            h.columns.push_back({key, parseCount(file, cur.line, key, value), cur.line});
        } else if (key == "inDegrees") {
            if (value != "yes" && value != "no")
                throw fileError(file, cur.line, key, "expected 'yes' or 'no', got '" + value + "'");
            h.has_in_degrees = true;
            h.in_degrees = value == "yes";
        } else if (key == "version" || key == "otherdata") {
            parseCount(file, cur.line, key, value);
        }
        if (key == "datarows" || key == "datacolumns" || key == "otherdata" || key == "range" ||
            key == "name")
            h.simm = true;
    }
    throw fileError(file, cur.lastLine(), "endheader",
                    "no 'endheader' line: the header must end with a line 'endheader' before the "
                    "column labels");
}

}  // namespace

int MotionTable::column(const std::string& label) const {
    for (size_t j = 0; j < labels.size(); ++j)
        if (labels[j] == label) return static_cast<int>(j);
    return -1;
}

double MotionTable::interpolate(int j, double t) const {
    assert(j >= 0 && static_cast<size_t>(j) < columns.size());
    const std::vector<double>& y = columns[static_cast<size_t>(j)];
    assert(!time.empty() && y.size() == time.size());
    if (!(t >= time.front() && t <= time.back()))
        throw UserError(file + ": column '" + labels[static_cast<size_t>(j)] + "': time " + num(t) +
                        " s is outside the data's time range [" + num(time.front()) + ", " +
                        num(time.back()) + "] s");
    // First sample after t; t == time.back() has none and takes the last value exactly.
    const auto after = std::upper_bound(time.begin(), time.end(), t);
    if (after == time.end()) return y.back();
    const size_t i1 = static_cast<size_t>(after - time.begin()), i0 = i1 - 1;
    const double s = (t - time[i0]) / (time[i1] - time[i0]);
    return y[i0] + s * (y[i1] - y[i0]);
}

MotionTable parseMotionText(const std::string& text, const std::string& file) {
    MotionTable table;
    table.file = file;
    LineCursor cur{text.c_str(), text.c_str() + text.size()};
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) cur.p += 3;  // UTF-8 byte-order mark

    // Header and the unit of the angle columns.
    const Header h = parseHeader(cur, file);
    if (h.has_in_degrees)
        table.angle_unit = h.in_degrees ? AngleUnit::Degrees : AngleUnit::Radians;
    else if (h.simm)
        table.angle_unit = AngleUnit::Degrees;
    else
        throw fileError(file, h.end_line, "inDegrees",
                        "the header has neither 'inDegrees=yes|no' nor a SIMM header (whose "
                        "convention is degrees): the unit of angles is ambiguous");

    // Column labels: the first non-blank line after endheader, starting with "time".
    std::string raw;
    std::vector<std::string> words;
    while (words.empty()) {
        if (!cur.nextString(raw))
            throw fileError(file, cur.lastLine(), "time",
                            "no column-label line (starting with 'time') after 'endheader'");
        words = splitWords(raw);
    }
    const int label_line = cur.line;
    if (words[0] != "time")
        throw fileError(file, label_line, "time",
                        "the first column label must be 'time', got '" + words[0] + "'");
    table.labels.assign(words.begin() + 1, words.end());
    std::unordered_map<std::string, size_t> index;
    for (size_t j = 0; j < words.size(); ++j) {
        const auto [it, fresh] = index.emplace(words[j], j + 1);
        if (!fresh)
            throw fileError(file, label_line, words[j],
                            "duplicate column label (columns " + std::to_string(it->second) +
                                " and " + std::to_string(j + 1) + ")");
    }
    const size_t n_fields = words.size();
    for (const auto& c : h.columns)
        if (static_cast<size_t>(c.value) != n_fields)
            throw fileError(file, c.line, c.key,
                            "header declares " + std::to_string(c.value) +
                                " columns (including time), but the label line " +
                                std::to_string(label_line) + " has " + std::to_string(n_fields));

    // Rows: strtod per field, straight from the text. A field ends at a space, tab, CR or
    // the end of the line; anything else left over means the field is not a number.
    table.columns.assign(table.labels.size(), {});
    if (!h.rows.empty() && h.rows[0].value > 0 && h.rows[0].value <= 10'000'000) {
        table.time.reserve(static_cast<size_t>(h.rows[0].value));
        for (auto& c : table.columns) c.reserve(static_cast<size_t>(h.rows[0].value));
    }
    const char *b = nullptr, *e = nullptr;
    while (cur.next(b, e)) {
        const char* p = b;
        while (p < e && isSpace(*p)) ++p;
        if (p == e) continue;  // blank line
        size_t k = 0;
        while (p < e) {
            const char* q = p;  // end of this field's text
            while (q < e && !isSpace(*q)) ++q;
            if (k == n_fields)
                throw fileError(file, cur.line, "",
                                "row has more than " + std::to_string(n_fields) +
                                    " fields (one per column label on line " +
                                    std::to_string(label_line) + "); extra field '" +
                                    std::string(p, q) + "'");
            char* stop = nullptr;
            const double v = std::strtod(p, &stop);
            if (stop != q || !std::isfinite(v))
                throw fileError(file, cur.line, words[k],
                                "'" + std::string(p, q) + "' is not a finite number");
            if (k == 0) {
                if (!table.time.empty() && !(v > table.time.back()))
                    throw fileError(file, cur.line, "time",
                                    "time " + std::string(p, q) + " does not increase (previous row: " +
                                        num(table.time.back()) + ")");
                table.time.push_back(v);
            } else {
                table.columns[k - 1].push_back(v);
            }
            ++k;
            p = q;
            while (p < e && isSpace(*p)) ++p;
        }
        if (k < n_fields)
            throw fileError(file, cur.line, words[k],
                            "row has " + std::to_string(k) + " fields, expected " +
                                std::to_string(n_fields) + " (one per column label on line " +
                                std::to_string(label_line) + "); missing from this column on");
    }

    // Row count.
    if (table.time.empty())
        throw fileError(file, cur.lastLine(), "", "no data rows after the column labels on line " +
                                                      std::to_string(label_line));
    for (const auto& r : h.rows)
        if (static_cast<size_t>(r.value) != table.time.size())
            throw fileError(file, r.line, r.key,
                            "header declares " + std::to_string(r.value) + " rows, but the file has " +
                                std::to_string(table.time.size()));
    return table;
}

MotionTable readMotionFile(const std::string& path) {
    return parseMotionText(readInputFile(path, "motion file"), path);
}

void selectTimeWindow(MotionTable& table, double t0, double t1) {
    assert(!table.time.empty());
    const std::string window = "time window [" + num(t0) + ", " + num(t1) + "] s";
    const std::string range =
        "the data's time range [" + num(table.time.front()) + ", " + num(table.time.back()) + "] s";
    if (!(t0 < t1)) throw UserError(table.file + ": " + window + " is empty (need t0 < t1)");
    if (!(t0 >= table.time.front() && t1 <= table.time.back()))
        throw UserError(table.file + ": " + window + " is not inside " + range);

    // Keep [last sample <= t0, first sample >= t1] so the window is covered by data.
    const auto& t = table.time;
    const size_t lo = static_cast<size_t>(std::upper_bound(t.begin(), t.end(), t0) - t.begin()) - 1;
    const size_t hi = static_cast<size_t>(std::lower_bound(t.begin(), t.end(), t1) - t.begin());
    const auto keep = [lo, hi](std::vector<double>& v) {
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(hi + 1), v.end());
        v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo));
    };
    keep(table.time);
    for (auto& c : table.columns) keep(c);
}

}  // namespace corestride

namespace corestride {

void lowPassFilter(MotionTable& t, double fc, const std::vector<int>& columns) {
    const size_t n = t.time.size();
    if (n < 4) throw UserError(t.file + ": too few samples (" + std::to_string(n) + ") to filter");
    const double dt = (t.time.back() - t.time.front()) / static_cast<double>(n - 1);
    for (size_t r = 1; r < n; ++r)
        if (std::abs(t.time[r] - t.time[r - 1] - dt) > 0.01 * dt)
            throw UserError(t.file + ": samples are not equally spaced near t = " + std::to_string(t.time[r]) +
                            " s; a low-pass filter needs a constant rate");
    const double fs = 1.0 / dt;
    // Two passes of a 2nd-order filter: correct the cut-off so that the combined -3 dB point
    // stays at fc (Winter 2009: C = (2^(1/2) - 1)^(1/4) for two passes).
    const double fcc = fc / std::pow(std::sqrt(2.0) - 1.0, 0.25);
    if (!(fc > 0) || fcc >= 0.5 * fs)
        throw UserError(t.file + ": low-pass cut-off " + std::to_string(fc) + " Hz must be > 0 and below the Nyquist frequency " +
                        std::to_string(0.5 * fs) + " Hz (after the two-pass correction)");
    // Bilinear transform of the analogue 2nd-order Butterworth, prewarped.
    const double wc = std::tan(M_PI * fcc / fs), k1 = std::sqrt(2.0) * wc, k2 = wc * wc;
    const double a0 = k2 / (1 + k1 + k2), a1 = 2 * a0, a2 = a0;
    const double b1 = 2 * (1 - k2) / (1 + k1 + k2), b2 = (1 - k1 + k2) / (1 + k1 + k2);
    auto pass = [&](std::vector<double>& x) {
        std::vector<double> y(x.size());
        y[0] = x[0];
        y[1] = x[1];
        for (size_t i = 2; i < x.size(); ++i)
            y[i] = a0 * x[i] + a1 * x[i - 1] + a2 * x[i - 2] + b1 * y[i - 1] - b2 * y[i - 2];
        x.swap(y);
    };
    std::vector<int> cols = columns;
    if (cols.empty())
        for (size_t j = 0; j < t.columns.size(); ++j) cols.push_back(static_cast<int>(j));
    const size_t pad = std::min(n - 1, static_cast<size_t>(std::ceil(fs / fc)) * 3);
    for (int j : cols) {
        const std::vector<double>& c = t.columns[j];
        // Odd reflection about the end values keeps the value and slope continuous.
        std::vector<double> x;
        x.reserve(n + 2 * pad);
        for (size_t i = pad; i >= 1; --i) x.push_back(2 * c[0] - c[i]);
        x.insert(x.end(), c.begin(), c.end());
        for (size_t i = 1; i <= pad; ++i) x.push_back(2 * c[n - 1] - c[n - 1 - i]);
        pass(x);
        std::reverse(x.begin(), x.end());
        pass(x);
        std::reverse(x.begin(), x.end());
        t.columns[j].assign(x.begin() + static_cast<long>(pad), x.begin() + static_cast<long>(pad + n));
    }
}

}  // namespace corestride
