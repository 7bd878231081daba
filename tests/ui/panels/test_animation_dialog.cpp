// The "Export animation" window through real ImGui frames: Export starts, Cancel (shown only while
// an export runs) cancels, and the file's extension follows the format.
#include "support/catch.h"

#include <optional>

#include "support/find_item.h"
#include "support/headless_imgui.h"
#include "ui/panels/animation_dialog.h"

using namespace optiviz;

namespace {

// The dialog, open over a run of `last_step` steps, in a headless ImGui of its own.
struct OpenDialog {
    test::HeadlessImGui imgui{1280, 800};
    ui::AnimationDialog dialog;
    ui::AnimationDialogStatus status;
    explicit OpenDialog(long last_step) {
        dialog.open = true;
        status.last_step = last_step;
    }
};

}  // namespace

TEST_CASE("the animation file's extension follows the chosen format", "[ui][animation]") {
    CHECK(ui::with_animation_extension("out/run.mp4", ui::AnimationFormat::Gif) == "out/run.gif");
    CHECK(ui::with_animation_extension("out/run.GIF", ui::AnimationFormat::WebM) == "out/run.webm");
    CHECK(ui::with_animation_extension("movie", ui::AnimationFormat::Mp4) == "movie.mp4");
    CHECK(ui::with_animation_extension("my.files/clip", ui::AnimationFormat::Gif) == "my.files/clip.gif");
    CHECK(ui::with_animation_extension("notes.txt", ui::AnimationFormat::Gif) == "notes.txt.gif");
}

TEST_CASE("the animation dialog: Export starts, Cancel shows and cancels while an export runs", "[ui][animation]") {
    OpenDialog open(300);
    auto& [imgui, dialog, status] = open;
    ui::AnimationDialogActions actions;
    const auto body = [&] {
        const ui::AnimationDialogActions a = ui::draw_animation_dialog(dialog, status);
        actions.start = actions.start || a.start;
        actions.cancel = actions.cancel || a.cancel;
    };

    const std::optional<ImVec2> export_button = test::find_item(imgui, body, "Export animation", "Export");
    REQUIRE(export_button);
    CHECK(!test::find_item(imgui, body, "Export animation", "Cancel"));  // nothing to cancel yet
    actions = {};
    imgui.click(*export_button, body);
    CHECK(actions.start);
    CHECK(!actions.cancel);

    status.running = true;
    status.progress = 0.4f;
    status.activity = "rendered 72, encoded 70 of 180 frames";
    actions = {};
    const std::optional<ImVec2> cancel_button = test::find_item(imgui, body, "Export animation", "Cancel");
    REQUIRE(cancel_button);
    CHECK(!test::find_item(imgui, body, "Export animation", "Export"));  // one export at a time
    imgui.click(*cancel_button, body);
    CHECK(actions.cancel);
    CHECK(!actions.start);

    // Closed, it draws nothing and asks for nothing.
    dialog.open = false;
    actions = {};
    CHECK(!test::find_item(imgui, body, "Export animation", "Cancel"));
    CHECK(!actions.cancel);
}

TEST_CASE("the animation dialog keeps the step range inside the run", "[ui][animation]") {
    test::HeadlessImGui imgui(1280, 800);
    ui::AnimationDialog dialog;
    dialog.open = true;
    dialog.whole_run = false;
    dialog.from = 250;
    dialog.to = 900;
    ui::AnimationDialogStatus status;
    status.last_step = 200;  // the run became shorter since the range was typed
    imgui.frame([&] { ui::draw_animation_dialog(dialog, status); });
    CHECK(dialog.to == 200);
    CHECK(dialog.from == 200);
}

TEST_CASE("the animation dialog's file field has a \"...\" button when a file dialog can be shown", "[ui][animation]") {
    OpenDialog open(300);
    auto& [imgui, dialog, status] = open;
    bool chosen = false;
    const auto body = [&] { chosen = ui::draw_animation_dialog(dialog, status).choose_file || chosen; };

    CHECK(!test::find_item(imgui, body, "Export animation", "...##file"));  // no dialog: typed paths only
    status.file_dialogs = true;
    const std::optional<ImVec2> button = test::find_item(imgui, body, "Export animation", "...##file");
    REQUIRE(button);
    CHECK(!chosen);  // hovering is not pressing
    imgui.click(*button, body);
    CHECK(chosen);
}
