#include "app/picture.h"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cmath>
#include <stdexcept>

#include "app/heatmap_cache.h"
#include "app/surface_cache.h"
#include "render/framebuffer.h"
#include "render/gl.h"
#include "render/png_writer.h"
#include "ui/fonts.h"

namespace optiviz::app {

struct PictureRenderer::Impl {
    ImGuiContext* context = nullptr;
    float font_size = 0;
    HeatmapCache heatmap;
    std::unique_ptr<SurfaceCache> surface3d;  // built on first use: most pictures are 2-D
    render::Framebuffer target;
};

namespace {

// Runs `body` with `context` current, restoring the previous ImGui context afterwards.
template <class Body>
void with_context(ImGuiContext* context, Body&& body) {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(context);
    try {
        body();
    } catch (...) {
        ImGui::SetCurrentContext(previous);
        throw;
    }
    ImGui::SetCurrentContext(previous);
}

}  // namespace

// 16 px at 800 px tall, so a 4K export reads like the window.
float picture_font_size(int height) { return std::clamp(std::round(static_cast<float>(height) / 50.0f), 13.0f, 48.0f); }

PictureRenderer::PictureRenderer() : impl_(std::make_unique<Impl>()) {}

PictureRenderer::~PictureRenderer() {
    if (impl_->context) {
        with_context(impl_->context, [] { ImGui_ImplOpenGL3_Shutdown(); });
        ImGui::DestroyContext(impl_->context);
    }
}

PictureView parse_picture_view(const std::string& name) {
    if (name == "landscape") return PictureView::Landscape;
    if (name == "data") return PictureView::Data;
    if (name == "both") return PictureView::Both;
    if (name == "3d") return PictureView::Surface3D;
    if (name == "map+3d") return PictureView::LandscapeAnd3D;
    throw std::invalid_argument("--view: expected landscape, data, both, 3d or map+3d, got '" + name + "'");
}

std::vector<std::uint8_t> PictureRenderer::render(const AppState& state, int width, int height, ImTextureID overlay,
                                                  ViewRect overlay_view,
                                                  std::vector<std::pair<std::uint32_t, std::string>> overlay_legend,
                                                  PictureView view) {
    if ((view == PictureView::Data || view == PictureView::Both) && !state.has_data())
        throw std::invalid_argument("the data view needs a data-driven surface (--surface mse or logistic)");
    return render_with(
        [&](ImVec2 size) {
            ui::LandscapeInput input = landscape_input(state);
            input.overlay = overlay;
            input.overlay_view = overlay_view;
            input.overlay_legend = overlay_legend;
            input.heatmap = [&](const ui::HeatmapRequest& request) {
                return impl_->heatmap.get(state.shared_surface(), request);
            };
            auto draw_3d = [&](ImVec2 area) {
                ui::SurfaceViewInput input3d = surface_view_input(state);
                input3d.title = input.title;
                input3d.image = [&](const ui::SurfaceImageRequest& request) {
                    if (!impl_->surface3d) impl_->surface3d = std::make_unique<SurfaceCache>();
                    return impl_->surface3d->get(state.shared_surface(), request);
                };
                ui::draw_surface_view(input3d, area, false);
            };
            if (view == PictureView::Surface3D) {
                draw_3d(size);
            } else if (view == PictureView::LandscapeAnd3D) {
                const float left = std::floor(size.x * 0.5f);
                ui::draw_landscape(input, {left, size.y}, false);
                ImGui::SameLine(0, 0);
                draw_3d({size.x - left, size.y});
            } else if (view == PictureView::Landscape) {
                ui::draw_landscape(input, size, false);
            } else if (view == PictureView::Data) {
                ui::draw_data_view(data_view_input(state), size);
            } else {
                const float left = std::floor(size.x * 0.56f);
                ui::draw_landscape(input, {left, size.y}, false);
                ImGui::SameLine(0, 0);
                ui::draw_data_view(data_view_input(state), {size.x - left, size.y});
            }
        },
        width, height);
}

std::vector<std::uint8_t> PictureRenderer::render_with(const std::function<void(ImVec2)>& draw, int width, int height) {
    if (width < 16 || height < 16 || width > 3840 || height > 2160)
        throw std::runtime_error("picture size must be between 16x16 and 3840x2160, got " + std::to_string(width) + "x" +
                                 std::to_string(height));
    const float font = picture_font_size(height);
    if (impl_->context && impl_->font_size != font) {
        with_context(impl_->context, [] { ImGui_ImplOpenGL3_Shutdown(); });
        ImGui::DestroyContext(impl_->context);
        impl_->context = nullptr;
    }
    if (!impl_->context) {
        ImGuiContext* previous = ImGui::GetCurrentContext();
        impl_->context = ImGui::CreateContext();
        ImGui::SetCurrentContext(impl_->context);
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        ui::add_ui_font(*io.Fonts, font);
        ui::apply_style(ImGui::GetStyle());
        const bool ok = ImGui_ImplOpenGL3_Init("#version 330 core");
        ImGui::SetCurrentContext(previous);
        if (!ok) throw std::runtime_error("picture export: the ImGui OpenGL 3 renderer could not start");
        impl_->font_size = font;
    }

    std::vector<std::uint8_t> pixels;
    with_context(impl_->context, [&] {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = {static_cast<float>(width), static_cast<float>(height)};
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = {-FLT_MAX, -FLT_MAX};
        ImGui_ImplOpenGL3_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
        ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
        ImGui::Begin("##picture", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBackground);
        draw(io.DisplaySize);
        ImGui::End();
        ImGui::PopStyleVar(2);
        ImGui::Render();

        impl_->target.resize(width, height);
        impl_->target.bind();
        glClearColor(1, 1, 1, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glFinish();
        pixels = impl_->target.read_rgba();
        render::Framebuffer::bind_default();
    });
    return pixels;
}

void export_png(PictureRenderer& renderer, const AppState& state, int width, int height, const std::string& path,
                ImTextureID overlay, ViewRect overlay_view, std::vector<std::pair<std::uint32_t, std::string>> overlay_legend,
                PictureView view) {
    const auto pixels = renderer.render(state, width, height, overlay, overlay_view, std::move(overlay_legend), view);
    render::write_png(path, width, height, pixels);
}

}  // namespace optiviz::app
