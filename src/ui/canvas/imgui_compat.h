// Keyboard input that compiles and behaves the same on Debian 12's ImGui 1.86 and Debian 13's 1.90.
//
// 1.86 knows keys only as backend codes: `IsKeyPressed(int)` reads io.KeysDown[code], the GLFW
// backend stores GLFW key codes there (a letter's code is its upper-case ASCII, F1 is 290), and the
// few named keys (ImGuiKey_Space, arrows, Enter...) go through io.KeyMap. Since 1.87 every key has
// a name (ImGuiKey_R, ImGuiKey_F1), backends send io.AddKeyEvent, and 1.89 made ImGuiKey an enum,
// so `IsKeyPressed('R')` no longer compiles. Everything that differs lives here: the app asks for
// keys by name, and tests press them through the same functions the backend would use.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace optiviz::ui {

#if IMGUI_VERSION_NUM >= 18700
inline constexpr bool kImGuiHasNamedKeys = true;
#else
inline constexpr bool kImGuiHasNamedKeys = false;
#endif

// A named key that both versions define: Space, arrows, Enter, Escape, Tab, Home, End, Delete...
inline bool key_pressed(ImGuiKey key, bool repeat = true) {
#if IMGUI_VERSION_NUM >= 18700
    return ImGui::IsKeyPressed(key, repeat);
#else
    return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), repeat);
#endif
}

// Which key types which letter or digit on the user's keyboard layout. The GLFW backend of 1.86
// reports keys by position (GLFW's key codes name the keys of a US keyboard), so on a German layout
// the key labelled Z reports GLFW_KEY_Y, and on a French one the key labelled A reports GLFW_KEY_Q.
// A shortcut is meant by its label: the app builds this table from what each key types
// (glfwGetKeyName) and char_key_pressed looks the letter up in it. 1.87 and later need no table:
// their GLFW backend already sends the key by the character it types.
class KeyLayout {
public:
    // GLFW's printable keys, the ones glfwGetKeyName names: ' , - . / 0-9 ; = A-Z [ \ ] ` and the two "world" keys.
    static constexpr std::array<int, 50> kPrintableCodes = {
        39, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 59, 61, 65, 66, 67, 68, 69, 70, 71, 72,
        73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 96, 161, 162, 0};

    KeyLayout() {  // US: a letter's or digit's key code is its upper-case ASCII value
        for (int i = 0; i < 26; ++i) codes_[static_cast<std::size_t>(i)] = 'A' + i;
        for (int i = 0; i < 10; ++i) codes_[static_cast<std::size_t>(26 + i)] = '0' + i;
    }
    // `key_name(code)` is what the key with GLFW code `code` types without modifiers (glfwGetKeyName's
    // answer: "z", "ß", or null). A letter or digit no key types keeps its US key.
    template <class KeyName>
    static KeyLayout from_key_names(KeyName key_name) {
        KeyLayout layout;
        std::array<bool, 36> found{};
        for (const int code : kPrintableCodes) {
            if (code == 0) break;
            const char* name = key_name(code);
            if (!name || !name[0] || name[1]) continue;  // nothing, or more than one byte (not ASCII)
            const int slot = slot_of(name[0]);
            if (slot < 0 || found[static_cast<std::size_t>(slot)]) continue;
            found[static_cast<std::size_t>(slot)] = true;
            layout.codes_[static_cast<std::size_t>(slot)] = code;
        }
        return layout;
    }
    // The key code that types `c` ('a'..'z' either case, '0'..'9'); -1 for anything else.
    int code_for(char c) const {
        const int slot = slot_of(c);
        return slot < 0 ? -1 : codes_[static_cast<std::size_t>(slot)];
    }
    bool operator==(const KeyLayout&) const = default;

private:
    static int slot_of(char c) {
        if (c >= 'a' && c <= 'z') return c - 'a';
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= '0' && c <= '9') return 26 + (c - '0');
        return -1;
    }
    std::array<int, 36> codes_{};
};

// The layout char_key_pressed reads: one per process, like ImGui's own context; the app sets it from
// GLFW at start and whenever the layout may have changed, tests set fake ones. Default: US.
inline KeyLayout& current_key_layout() {
    static KeyLayout layout;
    return layout;
}

