#include "sweep.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "h5_file.h"
#include "results_schema.h"
#include "run_output.h"
#include "weakness.h"
#include "input_file.h"

namespace corestride {

const std::string* internMetricName(const std::string& name) {
    static std::mutex mutex;
    static std::set<std::string> names;   // node-based: element addresses stay valid
    std::lock_guard<std::mutex> lock(mutex);
    return &*names.insert(name).first;
}


namespace {

const char* const kJournalMagic = "corestride-sweep-journal 1";

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\') out += "\\\\";
        else if (c == '\t') out += "\\t";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else out += c;
    }
    return out;
}

std::string unescape(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) { out += s[i]; continue; }
        const char c = s[++i];
        out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    }
    return out;
}

std::string full(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

bool exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

std::string directoryOf(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash + 1);
}

// Makes a rename or a new file in `dir` durable.
void syncDirectory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

std::string saveName(SweepSave s) { return s == SweepSave::Timeseries ? "timeseries" : "summary"; }

std::string partPath(const std::string& output, int index) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "/point_%06d.h5", index);
    return output + ".parts" + buf;
}

std::string runName(int index) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "point_%06d", index);
    return buf;
}

// Digest of every input file the points read (model, motion, training and exercise files),
// by path: a resumed sweep must not mix points computed from different files.
std::map<std::string, std::string> inputDigests(const Scenario& base, const std::vector<SweepPoint>& points) {
    std::set<std::string> files;
    for (const std::string& f : scenarioInputFiles(base.settings())) files.insert(f);
    for (const SweepPoint& p : points)
        for (const std::string& f : scenarioInputFiles(sweepPointScenario(base, p).settings())) files.insert(f);
    std::map<std::string, std::string> out;
    for (const std::string& f : files) {
        out[f] = hashText(readInputFile(f, "input of the sweep"));
    }
    return out;
}

// The append-only journal: a header line naming the spec hash and save mode, one line per
// input file with its digest, then one record per finished point, each written with one
// write() and fsync'ed.
class Journal {
public:
    Journal(std::string path, std::string header, std::map<std::string, std::string> inputs)
        : path_(std::move(path)), header_(std::move(header)), inputs_(std::move(inputs)) {}
    ~Journal() { if (fd_ >= 0) ::close(fd_); }
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Reads the finished rows (later records of an index win) and cuts a torn tail. Throws
    // UserError if the journal belongs to another spec or save mode.
    std::map<int, SweepRow> open(bool discard) {
        std::map<int, SweepRow> rows;
        std::string text;
        if (!discard && exists(path_)) {
            std::ifstream in(path_, std::ios::binary);
            std::ostringstream os;
            os << in.rdbuf();
            text = os.str();
        }
        const auto header_end = text.find('\n');
        size_t keep = 0;
        if (header_end != std::string::npos) {
            const std::string header = text.substr(0, header_end);
            if (header != header_) {
                if (header.rfind(kJournalMagic, 0) != 0) throw UserError(path_ + ": not a sweep journal; remove it or pass --overwrite");
                throw UserError(path_ + ": journal of a different sweep spec or --save mode ('" + header + "', this sweep: '" +
                                header_ + "'); use another output file or pass --overwrite");
            }
            keep = header_end + 1;
            // The inputs the recorded points were computed from must be those of now.
            std::map<std::string, std::string> recorded;
            for (size_t pos = keep; pos < text.size();) {
                const auto end = text.find('\n', pos);
                if (end == std::string::npos || text.compare(pos, 6, "input\t") != 0) break;
                const std::string line = text.substr(pos + 6, end - pos - 6);
                const auto tab = line.find('\t');
                if (tab != std::string::npos) recorded[line.substr(tab + 1)] = line.substr(0, tab);
                pos = keep = end + 1;
            }
            if (recorded.empty() && keep < text.size())
                throw UserError(path_ + ": journal without input digests (written by an older corestride); pass "
                                        "--overwrite to start the sweep again");
            if (recorded.empty()) {
                keep = 0;   // a header alone: written again below, with the digests
            } else {
                checkInputs(recorded);
                for (size_t pos = keep; pos < text.size();) {
                    const auto end = text.find('\n', pos);
                    if (end == std::string::npos) break;   // torn last line: cut below
                    SweepRow row;
                    if (parseJournalRecord(text.substr(pos, end - pos), row)) rows[row.index] = row;
                    pos = keep = end + 1;
                }
            }
        }
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT, 0644);
        if (fd_ < 0) throw UserError(path_ + ": cannot open journal for writing");
        if (::ftruncate(fd_, static_cast<off_t>(keep)) != 0 || ::lseek(fd_, 0, SEEK_END) < 0)
            throw UserError(path_ + ": cannot truncate journal");
        if (keep == 0) {
            std::string head = header_ + "\n";
            for (const auto& [file, digest] : inputs_) head += "input\t" + digest + "\t" + file + "\n";
            append(head);
            syncDirectory(directoryOf(path_));
        }
        return rows;
    }

    void append(const std::string& line) {
        const char* p = line.data();
        size_t left = line.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_, p, left);
            if (n < 0) throw UserError(path_ + ": write failed");
            p += n;
            left -= static_cast<size_t>(n);
        }
        if (::fsync(fd_) != 0) throw UserError(path_ + ": fsync failed");
    }

