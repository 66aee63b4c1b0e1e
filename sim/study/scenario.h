// Scenarios: every run parameter as a named key `section.key`, read from an INI file
// (`[running]` then `speed = 3.5`, `#` comments) and from the command line
// (`--running.speed=3.5`, which wins). Each key has a unit, a default and a valid range;
// `corestride run --help` prints the table. Values are SI (angles in the file only where a
// key ends in _deg).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace corestride {

struct Settings;

enum class KeyKind { Number, Integer, Choice, Text };

struct KeySpec {
    std::string name;         // "running.speed"
    KeyKind kind;
    std::string unit;         // "m/s", "-" when dimensionless
    std::string default_value;
    double lo = 0, hi = 0;    // inclusive range for numbers
    std::vector<std::string> choices;
    std::string help;
};

// The table of every key a scenario may set.
const std::vector<KeySpec>& scenarioKeys();

// The spec of a key, or null if a scenario has no such key. Besides the table, the open
// families weakness.group.<name> and weakness.muscle.<name> (fractions 0-1; the model checks
// the name when the run builds it).
const KeySpec* findScenarioKey(const std::string& name);

// A fully resolved scenario: every key has a value (default or given). Besides the table,
// three open families are accepted: weakness.group.<group> and weakness.muscle.<muscle>
// (fractions 0-1) and control.reserve_optimal.<coordinate> (N m), whose names the model validates.
class Scenario {
public:
    // Reads `file` (may be empty for defaults only), then applies `overrides`
    // ("section.key" -> value). Throws UserError naming the file and line or the key and the
    // offending value for unknown keys, non-numbers and out-of-range values.
    static Scenario resolve(const std::string& file, const std::map<std::string, std::string>& overrides);

    // A scenario from INI text, e.g. the `scenario` attribute of a results file; `where` names
    // the text in errors (it must not be empty).
    static Scenario fromIni(const std::string& text, const std::string& where);

    // The values as typed fields (settings.h): what everything below the scenario layer reads.
    // The reference lives as long as this Scenario (keep the Scenario, or copy the Settings).
    const Settings& settings() const { return *settings_; }

    // Values by key, for the scenario layer itself (settings, descriptions, sweeps).
    double number(const std::string& key) const;
    int integer(const std::string& key) const;
    const std::string& text(const std::string& key) const;
    // Every key (given or default) starting with prefix, e.g. "weakness.group.".
    std::map<std::string, std::string> withPrefix(const std::string& prefix) const;
    // The resolved scenario as INI text, every key included (written into outputs).
    std::string toIni() const;
    // Where a value came from: "default", the file, or "command line".
    const std::string& origin(const std::string& key) const;

private:
    static Scenario parse(const std::string& text, const std::string& file,
                          const std::map<std::string, std::string>& overrides);
    // Checks across keys, after every value was checked on its own: run.name is a plain word
    // (it names an HDF5 group and export files); motion files only with motion.source = files.
    void checkConsistency() const;
    std::map<std::string, std::string> values_, origins_;
    std::shared_ptr<const Settings> settings_;
};

// Validates one value against its spec; throws UserError naming `where` and the key.
void checkValue(const KeySpec& spec, const std::string& value, const std::string& where, const std::string& key = "");

}  // namespace corestride
