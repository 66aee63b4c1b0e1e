#include "job_queue.h"

#include <algorithm>
#include <atomic>

namespace corestride {

using Clock = std::chrono::steady_clock;

struct JobQueue::Job {
    long id = 0;
    Work work;
    State state = State::Queued;
    double progress = 0;
    std::string error;
    std::shared_ptr<const Output> output;
    Clock::time_point started, ended;
    std::atomic<bool> cancel{false};
    std::string stop_reason = "cancelled";   // under the queue's mutex
};

const char* JobQueue::stateName(State s) {
    switch (s) {
        case State::Queued: return "queued";
        case State::Running: return "running";
        case State::Done: return "done";
        case State::Failed: return "failed";
        case State::Cancelled: return "cancelled";
    }
    return "?";
}

JobQueue::JobQueue(const JobQueueOptions& options) : options_(options) {
    options_.workers = std::max(1, options_.workers);
    options_.max_waiting = std::max(0, options_.max_waiting);
    for (int k = 0; k < options_.workers; ++k) workers_.emplace_back([this] { workLoop(); });
}

JobQueue::~JobQueue() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        for (auto& [id, job] : jobs_) job->cancel = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
}

long JobQueue::submit(Work work) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || static_cast<int>(waiting_.size()) + running_ >= options_.workers + options_.max_waiting) return 0;
    auto job = std::make_shared<Job>();
    job->id = next_id_++;
    job->work = std::move(work);
    jobs_[job->id] = job;
    waiting_.push_back(job);
    wake_.notify_one();
    return job->id;
}

bool JobQueue::find(long id, Snapshot& out) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) return false;
    const Job& j = *it->second;
    out.state = j.state;
    out.progress = j.progress;
    out.error = j.error;
    out.output = j.output;
    const bool ended = j.state == State::Done || j.state == State::Failed || (j.state == State::Cancelled && j.ended > j.started);
    out.elapsed_s = j.state == State::Queued || (j.state == State::Cancelled && !ended)
                        ? 0
                        : std::chrono::duration<double>((ended ? j.ended : Clock::now()) - j.started).count();
    return true;
}

bool JobQueue::cancel(long id) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) return false;
    Job& j = *it->second;
    if (j.state == State::Queued) {
        waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), it->second), waiting_.end());
        j.state = State::Cancelled;
        j.error = "cancelled before it started";
        j.work = nullptr;
        finished_.push_back(id);
        forgetOldFinished();
        return true;
    }
    if (j.state != State::Running) return false;
    j.cancel = true;
    return true;
}

int JobQueue::active() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(waiting_.size()) + running_;
}

void JobQueue::forgetOldFinished() {
    while (finished_.size() > options_.keep_finished) {
        jobs_.erase(finished_.front());
        finished_.pop_front();
    }
}

void JobQueue::workLoop() {
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
            if (stopping_) return;
            job = waiting_.front();
            waiting_.pop_front();
            job->state = State::Running;
            job->started = Clock::now();
            ++running_;
        }
        const double limit = options_.time_limit_s;
        // The work may catch the exception (a simulation records it as its failure): the flag
        // and the reason stay on the job, and the job ends as stopped all the same.
        auto progress = [this, &job, limit](double f) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!job->cancel && std::chrono::duration<double>(Clock::now() - job->started).count() > limit) {
                job->stop_reason = "stopped at the time limit of " + std::to_string(static_cast<long>(limit)) + " s";
                job->cancel = true;
            }
            if (job->cancel) throw JobStopped(job->stop_reason);
            job->progress = std::clamp(f, 0.0, 1.0);
        };
        State state = State::Done;
        std::string error;
        std::shared_ptr<const Output> output;
        try {
            output = std::make_shared<const Output>(job->work(progress));
            // A job that caught the exception, or ignored its callback to the end, is still
            // stopped if it was asked to.
            if (job->cancel) {
                std::lock_guard<std::mutex> lock(mutex_);
                throw JobStopped(job->stop_reason);
            }
        } catch (const JobStopped& e) {
            state = State::Cancelled;
            error = e.what();
            output.reset();
        } catch (const std::exception& e) {
            state = State::Failed;
            error = e.what();
        }
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
        job->ended = Clock::now();
        job->state = state;
        job->error = error;
        job->output = output;
        if (state == State::Done) job->progress = 1;
        job->work = nullptr;   // frees what the job captured
        finished_.push_back(job->id);
        forgetOldFinished();
    }
}

}  // namespace corestride
