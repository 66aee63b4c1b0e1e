// The `corestride` program: a thin layer that parses the command line and calls the library.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "error.h"

namespace {

// A message as the terminal should show it: control characters and bytes that are not valid
// UTF-8 (binary garbage quoted from a bad file) as \xNN, valid UTF-8 and newlines as they are.
std::string printable(const std::string& text) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool valid = n > 0 && i + n <= text.size();
        for (size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
        if (valid && n == 1 && (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F))) {
            out += static_cast<char>(c);
        } else if (valid && n > 1) {
            out.append(text, i, n);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
            n = 1;
        }
        i += n;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return corestride::runCli(args, std::cout, std::cerr);
    } catch (const corestride::UserError& e) {
        std::cerr << "corestride: error: " << printable(e.what()) << "\n";
        return corestride::kExitUserError;
    } catch (const std::exception& e) {
        std::cerr << "corestride: internal error: " << printable(e.what()) << "\n";
        return 1;
    }
}
