// Offscreen pictures on Mesa (EGL surfaceless, no X server): read the pixels back and check that
// what a student should see is there.
#include "ui/overlays/step_glyphs.h"
#include "support/catch.h"

#include <cmath>
#include <cstdlib>

#include "app/app_state.h"
#include "app/derived/view_inputs.h"
#include "app/derived/data_points.h"
#include "app/derived/heatmap_cache.h"
#include "app/derived/surface_cache.h"
#include "app/export/picture.h"
#include "core/presentation/color_scale.h"
#include "core/surfaces/dataset.h"
#include "core/scene/presets.h"

#include <set>
#include "render/offscreen_context.h"
#include "ui/views/landscape_view.h"
#include "ui/views/loss_plot.h"
#include "ui/views/surface_view.h"

using namespace optiviz;

namespace {

struct Picture {
    int width, height;
    std::vector<std::uint8_t> rgba;
    std::array<int, 3> at(int x, int y) const {
        const auto i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
        return {rgba[i], rgba[i + 1], rgba[i + 2]};
    }
    // Is there a pixel within `radius` of (x, y) whose colour is within `tolerance` of `rgb`?
    bool near(float x, float y, std::uint32_t rgb, int radius = 2, int tolerance = 40) const {
        const int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
        for (int dy = -radius; dy <= radius; ++dy)
            for (int dx = -radius; dx <= radius; ++dx) {
                const int px = static_cast<int>(std::lround(x)) + dx, py = static_cast<int>(std::lround(y)) + dy;
                if (px < 0 || py < 0 || px >= width || py >= height) continue;
                const auto c = at(px, py);
                if (std::abs(c[0] - r) + std::abs(c[1] - g) + std::abs(c[2] - b) <= tolerance) return true;
            }
        return false;
    }
};

struct Screen {
    ViewRect view;
    ImVec2 min, max;
    ImVec2 operator()(double x, double y) const {
        return {static_cast<float>(min.x + (x - view.x_min) / (view.x_max - view.x_min) * (max.x - min.x)),
                static_cast<float>(max.y - (y - view.y_min) / (view.y_max - view.y_min) * (max.y - min.y))};
    }
};

}  // namespace

TEST_CASE("an offscreen picture shows the paths, the colorbar and the minimum", "[render]") {
    Scene scene = default_scene();
    // Two paths that part ways: Adam heads down the valley, heavy-ball momentum swings across it.
    scene.runs = {parse_run_spec("adam:lr=0.1", 0), parse_run_spec("sgd:lr=0.0002,momentum=0.9", 1)};
    scene.start = {-1.0, -0.5};
    scene.steps = 60;  // short runs: the minimum's marker stays uncovered
    app::AppState state(scene);
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    Picture picture{960, 600, renderer.render(state, 960, 600)};
    REQUIRE(picture.rgba.size() == 960u * 600u * 4u);

    const float font = app::picture_font_size(600);
    const ui::LandscapeLayout layout = ui::landscape_layout({960, 600}, font);
    const Screen screen{ui::fit_view(state.scene().view, layout.plot_max.x - layout.plot_min.x,
                                     layout.plot_max.y - layout.plot_min.y),
                        layout.plot_min, layout.plot_max};

    // Each run's colour lies along its own path.
    for (std::size_t r = 0; r < 2; ++r) {
        const Trajectory& t = *state.trajectory(r);
        int hits = 0, samples = 0;
        for (std::size_t k = 10; k < t.size(); k += 5) {
            const ImVec2 p = screen(t.x[k], t.y[k]);
            if (p.x < layout.plot_min.x + 3 || p.x > layout.plot_max.x - 3 || p.y < layout.plot_min.y + 3 ||
                p.y > layout.plot_max.y - 3)
                continue;  // outside the picture
            ++samples;
            hits += picture.near(p.x, p.y, scene.runs[r].color) ? 1 : 0;
        }
        INFO("run " << r << ": " << hits << " of " << samples);
        CHECK(samples >= 4);
        CHECK(hits >= samples * 8 / 10);
    }
    // The white star sits on the minimum (1, 1).
    const ImVec2 minimum = screen(1.0, 1.0);
    CHECK(picture.near(minimum.x, minimum.y, 0xFFFFFF, 1, 30));
    // The colorbar runs from viridis(0) at the bottom to viridis(1) at the top.
    const float cx = (layout.colorbar_min.x + layout.colorbar_max.x) / 2;
    auto viridis_rgb = [](double t) {
        const auto c = viridis(t);
        return (static_cast<std::uint32_t>(c[0] * 255) << 16) | (static_cast<std::uint32_t>(c[1] * 255) << 8) |
               static_cast<std::uint32_t>(c[2] * 255);
    };
    CHECK(picture.near(cx, layout.colorbar_max.y - 3, viridis_rgb(0.0), 1, 24));
    CHECK(picture.near(cx, layout.colorbar_min.y + 3, viridis_rgb(1.0), 1, 24));
    // The heatmap's colour at a point far from the paths follows the log scale of the loss there.
    const double far_x = screen.view.x_max - 0.08 * (screen.view.x_max - screen.view.x_min);
    const double far_y = screen.view.y_min + 0.08 * (screen.view.y_max - screen.view.y_min);
    const ImVec2 corner = screen(far_x, far_y);
    const FieldGrid grid = sample_field(state.surface(), screen.view, static_cast<int>(screen.max.x - screen.min.x),
                                        static_cast<int>(screen.max.y - screen.min.y));
    CHECK(picture.near(corner.x, corner.y, viridis_rgb(grid.scale.normalize(state.surface().value(far_x, far_y))), 2, 40));
}

