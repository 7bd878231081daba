#include "app/window/window_app.h"

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

#include "app/window/animation_export_panel.h"
#include "app/window/app_frame.h"
#include "app/window/file_dialog.h"
#include "app/app_state.h"
#include "app/window/document.h"
#include "app/window/settings.h"
#include "app/derived/data_points.h"
#include "app/derived/heatmap_cache.h"
#include "app/export/map_pictures.h"
#include "app/derived/surface_cache.h"
#include "render/texture.h"
#include "app/export/picture.h"
#include "app/export/picture_export.h"
#include "render/png_reader.h"
#include "render/png_writer.h"
#include "ui/panels/control_panel.h"
#include "ui/canvas/fonts.h"
#include "ui/canvas/imgui_compat.h"
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>

#include "core/runtime/worker_pool_web.h"
#endif

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

// Key presses since the last frame, so that a tap shorter than a frame still counts (ui/canvas/imgui_compat.h).
ui::KeyPressLatch key_presses;
void on_key(GLFWwindow*, int key, int, int action, int mods) {
    if (action == GLFW_PRESS) key_presses.pressed(key, mods);
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
#ifdef __EMSCRIPTEN__  // no glfwGetKeyName; emscripten's GLFW codes a letter key by the browser's keyCode, its label
    return ui::KeyLayout();
#else
    return ui::KeyLayout::from_key_names([](int code) { return glfwGetKeyName(code, 0); });
#endif
}

namespace {

// Creates the window (GL 3.3 core) at the asked size, shrunk to fit the screen's work area (a
// 1366×768 laptop gets a window it can show whole). Null, with the reason on stderr, when it cannot.
GLFWwindow* open_window(const WindowOptions& options, const Settings& settings, int windowed[4]) {
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "optiviz: error: cannot open a window (%s); `optiviz render --out FILE.png` draws "
                             "pictures without a display\n", last_glfw_error.c_str());
        return nullptr;
    }
#ifdef __EMSCRIPTEN__
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);  // WebGL2
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
#else
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
#endif
    if (options.hidden) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
#ifndef __EMSCRIPTEN__
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // HiDPI: the window's size follows the content scale
#endif
    int width = options.width, height = options.height;
    if (options.frames == 0 && !options.size_given) {
        width = settings.window_width;
        height = settings.window_height;
    }
#ifndef __EMSCRIPTEN__  // the page sizes the canvas (web/page.js)
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
        int wx = 0, wy = 0, ww = 0, wh = 0;
        glfwGetMonitorWorkarea(monitor, &wx, &wy, &ww, &wh);
        if (ww > 0 && wh > 0) {
            width = std::min(width, ww - 40);
            height = std::min(height, wh - 60);
        }
    }
#endif
    width = std::max(width, 640);
    height = std::max(height, 400);
    GLFWwindow* window = glfwCreateWindow(width, height, "optiviz", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "optiviz: error: cannot create an OpenGL 3.3 window (%s)\n", last_glfw_error.c_str());
        glfwTerminate();
        return nullptr;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    glfwSetDropCallback(window, on_drop);
    set_window_icon(window);
    windowed[0] = windowed[1] = 0;
    windowed[2] = width;
    windowed[3] = height;
    return window;
}

// The fonts and the style's sizes for a content scale (1 on a plain display, 2 on a HiDPI one).
void apply_content_scale(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ui::add_ui_font(*io.Fonts, std::round(16.0f * scale));
    ImGui::GetStyle() = ImGuiStyle();
    ui::apply_style(ImGui::GetStyle());
    ImGui::GetStyle().ScaleAllSizes(scale);  // layout follows the display's content scale, not only the font
}

// A content scale that changed while running (the window moved to another monitor, or the
// desktop's scale changed): applied by the loop between frames, never inside one.
float changed_content_scale = 0;
#ifndef __EMSCRIPTEN__
void on_content_scale(GLFWwindow*, float xscale, float) { changed_content_scale = xscale; }
#endif

