// Work that can outlast a frame runs here, as a task of the shared WorkerPool (never a thread of its
// own), so the window keeps drawing and all background work together uses the machine's cores, not
// more: a job's priority orders it against the others.
//
// The UI thread never waits for work it no longer wants: start() cancels the previous work and
// leaves it to stop by itself (work checks its cancel flag every few milliseconds; work that had not
// begun is withdrawn from the pool's queue); only the Job's destructor waits, and only for begun
// work that was told to stop. Any exception thrown by the work
// becomes an error message for its caller: nothing escapes the thread, nothing calls std::terminate.
// The work must not touch application state: it gets copies or shared, immutable inputs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/runtime/worker_pool.h"

namespace optiviz::app {

template <class Result>
class Job {
public:
    using Work = std::function<Result(const std::atomic<bool>& cancel, std::atomic<long>& progress)>;

    // What finished work produced: a result or an error message, never both.
    struct Outcome {
        std::optional<Result> result;
        std::string error;
    };

    Job() = default;
    Job(const Job&) = delete;
    Job& operator=(const Job&) = delete;
    // Cancels everything and waits for begun work to return: only here does anyone wait, and only
    // for work that was told to stop.
    // (On the browser's main thread with threads, where nothing may wait: begun work is left to
    // stop by itself; the task holds what it uses, its shared state and its work.)
    ~Job() {
        cancel();
        for (Worker& worker : workers_)
            if (!WorkerPool::shared().withdraw(worker.ticket) && WorkerPool::may_block()) worker.ticket->wait();
    }

    // Starts `work` at `priority`; `total` is what its progress counter counts up to (0: unknown).
    void start(Work work, long total = 0, Priority priority = Priority::Normal) {
        cancel();
        reap();
        auto shared = std::make_shared<Shared>();
        shared->total = total;
        current_ = shared;
        auto ticket = WorkerPool::shared().submit([shared, work = std::move(work)] { run(*shared, work); }, priority);
        workers_.push_back({std::move(ticket), shared});
    }

    // Tells the current work to stop and forgets it; returns at once. Work that has not begun never
    // will.
    void cancel() {
        if (!current_) return;
        current_->cancel = true;
        for (Worker& worker : workers_)
            if (worker.shared == current_ && WorkerPool::shared().withdraw(worker.ticket)) worker.withdrawn = true;
        current_.reset();
    }

    // Started and its outcome not yet taken (it may have finished: take() it).
    bool pending() const { return current_ != nullptr; }
    float progress() const {
        if (!current_ || current_->total <= 0) return 0.0f;
        return static_cast<float>(current_->progress.load()) / static_cast<float>(current_->total);
    }
    // Tasks not yet returned (current and cancelled work that has not noticed yet).
    std::size_t threads() const { return workers_.size(); }

    // Waits up to `timeout` for the current work. Returns true if it has finished (or there is none).
    // Where this thread may not wait (WorkerPool::may_block), it only looks.
    bool wait_for(std::chrono::steady_clock::duration timeout) {
        if (!current_) return true;
        if (!WorkerPool::may_block()) return current_->finished.load();
        std::unique_lock<std::mutex> lock(current_->mutex);
        const std::shared_ptr<Shared> shared = current_;
        return shared->done.wait_for(lock, timeout, [&] { return shared->finished.load(); });
    }

    // The current work's outcome, once, when it has finished.
    std::optional<Outcome> take() {
        reap();  // cancelled work that has finished since
        if (!current_ || !current_->finished) return std::nullopt;
        Outcome outcome;
        {
            std::lock_guard<std::mutex> lock(current_->mutex);
            outcome = std::move(current_->outcome);
        }
        current_.reset();
        reap();
        return outcome;
    }

private:
    struct Shared {
        std::atomic<bool> cancel{false};
        std::atomic<long> progress{0};
        std::atomic<bool> finished{false};
        long total = 0;
        std::mutex mutex;
        std::condition_variable done;
        Outcome outcome;
    };
    struct Worker {
        std::shared_ptr<WorkerPool::Ticket> ticket;
        std::shared_ptr<Shared> shared;
        bool withdrawn = false;  // taken off the pool's queue before it began: it never runs
    };

