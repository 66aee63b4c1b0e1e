#include "h5_file.h"

#include <fcntl.h>
#include <hdf5.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <type_traits>
#include <utility>

#include "error.h"
#include "input_file.h"

namespace corestride {

static_assert(std::is_same<hid_t, std::int64_t>::value, "h5_file.h stores hid_t as std::int64_t");

namespace {

// Owns one HDF5 identifier and closes it with the matching H5?close. Built only from a valid
// identifier (the check* helpers below throw before a Handle is made from a failed call).
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { close_(id_); }
    hid_t get() const { return id_; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

// Frees the strings HDF5 allocated for a variable-length string read.
struct VlenStrings {
    std::vector<char*> ptrs;
    explicit VlenStrings(std::size_t n) : ptrs(n, nullptr) {}
    VlenStrings(const VlenStrings&) = delete;
    VlenStrings& operator=(const VlenStrings&) = delete;
    ~VlenStrings() {
        for (char* p : ptrs)
            if (p) H5free_memory(p);
    }
};

// The error stack and its auto-printing are per thread in a thread-safe HDF5, so every public
// entry point switches printing off for the calling thread.
void silenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// No exit-time cleanup by the HDF5 library. A file whose flush failed (a full disk) cannot be
// closed: HDF5 keeps it open with dirty metadata, and its atexit handler then crashed while
// flushing it again (exit 139 after the right error message). The writer has already removed
// the temporary file, and the operating system closes the descriptor. Must run before any
// other HDF5 call, hence at static initialisation.
const bool kNoHdf5Atexit = (H5dont_atexit(), true);

// Where an HDF5 call failed, for messages: the file and the object inside it.
struct Where {
    const std::string& file;
    std::string object;
};

herr_t keepInnermost(unsigned n, const H5E_error2_t* err, void* out) {
    if (n == 0 && err->desc) *static_cast<std::string*>(out) = err->desc;
    return 0;
}

// HDF5's innermost (most specific) message on this thread's error stack, then clears it.
// For a failed system call HDF5 lists time, flags and buffers; only the errno text is kept.
std::string hdf5Detail() {
    std::string detail;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keepInnermost, &detail);
    H5Eclear2(H5E_DEFAULT);
    const std::string errno_key = "error message = '";
    const std::size_t at = detail.find(errno_key);
    if (at != std::string::npos) {
        const std::size_t begin = at + errno_key.size();
        return detail.substr(begin, detail.find('\'', begin) - begin);
    }
    return detail.substr(0, detail.find('\n'));
}

std::string prefix(const Where& w) { return w.file + ": " + (w.object.empty() ? "" : w.object + ": "); }

// A logical problem with the file's content (wrong type, rank, size).
[[noreturn]] void failContent(const Where& w, const std::string& what) { throw UserError(prefix(w) + what); }

// A failed HDF5 call: the message carries HDF5's own detail.
[[noreturn]] void failHdf5(const Where& w, const std::string& what) {
    const std::string detail = hdf5Detail();
    throw UserError(prefix(w) + what + (detail.empty() ? "" : " (HDF5: " + detail + ")"));
}

hid_t checkId(hid_t id, const Where& w, const std::string& what) {
    if (id < 0) failHdf5(w, what);
    return id;
}

void checkStatus(herr_t status, const Where& w, const std::string& what) {
    if (status < 0) failHdf5(w, what);
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

// ---------------------------------------------------------------------------------------
// Paths

// Components of an object path: "/runs//baseline/" -> {"runs", "baseline"}.
std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (begin <= path.size()) {
        std::size_t end = path.find('/', begin);
        if (end == std::string::npos) end = path.size();
        if (end > begin) parts.push_back(path.substr(begin, end - begin));
        begin = end + 1;
    }
    return parts;
}

// "/" followed by the first n components.
std::string joinPath(const std::vector<std::string>& parts, std::size_t n) {
    std::string path;
    for (std::size_t i = 0; i < n; ++i) path += "/" + parts[i];
    return path.empty() ? "/" : path;
}

// True if every component of the path exists, walking down from the root (H5Lexists needs
// the parent of the link it looks for to exist). A failure on the way (a component that is
// a dataset, not a group) counts as absent.
bool pathExists(hid_t file, const std::string& path) {
    const std::vector<std::string> parts = splitPath(path);
    for (std::size_t i = 1; i <= parts.size(); ++i) {
        const htri_t found = H5Lexists(file, joinPath(parts, i).c_str(), H5P_DEFAULT);
        if (found <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return false;
        }
    }
    return true;
}

// "runs//baseline/" -> "/runs/baseline", for messages and lookups.
std::string normalPath(const std::string& path) {
    const std::vector<std::string> parts = splitPath(path);
    return joinPath(parts, parts.size());
}

// Creates the group at `path` and every missing group above it; existing components must be
// groups.
void ensureGroup(hid_t file, const std::string& file_name, const std::string& path) {
    const std::vector<std::string> parts = splitPath(path);
    for (std::size_t i = 1; i <= parts.size(); ++i) {
        const Where w{file_name, joinPath(parts, i)};
        const htri_t found = H5Lexists(file, w.object.c_str(), H5P_DEFAULT);
        checkStatus(found, w, "cannot look up the path");
        const hid_t group = found > 0
            ? checkId(H5Gopen2(file, w.object.c_str(), H5P_DEFAULT), w, "exists and is not a group")
            : checkId(H5Gcreate2(file, w.object.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), w,
                      "cannot create group");
        Handle closer(group, H5Gclose);
    }
}

// ---------------------------------------------------------------------------------------
// Writing

// A variable-length UTF-8 string type, for the file and for memory alike.
hid_t makeVlenUtf8(const Where& w) {
    const hid_t type = checkId(H5Tcopy(H5T_C_S1), w, "cannot create string type");
    if (H5Tset_size(type, H5T_VARIABLE) < 0 || H5Tset_cset(type, H5T_CSET_UTF8) < 0) {
        H5Tclose(type);
        failHdf5(w, "cannot create string type");
    }
    return type;
}

hid_t makeSpace1d(std::size_t n, const Where& w) {
    const hsize_t dims[1] = {n};
    return checkId(H5Screate_simple(1, dims, nullptr), w, "cannot create dataspace");
}

std::vector<const char*> cStrings(const std::vector<std::string>& values) {
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const std::string& s : values) ptrs.push_back(s.c_str());
    return ptrs;
}

// Writes attribute `name` on the object at w.object, replacing one of the same name; the
// object is created as a group if nothing is there yet.
void replaceAttribute(hid_t file, const Where& w, const std::string& name, hid_t file_type,
                      hid_t mem_type, hid_t space, const void* buf) {
    if (!pathExists(file, w.object)) ensureGroup(file, w.file, w.object);
    Handle obj(checkId(H5Oopen(file, w.object.c_str(), H5P_DEFAULT), w, "cannot open object"), H5Oclose);
    const std::string what = "attribute " + quoted(name) + ": ";
    const htri_t found = H5Aexists(obj.get(), name.c_str());
    checkStatus(found, w, what + "cannot look up");
    if (found > 0) checkStatus(H5Adelete(obj.get(), name.c_str()), w, what + "cannot replace");
    Handle attr(checkId(H5Acreate2(obj.get(), name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), w,
                        what + "cannot create"),
                H5Aclose);
    checkStatus(H5Awrite(attr.get(), mem_type, buf), w, what + "cannot write");
}

void writeStringAttribute(hid_t file, const Where& w, const std::string& name, const std::string& value) {
    Handle type(makeVlenUtf8(w), H5Tclose);
    Handle space(checkId(H5Screate(H5S_SCALAR), w, "cannot create dataspace"), H5Sclose);
    const char* ptr = value.c_str();
    replaceAttribute(file, w, name, type.get(), type.get(), space.get(), &ptr);
}

void writeStringListAttribute(hid_t file, const Where& w, const std::string& name,
                              const std::vector<std::string>& values) {
    Handle type(makeVlenUtf8(w), H5Tclose);
    Handle space(makeSpace1d(values.size(), w), H5Sclose);
    const std::vector<const char*> ptrs = cStrings(values);
    replaceAttribute(file, w, name, type.get(), type.get(), space.get(), ptrs.data());
}

// Creates the dataset at w.object (and the groups above it) and writes all of `buf`.
// `dcpl` is H5P_DEFAULT or a creation property list (chunking, filters).
void writeDataset(hid_t file, const Where& w, hid_t file_type, hid_t mem_type, hid_t space, hid_t dcpl,
                  std::size_t n_elements, const void* buf) {
    const std::vector<std::string> parts = splitPath(w.object);
    assert(!parts.empty() && "a dataset needs a name below the root");
    ensureGroup(file, w.file, joinPath(parts, parts.size() - 1));
    Handle dset(checkId(H5Dcreate2(file, w.object.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), w,
                        "cannot create dataset"),
                H5Dclose);
    if (n_elements > 0)
        checkStatus(H5Dwrite(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), w, "cannot write dataset");
}

// A double dataset of any rank (1 or 2 here) with chunking, shuffle + deflate 4, and the
// units / columns / frame attributes. dims[0] is the row count; the other dims are whole in
// every chunk.
void writeDoubleDataset(hid_t file, const Where& w, const std::vector<hsize_t>& dims, const double* data,
                        const std::string& units, const std::vector<std::string>& columns,
                        const std::string& frame) {
    assert(!units.empty() && "every double dataset needs units");
    const int rank = static_cast<int>(dims.size());
    Handle space(checkId(H5Screate_simple(rank, dims.data(), nullptr), w, "cannot create dataspace"), H5Sclose);

    // Chunks of up to 1024 rows, fewer if a chunk would pass 1 MiB. HDF5 cannot chunk an
    // empty dimension of a fixed-size dataset, so an empty dataset stays contiguous.
    std::size_t row_size = 1, n_elements = 1;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        n_elements *= dims[i];
        if (i > 0) row_size *= dims[i];
    }
    Handle dcpl(checkId(H5Pcreate(H5P_DATASET_CREATE), w, "cannot create property list"), H5Pclose);
    if (n_elements > 0) {
        const std::size_t max_rows = std::max<std::size_t>(1, (std::size_t{1} << 20) / (8 * row_size));
        std::vector<hsize_t> chunk = dims;
        chunk[0] = std::min<hsize_t>({dims[0], 1024, max_rows});
        checkStatus(H5Pset_chunk(dcpl.get(), rank, chunk.data()), w, "cannot set chunking");
        checkStatus(H5Pset_shuffle(dcpl.get()), w, "cannot set the shuffle filter");
        checkStatus(H5Pset_deflate(dcpl.get(), 4), w, "cannot set deflate compression");
    }
    writeDataset(file, w, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), dcpl.get(), n_elements, data);

    writeStringAttribute(file, w, "units", units);
    if (!frame.empty()) writeStringAttribute(file, w, "frame", frame);
    if (!columns.empty()) writeStringListAttribute(file, w, "columns", columns);
}

