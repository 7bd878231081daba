// The window's animation export end to end, headless: the dialog's Export button starts an export
// that runs in slices (as the window calls it after each frame) and writes the file; Cancel stops
// one and leaves nothing behind.
#include "support/catch.h"

#include <thread>

#include "app/window/animation_export_panel.h"
#include "render/offscreen_context.h"
#include "support/find_item.h"
#include "support/full_disk.h"
#include "support/video_decode.h"

using namespace optiviz;

TEST_CASE("the window's animation export: Export writes the file in slices, Cancel writes nothing",
          "[app][animation][render]") {
    test::ScratchFolder folder;
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    test::HeadlessImGui imgui(1280, 800);
    Scene scene = default_scene();
    scene.steps = 60;
    app::AppState state(scene);
    state.finish();

    app::AnimationExportPanel panel;
    panel.dialog.path = folder.file("window.gif");
    panel.dialog.format = ui::AnimationFormat::Gif;
    panel.dialog.width = 200;
    panel.dialog.height = 120;
    panel.dialog.fps = 10;
    panel.dialog.duration = 1.0f;
    panel.open("/somewhere/else");  // a path with a folder is kept as typed
    CHECK(panel.dialog.path == folder.file("window.gif"));
    const auto body = [&] { panel.draw(state); };
    // One window frame: draw, then the export's slice on the GL thread (a zero budget: one picture).
    const auto window_frame = [&] {
        imgui.frame(body);
        panel.update(state, renderer, std::chrono::steady_clock::duration::zero());
    };

    const auto export_button = test::find_item(imgui, body, "Export animation", "Export");
    REQUIRE(export_button);
    imgui.click(*export_button, body);
    panel.update(state, renderer, std::chrono::steady_clock::duration::zero());
    CHECK(panel.running());
    // The user keeps editing the scene: the export draws the scene as it was.
    state.scene().steps = 10;
    state.finish();
    int frames = 0;
    while (panel.running() && frames < 100000) {
        window_frame();
        ++frames;
    }
    CHECK(panel.message() == "wrote " + folder.file("window.gif") + " (10 frames)");
    CHECK(!panel.message_is_error());
    CHECK(frames >= 10);  // a picture per window frame at most, not one long block
    const test::DecodedVideo gif = test::decode_video(folder.file("window.gif"));
    CHECK(gif.frames.size() == 10);
    CHECK(gif.width == 200);

    // A second export, cancelled after it started: no file, and its worker is let go once stopped.
    panel.dialog.format = ui::AnimationFormat::Mp4;
    panel.dialog.path = folder.file("cancelled.mp4");
    panel.dialog.duration = 30.0f;
    const auto again = test::find_item(imgui, body, "Export animation", "Export");
    REQUIRE(again);
    imgui.click(*again, body);
    panel.update(state, renderer, std::chrono::steady_clock::duration::zero());
    REQUIRE(panel.running());
    for (int i = 0; i < 3; ++i) window_frame();
    const auto cancel_button = test::find_item(imgui, body, "Export animation", "Cancel");
    REQUIRE(cancel_button);
    imgui.click(*cancel_button, body);
    panel.update(state, renderer, std::chrono::steady_clock::duration::zero());
    CHECK(!panel.running());
    CHECK(panel.message() == "cancelled: nothing was written");
    while (panel.stopping() > 0) {
        window_frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(test::folder_entries(folder.path()) == std::vector<std::string>{"window.gif"});

    // Bad settings are refused at once, in the dialog.
    panel.dialog.path = folder.file("odd.mp4");
    panel.dialog.width = 201;
    imgui.click(*test::find_item(imgui, body, "Export animation", "Export"), body);
    panel.update(state, renderer, std::chrono::steady_clock::duration::zero());
    window_frame();
    CHECK(!panel.running());
    CHECK(panel.message_is_error());
    CHECK_THAT(panel.message(), Catch::Contains("even width and height"));
}

TEST_CASE("the animation dialog's \"...\": one request per press, and the chosen file picks the format", "[app][animation]") {
    test::HeadlessImGui imgui(1280, 800);
    app::AnimationExportPanel panel;
    panel.file_dialogs = true;
    panel.dialog.path = "out/run.gif";
    panel.dialog.format = ui::AnimationFormat::Gif;
    panel.dialog.fps = 25;
    Scene scene = default_scene();
    scene.steps = 20;
    app::AppState state(scene);
    state.finish();
    panel.open("");
    const auto body = [&] { panel.draw(state); };
    CHECK(!panel.take_file_request());
    const std::optional<ImVec2> button = test::find_item(imgui, body, "Export animation", "...##file");
    REQUIRE(button);
    imgui.click(*button, body);
    CHECK(panel.take_file_request());
    CHECK(!panel.take_file_request());  // taken once

    panel.use_chosen_file("/tmp/clip.mp4");  // an extension the menu knows: it picks the format
    CHECK(panel.dialog.path == "/tmp/clip.mp4");
    CHECK(panel.dialog.format == ui::AnimationFormat::Mp4);
    CHECK(panel.dialog.fps == 30);
    panel.use_chosen_file("/tmp/clip");  // none: the format's extension is added
    CHECK(panel.dialog.path == "/tmp/clip.mp4");
    CHECK(panel.dialog.format == ui::AnimationFormat::Mp4);
    panel.use_chosen_file("/tmp/slides.WEBM");
    CHECK(panel.dialog.format == ui::AnimationFormat::WebM);
    CHECK(panel.dialog.path == "/tmp/slides.webm");
}
