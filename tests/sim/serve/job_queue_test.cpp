// The explorer's run queue (serve/job_queue.h): bounded, cancellable, time-limited, and it
// forgets old finished jobs so that memory stays bounded.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "job_queue.h"

using namespace corestride;

namespace {

// A job that reports progress every millisecond until released (or stopped).
JobQueue::Work spinning(std::atomic<bool>& release, int* steps = nullptr) {
    return [&release, steps](const std::function<void(double)>& progress) {
        int k = 0;
        while (!release) {
            progress(0.5);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            ++k;
        }
        if (steps) *steps = k;
        return JobQueue::Output{"{\"k\":" + std::to_string(k) + "}", {{"x", [] { return std::string("bytes"); }}}};
    };
}

// A job that swallows every exception of its callback (as a simulation records its own
// failures) and then returns normally.
JobQueue::Work swallowing(std::atomic<bool>& started) {
    return [&started](const std::function<void(double)>& progress) {
        started = true;
        for (int k = 0; k < 100000; ++k) {
            try {
                progress(0.1);
            } catch (const std::exception&) {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return JobQueue::Output{"{}", {}};
    };
}

JobQueue::Snapshot waitEnd(const JobQueue& q, long id) {
    JobQueue::Snapshot s;
    for (int k = 0; k < 5000; ++k) {
        REQUIRE(q.find(id, s));
        if (s.state != JobQueue::State::Queued && s.state != JobQueue::State::Running) return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    FAIL("job " << id << " did not end");
    return s;
}

void waitRunning(const JobQueue& q, long id) {
    JobQueue::Snapshot s;
    for (int k = 0; k < 5000; ++k) {
        REQUIRE(q.find(id, s));
        if (s.state == JobQueue::State::Running) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    FAIL("job " << id << " did not start");
}

}  // namespace

TEST_CASE("job queue: runs a job and keeps its output", "[serve]") {
    JobQueue q(JobQueueOptions{});
    const long id = q.submit([](const std::function<void(double)>& progress) {
        progress(0.5);
        return JobQueue::Output{"{}", {{"result.h5", [] { return std::string("abc"); }}}};
    });
    REQUIRE(id == 1);
    const JobQueue::Snapshot s = waitEnd(q, id);
    CHECK(s.state == JobQueue::State::Done);
    CHECK(s.progress == 1);
    REQUIRE(s.output);
    CHECK(s.output->files.at("result.h5")() == "abc");
    const double worked = s.elapsed_s;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    JobQueue::Snapshot later;
    REQUIRE(q.find(id, later));
    CHECK(later.elapsed_s == worked);   // an ended job's working time stays put
    JobQueue::Snapshot none;
    CHECK_FALSE(q.find(99, none));
}

TEST_CASE("job queue: refuses jobs beyond workers plus waiting places, takes them again later", "[serve]") {
    JobQueueOptions o;
    o.workers = 2;
    o.max_waiting = 1;
    JobQueue q(o);
    std::atomic<bool> release{false};
    std::vector<long> ids;
    for (int k = 0; k < 3; ++k) ids.push_back(q.submit(spinning(release)));
    CHECK(ids == std::vector<long>{1, 2, 3});
    CHECK(q.submit(spinning(release)) == 0);   // full: 2 working, 1 waiting
    CHECK(q.active() == 3);
    release = true;
    for (long id : ids) CHECK(waitEnd(q, id).state == JobQueue::State::Done);
    CHECK(q.active() == 0);
    CHECK(q.submit(spinning(release)) == 4);
}

TEST_CASE("job queue: a cancelled job stops at its next progress report, also when it catches the exception", "[serve]") {
    JobQueue q(JobQueueOptions{});
    std::atomic<bool> release{false};
    const long a = q.submit(spinning(release));
    std::atomic<bool> started{false};
    const long b = q.submit(swallowing(started));
    waitRunning(q, a);
    CHECK(q.cancel(b));   // still queued behind a: cancelled before it starts
    CHECK(waitEnd(q, b).state == JobQueue::State::Cancelled);
    CHECK_FALSE(started);
    CHECK(waitEnd(q, b).error == "cancelled before it started");
    CHECK(q.cancel(a));
    const JobQueue::Snapshot s = waitEnd(q, a);
    CHECK(s.state == JobQueue::State::Cancelled);
    CHECK(s.error == "cancelled");
    CHECK_FALSE(s.output);
    CHECK_FALSE(q.cancel(a));   // already ended
    const long c = q.submit(swallowing(started));
    for (int k = 0; k < 1000 && !started; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(q.cancel(c));
    CHECK(waitEnd(q, c).state == JobQueue::State::Cancelled);
}

TEST_CASE("job queue: the time limit stops a job, failures are recorded, old jobs are forgotten", "[serve]") {
    JobQueueOptions o;
    o.time_limit_s = 0.05;
    o.keep_finished = 3;
    JobQueue q(o);
    std::atomic<bool> release{false};
    const long slow = q.submit(spinning(release));
    const JobQueue::Snapshot s = waitEnd(q, slow);
    CHECK(s.state == JobQueue::State::Cancelled);
    CHECK(s.error == "stopped at the time limit of 0 s");
    CHECK(s.elapsed_s >= 0.05);
    const long bad = q.submit([](const std::function<void(double)>&) -> JobQueue::Output {
        throw std::runtime_error("no model");
    });
    const JobQueue::Snapshot f = waitEnd(q, bad);
    CHECK(f.state == JobQueue::State::Failed);
    CHECK(f.error == "no model");
    std::vector<long> ids;
    for (int k = 0; k < 4; ++k) {
        ids.push_back(q.submit([](const std::function<void(double)>&) { return JobQueue::Output{"{}", {}}; }));
        waitEnd(q, ids.back());
    }
    JobQueue::Snapshot x;
    CHECK_FALSE(q.find(slow, x));   // forgotten: only the last 3 finished jobs are kept
    CHECK_FALSE(q.find(ids[0], x));
    CHECK(q.find(ids[3], x));
}