bool pathExistsOnDisk(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

// fsync, so that after a power loss the renamed file is complete rather than empty.
void syncFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0) ::close(fd);
        throw UserError(path + ": cannot sync to disk: " + reason);
    }
    ::close(fd);
}

// ---------------------------------------------------------------------------------------
// Reading

// Number of elements of a dataspace, and its dims.
std::vector<hsize_t> extentOf(hid_t space, const Where& w) {
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 0) failHdf5(w, "cannot read the dataspace");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) checkStatus(H5Sget_simple_extent_dims(space, dims.data(), nullptr), w, "cannot read the dims");
    return dims;
}

// Largest element count read from one dataset or attribute: far above any CoreStride file (a
// long run's time series has about 10^6), and a damaged or hostile file that claims 10^12
// elements gets a clear error instead of std::bad_alloc.
constexpr std::size_t kMaxElements = std::size_t(1) << 28;

std::size_t countOf(const std::vector<hsize_t>& dims, const Where& w) {
    std::size_t n = 1;
    for (hsize_t d : dims) {
        if (d != 0 && n > kMaxElements / d)
            failContent(w, "claims more than " + std::to_string(kMaxElements) + " elements (damaged or not a CoreStride file)");
        n *= d;
    }
    return n;
}

// Throws unless the type class is one of those allowed ("numeric" = integer or float).
void requireNumeric(hid_t type, bool integer_only, const Where& w, const std::string& what) {
    const H5T_class_t cls = H5Tget_class(type);
    const bool ok = cls == H5T_INTEGER || (!integer_only && cls == H5T_FLOAT);
    if (!ok) failContent(w, what + (integer_only ? " is not an integer" : " is not numeric"));
}

