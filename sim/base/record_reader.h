// The line readers of CoreStride's text inputs, all with `#` comments:
// - records of the data files, `keyword [name] key=value key=value ...` (model, stride);
// - INI entries, `[section]` then `key = value` (scenarios, sweep specs).
// Every reader and accessor that fails throws a UserError naming file, line and key.
#pragma once

#include <array>
#include <functional>
#include <istream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace corestride {

using Vec3d = std::array<double, 3>;

// Where a record came from, for error messages.
struct SourceLocation {
    std::string file;
    int line = 0;
};

// Parses a decimal number: [+-]digits[.digits][(e|E)[+-]digits] (or .digits), nothing else (no
// hex floats, inf, nan or spaces). Returns false and says why in *why ("is not a number", or
// "is out of range" for magnitudes a double cannot hold, e.g. 1e400 or 1e-320).
bool parseDecimal(const std::string& text, double& value, std::string* why);

struct Record {
    std::string keyword;
    std::string name;
    std::map<std::string, std::string> fields;
    std::set<std::string> used;
    SourceLocation where;

    [[noreturn]] void fail(const std::string& key, const std::string& msg) const;
    bool has(const std::string& key) const { return fields.count(key) != 0; }
    const std::string& raw(const std::string& key);                 // required field
    std::vector<std::string> list(const std::string& key);          // comma separated
    double number(const std::string& key, const std::string& text) const;
    double scalar(const std::string& key);
    std::vector<double> numbers(const std::string& key, size_t n1, size_t n2 = 0);  // n1 or n2 items; n1 = 0: any
    Vec3d vec3(const std::string& key);
    Vec3d vec3OrZero(const std::string& key);
    Vec3d angles3OrZero(const std::string& key_deg);                 // degrees in, radians out
    double positive(const std::string& key);
    // A scalar in [lo, hi] (unit for the message), e.g. a plausibility bound on an input.
    double bounded(const std::string& key, double lo, double hi, const std::string& unit);
    double nonNegative(const std::string& key);
    void rejectUnknown() const;                                      // every field must be used
    // A parameter record (`param NAME value=... status=... source=...`): the index of its name
    // in `names`, each name at most once (line_of[k] is the line that gave names[k], 0 before);
    // fails naming the known names or the earlier line.
    size_t parameterSlot(const std::vector<std::string>& names, std::vector<int>& line_of);
    // Its source (required) and status: checked, unverified, estimate, derived or calibrated.
    void requireProvenance();
};

bool isName(const std::string& s);

// Splits one line into a Record; returns false for blank and comment-only lines. A second
// token without '=' is the record's name.
bool tokenize(const std::string& line, const SourceLocation& where, Record& rec);

// Reads every record of `in` (`file` names it in messages), calls fn on each and then
// rejects fields fn did not use. Returns the number of lines read.
int forEachRecord(std::istream& in, const std::string& file, const std::function<void(Record&)>& fn);

// `s` without leading and trailing spaces, tabs and carriage returns.
std::string trim(const std::string& s);

// One `key = value` line of an INI text; key and value trimmed, section "" before any header.
struct IniEntry {
    int line = 0;
    std::string section, key, value;
};

// What an INI text may contain beyond `[section]` and `key = value` lines.
struct IniRules {
    std::vector<std::string> sections;   // the allowed section names; empty: any
    bool keys_need_section = false;      // a key before the first [section] is an error
};

// Calls fn on every entry of an INI text in file order (so that the first error in the file
// is the one reported) and returns the number of lines. `#` starts a comment; blank lines are
// skipped. Throws UserError "FILE:LINE: ..." for a malformed section header, a line without
// '=', or what `rules` forbid; fn checks keys, repeats and values.
int forEachIniEntry(const std::string& text, const std::string& file, const IniRules& rules,
                    const std::function<void(const IniEntry&)>& fn);

}  // namespace corestride
