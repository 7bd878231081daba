// The interface font covers the symbols optiviz's texts use: €, £, ▽, arrows, Greek, ∇ and ².
#include "support/catch.h"

#include <imgui.h>

#include "ui/canvas/fonts.h"

TEST_CASE("the font has glyphs for currency signs, the loss plot's wedge and the maths", "[ui][fonts]") {
    ImFontAtlas atlas;
    if (!optiviz::ui::add_ui_font(atlas, 16.0f)) {
        WARN("DejaVu Sans is not installed: the default font has none of these");
        return;
    }
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &w, &h);  // builds the glyphs
    const ImFont* font = atlas.Fonts[0];
    for (const ImWchar c : {ImWchar(0x20AC), ImWchar(0x00A3), ImWchar(0x25BD), ImWchar(0x2192), ImWchar(0x03B2), ImWchar(0x2207),
                            ImWchar(0x00B2), ImWchar(0x00B7)}) {
        INFO("U+" << std::hex << static_cast<int>(c));
        CHECK(font->FindGlyphNoFallback(c) != nullptr);
    }
}