TEST_CASE("pictures are deterministic and sized as asked", "[render]") {
    app::AppState state(default_scene());
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const auto a = renderer.render(state, 640, 400);
    const auto b = renderer.render(state, 640, 400);
    CHECK(a == b);
    CHECK(renderer.render(state, 320, 200).size() == 320u * 200u * 4u);
    CHECK_THROWS_WITH(renderer.render(state, 5000, 400), Catch::Contains("3840x2160"));
}

TEST_CASE("the data panel shows the points and each run's fitted line", "[render][data]") {
    Scene scene = default_scene();
    scene.surface = "mse";
    scene.view_is_default = true;
    scene.data.kind = DatasetChoice::Kind::Anscombe;
    scene.data.anscombe = 1;
    scene.runs = {parse_run_spec("sgd:lr=0.01,momentum=0.9", 0)};
    scene.steps = 3000;
    app::AppState state(scene);
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const int width = 800, height = 600;
    Picture picture{width, height, renderer.render(state, width, height, nullptr, {}, {}, app::PictureView::Data)};

    // The panel's geometry, as ui::draw_data_view lays it out.
    const float font = app::picture_font_size(height);
    const Dataset data = anscombe_dataset(1);
    const double x0 = 4, x1 = 14, y0 = 4.26, y1 = 10.84;
    const double mx = (x1 - x0) * 0.08, my = (y1 - y0) * 0.12;
    const ViewRect r{x0 - mx, x1 + mx, y0 - my, y1 + my};
    const ImVec2 pmin{font * 3.8f, font * 3.4f}, pmax{width - font * 1.0f, height - font * 2.6f};  // a row for the y name
    auto screen = [&](double x, double y) {
        return ImVec2{static_cast<float>(pmin.x + (x - r.x_min) / (r.x_max - r.x_min) * (pmax.x - pmin.x)),
                      static_cast<float>(pmax.y - (y - r.y_min) / (r.y_max - r.y_min) * (pmax.y - pmin.y))};
    };
    // Every point is drawn (dark grey dots).
    int points = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const ImVec2 p = screen(data.x[i], data.y[i]);
        points += picture.near(p.x, p.y, 0x3C3C46, 2, 60) ? 1 : 0;
    }
    CHECK(points >= 10);
    // The run has converged to y = 3 + 0.5x: its colour lies along that line.
    int hits = 0;
    for (double x = 5; x <= 13; x += 1) {
        const ImVec2 p = screen(x, 3.0001 + 0.5001 * x);
        hits += picture.near(p.x, p.y, scene.runs[0].color, 3, 60) ? 1 : 0;
    }
    CHECK(hits >= 7);
}

