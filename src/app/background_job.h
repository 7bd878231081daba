// One piece of heavy work (a sweep, a basin map) on its own thread, so the window keeps drawing:
// start() cancels whatever ran before, progress() feeds a progress bar, take() hands over the
// result once, on the UI thread. The work receives a cancel flag and a progress counter and must
// not touch the application state (it gets copies or shared, immutable inputs).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace optiviz::app {

template <class Result>
class BackgroundJob {
public:
    using Work = std::function<Result(const std::atomic<bool>& cancel, std::atomic<long>& progress)>;

    ~BackgroundJob() { stop(); }

    void start(Work work, long total) {
        stop();
        cancel_ = false;
        progress_ = 0;
        total_ = total;
        running_ = true;
        thread_ = std::thread([this, work = std::move(work)] {
            try {
                Result result = work(cancel_, progress_);
                std::lock_guard<std::mutex> lock(mutex_);
                if (!cancel_) result_ = std::move(result);
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(mutex_);
                if (!cancel_) error_ = e.what();
            }
            running_ = false;
        });
    }

    // Cancels and waits: no result of the stopped work is ever taken.
    void stop() {
        cancel_ = true;
        if (thread_.joinable()) thread_.join();
        running_ = false;
        std::lock_guard<std::mutex> lock(mutex_);
        result_.reset();
    }

    bool running() const { return running_; }
    float progress() const { return total_ > 0 ? static_cast<float>(progress_.load()) / static_cast<float>(total_) : 0.0f; }

    std::optional<Result> take() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::optional<Result> result = std::move(result_);
        result_.reset();
        return result;
    }
    std::optional<std::string> take_error() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::optional<std::string> error = std::move(error_);
        error_.reset();
        return error;
    }

private:
    std::thread thread_;
    std::atomic<bool> cancel_{false};
    std::atomic<long> progress_{0};
    std::atomic<bool> running_{false};
    long total_ = 0;
    std::mutex mutex_;
    std::optional<Result> result_;
    std::optional<std::string> error_;
};

}  // namespace optiviz::app
