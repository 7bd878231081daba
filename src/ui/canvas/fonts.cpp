#include "ui/canvas/fonts.h"

#include <fstream>

namespace optiviz::ui {

namespace {
constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
// Latin-1, combining accents (m̂, v̂), Greek, super/subscripts, arrows and mathematical operators
// (ImGui keeps a pointer).
// Latin-1, combining marks, Greek, punctuation, super- and subscripts, currency signs (€), arrows,
// mathematical operators and geometric shapes (the loss plot's ▽), all in DejaVu Sans.
constexpr ImWchar kRanges[] = {0x0020, 0x00FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x2010, 0x2027, 0x2070, 0x209F,
                               0x20A0, 0x20CF, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
}  // namespace

bool add_ui_font(ImFontAtlas& atlas, float pixel_size) {
    if (std::ifstream(kFontPath).good() && atlas.AddFontFromFileTTF(kFontPath, pixel_size, nullptr, kRanges))
        return true;
    ImFontConfig config;
    config.SizePixels = pixel_size;
    atlas.AddFontDefault(&config);
    return false;
}

std::string ui_font_file() { return std::ifstream(kFontPath).good() ? kFontPath : ""; }

void apply_style(ImGuiStyle& style) {
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0.0f;
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
}

}  // namespace optiviz::ui
