#include "app/export/picture.h"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "app/derived/heatmap_cache.h"
#include "app/export/picture_export.h"
#include "app/version.h"
#include "app/derived/surface_cache.h"
#include "render/framebuffer.h"
#include "render/gl.h"
#include "render/png_writer.h"
#include "render/texture_readback.h"
#include "ui/canvas/fonts.h"
#include "ui/views/loss_plot.h"

namespace optiviz::app {

struct PictureRenderer::Impl {
    ImGuiContext* context = nullptr;
    float font_size = 0;
    HeatmapCache heatmap;
    std::unique_ptr<HeatmapCache> heatmap_without_contours;  // vector export: the contours are lines
    std::unique_ptr<SurfaceCache> surface3d;  // built on first use: most pictures are 2-D
    render::Framebuffer target;
    bool transparent = false;
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

// ImGui blends colour as src·a + dst·(1 − a) and alpha as a + dst_a·(1 − a): on a clear (0, 0, 0, 0)
// target the colour comes out multiplied by its alpha. PNG stores straight alpha, so divide it out.
void unpremultiply(std::vector<std::uint8_t>& rgba) {
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
        const unsigned alpha = rgba[i + 3];
        if (alpha == 0 || alpha == 255) continue;
        for (std::size_t c = 0; c < 3; ++c)
            rgba[i + c] = static_cast<std::uint8_t>(std::min(255u, (rgba[i + c] * 255u + alpha / 2) / alpha));
    }
}

}  // namespace

// 16 px at 800 px tall, so a 4K export reads like the window.
float picture_font_size(int height) { return std::clamp(std::round(static_cast<float>(height) / 50.0f), 13.0f, 48.0f); }

PictureRenderer::PictureRenderer() : impl_(std::make_unique<Impl>()) {}

void PictureRenderer::set_transparent(bool transparent) { impl_->transparent = transparent; }

PictureRenderer::~PictureRenderer() {
    if (impl_->context) {
        with_context(impl_->context, [] { ImGui_ImplOpenGL3_Shutdown(); });
        ImGui::DestroyContext(impl_->context);
    }
}

PictureView parse_picture_view(const std::string& name) {
    static constexpr std::pair<const char*, PictureView> kViews[] = {
        {"landscape", PictureView::Landscape},
        {"data", PictureView::Data},
        {"both", PictureView::Both},
        {"3d", PictureView::Surface3D},
        {"map+3d", PictureView::LandscapeAnd3D},
        {"loss", PictureView::Loss},
        {"landscape+loss", PictureView::LandscapeLoss},
        {"data+loss", PictureView::DataLoss},
        {"both+loss", PictureView::BothLoss},
        {"3d+loss", PictureView::Surface3DLoss},
        {"map+3d+loss", PictureView::LandscapeAnd3DLoss},
    };
    for (const auto& [key, view] : kViews)
        if (name == key) return view;
    throw std::invalid_argument("--view: expected landscape, data, both, 3d, map+3d or loss (the first five also with "
                                "+loss: the loss plot below), got '" + name + "'");
}

PictureView without_loss(PictureView view) {
    switch (view) {
        case PictureView::LandscapeLoss: return PictureView::Landscape;
        case PictureView::DataLoss: return PictureView::Data;
        case PictureView::BothLoss: return PictureView::Both;
        case PictureView::Surface3DLoss: return PictureView::Surface3D;
        case PictureView::LandscapeAnd3DLoss: return PictureView::LandscapeAnd3D;
        default: return view;
    }
}

bool has_loss_plot(PictureView view) { return view == PictureView::Loss || without_loss(view) != view; }

bool needs_data(PictureView view) {
    const PictureView base = without_loss(view);
    return base == PictureView::Data || base == PictureView::Both;
}

std::vector<std::uint8_t> PictureRenderer::render(const AppState& state, int width, int height, ImTextureID overlay,
                                                  ViewRect overlay_view,
                                                  std::vector<std::pair<std::uint32_t, std::string>> overlay_legend,
                                                  PictureView view) {
    return run_frame(view_drawing(state, overlay, overlay_view, std::move(overlay_legend), view, false), width, height,
                     nullptr);
}

std::string PictureRenderer::render_document(ui::VectorFormat format, const AppState& state, int width, int height,
                                             ImTextureID overlay, ViewRect overlay_view,
                                             std::vector<std::pair<std::uint32_t, std::string>> overlay_legend,
                                             PictureView view) {
    if (!impl_->heatmap_without_contours) impl_->heatmap_without_contours = std::make_unique<HeatmapCache>(false);
    const auto draw = view_drawing(state, overlay, overlay_view, std::move(overlay_legend), view, true);
    // Every image the views draw is a GL texture: read it back and embed its pixels.
    ui::CairoCanvas canvas(
        format, width, height, ui::ui_font_file(),
        [](ImTextureID texture) {
            render::TexturePixels pixels =
                render::read_texture(static_cast<GLuint>(reinterpret_cast<std::intptr_t>(texture)));
            return ui::CanvasImage{pixels.width, pixels.height, std::move(pixels.rgba), !pixels.nearest};
        },
        /*paper=*/!impl_->transparent);
    run_frame(draw, width, height, &canvas);
    canvas.set_document_info(picture_title(state.scene()), version_line());  // Title, Creator (picture_export.h)
    return canvas.finish();
}

