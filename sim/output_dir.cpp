#include "output_dir.h"

#include <cstdio>
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

OutputDir::OutputDir(std::string final_path, bool overwrite)
    : final_(stripSlash(std::move(final_path))), overwrite_(overwrite) {
    if (final_.empty()) throw UserError("option '-o': empty output directory");
    std::error_code ec;
    if (fs::exists(final_, ec) && !overwrite_) throw UserError(final_ + " exists; pass --overwrite to replace it");
    if (fs::exists(final_, ec) && !fs::is_directory(final_, ec))
        throw UserError(final_ + " exists and is not a directory");
    temp_ = final_ + ".tmp." + std::to_string(::getpid());
    fs::remove_all(temp_, ec);
    if (!fs::create_directory(temp_, ec) || ec)
        throw UserError(temp_ + ": cannot create directory (" + ec.message() + ")");
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
