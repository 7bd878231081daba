// ui/imgui_compat.h: keys pressed the way the GLFW backend reports them are seen by name, on
// ImGui 1.86 (Debian 12) and 1.90 (Debian 13) alike.
#include "support/catch.h"

#include <vector>

#include "support/headless_imgui.h"
#include "ui/imgui_compat.h"

using optiviz::test::HeadlessImGui;
namespace ui = optiviz::ui;

namespace {
// What the app's key checks saw, frame by frame.
struct Seen {
    std::vector<bool> space, right, r, s, f1, f11;
    void record() {
        space.push_back(ui::key_pressed(ImGuiKey_Space));
        right.push_back(ui::key_pressed(ImGuiKey_RightArrow));
        r.push_back(ui::char_key_pressed('R'));
        s.push_back(ui::char_key_pressed('s'));
        f1.push_back(ui::function_key_pressed(1));
        f11.push_back(ui::function_key_pressed(11));
    }
};
int count(const std::vector<bool>& frames) {
    int n = 0;
    for (bool b : frames) n += b ? 1 : 0;
    return n;
}
}  // namespace

TEST_CASE("named keys are pressed once per press, and only the key pressed", "[ui][keys]") {
    HeadlessImGui imgui;
    Seen seen;
    const auto body = [&] { seen.record(); };
    imgui.frame(body);
    imgui.press_key(ImGuiKey_Space, body);
    CHECK(count(seen.space) == 1);
    CHECK(count(seen.right) == 0);
    imgui.press_key(ImGuiKey_RightArrow, body);
    CHECK(count(seen.right) == 1);
    CHECK(count(seen.space) == 1);
    CHECK(count(seen.r) + count(seen.s) + count(seen.f1) + count(seen.f11) == 0);
}

TEST_CASE("letters are found by either case, function keys by number", "[ui][keys]") {
    HeadlessImGui imgui;
    Seen seen;
    const auto body = [&] { seen.record(); };
    imgui.frame(body);
    imgui.press_char_key('r', body);  // lower case: the same physical key as 'R'
    CHECK(count(seen.r) == 1);
    CHECK(count(seen.s) == 0);
    imgui.press_char_key('S', body);
    CHECK(count(seen.s) == 1);
    ui::set_function_key_down(imgui.io(), 11, true);
    imgui.frame(body);
    ui::set_function_key_down(imgui.io(), 11, false);
    imgui.frame(body);
    CHECK(count(seen.f11) == 1);
    CHECK(count(seen.f1) == 0);
    CHECK(count(seen.space) + count(seen.right) == 0);
    CHECK_FALSE(ui::char_key_pressed('?'));
    CHECK_FALSE(ui::function_key_pressed(13));
}

TEST_CASE("Ctrl is reported through io.KeyCtrl once set", "[ui][keys]") {
    HeadlessImGui imgui;
    bool ctrl_and_s = false;
    const auto body = [&] { ctrl_and_s = ctrl_and_s || (ImGui::GetIO().KeyCtrl && ui::char_key_pressed('S')); };
    imgui.press_char_key('S', body);
    CHECK_FALSE(ctrl_and_s);
    ui::set_modifiers(imgui.io(), true, false);
    imgui.press_char_key('S', body);
    CHECK(ctrl_and_s);
    ui::set_modifiers(imgui.io(), false, false);
}
