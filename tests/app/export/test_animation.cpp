// Animations: the plan of frames, the command line's refusals, and the files themselves read back
// with libavformat (frame count, size, duration, and pixels against the still picture of the same
// step).
#include "support/catch.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "app/export/animation_export.h"
#include "render/gif_palette.h"
#include "render/offscreen_context.h"
#include "support/full_disk.h"
#include "support/run_cli.h"
#include "support/video_decode.h"

using namespace optiviz;
using optiviz::test::run;
using optiviz::test::ScratchFolder;

namespace {

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// The still picture `optiviz render --out` draws of the same scene at `step`, as RGBA.
std::vector<std::uint8_t> still_picture(const ScratchFolder& folder, const std::vector<std::string>& scene, long step,
                                        const std::string& size) {
    const std::string path = folder.file("still-" + std::to_string(step) + ".png");
    std::vector<std::string> args = {"render", "--out", path, "--size", size, "--step", std::to_string(step)};
    args.insert(args.end(), scene.begin(), scene.end());
    const auto r = run(args);
    REQUIRE(r.status == 0);
    const test::DecodedVideo png = test::decode_video(path);
    REQUIRE(png.frames.size() == 1);
    std::filesystem::remove(path);
    return png.frames[0];
}

// Per-pixel difference: the mean over channels, and the number of pixels whose colour is off by
// more than `far` (summed over R, G, B) — a path drawn or not drawn shows up there.
struct Difference {
    double mean = 0;
    long far_pixels = 0;
};
Difference difference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b, int far = 120) {
    REQUIRE(a.size() == b.size());
    Difference d;
    long total = 0;
    for (std::size_t i = 0; i < a.size(); i += 4) {
        int sum = 0;
        for (int c = 0; c < 3; ++c) sum += std::abs(a[i + c] - b[i + c]);
        total += sum;
        if (sum > far) ++d.far_pixels;
    }
    d.mean = static_cast<double>(total) / static_cast<double>(a.size() / 4 * 3);
    return d;
}

// For each 8 x 8 block, the largest difference over R, G, B between the two pictures' block means;
// sorted.
std::vector<double> block_errors(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b, int width, int height) {
    std::vector<double> errors;
    for (int by = 0; by + 8 <= height; by += 8)
        for (int bx = 0; bx + 8 <= width; bx += 8) {
            double worst = 0;
            for (std::size_t c = 0; c < 3; ++c) {
                double sum = 0;
                for (int y = by; y < by + 8; ++y)
                    for (int x = bx; x < bx + 8; ++x) {
                        const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4 + c;
                        sum += static_cast<double>(a[i]) - static_cast<double>(b[i]);
                    }
                worst = std::max(worst, std::abs(sum / 64.0));
            }
            errors.push_back(worst);
        }
    std::sort(errors.begin(), errors.end());
    return errors;
}

// Colours a GIF decoder shows for `rgba` mapped onto `colors` (the file's palette, our mapper).
std::vector<std::uint8_t> through_palette(const std::vector<std::uint8_t>& rgba, int width, int height,
                                          const std::vector<std::array<std::uint8_t, 3>>& colors) {
    render::GifPalette palette;
    palette.colors = colors;
    render::PaletteMapper mapper(palette);
    std::vector<std::uint8_t> indices(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    mapper.map(rgba.data(), width, height, indices.data());
    std::vector<std::uint8_t> out(rgba.size());
    for (std::size_t i = 0; i < indices.size(); ++i) {
        for (std::size_t c = 0; c < 3; ++c) out[i * 4 + c] = colors[indices[i]][c];
        out[i * 4 + 3] = 255;
    }
    return out;
}

// The scene of the video tests: two runs of 90 steps, so that the paths visibly grow.
const std::vector<std::string> kScene = {"--run", "adam:lr=0.05", "--run", "sgd:lr=0.001,momentum=0.9", "--steps", "90"};

}  // namespace

