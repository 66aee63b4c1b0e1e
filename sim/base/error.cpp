#include "error.h"

namespace corestride {

UserError fileError(const std::string& file, int line, const std::string& key,
                    const std::string& message) {
    std::string where = file + ":" + std::to_string(line) + ": ";
    if (!key.empty()) where += "field '" + key + "': ";
    return UserError(where + message);
}

}  // namespace corestride