// Reads every element of a string attribute (is_attribute) or dataset, fixed- or
// variable-length, in file order.
std::vector<std::string> readStringElements(hid_t obj, bool is_attribute, const Where& w, const std::string& what) {
    Handle type(checkId(is_attribute ? H5Aget_type(obj) : H5Dget_type(obj), w, what + ": cannot read the type"),
                H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) failContent(w, what + " is not a string");
    Handle space(checkId(is_attribute ? H5Aget_space(obj) : H5Dget_space(obj), w, what + ": cannot read the dataspace"),
                 H5Sclose);
    const std::size_t n = countOf(extentOf(space.get(), w), w);
    std::vector<std::string> out;
    out.reserve(n);
    if (n == 0) return out;
    auto read = [&](hid_t mem_type, void* buf) {
        const herr_t status = is_attribute ? H5Aread(obj, mem_type, buf)
                                           : H5Dread(obj, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        checkStatus(status, w, what + ": cannot read");
    };

    const htri_t is_vlen = H5Tis_variable_str(type.get());
    checkStatus(is_vlen, w, what + ": cannot read the type");
    if (is_vlen > 0) {
        // Variable-length: read pointers in the file's character set, copy, free.
        Handle mem(makeVlenUtf8(w), H5Tclose);
        checkStatus(H5Tset_cset(mem.get(), H5Tget_cset(type.get())), w, what + ": cannot read the type");
        VlenStrings buf(n);
        read(mem.get(), buf.ptrs.data());
        for (const char* p : buf.ptrs) out.emplace_back(p ? p : "");
    } else {
        // Fixed-length: n slots of `size` bytes, each ended by NUL padding or space padding.
        const std::size_t size = H5Tget_size(type.get());
        const bool space_padded = H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD;
        std::vector<char> buf(n * size);
        read(type.get(), buf.data());
        for (std::size_t i = 0; i < n; ++i) {
            const char* begin = buf.data() + i * size;
            std::string s(begin, std::find(begin, begin + size, '\0'));
            if (space_padded) s.erase(s.find_last_not_of(' ') + 1);
            out.push_back(std::move(s));
        }
    }
    return out;
}

hid_t openAttribute(hid_t file, const Where& w, const std::string& name) {
    return checkId(H5Aopen_by_name(file, w.object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), w,
                   "cannot open attribute " + quoted(name));
}

// Reads a one-element numeric attribute converted to `mem_type`.
void readScalarAttribute(hid_t file, const Where& w, const std::string& name, hid_t mem_type, bool integer_only,
                         void* out) {
    Handle attr(openAttribute(file, w, name), H5Aclose);
    const std::string what = "attribute " + quoted(name);
    Handle type(checkId(H5Aget_type(attr.get()), w, what + ": cannot read the type"), H5Tclose);
    requireNumeric(type.get(), integer_only, w, what);
    Handle space(checkId(H5Aget_space(attr.get()), w, what + ": cannot read the dataspace"), H5Sclose);
    const std::size_t n = countOf(extentOf(space.get(), w), w);
    if (n != 1) failContent(w, what + " holds " + std::to_string(n) + " values, expected one");
    checkStatus(H5Aread(attr.get(), mem_type, out), w, what + ": cannot read");
}

// Reads a numeric dataset of the given rank converted to `mem_type`; returns its dims.
template <typename T>
std::vector<hsize_t> readNumericDataset(hid_t file, const Where& w, int rank, hid_t mem_type, bool integer_only,
                                        std::vector<T>& out) {
    Handle dset(checkId(H5Dopen2(file, w.object.c_str(), H5P_DEFAULT), w, "cannot open dataset"), H5Dclose);
    Handle type(checkId(H5Dget_type(dset.get()), w, "cannot read the type"), H5Tclose);
    requireNumeric(type.get(), integer_only, w, "dataset");
    Handle space(checkId(H5Dget_space(dset.get()), w, "cannot read the dataspace"), H5Sclose);
    const std::vector<hsize_t> dims = extentOf(space.get(), w);
    if (static_cast<int>(dims.size()) != rank)
        failContent(w, "dataset has " + std::to_string(dims.size()) + " dimensions, expected " +
                           std::to_string(rank));
    out.assign(countOf(dims, w), T{});
    if (!out.empty())
        checkStatus(H5Dread(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), w,
                    "cannot read dataset");
    return dims;
}

}  // namespace

