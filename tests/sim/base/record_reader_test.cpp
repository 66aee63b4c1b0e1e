#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "error.h"
#include "record_reader.h"

using namespace corestride;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

std::vector<IniEntry> entries(const std::string& text, const IniRules& rules = {}) {
    std::vector<IniEntry> out;
    forEachIniEntry(text, "f.cfg", rules, [&](const IniEntry& e) { out.push_back(e); });
    return out;
}

}  // namespace

TEST_CASE("trim removes spaces, tabs and carriage returns at both ends only", "[record_reader]") {
    CHECK(trim(" \t a b \r") == "a b");
    CHECK(trim(" \t\r ").empty());
    CHECK(trim("x") == "x");
}

TEST_CASE("INI entries: sections, comments, trimmed keys and values, line numbers", "[record_reader]") {
    const auto e = entries("top = 1\n\n# comment\n[ running ]\r\n  speed = 3.5  # m/s\nname=a=b\nempty =\n");
    REQUIRE(e.size() == 4);
    CHECK(e[0].section.empty());
    CHECK(e[0].key == "top");
    CHECK(e[1].line == 5);
    CHECK(e[1].section == "running");
    CHECK(e[1].key == "speed");
    CHECK(e[1].value == "3.5");
    CHECK(e[2].key == "name");
    CHECK(e[2].value == "a=b");      // split at the first '='
    CHECK(e[3].value.empty());
    int lines = 0;
    forEachIniEntry("a = 1\n\n\n", "f", {}, [&](const IniEntry&) { ++lines; });
    CHECK(lines == 1);
    CHECK(forEachIniEntry("a = 1\n\n\n", "f", {}, [](const IniEntry&) {}) == 3);
}

TEST_CASE("INI errors name the file and line of the first problem", "[record_reader]") {
    CHECK_THROWS_WITH(entries("a = 1\n[bad\n"), Equals("f.cfg:2: malformed section header '[bad'"));
    CHECK_THROWS_WITH(entries("a = 1\nnokey\n"), Equals("f.cfg:2: expected 'key = value', got 'nokey'"));
    IniRules rules;
    rules.sections = {"sweep", "points"};
    rules.keys_need_section = true;
    CHECK_THROWS_WITH(entries("[sweep]\n[other]\n", rules), Equals("f.cfg:2: unknown section [other] (sweep, points)"));
    CHECK_THROWS_WITH(entries("a = 1\n", rules), Equals("f.cfg:1: 'a = 1' before any [section]"));
    // The callback sees entries in order, so its own error on line 1 wins over a malformed line 2.
    CHECK_THROWS_WITH(forEachIniEntry("a = 1\n[bad\n", "f.cfg", {},
                                      [](const IniEntry& e) { throw fileError("f.cfg", e.line, e.key, "rejected"); }),
                      Equals("f.cfg:1: field 'a': rejected"));
}

TEST_CASE("Parameter records: each known name once, with a source and a status", "[record_reader]") {
    const std::vector<std::string> names = {"alpha", "beta"};
    std::vector<int> line_of;
    std::vector<size_t> slots;
    auto read = [&](const std::string& text) {
        std::istringstream in(text);
        forEachRecord(in, "p.params", [&](Record& r) {
            slots.push_back(r.parameterSlot(names, line_of));
            r.scalar("value");
            r.requireProvenance();
        });
    };
    read("param beta value=1 status=checked source=x\n# comment\nparam alpha value=2 status=calibrated source=y\n");
    CHECK(slots == std::vector<size_t>{1, 0});
    CHECK(line_of == std::vector<int>{3, 1});

    line_of.clear();
    CHECK_THROWS_WITH(read("param gamma value=1 status=checked source=x\n"),
                      Equals("p.params:1: field 'name': unknown parameter 'gamma' (alpha, beta)"));
    line_of.clear();
    CHECK_THROWS_WITH(read("param alpha value=1 status=checked source=x\nparam alpha value=2 status=checked source=x\n"),
                      Equals("p.params:2: field 'name': parameter 'alpha' already given on line 1"));
    line_of.clear();
    CHECK_THROWS_WITH(read("param alpha value=1 status=guessed source=x\n"),
                      Equals("p.params:1: field 'status': 'guessed' is not one of: checked, unverified, estimate, "
                             "derived, calibrated"));
    line_of.clear();
    CHECK_THROWS_WITH(read("param alpha value=1 status=checked\n"), Contains("field 'source'"));
}
