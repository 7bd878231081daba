// What the views draw on. The landscape, loss plot, data view, 3-D view and sweep maps never call
// ImDrawList directly: they draw through a Canvas, which has two back ends:
//   - DrawListCanvas: ImGui's draw list of the current window (the window, PNG export). It forwards
//     every call unchanged, so those pixels are exactly what ImDrawList draws.
//   - a vector back end (ui/canvas/cairo_canvas.h: SVG and PDF through cairo), which keeps lines, shapes and
//     text as vectors and images (the heatmap, the 3-D view) as embedded pictures.
// The calls mirror ImDrawList's (same names, arguments and defaults, screen pixels, y down, colours
// as ImU32), so a view reads the same with either back end.
#pragma once

#include <imgui.h>

namespace optiviz::ui {

class Canvas {
public:
    virtual ~Canvas() = default;

    virtual void PushClipRect(ImVec2 min, ImVec2 max, bool intersect_with_current_clip_rect = false) = 0;
    virtual void PopClipRect() = 0;

    virtual void AddLine(ImVec2 a, ImVec2 b, ImU32 col, float thickness = 1.0f) = 0;
    // `flags`: ImDrawFlags_Closed joins the last point to the first.
    virtual void AddPolyline(const ImVec2* points, int count, ImU32 col, ImDrawFlags flags, float thickness) = 0;
    virtual void AddRect(ImVec2 min, ImVec2 max, ImU32 col, float rounding = 0.0f, ImDrawFlags flags = 0,
                         float thickness = 1.0f) = 0;
    virtual void AddRectFilled(ImVec2 min, ImVec2 max, ImU32 col, float rounding = 0.0f, ImDrawFlags flags = 0) = 0;
    // Corner colours: upper left, upper right, bottom right, bottom left, blended across the rectangle.
    virtual void AddRectFilledMultiColor(ImVec2 min, ImVec2 max, ImU32 upper_left, ImU32 upper_right,
                                         ImU32 bottom_right, ImU32 bottom_left) = 0;
    virtual void AddTriangle(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col, float thickness = 1.0f) = 0;
    virtual void AddTriangleFilled(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col) = 0;
    // `segments`: how ImGui approximates the circle (vector back ends draw a true circle).
    virtual void AddCircle(ImVec2 centre, float radius, ImU32 col, int segments = 0, float thickness = 1.0f) = 0;
    virtual void AddCircleFilled(ImVec2 centre, float radius, ImU32 col, int segments = 0) = 0;
    // Text in the current ImGui font at its size; `pos` is the top left of the first line.
    virtual void AddText(ImVec2 pos, ImU32 col, const char* text, const char* text_end = nullptr) = 0;
    // Text in `font` at `size` pixels; lines longer than `wrap_width` (> 0) wrap as ImGui wraps them.
    virtual void AddText(const ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text,
                         const char* text_end = nullptr, float wrap_width = 0.0f) = 0;
    // `texture` stretched over [min, max]; uv (0,0) is the texture's first row and column.
    virtual void AddImage(ImTextureID texture, ImVec2 min, ImVec2 max, ImVec2 uv_min = {0, 0}, ImVec2 uv_max = {1, 1},
                          ImU32 col = IM_COL32_WHITE) = 0;

    // A path built point by point, then filled (convex) or stroked; either ends the path.
    virtual void PathLineTo(ImVec2 point) = 0;
    virtual void PathArcTo(ImVec2 centre, float radius, float a_min, float a_max, int segments = 0) = 0;
    virtual void PathFillConvex(ImU32 col) = 0;
    virtual void PathStroke(ImU32 col, ImDrawFlags flags = 0, float thickness = 1.0f) = 0;
};

// The ImGui back end: forwards to a draw list.
class DrawListCanvas final : public Canvas {
public:
    explicit DrawListCanvas(ImDrawList* list) : list_(list) {}

    void PushClipRect(ImVec2 min, ImVec2 max, bool intersect) override { list_->PushClipRect(min, max, intersect); }
    void PopClipRect() override { list_->PopClipRect(); }
    void AddLine(ImVec2 a, ImVec2 b, ImU32 col, float thickness) override { list_->AddLine(a, b, col, thickness); }
    void AddPolyline(const ImVec2* points, int count, ImU32 col, ImDrawFlags flags, float thickness) override {
        list_->AddPolyline(points, count, col, flags, thickness);
    }
    void AddRect(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags flags, float thickness) override {
        list_->AddRect(min, max, col, rounding, flags, thickness);
    }
    void AddRectFilled(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags flags) override {
        list_->AddRectFilled(min, max, col, rounding, flags);
    }
    void AddRectFilledMultiColor(ImVec2 min, ImVec2 max, ImU32 ul, ImU32 ur, ImU32 br, ImU32 bl) override {
        list_->AddRectFilledMultiColor(min, max, ul, ur, br, bl);
    }
    void AddTriangle(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col, float thickness) override {
        list_->AddTriangle(a, b, c, col, thickness);
    }
    void AddTriangleFilled(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col) override { list_->AddTriangleFilled(a, b, c, col); }
    void AddCircle(ImVec2 centre, float radius, ImU32 col, int segments, float thickness) override {
        list_->AddCircle(centre, radius, col, segments, thickness);
    }
    void AddCircleFilled(ImVec2 centre, float radius, ImU32 col, int segments) override {
        list_->AddCircleFilled(centre, radius, col, segments);
    }
    void AddText(ImVec2 pos, ImU32 col, const char* text, const char* text_end) override {
        list_->AddText(pos, col, text, text_end);
    }
    void AddText(const ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text, const char* text_end,
                 float wrap_width) override {
        list_->AddText(font, size, pos, col, text, text_end, wrap_width);
    }
    void AddImage(ImTextureID texture, ImVec2 min, ImVec2 max, ImVec2 uv_min, ImVec2 uv_max, ImU32 col) override {
        list_->AddImage(texture, min, max, uv_min, uv_max, col);
    }
    void PathLineTo(ImVec2 point) override { list_->PathLineTo(point); }
    void PathArcTo(ImVec2 centre, float radius, float a_min, float a_max, int segments) override {
        list_->PathArcTo(centre, radius, a_min, a_max, segments);
    }
    void PathFillConvex(ImU32 col) override { list_->PathFillConvex(col); }
    void PathStroke(ImU32 col, ImDrawFlags flags, float thickness) override { list_->PathStroke(col, flags, thickness); }

private:
    ImDrawList* list_;
};

// Sends the drawing of every view in one ImGui context to `canvas` instead of the windows' draw
// lists, while it lives (picture export builds one around its frame). The route is kept in the
// context (ImGuiIO::UserData), so other contexts (the window's) are not affected.
class CanvasRoute {
public:
    explicit CanvasRoute(Canvas& canvas);
    ~CanvasRoute();
    CanvasRoute(const CanvasRoute&) = delete;
    CanvasRoute& operator=(const CanvasRoute&) = delete;
    Canvas& canvas() const { return canvas_; }

private:
    Canvas& canvas_;
    void* previous_;
};

// What a view draws on: the current window's draw list, or the canvas a CanvasRoute sends this
// context's drawing to. Used like a pointer (`dl->AddLine(...)`) and converts to Canvas*.
class WindowCanvas {
public:
    WindowCanvas();
    Canvas* operator->() const { return target_; }
    operator Canvas*() const { return target_; }

private:
    DrawListCanvas own_;
    Canvas* target_;
};

}  // namespace optiviz::ui
