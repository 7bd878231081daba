// The shared worker pool: every item once, failures carried to the caller, higher priorities first
// (also between the items of a running batch), withdrawn tasks never run, no deadlock when a pool
// task runs a batch of its own, and never more threads at work than the pool has.
#include "support/catch.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/runtime/worker_pool.h"

using optiviz::Priority;
using optiviz::WorkerPool;

namespace {

// Holds a worker until opened.
class Gate {
public:
    void open() {
        std::lock_guard<std::mutex> lock(mutex_);
        open_ = true;
        cv_.notify_all();
    }
    void pass() {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;
};

// What ran, in order.
class Log {
public:
    void add(const std::string& what) {
        std::lock_guard<std::mutex> lock(mutex_);
        entries_.push_back(what);
    }
    std::vector<std::string> entries() {
        std::lock_guard<std::mutex> lock(mutex_);
        return entries_;
    }

private:
    std::mutex mutex_;
    std::vector<std::string> entries_;
};

}  // namespace

TEST_CASE("parallel_for calls every item exactly once, whatever the width", "[pool]") {
    WorkerPool pool(3);
    for (std::size_t count : {0u, 1u, 2u, 7u, 1000u})
        for (std::size_t width : {0u, 1u, 2u, 5u}) {
            std::vector<std::atomic<int>> calls(count);
            pool.parallel_for(count, [&](std::size_t i) { calls[i].fetch_add(1); }, Priority::Normal, width);
            for (std::size_t i = 0; i < count; ++i) REQUIRE(calls[i].load() == 1);
        }
}

TEST_CASE("a failing item reaches the caller and the pool goes on", "[pool]") {
    WorkerPool pool(2);
    std::atomic<int> ran{0};
    std::atomic<bool> thrown{false};
    CHECK_THROWS_WITH(pool.parallel_for(100,
                                        [&](std::size_t i) {
                                            ran.fetch_add(1);
                                            if (i == 3) {
                                                thrown = true;
                                                throw std::runtime_error("item 3 failed");
                                            }
                                            if (i > 3) {  // items after the failure give it time to land
                                                while (!thrown) std::this_thread::yield();
                                                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                                            }
                                        }),
                      "item 3 failed");
    CHECK(ran.load() < 10);  // items not yet begun were skipped
    std::atomic<int> after{0};
    pool.parallel_for(10, [&](std::size_t) { after.fetch_add(1); });
    CHECK(after.load() == 10);
}

TEST_CASE("a pool task that runs a batch of its own finishes even when every worker is in one", "[pool]") {
    WorkerPool pool(2);
    std::atomic<long> sum{0};
    std::vector<std::shared_ptr<WorkerPool::Ticket>> tickets;
    for (int t = 0; t < 4; ++t)
        tickets.push_back(pool.submit(
            [&] { pool.parallel_for(50, [&](std::size_t i) { sum.fetch_add(static_cast<long>(i)); }); },
            Priority::Normal));
    for (auto& ticket : tickets) ticket->wait();
    CHECK(sum.load() == 4 * (49 * 50 / 2));
}

TEST_CASE("queued work runs highest priority first, oldest first within a priority", "[pool]") {
    WorkerPool pool(1);
    Gate gate;
    Log log;
    auto blocker = pool.submit([&] { gate.pass(); }, Priority::Interactive);
    std::vector<std::shared_ptr<WorkerPool::Ticket>> tickets;
    tickets.push_back(pool.submit([&] { log.add("background 1"); }, Priority::Background));
    tickets.push_back(pool.submit([&] { log.add("normal 1"); }, Priority::Normal));
    tickets.push_back(pool.submit([&] { log.add("interactive"); }, Priority::Interactive));
    tickets.push_back(pool.submit([&] { log.add("normal 2"); }, Priority::Normal));
    tickets.push_back(pool.submit([&] { log.add("background 2"); }, Priority::Background));
    gate.open();
    for (auto& ticket : tickets) ticket->wait();
    blocker->wait();
    CHECK(log.entries() ==
          std::vector<std::string>{"interactive", "normal 1", "normal 2", "background 1", "background 2"});
}

TEST_CASE("a worker takes higher-priority work between the items of its batch", "[pool]") {
    // Width 0: the batch is shared out (the pool's other worker is held, so the order is known);
    // width 1: its caller runs it alone.
    for (std::size_t width : {0u, 1u}) {
        WorkerPool pool(2);
        Gate gate;
        std::atomic<bool> held{false};
        auto blocker = pool.submit(
            [&] {
                held = true;
                gate.pass();
            },
            Priority::Interactive);
        while (!held) std::this_thread::yield();
        Log log;
        std::shared_ptr<WorkerPool::Ticket> urgent;
        auto background = pool.submit(
            [&] {
                pool.parallel_for(
                    20,
                    [&](std::size_t i) {
                        log.add("item");
                        if (i == 4) urgent = pool.submit([&] { log.add("urgent"); }, Priority::Interactive);
                    },
                    Priority::Background, width);
            },
            Priority::Background);
        background->wait();
        gate.open();
        blocker->wait();
        const auto entries = log.entries();
        REQUIRE(entries.size() == 21);
        CHECK(entries[5] == "urgent");  // right after the item that asked for it, not after all 20
    }
}

TEST_CASE("a withdrawn task never runs; a begun one cannot be withdrawn", "[pool]") {
    WorkerPool pool(1);
    Gate gate;
    std::atomic<bool> started{false};
    auto blocker = pool.submit(
        [&] {
            started = true;
            gate.pass();
        },
        Priority::Normal);
    std::atomic<bool> ran{false};
    auto queued = pool.submit([&] { ran = true; }, Priority::Normal);
    CHECK(pool.withdraw(queued));
    CHECK(queued->finished());
    while (!started) std::this_thread::yield();
    CHECK_FALSE(pool.withdraw(blocker));
    gate.open();
    blocker->wait();
    pool.parallel_for(4, [](std::size_t) {});  // the queue has moved past the withdrawn task
    CHECK_FALSE(ran.load());
}

TEST_CASE("a caller outside the pool never has more items running than the pool has workers", "[pool]") {
    WorkerPool pool(2);
    std::atomic<int> running{0}, most{0};
    pool.parallel_for(
        40,
        [&](std::size_t) {
            const int now = running.fetch_add(1) + 1;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            running.fetch_sub(1);
        },
        Priority::Normal, 8);
    CHECK(most.load() >= 1);
    CHECK(most.load() <= 2);
    CHECK_FALSE(pool.on_worker());
}

TEST_CASE("work started by pool work inherits its priority", "[pool]") {
    WorkerPool pool(1);
    CHECK(WorkerPool::current_priority() == Priority::Normal);
    std::atomic<int> seen_outer{-1}, seen_inner{-1};
    pool.submit(
            [&] {
                seen_outer = static_cast<int>(WorkerPool::current_priority());
                pool.parallel_for(2, [&](std::size_t) {
                    seen_inner = static_cast<int>(WorkerPool::current_priority());
                });
            },
            Priority::Background)
        ->wait();
    CHECK(seen_outer.load() == static_cast<int>(Priority::Background));
    CHECK(seen_inner.load() == static_cast<int>(Priority::Background));
}