TEST_CASE("an animation's frames are spread evenly from --from to --to", "[animation]") {
    app::AnimationRequest request;
    request.path = "a.gif";
    request.fps = 10;
    request.duration = 1.0;
    app::AnimationPlan plan = app::plan_animation(request, 90);
    CHECK(plan.steps == std::vector<long>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90});
    CHECK(plan.video.format == render::VideoFormat::Gif);
    CHECK(plan.video.fps == 10);

    request.from = 10;
    request.to = 13;
    request.duration = 0.7;  // 7 frames over 3 steps: each step shown about twice
    plan = app::plan_animation(request, 90);
    CHECK(plan.steps == std::vector<long>{10, 11, 11, 12, 12, 13, 13});

    request.duration.reset();
    request.steps_per_frame = 4;
    request.from = 0;
    request.to = 10;
    plan = app::plan_animation(request, 90);
    CHECK(plan.steps == std::vector<long>{0, 4, 8, 10});  // and the end, though not a multiple of 4

    // Defaults: 6 seconds, 25 fps for GIF and 30 for video, the whole run.
    app::AnimationRequest defaults;
    defaults.path = "a.GIF";
    plan = app::plan_animation(defaults, 500);
    CHECK(plan.steps.size() == 150);
    CHECK(plan.steps.front() == 0);
    CHECK(plan.steps.back() == 500);
    defaults.path = "a.webm";
    plan = app::plan_animation(defaults, 500);
    CHECK(plan.video.format == render::VideoFormat::WebM);
    CHECK(plan.steps.size() == 180);
}