TEST_CASE("every teaching preset opens and renders, with its caption", "[render][presets]") {
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    for (const Preset& preset : preset_registry()) {
        INFO(preset.name);
        Scene scene = make_preset(preset.name);
        CHECK(scene.caption == preset.caption);
        scene.overlays["gradient-field"] = {};
        app::AppState state(scene);
    state.finish();
        CHECK(landscape_input(state).caption == preset.caption);
        const auto pixels = renderer.render(state, 480, 300);
        REQUIRE(pixels.size() == 480u * 300u * 4u);
        // Not a blank picture: many distinct colours.
        std::set<std::uint32_t> colours;
        for (std::size_t i = 0; i < pixels.size(); i += 4 * 37)
            colours.insert((std::uint32_t(pixels[i]) << 16) | (std::uint32_t(pixels[i + 1]) << 8) | pixels[i + 2]);
        CHECK(colours.size() > 50);
    }
    CHECK_THROWS_WITH(make_preset("nope"), Catch::StartsWith("unknown preset 'nope' (known: narrow-valley"));
}

TEST_CASE("the 3-D view: the colormap sits where the camera says and paths ride above the surface", "[render][3d]") {
    Scene scene = default_scene();
    scene.surface = "quadratic";
    scene.surface_params = {{"a", 1.0}, {"b", 1.0}, {"c", 0.0}};
    scene.view = {-2, 2, -2, 2};
    scene.view_is_default = false;
    scene.runs = {parse_run_spec("sgd:lr=0.05", 0)};
    scene.start = {1.6, -1.2};
    scene.steps = 40;
    scene.camera.yaw = 0.4;
    scene.camera.pitch = 0.9;
    scene.camera.distance = 4.0;
    app::AppState state(scene);
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const int width = 800, height = 600;
    Picture picture{width, height, renderer.render(state, width, height, nullptr, {}, {}, app::PictureView::Surface3D)};

    const float font = app::picture_font_size(height);
    ImVec2 mesh_min, mesh_max;  // below the title row, left of the colorbar and legend
    ui::surface_mesh_rect({static_cast<float>(width), static_cast<float>(height)}, font, mesh_min, mesh_max);
    const float top = mesh_min.y;
    const double w = mesh_max.x - mesh_min.x, h = mesh_max.y - mesh_min.y;
    const FieldGrid grid = sample_field(state.surface(), scene.view, 256, 256);
    auto project = [&](double x, double y, double t, ImVec2& out) {
        Eigen::Vector3d px;
        if (!scene.camera.project(ui::surface_point(scene.view, 0.6f, x, y, t), w, h, px)) return false;
        out = {static_cast<float>(px.x()), static_cast<float>(top + px.y())};
        return true;
    };
    // Where the camera puts a point of the surface, the picture has that point's colormap colour,
    // darkened by no more than the lighting's ambient floor (0.45) and lightened by no contour.
    int checked = 0;
    for (const auto& [x, y] : std::vector<std::pair<double, double>>{{-0.4, 0.4}, {-1.9, -1.9}, {1.9, -1.9}, {1.2, 0.3}}) {
        const double t = grid.scale.normalize(state.surface().value(x, y));
        ImVec2 p;
        REQUIRE(project(x, y, t, p));
        if (p.x < 2 || p.x > static_cast<float>(w) - 2 || p.y < top + 2 || p.y > static_cast<float>(height) - 2) continue;
        ++checked;
        const auto pixel = picture.at(static_cast<int>(p.x), static_cast<int>(p.y));
        const auto c = viridis(t);
        const double expected = 255.0 * (c[0] + c[1] + c[2]), got = pixel[0] + pixel[1] + pixel[2];
        INFO("(" << x << ", " << y << ") t " << t << " at " << p.x << "," << p.y << " expected about " << expected << ", got " << got);
        CHECK(got >= 0.4 * expected);
        CHECK(got <= 1.1 * expected + 40);
        // The hue is viridis': green dominates blue only where viridis' does.
        CHECK((pixel[1] > pixel[2]) == (c[1] > c[2]));
    }
    CHECK(checked >= 3);
    // The path's colour is visible along its points (drawn above the surface).
    const Trajectory& t = *state.trajectory(0);
    int hits = 0, samples = 0;
    for (std::size_t k = 0; k < t.size(); k += 4) {
        ImVec2 p;
        if (!project(t.x[k], t.y[k], grid.scale.normalize(t.loss[k]), p)) continue;
        ++samples;
        hits += picture.near(p.x, p.y, scene.runs[0].color, 3, 60) ? 1 : 0;
    }
    CHECK(samples >= 8);
    CHECK(hits >= samples * 7 / 10);
}

