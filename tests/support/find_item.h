// Finds where an ImGui item is, the way a user would: by moving the mouse over its window until the
// item reports being hovered. For buttons the UI code draws without exposing their rectangles.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <functional>
#include <optional>

#include "support/headless_imgui.h"

namespace optiviz::test {

// Where the mouse hovers the item `label` of window `window_name` (scanned a few pixels at a
// time), or nothing when the window shows no such enabled item.
inline std::optional<ImVec2> find_item(HeadlessImGui& imgui, const std::function<void()>& body, const char* window_name,
                                       const char* label) {
    for (int i = 0; i < 3; ++i) imgui.frame(body);  // an auto-sized window takes a frame or two to fit
    ImGuiWindow* window = ImGui::FindWindowByName(window_name);
    if (!window || !window->Active) return std::nullopt;
    const ImGuiID id = window->GetID(label);
    const ImVec2 min = window->Pos, max = {window->Pos.x + window->Size.x, window->Pos.y + window->Size.y};
    for (float y = min.y + 2; y < max.y; y += 4)
        for (float x = min.x + 2; x < max.x; x += 6) {
            imgui.io().MousePos = {x, y};
            imgui.frame(body);
            if (GImGui->HoveredId == id) return ImVec2{x, y};  // this frame's (GetHoveredID may give the last one's)
        }
    return std::nullopt;
}

}  // namespace optiviz::test