std::function<void(ImVec2)> PictureRenderer::view_drawing(const AppState& state, ImTextureID overlay,
                                                          ViewRect overlay_view,
                                                          std::vector<std::pair<std::uint32_t, std::string>> overlay_legend,
                                                          PictureView view, bool vector) {
    if (needs_data(view) && !state.has_data())
        throw std::invalid_argument("the data view needs a data-driven surface (--surface mse or logistic)");
    return [this, &state, overlay, overlay_view, overlay_legend = std::move(overlay_legend), view, vector](ImVec2 size) {
        PictureSources sources;
        sources.overlay = overlay;
        sources.overlay_view = overlay_view;
        sources.overlay_legend = overlay_legend;
        sources.contour_lines = vector;
        sources.paper = !impl_->transparent;
        sources.heatmap = [&](const ui::HeatmapRequest& request) {
            return (vector ? *impl_->heatmap_without_contours : impl_->heatmap).get(state.keyed_surface(), request);
        };
        sources.surface_image = [&](const ui::SurfaceImageRequest& request) {
            if (!impl_->surface3d) impl_->surface3d = std::make_unique<SurfaceCache>();
            return impl_->surface3d->get(state.keyed_surface(), request);
        };
        draw_picture(state, view, size, sources);
    };
}

void draw_picture(const AppState& state, PictureView view, ImVec2 size, const PictureSources& sources) {
    ui::LandscapeInput input = landscape_input(state);
    input.overlay = sources.overlay;
    input.overlay_view = sources.overlay_view;
    input.overlay_legend.insert(input.overlay_legend.end(), sources.overlay_legend.begin(), sources.overlay_legend.end());
    input.contour_lines = sources.contour_lines;
    input.paper = sources.paper;
    input.heatmap = sources.heatmap;
    auto draw_3d = [&](ImVec2 area) {
        ui::SurfaceViewInput input3d = surface_view_input(state);
        input3d.title = input.title;
        input3d.image = sources.surface_image;
        ui::draw_surface_view(input3d, area, false);
    };
    if (view == PictureView::Loss) {
        ui::LossPlotInput loss = loss_plot_input(state);
        loss.title = input.title;  // alone, the plot names its function
        ui::draw_loss_plot(loss, size, false);
        return;
    }
    // The "+loss" views: the loss plot below, as tall as the window makes it.
    const float loss_height =
        has_loss_plot(view) ? std::floor(std::min(std::max(120.0f, size.y * 0.28f), size.y * 0.5f)) : 0.0f;
    const ImVec2 top{size.x, size.y - loss_height};
    const PictureView base = without_loss(view);
    if (base == PictureView::Surface3D) {
        draw_3d(top);
    } else if (base == PictureView::LandscapeAnd3D) {
        const float left = std::floor(top.x * 0.5f);
        ui::draw_landscape(input, {left, top.y}, false);
        ImGui::SameLine(0, 0);
        draw_3d({top.x - left, top.y});
    } else if (base == PictureView::Landscape) {
        ui::draw_landscape(input, top, false);
    } else if (base == PictureView::Data) {
        ui::draw_data_view(data_view_input(state), top);
    } else {
        const float left = std::floor(top.x * 0.56f);
        ui::draw_landscape(input, {left, top.y}, false);
        ImGui::SameLine(0, 0);
        ui::draw_data_view(data_view_input(state), {top.x - left, top.y});
    }
    if (loss_height > 0) ui::draw_loss_plot(loss_plot_input(state), {size.x, loss_height}, false);
}

std::vector<std::uint8_t> PictureRenderer::render_with(const std::function<void(ImVec2)>& draw, int width, int height) {
    return run_frame(draw, width, height, nullptr);
}

std::vector<std::uint8_t> PictureRenderer::run_frame(const std::function<void(ImVec2)>& draw, int width, int height,
                                                     ui::Canvas* canvas) {
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
        const bool ok = ImGui_ImplOpenGL3_Init(OPTIVIZ_GLSL_VERSION);
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
        {
            std::optional<ui::CanvasRoute> route;
            if (canvas) route.emplace(*canvas);
            draw(io.DisplaySize);
        }
        ImGui::End();
        ImGui::PopStyleVar(2);
        ImGui::Render();
        if (canvas) return;  // the canvas holds the picture; the draw lists are empty

        impl_->target.resize(width, height);
        impl_->target.bind();
        if (impl_->transparent) glClearColor(0, 0, 0, 0);
        else glClearColor(1, 1, 1, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glFinish();
        pixels = impl_->target.read_rgba();
        if (impl_->transparent) unpremultiply(pixels);
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