TEST_CASE("the heatmap is resampled only when its surface, view or size change", "[render][keys]") {
    render::OffscreenContext context;
    app::HeatmapCache cache;
    app::AppState state(default_scene());
    state.finish();
    const ui::HeatmapRequest request{state.view(), 320, 200};
    const auto first = cache.get(state.keyed_surface(), request);
    CHECK(cache.recomputations() == 1);
    // Frames with nothing changed, and edits that do not touch the surface.
    state.scene().runs[0].config.hyper["lr"] = 0.002;
    state.set_start({0.1, 0.2});
    state.finish();
    for (int frame = 0; frame < 5; ++frame) cache.get(state.keyed_surface(), request);
    CHECK(cache.recomputations() == 1);
    // The view, the size and the surface each resample it.
    ui::HeatmapRequest moved = request;
    moved.view.x_min -= 0.5;
    cache.get(state.keyed_surface(), moved);
    CHECK(cache.recomputations() == 2);
    moved.width = 321;
    cache.get(state.keyed_surface(), moved);
    CHECK(cache.recomputations() == 3);
    state.scene().surface_params["b"] = 10;
    state.finish();
    cache.get(state.keyed_surface(), moved);
    CHECK(cache.recomputations() == 4);
    CHECK(first.texture != nullptr);
    // Keyed by value, not by the object: the same scene opened again builds a new surface object from
    // the same inputs, and that is the same picture.
    const std::shared_ptr<const LossSurface> before = state.shared_surface();
    REQUIRE(state.open_scene(Scene(state.scene()), "opened again"));
    REQUIRE(state.shared_surface() != before);
    cache.get(state.keyed_surface(), moved);
    CHECK(cache.recomputations() == 4);
    // The surface's own inputs still count: another function resamples.
    state.scene().surface = "himmelblau";
    state.scene().surface_params.clear();
    state.finish();
    REQUIRE(state.keyed_surface().key.surface == "himmelblau");
    cache.get(state.keyed_surface(), moved);
    CHECK(cache.recomputations() == 5);
}

TEST_CASE("the 3-D mesh is rebuilt only when its surface key, view or height mode change", "[render][keys][3d]") {
    render::OffscreenContext context;
    app::SurfaceCache cache;
    app::AppState state(default_scene());
    state.finish();
    ui::SurfaceImageRequest request;
    request.view = state.view();
    request.width = 160;
    request.height = 120;
    request.camera = state.scene().camera;
    CHECK(cache.get(state.keyed_surface(), request).texture != nullptr);
    CHECK(cache.recomputations() == 1);
    // The camera and the picture size only redraw the mesh; runs do not touch it.
    request.camera.yaw += 0.3;
    request.width = 200;
    state.scene().runs[0].config.hyper["lr"] = 0.002;
    state.finish();
    cache.get(state.keyed_surface(), request);
    CHECK(cache.recomputations() == 1);
    // The same surface rebuilt (the scene opened again) is the same mesh.
    REQUIRE(state.open_scene(Scene(state.scene()), "opened again"));
    cache.get(state.keyed_surface(), request);
    CHECK(cache.recomputations() == 1);
    // The view, the height mode and the surface's parameters each rebuild it.
    request.view.x_min -= 0.5;
    cache.get(state.keyed_surface(), request);
    CHECK(cache.recomputations() == 2);
    request.linear_height = true;
    cache.get(state.keyed_surface(), request);
    CHECK(cache.recomputations() == 3);
    state.scene().surface_params["b"] = 10;
    state.finish();
    cache.get(state.keyed_surface(), request);
    CHECK(cache.recomputations() == 4);
}

