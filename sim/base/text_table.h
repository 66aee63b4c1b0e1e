// Plain-text tables for the terminal: every table the program prints (run, exercises, summary,
// run --help) goes through this one formatter, so columns line up whatever the values. Each
// column is as wide as its widest cell (header, unit line and rows, counted in characters, not
// bytes), two spaces apart; text is left-aligned and numbers right-aligned.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace corestride {

class TextTable {
public:
    enum class Align { Left, Right };
    struct Column {
        std::string header;
        std::string unit;                 // printed on a second header line when any column has one
        Align align = Align::Right;
    };

    explicit TextTable(std::vector<Column> columns);

    // One row; as many cells as columns (throws std::invalid_argument otherwise: a bug).
    void add(std::vector<std::string> cells);
    // A line of text between rows that does not take part in the column widths (a remark).
    void note(std::string text);

    void print(std::ostream& out, const std::string& indent = "") const;

private:
    std::vector<Column> columns_;
    struct Line {
        std::vector<std::string> cells;
        std::string note;                 // used when cells is empty
    };
    std::vector<Line> lines_;
};

// `v` with `decimals` digits after the point ("1800.8", "6.00"); "-" when v is NaN or infinite.
std::string fixedText(double v, int decimals);

// Number of characters of UTF-8 text (code points), for alignment.
std::size_t displayWidth(const std::string& text);

}  // namespace corestride