// =========================================================================================
// H5Writer

H5Writer::H5Writer(std::string final_path, std::string temp_path, bool overwrite, std::int64_t file)
    : final_path_(std::move(final_path)), temp_path_(std::move(temp_path)), overwrite_(overwrite), file_(file) {}

void H5Writer::checkOutputFile(const std::string& final_path, bool overwrite) {
    silenceHdf5();
    if (final_path.empty()) throw UserError("empty output path: give the output file with -o");
    std::error_code ec;
    // The directory must exist: outputs never create directories on their own (a typo in a
    // path would otherwise scatter results).
    const std::filesystem::path parent = std::filesystem::path(final_path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
        if (std::filesystem::exists(parent, ec)) throw UserError(final_path + ": " + parent.string() + " is not a directory");
        throw UserError(final_path + ": the directory " + parent.string() + " does not exist; create it first (mkdir -p " +
                        parent.string() + ")");
    }
    const auto st = std::filesystem::status(final_path, ec);
    if (!std::filesystem::exists(st)) return;
    if (std::filesystem::is_directory(st)) throw UserError(final_path + ": is a directory; the output must be a file name");
    if (!std::filesystem::is_regular_file(st))
        throw UserError(final_path + ": exists and is not a regular file (a device, FIFO or socket); outputs replace only "
                                     "regular files");
    if (!overwrite) throw UserError(final_path + " exists; pass --overwrite to replace it");
    bool ours = false;
    try {
        const H5Reader r(final_path);
        ours = r.hasAttribute("/", "format") && r.readStringAttribute("/", "format").rfind("corestride", 0) == 0;
    } catch (const UserError&) {
        ours = false;   // not HDF5, or damaged: not ours to replace
    }
    if (!ours)
        throw UserError(final_path + ": exists and was not written by CoreStride (no root attribute format = corestride); "
                                     "--overwrite replaces only CoreStride's own results: remove it yourself or choose "
                                     "another name");
}

