#include "paths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace corestride {
namespace {

namespace fs = std::filesystem;

bool hasData(const fs::path& root) {
    std::error_code ec;
    return fs::is_regular_file(root / "models" / "trunk_hip.model", ec);
}

std::string findDataRoot() {
    if (const char* env = std::getenv("CORESTRIDE_DATA"); env && *env) return env;
    // Installed: <prefix>/bin/corestride next to <prefix>/share/corestride.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "corestride";
        if (hasData(installed)) return installed.string();
    }
    return CORESTRIDE_SOURCE_DIR;   // the build tree's own sources
}

}  // namespace

std::string dataRoot() {
    static const std::string root = findDataRoot();
    return root;
}

std::string modelsDir() { return dataRoot() + "/models"; }
std::string scenariosDir() { return dataRoot() + "/scenarios"; }
std::string analysisDir() { return dataRoot() + "/analysis"; }

std::string builtinStrideFile() { return modelsDir() + "/running_stride.fourier"; }

std::string defaultModelPath() {
    if (const char* env = std::getenv("CORESTRIDE_MODEL")) return env;
    return modelsDir() + "/trunk_hip.model";
}

}  // namespace corestride
