#include "error.h"

namespace corestride {

UserError fileError(const std::string& file, int line, const std::string& key,
                    const std::string& message) {
    // Line 0: the whole file (a record that is missing), not a line of it.
    std::string where = line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
    if (!key.empty()) where += "field '" + key + "': ";
    return UserError(where + message);
}

}  // namespace corestride