namespace {

// A writer's temporary file: <final_path>.tmp.<pid>, in the same directory (rename() stays on
// one file system).
constexpr const char* kTempInfix = ".tmp.";

// Removes <final_path>.tmp.<pid> files left by killed processes (the pid no longer exists).
void removeStaleTemporaries(const std::string& final_path) {
    namespace fs = std::filesystem;
    const fs::path target(final_path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const std::string prefix = target.filename().string() + kTempInfix;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string digits = name.substr(prefix.size());
        if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(digits));
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH && entry.is_regular_file(ec)) fs::remove(entry.path(), ec);
    }
}

}  // namespace

H5Writer H5Writer::create(const std::string& final_path, bool overwrite) {
    checkOutputFile(final_path, overwrite);
    removeStaleTemporaries(final_path);

    // The temporary file sits in the same directory, so that rename() stays on one file system.
    std::string temp_path = final_path + kTempInfix + std::to_string(::getpid());
    const Where w{final_path, ""};
    // Strong close: H5Fclose really closes the file, so commit() renames a finished file.
    Handle fapl(checkId(H5Pcreate(H5P_FILE_ACCESS), w, "cannot create property list"), H5Pclose);
    checkStatus(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), w, "cannot set the close degree");
    const hid_t file = checkId(H5Fcreate(temp_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), w,
                               "cannot create temporary file " + temp_path);
    return H5Writer(final_path, std::move(temp_path), overwrite, file);
}

H5Writer::H5Writer(H5Writer&& other) noexcept
    : final_path_(std::move(other.final_path_)),
      temp_path_(std::exchange(other.temp_path_, std::string())),
      overwrite_(other.overwrite_),
      file_(std::exchange(other.file_, -1)),
      committed_(other.committed_) {}

H5Writer::~H5Writer() {
    silenceHdf5();
    if (file_ >= 0) H5Fclose(file_);
    if (!committed_ && !temp_path_.empty()) std::remove(temp_path_.c_str());
}

void H5Writer::createGroup(const std::string& path) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    ensureGroup(file_, final_path_, path);
}

void H5Writer::setStringAttribute(const std::string& path, const std::string& name, const std::string& value) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    writeStringAttribute(file_, Where{final_path_, normalPath(path)}, name, value);
}

