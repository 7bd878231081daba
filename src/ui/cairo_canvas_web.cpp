// The browser build's vector canvas: cairo is not built for WebAssembly from Debian's packages, so
// SVG and PDF export say so (one message in the window; the state is kept). PNG export works.
#include <stdexcept>

#include "ui/cairo_canvas.h"

namespace optiviz::ui {

struct CairoCanvas::Impl {};

CairoCanvas::CairoCanvas(VectorFormat format, int, int, const std::string&, CanvasImageSource, bool) {
    throw std::runtime_error(std::string(format == VectorFormat::Svg ? "SVG" : "PDF") +
                             " export is not available in the browser yet: export a PNG (or use the desktop app)");
}

CairoCanvas::~CairoCanvas() = default;
std::string CairoCanvas::finish() { return {}; }
void CairoCanvas::PushClipRect(ImVec2, ImVec2, bool) {}
void CairoCanvas::PopClipRect() {}
void CairoCanvas::AddLine(ImVec2, ImVec2, ImU32, float) {}
void CairoCanvas::AddPolyline(const ImVec2*, int, ImU32, ImDrawFlags, float) {}
void CairoCanvas::AddRect(ImVec2, ImVec2, ImU32, float, ImDrawFlags, float) {}
void CairoCanvas::AddRectFilled(ImVec2, ImVec2, ImU32, float, ImDrawFlags) {}
void CairoCanvas::AddRectFilledMultiColor(ImVec2, ImVec2, ImU32, ImU32, ImU32, ImU32) {}
void CairoCanvas::AddTriangle(ImVec2, ImVec2, ImVec2, ImU32, float) {}
void CairoCanvas::AddTriangleFilled(ImVec2, ImVec2, ImVec2, ImU32) {}
void CairoCanvas::AddCircle(ImVec2, float, ImU32, int, float) {}
void CairoCanvas::AddCircleFilled(ImVec2, float, ImU32, int) {}
void CairoCanvas::AddText(ImVec2, ImU32, const char*, const char*) {}
void CairoCanvas::AddText(const ImFont*, float, ImVec2, ImU32, const char*, const char*, float) {}
void CairoCanvas::AddImage(ImTextureID, ImVec2, ImVec2, ImVec2, ImVec2, ImU32) {}
void CairoCanvas::PathLineTo(ImVec2) {}
void CairoCanvas::PathArcTo(ImVec2, float, float, float, int) {}
void CairoCanvas::PathFillConvex(ImU32) {}
void CairoCanvas::PathStroke(ImU32, ImDrawFlags, float) {}

}  // namespace optiviz::ui
