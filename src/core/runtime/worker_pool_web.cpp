// WorkerPool for the browser build, without threads (see worker_pool_web.h); the desktop's is
// worker_pool.cpp. The same header and contract, with "a worker" being the page's main thread.
#include "core/runtime/worker_pool_web.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "core/runtime/worker_pool.h"

namespace optiviz {

namespace {

// One submitted task. A withdrawn task counts as done: it will never run.
struct QueuedTask {
    std::function<void()> task;
    int priority = 0;
    unsigned long order = 0;
    bool begun = false, done = false;
};

std::vector<std::shared_ptr<QueuedTask>> queue;  // not begun, in submission order
unsigned long next_order = 0;
int current_level = static_cast<int>(Priority::Normal);
int running_depth = 0;  // > 0 while a pool task runs

void run_task(QueuedTask& task) {
    task.begun = true;
    std::erase_if(queue, [&](const std::shared_ptr<QueuedTask>& queued) { return queued.get() == &task; });
    const int saved = current_level;
    current_level = task.priority;
    ++running_depth;
    try {
        task.task();
    } catch (...) {
        // As on the desktop, a submitted task's exception stays with it (Job turns its own into
        // messages before it gets here).
    }
    --running_depth;
    current_level = saved;
    task.done = true;
}

}  // namespace

struct WorkerPool::Batch : QueuedTask {};

bool run_queued_work(std::chrono::steady_clock::duration budget) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    bool ran = false;
    while (!queue.empty() && (!ran || std::chrono::steady_clock::now() < deadline)) {
        const auto next = std::min_element(queue.begin(), queue.end(), [](const auto& a, const auto& b) {
            return a->priority != b->priority ? a->priority > b->priority : a->order < b->order;
        });
        const std::shared_ptr<QueuedTask> task = *next;  // run_task takes it off the queue
        run_task(*task);
        ran = true;
    }
    return ran;
}

// One "worker": an empty std::thread standing for the page's thread, so size() is 1.
WorkerPool::WorkerPool(unsigned) { workers_.emplace_back(); }

WorkerPool::~WorkerPool() = default;

WorkerPool& WorkerPool::shared() {
    static WorkerPool pool(1);
    return pool;
}

bool WorkerPool::on_worker() const { return running_depth > 0; }

Priority WorkerPool::current_priority() { return static_cast<Priority>(current_level); }

// No other thread: every wait here runs the work it waits for.
bool WorkerPool::may_block() { return true; }

void WorkerPool::parallel_for(std::size_t count, const std::function<void(std::size_t)>& body, std::optional<Priority>,
                              std::size_t) {
    for (std::size_t i = 0; i < count; ++i) body(i);  // an exception skips the items after it, as on the desktop
}

std::shared_ptr<WorkerPool::Ticket> WorkerPool::submit(std::function<void()> task, Priority priority) {
    auto batch = std::make_shared<Batch>();
    batch->task = std::move(task);
    batch->priority = static_cast<int>(priority);
    batch->order = next_order++;
    auto ticket = std::make_shared<Ticket>();
    ticket->batch_ = batch;
    if (priority == Priority::Interactive) {
        run_task(*batch);
    } else {
        queue.push_back(batch);
    }
    return ticket;
}

bool WorkerPool::withdraw(const std::shared_ptr<Ticket>& ticket) {
    QueuedTask& task = *ticket->batch_;
    if (task.begun) return false;
    task.begun = task.done = true;
    std::erase_if(queue, [&](const std::shared_ptr<QueuedTask>& queued) { return queued.get() == &task; });
    return true;
}

// Waiting for a task that has not begun runs it now: nobody else ever would.
void WorkerPool::Ticket::wait() {
    if (!batch_->begun) run_task(*batch_);
}

bool WorkerPool::Ticket::finished() const { return batch_->done; }

}  // namespace optiviz
