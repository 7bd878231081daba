// One pool of compute threads for the whole program, sized to the machine, shared by every kind of
// heavy work: ensembles, sweeps, basin maps, clouds and tuning (and, in the window, the background
// jobs that start them). Before it, each of those started hardware_concurrency() threads of its own,
// so a window computing runs, clouds, a basin map and a sweep at once ran four times as many
// threads as the machine has cores.
//
// Work comes as batches of items (parallel_for) with a priority. An idle worker takes the
// highest-priority batch that still has items, oldest first. A worker inside a batch looks at the
// queue between items and runs work of a higher priority first, so what the user is looking at
// waits at most one item of anything else (items are chunks of a few milliseconds).
//
// Deadlock-free by construction: a caller waits only for items that some thread has already begun,
// and a pool thread that calls parallel_for (a job that runs an ensemble) works on its own batch
// instead of waiting for a free worker. A thread outside the pool (the main thread of a command, a
// test) only waits, so at most size() threads compute at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace optiviz {

// Higher runs first.
enum class Priority : int {
    Background = 0,   // what no view shows yet (prefetch, exports)
    Normal = 1,       // maps and analyses on screen
    Interactive = 2,  // what follows the user's hand: the runs while a slider moves
};

class WorkerPool {
public:
    // A pool of `threads` workers (at least one).
    explicit WorkerPool(unsigned threads);
    // Stops the workers once the queue is empty and joins them.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // The program's pool: hardware_concurrency() workers, created on first use.
    static WorkerPool& shared();

    unsigned size() const { return static_cast<unsigned>(workers_.size()); }

    // Calls body(i) once for each i in [0, count) and returns when every call has returned. At most
    // `width` items run at once (0: size()); a call from a pool thread counts itself among them.
    // If a call throws, items not yet begun are skipped and the first exception is rethrown here,
    // after every begun item has returned.
    // Unset priority: the priority of the pool work that calls it (Normal outside the pool), so an
    // ensemble run by a background job queues as background work.
    void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body,
                      std::optional<Priority> priority = std::nullopt, std::size_t width = 0);

    // A task run once on a pool thread, not waited for. The ticket lets its owner withdraw it while
    // it has not begun (a cancelled job then costs no worker) or wait until it has returned.
    class Ticket;
    std::shared_ptr<Ticket> submit(std::function<void()> task, Priority priority);
    // True when the task will never run (it had not begun); false when it has begun or returned.
    bool withdraw(const std::shared_ptr<Ticket>& ticket);

    // True on one of this pool's threads.
    bool on_worker() const;
    // The priority of the pool work this thread is running (Normal outside the pool).
    static Priority current_priority();
    // Whether this thread may wait for another. False only on the browser's main thread in the
    // page's threaded build (emscripten -pthread): a wait there stalls the page's frames (and
    // emscripten would busy-wait), so there parallel_for runs its items itself, Interactive tasks
    // run at once inside submit(), and nothing waits for a ticket (app/derived/job.h asks this).
    static bool may_block();

private:
    struct Batch;
    struct Entry {
        std::shared_ptr<Batch> batch;
        int priority;
        unsigned long order;
    };

    void worker_loop();
    // Runs items of `batch` on this thread until none is left to begin (or one failed), taking
    // higher-priority work in between.
    void work_on(Batch& batch);
    // Runs one queued entry whose priority is above `above`, if there is one; true if it ran one.
    bool run_higher(int above);
    void enqueue(const std::shared_ptr<Batch>& batch, std::size_t copies);
    std::shared_ptr<Batch> pop_locked();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Entry> queue_;  // a heap: highest priority, then lowest order, on top
    unsigned long next_order_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

// What submit() hands back.
class WorkerPool::Ticket {
public:
    // Waits until the task has returned, or until it is known never to run.
    void wait();
    bool finished() const;

private:
    friend class WorkerPool;
    std::shared_ptr<Batch> batch_;
};

}  // namespace optiviz
