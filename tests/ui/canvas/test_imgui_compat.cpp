// ui/canvas/imgui_compat.h: keys pressed the way the GLFW backend reports them are seen by name, on
// ImGui 1.86 (Debian 12) and 1.90 (Debian 13) alike.
#include "support/catch.h"

#include <string>
#include <vector>

#include "support/headless_imgui.h"
#include "ui/canvas/imgui_compat.h"

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

// ---- Shortcuts by the character a key types, on US, German and French layouts. The tables are
// what glfwGetKeyName answers on each (X11 xkb "us", "de", "fr"), for the keys that differ.
namespace {

const char* us_key_name(int code) {
    static char name[2] = {};
    if ((code >= 'A' && code <= 'Z') || (code >= '0' && code <= '9')) {
        name[0] = static_cast<char>(code >= 'A' ? code - 'A' + 'a' : code);
        return name;
    }
    return nullptr;
}

const char* de_key_name(int code) {  // QWERTZ: Y and Z swapped
    if (code == 'Y') return "z";
    if (code == 'Z') return "y";
    if (code == 45) return "\xc3\x9f";  // GLFW_KEY_MINUS types ß (two bytes: no letter)
    return us_key_name(code);
}

const char* fr_key_name(int code) {  // AZERTY: A/Q and Z/W swapped, M where ; is, the digit row types symbols
    switch (code) {
        case 'A': return "q";
        case 'Q': return "a";
        case 'Z': return "w";
        case 'W': return "z";
        case 'M': return ",";
        case 59: return "m";  // GLFW_KEY_SEMICOLON
        case '1': return "&";
        case '2': return "\xc3\xa9";
        default: return us_key_name(code);
    }
}

// Presses, with Ctrl, the key that sits where `us_label` sits on a US keyboard, and says which of
// the app's shortcut letters were seen.
std::string letters_seen_for(char us_label, const ui::KeyLayout& layout) {
    HeadlessImGui imgui;
    ui::current_key_layout() = layout;
    std::string seen;
    const auto body = [&] {
        for (char c : std::string("AQSOZYRF"))
            if (ui::char_key_pressed(c)) seen += c;
    };
    imgui.frame(body);
    ui::set_modifiers(imgui.io(), true, false);
    ui::set_physical_key_down(imgui.io(), us_label, true, layout);
    imgui.frame(body);
    ui::set_physical_key_down(imgui.io(), us_label, false, layout);
    imgui.frame(body);
    ui::current_key_layout() = ui::KeyLayout();
    return seen;
}

}  // namespace

TEST_CASE("a layout table maps each letter to the key that types it", "[ui][keys][layout]") {
    const auto us = ui::KeyLayout::from_key_names(us_key_name);
    const auto de = ui::KeyLayout::from_key_names(de_key_name);
    const auto fr = ui::KeyLayout::from_key_names(fr_key_name);
    CHECK(us == ui::KeyLayout());
    CHECK(us.code_for('z') == 'Z');
    CHECK(de.code_for('z') == 'Y');
    CHECK(de.code_for('Y') == 'Z');
    CHECK(fr.code_for('a') == 'Q');
    CHECK(fr.code_for('q') == 'A');
    CHECK(fr.code_for('m') == 59);
    CHECK(fr.code_for('1') == '1');  // no key types a bare 1 on AZERTY: the US key stays
    CHECK(fr.code_for('s') == 'S');
    CHECK(fr.code_for(',') == -1);
}

TEST_CASE("shortcuts follow the label on the key: German Ctrl+Z undoes, French Ctrl+A does not quit", "[ui][keys][layout]") {
    const auto us = ui::KeyLayout::from_key_names(us_key_name);
    const auto de = ui::KeyLayout::from_key_names(de_key_name);
    const auto fr = ui::KeyLayout::from_key_names(fr_key_name);
    CHECK(letters_seen_for('Z', us) == "Z");
    CHECK(letters_seen_for('Y', us) == "Y");
    // German: the key labelled Z sits where US has Y.
    CHECK(letters_seen_for('Y', de) == "Z");
    CHECK(letters_seen_for('Z', de) == "Y");
    // French: the key labelled A sits where US has Q, and the one labelled Q where US has A.
    CHECK(letters_seen_for('Q', fr) == "A");
    CHECK(letters_seen_for('A', fr) == "Q");
    CHECK(letters_seen_for('W', fr) == "Z");
    CHECK(letters_seen_for('S', fr) == "S");
}

