#include "output_dir.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <filesystem>
#include <system_error>

#include <unistd.h>

#include "error.h"

namespace fs = std::filesystem;

namespace corestride {

namespace {
std::string stripSlash(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}
}  // namespace

OutputDir::OutputDir(std::string final_path, bool overwrite, const std::vector<std::string>& inputs)
    : final_(stripSlash(std::move(final_path))), overwrite_(overwrite) {
    if (final_.empty()) throw UserError("option '-o': empty output directory");
    std::error_code ec;
    if (fs::exists(final_, ec)) {
        if (!overwrite_) throw UserError(final_ + " exists; pass --overwrite to replace it");
        if (!fs::is_directory(final_, ec)) throw UserError(final_ + " exists and is not a directory");
        if (!fs::exists(fs::path(final_) / kMarker, ec))
            throw UserError(final_ + " exists and was not written by corestride (no " + kMarker +
                            " in it); --overwrite replaces only corestride's own output directories");
        const fs::path dir = fs::weakly_canonical(final_, ec);
        for (const auto& input : inputs) {
            const fs::path in = fs::weakly_canonical(input, ec);
            const auto mismatch = std::mismatch(dir.begin(), dir.end(), in.begin(), in.end());
            if (mismatch.first == dir.end())
                throw UserError("option '-o': " + final_ + " holds the input " + input + "; pick another output");
        }
    }
    temp_ = final_ + ".tmp." + std::to_string(::getpid());
    fs::remove_all(temp_, ec);
    if (!fs::create_directory(temp_, ec) || ec)
        throw UserError(temp_ + ": cannot create directory (" + (ec ? ec.message() : "it exists") + ")");
    std::ofstream marker(fs::path(temp_) / kMarker);
    marker << "written by corestride; `--overwrite` may replace this directory\n";
    if (!marker) throw UserError(temp_ + ": cannot write " + kMarker);
}

OutputDir::~OutputDir() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(temp_, ec);
}

void OutputDir::commit() {
    std::error_code ec;
    std::string aside;
    if (fs::exists(final_, ec)) {
        if (!overwrite_) throw UserError(final_ + " appeared meanwhile; pass --overwrite to replace it");
        aside = final_ + ".old." + std::to_string(::getpid());
        fs::remove_all(aside, ec);
        fs::rename(final_, aside, ec);
        if (ec) throw UserError(final_ + ": cannot move the old output aside (" + ec.message() + ")");
    }
    fs::rename(temp_, final_, ec);
    if (ec) {
        if (!aside.empty()) fs::rename(aside, final_, ec);
        throw UserError(final_ + ": cannot move the new output into place");
    }
    committed_ = true;
    if (!aside.empty()) fs::remove_all(aside, ec);
}

}  // namespace corestride