// ImGui on the window, its fonts and layout following the display's content scale.
ImGuiContext* start_imgui(GLFWwindow* window) {
    IMGUI_CHECKVERSION();
    ImGuiContext* context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the scene file, not imgui.ini, is what users save
    float xscale = 1;
#ifndef __EMSCRIPTEN__  // emscripten's GLFW is 3.2: no content scale
    float yscale = 1;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    glfwSetWindowContentScaleCallback(window, on_content_scale);
#else  // the page's canvas has devicePixelRatio pixels a CSS pixel (web/page.js): the desktop's HiDPI path
    xscale = static_cast<float>(emscripten_get_device_pixel_ratio());
#endif
    apply_content_scale(xscale);
    glfwSetKeyCallback(window, on_key);       // before ImGui's backend, which calls it from its own
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init(OPTIVIZ_GLSL_VERSION);
    return context;
}

// The window's back buffer as a PNG (read before the swap, rows flipped to the top-first order).
void capture_back_buffer(const std::string& path, int width, int height) {
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    const std::size_t row = static_cast<std::size_t>(width) * 4;
    std::vector<std::uint8_t> flipped(pixels.size());
    for (int y = 0; y < height; ++y)
        std::copy_n(pixels.data() + static_cast<std::size_t>(height - 1 - y) * row, row, flipped.data() + static_cast<std::size_t>(y) * row);
    render::write_png(path, width, height, flipped);
}

// One window session: the application state and everything that derives from it or acts on it
// (caches, background analyses, dialogs, exports, the document and the session file), with one
// method per part of a frame. run() is the loop.
class WindowLoop {
public:
    WindowLoop(GLFWwindow* window, const Scene& scene, const WindowOptions& options, Settings& settings,
               const std::string& settings_path, const std::string& settings_problem, int windowed[4]);
    // Runs until the window closes (or the scripted frames are done); the exit status.
    int run();
    // One turn of the loop (the browser calls it once per frame); false once the loop is to end.
    bool step();
    const Scene& scene() const { return state_.scene(); }
    int status() const { return status_; }
    // A basin or sweep map or a tuning is being computed (the page's test watches frames meanwhile).
    bool maps_computing() const {
        const ui::AnalysisStatus analysis = analysis_.status();
        return analysis.basin_running || analysis.sweep_running || tuning_.running();
    }

private:
    static std::optional<Session> restored_session(const WindowOptions& options, std::string& problem);
    void set_up_panel(const std::string& settings_problem);
    FrameResult draw(ImTextureID overlay);
    void answer_quit_question();
    void handle_files(const FrameResult& result, bool& export_requested);
    void follow_document_and_settings();
    void toggle_fullscreen();
    void update_background_work();
    bool scripted_last_frame(int frame);
    void export_picture_now(int fb_width, int fb_height, bool last_frame, ImTextureID overlay);
    void ask_before_closing_and_keep_session();

    GLFWwindow* window_;
    const WindowOptions& options_;
    const bool interactive_;
    Settings& settings_;
    const std::string settings_path_;
    int* windowed_;  // position and size to return to from full screen
    std::string session_path_, session_problem_;
    std::optional<Session> session_;
    AppState state_;
    Document document_;
    SessionKeeper session_keeper_;
    QuitQuestion quit_question_;
    bool quit_confirmed_ = false, discarded_ = false;
    std::string shown_title_;
    HeatmapCache heatmap_;
    PictureRenderer pictures_;
    Analysis analysis_;
    Tuning tuning_;
    SurfaceCache surface3d_;
    render::Texture basin_texture_, sweep_texture_;
    DataPointsCache data_points_;
    std::unique_ptr<FileDialogs> dialogs_;
    AnimationExportPanel animation_;
    ViewRect shown_view_;
    int status_ = 0;
    int frame_ = 0;
    double previous_ = glfwGetTime();  // when the last frame began
    double timed_start_ = 0;  // when frame kTimedFrom began (--frame-times)
};

std::optional<Session> WindowLoop::restored_session(const WindowOptions& options, std::string& problem) {
    // The last session's scene, unless the command line named a file or scene options.
    const std::string path = state_folder().empty() ? std::string() : state_folder() + "/session.json";
    if (options.frames != 0 || !options.restore_session || path.empty()) return std::nullopt;
    return load_session(path, &problem);
}