private:
    // Throws UserError naming the first input file that differs from when the sweep started.
    void checkInputs(const std::map<std::string, std::string>& recorded) const {
        for (const auto& [file, digest] : inputs_) {
            const auto it = recorded.find(file);
            if (it == recorded.end())
                throw UserError(path_ + ": " + file + " was not an input when this sweep started; resuming would mix "
                                        "points computed from different inputs; pass --overwrite to start again");
            if (it->second != digest)
                throw UserError(path_ + ": " + file + " changed since this sweep started (digest " + it->second + ", now " +
                                digest + "); resuming would mix points computed from different inputs: restore the "
                                "file, or pass --overwrite to start again");
        }
        for (const auto& entry : recorded)
            if (!inputs_.count(entry.first))
                throw UserError(path_ + ": " + entry.first + " was an input when this sweep started and is not now; pass "
                                                             "--overwrite to start again");
    }

    std::string path_, header_;
    std::map<std::string, std::string> inputs_;
    int fd_ = -1;
};

// Checks an existing output: true if it is this sweep's finished file. Throws UserError if it
// belongs to something else.
bool isFinishedOutput(const std::string& output, const std::string& hash) {
    std::string theirs;
    try {
        H5Reader r(output);
        if (r.hasAttribute("/", "spec_hash")) theirs = r.readStringAttribute("/", "spec_hash");
    } catch (const UserError&) {
    }
    if (theirs == hash) return true;
    if (theirs.empty()) throw UserError(output + ": exists and is not a sweep output; use another file or pass --overwrite");
    throw UserError(output + ": belongs to a different sweep spec (spec_hash " + theirs + ", this spec " + hash +
                    "); use another output file or pass --overwrite");
}