namespace {

// The landscape's plot mapping for a scene without a caption, as draw_landscape computes it.
Screen screen_of(const app::AppState& state, int width, int height, ui::LandscapeLayout* layout_out = nullptr) {
    const float font = app::picture_font_size(height);
    const ui::LandscapeLayout layout = ui::landscape_layout({static_cast<float>(width), static_cast<float>(height)}, font);
    if (layout_out) *layout_out = layout;
    return Screen{ui::fit_view(state.scene().view, layout.plot_max.x - layout.plot_min.x, layout.plot_max.y - layout.plot_min.y),
                  layout.plot_min, layout.plot_max};
}

}  // namespace

TEST_CASE("every run's current marker stays visible where runs end at the same point", "[render][markers]") {
    Scene scene = default_scene();
    scene.surface = "quadratic";
    scene.surface_params = {{"a", 1.0}, {"b", 3.0}, {"c", 0.0}};
    // Four runs that all converge to the minimum (0, 0), drawn in this order over each other.
    scene.runs = {parse_run_spec("sgd:lr=0.2", 0), parse_run_spec("sgd:lr=0.05,momentum=0.8", 1),
                  parse_run_spec("adam:lr=0.1", 2), parse_run_spec("rmsprop:lr=0.02", 3)};
    assign_default_colors(scene.runs);
    scene.start = {-2.0, 1.5};
    scene.steps = 600;
    scene.view = {-2.5, 2.5, -2.0, 2.0};
    scene.view_is_default = false;
    app::AppState state(scene);
    state.finish();
    for (std::size_t i = 0; i < scene.runs.size(); ++i) REQUIRE(std::hypot(state.trajectory(i)->x.back(), state.trajectory(i)->y.back()) < 0.05);
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const Picture picture{1280, 720, renderer.render(state, 1280, 720)};
    const Screen screen = screen_of(state, 1280, 720);
    const float font = app::picture_font_size(720);
    const ImVec2 end = screen(0.0, 0.0);
    for (std::size_t r = 0; r < scene.runs.size(); ++r) {
        INFO("run " << r);
        // The marker's colour fills a disc of about 0.3 text heights somewhere within 1.5 text heights
        // of the end point: look for a pixel of it that no path could have painted (paths end there too,
        // so require a solid patch: every pixel of a 3x3 block).
        bool found = false;
        const int reach = static_cast<int>(font * 1.5f);
        for (int dy = -reach; dy <= reach && !found; ++dy)
            for (int dx = -reach; dx <= reach && !found; ++dx) {
                bool solid = true;
                for (int j = -2; j <= 2 && solid; ++j)
                    for (int i = -2; i <= 2 && solid; ++i)
                        solid = picture.near(end.x + static_cast<float>(dx + i), end.y + static_cast<float>(dy + j),
                                             scene.runs[r].color, 0, 24);
                found = solid;
            }
        CHECK(found);
    }
}

TEST_CASE("a run that leaves the view ends in an edge arrow, without a slab of segments", "[render][edge]") {
    Scene scene = make_preset("too-large-lr");
    scene.caption.clear();
    scene.view = {-2.0, 2.0, -2.0, 2.0};
    scene.view_is_default = false;
    app::AppState state(scene);
    state.finish();
    const Trajectory& away = *state.trajectory(1);
    REQUIRE(away.outcome == Outcome::Diverged);
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    ui::LandscapeLayout layout;
    const Picture picture{1280, 720, renderer.render(state, 1280, 720)};
    const Screen screen = screen_of(state, 1280, 720, &layout);
    const std::uint32_t color = scene.runs[1].color;
    // Where the run first leaves the view for good: the last row inside, then the border crossing.
    std::size_t k = away.size() - 1;
    auto in_view = [&](std::size_t i) {
        return away.x[i] >= screen.view.x_min && away.x[i] <= screen.view.x_max && away.y[i] >= screen.view.y_min &&
               away.y[i] <= screen.view.y_max;
    };
    while (!in_view(k)) --k;
    const double dy = away.y[k + 1] - away.y[k];
    const double border = dy > 0 ? screen.view.y_max : screen.view.y_min;
    const double s = (border - away.y[k]) / dy;
    const ImVec2 exit = screen(away.x[k] + s * (away.x[k + 1] - away.x[k]), border);
    const float font = app::picture_font_size(720);
    // The arrow: a solid patch of the run's colour just inside the border.
    const float inward = dy > 0 ? 1.0f : -1.0f;
    CHECK(picture.near(exit.x, exit.y + inward * font * 0.5f, color, 3, 30));
    // No slab: later segments swing through the plot near x = 0 (between huge +y and -y), and are not drawn.
    REQUIRE(std::abs(away.x.back()) < 0.01);
    for (double y : {1.2, -1.2, 1.6}) {
        const ImVec2 p = screen(away.x.back(), y);
        CHECK_FALSE(picture.near(p.x, p.y, color, 2, 30));
    }
}