TEST_CASE("a Ctrl chord typed within one frame still counts with Ctrl, and Ctrl is up after it", "[ui][keys]") {
    HeadlessImGui imgui;
    ui::KeyPressLatch latch;
    int undos = 0, plain = 0;
    bool ctrl_after = true;
    const auto body = [&] {
        const bool z = ui::char_key_pressed('Z');
        undos += z && ImGui::GetIO().KeyCtrl ? 1 : 0;
        plain += z && !ImGui::GetIO().KeyCtrl ? 1 : 0;
        ctrl_after = ImGui::GetIO().KeyCtrl;
    };
    imgui.frame(body);
    // One poll brought Ctrl down, Z down, Z up, Ctrl up (xdotool key ctrl+z, or a slow frame): the
    // backend told the latch of both presses, Z's with GLFW's Ctrl bit (2).
    ui::set_modifiers(imgui.io(), true, false);
    latch.pressed(341);  // GLFW_KEY_LEFT_CONTROL
    ui::set_char_key_down(imgui.io(), 'Z', true);
    latch.pressed('Z', 2);
    ui::set_char_key_down(imgui.io(), 'Z', false);
    ui::set_modifiers(imgui.io(), false, false);
    for (int frame = 0; frame < 3; ++frame) {
        latch.hold(imgui.io());
        imgui.frame(body);
    }
    CHECK(undos == 1);
    CHECK(plain == 0);
    CHECK_FALSE(ctrl_after);  // released with the chord: the next frames see no Ctrl
    // Twice quickly: a chord in each of two frames in a row is two presses (the second comes while
    // the latch still holds the first one's key down).
    undos = 0;
    for (int chord = 0; chord < 2; ++chord) {
        ui::set_modifiers(imgui.io(), true, false);
        latch.pressed(341);
        ui::set_char_key_down(imgui.io(), 'Z', true);
        latch.pressed('Z', 2);
        ui::set_char_key_down(imgui.io(), 'Z', false);
        ui::set_modifiers(imgui.io(), false, false);
        latch.hold(imgui.io());
        imgui.frame(body);
    }
    latch.hold(imgui.io());
    imgui.frame(body);
    CHECK(undos == 2);
}

TEST_CASE("a key pressed and released between two frames still counts, once", "[ui][keys]") {
    HeadlessImGui imgui;
    ui::KeyPressLatch latch;
    int presses = 0;
    bool down = false;
    const auto body = [&] {
        presses += ui::char_key_pressed('Z') ? 1 : 0;
        down = ui::char_key_down('Z');
    };
    imgui.frame(body);
    // The backend saw the press and the release in the same poll, and told the latch of the press.
    ui::set_char_key_down(imgui.io(), 'Z', true);
    latch.pressed('Z');  // GLFW_KEY_Z
    ui::set_char_key_down(imgui.io(), 'Z', false);
    for (int frame = 0; frame < 3; ++frame) {
        latch.hold(imgui.io());
        imgui.frame(body);
    }
    CHECK(presses == 1);
    CHECK_FALSE(down);  // up again after the one frame
    // A key held across frames stays down while held.
    ui::set_char_key_down(imgui.io(), 'Z', true);
    latch.pressed('Z');
    for (int frame = 0; frame < 2; ++frame) {
        latch.hold(imgui.io());
        imgui.frame(body);
    }
    CHECK(down);
    CHECK(presses == 2);
    ui::set_char_key_down(imgui.io(), 'Z', false);
    latch.hold(imgui.io());
    imgui.frame(body);
    CHECK_FALSE(down);
}