WindowLoop::WindowLoop(GLFWwindow* window, const Scene& scene, const WindowOptions& options, Settings& settings,
                       const std::string& settings_path, const std::string& settings_problem, int windowed[4])
    : window_(window),
      options_(options),
      interactive_(options.frames == 0),
      settings_(settings),
      settings_path_(settings_path),
      windowed_(windowed),
      session_path_(state_folder().empty() ? std::string() : state_folder() + "/session.json"),
      session_(restored_session(options, session_problem_)),
      state_(session_ ? session_->scene : scene),
      document_(session_ ? session_->scene : scene, session_ ? session_->scene_path : options.scene_path),
      session_keeper_(interactive_ ? session_path_ : std::string()),
      dialogs_(make_native_file_dialogs(x11_window_id(window))) {
    const Scene& opened = session_ ? session_->scene : scene;
    state_.playback.step = opened.step >= 0 ? static_cast<double>(opened.step) : 0.0;
    state_.playback.playing = opened.step < 0;  // a fresh scene animates from the start
    if (options.frames > 0) state_.finish();    // scripted runs show finished paths from the first frame
    if (session_ && session_->modified) document_.mark_modified();
    set_up_panel(settings_problem);
    if (options.tune_all) tuning_.apply(ui::TuneRequests{false, true, false}, state_);
    state_.panel.file_dialogs = dialogs_->available();
    animation_.file_dialogs = dialogs_->available();
    shown_view_ = state_.view();
}

void WindowLoop::set_up_panel(const std::string& settings_problem) {
    ui::PanelState& panel = state_.panel;
    panel.recent_files = settings_.recent;
    panel.export_width = settings_.export_width;
    panel.export_height = settings_.export_height;
    if (interactive_) {
        panel.png_path = in_folder(settings_.last_folder, "optiviz.png");
        panel.csv_path = in_folder(settings_.last_folder, "optiviz-trajectories.csv");
        panel.scene_path = in_folder(settings_.last_folder, "optiviz-scene.json");
    }
    if (!options_.scene_path.empty()) panel.scene_path = options_.scene_path;
    if (session_ && !document_.path().empty()) panel.scene_path = document_.path();
    if (session_) panel.message = "restored the last session" + std::string(session_->modified ? " (not saved)" : "");
    for (const std::string* problem : {static_cast<const std::string*>(&session_problem_), &settings_problem})
        if (!problem->empty()) {
            panel.message = *problem;
            panel.message_is_error = true;
        }
}

FrameResult WindowLoop::draw(ImTextureID overlay) {
    FrameOptions frame_options;
    frame_options.analysis = &analysis_;
    frame_options.tuning = &tuning_;
    frame_options.basin_overlay = overlay;
    frame_options.points_image = [&](const ui::PointsImageRequest& request) { return data_points_.get(state_, request); };
    const FrameResult result = draw_frame_contained(
        state_, [&](const ui::HeatmapRequest& request) { return heatmap_.get(state_.keyed_surface(), request); }, frame_options,
        [&](const ui::SurfaceImageRequest& request) { return surface3d_.get(state_.keyed_surface(), request); });
    if (result.landscape.plot_max.x > result.landscape.plot_min.x) shown_view_ = result.landscape.shown_view;
    if (result.commands.export_animation) animation_.open(settings_.last_folder);
    animation_.draw(state_);
    answer_quit_question();
    return result;
}

void WindowLoop::answer_quit_question() {
    switch (quit_question_.draw(state_.panel.scene_path)) {
        case QuitAnswer::Save:
            quit_confirmed_ = state_.save_scene_file(state_.panel.scene_path);  // a failed save keeps the window
            break;
        case QuitAnswer::Discard: quit_confirmed_ = discarded_ = true; break;
        default: break;
    }
    if (quit_confirmed_) glfwSetWindowShouldClose(window_, GLFW_TRUE);
}