void H5Writer::setDoubleAttribute(const std::string& path, const std::string& name, double value) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    const Where w{final_path_, normalPath(path)};
    Handle space(checkId(H5Screate(H5S_SCALAR), w, "cannot create dataspace"), H5Sclose);
    replaceAttribute(file_, w, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), &value);
}

void H5Writer::setIntAttribute(const std::string& path, const std::string& name, std::int64_t value) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    const Where w{final_path_, normalPath(path)};
    Handle space(checkId(H5Screate(H5S_SCALAR), w, "cannot create dataspace"), H5Sclose);
    replaceAttribute(file_, w, name, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(), &value);
}

void H5Writer::setStringListAttribute(const std::string& path, const std::string& name,
                                      const std::vector<std::string>& values) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    writeStringListAttribute(file_, Where{final_path_, normalPath(path)}, name,
                             values);
}

void H5Writer::writeDoubles(const std::string& path, const std::vector<double>& values, const std::string& units,
                            const std::string& frame) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    const Where w{final_path_, normalPath(path)};
    writeDoubleDataset(file_, w, {values.size()}, values.data(), units, {}, frame);
}

void H5Writer::writeMatrix(const std::string& path, std::size_t rows, std::size_t cols,
                           const std::vector<double>& row_major, const std::string& units,
                           const std::vector<std::string>& columns, const std::string& frame) {
    assert(file_ >= 0 && "H5Writer used after commit");
    assert(row_major.size() == rows * cols && "writeMatrix: data size is not rows * cols");
    assert((columns.empty() || columns.size() == cols) && "writeMatrix: one column name per column");
    silenceHdf5();
    const Where w{final_path_, normalPath(path)};
    writeDoubleDataset(file_, w, {rows, cols}, row_major.data(), units, columns, frame);
}

void H5Writer::writeStrings(const std::string& path, const std::vector<std::string>& values) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    const Where w{final_path_, normalPath(path)};
    Handle type(makeVlenUtf8(w), H5Tclose);
    Handle space(makeSpace1d(values.size(), w), H5Sclose);
    const std::vector<const char*> ptrs = cStrings(values);
    writeDataset(file_, w, type.get(), type.get(), space.get(), H5P_DEFAULT, values.size(), ptrs.data());
}

void H5Writer::writeInts(const std::string& path, const std::vector<std::int64_t>& values) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    const Where w{final_path_, normalPath(path)};
    Handle space(makeSpace1d(values.size(), w), H5Sclose);
    writeDataset(file_, w, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(), H5P_DEFAULT, values.size(),
                 values.data());
}

void H5Writer::copyFrom(const std::string& source_file, const std::string& path) {
    assert(file_ >= 0 && "H5Writer used after commit");
    silenceHdf5();
    const std::string object = normalPath(path);
    const Where from{source_file, object};
    Handle in(checkId(H5Fopen(source_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), from, "cannot open as HDF5"),
              H5Fclose);
    checkStatus(H5Ocopy(in.get(), object.c_str(), file_, object.c_str(), H5P_DEFAULT, H5P_DEFAULT), from,
                "cannot copy into " + temp_path_);
}

void H5Writer::commit() {
    assert(file_ >= 0 && !committed_ && "H5Writer committed twice");
    silenceHdf5();
    const Where w{final_path_, ""};
    checkStatus(H5Fflush(file_, H5F_SCOPE_GLOBAL), w, "cannot flush " + temp_path_);
    const hid_t file = std::exchange(file_, -1);
    checkStatus(H5Fclose(file), w, "cannot close " + temp_path_);
    syncFile(temp_path_);

    // Re-check: another process may have created the file since create().
    if (!overwrite_ && pathExistsOnDisk(final_path_))
        throw UserError(final_path_ + " exists; pass --overwrite to replace it");
    if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
        throw UserError(final_path_ + ": cannot rename " + temp_path_ + " onto it: " + std::strerror(errno));
    committed_ = true;
}

// =========================================================================================
// H5Reader

H5Reader::H5Reader(const std::string& path) : path_(path) {
    silenceHdf5();
    if (!pathExistsOnDisk(path)) throw UserError(path + ": no such file");
    checkInputFile(path, "results file", std::numeric_limits<std::size_t>::max());   // not a FIFO or device
    file_ = checkId(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), Where{path, ""},
                    "cannot open as HDF5 (not an HDF5 file, or damaged)");
}

