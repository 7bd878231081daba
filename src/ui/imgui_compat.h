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

// A letter ('A'..'Z', either case) or a digit ('0'..'9'); anything else is never pressed.
inline bool char_key_pressed(char c, bool repeat = false) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool letter = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if (!letter && !digit) return false;
#if IMGUI_VERSION_NUM >= 18700
    const ImGuiKey key = letter ? static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A')) : static_cast<ImGuiKey>(ImGuiKey_0 + (c - '0'));
    return ImGui::IsKeyPressed(key, repeat);
#else
    return ImGui::IsKeyPressed(c, repeat);  // GLFW's code for a letter or digit is its ASCII value
#endif
}

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
