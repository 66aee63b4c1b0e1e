#include "text_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace corestride {

std::size_t displayWidth(const std::string& text) {
    std::size_t n = 0;
    for (const unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;   // count every byte that does not continue a code point
    return n;
}

std::string fixedText(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    // "-0" and "-0.0" after rounding read as a sign error: print them without the sign.
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::add(std::vector<std::string> cells) {
    if (cells.size() != columns_.size())
        throw std::invalid_argument("TextTable: " + std::to_string(cells.size()) + " cells for " +
                                    std::to_string(columns_.size()) + " columns");
    lines_.push_back({std::move(cells), {}});
}

void TextTable::note(std::string text) { lines_.push_back({{}, std::move(text)}); }

void TextTable::print(std::ostream& out, const std::string& indent) const {
    std::vector<std::size_t> width(columns_.size(), 0);
    bool units = false;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        width[c] = std::max(displayWidth(columns_[c].header), displayWidth(columns_[c].unit));
        units = units || !columns_[c].unit.empty();
    }
    for (const Line& l : lines_)
        for (std::size_t c = 0; c < l.cells.size(); ++c) width[c] = std::max(width[c], displayWidth(l.cells[c]));

    auto row = [&](const std::vector<std::string>& cells) {
        std::string line = indent;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(width[c] - displayWidth(cells[c]), ' ');
            const bool last = c + 1 == cells.size();
            if (columns_[c].align == Align::Right) line += pad + cells[c];
            else line += cells[c] + (last ? "" : pad);
            if (!last) line += "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << "\n";
    };
    std::vector<std::string> header, unit;
    for (const Column& c : columns_) {
        header.push_back(c.header);
        unit.push_back(c.unit);
    }
    row(header);
    if (units) row(unit);
    for (const Line& l : lines_) {
        if (l.cells.empty()) out << indent << l.note << "\n";
        else row(l.cells);
    }
}

}  // namespace corestride
