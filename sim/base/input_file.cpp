#include "input_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <sys/stat.h>

#include "error.h"

namespace corestride {

void checkInputFile(const std::string& path, const std::string& what, std::size_t max_bytes) {
    struct stat st;
    if (path.empty()) throw UserError("empty path given as the " + what);
    if (::stat(path.c_str(), &st) != 0)
        throw UserError(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
    if (S_ISDIR(st.st_mode)) throw UserError(path + ": is a directory, not a " + what);
    if (!S_ISREG(st.st_mode))
        throw UserError(path + ": not a regular file (a FIFO, device or socket), cannot be read as a " + what);
    if (static_cast<std::size_t>(st.st_size) > max_bytes)
        throw UserError(path + ": " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_bytes) +
                        " a " + what + " may have");
}

std::string readInputFile(const std::string& path, const std::string& what, std::size_t max_bytes) {
    checkInputFile(path, what, max_bytes);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path + ": cannot open " + what);
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_bytes)   // grew while being read
            throw UserError(path + ": more than the " + std::to_string(max_bytes) + " bytes a " + what + " may have");
    }
    if (in.bad()) throw UserError(path + ": read error in " + what);
    // A UTF-8 byte-order mark (editors on Windows write one) is not part of the text.
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    return text;
}

}  // namespace corestride
