#include "app/export/animation_export.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/text_escape.h"
#include "render/offscreen_context.h"

namespace optiviz::app {

namespace {

// The GIF palette is made from this many frames spread over the animation (the first and the last
// among them): enough to see every path at its full length and every colour of the heatmap.
constexpr std::size_t kPaletteSamples = 6;
// Frames rendered ahead of the encoder: enough to keep both threads busy, few enough that a 4K
// animation does not hold much memory (33 MB a frame).
constexpr std::size_t kQueuedFrames = 3;

std::string step_range_text(long last_step) { return "(steps 0 to " + std::to_string(last_step) + ")"; }

std::vector<double> run_progress(const AppState& state) {
    std::vector<const Trajectory*> runs;
    for (std::size_t i = 0; i < state.scene().runs.size(); ++i) runs.push_back(state.trajectory(i));
    return path_progress(runs, state.last_step());
}

}  // namespace

render::VideoSettings check_animation_request(const AnimationRequest& request) {
    render::VideoSettings video;
    video.format = render::video_format_for_path(request.path);
    video.width = request.width;
    video.height = request.height;
    video.fps = request.fps.value_or(video.format == render::VideoFormat::Gif ? 25 : 30);
    render::check_video_settings(video);
    if (request.duration && request.steps_per_frame)
        throw std::invalid_argument("--duration and --steps-per-frame: give one of them, not both");
    if (request.timing && request.steps_per_frame)
        throw std::invalid_argument("--time spreads a duration's frames; --steps-per-frame places them itself: give one of them");
    if (request.duration && !(*request.duration > 0 && *request.duration <= 600)) {
        char got[64];
        std::snprintf(got, sizeof got, "%g", *request.duration);
        throw std::invalid_argument(std::string("--duration: must be more than 0 and at most 600 seconds, got ") + got);
    }
    if (request.steps_per_frame && (*request.steps_per_frame < 1 || *request.steps_per_frame > limits::kMaxSteps))
        throw std::invalid_argument("--steps-per-frame must be a whole number from 1 to " + std::to_string(limits::kMaxSteps) +
                                    ", got " + std::to_string(*request.steps_per_frame));
    return video;
}

long max_animation_frames(int width, int height) {
    const double pixels = static_cast<double>(std::max(width, 1)) * static_cast<double>(std::max(height, 1));
    return std::min(limits::kMaxAnimationFrames, static_cast<long>(limits::kMaxAnimationPixels / pixels));
}

FrameTiming parse_frame_timing(const std::string& text) {
    if (text == "steps") return FrameTiming::Steps;
    if (text == "path") return FrameTiming::Path;
    if (text == "log") return FrameTiming::Log;
    throw std::invalid_argument("--time: expected steps, path or log, got '" + printable(text) + "'");
}

std::vector<double> path_progress(const std::vector<const Trajectory*>& runs, long last_step) {
    std::vector<double> progress(static_cast<std::size_t>(std::max(last_step, 0L)) + 1, 0.0);
    std::vector<double> run_length;
    for (const Trajectory* run : runs) {
        if (!run || run->x.size() < 2) continue;
        run_length.assign(run->x.size(), 0.0);
        for (std::size_t i = 1; i < run->x.size(); ++i)
            run_length[i] = run_length[i - 1] + std::hypot(run->x[i] - run->x[i - 1], run->y[i] - run->y[i - 1]);
        const double total = run_length.back();
        if (!(total > 0) || !std::isfinite(total)) continue;
        for (std::size_t s = 1; s < progress.size(); ++s) progress[s] += run_length[std::min(s, run_length.size() - 1)] / total;
    }
    return progress;
}

namespace {

// n frames from `from` to `to` (n >= 2), frame i at the first step whose progress reaches i/(n-1)
// of the way: many frames where the runs move, few where they crawl.
std::vector<long> steps_by_progress(long from, long to, long frames, const std::vector<double>& progress) {
    std::vector<long> steps;
    const auto first = progress.begin() + from, last = progress.begin() + to + 1;
    const double start = progress[static_cast<std::size_t>(from)], span = progress[static_cast<std::size_t>(to)] - start;
    for (long i = 0; i < frames; ++i) {
        const double target = start + span * static_cast<double>(i) / static_cast<double>(frames - 1);
        const long step = static_cast<long>(std::lower_bound(first, last, target) - progress.begin());
        steps.push_back(i == frames - 1 ? to : std::clamp(step, from, to));
    }
    return steps;
}

// Frame i at from - 1 + (span + 1)^(i/(n-1)): as many frames for steps 1-10 as for 10-100.
std::vector<long> steps_by_log(long from, long to, long frames) {
    std::vector<long> steps;
    const double base = static_cast<double>(to - from) + 1.0;
    for (long i = 0; i < frames; ++i) {
        const double t = static_cast<double>(i) / static_cast<double>(frames - 1);
        steps.push_back(std::clamp(from + std::lround(std::pow(base, t)) - 1, from, to));
    }
    return steps;
}

std::vector<long> steps_evenly(long from, long to, long frames) {
    std::vector<long> steps;
    const long span = to - from;
    // Evenly spread and rounded, in integers: frame i of n shows from + span * i / (n - 1).
    for (long i = 0; i < frames; ++i)
        steps.push_back(frames == 1 ? from : from + (2 * span * i + (frames - 1)) / (2 * (frames - 1)));
    return steps;
}

}  // namespace

AnimationPlan plan_animation(const AnimationRequest& request, long last_step, const std::vector<double>& progress) {
    AnimationPlan plan;
    plan.video = check_animation_request(request);
    const long from = request.from.value_or(0);
    const long to = request.to.value_or(last_step);
    if (from < 0 || from > last_step)
        throw std::invalid_argument("--from: step " + std::to_string(from) + " is outside the run " + step_range_text(last_step));
    if (to < 0 || to > last_step)
        throw std::invalid_argument("--to: step " + std::to_string(to) + " is outside the run " + step_range_text(last_step));
    if (to < from)
        throw std::invalid_argument("--to: step " + std::to_string(to) + " comes before --from step " + std::to_string(from));

    // The ceiling is on frames × pixels (the work of drawing them), so it depends on the size.
    const long max_frames = max_animation_frames(request.width, request.height);
    const auto too_many = [&](long frames) {
        return std::invalid_argument("the animation would have " + std::to_string(frames) + " frames; at " +
                                     std::to_string(request.width) + "x" + std::to_string(request.height) + " at most " +
                                     std::to_string(max_frames) +
                                     " are allowed (a shorter --duration, a lower --fps, a larger --steps-per-frame or a smaller --size)");
    };
    if (request.steps_per_frame) {
        const long k = *request.steps_per_frame;
        const long frames = (to - from) / k + ((to - from) % k != 0 ? 2 : 1);
        if (frames > max_frames) throw too_many(frames);
        for (long s = from; s < to; s += k) plan.steps.push_back(s);
        plan.steps.push_back(to);  // the last frame shows where the runs end
    } else {
        const double frames_wanted = std::round(request.duration.value_or(6.0) * plan.video.fps);
        if (frames_wanted > static_cast<double>(max_frames)) throw too_many(static_cast<long>(frames_wanted));
        const long frames = std::max(1L, static_cast<long>(frames_wanted));
        const FrameTiming timing =
            request.timing.value_or(plan.video.format == render::VideoFormat::Gif ? FrameTiming::Path : FrameTiming::Steps);
        const bool has_progress = progress.size() > static_cast<std::size_t>(to) && progress[static_cast<std::size_t>(to)] > progress[static_cast<std::size_t>(from)];
        if (frames >= 2 && timing == FrameTiming::Path && has_progress) plan.steps = steps_by_progress(from, to, frames, progress);
        else if (frames >= 2 && timing == FrameTiming::Log) plan.steps = steps_by_log(from, to, frames);
        else plan.steps = steps_evenly(from, to, frames);
    }
    return plan;
}

// Frames on their way from the GL thread to the encoder.
struct AnimationExport::FrameQueue {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::vector<std::uint8_t>> frames;