// The frame's commands, the file dialogs' answers and dropped files.
void WindowLoop::handle_files(const FrameResult& result, bool& export_requested) {
    state_.run_commands(result.commands);
    if (result.commands.choose_file) dialogs_->open(*result.commands.choose_file, suggested_path(state_, *result.commands.choose_file));
    if (animation_.take_file_request()) dialogs_->open(FilePurpose::ExportAnimation, animation_.dialog.path);
    if (const std::optional<FileChoice> choice = dialogs_->poll()) {
        if (choice->purpose == FilePurpose::ExportAnimation) animation_.use_chosen_file(choice->path);
        else export_requested = apply_file_choice(state_, *choice) || export_requested;
    }
    for (const std::string& path : std::exchange(dropped_files, {})) state_.open_dropped_file(path);
}

// The title names the scene file and its unsaved changes; a file opened or saved joins the recent
// files, and the settings are saved.
void WindowLoop::follow_document_and_settings() {
    settings_.export_width = state_.panel.export_width;
    settings_.export_height = state_.panel.export_height;
    if (!state_.panel.last_file.empty() && is_scene_file(state_.panel.last_file))
        document_.saved_as(state_.panel.last_file, state_.scene());  // loaded or saved: the file holds this scene
    if (const std::string title = window_title(document_.path(), document_.modified(state_.scene())); title != shown_title_)
        glfwSetWindowTitle(window_, (shown_title_ = title).c_str());
    if (state_.panel.last_file.empty()) return;
    remember_file(settings_, std::exchange(state_.panel.last_file, {}));
    state_.panel.recent_files = settings_.recent;
    if (!interactive_ || settings_path_.empty()) return;
    try {
        save_settings(settings_path_, settings_);
    } catch (const std::exception& e) {
        show_error(state_, e);
    }
}

void WindowLoop::toggle_fullscreen() {
    if (glfwGetWindowMonitor(window_)) {
        glfwSetWindowMonitor(window_, nullptr, windowed_[0], windowed_[1], windowed_[2], windowed_[3], 0);
    } else if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
        glfwGetWindowPos(window_, &windowed_[0], &windowed_[1]);
        glfwGetWindowSize(window_, &windowed_[2], &windowed_[3]);
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        if (mode) glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    }
}

// Basin and sweep maps and tuning: requests applied, finished work taken, textures uploaded. A
// failure here is a message, never the end of the window.
void WindowLoop::update_background_work() {
    analysis_.update(state_, shown_view_);
    tuning_.update(state_);
    if (analysis_.basins_changed() && analysis_.basins()) {
        const BasinResult& basins = *analysis_.basins();
        basin_texture_.upload(basins.resolution, basins.resolution, analysis_.basin_colors(), 200);
    }
    const ui::GridMapInput* map = analysis_.status().sweep_map;
    if (analysis_.sweep_map_changed() && map &&
        map->colors.size() == static_cast<std::size_t>(map->x.count) * static_cast<std::size_t>(map->y.count)) {
        sweep_texture_.upload(map->x.count, map->y.count, map->colors, 255);
        analysis_.set_sweep_texture(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(sweep_texture_.id())));
    }
}

// Whether `frame` is a scripted run's last. A scripted run waits for its background work before
// the final picture (and then draws one more frame).
bool WindowLoop::scripted_last_frame(int frame) {
    if (options_.frames <= 0 || frame + 1 < options_.frames) return false;
    if (analysis_.status().basin_running || analysis_.status().sweep_running || tuning_.running() || state_.busy()) {
        analysis_.wait();
        tuning_.wait(state_);
        state_.finish();
        return false;
    }
    return true;
}

// The picture shows what the window shows: the map, the 3-D surface, or both, with the basin map.
void WindowLoop::export_picture_now(int fb_width, int fb_height, bool last_frame, ImTextureID overlay) {
    const std::string path = last_frame && !options_.screenshot_path.empty() ? options_.screenshot_path : state_.panel.png_path;
    const int w = state_.panel.export_window_size ? fb_width : state_.panel.export_width;
    const int h = state_.panel.export_window_size ? fb_height : state_.panel.export_height;
    try {
        const Scene::Layout layout = state_.scene().layout;
        const PictureView view = layout == Scene::Layout::Surface3D ? PictureView::Surface3D
                                 : layout == Scene::Layout::Both  ? PictureView::LandscapeAnd3D
                                 : state_.has_data()              ? PictureView::Both
                                                                  : PictureView::Landscape;
        if (analysis_.basins())
            export_picture(pictures_, state_, w, h, path, overlay, analysis_.basins()->grid, analysis_.basin_legend(state_.scene()),
                           view);
        else
            export_picture(pictures_, state_, w, h, path, nullptr, {}, {}, view);
        state_.panel.message = "wrote " + path;
        state_.panel.message_is_error = false;
    } catch (const std::exception& e) {
        show_error(state_, e);
        if (last_frame) {
            std::fprintf(stderr, "optiviz: error: %s\n", e.what());
            status_ = 2;  // a path that cannot be written is bad input, as on the CLI
        }
    }
}

