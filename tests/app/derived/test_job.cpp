// Jobs run as tasks of the shared worker pool: no thread of their own, work that had not begun is
// withdrawn when cancelled (it never runs and holds no worker), and the pool runs the job the user
// is looking at first.
#include "support/catch.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/derived/job.h"
#include "core/runtime/worker_pool.h"

using namespace optiviz;

namespace {

// Holds every worker of the shared pool until released, so a test knows what is queued.
class PoolHold {
public:
    PoolHold() {
        WorkerPool& pool = WorkerPool::shared();
        for (unsigned w = 0; w < pool.size(); ++w)
            tickets_.push_back(pool.submit(
                [this] {
                    std::unique_lock<std::mutex> lock(mutex_);
                    ++held_;
                    cv_.notify_all();
                    cv_.wait(lock, [this] { return released_ || let_go_ > 0; });
                    if (!released_) --let_go_;
                },
                Priority::Interactive));
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return held_ == pool.size(); });
    }
    ~PoolHold() { release(); }
    // Frees one worker; the others stay held.
    void release_one() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++let_go_;
        }
        cv_.notify_all();
    }
    void release() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            released_ = true;
        }
        cv_.notify_all();
        for (auto& ticket : tickets_) ticket->wait();
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    unsigned held_ = 0;
    bool released_ = false;
    unsigned let_go_ = 0;
    std::vector<std::shared_ptr<WorkerPool::Ticket>> tickets_;
};

}  // namespace

TEST_CASE("a cancelled job that had not begun never runs and holds nothing", "[app][jobs][pool]") {
    std::atomic<bool> ran{false};
    app::Job<int> job;
    {
        PoolHold hold;
        job.start([&](const std::atomic<bool>&, std::atomic<long>&) {
            ran = true;
            return 1;
        });
        CHECK(job.threads() == 1);
        job.cancel();
        CHECK_FALSE(job.pending());
        job.start([](const std::atomic<bool>&, std::atomic<long>&) { return 2; });
        CHECK(job.threads() == 1);  // the withdrawn one is forgotten at once
    }
    REQUIRE(job.wait_for(std::chrono::seconds(20)));
    auto outcome = job.take();
    REQUIRE(outcome);
    CHECK(*outcome->result == 2);
    CHECK_FALSE(ran.load());
    CHECK(job.threads() == 0);
}

TEST_CASE("queued jobs begin in priority order", "[app][jobs][pool]") {
    std::mutex mutex;
    std::vector<std::string> order;
    auto note = [&](const char* what) {
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(what);
    };
    app::Job<int> background, normal, interactive;
    {
        PoolHold hold;
        background.start([&](const std::atomic<bool>&, std::atomic<long>&) { note("background"); return 0; }, 0,
                         Priority::Background);
        normal.start([&](const std::atomic<bool>&, std::atomic<long>&) { note("normal"); return 0; });
        interactive.start([&](const std::atomic<bool>&, std::atomic<long>&) { note("interactive"); return 0; }, 0,
                          Priority::Interactive);
        hold.release_one();  // one worker takes the queue in its order; the others stay held
        REQUIRE(background.wait_for(std::chrono::seconds(20)));
    }
    for (auto* job : {&background, &normal, &interactive}) REQUIRE(job->wait_for(std::chrono::seconds(20)));
    CHECK(order == std::vector<std::string>{"interactive", "normal", "background"});
}

TEST_CASE("a job destroyed while its work waits in the queue returns at once", "[app][jobs][pool]") {
    std::atomic<bool> ran{false};
    PoolHold hold;
    {
        app::Job<int> job;
        job.start([&](const std::atomic<bool>&, std::atomic<long>&) {
            ran = true;
            return 1;
        });
    }  // would wait forever for a held pool if it waited for work that had not begun
    hold.release();
    CHECK_FALSE(ran.load());
}
