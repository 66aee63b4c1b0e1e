// HDF5 output of simulation results (H5Writer) and the minimal reader that the tests and the
// `summary` command use (H5Reader). A thin RAII layer over the HDF5 C API (1.10).
//
// Layout conventions, chosen so that h5py, MATLAB (h5read / h5readatt) and pandas (through
// h5py: `pd.DataFrame(f[path][()], columns=f[path].attrs["columns"])`) read the files as is:
//  - Object paths are absolute, "/runs/baseline/coordinates"; a relative path is taken from
//    the root. Groups on the way are created on demand.
//  - Every double dataset carries a `units` string attribute (SI; "1" for dimensionless), and
//    optionally `frame` (frame letters, monogram notation) and, for 2-D datasets,
//    `columns` (one name per column, a 1-D array of strings).
//  - Strings, in attributes and datasets, are variable-length UTF-8. The reader also accepts
//    fixed-length strings (as MATLAB's h5writeatt writes them). A string is cut at its first
//    NUL byte.
//  - 2-D datasets are row-major, dims rows x cols (h5py sees shape (rows, cols); MATLAB's
//    h5read shows the transpose, cols x rows, as it does for every C-order file).
//  - The file format is the library default (readable by HDF5 1.8 and later).
//
// Errors: HDF5's automatic error printing is switched off on every thread that calls this
// layer; every failing HDF5 call throws UserError "FILE: OBJECT: WHAT (HDF5: DETAIL)", where
// DETAIL is HDF5's innermost error message. Misuse of the API (a size that does not match the
// dims, empty units, writing after commit) is a bug and asserts.
//
// Threads: Debian's libhdf5 is built thread-safe, so writers and readers in different threads
// are safe, but HDF5 serialises all calls behind one global lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace corestride {

// Writes one HDF5 file atomically: everything goes into a temporary file next to the final
// one, `<final>.tmp.<pid>`, and commit() renames it onto the final path (POSIX rename, atomic
// within one file system). Destroying a writer that was not committed (an exception, a failed
// run) removes the temporary file and leaves the final path as it was, so an existing file is
// never lost to a failed overwrite. A process killed outright (kill -9, power loss) can leave a
// `<final>.tmp.<pid>` file behind, but never a half-written final file.
class H5Writer {
public:
    // Starts writing `final_path`. If the file exists and `overwrite` is false, throws
    // UserError "<final_path> exists; pass --overwrite to replace it" before touching anything.
    // Throws UserError if the temporary file cannot be created (missing directory, no write
    // permission).
    // The checks of checkOutputFile() come first.
    static H5Writer create(const std::string& final_path, bool overwrite);

    // Whether `final_path` may receive an output, checked before any work: not empty, not a
    // directory, not a device, FIFO or socket; if something is there, `overwrite` is needed
    // and it must be an HDF5 file that CoreStride wrote (root attribute `format` beginning
    // with "corestride"), so that --overwrite cannot destroy a scenario, a device node or
    // someone else's data. Throws UserError naming the path.
    static void checkOutputFile(const std::string& final_path, bool overwrite);

    H5Writer(H5Writer&& other) noexcept;
    H5Writer(const H5Writer&) = delete;
    H5Writer& operator=(const H5Writer&) = delete;
    H5Writer& operator=(H5Writer&&) = delete;
    // Closes and removes the temporary file unless commit() succeeded; never throws.
    ~H5Writer();

    // Creates the group at `path` and any missing groups above it; a no-op if it exists.
    // Throws UserError if a component of the path exists but is not a group.
    void createGroup(const std::string& path);

    // Attributes on the object at `path` ("/" is the root; a group or a dataset). If nothing
    // exists at `path`, it is created as a group. An attribute of the same name is replaced.
    // Scalar strings are stored as variable-length UTF-8, doubles as IEEE 64-bit, integers as
    // signed 64-bit; a string list as a 1-D array of variable-length UTF-8 strings.
    void setStringAttribute(const std::string& path, const std::string& name,
                            const std::string& value);
    void setDoubleAttribute(const std::string& path, const std::string& name, double value);
    void setIntAttribute(const std::string& path, const std::string& name, std::int64_t value);
    void setStringListAttribute(const std::string& path, const std::string& name,
                                const std::vector<std::string>& values);

    // A 1-D double dataset of values.size() elements, with attribute `units` (required,
    // non-empty; "1" for dimensionless) and `frame` if non-empty. Chunked and compressed like
    // writeMatrix. Throws UserError if `path` already exists.
    void writeDoubles(const std::string& path, const std::vector<double>& values,
                      const std::string& units, const std::string& frame = "");