TEST_CASE("legend, equations and caption have their own space: the plot shows only the data", "[render][layout]") {
    // Geometry at the checked sizes: the column and the colorbar lie right of the plot, the caption above it.
    for (const ImVec2 size : {ImVec2{1024, 640}, ImVec2{1280, 720}, ImVec2{1440, 900}, ImVec2{3840, 2160}}) {
        const float font = app::picture_font_size(static_cast<int>(size.y));
        for (int lines = 0; lines <= 3; ++lines) {
            INFO(size.x << "x" << size.y << ", caption lines " << lines);
            const ui::LandscapeLayout l = ui::landscape_layout(size, font, lines);
            CHECK(l.colorbar_min.x > l.plot_max.x);
            CHECK(l.side_min.x > l.colorbar_max.x + font * 3.0f);  // the colorbar's tick labels fit between
            CHECK(l.side_max.x <= size.x);
            CHECK(l.plot_min.y >= font * (1.7f + static_cast<float>(lines)));  // below the title and caption lines
            CHECK(l.plot_max.x - l.plot_min.x > size.x * 0.45f);                // the data keeps most of the width
        }
    }
    // Pixels: a glyph scene with a long legend and equations; the plot's corners show the heatmap.
    Scene scene = make_preset("narrow-valley");
    scene.caption.clear();
    ui::set_step_glyphs(scene, {2, false});
    scene.step = 12;
    app::AppState state(scene);
    state.finish();
    REQUIRE_FALSE(app::landscape_input(state).equations.empty());
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const Picture picture{1024, 640, renderer.render(state, 1024, 640)};
    const Screen screen = screen_of(state, 1024, 640);
    const FieldGrid grid = sample_field(state.surface(), screen.view, static_cast<int>(screen.max.x - screen.min.x),
                                        static_cast<int>(screen.max.y - screen.min.y));
    const float font = app::picture_font_size(640);
    for (const auto& [fx, fy] : {std::pair{0.04, 0.06}, {0.96, 0.06}, {0.04, 0.94}, {0.96, 0.94}, {0.3, 0.9}, {0.7, 0.1}}) {
        const double x = screen.view.x_min + fx * (screen.view.x_max - screen.view.x_min);
        const double y = screen.view.y_min + fy * (screen.view.y_max - screen.view.y_min);
        INFO("at " << fx << ", " << fy);
        const ImVec2 p = screen(x, y);
        CHECK(picture.near(p.x, p.y, viridis_rgb(grid.scale.normalize(state.surface().value(x, y))), 2, 40));
    }
    // ... and the column right of the colorbar holds the legend's text (dark pixels).
    const ui::LandscapeLayout l = ui::landscape_layout({1024, 640}, font);
    int dark = 0;
    for (int y = static_cast<int>(l.side_min.y); y < static_cast<int>(l.side_min.y + font * 6); ++y)
        for (int x = static_cast<int>(l.side_min.x); x < static_cast<int>(l.side_max.x); ++x) {
            const auto c = picture.at(x, y);
            dark += c[0] + c[1] + c[2] < 200;
        }
    CHECK(dark > 100);
}

