// Pictures of the landscape without the window: the same draw_landscape() the window uses, drawn
// by its own ImGui context into an offscreen framebuffer of the requested size. Used by PNG export
// (Ctrl+S) and by `optiviz render`.
#pragma once

#include <cstdint>
#include <functional>

#include <imgui.h>
#include <memory>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/derived/view_inputs.h"
#include "ui/canvas/cairo_canvas.h"

namespace optiviz::app {

// What a picture shows: the landscape, the data panel (regression surfaces), or both side by side;
// the 3-D surface, alone or beside the map; the loss plot alone; and each of the first five with
// the loss plot below it, as the window shows it (the "+loss" views).
enum class PictureView {
    Landscape, Data, Both, Surface3D, LandscapeAnd3D,
    Loss,
    LandscapeLoss, DataLoss, BothLoss, Surface3DLoss, LandscapeAnd3DLoss
};

// Parses "landscape", "data", "both" (landscape and data), "3d", "map+3d" or "loss", and the first
// five followed by "+loss" ("landscape+loss", ...); throws std::invalid_argument.
PictureView parse_picture_view(const std::string& name);

// The view without its loss plot (Loss itself for Loss), and whether the view has a loss plot.
PictureView without_loss(PictureView view);
bool has_loss_plot(PictureView view);
// Whether the view needs a data-driven surface (it shows the data panel).
bool needs_data(PictureView view);

// Where a picture's images come from: the heatmap and the 3-D surface (GL textures in the app; a
// test may return no texture and only the sampled grid), and an optional basin overlay.
struct PictureSources {
    std::function<ui::HeatmapImage(const ui::HeatmapRequest&)> heatmap;
    std::function<ui::SurfaceImage(const ui::SurfaceImageRequest&)> surface_image;
    ImTextureID overlay = nullptr;
    ViewRect overlay_view;
    std::vector<std::pair<std::uint32_t, std::string>> overlay_legend;
    bool contour_lines = false;  // the map's contours as lines (vector documents)
    bool paper = true;           // the map's margins on light paper (false: transparent pictures)
};

// Draws `view` of `state` in `size` pixels at the cursor of the current ImGui window: the one layout
// every picture (PNG, SVG, PDF, animation frame) uses. No GL of its own: images come from `sources`.
void draw_picture(const AppState& state, PictureView view, ImVec2 size, const PictureSources& sources);

class PictureRenderer {
public:
    // Needs a current GL 3.3 core context (the window's, or an OffscreenContext). Picture sizes up
    // to 3840 × 2160. Throws std::runtime_error if the GL resources cannot be created.
    PictureRenderer();
    ~PictureRenderer();
    PictureRenderer(const PictureRenderer&) = delete;
    PictureRenderer& operator=(const PictureRenderer&) = delete;

    // With `transparent`, later pictures have no background: the PNG's pixels outside what the views
    // draw (margins, gaps) have alpha 0 and partly covered pixels keep their own colour with a
    // partial alpha; SVG and PDF leave out the white paper. The views' own fills (heatmap, legend
    // boxes, panels) stay as they are, so text on them stays readable. Default: white, opaque.
    void set_transparent(bool transparent);

    // Draws the landscape of `state` at `width` × `height` and returns RGBA8 pixels, top row first.
    // `overlay`/`overlay_view`: an optional image over the heatmap (the window's basin map).
    std::vector<std::uint8_t> render(const AppState& state, int width, int height, ImTextureID overlay = nullptr,
                                     ViewRect overlay_view = {},
                                     std::vector<std::pair<std::uint32_t, std::string>> overlay_legend = {},
                                     PictureView view = PictureView::Landscape);

    // Same for any ImGui drawing: `draw(size)` runs inside a borderless window covering the picture.
    std::vector<std::uint8_t> render_with(const std::function<void(ImVec2)>& draw, int width, int height);

    // The same picture as render() as an SVG or PDF document (its bytes): the views' lines, shapes
    // and text as vectors, GL images (the heatmap, the basin overlay, the 3-D surface) embedded as
    // pictures. Needs the same GL context as render().
    std::string render_document(ui::VectorFormat format, const AppState& state, int width, int height,
                                ImTextureID overlay = nullptr, ViewRect overlay_view = {},
                                std::vector<std::pair<std::uint32_t, std::string>> overlay_legend = {},
                                PictureView view = PictureView::Landscape);

private:
    // `vector`: for a vector document (the map's contours as lines, not in the heatmap image).
    std::function<void(ImVec2)> view_drawing(const AppState& state, ImTextureID overlay, ViewRect overlay_view,
                                             std::vector<std::pair<std::uint32_t, std::string>> overlay_legend,
                                             PictureView view, bool vector);
    // One ImGui frame of `draw`; with `canvas`, the views draw on it instead of the GL target.
    std::vector<std::uint8_t> run_frame(const std::function<void(ImVec2)>& draw, int width, int height,
                                        ui::Canvas* canvas);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The font size pictures use for a given height (text scales with the picture).
float picture_font_size(int height);

// Renders and writes a PNG. Throws std::runtime_error("PATH: ...") with one line on failure.
void export_png(PictureRenderer& renderer, const AppState& state, int width, int height, const std::string& path,
                ImTextureID overlay = nullptr, ViewRect overlay_view = {},
                std::vector<std::pair<std::uint32_t, std::string>> overlay_legend = {},
                PictureView view = PictureView::Landscape);

}  // namespace optiviz::app
