#include "app/window_app.h"

#include "render/gl.h"  // epoxy before GLFW
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <cstdio>
#include <vector>
#include <exception>
#include <memory>

#include "app/animation_export_panel.h"
#include "app/app_frame.h"
#include "app/file_dialog.h"
#include "app/app_state.h"
#include "app/document.h"
#include "app/settings.h"
#include "app/data_points.h"
#include "app/heatmap_cache.h"
#include "app/map_pictures.h"
#include "app/surface_cache.h"
#include "render/texture.h"
#include "app/picture.h"
#include "app/picture_export.h"
#include "render/png_reader.h"
#include "render/png_writer.h"
#include "ui/control_panel.h"
#include "ui/fonts.h"
#include "ui/imgui_compat.h"

namespace optiviz::app {

namespace {

std::string last_glfw_error;

void on_glfw_error(int, const char* description) { last_glfw_error = description ? description : "unknown"; }

// Files dropped on the window since the last frame (GLFW calls back on the main thread, during
// glfwPollEvents).
std::vector<std::string> dropped_files;
void on_drop(GLFWwindow*, int count, const char** paths) {
    for (int i = 0; i < count; ++i) dropped_files.emplace_back(paths[i]);
}

// Key presses since the last frame, so that a tap shorter than a frame still counts (ui/imgui_compat.h).
ui::KeyPressLatch key_presses;
void on_key(GLFWwindow*, int key, int, int action, int) {
    if (action == GLFW_PRESS) key_presses.pressed(key);
}

// A panel path in the folder the user last used (or the working folder), never a bare relative name.
std::string in_folder(const std::string& folder, const std::string& name) {
    std::error_code error;
    const std::filesystem::path base = folder.empty() ? std::filesystem::current_path(error) : std::filesystem::path(folder);
    return (base / name).string();
}

void show_error(AppState& state, const std::exception& e) {
    state.panel.message = e.what();
    state.panel.message_is_error = true;
}

// One frame's UI. Views contain their own failures (draw_contained_view); anything else that throws
// while the frame is built ends what the frame began, its message goes to the panel, and the window
// goes on with the frame it has.
FrameResult draw_frame_contained(AppState& state, const std::function<ui::HeatmapImage(const ui::HeatmapRequest&)>& heatmap,
                                 const FrameOptions& options,
                                 const std::function<ui::SurfaceImage(const ui::SurfaceImageRequest&)>& surface_image) {
    try {
        return draw_app_frame(state, heatmap, options, surface_image);
    } catch (const std::exception& e) {
        ImGui::ErrorCheckEndFrameRecover(nullptr);
        show_error(state, e);
    }
    return {};
}

// The installed icons as the window's icon (_NET_WM_ICON on X11), when they can be found.
void set_window_icon(GLFWwindow* window) {
    std::error_code error;
    const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) return;
    std::vector<render::RgbaImage> images;
    for (const std::string& file : installed_icon_files(executable.string()))
        if (auto image = render::read_png(file)) images.push_back(std::move(*image));
    std::vector<GLFWimage> icons;
    for (render::RgbaImage& image : images) icons.push_back({image.width, image.height, image.rgba.data()});
    if (!icons.empty()) glfwSetWindowIcon(window, static_cast<int>(icons.size()), icons.data());
}

}  // namespace

ui::KeyLayout glfw_key_layout() {
    return ui::KeyLayout::from_key_names([](int code) { return glfwGetKeyName(code, 0); });
}