    static void run(Shared& shared, const Work& work) {
        Outcome outcome;
        try {
            outcome.result.emplace(work(shared.cancel, shared.progress));
        } catch (const std::exception& e) {
            outcome.error = e.what();
        } catch (...) {
            outcome.error = "the computation failed (unknown error)";
        }
        if (outcome.error.empty() && !outcome.result) outcome.error = "the computation produced nothing";
        {
            std::lock_guard<std::mutex> lock(shared.mutex);
            shared.outcome = std::move(outcome);
            shared.finished = true;
        }
        shared.done.notify_all();
    }

    // Forgets tasks that have returned or never will (never blocks).
    void reap() {
        for (auto it = workers_.begin(); it != workers_.end();) {
            const bool returned = it->withdrawn || it->ticket->finished();
            if ((it->withdrawn || it->shared->finished) && it->shared != current_ && (returned || WorkerPool::may_block())) {
                if (!returned) it->ticket->wait();  // returning: its last lines run now
                it = workers_.erase(it);
            } else {
                ++it;
            }
        }
    }

    std::shared_ptr<Shared> current_;
    std::vector<Worker> workers_;
};

// One derived result and the key it was computed from (the exact inputs it depends on). It keeps
// its last good value while a new one is computed, and the error for the key last asked for; a key
// that failed is not retried until it changes.
template <class Key, class Value>
class Artifact {
public:
    using Make = typename Job<Value>::Work;

    // Asks for the value of `key`; starts `make` in the background unless `key` was already asked
    // for. Returns true when it started work.
    bool request(const Key& key, Make make, long total = 0, Priority priority = Priority::Normal) {
        if (requested_ && *requested_ == key) return false;
        requested_ = key;
        error_.clear();
        if (value_key_ && *value_key_ == key) {  // back to the value we hold: nothing to compute
            job_.cancel();
            return false;
        }
        job_.start(std::move(make), total, priority);
        return true;
    }
    // Installs a value computed elsewhere for `key` (cancels any work in progress).
    void set(const Key& key, Value value) {
        job_.cancel();
        requested_ = key;
        value_key_ = key;
        value_ = std::make_shared<const Value>(std::move(value));
        error_.clear();
    }
    // Installs a value already held elsewhere, shared rather than copied (cancels any work in progress).
    void set_shared(const Key& key, std::shared_ptr<const Value> value) {
        job_.cancel();
        requested_ = key;
        value_key_ = key;
        value_ = std::move(value);
        error_.clear();
    }
    // Forgets the value, the key and any work.
    void clear() {
        job_.cancel();
        requested_.reset();
        value_key_.reset();
        value_.reset();
        error_.clear();
    }

    // Takes finished work. Returns true when the value or the error changed.
    bool poll() {
        auto outcome = job_.take();
        if (!outcome) return false;
        if (outcome->result) {
            value_ = std::make_shared<const Value>(std::move(*outcome->result));
            value_key_ = requested_;
        } else {
            error_ = outcome->error;
        }
        return true;
    }
    // Waits up to `timeout` for the work in progress, then polls. Returns true when nothing is pending.
    bool wait_for(std::chrono::steady_clock::duration timeout) {
        job_.wait_for(timeout);
        poll();
        return !job_.pending();
    }

    const std::shared_ptr<const Value>& value() const { return value_; }
    const std::optional<Key>& requested_key() const { return requested_; }
    const std::optional<Key>& value_key() const { return value_key_; }
    bool up_to_date() const { return value_key_ && requested_ && *value_key_ == *requested_; }
    const std::string& error() const { return error_; }
    // Work started and its outcome not yet taken by poll().
    bool pending() const { return job_.pending(); }
    float progress() const { return job_.progress(); }
    std::size_t threads() const { return job_.threads(); }

private:
    Job<Value> job_;
    std::optional<Key> requested_;
    std::optional<Key> value_key_;
    std::shared_ptr<const Value> value_;
    std::string error_;
};

}  // namespace optiviz::app