// Closing (Ctrl+Q, the window's close button) with unsaved edits asks first; the session file
// keeps the scene.
void WindowLoop::ask_before_closing_and_keep_session() {
    if (glfwWindowShouldClose(window_) && interactive_ && !quit_confirmed_ && document_.modified(state_.scene())) {
        glfwSetWindowShouldClose(window_, GLFW_FALSE);
        if (!quit_question_.showing()) quit_question_.ask();
    }
    std::string session_error;
    session_keeper_.keep(discarded_ ? document_.saved() : state_.scene(), document_, glfwGetTime(), glfwWindowShouldClose(window_),
                         &session_error);
    if (!session_error.empty()) {
        state_.panel.message = session_error;
        state_.panel.message_is_error = true;
    }
}

int WindowLoop::run() {
    while (!glfwWindowShouldClose(window_) && step()) {
    }
    return status_;
}

bool WindowLoop::step() {
    ImGuiIO& io = ImGui::GetIO();
    const int frame = frame_++;
    double& previous = previous_;
    double& timed_start = timed_start_;
    {  // (the body of what was the loop)
        if (frame == WindowOptions::kTimedFrom) timed_start = glfwGetTime();
        if (options_.frame_times && options_.frames > 0 && frame == options_.frames - 1)
            std::fprintf(stderr, "optiviz: frames %d-%d: %.1f ms/frame\n", WindowOptions::kTimedFrom, frame - 1,
                         1e3 * (glfwGetTime() - timed_start) / (frame - WindowOptions::kTimedFrom));
        glfwPollEvents();
        if (changed_content_scale > 0) {  // re-lay the window: fonts and sizes at the new scale
            apply_content_scale(std::exchange(changed_content_scale, 0.0f));
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        if (frame % 60 == 0) ui::current_key_layout() = glfw_key_layout();  // shortcuts by the key's label (ui/canvas/imgui_compat.h)
        int fb_width = 0, fb_height = 0;
        glfwGetFramebufferSize(window_, &fb_width, &fb_height);
        if (fb_width == 0 || fb_height == 0) {  // minimised: nothing to draw
            glfwWaitEventsTimeout(0.1);
            previous = glfwGetTime();
            return true;
        }
        const double now = glfwGetTime();
        state_.advance(now - previous);
        previous = now;

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (io.DeltaTime <= 0) io.DeltaTime = 1e-5f;  // a clock that did not advance (a browser's virtual time)
        key_presses.hold(io);
        ImGui::NewFrame();
        const ImTextureID overlay =
            basin_texture_.empty() ? nullptr : reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(basin_texture_.id()));
        const FrameResult result = draw(overlay);
        ImGui::Render();
        glViewport(0, 0, fb_width, fb_height);
        glClearColor(0.95f, 0.95f, 0.95f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        // A slice of the animation export, if one runs: a frame or two, then back to the window.
        animation_.update(state_, pictures_, std::chrono::milliseconds(8));

        bool export_requested = result.export_png;
        handle_files(result, export_requested);
        follow_document_and_settings();
        if (result.quit) glfwSetWindowShouldClose(window_, GLFW_TRUE);
        if (result.toggle_fullscreen) toggle_fullscreen();
        try {
            analysis_.apply(result.analysis, state_);
            tuning_.apply(result.tune, state_);
            update_background_work();
        } catch (const std::exception& e) {
            show_error(state_, e);
        }
        const bool last_frame = scripted_last_frame(frame);
        if (export_requested || (last_frame && !options_.screenshot_path.empty()))
            export_picture_now(fb_width, fb_height, last_frame, overlay);
        if (last_frame && !options_.window_capture_path.empty()) {
            try {
                capture_back_buffer(options_.window_capture_path, fb_width, fb_height);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "optiviz: error: %s\n", e.what());
                status_ = 2;
            }
        }
        ask_before_closing_and_keep_session();
        glfwSwapBuffers(window_);
        return !last_frame;
    }
}

