#include "sweep_mpi.h"

#include <chrono>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <mpi.h>

#include "error.h"

namespace corestride {

namespace {

// Worker -> rank 0: "give me a point", carrying the journal line of the point just computed
// (empty on the first request). Rank 0 -> worker: one int, a point index or -1 (stop).
constexpr int kTagRequest = 1;
constexpr int kTagAssign = 2;

void sendIndex(int worker, int index) { MPI_Send(&index, 1, MPI_INT, worker, kTagAssign, MPI_COMM_WORLD); }

// Receives the next request from any worker: its rank and payload. Polls with a 1 ms sleep
// rather than blocking in MPI_Probe, which Open MPI busy-waits: rank 0 then leaves its core
// to a worker (a point takes ~1 s, the delay is nothing).
int receiveRequest(std::string& payload, bool block = true) {
    MPI_Status st;
    for (int flag = 0;;) {
        MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &flag, &st);
        if (flag) break;
        if (!block) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    int n = 0;
    MPI_Get_count(&st, MPI_CHAR, &n);
    std::vector<char> buf(static_cast<size_t>(n) + 1);
    MPI_Recv(buf.data(), n, MPI_CHAR, st.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    payload.assign(buf.data(), static_cast<size_t>(n));
    return st.MPI_SOURCE;
}

// Rank 0's bookkeeping of the workers. Every worker that has not been told to stop either has
// a request in flight (sent or about to be) or, if `waiting`, one received and not answered.
struct Workers {
    int size = 0;
    std::vector<bool> stopped, waiting;
    explicit Workers(int n) : size(n), stopped(static_cast<size_t>(n), false), waiting(static_cast<size_t>(n), false) {}

    // Tells every worker to stop, after its current point if it has one (whose row is dropped:
    // only reached once the sweep is finished or has failed). Never throws.
    void release() {
        for (int w = 1; w < size; ++w) {
            if (stopped[static_cast<size_t>(w)] || !waiting[static_cast<size_t>(w)]) continue;
            sendIndex(w, -1);
            stopped[static_cast<size_t>(w)] = true;
        }
        for (;;) {
            bool left = false;
            for (int w = 1; w < size; ++w) left = left || !stopped[static_cast<size_t>(w)];
            if (!left) break;
            std::string payload;
            const int w = receiveRequest(payload);
            sendIndex(w, -1);
            stopped[static_cast<size_t>(w)] = true;
        }
    }
};

// The coordinator's side of runSweep: deal `todo`, hand back every row (on this thread, which
// alone calls MPI and writes). Rank 0 also computes points on a local thread, so that R ranks
// give R workers; it takes points from the same counter as the remote ranks.
void coordinate(Workers& workers, const SweepSpec& spec, const std::vector<int>& todo,
                const std::function<void(const SweepRow&)>& finished) {
    std::mutex mutex;
    size_t next = 0, outstanding = 0;   // next point to deal; points dealt to remote ranks and not back
    std::vector<SweepRow> local_done;   // rows the local thread finished, not yet handed back
    bool local_running = true;
    auto take = [&]() -> int {          // under mutex
        return next < todo.size() ? todo[next++] : -1;
    };
    std::thread local([&] {
        const std::vector<SweepPoint> points = calcSweepPoints(spec);
        const Scenario base = sweepBaseScenario(spec);
        SweepModelCache cache;
        for (;;) {
            int index;
            {
                std::lock_guard<std::mutex> lock(mutex);
                index = take();
                if (index < 0) { local_running = false; return; }
            }
            SweepRow row;
            const SweepPoint& p = points[static_cast<size_t>(index)];
            try {
                row = runSweepPoint(p, sweepPointScenario(base, p), cache);
            } catch (const std::exception& e) {
                row = SweepRow();
                row.index = index;
                row.status = RunStatus::failed(std::string("error: ") + e.what());
            }
            std::lock_guard<std::mutex> lock(mutex);
            local_done.push_back(row);
        }
    });
    auto handBack = [&] {
        std::vector<SweepRow> rows;
        {
            std::lock_guard<std::mutex> lock(mutex);
            rows.swap(local_done);
        }
        for (const SweepRow& r : rows) finished(r);
    };
    try {
        for (;;) {
            handBack();
            bool done;
            {
                std::lock_guard<std::mutex> lock(mutex);
                done = next >= todo.size() && outstanding == 0 && !local_running && local_done.empty();
            }
            if (done) break;
            std::string payload;
            const int w = receiveRequest(payload, false);
            if (w < 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                continue;
            }
            workers.waiting[static_cast<size_t>(w)] = true;
            // Answer first, so the worker computes while this rank writes the journal.
            int index;
            {
                std::lock_guard<std::mutex> lock(mutex);
                index = take();
                if (index >= 0) ++outstanding;
            }
            sendIndex(w, index);
            if (index < 0) workers.stopped[static_cast<size_t>(w)] = true;
            workers.waiting[static_cast<size_t>(w)] = false;
            if (payload.empty()) continue;   // a first request
            {
                std::lock_guard<std::mutex> lock(mutex);
                --outstanding;
            }
            SweepRow row;
            if (!parseJournalRecord(payload, row))
                throw std::runtime_error("MPI sweep: corrupt row from rank " + std::to_string(w));
            finished(row);
        }
    } catch (...) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            next = todo.size();   // the local thread stops after its current point
        }
        local.join();
        throw;
    }
    local.join();
    handBack();
}

// A worker: ask, compute, send back, until told to stop. The spec is read on the first point
// (not before the first request, so that rank 0 can always release this rank).
void work(const std::string& spec_file) {
    std::string line;   // the last point's journal line, without its newline
    bool loaded = false;
    std::string load_error;
    std::vector<SweepPoint> points;
    Scenario base;
    SweepModelCache cache;   // this rank's models, reused across its points (sweep.h)
    for (;;) {
        MPI_Send(line.data(), static_cast<int>(line.size()), MPI_CHAR, 0, kTagRequest, MPI_COMM_WORLD);
        int index = -1;
        MPI_Recv(&index, 1, MPI_INT, 0, kTagAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (index < 0) return;
        if (!loaded) {
            loaded = true;
            try {
                const SweepSpec spec = readSweepSpec(spec_file);
                points = calcSweepPoints(spec);
                base = sweepBaseScenario(spec);
            } catch (const std::exception& e) {
                load_error = std::string("error: ") + e.what();
            }
        }
        SweepRow row;
        row.index = index;
        if (!load_error.empty() || index >= static_cast<int>(points.size())) {
            row.status = RunStatus::failed(load_error.empty() ? "error: point index out of range on this rank" : load_error);
        } else {
            const SweepPoint& p = points[static_cast<size_t>(index)];
            try {
                row = runSweepPoint(p, sweepPointScenario(base, p), cache);
            } catch (const std::exception& e) {   // as the threaded workers do
                row = SweepRow();
                row.index = index;
                row.status = RunStatus::failed(std::string("error: ") + e.what());
            }
        }
        line = formatJournalRecord(row);
        line.pop_back();   // the newline
    }
}

}  // namespace

bool launchedByMpi() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(v)) return true;
    return false;
}

MpiSession::MpiSession() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

SweepReport runSweepMpi(const std::string& spec_file, const SweepOptions& options) {
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank != 0) {
        work(spec_file);
        return SweepReport();
    }
    Workers workers(size);
    SweepReport report;
    try {
        const SweepSpec spec = readSweepSpec(spec_file);
        if (options.save == SweepSave::Timeseries)
            throw UserError("--save=timeseries is not available under MPI (ranks > 0 write no files); run it without mpirun");
        SweepOptions o = options;
        o.compute = [&workers, &spec](const std::vector<int>& todo, const std::function<void(const SweepRow&)>& finished) {
            coordinate(workers, spec, todo, finished);
        };
        report = runSweep(spec, o);
    } catch (...) {
        workers.release();
        throw;
    }
    workers.release();
    return report;
}

}  // namespace corestride