// The key labelled with a letter ('A'..'Z', either case) or a digit ('0'..'9') on the current
// layout; anything else is never pressed.
inline bool char_key_pressed(char c, bool repeat = false) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool letter = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if (!letter && !digit) return false;
#if IMGUI_VERSION_NUM >= 18700
    const ImGuiKey key = letter ? static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A')) : static_cast<ImGuiKey>(ImGuiKey_0 + (c - '0'));
    return ImGui::IsKeyPressed(key, repeat);
#else
    return ImGui::IsKeyPressed(current_key_layout().code_for(c), repeat);
#endif
}

// Whether the key labelled `c` is held now (see char_key_pressed).
inline bool char_key_down(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool letter = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if (!letter && !digit) return false;
#if IMGUI_VERSION_NUM >= 18700
    return ImGui::IsKeyDown(letter ? static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A')) : static_cast<ImGuiKey>(ImGuiKey_0 + (c - '0')));
#else
    return ImGui::IsKeyDown(current_key_layout().code_for(c));
#endif
}

// On 1.86 a key pressed and released between two frames never shows as down (io.KeysDown is the
// state at NewFrame), so a quick tap of Ctrl+Z could be lost. The app tells the latch about every
// press the backend reports; before each NewFrame the latch holds a key that is already up again
// down for that one frame. A whole chord can pass within one poll too (Ctrl down, Z down and up,
// Ctrl up, as xdotool types it or a quick hand during a slow frame), so the modifiers held at the
// press (GLFW's mods: 1 Shift, 2 Ctrl, 4 Alt, 8 Super) are held for that frame as well.
// 1.87 and later queue key events themselves: the latch does nothing there.
class KeyPressLatch {
public:
    void pressed(int code, int mods = 0) {
        if (code < 0 || code >= 512) return;
        pending_.push_back(code);
        pending_mods_ |= mods;
    }
    // Call after the backend's NewFrame and before ImGui::NewFrame.
    void hold(ImGuiIO& io) {
#if IMGUI_VERSION_NUM < 18700
        // Held last frame: up again now, unless pressed anew (then the backend's state stands).
        for (const int code : held_)
            if (std::find(pending_.begin(), pending_.end(), code) == pending_.end()) io.KeysDown[code] = false;
        held_.clear();
        if (held_mods_) {  // the modifiers as the keys are now, as the backend computes them (GLFW codes 340-347)
            io.KeyShift = io.KeysDown[340] || io.KeysDown[344];
            io.KeyCtrl = io.KeysDown[341] || io.KeysDown[345];
            io.KeyAlt = io.KeysDown[342] || io.KeysDown[346];
            io.KeySuper = io.KeysDown[343] || io.KeysDown[347];
            held_mods_ = false;
        }
        for (const int code : pending_) {
            // A press since the last frame is a new press even if the key was down in it (held by
            // the latch, or released and pressed again between the frames): NewFrame then starts
            // its down time at 0, which is what IsKeyPressed looks for.
            io.KeysDownDuration[code] = -1.0f;
            if (!io.KeysDown[code]) {
                io.KeysDown[code] = true;
                held_.push_back(code);
            }
        }
        if (!held_.empty() && pending_mods_) {
            io.KeyShift = io.KeyShift || (pending_mods_ & 1);
            io.KeyCtrl = io.KeyCtrl || (pending_mods_ & 2);
            io.KeyAlt = io.KeyAlt || (pending_mods_ & 4);
            io.KeySuper = io.KeySuper || (pending_mods_ & 8);
            held_mods_ = true;
        }
#else
        (void)io;
#endif
        pending_.clear();
        pending_mods_ = 0;
    }

private:
    std::vector<int> pending_, held_;
    int pending_mods_ = 0;
    bool held_mods_ = false;
};

// F1..F12; anything else is never pressed.
inline bool function_key_pressed(int n, bool repeat = false) {
    if (n < 1 || n > 12) return false;
#if IMGUI_VERSION_NUM >= 18700
    return ImGui::IsKeyPressed(static_cast<ImGuiKey>(ImGuiKey_F1 + (n - 1)), repeat);
#else
    return ImGui::IsKeyPressed(290 + (n - 1), repeat);  // GLFW_KEY_F1 = 290
#endif
}

// ---- Input as a backend sends it, for headless frames in tests (no GLFW backend involved).

// Call once after creating a context: on 1.86 maps the named keys to the GLFW codes the real
// backend uses; newer versions need nothing (and mixing the old map with key events asserts).
inline void prepare_key_input(ImGuiIO& io) {
#if IMGUI_VERSION_NUM < 18700
    const struct {
        ImGuiKey key;
        int glfw_code;
    } map[] = {{ImGuiKey_Tab, 258},       {ImGuiKey_LeftArrow, 263}, {ImGuiKey_RightArrow, 262}, {ImGuiKey_UpArrow, 265},
               {ImGuiKey_DownArrow, 264}, {ImGuiKey_PageUp, 266},    {ImGuiKey_PageDown, 267},   {ImGuiKey_Home, 268},
               {ImGuiKey_End, 269},       {ImGuiKey_Insert, 260},    {ImGuiKey_Delete, 261},     {ImGuiKey_Backspace, 259},
               {ImGuiKey_Space, 32},      {ImGuiKey_Enter, 257},     {ImGuiKey_Escape, 256},     {ImGuiKey_KeyPadEnter, 335},
               {ImGuiKey_A, 'A'},         {ImGuiKey_C, 'C'},         {ImGuiKey_V, 'V'},          {ImGuiKey_X, 'X'},
               {ImGuiKey_Y, 'Y'},         {ImGuiKey_Z, 'Z'}};
    for (const auto& m : map) io.KeyMap[m.key] = m.glfw_code;
#else
    (void)io;
#endif
}

inline void set_key_down(ImGuiIO& io, ImGuiKey key, bool down) {
#if IMGUI_VERSION_NUM >= 18700
    io.AddKeyEvent(key, down);
#else
    io.KeysDown[io.KeyMap[key]] = down;
#endif
}

inline void set_char_key_down(ImGuiIO& io, char c, bool down) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
#if IMGUI_VERSION_NUM >= 18700
    const bool letter = c >= 'A' && c <= 'Z';
    io.AddKeyEvent(letter ? static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A')) : static_cast<ImGuiKey>(ImGuiKey_0 + (c - '0')), down);
#else
    io.KeysDown[static_cast<unsigned char>(c)] = down;
#endif
}

// The key at a US letter's or digit's position (its GLFW code) held or released, as 1.86's backend
// reports it whatever the layout; on 1.87 and later the backend reports the character the key types
// on `layout`, which is what is sent here.
inline void set_physical_key_down(ImGuiIO& io, char us_label, bool down, const KeyLayout& layout) {
    if (us_label >= 'a' && us_label <= 'z') us_label = static_cast<char>(us_label - 'a' + 'A');
#if IMGUI_VERSION_NUM >= 18700
    for (char c = 'A'; c <= 'Z'; ++c)
        if (layout.code_for(c) == us_label) io.AddKeyEvent(static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A')), down);
#else
    (void)layout;
    io.KeysDown[static_cast<unsigned char>(us_label)] = down;
#endif
}

inline void set_function_key_down(ImGuiIO& io, int n, bool down) {
#if IMGUI_VERSION_NUM >= 18700
    io.AddKeyEvent(static_cast<ImGuiKey>(ImGuiKey_F1 + (n - 1)), down);
#else
    io.KeysDown[290 + (n - 1)] = down;
#endif
}

// Ctrl / Shift held or released (io.KeyCtrl and io.KeyShift follow on the next frame).
inline void set_modifiers(ImGuiIO& io, bool ctrl, bool shift) {
#if IMGUI_VERSION_NUM >= 18900
    io.AddKeyEvent(ImGuiMod_Ctrl, ctrl);
    io.AddKeyEvent(ImGuiMod_Shift, shift);
#elif IMGUI_VERSION_NUM >= 18700
    io.AddKeyEvent(ImGuiKey_ModCtrl, ctrl);
    io.AddKeyEvent(ImGuiKey_ModShift, shift);
#else
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
#endif
}

}  // namespace optiviz::ui
