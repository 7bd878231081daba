#include "app/export/picture_export.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "app/version.h"
#include "core/io/atomic_file.h"

namespace optiviz::app {

PictureFormat picture_format(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".png") return PictureFormat::Png;
    if (extension == ".svg") return PictureFormat::Svg;
    if (extension == ".pdf") return PictureFormat::Pdf;
    throw std::invalid_argument(path + ": unknown picture format '" + extension +
                                "' (the name must end in .png, .svg or .pdf)");
}

std::string picture_title(const Scene& scene) {
    if (!scene.caption.empty()) return scene.caption;
    std::string title = "optiviz: " + (scene.surface == "expr" && !scene.expression.empty() ? scene.expression : scene.surface);
    for (std::size_t i = 0; i < scene.runs.size() && i < 8; ++i) title += ", " + scene.runs[i].config.optimizer;
    if (scene.runs.size() > 8) title += ", ...";
    return title;
}

std::vector<render::PngText> picture_png_text(const Scene& scene) {
    return {{"Software", version_line()}, {"Title", picture_title(scene)}, {"Comment", scene_to_json(scene)}};
}

void export_picture(PictureRenderer& renderer, const AppState& state, int width, int height, const std::string& path,
                    ImTextureID overlay, ViewRect overlay_view,
                    std::vector<std::pair<std::uint32_t, std::string>> overlay_legend, PictureView view) {
    const PictureFormat format = picture_format(path);
    if (format == PictureFormat::Png) {
        check_output_path(path);  // before the drawing
        const auto pixels = renderer.render(state, width, height, overlay, overlay_view, std::move(overlay_legend), view);
        render::write_png(path, width, height, pixels, picture_png_text(state.scene()));
        return;
    }
    check_output_path(path);  // before the drawing
    const std::string document =
        renderer.render_document(format == PictureFormat::Svg ? ui::VectorFormat::Svg : ui::VectorFormat::Pdf, state,
                                 width, height, overlay, overlay_view, std::move(overlay_legend), view);
    write_file_atomically(path, document);
}

}  // namespace optiviz::app
