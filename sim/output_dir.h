// A directory output written atomically, like H5Writer for files: everything goes into
// `<final>.tmp.<pid>/`, and commit() puts it in place of `<final>` in one rename (an existing
// `<final>`, allowed only with overwrite, is first renamed aside and removed afterwards).
// Destroying an uncommitted OutputDir removes the temporary directory.
#pragma once

#include <string>

namespace corestride {

class OutputDir {
public:
    // Throws UserError "<final> exists; pass --overwrite to replace it" before creating
    // anything, or if the temporary directory cannot be created.
    OutputDir(std::string final_path, bool overwrite);
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;
    ~OutputDir();

    // The directory to write into until commit().
    const std::string& path() const { return temp_; }
    const std::string& finalPath() const { return final_; }
    void commit();

private:
    std::string final_, temp_;
    bool overwrite_ = false, committed_ = false;
};

}  // namespace corestride
