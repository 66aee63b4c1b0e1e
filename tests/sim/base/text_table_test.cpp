#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "text_table.h"

using namespace corestride;

TEST_CASE("text table: columns as wide as their widest cell, numbers right, text left", "[text_table]") {
    TextTable t({{"run", "", TextTable::Align::Left}, {"L5/S1", "N"}, {"BW", ""}});
    t.add({"healthy", "3317", "4.51"});
    t.add({"a much longer run name", "1800", "2.45"});
    t.note("(a remark)");
    std::ostringstream os;
    t.print(os, "  ");
    CHECK(os.str() ==
          "  run                     L5/S1    BW\n"
          "                              N\n"
          "  healthy                  3317  4.51\n"
          "  a much longer run name   1800  2.45\n"
          "  (a remark)\n");
    CHECK_THROWS_AS(t.add({"too", "few"}), std::invalid_argument);
}

TEST_CASE("text table: width counts characters, not UTF-8 bytes", "[text_table]") {
    CHECK(displayWidth("R²") == 2);
    CHECK(displayWidth("Δ%") == 2);
    TextTable t({{"x", "", TextTable::Align::Left}, {"v", ""}});
    t.add({"R²", "1"});
    t.add({"ab", "2"});
    std::ostringstream os;
    t.print(os);
    CHECK(os.str() == "x   v\nR²  1\nab  2\n");
}

TEST_CASE("fixedText: fixed decimals, no negative zero, a dash for what is not a number", "[text_table]") {
    CHECK(fixedText(6, 2) == "6.00");
    CHECK(fixedText(1800.8, 0) == "1801");
    CHECK(fixedText(-0.004, 2) == "0.00");
    CHECK(fixedText(-1.5, 1) == "-1.5");
    CHECK(fixedText(std::nan(""), 1) == "-");
}