#ifdef __EMSCRIPTEN__
// In the browser the page owns the loop: it calls web_frame once per display frame, and the
// window, ImGui and the loop live as long as the page (nothing here is ever torn down).
struct WebSession {
    WindowOptions options;
    Settings settings;
    std::string settings_path, settings_problem;
    int windowed[4] = {0, 0, 0, 0};
    std::unique_ptr<WindowLoop> loop;
};
WebSession* web_session = nullptr;

void web_frame() {
    if (!web_session->loop->step()) {
        emscripten_cancel_main_loop();
        return;
    }
    run_queued_work(std::chrono::milliseconds(8));  // background work, between frames (core/runtime/worker_pool_web.h)
}

int run_in_page(GLFWwindow* window, const Scene& scene, WebSession* session) {
    try {
        session->loop = std::make_unique<WindowLoop>(window, scene, session->options, session->settings,
                                                     session->settings_path, session->settings_problem, session->windowed);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "optiviz: error: %s\n", e.what());
        return 2;
    }
    web_session = session;
    emscripten_set_main_loop(web_frame, 0, true);  // never returns
    return 0;
}
#endif

}  // namespace

#ifdef __EMSCRIPTEN__
// For the page's JavaScript (web/page.js): open a file written into the page's file system (the file
// input), and the current scene as JSON (the "link to this scene" button).
extern "C" EMSCRIPTEN_KEEPALIVE void optiviz_open_file(const char* path) { dropped_files.emplace_back(path); }
// The page's devicePixelRatio changed (the browser's zoom, another monitor): fonts and sizes follow
// between frames, as a desktop window's content scale does.
extern "C" EMSCRIPTEN_KEEPALIVE void optiviz_set_content_scale(float scale) {
    if (scale > 0) optiviz::app::changed_content_scale = scale;
}
// The threads computing for the page: the worker pool's Web Workers in the threaded build
// (cross-origin-isolated pages), 0 in the build without threads, where the page's own thread does it.
extern "C" EMSCRIPTEN_KEEPALIVE int optiviz_worker_threads() {
#ifdef __EMSCRIPTEN_PTHREADS__
    return static_cast<int>(optiviz::WorkerPool::shared().size());
#else
    return 0;
#endif
}
// 1 while a basin or sweep map or a tuning is being computed.
extern "C" EMSCRIPTEN_KEEPALIVE int optiviz_maps_computing() {
    return web_session && web_session->loop && web_session->loop->maps_computing() ? 1 : 0;
}
extern "C" EMSCRIPTEN_KEEPALIVE const char* optiviz_scene_json() {
    static std::string text;
    text = web_session && web_session->loop ? scene_to_json(web_session->loop->scene()) : std::string();
    return text.c_str();
}
#endif

int run_window_app(const Scene& scene, const WindowOptions& options) {
    const bool interactive = options.frames == 0;
    const std::string settings_path = settings_folder().empty() ? std::string() : settings_folder() + "/settings.json";
    std::string settings_problem;
    Settings settings = interactive && !settings_path.empty() ? load_settings(settings_path, &settings_problem) : Settings{};
    int windowed[4] = {0, 0, 0, 0};
    GLFWwindow* window = open_window(options, settings, windowed);
    if (!window) return 1;
    ImGuiContext* context = start_imgui(window);
#ifdef __EMSCRIPTEN__
    auto* session = new WebSession{options, settings, settings_path, settings_problem, {}, nullptr};
    return run_in_page(window, scene, session);
#endif
    int status = 0;
    try {
        WindowLoop loop(window, scene, options, settings, settings_path, settings_problem, windowed);
        status = loop.run();
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
