#include "app/window/app_frame.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "app/export/map_pictures.h"
#include "ui/canvas/imgui_compat.h"

namespace optiviz::app {

namespace {

// The budget the table was tuned on, when the runs show another number of steps (0 otherwise): the
// loss plot marks it, so a tuned run failing past it reads as untested there, not as a bad tuning.
long tuned_budget_shown(const ui::TuneStatus& status) {
    return !status.rows.empty() && status.stale.empty() && status.budget != status.shown_steps ? status.budget : 0;
}

ui::PanelStatus panel_status(const AppState& state) {
    ui::PanelStatus status;
    status.last_step = state.last_step();
    status.can_undo = state.history.can_undo();
    status.can_redo = state.history.can_redo();
    for (std::size_t i = 0; i < state.scene().runs.size(); ++i) {
        status.run_errors.push_back(state.run_error(i));
        status.run_pending.push_back(state.run_pending(i));
    }
    return status;
}

// Ends whatever a view began inside `window` and did not end (windows, tables, tree nodes, groups,
// IDs, style pushes, clip rectangles), as ImGui's own end-of-frame recovery does for a whole frame.
void unwind_to(ImGuiWindow* window, int clip_depth) {
    ImGuiContext& g = *GImGui;
    while (g.CurrentWindow != window && g.CurrentWindowStack.Size > 1) {
        ImGui::ErrorCheckEndWindowRecover(nullptr);
        if (g.CurrentWindow->Flags & ImGuiWindowFlags_ChildWindow) ImGui::EndChild();
        else ImGui::End();
    }
    ImGui::ErrorCheckEndWindowRecover(nullptr);
    ImDrawList* dl = window->DrawList;
    while (dl->_ClipRectStack.Size > clip_depth) dl->PopClipRect();
    if (!dl->_ClipRectStack.empty()) window->ClipRect = dl->_ClipRectStack.back();
}

}  // namespace

bool draw_contained_view(const char* name, ImVec2 size, const std::function<void()>& draw, std::vector<std::string>& errors) {
    ImGui::BeginChild(name, size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const int clip_depth = window->DrawList->_ClipRectStack.Size;
    std::string error;
    try {
        draw();
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "unknown error";
    }
    if (!error.empty()) {
        unwind_to(window, clip_depth);
        // The message goes where the view was; whatever it drew before failing stays under it.
        const float margin = ImGui::GetFontSize() * 0.5f;
        ImGui::SetCursorPos({margin, margin});
        ImGui::PushTextWrapPos(std::max(window->Size.x - margin, margin + 1));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.15f, 0.1f, 1));
        ImGui::TextWrapped("The %s cannot be drawn: %s", name, error.c_str());
        ImGui::PopStyleColor();
        ImGui::PopTextWrapPos();
        errors.push_back(std::string(name) + ": " + error);
    }
    ImGui::EndChild();
    return error.empty();
}