TEST_CASE("an animation plan refuses bad requests with one line", "[animation]") {
    auto message = [](const app::AnimationRequest& request) -> std::string {
        try {
            app::plan_animation(request, 90);
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
        return "(accepted)";
    };
    app::AnimationRequest good;
    good.path = "a.mp4";
    REQUIRE(message(good) == "(accepted)");
    auto with = [&](auto change) {
        app::AnimationRequest r = good;
        change(r);
        return message(r);
    };
    CHECK_THAT(with([](auto& r) { r.path = "a.avi"; }), Catch::Contains("ending in .gif, .mp4 or .webm"));
    CHECK_THAT(with([](auto& r) { r.path = "gif"; }), Catch::Contains("ending in .gif, .mp4 or .webm"));
    CHECK_THAT(with([](auto& r) { r.fps = 0; }), Catch::Contains("--fps must be a whole number from 1 to 120, got 0"));
    CHECK_THAT(with([](auto& r) { r.fps = 121; }), Catch::Contains("--fps must be a whole number from 1 to 120, got 121"));
    CHECK_THAT(with([](auto& r) { r.duration = 0.0; }), Catch::Contains("--duration: must be more than 0"));
    CHECK_THAT(with([](auto& r) { r.duration = 1.0, r.steps_per_frame = 2; }), Catch::Contains("not both"));
    CHECK_THAT(with([](auto& r) { r.steps_per_frame = 0; }), Catch::Contains("--steps-per-frame must be a whole number from 1 to 1000000, got 0"));
    CHECK_THAT(with([](auto& r) { r.from = 91; }), Catch::Contains("--from: step 91 is outside the run (steps 0 to 90)"));
    CHECK_THAT(with([](auto& r) { r.to = 91; }), Catch::Contains("--to: step 91 is outside the run (steps 0 to 90)"));
    CHECK_THAT(with([](auto& r) { r.from = 50, r.to = 40; }), Catch::Contains("--to: step 40 comes before --from step 50"));
    CHECK_THAT(with([](auto& r) { r.width = 641; }), Catch::Contains("MP4 (H.264) needs an even width and height"));
    CHECK_THAT(with([](auto& r) { r.duration = 600.0, r.fps = 120; }), Catch::Contains("at 1280x800 at most 4101 are allowed"));
    // The ceiling is frames × pixels: 20000 frames at a small size, about 2000 at 1920x1080.
    CHECK_THAT(with([](auto& r) { r.duration = 600.0, r.fps = 120, r.width = 64, r.height = 48; }),
               Catch::Contains("72000 frames; at 64x48 at most 20000"));
    CHECK(with([](auto& r) { r.width = 1920, r.height = 1080, r.duration = 2025.0 / 30; }) == "(accepted)");
    CHECK_THAT(with([](auto& r) { r.width = 1920, r.height = 1080, r.duration = 2026.0 / 30; }),
               Catch::Contains("2026 frames; at 1920x1080 at most 2025"));
    CHECK(app::max_animation_frames(3840, 2160) == 506);
    CHECK(with([](auto& r) { r.path = "a.webm", r.width = 641; }) == "(accepted)");  // VP9 takes odd sizes
}

TEST_CASE("render --animate: bad input is one line, exit 2, and no file", "[cli][animation]") {
    ScratchFolder folder;
    const std::string gif = folder.file("a.gif");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--animate", folder.file("a.avi")}, "ending in .gif, .mp4 or .webm"},
        {{"--animate", gif, "--fps", "0"}, "--fps must be a whole number from 1 to 120, got 0"},
        {{"--animate", gif, "--fps", "ten"}, "--fps must be a whole number from 1 to 120, got ten"},
        {{"--animate", gif, "--from", "5000"}, "--from: step 5000 is outside the run (steps 0 to 20)"},
        {{"--animate", gif, "--from", "15", "--to", "5"}, "comes before --from"},
        {{"--animate", gif, "--duration", "1", "--steps-per-frame", "2"}, "not both"},
        {{"--animate", gif, "--duration", "-1"}, "--duration: must be more than 0"},
        {{"--animate", "/no/such/folder/a.gif"}, "/no/such/folder/a.gif: cannot write"},
        {{"--animate", folder.path()}, "ending in .gif"},
        {{"--animate", folder.file("odd.mp4"), "--size", "641x400"}, "even width and height"},
        {{"--animate", gif, "--out", folder.file("x.png")}, "--out and --animate: give one of them"},
        {{"--animate", gif, "--step", "5"}, "--step shows one step"},
        {{"--animate", gif, "--frames", "3"}, "does not go with --animate"},
        {{"--animate", gif, "--view", "data"}, "data-driven surface"},
        {{"--out", folder.file("x.png"), "--fps", "10"}, "--fps needs --animate"},
    };
    for (const auto& [extra, expected] : cases) {
        std::vector<std::string> args = {"render", "--steps", "20"};
        if (std::find(extra.begin(), extra.end(), "--size") == extra.end()) args.insert(args.end(), {"--size", "64x48"});
        args.insert(args.end(), extra.begin(), extra.end());
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        INFO(joined);
        const auto r = run(args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(line_count(r.err) == 1);
        CHECK_THAT(r.err, Catch::Contains(expected));
        CHECK(test::folder_entries(folder.path()).empty());  // nothing written, not even a temporary file
    }
}

TEST_CASE("render --animate a.gif --fps 10 --duration 1 --size 640x400 writes 10 frames; frame 0 is the still picture's "
          "palette indices exactly",
          "[cli][animation][render]") {
    ScratchFolder folder;
    const std::string gif = folder.file("a.gif");
    std::vector<std::string> args = {"render", "--animate", gif, "--fps", "10", "--duration", "1", "--size", "640x400"};
    args.insert(args.end(), kScene.begin(), kScene.end());
    const auto r = run(args);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Catch::Contains("wrote " + gif + " (640x400, 10 frames at 10 fps, 1.00 s, GIF, steps 0 to 90)"));

    const test::DecodedVideo video = test::decode_video(gif);
    CHECK(video.codec == "gif");
    CHECK(video.width == 640);
    CHECK(video.height == 400);
    REQUIRE(video.frames.size() == 10);
    CHECK(video.duration == Approx(1.0).margin(0.011));
    for (std::size_t i = 0; i < video.times.size(); ++i) CHECK(video.times[i] == Approx(0.1 * static_cast<double>(i)).margin(0.011));

    // The file's one palette, and our mapping of the still picture onto it, give frame 0 exactly.
    auto colors = test::gif_global_palette(gif);
    REQUIRE(colors.size() == 256);
    colors.resize(render::GifPalette::kMaxColors);  // index 255 is the encoder's transparent colour
    const auto first = still_picture(folder, kScene, 0, "640x400");
    const auto last = still_picture(folder, kScene, 90, "640x400");
    const auto first_mapped = through_palette(first, 640, 400, colors);
    CHECK(difference(first_mapped, video.frames[0]).mean == 0.0);
    // Later frames are drawn over earlier ones: the last shows the end of the runs, exactly too.
    CHECK(difference(through_palette(last, 640, 400, colors), video.frames[9]).mean == 0.0);
    // ... and the two differ where the paths grew (the comparison can tell steps apart).
    CHECK(difference(first_mapped, video.frames[9]).far_pixels > 200);
    // Dithering keeps the picture's colours: mapped, it stays close to the still picture.
    CHECK(difference(first_mapped, first).mean < 4.0);
    // No bands: averaged over 8 x 8 blocks (what the eye does), the GIF's colours follow the
    // still picture's smooth heatmap closely.
    const std::vector<double> errors = block_errors(video.frames[0], first, 640, 400);
    CHECK(errors[errors.size() / 2] < 0.3);       // levels of 255 (0.13 measured; grey-axis dither: 1.2)
    CHECK(errors[errors.size() * 9 / 10] < 0.66);  // (0.56 measured; nearest colour alone: 0.75)
}

