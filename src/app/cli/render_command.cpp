#include "app/cli/render_command.h"

#include <stdlib.h>  // mkstemps
#include <unistd.h>  // close

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "app/app_state.h"
#include "app/derived/analysis.h"
#include "app/export/picture.h"
#include "app/export/picture_export.h"
#include "core/io/atomic_file.h"
#include "core/io/limits.h"
#include "core/io/text_escape.h"
#include "render/offscreen_context.h"
#include "render/texture.h"

namespace optiviz::cli {

void parse_size(const std::string& text, int& width, int& height) {
    // from_chars, not sscanf: "%d" on 99999999999 is undefined behaviour.
    int w = 0, h = 0;
    const char* end = text.data() + text.size();
    const auto [x, w_error] = std::from_chars(text.data(), end, w);
    const bool ok = w_error == std::errc() && x != end && *x == 'x' &&
                    [&, x = x] {
                        const auto [rest, h_error] = std::from_chars(x + 1, end, h);
                        return h_error == std::errc() && rest == end && rest != x + 1;
                    }();
    if (!ok) throw std::invalid_argument("--size: expected WxH such as 1280x800, got '" + printable(text) + "'");
    if (w < 16 || h < 16 || w > limits::kMaxPictureWidth || h > limits::kMaxPictureHeight)
        throw std::invalid_argument("--size: must be between 16x16 and " + std::to_string(limits::kMaxPictureWidth) + "x" +
                                    std::to_string(limits::kMaxPictureHeight) + ", got " + printable(text));
    width = w;
    height = h;
}

std::string view_for_layout(Scene::Layout layout) {
    switch (layout) {
        case Scene::Layout::Surface3D: return "3d";
        case Scene::Layout::Both: return "map+3d";
        default: return "landscape";
    }
}

namespace {

// The basin map a scene asks for (its basin-map module's settings), computed as the window computes
// it (app/derived/analysis.h, over the shown view) and uploaded, so `render --scene` draws what the
// window exported. Empty (no texture) when the scene has no basin map.
struct BasinOverlay {
    render::Texture texture;
    ImTextureID id = nullptr;
    ViewRect view;
    std::vector<std::pair<std::uint32_t, std::string>> legend;
};

// Whether the picture shows the landscape (the basin map is drawn only there).
bool shows_landscape(app::PictureView view) {
    const app::PictureView base = app::without_loss(view);
    return base == app::PictureView::Landscape || base == app::PictureView::Both || base == app::PictureView::LandscapeAnd3D;
}

void compute_basin_overlay(const app::AppState& state, app::PictureView view, BasinOverlay& overlay) {
    if (!shows_landscape(view) || !ui::basin_map_settings(state.scene()) || state.scene().runs.empty()) return;
    app::Analysis analysis;
    analysis.update(state, state.view());  // starts the job...
    analysis.wait();
    analysis.update(state, state.view());  // ...and takes its result
    // A map that cannot be computed is bad input, like a run that cannot: one line, no picture.
    if (const std::string error = analysis.status().message; !error.empty()) throw std::invalid_argument("basin map: " + error);
    const BasinResult* basins = analysis.basins();
    if (!basins) throw std::runtime_error("basin map: no result");
    overlay.texture.upload(basins->resolution, basins->resolution, analysis.basin_colors(), 200);  // the window's alpha
    overlay.id = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(overlay.texture.id()));
    overlay.view = basins->grid;
    overlay.legend = analysis.basin_legend(state.scene());
}

// `--out -`: the PNG drawn into a private temporary file, then copied to `out` whole.
void export_to_stream(app::PictureRenderer& renderer, const app::AppState& state, int width, int height,
                      app::PictureView view, const BasinOverlay& overlay, std::ostream& out) {
    std::error_code error;
    std::string name = (std::filesystem::temp_directory_path(error) / "optiviz-render-XXXXXX.png").string();
    const int fd = ::mkstemps(name.data(), 4);
    if (fd < 0) throw std::runtime_error("--out -: cannot create a temporary file for the picture");
    ::close(fd);
    try {
        app::export_picture(renderer, state, width, height, name, overlay.id, overlay.view, overlay.legend, view);
        std::ifstream file(name, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
        std::filesystem::remove(name, error);
        out << bytes;
    } catch (...) {
        std::filesystem::remove(name, error);
        throw;
    }
}

}  // namespace

void run_render(const RenderRequest& request, std::ostream& out, std::ostream& err) {
    const app::PictureView view = app::parse_picture_view(request.view);
    const bool to_stdout = request.out_path == "-";
    if (!to_stdout) {
        check_output_path(request.out_path);    // before the picture is drawn
        app::picture_format(request.out_path);  // .png, .svg or .pdf
    }
    app::AppState state(request.scene);
    state.finish(/*stop_at_error=*/true);
    // A run that cannot be computed is bad input, like a bad flag: one line, exit 2, no picture.
    if (const std::string error = state.first_run_error(); !error.empty()) throw std::invalid_argument(error);
    if (app::needs_data(view) && !state.has_data())
        throw std::invalid_argument("--view " + request.view + " needs a data-driven surface (--surface mse or logistic)");
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    renderer.set_transparent(request.transparent);
    BasinOverlay basins;
    compute_basin_overlay(state, view, basins);
    if (to_stdout) export_to_stream(renderer, state, request.width, request.height, view, basins, out);
    else
        app::export_picture(renderer, state, request.width, request.height, request.out_path, basins.id, basins.view, basins.legend,
                            view);
    char line[256];
    std::snprintf(line, sizeof line, "wrote %s (%dx%d, %zu runs, step %ld)\n", request.out_path.c_str(), request.width,
                  request.height, state.scene().runs.size(), state.shown_step());
    std::string report = line;
    if (request.frames > 0) {
        // What a slider change costs: every run recomputed from scratch (median of 21).
        std::vector<double> recompute_ms;
        for (int r = 0; r < 21; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            std::vector<Trajectory> runs;
            for (std::size_t i = 0; i < state.scene().runs.size(); ++i)
                runs.push_back(run_trajectory(state.surface(), app::run_config(state.scene(), i), state.scene().start));
            recompute_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(recompute_ms.begin(), recompute_ms.end());
        std::string recompute_line;
        std::snprintf(line, sizeof line, "recompute: %zu runs x %ld steps in %.2f ms (median)\n", state.scene().runs.size(),
                      state.scene().steps, recompute_ms[recompute_ms.size() / 2]);
        recompute_line = line;
        // Frame cost as the window pays it: playback moves every frame, so paths are re-drawn; the
        // heatmap is re-rendered only when the view changes, as in the app.
        std::vector<double> ms;
        for (int f = 0; f < request.frames; ++f) {
            // Playback sweeps the whole horizon, so most frames draw long paths.
            state.playback.step = static_cast<double>(state.last_step()) * (f + 1) / request.frames;
            const auto t0 = std::chrono::steady_clock::now();
            renderer.render(state, request.width, request.height);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        double mean = 0;
        for (double v : ms) mean += v / static_cast<double>(ms.size());
        const double p99 = sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(sorted.size())))];
        std::snprintf(line, sizeof line, "frames: %d at %dx%d, mean %.2f ms, p99 %.2f ms (%s)\n", request.frames,
                      request.width, request.height, mean, p99, context.renderer().c_str());
        report += line;
        report += recompute_line;
    }
    (to_stdout ? err : out) << report;  // stdout carries the picture alone then
}

}  // namespace optiviz::cli
