#include "app/picture_export.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "core/atomic_file.h"

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

void export_picture(PictureRenderer& renderer, const AppState& state, int width, int height, const std::string& path,
                    ImTextureID overlay, ViewRect overlay_view,
                    std::vector<std::pair<std::uint32_t, std::string>> overlay_legend, PictureView view) {
    const PictureFormat format = picture_format(path);
    if (format == PictureFormat::Png) {
        export_png(renderer, state, width, height, path, overlay, overlay_view, std::move(overlay_legend), view);
        return;
    }
    check_output_path(path);  // before the drawing
    const std::string document =
        renderer.render_document(format == PictureFormat::Svg ? ui::VectorFormat::Svg : ui::VectorFormat::Pdf, state,
                                 width, height, overlay, overlay_view, std::move(overlay_legend), view);
    write_file_atomically(path, document);
}

}  // namespace optiviz::app