    // A 2-D double dataset, dims rows x cols, from `row_major` (size rows * cols, element
    // (r, c) at r * cols + c). Attribute `units` (required, non-empty); `columns` if
    // `columns` is non-empty (then it must hold cols names); `frame` if non-empty.
    // Stored in chunks of min(rows, 1024) rows (fewer if a chunk would pass 1 MiB) by all
    // columns, with the shuffle filter and deflate level 4. Throws UserError if `path`
    // already exists.
    void writeMatrix(const std::string& path, std::size_t rows, std::size_t cols,
                     const std::vector<double>& row_major, const std::string& units,
                     const std::vector<std::string>& columns = {}, const std::string& frame = "");

    // A 1-D dataset of variable-length UTF-8 strings (muscle names, coordinate names).
    void writeStrings(const std::string& path, const std::vector<std::string>& values);

    // A 1-D dataset of signed 64-bit integers (indices, counts, status codes); no units.
    void writeInts(const std::string& path, const std::vector<std::int64_t>& values);

    // Copies the object at `path` (a group with everything in it, or a dataset) from the HDF5
    // file `source_file` to the same path here; its parent groups must exist. Throws UserError
    // naming both files if the source cannot be opened or the copy fails.
    void copyFrom(const std::string& source_file, const std::string& path);

    // Flushes and closes the temporary file, syncs it to disk, and renames it onto the final
    // path. Throws UserError if any step fails (the temporary file is then removed by the
    // destructor), or if the final file appeared meanwhile and overwrite was not requested.
    // No call other than destruction is allowed afterwards.
    void commit();

    const std::string& finalPath() const { return final_path_; }
    // The file being written until commit(): `<final>.tmp.<pid>`.
    const std::string& tempPath() const { return temp_path_; }

private:
    H5Writer(std::string final_path, std::string temp_path, bool overwrite, std::int64_t file);

    std::string final_path_;
    std::string temp_path_;   // empty once moved from
    bool overwrite_ = false;
    std::int64_t file_ = -1;  // hid_t of the open temporary file; -1 once closed
    bool committed_ = false;
};

// A 2-D double dataset read back: dims rows x cols, data row-major.
struct H5Matrix {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<double> data;

    double at(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
};

// Read-only access to an HDF5 file. Every method throws UserError naming the file and the
// object if the object or attribute is missing or has the wrong type, rank or size.
// Numeric reads convert from any integer or floating-point type in the file.
class H5Reader {
public:
    // Opens `path` read-only. Throws UserError naming the file if it is missing or is not an
    // HDF5 file.
    explicit H5Reader(const std::string& path);

    H5Reader(H5Reader&& other) noexcept;
    H5Reader(const H5Reader&) = delete;
    H5Reader& operator=(const H5Reader&) = delete;
    H5Reader& operator=(H5Reader&&) = delete;
    ~H5Reader();

    const std::string& path() const { return path_; }

    // True if an object exists at `object_path` ("/" always does); false if any component is
    // missing or is not a group.
    bool exists(const std::string& object_path) const;
    // True if the object at `object_path` exists and has attribute `name`.
    bool hasAttribute(const std::string& object_path, const std::string& name) const;
    // Names of the links in the group at `group_path`, in ascending name order.
    std::vector<std::string> children(const std::string& group_path) const;

    // A scalar (one-element) attribute.
    std::string readStringAttribute(const std::string& object_path, const std::string& name) const;
    double readDoubleAttribute(const std::string& object_path, const std::string& name) const;
    std::int64_t readIntAttribute(const std::string& object_path, const std::string& name) const;
    // Every element of a string attribute (e.g. `columns`), in order.
    std::vector<std::string> readStringListAttribute(const std::string& object_path,
                                                     const std::string& name) const;

    // A 2-D numeric dataset as doubles.
    H5Matrix readMatrix(const std::string& dataset_path) const;
    // A 1-D numeric dataset as doubles.
    std::vector<double> readDoubles(const std::string& dataset_path) const;
    // A 1-D integer dataset.
    std::vector<std::int64_t> readInts(const std::string& dataset_path) const;
    // A 1-D string dataset (fixed- or variable-length).
    std::vector<std::string> readStrings(const std::string& dataset_path) const;

private:
    std::string path_;
    std::int64_t file_ = -1;  // hid_t of the open file; -1 once moved from
};

}  // namespace corestride
