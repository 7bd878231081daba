#include "core/runtime/worker_pool.h"

#include <algorithm>
#include <atomic>

#ifdef __EMSCRIPTEN_PTHREADS__
#include <emscripten/threading.h>

#include "core/runtime/worker_pool_web.h"
#endif

namespace optiviz {

namespace {
// The pool whose worker this thread is, if any.
thread_local const WorkerPool* current_pool = nullptr;
// The priority of the batch this thread is working on.
thread_local int current_level = static_cast<int>(Priority::Normal);

// Sets this thread's priority for the lifetime of a scope.
class LevelScope {
public:
    explicit LevelScope(int level) : saved_(current_level) { current_level = level; }
    ~LevelScope() { current_level = saved_; }
    LevelScope(const LevelScope&) = delete;
    LevelScope& operator=(const LevelScope&) = delete;

private:
    int saved_;
};
}  // namespace

// Items [0, count) of one body. `in_flight` counts the threads between "about to claim an item" and
// "done with it"; a batch is complete once no item is left to claim and none is in flight, which
// lets a waiter tell "every item has returned" from "every item has been claimed".
struct WorkerPool::Batch {
    const std::function<void(std::size_t)>* body = nullptr;
    std::function<void(std::size_t)> owned_body;  // submit()'s task lives here
    std::size_t count = 0;
    int priority = 0;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> in_flight{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex mutex;
    std::condition_variable done;

    bool exhausted() const { return next.load() >= count || failed.load(); }
    bool complete() const { return next.load() >= count && in_flight.load() == 0; }
    void release() {
        if (in_flight.fetch_sub(1) == 1 && next.load() >= count) {
            std::lock_guard<std::mutex> lock(mutex);
            done.notify_all();
        }
    }
    void wait() {
        std::unique_lock<std::mutex> lock(mutex);
        done.wait(lock, [this] { return complete(); });
    }
};

namespace {
// The heap's order: an entry is "less" when it should run later.
struct RunsLater {
    template <class E>
    bool operator()(const E& a, const E& b) const {
        if (a.priority != b.priority) return a.priority < b.priority;
        return a.order > b.order;
    }
};
}  // namespace

WorkerPool::WorkerPool(unsigned threads) {
    threads = std::max(1u, threads);
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

WorkerPool& WorkerPool::shared() {
#ifdef __EMSCRIPTEN_PTHREADS__
    // The page's threaded build: its Web Workers are made before main() (PTHREAD_POOL_SIZE in
    // web/web.cmake, the same count), one core is left to the page's own thread, which draws.
    constexpr unsigned kMostWorkers = 8;
    static WorkerPool pool(std::clamp(std::thread::hardware_concurrency(), 2u, kMostWorkers + 1) - 1);
#else
    static WorkerPool pool(std::max(1u, std::thread::hardware_concurrency()));
#endif
    return pool;
}

#ifdef __EMSCRIPTEN_PTHREADS__
// The page's threaded build queues nothing for its main thread: the workers take the queue.
bool run_queued_work(std::chrono::steady_clock::duration) { return false; }
#endif

bool WorkerPool::may_block() {
#ifdef __EMSCRIPTEN_PTHREADS__
    return !emscripten_is_main_browser_thread();
#else
    return true;
#endif
}

bool WorkerPool::on_worker() const { return current_pool == this; }

Priority WorkerPool::current_priority() { return static_cast<Priority>(current_level); }

void WorkerPool::worker_loop() {
    current_pool = this;
    for (;;) {
        std::shared_ptr<Batch> batch;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left to run
            batch = pop_locked();
        }
        if (batch) work_on(*batch);
    }
}

std::shared_ptr<WorkerPool::Batch> WorkerPool::pop_locked() {
    while (!queue_.empty()) {
        std::pop_heap(queue_.begin(), queue_.end(), RunsLater{});
        std::shared_ptr<Batch> batch = std::move(queue_.back().batch);
        queue_.pop_back();
        if (!batch->exhausted()) return batch;
    }
    return nullptr;
}

void WorkerPool::enqueue(const std::shared_ptr<Batch>& batch, std::size_t copies) {
    if (copies == 0) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (std::size_t c = 0; c < copies; ++c) {
            queue_.push_back({batch, batch->priority, next_order_++});
            std::push_heap(queue_.begin(), queue_.end(), RunsLater{});
        }
    }
    if (copies == 1)
        wake_.notify_one();
    else
        wake_.notify_all();
}

bool WorkerPool::run_higher(int above) {
    std::shared_ptr<Batch> batch;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (queue_.empty() || queue_.front().priority <= above) return false;
        batch = pop_locked();
    }
    if (!batch) return false;
    work_on(*batch);
    return true;
}