// The finished file: root attributes, /summary (one row per point), /status and, with
// --save=timeseries, the runs copied from the part files. Written to a temporary file and
// renamed into place (H5Writer::commit), so `output` is either absent or complete.
void writeSweepFile(const SweepSpec& spec, const Scenario& base, const std::vector<SweepPoint>& points,
                    const std::map<int, SweepRow>& rows, const std::string& hash, const SweepOptions& options) {
    using schema::Path;
    const bool series = options.save == SweepSave::Timeseries;
    H5Writer w = H5Writer::create(options.output, true);
    {
        writeFileHeader(w);
        w.setStringAttribute("/", schema::attr::kContent, "sweep");
        w.setStringAttribute("/", "spec_hash", hash);
        w.setStringAttribute("/", "spec", spec.text);
        w.setStringAttribute("/", "spec_file", spec.file);
        w.setStringAttribute("/", "base_scenario", base.toIni());
        w.setStringAttribute("/", "design", spec.design == SweepDesign::Grid ? "grid" : spec.design == SweepDesign::Lhs ? "lhs" : "list");
        w.setStringAttribute("/", "save", saveName(options.save));
        // Columns: point, parameters, ok, wall time, then every metric in order of first
        // appearance over the points (NaN where a point has none, e.g. a failed one).
        std::vector<std::string> columns = {"point"}, units = {"1"};
        for (const SweepParameter& p : spec.parameters) {
            columns.push_back(p.key);
            std::string unit = "1";
            for (const KeySpec& k : scenarioKeys())
                if (k.name == p.key && k.unit != "-") unit = k.unit;
            units.push_back(unit);
        }
        columns.push_back("ok");
        units.push_back("1");
        columns.push_back("wall_time_s");
        units.push_back("s");
        const size_t fixed = columns.size();
        std::map<std::string, size_t> metric_col;
        for (const auto& [index, row] : rows)
            for (const auto& m : row.metrics)
                if (metric_col.emplace(*m.first, columns.size()).second) {
                    columns.push_back(*m.first);
                    units.push_back("see name");
                }
        const size_t cols = columns.size();
        std::vector<double> data(points.size() * cols, std::numeric_limits<double>::quiet_NaN());
        std::vector<std::string> status;
        for (const SweepPoint& p : points) {
            const SweepRow& row = rows.at(p.index);
            double* r = &data[static_cast<size_t>(p.index) * cols];
            r[0] = p.index;
            for (size_t j = 0; j < p.values.size(); ++j) r[1 + j] = std::strtod(p.values[j].second.c_str(), nullptr);
            r[fixed - 2] = row.status.ok() ? 1 : 0;
            r[fixed - 1] = row.wall_time;
            for (const auto& m : row.metrics) r[metric_col.at(*m.first)] = m.second;
            status.push_back(row.status.text());
        }
        const std::string summary = schema::path(Path::SweepSummary), status_path = schema::path(Path::SweepStatus);
        w.writeMatrix(summary, points.size(), cols, data, schema::units(Path::SweepSummary), columns);
        w.setStringListAttribute(summary, "column_units", units);
        w.writeStrings(status_path, status);
        w.setStringAttribute(status_path, "units", schema::units(Path::SweepStatus));
    }
    if (series) {
        // Every point's run, copied from its part file.
        w.createGroup(schema::path(Path::Runs));
        for (const SweepPoint& p : points) {
            const std::string part = partPath(options.output, p.index);
            if (!exists(part)) continue;   // a point whose setup failed has no run
            w.copyFrom(part, schema::path(Path::Run, runName(p.index)));
        }
    }
    w.commit();
    syncDirectory(directoryOf(options.output));
}

// One sweep at a time per output: an exclusive lock on <output>.lock, held for the whole
// sweep. Two sweeps with the same -o both computed every point and their journal records
// overwrote each other.
class OutputLock {
public:
    explicit OutputLock(const std::string& output) : path_(output + ".lock") {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw UserError(path_ + ": cannot create the sweep's lock file (" + std::strerror(errno) + ")");
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd_);
            fd_ = -1;
            throw UserError(output + ": another corestride sweep is writing this output (" + path_ +
                            " is locked); wait for it to finish or choose another -o");
        }
    }
    ~OutputLock() {
        if (fd_ < 0) return;
        ::unlink(path_.c_str());
        ::close(fd_);
    }
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

private:
    std::string path_;
    int fd_ = -1;
};

void removeLeftovers(const SweepOptions& options, const std::vector<SweepPoint>& points) {
    for (const SweepPoint& p : points) std::remove(partPath(options.output, p.index).c_str());
    ::rmdir((options.output + ".parts").c_str());
    std::remove((options.output + ".journal").c_str());
}

}  // namespace

ScenarioRun SweepModelCache::setup(const Scenario& scenario) {
    std::string key;
    for (const char* prefix : {"subject.", "model.", "motion.", "running."})
        for (const auto& [k, v] : scenario.withPrefix(prefix)) key += k + "=" + v + "\n";
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    if (it == entries_.end()) {
        if (entries_.size() >= kCapacity) entries_.erase(entries_.begin());
        Entry e;
        e.key = key;
        try {
            e.run = runScenarioSetup(scenario.settings());
        } catch (...) {
            e.error = std::current_exception();
        }
        entries_.push_back(std::move(e));
        it = entries_.end() - 1;
    }
    if (it->error) std::rethrow_exception(it->error);
    return it->run;
}

Scenario sweepBaseScenario(const SweepSpec& spec) { return Scenario::resolve(spec.base, {}); }

Scenario sweepPointScenario(const Scenario& base, const SweepPoint& point) {
    std::map<std::string, std::string> values = base.withPrefix("");
    for (const auto& [key, value] : point.values) values[key] = value;
    return Scenario::resolve("", values);
}

