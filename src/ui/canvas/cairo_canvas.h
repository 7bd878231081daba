// The vector back end of Canvas: SVG or PDF documents through cairo. Lines, shapes and text stay
// vectors; images (the heatmap, the basin overlay, the 3-D view, which is a GL rendering) are
// embedded as pictures at their own resolution.
//
// Text is laid out glyph by glyph exactly as ImGui lays it out (the same font file, the same
// advances, the same word wrapping, the same baseline), so captions, ticks and legends sit where
// the PNG puts them. The glyph outlines come from the font file through cairo's FreeType faces.
//
// Units: one picture pixel is one SVG px (user unit) and one PDF point, so a W×H picture is a W×H
// document and pdftoppm at 72 dpi gives back W×H pixels.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ui/canvas/canvas.h"

namespace optiviz::ui {

// The pixels of an image a view draws (a texture in the window). `rgba`: width × height × 4 bytes,
// not premultiplied, row 0 first (texture coordinate v = 0). `smooth`: scaled with interpolation
// (a heatmap) rather than nearest neighbour (a basin grid whose cells stay crisp).
struct CanvasImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
    bool smooth = true;
};

// Gives the pixels of a texture; an image that comes back empty is left out of the document.
using CanvasImageSource = std::function<CanvasImage(ImTextureID)>;

enum class VectorFormat { Svg, Pdf };

class CairoCanvas final : public Canvas {
public:
    // A `width` × `height` picture on white paper (with `paper` false: on nothing, a transparent
    // background). `font_file`: the TrueType file ImGui's font was
    // loaded from, or empty when ImGui used its built-in font (then text uses cairo's "sans").
    // Throws std::runtime_error if cairo cannot start the document.
    CairoCanvas(VectorFormat format, int width, int height, const std::string& font_file, CanvasImageSource images,
                bool paper = true);
    ~CairoCanvas() override;
    CairoCanvas(const CairoCanvas&) = delete;
    CairoCanvas& operator=(const CairoCanvas&) = delete;

    // The document's title and the program that made it: the PDF's Title and Creator, the SVG's
    // <title> (and a <metadata> comment naming the creator). Call before finish().
    void set_document_info(const std::string& title, const std::string& creator);

    // Ends the document and returns its bytes; call once, after the drawing. Throws
    // std::runtime_error("...: cairo: REASON") if cairo failed at any point.
    std::string finish();

    void PushClipRect(ImVec2 min, ImVec2 max, bool intersect) override;
    void PopClipRect() override;
    void AddLine(ImVec2 a, ImVec2 b, ImU32 col, float thickness) override;
    void AddPolyline(const ImVec2* points, int count, ImU32 col, ImDrawFlags flags, float thickness) override;
    void AddRect(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags flags, float thickness) override;
    void AddRectFilled(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags flags) override;
    void AddRectFilledMultiColor(ImVec2 min, ImVec2 max, ImU32 ul, ImU32 ur, ImU32 br, ImU32 bl) override;
    void AddTriangle(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col, float thickness) override;
    void AddTriangleFilled(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col) override;
    void AddCircle(ImVec2 centre, float radius, ImU32 col, int segments, float thickness) override;
    void AddCircleFilled(ImVec2 centre, float radius, ImU32 col, int segments) override;
    void AddText(ImVec2 pos, ImU32 col, const char* text, const char* text_end) override;
    void AddText(const ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text, const char* text_end,
                 float wrap_width) override;
    void AddImage(ImTextureID texture, ImVec2 min, ImVec2 max, ImVec2 uv_min, ImVec2 uv_max, ImU32 col) override;
    void PathLineTo(ImVec2 point) override;
    void PathArcTo(ImVec2 centre, float radius, float a_min, float a_max, int segments) override;
    void PathFillConvex(ImU32 col) override;
    void PathStroke(ImU32 col, ImDrawFlags flags, float thickness) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace optiviz::ui
