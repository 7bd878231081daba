// Animations of the playback: every frame is the still picture (picture.h) at a later playback
// step — paths growing, markers moving, the same layout as `optiviz render --out` for every view —
// encoded as GIF, MP4 or WebM (render/video_encoder.h).
//
// GL stays on one thread: the thread that owns the GL context renders frames in slices
// (AnimationExport::advance, within a time budget, so the window keeps drawing), and a worker
// thread (job.h) maps or converts and encodes them. The file is written whole at the end through
// core/atomic_file.h: a cancel or a failure leaves nothing behind.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/job.h"
#include "app/picture.h"
#include "render/video_encoder.h"

namespace optiviz::app {

// What the user asks for; unset fields take the defaults written beside them.
struct AnimationRequest {
    std::string path;                      // .gif, .mp4 or .webm
    int width = 1280, height = 800;
    std::optional<int> fps;                // 1..120; default 25 for GIF (4/100 s a frame), 30 for video
    std::optional<double> duration;        // seconds, (0, 600]; default 6 unless steps_per_frame is given
    std::optional<long> steps_per_frame;   // >= 1: a frame every K steps (and one at `to`)
    std::optional<long> from;              // first step shown; default 0
    std::optional<long> to;                // last step shown; default the last step of the longest run
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

inline constexpr int kMaxAnimationFrames = 20000;

// Checks the request against a run that ends at `last_step` and lays out the frames. With a
// duration, round(duration * fps) frames (at least 1) spread evenly from `from` to `to`. Throws
// std::invalid_argument with one line: unknown extension, fps or duration out of range, both
// duration and steps_per_frame, a step range outside 0..last_step or backwards, an odd MP4 size,
// more than kMaxAnimationFrames frames.
AnimationPlan plan_animation(const AnimationRequest& request, long last_step);

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