std::string sweepSpecHash(const Scenario& base, const std::vector<SweepPoint>& points) {
    std::string text = base.toIni();
    for (const SweepPoint& p : points) {
        text += "\n" + std::to_string(p.index);
        for (const auto& [key, value] : p.values) text += " " + key + "=" + value;
    }
    return hashText(text);
}

SweepRow runSweepPoint(const SweepPoint& point, const Scenario& scenario, SweepModelCache& cache, ScenarioRun* out) {
    SweepRow row;
    row.index = point.index;
    try {
        ScenarioRun run = cache.setup(scenario);
        run.result = simulate(*run.model, run.reference, runOptions(*run.model, scenario.settings()), scenario.settings(),
                              &run.reference);
        row.status = run.result.status;
        row.wall_time = run.result.wall_time;
        row.metrics.clear();
        for (const auto& [name, value] : run.result.metrics) row.metrics.push_back({internMetricName(name), value});
        if (out) *out = std::move(run);
    } catch (const std::exception& e) {
        row.status = RunStatus::failed(std::string("error: ") + e.what());
    }
    // What the journal stores, exactly: a resumed sweep and an uninterrupted one agree bitwise.
    std::string line = formatJournalRecord(row);
    line.pop_back();   // the newline
    SweepRow exact;
    const bool parsed = parseJournalRecord(line, exact);
    assert(parsed);
    (void)parsed;
    return exact;
}

// index TAB wall TAB status TAB n TAB (name TAB value){n} TAB fnv1a-of-everything-before
std::string formatJournalRecord(const SweepRow& row) {
    std::string s = std::to_string(row.index) + "\t" + full(row.wall_time) + "\t" + escape(row.status.text()) + "\t" +
                    std::to_string(row.metrics.size());
    for (const auto& [name, value] : row.metrics) s += "\t" + escape(*name) + "\t" + full(value);
    return s + "\t" + hashText(s) + "\n";
}