namespace {

// The map, the 3-D surface, the data panel, or two of them side by side, in `size` pixels. Each view
// is contained: one that fails shows its message in its own rectangle and the others draw.
ui::LandscapeActions draw_main_views(AppState& state, const std::function<ui::HeatmapImage(const ui::HeatmapRequest&)>& heatmap,
                                     const FrameOptions& options,
                                     const std::function<ui::SurfaceImage(const ui::SurfaceImageRequest&)>& surface_image,
                                     ImVec2 size, std::vector<std::string>& errors) {
    ui::LandscapeActions actions;
    auto draw_map = [&](ImVec2 area) {
        draw_contained_view("landscape", area, [&] {
            ui::LandscapeInput input = landscape_input(state);
            input.heatmap = heatmap;
            input.front_run = state.highlighted_run;  // hovered in the loss plot's legend (last frame)
            Analysis* analysis = options.analysis;
            if (analysis && options.basin_overlay && analysis->basins()) {
                input.overlay = options.basin_overlay;
                input.overlay_view = analysis->basins()->grid;
                const auto basins = analysis->basin_legend(state.scene());
                input.overlay_legend.insert(input.overlay_legend.end(), basins.begin(), basins.end());
            }
            actions = ui::draw_landscape(input, area, true);
        }, errors);
    };
    // The run every view brings forward this frame: a row hovered in the map's legend (drawn first),
    // else the run highlighted last frame (a row hovered in the loss plot's legend, drawn last).
    auto highlighted = [&] { return actions.front_run >= 0 ? actions.front_run : state.highlighted_run; };
    std::optional<OrbitCamera> new_camera;
    auto draw_3d = [&](ImVec2 area) {
        draw_contained_view("3-D view", area, [&] {
            ui::SurfaceViewInput input3d = surface_view_input(state);
            input3d.image = surface_image;
            input3d.front_run = highlighted();
            new_camera = ui::draw_surface_view(input3d, area, true).new_camera;
        }, errors);
    };
    const Scene::Layout layout = state.scene().layout;
    if (layout == Scene::Layout::Surface3D) {
        draw_3d(size);
    } else if (layout == Scene::Layout::Both) {
        const float half = std::floor(size.x * 0.5f);
        draw_map({half, size.y});
        ImGui::SameLine(0, 0);
        draw_3d({size.x - half, size.y});
    } else if (state.has_data()) {
        // Regression: the fitted lines through the data beside the (w, b) landscape.
        const float landscape_width = std::floor(size.x * 0.58f);
        draw_map({landscape_width, size.y});
        ImGui::SameLine(0, 0);
        const ImVec2 data_size{size.x - landscape_width, size.y};
        draw_contained_view("data view", data_size, [&] {
            ui::DataViewInput data = data_view_input(state);
            data.points_image = options.points_image;
            data.front_run = highlighted();
            ui::draw_data_view(data, data_size);
        }, errors);
    } else {
        draw_map(size);
    }
    if (new_camera) state.set_camera(*new_camera);
    return actions;
}

void apply_shortcuts(AppState& state, FrameResult& result) {
    const ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput) {
        if (ui::key_pressed(ImGuiKey_Space)) state.playback.playing = !state.playback.playing;
        if (ui::key_pressed(ImGuiKey_RightArrow)) {
            state.playback.playing = false;
            state.playback.step = std::min(std::floor(state.playback.step) + 1, static_cast<double>(state.last_step()));
        }
        if (ui::key_pressed(ImGuiKey_LeftArrow)) {
            state.playback.playing = false;
            state.playback.step = std::max(std::ceil(state.playback.step) - 1, 0.0);
        }
        if (ui::char_key_pressed('R') && !io.KeyCtrl) state.playback.step = 0;
        if (ui::char_key_pressed('F') && !io.KeyCtrl) result.commands.reset_view = true;
        if (io.KeyCtrl && ui::char_key_pressed('Z')) (io.KeyShift ? result.commands.redo : result.commands.undo) = true;
        if (io.KeyCtrl && ui::char_key_pressed('Y')) result.commands.redo = true;
    }
    // With file dialogs, Ctrl+O and Ctrl+Shift+S ask where; without, they use the panel's path.
    const bool dialogs = state.panel.file_dialogs;
    if (io.KeyCtrl && ui::char_key_pressed('S')) {
        if (io.KeyShift && dialogs) result.commands.choose_file = ui::FilePurpose::SaveScene;
        else if (io.KeyShift) result.commands.save_scene = true;
        else result.export_png = true;
    }
    if (io.KeyCtrl && ui::char_key_pressed('O')) {
        if (dialogs) result.commands.choose_file = ui::FilePurpose::OpenScene;
        else result.commands.load_scene = true;
    }
    if (io.KeyCtrl && ui::char_key_pressed('Q')) result.quit = true;
    if (ui::function_key_pressed(1)) state.panel.show_keys = !state.panel.show_keys;
    if (ui::function_key_pressed(11)) result.toggle_fullscreen = true;
}