    bool has_room() {
        std::lock_guard<std::mutex> lock(mutex);
        return frames.size() < kQueuedFrames;
    }
    bool wait_for_room(std::chrono::steady_clock::duration timeout) {
        std::unique_lock<std::mutex> lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return frames.size() < kQueuedFrames; });
    }
    void push(std::vector<std::uint8_t> frame) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            frames.push_back(std::move(frame));
        }
        changed.notify_all();
    }
    // The next frame, or nothing once `cancel` is set (checked every few milliseconds).
    std::optional<std::vector<std::uint8_t>> pop(const std::atomic<bool>& cancel) {
        std::unique_lock<std::mutex> lock(mutex);
        while (frames.empty()) {
            if (cancel) return std::nullopt;
            changed.wait_for(lock, std::chrono::milliseconds(10));
        }
        if (cancel) return std::nullopt;
        std::vector<std::uint8_t> frame = std::move(frames.front());
        frames.pop_front();
        lock.unlock();
        changed.notify_all();
        return frame;
    }
};

AnimationExport::AnimationExport(std::unique_ptr<AppState> state, AnimationRequest request)
    : state_(std::move(state)), request_(std::move(request)), queue_(std::make_shared<FrameQueue>()) {
    check_animation_request(request_);
    check_output_path(request_.path);
}