bool parseJournalRecord(const std::string& line, SweepRow& row) {
    const auto last = line.rfind('\t');
    if (last == std::string::npos || line.substr(last + 1) != hashText(line.substr(0, last))) return false;
    std::vector<std::string> f;
    std::istringstream in(line.substr(0, last));
    for (std::string field; std::getline(in, field, '\t');) f.push_back(field);
    if (f.size() < 4) return false;
    try {
        const size_t n = std::stoul(f[3]);
        if (f.size() != 4 + 2 * n) return false;
        row.index = std::stoi(f[0]);
        row.wall_time = std::strtod(f[1].c_str(), nullptr);
        row.status = RunStatus::fromText(unescape(f[2]));
        row.metrics.clear();
        for (size_t k = 0; k < n; ++k)
            row.metrics.push_back({internMetricName(unescape(f[4 + 2 * k])), std::strtod(f[5 + 2 * k].c_str(), nullptr)});
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

SweepReport runSweep(const SweepSpec& spec, const SweepOptions& options) {
    SweepReport report;
    // Refuse before any work: too many points, a foreign output or journal.
    const std::int64_t count = countSweepPoints(spec);
    if (count > options.max_points && !options.confirm)
        throw UserError(spec.file + ": the design has " + std::to_string(count) + " points, more than --max-points " +
                        std::to_string(options.max_points) + "; pass --yes to run them all or raise --max-points");
    const std::vector<SweepPoint> points = calcSweepPoints(spec);
    report.total = static_cast<int>(points.size());
    const Scenario base = sweepBaseScenario(spec);
    const std::string hash = sweepSpecHash(base, points);
    {   // The output path, before any work: never empty, a directory or a device, and with
        // --overwrite only a file CoreStride wrote. An existing regular file without
        // --overwrite is left to isFinishedOutput() below (finished, or another sweep's).
        std::error_code ec;
        if (!std::filesystem::is_regular_file(options.output, ec) || options.overwrite)
            H5Writer::checkOutputFile(options.output, true);
    }
    const OutputLock output_lock(options.output);
    if (exists(options.output) && !options.overwrite && isFinishedOutput(options.output, hash)) {
        removeLeftovers(options, points);
        report.complete = report.already_complete = true;
        return report;
    }
    const bool series = options.save == SweepSave::Timeseries;
    if (options.overwrite) removeLeftovers(options, points);
    Journal journal(options.output + ".journal",
                    std::string(kJournalMagic) + " spec=" + hash + " save=" + saveName(options.save) + " points=" +
                        std::to_string(points.size()),
                    inputDigests(base, points));
    std::map<int, SweepRow> rows = journal.open(options.overwrite);
    if (series) {
        ::mkdir((options.output + ".parts").c_str(), 0755);
        for (auto it = rows.begin(); it != rows.end();)   // a run without its part file is redone
            it = it->second.status.text().rfind("error: ", 0) != 0 && !exists(partPath(options.output, it->first)) ? rows.erase(it) : std::next(it);
    }
    report.resumed = static_cast<int>(rows.size());
    for (const auto& kv : rows) report.failed += !kv.second.status.ok();

    std::vector<int> todo;
    for (const SweepPoint& p : points)
        if (!rows.count(p.index)) todo.push_back(p.index);
    const size_t limit = options.stop_after >= 0 ? std::min(todo.size(), static_cast<size_t>(options.stop_after)) : todo.size();

    // Workers take the next point, simulate it on the shared model and queue the row; this
    // thread alone writes (journal, part files, HDF5).
    struct Done {
        SweepRow row;
        Scenario scenario;
        ScenarioRun run;
    };
    std::atomic<size_t> next{0};
    std::atomic<bool> abort{false};
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Done> queue;
    int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    jobs = static_cast<int>(std::min<size_t>(static_cast<size_t>(jobs), limit));
    int running = jobs;
    auto worker = [&] {
        SweepModelCache cache;   // this worker's models (see sweep.h)
        for (size_t k = 0; !abort && (k = next++) < limit;) {
            const SweepPoint& p = points[static_cast<size_t>(todo[k])];
            Done d;
            try {
                d.scenario = sweepPointScenario(base, p);
                d.row = runSweepPoint(p, d.scenario, cache, series ? &d.run : nullptr);
            } catch (const std::exception& e) {
                d.row.index = p.index;
                d.row.status = RunStatus::failed(std::string("error: ") + e.what());
            }
            std::lock_guard<std::mutex> lock(mutex);
            queue.push_back(std::move(d));
            ready.notify_one();
        }
        std::lock_guard<std::mutex> lock(mutex);
        --running;
        ready.notify_one();
    };
    // Writes one finished point (this thread only): part file, journal, progress.
    const auto start = std::chrono::steady_clock::now();
    auto record = [&](Done& d) {
        // The part file first, then the journal line that vouches for it.
        if (series && d.run.model) {
            H5Writer w = H5Writer::create(partPath(options.output, d.row.index), true);
            writeRun(w, runName(d.row.index), d.scenario, d.run);
            w.commit();
        }
        journal.append(formatJournalRecord(d.row));
        ++report.computed;
        report.failed += !d.row.status.ok();
        rows[d.row.index] = d.row;
        if (options.progress) {
            SweepProgress pr;
            pr.total = report.total;
            pr.done = static_cast<int>(rows.size());
            pr.failed = report.failed;
            pr.resumed = report.resumed;
            pr.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            pr.rate = pr.elapsed > 0 ? report.computed / pr.elapsed : 0;
            pr.eta = pr.rate > 0 ? (pr.total - pr.done) / pr.rate : 0;
            options.progress(pr);
        }
    };
    if (options.compute) {   // another driver (MPI): it hands us the rows
        if (series) throw UserError("--save=timeseries is not available with this driver; use --save=summary");
        options.compute(std::vector<int>(todo.begin(), todo.begin() + static_cast<std::ptrdiff_t>(limit)),
                        [&](const SweepRow& row) {
                            Done d;
                            d.row = row;
                            record(d);
                        });
        jobs = 0;
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < jobs; ++t) threads.emplace_back(worker);
    auto joinAll = [&] {
        for (std::thread& t : threads) t.join();
        threads.clear();
    };

    try {
        for (; jobs > 0;) {
            std::unique_lock<std::mutex> lock(mutex);
            ready.wait(lock, [&] { return !queue.empty() || running == 0; });
            if (queue.empty()) break;
            Done d = std::move(queue.front());
            queue.pop_front();
            lock.unlock();
            record(d);
        }
    } catch (...) {
        abort = true;
        joinAll();
        throw;
    }
    joinAll();
    if (rows.size() < points.size()) return report;   // stopped early: the journal keeps the work

    writeSweepFile(spec, base, points, rows, hash, options);
    removeLeftovers(options, points);
    report.complete = true;
    return report;
}

}  // namespace corestride