TEST_CASE("the loss plot's range holds every finite loss of the runs that do not diverge", "[render][lossplot]") {
    Scene scene = make_preset("too-large-lr");
    app::AppState state(scene);
    state.finish();
    const ui::LossPlotInput input = app::loss_plot_input(state);
    const ui::LossRange range = ui::loss_plot_range(input);
    const Trajectory& below = *state.trajectory(0);
    const Trajectory& above = *state.trajectory(1);
    REQUIRE(above.outcome == Outcome::Diverged);
    for (double f : below.loss) {
        const double v = std::log10(std::max(f - input.floor, 1e-300));
        CHECK(v >= range.lo);
        CHECK(v <= range.hi);
    }
    CHECK(std::log10(above.loss.back() - input.floor) > range.hi);  // the diverging curve is clipped at the top
    CHECK(range.hi - range.lo <= 16.0);
    // The lowest loss of the converging run is above the bottom, not at it.
    double lowest = 1e300;
    for (double f : below.loss) lowest = std::min(lowest, std::log10(std::max(f - input.floor, 1e-300)));
    CHECK(lowest > range.lo);
}

TEST_CASE("the data panel's points are drawn into their picture once per key", "[render][keys][data]") {
    render::OffscreenContext context;
    Scene scene = default_scene();
    scene.surface = "mse";
    scene.data.kind = DatasetChoice::Kind::Anscombe;
    scene.data.anscombe = 1;
    app::AppState state(scene);
    state.finish();
    app::DataPointsCache cache;
    const ui::PointsImageRequest request{{0, 20, 0, 15}, 300, 200, 4.0f};
    const ImTextureID first = cache.get(state, request);
    CHECK(first != nullptr);
    for (int frame = 0; frame < 60; ++frame) CHECK(cache.get(state, request) == first);
    CHECK(cache.rasterizations() == 1);
    // Runs, the start and the same data rebuilt (the scene opened again) leave it.
    state.scene().runs[0].config.hyper["lr"] = 0.002;
    state.set_start({0.5, 0.5});
    REQUIRE(state.open_scene(Scene(state.scene()), "opened again"));
    cache.get(state, request);
    CHECK(cache.rasterizations() == 1);
    // The plot's size, its rectangle and the data each draw it again.
    ui::PointsImageRequest wider = request;
    wider.width = 320;
    cache.get(state, wider);
    CHECK(cache.rasterizations() == 2);
    wider.rect.x_max = 25;
    cache.get(state, wider);
    CHECK(cache.rasterizations() == 3);
    state.scene().data.anscombe = 2;
    state.finish();
    cache.get(state, wider);
    CHECK(cache.rasterizations() == 4);
}

TEST_CASE("the points' picture puts a dark disc with a light rim at each row, nothing elsewhere", "[data]") {
    Dataset data;
    data.x = {1.0, 3.0};
    data.y = {1.0, 2.0};
    // 40 × 30 pixels over [0, 4] × [0, 3]: 10 pixels a unit; row (1, 1) at pixel (10, 20), (3, 2) at (30, 10).
    const ui::PointsImageRequest request{{0, 4, 0, 3}, 40, 30, 4.0f};
    const std::vector<std::uint8_t> rgba = app::rasterize_points(data, request);
    REQUIRE(rgba.size() == 40u * 30u * 4u);
    auto pixel = [&](int x, int y) { return &rgba[(static_cast<std::size_t>(y) * 40 + static_cast<std::size_t>(x)) * 4]; };
    for (const auto& [x, y] : {std::pair{10, 20}, std::pair{30, 10}}) {
        const std::uint8_t* centre = pixel(x, y);  // the pixel whose corner is the row: inside the fill
        CHECK(centre[0] == 60);
        CHECK(centre[2] == 70);
        CHECK(centre[3] == 230);
        const std::uint8_t* rim = pixel(x + 3, y);  // 3.5 pixels out: on the rim
        CHECK(rim[0] > 200);
        CHECK(rim[3] > 150);
        CHECK(pixel(x + 6, y)[3] == 0);  // beyond it: transparent
    }
    CHECK(pixel(20, 15)[3] == 0);
    CHECK(pixel(0, 0)[3] == 0);
}