void WorkerPool::work_on(Batch& batch) {
    const LevelScope level(batch.priority);
    for (;;) {
        // Work of a higher priority first; an unlocked look at the heap's top would race, so the
        // look is under the lock, and cheap next to an item.
        while (run_higher(batch.priority)) {
        }
        if (batch.failed.load()) return;
        batch.in_flight.fetch_add(1);
        const std::size_t i = batch.next.fetch_add(1);
        if (i >= batch.count) {
            batch.release();
            return;
        }
        try {
            (*batch.body)(i);
        } catch (...) {
            {
                std::lock_guard<std::mutex> lock(batch.mutex);
                if (!batch.error) batch.error = std::current_exception();
            }
            batch.failed = true;
            batch.next.store(batch.count);  // nobody begins another item
        }
        batch.release();
    }
}

void WorkerPool::parallel_for(std::size_t count, const std::function<void(std::size_t)>& body,
                              std::optional<Priority> asked, std::size_t width) {
    if (count == 0) return;
    const Priority priority = asked.value_or(current_priority());
    if (width == 0) width = size();
    if (!may_block()) width = 1;  // the browser's main thread: the items run here, nobody is waited for
    const bool inside = on_worker();
    if (width == 1 || count == 1) {  // the calling thread alone, still giving way to higher priorities
        for (std::size_t i = 0; i < count; ++i) {
            if (inside)
                while (run_higher(static_cast<int>(priority))) {
                }
            body(i);
        }
        return;
    }
    auto batch = std::make_shared<Batch>();
    batch->body = &body;
    batch->count = count;
    batch->priority = static_cast<int>(priority);
    // A pool thread works on its own batch and invites width − 1 others; a thread outside the pool
    // invites up to `width` workers and waits.
    const std::size_t helpers = std::min({inside ? width - 1 : width, count - (inside ? 1 : 0),
                                          static_cast<std::size_t>(size())});
    enqueue(batch, helpers);
    if (inside) work_on(*batch);
    batch->wait();
    if (batch->error) std::rethrow_exception(batch->error);
}

std::shared_ptr<WorkerPool::Ticket> WorkerPool::submit(std::function<void()> task, Priority priority) {
    auto batch = std::make_shared<Batch>();
    batch->owned_body = [task = std::move(task)](std::size_t) { task(); };
    batch->body = &batch->owned_body;
    batch->count = 1;
    batch->priority = static_cast<int>(priority);
    auto ticket = std::make_shared<Ticket>();
    ticket->batch_ = batch;
    if (priority == Priority::Interactive && !may_block()) {
        // The browser's main thread asks for what follows the hand: computed now, inside the frame,
        // as the page without threads does, since that frame may not wait for a worker.
        work_on(*batch);
        return ticket;
    }
    enqueue(batch, 1);
    return ticket;
}

bool WorkerPool::withdraw(const std::shared_ptr<Ticket>& ticket) {
    Batch& batch = *ticket->batch_;
    batch.in_flight.fetch_add(1);
    const bool claimed = batch.next.fetch_add(1) == 0;  // the one item, now never to run
    batch.release();
    return claimed;
}

void WorkerPool::Ticket::wait() { batch_->wait(); }
bool WorkerPool::Ticket::finished() const { return batch_->complete(); }

}  // namespace optiviz
