#include "record_reader.h"

#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "error.h"

namespace corestride {

namespace {
constexpr double kDeg = M_PI / 180.0;
}

void Record::fail(const std::string& key, const std::string& msg) const {
    throw fileError(where.file, where.line, key, msg);
}

const std::string& Record::raw(const std::string& key) {
    auto it = fields.find(key);
    if (it == fields.end()) fail(key, "missing required field in '" + keyword + "' record");
    used.insert(key);
    return it->second;
}

std::vector<std::string> Record::list(const std::string& key) {
    std::vector<std::string> out;
    std::stringstream ss(raw(key));
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) fail(key, "empty item in list '" + raw(key) + "'");
        out.push_back(item);
    }
    return out;
}

bool parseDecimal(const std::string& text, double& value, std::string* why) {
    auto digits = [&](size_t& i) {
        const size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        return i > start;
    };
    size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    bool mantissa = digits(i);
    if (i < text.size() && text[i] == '.') {
        ++i;
        mantissa = digits(i) || mantissa;
    }
    bool ok = mantissa;
    if (ok && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        ok = digits(i);
    }
    if (!ok || i != text.size()) {
        if (why) *why = "is not a number";
        return false;
    }
    errno = 0;
    value = std::strtod(text.c_str(), nullptr);
    // strtod flags both overflow (inf) and underflow (0 or a denormal) with ERANGE.
    if (errno == ERANGE || !std::isfinite(value) || (value != 0 && std::abs(value) < DBL_MIN)) {
        if (why) *why = "is out of range (a double holds magnitudes from about 2.2e-308 to 1.8e308, or 0)";
        return false;
    }
    return true;
}

double Record::number(const std::string& key, const std::string& text) const {
    double v = 0;
    std::string why;
    if (!parseDecimal(text, v, &why)) fail(key, "'" + text + "' " + why);
    return v;
}

double Record::scalar(const std::string& key) { return number(key, raw(key)); }

std::vector<double> Record::numbers(const std::string& key, size_t n1, size_t n2) {
    std::vector<double> out;
    for (const auto& s : list(key)) out.push_back(number(key, s));
    if (n1 != 0 && out.size() != n1 && out.size() != n2) {
        std::string want = std::to_string(n1) + (n2 ? " or " + std::to_string(n2) : "");
        fail(key, "expected " + want + " comma-separated numbers, got " + std::to_string(out.size()) + " in '" +
                      raw(key) + "'");
    }
    return out;
}

Vec3d Record::vec3(const std::string& key) {
    auto v = numbers(key, 3);
    return {v[0], v[1], v[2]};
}

Vec3d Record::vec3OrZero(const std::string& key) { return has(key) ? vec3(key) : Vec3d{}; }

Vec3d Record::angles3OrZero(const std::string& key_deg) {
    if (!has(key_deg)) return Vec3d{};
    Vec3d v = vec3(key_deg);
    for (double& x : v) x *= kDeg;
    return v;
}

double Record::positive(const std::string& key) {
    double v = scalar(key);
    if (!(v > 0)) fail(key, "must be positive, got " + raw(key));
    return v;
}

double Record::bounded(const std::string& key, double lo, double hi, const std::string& unit) {
    const double v = scalar(key);
    if (!(v >= lo && v <= hi)) {
        std::ostringstream os;
        os << raw(key) << " is outside the plausible range [" << lo << ", " << hi << "] " << unit;
        fail(key, os.str());
    }
    return v;
}

double Record::nonNegative(const std::string& key) {
    double v = scalar(key);
    if (v < 0) fail(key, "must not be negative, got " + raw(key));
    return v;
}

void Record::rejectUnknown() const {
    for (const auto& kv : fields)
        if (!used.count(kv.first)) fail(kv.first, "unknown field in '" + keyword + "' record");
}

size_t Record::parameterSlot(const std::vector<std::string>& names, std::vector<int>& line_of) {
    size_t k = 0;
    while (k < names.size() && name != names[k]) ++k;
    if (k == names.size()) {
        std::string known;
        for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
        fail("name", "unknown parameter '" + name + "' (" + known + ")");
    }
    if (line_of.size() < names.size()) line_of.resize(names.size(), 0);
    if (line_of[k]) fail("name", "parameter '" + name + "' already given on line " + std::to_string(line_of[k]));
    line_of[k] = where.line;
    return k;
}

void Record::requireProvenance() {
    raw("source");
    const std::string& status = raw("status");
    if (status != "checked" && status != "unverified" && status != "estimate" && status != "derived" &&
        status != "calibrated")
        fail("status", "'" + status + "' is not one of: checked, unverified, estimate, derived, calibrated");
}

bool isName(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

bool tokenize(const std::string& line_in, const SourceLocation& where, Record& rec) {
    std::string line = line_in.substr(0, line_in.find('#'));
    std::stringstream ss(line);
    std::string tok;
    std::vector<std::string> toks;
    while (ss >> tok) toks.push_back(tok);
    if (toks.empty()) return false;
    rec = Record{};
    rec.where = where;
    rec.keyword = toks[0];
    size_t i = 1;
    if (i < toks.size() && toks[i].find('=') == std::string::npos) {
        rec.name = toks[i++];
        if (!isName(rec.name)) rec.fail("name", "'" + rec.name + "' is not a valid name ([A-Za-z0-9_]+)");
    }
    for (; i < toks.size(); ++i) {
        auto eq = toks[i].find('=');
        if (eq == std::string::npos || eq == 0) rec.fail("", "expected key=value, got '" + toks[i] + "'");
        std::string key = toks[i].substr(0, eq), value = toks[i].substr(eq + 1);
        if (value.empty()) rec.fail(key, "empty value");
        if (!rec.fields.emplace(key, value).second) rec.fail(key, "duplicate field");
    }
    return true;
}

int forEachRecord(std::istream& in, const std::string& file, const std::function<void(Record&)>& fn) {
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        Record r;
        if (!tokenize(line, {file, lineno}, r)) continue;
        fn(r);
        r.rejectUnknown();
    }
    return lineno;
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

int forEachIniEntry(const std::string& text, const std::string& file, const IniRules& rules,
                    const std::function<void(const IniEntry&)>& fn) {
    std::istringstream in(text);
    std::string raw, section;
    int lineno = 0;
    while (std::getline(in, raw)) {
        ++lineno;
        const std::string t = trim(raw.substr(0, raw.find('#')));
        if (t.empty()) continue;
        if (t.front() == '[') {
            if (t.back() != ']') throw fileError(file, lineno, "", "malformed section header '" + t + "'");
            section = trim(t.substr(1, t.size() - 2));
            if (!rules.sections.empty() &&
                std::find(rules.sections.begin(), rules.sections.end(), section) == rules.sections.end()) {
                std::string list;
                for (const auto& name : rules.sections) list += (list.empty() ? "" : ", ") + name;
                throw fileError(file, lineno, "", "unknown section [" + section + "] (" + list + ")");
            }
            continue;
        }
        const auto eq = t.find('=');
        if (eq == std::string::npos) throw fileError(file, lineno, "", "expected 'key = value', got '" + t + "'");
        if (section.empty() && rules.keys_need_section)
            throw fileError(file, lineno, "", "'" + t + "' before any [section]");
        fn(IniEntry{lineno, section, trim(t.substr(0, eq)), trim(t.substr(eq + 1))});
    }
    return lineno;
}

}  // namespace corestride