int run_window_app(const Scene& scene, const WindowOptions& options) {
    const bool interactive = options.frames == 0;
    const std::string settings_path = settings_folder().empty() ? std::string() : settings_folder() + "/settings.json";
    std::string settings_problem;
    Settings settings = interactive && !settings_path.empty() ? load_settings(settings_path, &settings_problem) : Settings{};
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "optiviz: error: cannot open a window (%s); `optiviz render --out FILE.png` draws "
                             "pictures without a display\n", last_glfw_error.c_str());
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    if (options.hidden) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    // The window starts at the asked size, shrunk to fit the screen's work area (a 1366×768 laptop
    // gets a window it can show whole).
    int width = options.width, height = options.height;
    if (interactive && !options.size_given) {
        width = settings.window_width;
        height = settings.window_height;
    }
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
        int wx = 0, wy = 0, ww = 0, wh = 0;
        glfwGetMonitorWorkarea(monitor, &wx, &wy, &ww, &wh);
        if (ww > 0 && wh > 0) {
            width = std::min(width, ww - 40);
            height = std::min(height, wh - 60);
        }
    }
    width = std::max(width, 640);
    height = std::max(height, 400);
    GLFWwindow* window = glfwCreateWindow(width, height, "optiviz", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "optiviz: error: cannot create an OpenGL 3.3 window (%s)\n", last_glfw_error.c_str());
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    glfwSetDropCallback(window, on_drop);
    set_window_icon(window);
    int windowed[4] = {0, 0, width, height};  // position and size to return to from full screen

    IMGUI_CHECKVERSION();
    ImGuiContext* context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the scene file, not imgui.ini, is what users save
    float xscale = 1, yscale = 1;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    ui::add_ui_font(*io.Fonts, std::round(16.0f * xscale));
    ui::apply_style(ImGui::GetStyle());
    ImGui::GetStyle().ScaleAllSizes(xscale);  // layout follows the display's content scale, not only the font
    glfwSetKeyCallback(window, on_key);  // before ImGui's backend, which calls it from its own
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int status = 0;
    try {
        // The last session's scene, unless the command line named a file or scene options.
        const std::string session_path = state_folder().empty() ? std::string() : state_folder() + "/session.json";
        std::string session_problem;
        const std::optional<Session> session =
            interactive && options.restore_session && !session_path.empty() ? load_session(session_path, &session_problem) : std::nullopt;
        const Scene& opened = session ? session->scene : scene;
        AppState state(opened);
        state.playback.step = opened.step >= 0 ? static_cast<double>(opened.step) : 0.0;
        state.playback.playing = opened.step < 0;  // a fresh scene animates from the start
        if (options.frames > 0) state.finish();   // scripted runs show finished paths from the first frame
        state.panel.recent_files = settings.recent;
        state.panel.export_width = settings.export_width;
        state.panel.export_height = settings.export_height;
        if (interactive) {
            state.panel.png_path = in_folder(settings.last_folder, "optiviz.png");
            state.panel.csv_path = in_folder(settings.last_folder, "optiviz-trajectories.csv");
            state.panel.scene_path = in_folder(settings.last_folder, "optiviz-scene.json");
        }
        if (!options.scene_path.empty()) state.panel.scene_path = options.scene_path;
        Document document(opened, session ? session->scene_path : options.scene_path);
        if (session && session->modified) document.mark_modified();
        if (session && !document.path().empty()) state.panel.scene_path = document.path();
        if (session) state.panel.message = "restored the last session" + std::string(session->modified ? " (not saved)" : "");
        if (!session_problem.empty()) {
            state.panel.message = session_problem;
            state.panel.message_is_error = true;
        }
        SessionKeeper session_keeper(interactive ? session_path : std::string());
        QuitQuestion quit_question;
        bool quit_confirmed = false, discarded = false;
        std::string shown_title;
        if (!settings_problem.empty()) {
            state.panel.message = settings_problem;
            state.panel.message_is_error = true;
        }
        HeatmapCache heatmap;
        PictureRenderer pictures;
        Analysis analysis;
        analysis.settings = options.analysis;
        Tuning tuning;
        if (options.tune_all) tuning.apply(ui::TuneRequests{false, true, false}, state);
        SurfaceCache surface3d;
        render::Texture basin_texture;
        render::Texture sweep_texture;
        DataPointsCache data_points;
        const std::unique_ptr<FileDialogs> dialogs = make_native_file_dialogs();
        state.panel.file_dialogs = dialogs->available();
        AnimationExportPanel animation;
        animation.file_dialogs = dialogs->available();
        ViewRect shown_view = state.view();
        double previous = glfwGetTime();
        double timed_start = 0;  // when frame kTimedFrom began (--frame-times)
        for (int frame = 0; !glfwWindowShouldClose(window); ++frame) {
            if (frame == WindowOptions::kTimedFrom) timed_start = glfwGetTime();
            if (options.frame_times && options.frames > 0 && frame == options.frames - 1)
                std::fprintf(stderr, "optiviz: frames %d-%d: %.1f ms/frame\n", WindowOptions::kTimedFrom, frame - 1,
                             1e3 * (glfwGetTime() - timed_start) / (frame - WindowOptions::kTimedFrom));
            glfwPollEvents();
            if (frame % 60 == 0)  // shortcuts by the key's label, on the layout in use now (ui/imgui_compat.h)
                ui::current_key_layout() = glfw_key_layout();
            int fb_width = 0, fb_height = 0;
            glfwGetFramebufferSize(window, &fb_width, &fb_height);
            if (fb_width == 0 || fb_height == 0) {  // minimised: nothing to draw
                glfwWaitEventsTimeout(0.1);
                previous = glfwGetTime();
                continue;
            }
            const double now = glfwGetTime();
            state.advance(now - previous);
            previous = now;

            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            key_presses.hold(io);
            ImGui::NewFrame();
            const ImTextureID overlay =
                basin_texture.empty() ? nullptr : reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(basin_texture.id()));
            FrameOptions frame_options;
            frame_options.analysis = &analysis;
            frame_options.tuning = &tuning;
            frame_options.basin_overlay = overlay;
            frame_options.points_image = [&](const ui::PointsImageRequest& request) { return data_points.get(state, request); };
            const FrameResult result = draw_frame_contained(
                state, [&](const ui::HeatmapRequest& request) { return heatmap.get(state.keyed_surface(), request); },
                frame_options,
                [&](const ui::SurfaceImageRequest& request) { return surface3d.get(state.keyed_surface(), request); });
            if (result.landscape.plot_max.x > result.landscape.plot_min.x) shown_view = result.landscape.shown_view;
            bool export_requested = result.export_png;
            if (result.commands.export_animation) animation.open(settings.last_folder);
            animation.draw(state);
            switch (quit_question.draw(state.panel.scene_path)) {
                case QuitAnswer::Save:
                    quit_confirmed = state.save_scene_file(state.panel.scene_path);  // a failed save keeps the window
                    break;
                case QuitAnswer::Discard: quit_confirmed = discarded = true; break;
                default: break;
            }
            if (quit_confirmed) glfwSetWindowShouldClose(window, GLFW_TRUE);
            ImGui::Render();
            glViewport(0, 0, fb_width, fb_height);
            glClearColor(0.95f, 0.95f, 0.95f, 1);
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            // A slice of the animation export, if one runs: a frame or two, then back to the window.
            animation.update(state, pictures, std::chrono::milliseconds(8));

            state.run_commands(result.commands);
            if (result.commands.choose_file)
                dialogs->open(*result.commands.choose_file, suggested_path(state, *result.commands.choose_file));
            if (animation.take_file_request()) dialogs->open(FilePurpose::ExportAnimation, animation.dialog.path);
            if (const std::optional<FileChoice> choice = dialogs->poll()) {
                if (choice->purpose == FilePurpose::ExportAnimation) animation.use_chosen_file(choice->path);
                else export_requested = apply_file_choice(state, *choice) || export_requested;
            }
            for (const std::string& path : std::exchange(dropped_files, {})) state.open_dropped_file(path);
            settings.export_width = state.panel.export_width;
            settings.export_height = state.panel.export_height;
            if (!state.panel.last_file.empty() && is_scene_file(state.panel.last_file))
                document.saved_as(state.panel.last_file, state.scene());  // loaded or saved: the file holds this scene
            if (const std::string title = window_title(document.path(), document.modified(state.scene())); title != shown_title)
                glfwSetWindowTitle(window, (shown_title = title).c_str());
            if (!state.panel.last_file.empty()) {
                remember_file(settings, std::exchange(state.panel.last_file, {}));
                state.panel.recent_files = settings.recent;
                if (interactive && !settings_path.empty()) {
                    try {
                        save_settings(settings_path, settings);
                    } catch (const std::exception& e) {
                        state.panel.message = e.what();
                        state.panel.message_is_error = true;
                    }
                }
            }
            if (result.quit) glfwSetWindowShouldClose(window, GLFW_TRUE);
            if (result.toggle_fullscreen) {
                if (GLFWmonitor* full = glfwGetWindowMonitor(window)) {
                    (void)full;
                    glfwSetWindowMonitor(window, nullptr, windowed[0], windowed[1], windowed[2], windowed[3], 0);
                } else if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
                    glfwGetWindowPos(window, &windowed[0], &windowed[1]);
                    glfwGetWindowSize(window, &windowed[2], &windowed[3]);
                    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
                    if (mode) glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
                }
            }
            try {  // a failure here is a message, never the end of the window
                analysis.apply(result.analysis, state);
                analysis.update(state, shown_view);
                tuning.apply(result.tune, state);
                tuning.update(state);
                if (analysis.basins_changed() && analysis.basins()) {
                    const BasinResult& basins = *analysis.basins();
                    basin_texture.upload(basins.resolution, basins.resolution, analysis.basin_colors(), 200);
                }
                const ui::GridMapInput* map = analysis.status().sweep_map;
                if (analysis.sweep_map_changed() && map &&
                    map->colors.size() == static_cast<std::size_t>(map->x.count) * static_cast<std::size_t>(map->y.count)) {
                    sweep_texture.upload(map->x.count, map->y.count, map->colors, 255);
                    analysis.set_sweep_texture(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(sweep_texture.id())));
                }
            } catch (const std::exception& e) {
                show_error(state, e);
            }
            bool last_frame = options.frames > 0 && frame + 1 >= options.frames;
            // A scripted run waits for its background work before the final picture.
            if (last_frame && (analysis.status().basin_running || analysis.status().sweep_running || tuning.running() ||
                               state.busy())) {
                analysis.wait();
                tuning.wait(state);
                state.finish();
                last_frame = false;
            }
            if (export_requested || (last_frame && !options.screenshot_path.empty())) {
                const std::string path = last_frame && !options.screenshot_path.empty() ? options.screenshot_path
                                                                                        : state.panel.png_path;
                const int w = state.panel.export_window_size ? fb_width : state.panel.export_width;
                const int h = state.panel.export_window_size ? fb_height : state.panel.export_height;
                try {
                    // The picture shows what the window shows: the map, the 3-D surface, or both.
                    const Scene::Layout layout = state.scene().layout;
                    const PictureView view = layout == Scene::Layout::Surface3D ? PictureView::Surface3D
                                             : layout == Scene::Layout::Both  ? PictureView::LandscapeAnd3D
                                             : state.has_data()               ? PictureView::Both
                                                                              : PictureView::Landscape;
                    if (analysis.basins())
                        export_picture(pictures, state, w, h, path, overlay, analysis.basins()->grid,
                                   basin_legend(*analysis.basins(), state.scene(), analysis.settings.basin_run), view);
                    else
                        export_picture(pictures, state, w, h, path, nullptr, {}, {}, view);
                    state.panel.message = "wrote " + path;
                    state.panel.message_is_error = false;
                } catch (const std::exception& e) {
                    state.panel.message = e.what();
                    state.panel.message_is_error = true;
                    if (last_frame) {
                        std::fprintf(stderr, "optiviz: error: %s\n", e.what());
                        status = 2;  // a path that cannot be written is bad input, as on the CLI
                    }
                }
            }
            if (last_frame && !options.window_capture_path.empty()) {
                // The back buffer still holds this frame (read before the swap).
                std::vector<std::uint8_t> pixels(static_cast<std::size_t>(fb_width) * static_cast<std::size_t>(fb_height) * 4);
                glPixelStorei(GL_PACK_ALIGNMENT, 1);
                glReadBuffer(GL_BACK);
                glReadPixels(0, 0, fb_width, fb_height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
                const std::size_t row = static_cast<std::size_t>(fb_width) * 4;
                std::vector<std::uint8_t> flipped(pixels.size());
                for (int y = 0; y < fb_height; ++y)
                    std::copy_n(pixels.data() + static_cast<std::size_t>(fb_height - 1 - y) * row, row,
                                flipped.data() + static_cast<std::size_t>(y) * row);
                try {
                    render::write_png(options.window_capture_path, fb_width, fb_height, flipped);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "optiviz: error: %s\n", e.what());
                    status = 2;
                }
            }
            // Closing (Ctrl+Q, the window's close button) with unsaved edits asks first.
            if (glfwWindowShouldClose(window) && interactive && !quit_confirmed && document.modified(state.scene())) {
                glfwSetWindowShouldClose(window, GLFW_FALSE);
                if (!quit_question.showing()) quit_question.ask();
            }
            std::string session_error;
            session_keeper.keep(discarded ? document.saved() : state.scene(), document, glfwGetTime(),
                                glfwWindowShouldClose(window), &session_error);
            if (!session_error.empty()) {
                state.panel.message = session_error;
                state.panel.message_is_error = true;
            }
            glfwSwapBuffers(window);
            if (last_frame) break;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "optiviz: error: %s\n", e.what());
        status = 2;
    }

    if (interactive && !settings_path.empty() && !glfwGetWindowMonitor(window)) {
        glfwGetWindowSize(window, &settings.window_width, &settings.window_height);
        try {
            save_settings(settings_path, settings);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "optiviz: warning: %s\n", e.what());
        }
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext(context);
    glfwDestroyWindow(window);
    glfwTerminate();
    return status;
}

}  // namespace optiviz::app
