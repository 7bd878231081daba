// Real ImGui frames with no window and no renderer, for UI tests: the test sets the mouse and
// keys, runs a frame body, and ImGui does the rest exactly as in the app.
#pragma once

#include <imgui.h>

#include <functional>

#include "ui/canvas/imgui_compat.h"

namespace optiviz::test {

class HeadlessImGui {
public:
    explicit HeadlessImGui(float width = 1440, float height = 900) {
        context_ = ImGui::CreateContext();
        ImGui::SetCurrentContext(context_);
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        io.DisplaySize = {width, height};
        io.DeltaTime = 1.0f / 60.0f;
        // The OpenGL 3 renderer the app uses supports more than 64k vertices per draw list.
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        ui::prepare_key_input(io);  // keys arrive as the real GLFW backend sends them
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    }
    ~HeadlessImGui() { ImGui::DestroyContext(context_); }
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    ImGuiIO& io() { return ImGui::GetIO(); }

    void frame(const std::function<void()>& body) {
        ImGui::NewFrame();
        body();
        ImGui::Render();
    }

    // Moves the mouse to `p`, presses, (optionally drags to `to`) and releases, one frame each.
    void click(ImVec2 p, const std::function<void()>& body) { drag(p, p, body); }
    void drag(ImVec2 from, ImVec2 to, const std::function<void()>& body) {
        io().MousePos = from;
        for (int i = 0; i < 24; ++i) frame(body);  // 0.4 s: no double-click with the previous press
        io().MouseDown[0] = true;
        frame(body);
        for (int i = 1; i <= 4; ++i) {
            io().MousePos = {from.x + (to.x - from.x) * static_cast<float>(i) / 4, from.y + (to.y - from.y) * static_cast<float>(i) / 4};
            frame(body);
        }
        io().MouseDown[0] = false;
        frame(body);
    }
    // Presses and releases a key, one frame each (see ui/canvas/imgui_compat.h for the key names).
    void press_key(ImGuiKey key, const std::function<void()>& body) {
        ui::set_key_down(io(), key, true);
        frame(body);
        ui::set_key_down(io(), key, false);
        frame(body);
    }
    void press_char_key(char c, const std::function<void()>& body) {
        ui::set_char_key_down(io(), c, true);
        frame(body);
        ui::set_char_key_down(io(), c, false);
        frame(body);
    }

private:
    ImGuiContext* context_ = nullptr;
};

}  // namespace optiviz::test