H5Reader::H5Reader(H5Reader&& other) noexcept
    : path_(std::move(other.path_)), file_(std::exchange(other.file_, -1)) {}

H5Reader::~H5Reader() {
    silenceHdf5();
    if (file_ >= 0) H5Fclose(file_);
}

bool H5Reader::exists(const std::string& object_path) const {
    silenceHdf5();
    return pathExists(file_, object_path);
}

bool H5Reader::hasAttribute(const std::string& object_path, const std::string& name) const {
    silenceHdf5();
    if (!pathExists(file_, object_path)) return false;
    const Where w{path_, object_path};
    const htri_t found = H5Aexists_by_name(file_, object_path.c_str(), name.c_str(), H5P_DEFAULT);
    checkStatus(found, w, "cannot look up attribute " + quoted(name));
    return found > 0;
}

std::vector<std::string> H5Reader::children(const std::string& group_path) const {
    silenceHdf5();
    const Where w{path_, group_path};
    Handle group(checkId(H5Gopen2(file_, group_path.c_str(), H5P_DEFAULT), w, "cannot open group"), H5Gclose);
    H5G_info_t info;
    checkStatus(H5Gget_info(group.get(), &info), w, "cannot read the group");
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t len =
            H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (len < 0) failHdf5(w, "cannot read the link names");
        std::string name(static_cast<std::size_t>(len) + 1, '\0');
        if (H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                               H5P_DEFAULT) < 0)
            failHdf5(w, "cannot read the link names");
        name.resize(static_cast<std::size_t>(len));
        names.push_back(std::move(name));
    }
    return names;
}

std::string H5Reader::readStringAttribute(const std::string& object_path, const std::string& name) const {
    const std::vector<std::string> values = readStringListAttribute(object_path, name);
    if (values.size() != 1)
        failContent(Where{path_, object_path}, "attribute " + quoted(name) + " holds " +
                                                   std::to_string(values.size()) + " strings, expected one");
    return values[0];
}

std::vector<std::string> H5Reader::readStringListAttribute(const std::string& object_path,
                                                           const std::string& name) const {
    silenceHdf5();
    const Where w{path_, object_path};
    Handle attr(openAttribute(file_, w, name), H5Aclose);
    return readStringElements(attr.get(), true, w, "attribute " + quoted(name));
}

double H5Reader::readDoubleAttribute(const std::string& object_path, const std::string& name) const {
    silenceHdf5();
    double value = 0;
    readScalarAttribute(file_, Where{path_, object_path}, name, H5T_NATIVE_DOUBLE, false, &value);
    return value;
}

std::int64_t H5Reader::readIntAttribute(const std::string& object_path, const std::string& name) const {
    silenceHdf5();
    std::int64_t value = 0;
    readScalarAttribute(file_, Where{path_, object_path}, name, H5T_NATIVE_INT64, true, &value);
    return value;
}

H5Matrix H5Reader::readMatrix(const std::string& dataset_path) const {
    silenceHdf5();
    H5Matrix m;
    const std::vector<hsize_t> dims =
        readNumericDataset(file_, Where{path_, dataset_path}, 2, H5T_NATIVE_DOUBLE, false, m.data);
    m.rows = dims[0];
    m.cols = dims[1];
    return m;
}

std::vector<double> H5Reader::readDoubles(const std::string& dataset_path) const {
    silenceHdf5();
    std::vector<double> values;
    readNumericDataset(file_, Where{path_, dataset_path}, 1, H5T_NATIVE_DOUBLE, false, values);
    return values;
}

std::vector<std::int64_t> H5Reader::readInts(const std::string& dataset_path) const {
    silenceHdf5();
    std::vector<std::int64_t> values;
    readNumericDataset(file_, Where{path_, dataset_path}, 1, H5T_NATIVE_INT64, true, values);
    return values;
}

std::vector<std::string> H5Reader::readStrings(const std::string& dataset_path) const {
    silenceHdf5();
    const Where w{path_, dataset_path};
    Handle dset(checkId(H5Dopen2(file_, dataset_path.c_str(), H5P_DEFAULT), w, "cannot open dataset"), H5Dclose);
    return readStringElements(dset.get(), false, w, "dataset");
}

}  // namespace corestride