void draw_keys_window(ui::PanelState& panel) {
    if (!panel.show_keys) return;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos({io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f}, ImGuiCond_Appearing, {0.5f, 0.5f});
    if (ImGui::Begin("Keyboard shortcuts", &panel.show_keys,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
            for (const auto& [keys, what] : keyboard_shortcuts()) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(what);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

}  // namespace

const std::vector<std::pair<const char*, const char*>>& keyboard_shortcuts() {
    static const std::vector<std::pair<const char*, const char*>> keys = {
        {"Space", "play / pause"},
        {"Right, Left", "one step forward / back"},
        {"R", "back to step 0"},
        {"F", "fit the view to the surface"},
        {"Ctrl+Z, Ctrl+Shift+Z (Ctrl+Y)", "undo / redo a scene edit"},
        {"Ctrl+S", "export the picture (PNG, SVG or PDF: the file name says which)"},
        {"Ctrl+Shift+S", "save the scene as... (the panel's scene path without a file dialog)"},
        {"Ctrl+O", "open a scene... (the panel's scene path without a file dialog)"},
        {"F11", "full screen"},
        {"Ctrl+Q", "quit"},
        {"F1", "this list"},
        {"left click / drag on the map", "move the start"},
        {"right or middle drag, wheel", "pan, zoom"},
        {"drop a .json or .csv on the window", "open a scene, or use a CSV as the data"},
    };
    return keys;
}

FrameResult draw_app_frame(AppState& state, const std::function<ui::HeatmapImage(const ui::HeatmapRequest&)>& heatmap,
                           const FrameOptions& options,
                           const std::function<ui::SurfaceImage(const ui::SurfaceImageRequest&)>& surface_image) {
    FrameResult result;
    const ImGuiIO& io = ImGui::GetIO();
    Analysis* analysis = options.analysis;
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("optiviz", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    const float font = ImGui::GetFontSize();
    const float panel_width = std::min(font * 27.0f, io.DisplaySize.x * 0.4f);
    ImGui::BeginChild("controls", {panel_width, 0}, true);
    result.commands = ui::draw_control_panel(state.scene(), state.playback, state.panel, panel_status(state));
    if (analysis) {
        ImGui::Separator();
        if (ImGui::CollapsingHeader("Basins and sweeps", ImGuiTreeNodeFlags_DefaultOpen))
            result.analysis = ui::draw_analysis_panel(state.scene(), analysis->status());
    }
    if (options.tuning) {
        ImGui::Separator();
        if (ImGui::CollapsingHeader("Tune", options.tuning->last() || options.tuning->running() ? ImGuiTreeNodeFlags_DefaultOpen : 0))
            result.tune = ui::draw_tune_panel(state.scene(), options.tuning->status());
    }
    ImGui::EndChild();
    // The panel's edits are in the scene: bring the derived results in line before the views read them.
    state.refresh(options.budget);

    ImGui::SameLine();
    ImGui::BeginChild("views", {0, 0}, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float plot_height = std::max(120.0f, avail.y * 0.28f);
    const float top_height = std::max(avail.y - plot_height, 50.0f);
    // The sweep map, when on, gets its own column beside the views: it never covers the landscape.
    const ui::AnalysisStatus status = analysis ? analysis->status() : ui::AnalysisStatus{};
    const bool sweep_column = analysis && state.scene().sweep.on;
    const float sweep_width = sweep_column ? std::floor(std::clamp(avail.x * 0.34f, font * 14.0f, font * 30.0f)) : 0.0f;
    result.landscape = draw_main_views(state, heatmap, options, surface_image, {avail.x - sweep_width, top_height},
                                       result.view_errors);
    if (sweep_column) {
        ImGui::SameLine(0, 0);
        ImGui::BeginChild("sweep map", {sweep_width, top_height}, true, ImGuiWindowFlags_NoScrollbar);
        if (status.sweep_map) {
            const ImVec2 room = ImGui::GetContentRegionAvail();
            const ImVec2 map_size{room.x, std::max(room.y, 100.0f)};
            draw_contained_view("sweep map", map_size, [&] {
                const ui::AnalysisRequests map = ui::draw_sweep_map(status, map_size);
                if (map.apply_cell) result.analysis.apply_cell = map.apply_cell;
            }, result.view_errors);
        } else {
            ImGui::TextWrapped("Sweep map: computing... %.0f%%", 100.0f * status.sweep_progress);
        }
        ImGui::EndChild();
    }
    // The last tuning's table, when there is one, sits beside the loss plot: the race and its result.
    const bool tune_column = options.tuning && options.tuning->last();
    const float tune_width = tune_column ? std::floor(std::clamp(avail.x * 0.36f, font * 16.0f, font * 30.0f)) : 0.0f;
    ui::LossPlotActions plot;
    const ImVec2 plot_size{avail.x - tune_width, plot_height};
    const int map_hovered = result.landscape.front_run;
    draw_contained_view("loss plot", plot_size, [&] {
        ui::LossPlotInput loss = loss_plot_input(state);
        if (tune_column) loss.tuned_steps = tuned_budget_shown(options.tuning->status());
        loss.front_run = map_hovered >= 0 ? map_hovered : state.highlighted_run;
        plot = ui::draw_loss_plot(loss, plot_size, true);
    },
                        result.view_errors);
    // One highlighted run for every view, next frame: whichever legend row the mouse is over now.
    state.highlighted_run = map_hovered >= 0 ? map_hovered : plot.hovered_run;
    const long scrub = plot.clicked_step;
    if (tune_column) {
        ImGui::SameLine(0, 0);
        ImGui::BeginChild("tune table", {tune_width, plot_height}, true);
        ui::draw_tune_table(options.tuning->status());
        ImGui::EndChild();
    }
    ImGui::EndChild();
    ImGui::End();

    if (result.landscape.new_start) state.set_start(*result.landscape.new_start);
    if (result.landscape.new_view) state.set_view(*result.landscape.new_view);
    if (scrub >= 0) {
        state.playback.step = static_cast<double>(scrub);
        state.playback.playing = false;
    }
    apply_shortcuts(state, result);
    draw_keys_window(state.panel);
    if (result.commands.export_png) result.export_png = true;
    // One gesture (a drag, held mouse) is one undo step: record when nothing is held.
    state.history.record(state.scene(), ImGui::IsAnyMouseDown());
    return result;
}

}  // namespace optiviz::app
