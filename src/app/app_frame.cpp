#include "app/app_frame.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "app/map_pictures.h"
#include "ui/imgui_compat.h"

namespace optiviz::app {

FrameResult draw_app_frame(AppState& state, const std::function<ui::HeatmapImage(const ui::HeatmapRequest&)>& heatmap,
                           Analysis* analysis, ImTextureID basin_overlay,
                           const std::function<ui::SurfaceImage(const ui::SurfaceImageRequest&)>& surface_image) {
    FrameResult result;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("optiviz", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    const float panel_width = std::min(430.0f, io.DisplaySize.x * 0.4f);
    ImGui::BeginChild("controls", {panel_width, 0}, true);
    result.requests = ui::draw_control_panel(state.scene_for_edit(), state.playback, state.panel, state.last_step());
    if (analysis) {
        ImGui::Separator();
        if (ImGui::CollapsingHeader("Basins and sweeps", ImGuiTreeNodeFlags_DefaultOpen))
            result.analysis = ui::draw_analysis_panel(analysis->settings, state.scene(), analysis->status());
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("views", {0, 0}, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float plot_height = std::max(120.0f, avail.y * 0.28f);
    ui::LandscapeInput input = state.landscape_input();
    input.heatmap = heatmap;
    if (analysis && basin_overlay && analysis->basins()) {
        input.overlay = basin_overlay;
        input.overlay_view = analysis->basins()->grid;
        input.overlay_legend = basin_legend(*analysis->basins(), state.scene(), analysis->settings.basin_run);
    }
    const float top_height = std::max(avail.y - plot_height, 50.0f);
    const Scene::Layout layout = state.scene().layout;
    std::optional<OrbitCamera> new_camera;
    auto draw_3d = [&](ImVec2 size) {
        ui::SurfaceViewInput input3d = state.surface_view_input();
        input3d.image = surface_image;
        new_camera = ui::draw_surface_view(input3d, size, true).new_camera;
    };
    if (layout == Scene::Layout::Surface3D) {
        draw_3d({avail.x, top_height});
    } else if (layout == Scene::Layout::Both) {
        const float half = std::floor(avail.x * 0.5f);
        result.landscape = ui::draw_landscape(input, {half, top_height}, true);
        ImGui::SameLine(0, 0);
        draw_3d({avail.x - half, top_height});
    } else if (state.has_data()) {
        // Regression: the fitted lines through the data beside the (w, b) landscape.
        const float landscape_width = std::floor(avail.x * 0.58f);
        result.landscape = ui::draw_landscape(input, {landscape_width, top_height}, true);
        ImGui::SameLine(0, 0);
        ui::draw_data_view(state.data_view_input(), {avail.x - landscape_width, top_height});
    } else {
        result.landscape = ui::draw_landscape(input, {avail.x, top_height}, true);
    }
    const long scrub = ui::draw_loss_plot(state.loss_plot_input(), {avail.x, plot_height}, true);
    ImGui::EndChild();
    ImGui::End();

    // The sweep map floats in its own window (over the landscape's right side at first).
    if (analysis && analysis->settings.sweep) {
        const ui::AnalysisStatus status = analysis->status();
        if (status.sweep_map) {
            ImGui::SetNextWindowPos({io.DisplaySize.x - 470.0f, 40.0f}, ImGuiCond_FirstUseEver);
            ImGui::SetNextWindowSize({440.0f, 420.0f}, ImGuiCond_FirstUseEver);
            bool open = true;
            if (ImGui::Begin("Sweep map", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar)) {
                const ImVec2 room = ImGui::GetContentRegionAvail();
                const ui::AnalysisRequests map = ui::draw_sweep_map(status, {room.x, std::max(room.y, 100.0f)});
                if (map.apply_cell) result.analysis.apply_cell = map.apply_cell;
            }
            ImGui::End();
            if (!open) analysis->settings.sweep = false;
        }
    }

    if (new_camera) state.set_camera(*new_camera);
    if (result.landscape.new_start) state.set_start(*result.landscape.new_start);
    if (result.landscape.new_view) state.set_view(*result.landscape.new_view);
    if (scrub >= 0) {
        state.playback.step = static_cast<double>(scrub);
        state.playback.playing = false;
    }
    if (!io.WantTextInput) {
        if (ui::key_pressed(ImGuiKey_Space)) state.playback.playing = !state.playback.playing;
        if (ui::key_pressed(ImGuiKey_RightArrow)) {
            state.playback.playing = false;
            state.playback.step = std::min(std::floor(state.playback.step) + 1, static_cast<double>(state.last_step()));
        }
        if (ui::char_key_pressed('R') && !io.KeyCtrl) state.playback.step = 0;
    }
    if ((io.KeyCtrl && ui::char_key_pressed('S')) || result.requests.export_png) result.export_png = true;
    return result;
}

}  // namespace optiviz::app