AnimationExport::~AnimationExport() { job_.cancel(); }

void AnimationExport::fail(std::string message) {
    job_.cancel();
    error_ = message.empty() ? "the animation failed" : std::move(message);
    phase_ = Phase::Done;
}

void AnimationExport::cancel() {
    if (phase_ != Phase::Done) fail("cancelled");
}

float AnimationExport::progress() const {
    if (phase_ == Phase::Done) return error_.empty() ? 1.0f : 0.0f;
    const double total = static_cast<double>(sample_frames_.size() + 2 * plan_.steps.size());
    if (total <= 0) return 0.0f;
    const double done = static_cast<double>(samples_done_ + rendered_) + static_cast<double>(frames_encoded());
    return static_cast<float>(done / total);
}

int AnimationExport::frames_encoded() const {
    if (phase_ == Phase::Done && error_.empty()) return frames_total();
    return static_cast<int>(std::lround(static_cast<double>(job_.progress()) * frames_total()));
}

std::vector<std::uint8_t> AnimationExport::frame_at(PictureRenderer& renderer, long step) {
    state_->playback.playing = false;
    state_->playback.step = static_cast<double>(step);
    return renderer.render(*state_, request_.width, request_.height, nullptr, {}, {}, request_.view);
}

void AnimationExport::prepare() {
    state_->refresh();
    if (state_->busy()) return;
    if (const std::string run_error = state_->first_run_error(); !run_error.empty()) return fail(run_error);
    plan_ = plan_animation(request_, state_->last_step(), run_progress(*state_));
    if (plan_.video.format == render::VideoFormat::Gif) {
        const std::size_t n = plan_.steps.size(), k = std::min(kPaletteSamples, n);
        for (std::size_t i = 0; i < k; ++i) sample_frames_.push_back(k == 1 ? 0 : i * (n - 1) / (k - 1));
        palette_ = std::make_unique<render::PaletteBuilder>();
        phase_ = Phase::Sampling;
    } else {
        start_encoder();
    }
}

void AnimationExport::sample(PictureRenderer& renderer, std::chrono::steady_clock::time_point deadline) {
    while (samples_done_ < sample_frames_.size()) {
        const auto pixels = frame_at(renderer, plan_.steps[sample_frames_[samples_done_]]);
        palette_->add_frame(pixels.data(), request_.width, request_.height);
        ++samples_done_;
        if (std::chrono::steady_clock::now() >= deadline) return;
    }
    plan_.video.palette = palette_->build();
    palette_.reset();
    start_encoder();
}

void AnimationExport::start_encoder() {
#ifdef __EMSCRIPTEN__
    page_encoder_ = std::make_unique<render::VideoEncoder>(plan_.video, request_.path);
    phase_ = Phase::Rendering;
    return;
#endif
    const render::VideoSettings settings = plan_.video;
    const std::string path = request_.path;
    const long total = static_cast<long>(plan_.steps.size());
    const std::shared_ptr<FrameQueue> queue = queue_;
    // The worker gets copies and the queue; it never touches the state or GL.
    job_.start(
        [settings, path, total, queue](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
            render::VideoEncoder encoder(settings, path);
            for (long i = 0; i < total; ++i) {
                std::optional<std::vector<std::uint8_t>> frame = queue->pop(cancel);
                if (!frame) throw std::runtime_error("cancelled");
                encoder.add_frame(*frame);
                progress = i + 1;
            }
            if (cancel) throw std::runtime_error("cancelled");
            encoder.finish();
            return path;
        },
        total, Priority::Background);  // an export gives way to what the window shows
    phase_ = Phase::Rendering;
}