TEST_CASE("render --animate to MP4 and WebM: the asked frame count, size and duration, and each frame close to the "
          "still picture of its step",
          "[cli][animation][render]") {
    ScratchFolder folder;
    const std::vector<long> steps = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90};
    std::vector<std::vector<std::uint8_t>> stills;
    for (const long step : {0L, 50L, 90L}) stills.push_back(still_picture(folder, kScene, step, "320x200"));
    for (const std::string name : {"a.mp4", "a.webm"}) {
        INFO(name);
        const std::string path = folder.file(name);
        std::vector<std::string> args = {"render", "--animate", path, "--fps", "10", "--duration", "1", "--size", "320x200"};
        args.insert(args.end(), kScene.begin(), kScene.end());
        const auto r = run(args);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Catch::Contains("(320x200, 10 frames at 10 fps, 1.00 s"));
        const test::DecodedVideo video = test::decode_video(path);
        CHECK(video.codec == (name == "a.mp4" ? "h264" : "vp9"));
        if (name == "a.mp4") {  // faststart: the index (moov) comes before the frames (mdat), for web pages
            std::ifstream file(path, std::ios::binary);
            const std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
            REQUIRE(bytes.find("mdat") != std::string::npos);
            CHECK(bytes.find("moov") < bytes.find("mdat"));
        }
        CHECK(video.width == 320);
        CHECK(video.height == 200);
        REQUIRE(video.frames.size() == 10);
        CHECK(video.duration == Approx(1.0).margin(0.011));
        for (std::size_t i = 0; i < video.times.size(); ++i) CHECK(video.times[i] == Approx(0.1 * static_cast<double>(i)).margin(0.011));
        // Frames 0, 5 and 9 show steps 0, 50 and 90: close to their stills (a lossy codec, 4:2:0
        // colour), and clearly farther from the stills of the other steps.
        const std::size_t frame_of[3] = {0, 5, 9};
        for (std::size_t k = 0; k < 3; ++k) {
            INFO("frame " << frame_of[k]);
            const Difference own = difference(video.frames[frame_of[k]], stills[k]);
            CHECK(own.mean < 2.0);
            CHECK(own.far_pixels < 400);  // of 64 000
            for (std::size_t other = 0; other < 3; ++other) {
                if (other == k) continue;
                const Difference wrong = difference(video.frames[frame_of[k]], stills[other]);
                CHECK(wrong.far_pixels > own.far_pixels + 500);
            }
        }
    }
    CHECK(test::folder_entries(folder.path()) == std::vector<std::string>{"a.mp4", "a.webm"});
}

