// Animations of the playback: every frame is the still picture (picture.h) at a later playback
// step — paths growing, markers moving, the same layout as `optiviz render --out` for every view —
// encoded as GIF, MP4 or WebM (render/video_encoder.h).
//
// GL stays on one thread: the thread that owns the GL context renders frames in slices
// (AnimationExport::advance, within a time budget, so the window keeps drawing), and a worker
// thread (job.h) maps or converts and encodes them, writing the file as it goes (a few frames in
// memory, whatever the length) into a temporary file renamed at the end (core/io/atomic_file.h): a
// cancel or a failure leaves nothing behind. Length is bounded by frames × pixels (core/io/limits.h).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/derived/job.h"
#include "app/export/picture.h"
#include "core/io/limits.h"
#include "render/video_encoder.h"

namespace optiviz::app {

// How a duration's frames are spread over the steps: evenly in steps; evenly in how far the runs
// have moved (optimizers move most at the start: frames follow the action); or evenly in log(step).
enum class FrameTiming { Steps, Path, Log };
// "steps", "path" or "log"; throws std::invalid_argument naming --time otherwise.
FrameTiming parse_frame_timing(const std::string& text);

// What the user asks for; unset fields take the defaults written beside them.
struct AnimationRequest {
    std::string path;                      // .gif, .mp4 or .webm
    int width = 1280, height = 800;
    std::optional<int> fps;                // 1..120; default 25 for GIF (4/100 s a frame), 30 for video
    std::optional<double> duration;        // seconds, (0, 600]; default 6 unless steps_per_frame is given
    std::optional<long> steps_per_frame;   // >= 1: a frame every K steps (and one at `to`)
    std::optional<long> from;              // first step shown; default 0
    std::optional<long> to;                // last step shown; default the last step of the longest run
    std::optional<FrameTiming> timing;     // with a duration; default Path for GIF, Steps for video
    PictureView view = PictureView::Landscape;
};

// Checks everything in a request that does not depend on the run (format, size, fps, duration,
// steps per frame) and returns the encoder's settings. Throws std::invalid_argument with one line.
render::VideoSettings check_animation_request(const AnimationRequest& request);

// The frames: the playback step each one shows, and the encoder's settings (without the GIF
// palette, which is made from the first rendered frames).
struct AnimationPlan {
    render::VideoSettings video;
    std::vector<long> steps;  // one per frame, non-decreasing, first = from, last = to
};

// At most this many frames, and frames × width × height at most limits::kMaxAnimationPixels.
inline constexpr long kMaxAnimationFrames = limits::kMaxAnimationFrames;

// The most frames an animation of width × height may have (both ceilings of core/io/limits.h).
long max_animation_frames(int width, int height);

// Checks the request against a run that ends at `last_step` and lays out the frames. With a
// duration, round(duration * fps) frames (at least 1) spread evenly from `from` to `to`. Throws
// std::invalid_argument with one line: unknown extension, fps or duration out of range, both
// duration and steps_per_frame, a step range outside 0..last_step or backwards, an odd MP4 size,
// more frames than max_animation_frames(width, height).
// `progress` (path_progress) spaces the frames by path length; without it Path falls back to Steps.
AnimationPlan plan_animation(const AnimationRequest& request, long last_step, const std::vector<double>& progress = {});

// How far the runs have moved by each step 0..last_step: each run's path length so far as a
// fraction of its whole (so a long run does not drown a short one), summed over the runs.
// Non-decreasing, 0 at step 0; all zeros when nothing moves.
std::vector<double> path_progress(const std::vector<const Trajectory*>& runs, long last_step);

class AnimationExport {
public:
    // Takes its own state (later edits of the window's scene do not reach the animation); its runs
    // may still be computing: advance() waits for them, then plans. Checks the request
    // (check_animation_request) and the output path at once: throws std::invalid_argument with one
    // line.
    AnimationExport(std::unique_ptr<AppState> state, AnimationRequest request);
    // Cancels; waits only for a worker that was already told to stop.
    ~AnimationExport();
    AnimationExport(const AnimationExport&) = delete;
    AnimationExport& operator=(const AnimationExport&) = delete;

    // On the GL thread: renders frames until `budget` is spent, the encoder's queue is full, or
    // every frame is rendered (it renders at least one frame when it can). With `wait_for_room`,
    // waits for room in the queue instead of returning (the command line). Never throws: a failure
    // ends the export with an error().
    void advance(PictureRenderer& renderer, std::chrono::steady_clock::duration budget, bool wait_for_room = false);
    // Waits up to `timeout` for the encoder to finish (after every frame was rendered).
    void wait(std::chrono::steady_clock::duration timeout);

    // Tells the worker to stop; the export ends with the error "cancelled" and writes nothing.
    void cancel();

    enum class Phase { Preparing, Sampling, Rendering, Encoding, Done };
    Phase phase() const { return phase_; }
    bool done() const { return phase_ == Phase::Done; }
    // "" after success (or while running); otherwise one line.
    const std::string& error() const { return error_; }
    // 0..1 over the whole export (palette samples, rendering, encoding).
    float progress() const;
    int frames_total() const { return static_cast<int>(plan_.steps.size()); }
    int frames_rendered() const { return static_cast<int>(rendered_); }
    int frames_encoded() const;
    const AnimationPlan& plan() const { return plan_; }
    const AnimationRequest& request() const { return request_; }
    // Worker threads not yet joined (a cancelled export may still be stopping).
    std::size_t threads() const { return job_.threads(); }

private:
    struct FrameQueue;
    void fail(std::string message);
    void prepare();
    void sample(PictureRenderer& renderer, std::chrono::steady_clock::time_point deadline);
    void start_encoder();
    void render(PictureRenderer& renderer, std::chrono::steady_clock::time_point deadline, bool wait_for_room);
    void poll();
    std::vector<std::uint8_t> frame_at(PictureRenderer& renderer, long step);

    std::unique_ptr<AppState> state_;
    AnimationRequest request_;
    AnimationPlan plan_;
    Phase phase_ = Phase::Preparing;
    std::string error_;
    std::unique_ptr<render::PaletteBuilder> palette_;
    std::vector<std::size_t> sample_frames_;  // frame numbers the GIF palette is made from
    std::size_t samples_done_ = 0;
    std::size_t rendered_ = 0;
    std::shared_ptr<FrameQueue> queue_;
    Job<std::string> job_;
#ifdef __EMSCRIPTEN__
    // The page has no threads: its recorder takes each frame as it is drawn (video_encoder_web.cpp).
    std::unique_ptr<render::VideoEncoder> page_encoder_;
#endif
};

// `optiviz render --animate`: computes the scene's runs, plans (bad input throws
// std::invalid_argument before anything is written), renders on an offscreen context and encodes.
// `progress(encoded, total)` is called as frames are encoded (may be empty). Returns the summary
// line "wrote PATH (WxH, N frames, F fps, D s, FORMAT)". Throws std::runtime_error on failure;
// nothing is left at the path.
std::string run_animation(const Scene& scene, const AnimationRequest& request,
                          const std::function<void(int, int)>& progress = {});

}  // namespace optiviz::app