void AnimationExport::render(PictureRenderer& renderer, std::chrono::steady_clock::time_point deadline,
                             bool wait_for_room) {
#ifdef __EMSCRIPTEN__
    while (rendered_ < plan_.steps.size()) {
        if (!page_encoder_->has_room()) return;  // the browser's encoder is behind: the next page frame
        page_encoder_->add_frame(frame_at(renderer, plan_.steps[rendered_]));
        ++rendered_;
        if (std::chrono::steady_clock::now() >= deadline) break;
    }
    if (rendered_ == plan_.steps.size()) {
        request_.path = page_encoder_->finish_as_download(request_.path);
        phase_ = Phase::Done;
    }
    return;
#endif
    while (rendered_ < plan_.steps.size()) {
        if (!queue_->has_room()) {
            if (!wait_for_room) return;
            while (!queue_->wait_for_room(std::chrono::milliseconds(50))) {
                poll();  // the encoder may have failed: then nobody empties the queue
                if (done()) return;
            }
        }
        queue_->push(frame_at(renderer, plan_.steps[rendered_]));
        ++rendered_;
        if (std::chrono::steady_clock::now() >= deadline) break;
    }
    if (rendered_ == plan_.steps.size()) phase_ = Phase::Encoding;
}

void AnimationExport::poll() {
    std::optional<Job<std::string>::Outcome> outcome = job_.take();  // also joins workers that have stopped
    if (!outcome || (phase_ != Phase::Rendering && phase_ != Phase::Encoding)) return;
    if (!outcome->error.empty()) return fail(outcome->error);
    phase_ = Phase::Done;
}

void AnimationExport::advance(PictureRenderer& renderer, std::chrono::steady_clock::duration budget, bool wait_for_room) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    try {
        if (phase_ == Phase::Preparing) prepare();
        if (phase_ == Phase::Sampling) sample(renderer, deadline);
        if (phase_ == Phase::Rendering) render(renderer, deadline, wait_for_room);
        poll();
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

void AnimationExport::wait(std::chrono::steady_clock::duration timeout) {
    if (phase_ == Phase::Encoding) job_.wait_for(timeout);
    poll();
}

std::string run_animation(const Scene& scene, const AnimationRequest& request, const std::function<void(int, int)>& progress) {
    check_animation_request(request);  // before the runs are computed
    auto state = std::make_unique<AppState>(scene);
    state->finish(/*stop_at_error=*/true);
    // A run that cannot be computed is bad input, like a bad flag: one line, exit 2, no file.
    if (const std::string error = state->first_run_error(); !error.empty()) throw std::invalid_argument(error);
    if ((request.view == PictureView::Data || request.view == PictureView::Both) && !state->has_data())
        throw std::invalid_argument("--view needs a data-driven surface (--surface mse or logistic) for the data panel");
    const AnimationPlan plan = plan_animation(request, state->last_step(), run_progress(*state));  // refuses bad input before any work
    check_output_path(request.path);

    render::OffscreenContext context;
    PictureRenderer renderer;
    AnimationExport animation(std::move(state), request);
    int reported = -1;
    while (!animation.done()) {
        animation.advance(renderer, std::chrono::milliseconds(100), /*wait_for_room=*/true);
        animation.wait(std::chrono::milliseconds(50));
        if (progress && animation.frames_encoded() != reported) {
            reported = animation.frames_encoded();
            progress(reported, animation.frames_total());
        }
    }
    if (!animation.error().empty()) throw std::runtime_error(animation.error());
    const render::VideoSettings& video = animation.plan().video;
    const auto frames = static_cast<int>(plan.steps.size());
    char line[512];
    std::snprintf(line, sizeof line, "wrote %s (%dx%d, %d frames at %d fps, %.2f s, %s, steps %ld to %ld)\n",
                  request.path.c_str(), video.width, video.height, frames, video.fps,
                  static_cast<double>(frames) / video.fps, render::video_format_name(video.format), plan.steps.front(),
                  plan.steps.back());
    return line;
}

}  // namespace optiviz::app
