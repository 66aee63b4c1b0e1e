// The explorer's runs (`corestride serve`, docs/explorer.md): a bounded queue of jobs worked
// by a fixed number of threads, each job cancellable and with a time limit, and a bounded
// memory of finished jobs. A job is a function that reports its progress through a callback;
// the callback throws JobStopped when the job was cancelled or ran out of time, so that the
// work stops at its next progress report (a simulation reports every few control intervals).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace corestride {

// Thrown by a job's progress callback to stop it; what() says why.
class JobStopped : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct JobQueueOptions {
    int workers = 1;                  // jobs worked at once
    int max_waiting = 2;              // jobs accepted beyond those being worked; more: refused
    double time_limit_s = 120;        // a job still working after this is stopped
    std::size_t keep_finished = 16;   // finished jobs remembered (oldest forgotten first)
};

class JobQueue {
public:
    // What a job produces: its result text (JSON) and its files by name, each made when asked
    // for (the job's result is ready before its files are written).
    struct Output {
        std::string json;
        std::map<std::string, std::function<std::string()>> files;
    };
    using Work = std::function<Output(const std::function<void(double)>& progress)>;

    enum class State { Queued, Running, Done, Failed, Cancelled };
    struct Snapshot {
        State state = State::Queued;
        double progress = 0;          // 0..1
        double elapsed_s = 0;         // working time: since it started, or until it ended (0 while queued)
        std::string error;            // Failed or Cancelled: why
        std::shared_ptr<const Output> output;   // Done
    };

    explicit JobQueue(const JobQueueOptions& options);
    ~JobQueue();                      // stops every job and joins the workers
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    // Accepts a job and returns its id (from 1), or 0 when the queue is full.
    long submit(Work work);
    // The job's state; false when no such job is known (never submitted, or forgotten).
    bool find(long id, Snapshot& out) const;
    // Asks a queued or running job to stop; false when it is unknown or already finished.
    bool cancel(long id);
    // Jobs queued or running.
    int active() const;

    static const char* stateName(State s);

private:
    struct Job;
    void workLoop();
    void forgetOldFinished();

    JobQueueOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<Job>> waiting_;
    std::map<long, std::shared_ptr<Job>> jobs_;
    std::deque<long> finished_;
    long next_id_ = 1;
    int running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace corestride