TEST_CASE("an animation export renders a frame per slice, and a cancel leaves no file behind", "[animation][render]") {
    ScratchFolder folder;
    const std::string path = folder.file("cancelled.mp4");
    Scene scene = default_scene();
    scene.steps = 40;
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    app::AnimationRequest request;
    request.path = path;
    request.width = 160;
    request.height = 100;
    request.fps = 10;
    request.duration = 3.0;
    app::AnimationExport animation(std::make_unique<app::AppState>(scene), request);
    CHECK(animation.phase() == app::AnimationExport::Phase::Preparing);
    int slices = 0;
    while (animation.frames_rendered() < 5 && slices < 1000) {
        const int before = animation.frames_rendered();
        animation.advance(renderer, std::chrono::steady_clock::duration::zero());
        CHECK(animation.frames_rendered() - before <= 1);  // a zero budget: at most one frame a slice
        ++slices;
        if (animation.frames_rendered() == before) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(animation.frames_rendered() == 5);
    CHECK(animation.frames_total() == 30);
    CHECK(animation.progress() > 0.0f);
    CHECK(animation.progress() < 1.0f);
    animation.cancel();
    CHECK(animation.done());
    CHECK(animation.error() == "cancelled");
    // The worker stops by itself; wait for it without assuming how long that takes.
    while (animation.threads() > 0) {
        animation.wait(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(test::folder_entries(folder.path()).empty());

    // The same export, not cancelled, writes the file.
    app::AnimationExport whole(std::make_unique<app::AppState>(scene), request);
    while (!whole.done()) {
        whole.advance(renderer, std::chrono::milliseconds(50));
        whole.wait(std::chrono::milliseconds(10));
    }
    CHECK(whole.error().empty());
    CHECK(whole.progress() == 1.0f);
    CHECK(test::decode_video(path).frames.size() == 30);
}

TEST_CASE("run_animation reports progress as frames are encoded, up to the total", "[animation][render]") {
    ScratchFolder folder;
    Scene scene = default_scene();
    scene.steps = 30;
    app::AnimationRequest request;
    request.path = folder.file("progress.webm");
    request.width = 96;
    request.height = 64;
    request.fps = 20;
    request.steps_per_frame = 2;  // steps 0, 2, ..., 30: 16 frames
    std::vector<std::pair<int, int>> calls;
    const std::string summary = app::run_animation(scene, request, [&](int done, int total) { calls.emplace_back(done, total); });
    CHECK_THAT(summary, Catch::Contains("(96x64, 16 frames at 20 fps, 0.80 s, WebM, steps 0 to 30)"));
    REQUIRE(!calls.empty());
    CHECK(calls.back() == std::pair<int, int>{16, 16});
    for (std::size_t i = 1; i < calls.size(); ++i) {
        CHECK(calls[i].first > calls[i - 1].first);  // reported only when it moved, never backwards
        CHECK(calls[i].second == 16);
    }
    CHECK(test::decode_video(request.path).frames.size() == 16);
}

TEST_CASE("GIF frames follow the action: spaced by path length, or by log(step) with --time log", "[animation]") {
    // One run that moves one unit a step for 2 steps, then stands still: progress 0, 0.5, 1, 1, 1.
    Trajectory run;
    run.x = {0, 1, 2, 2, 2};
    run.y = {0, 0, 0, 0, 0};
    CHECK(app::path_progress({&run}, 4) == std::vector<double>{0, 0.5, 1, 1, 1});
    // A second run that moves evenly: each run counts for its own whole, whatever its length.
    Trajectory even;
    even.x = {0, 10, 20, 30, 40};
    even.y = {0, 0, 0, 0, 0};
    CHECK(app::path_progress({&run, &even, nullptr}, 4) == std::vector<double>{0, 0.75, 1.5, 1.75, 2});

    // Progress that comes fast and then slows (as an optimizer's): 1 - exp(-step / 10).
    std::vector<double> progress;
    for (long s = 0; s <= 90; ++s) progress.push_back(1 - std::exp(-static_cast<double>(s) / 10));
    app::AnimationRequest request;
    request.path = "a.gif";
    request.fps = 10;
    request.duration = 1.0;
    const app::AnimationPlan gif = app::plan_animation(request, 90, progress);
    REQUIRE(gif.steps.size() == 10);
    CHECK(gif.steps.front() == 0);
    CHECK(gif.steps.back() == 90);
    CHECK(std::is_sorted(gif.steps.begin(), gif.steps.end()));
    // Frame i at the first step with progress >= i/9 of the whole: most frames early, where it moves.
    CHECK(gif.steps == std::vector<long>{0, 2, 3, 5, 6, 9, 11, 16, 22, 90});
    // Video keeps even steps unless asked; --time path gives it the same frames as the GIF.
    request.path = "a.mp4";
    CHECK(app::plan_animation(request, 90, progress).steps[1] == 10);
    request.timing = app::FrameTiming::Path;
    CHECK(app::plan_animation(request, 90, progress).steps == gif.steps);
    // --time log: as many frames for steps 1-9 as for 10-90.
    request.timing = app::FrameTiming::Log;
    const app::AnimationPlan log = app::plan_animation(request, 90);
    CHECK(log.steps == std::vector<long>{0, 1, 2, 3, 6, 11, 19, 32, 54, 90});
    // No progress to follow (nothing moves): even steps.
    request.timing = app::FrameTiming::Path;
    CHECK(app::plan_animation(request, 90, std::vector<double>(91, 0.0)).steps[1] == 10);
    CHECK_THROWS_WITH(app::parse_frame_timing("sideways"), "--time: expected steps, path or log, got 'sideways'");
}
