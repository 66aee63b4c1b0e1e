// A directory output written atomically, like H5Writer for files: everything goes into
// `<final>.tmp.<pid>/`, and commit() puts it in place of `<final>` in one rename (an existing
// `<final>`, allowed only with overwrite, is first renamed aside and removed afterwards).
// Destroying an uncommitted OutputDir removes the temporary directory.
//
// Only directories that corestride wrote are ever replaced: each one holds a marker file,
// `.corestride-output`. An existing directory without it (the user's own folder) is refused
// even with overwrite, and so is a directory that holds one of the command's input files.
#pragma once

#include <string>
#include <vector>

namespace corestride {

class OutputDir {
public:
    // Throws UserError "<final> exists; pass --overwrite to replace it" before creating
    // anything; also when <final> is not a corestride output directory or contains one of
    // `inputs`, or if the temporary directory cannot be created.
    OutputDir(std::string final_path, bool overwrite, const std::vector<std::string>& inputs = {});
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;
    ~OutputDir();

    // The directory to write into until commit().
    const std::string& path() const { return temp_; }
    const std::string& finalPath() const { return final_; }
    void commit();

    static constexpr const char* kMarker = ".corestride-output";

private:
    std::string final_, temp_;
    bool overwrite_ = false, committed_ = false;
};

}  // namespace corestride
