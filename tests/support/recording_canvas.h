// A Canvas that records what the views draw instead of drawing it: every text box (where it is, its
// lines as ImGui would lay them out, the clip rectangle it was drawn in), every small filled shape
// (markers), every stroked line with its colour and width. The gallery check (tests/app/export/test_gallery.cpp)
// holds these records against the picture rules of ../shared/PICTURES.md.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "ui/canvas/canvas.h"

namespace optiviz::test {

struct Box {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool overlaps(const Box& o, float margin = 1.0f) const {
        return x0 + margin < o.x1 && o.x0 + margin < x1 && y0 + margin < o.y1 && o.y0 + margin < y1;
    }
    bool inside(const Box& o, float margin = 1.0f) const {
        return x0 >= o.x0 - margin && y0 >= o.y0 - margin && x1 <= o.x1 + margin && y1 <= o.y1 + margin;
    }
    bool empty() const { return x1 <= x0 || y1 <= y0; }
};

struct RecordedText {
    std::string text;
    std::vector<std::string> lines;   // as laid out: explicit '\n' and ImGui's wrapping
    std::vector<bool> wrapped_break;  // per break between lines: true when ImGui's wrap made it
    std::vector<std::string> breaks;  // per break: "left|right" characters around it (for messages)
    std::vector<bool> break_inside_token;
    Box box;
    Box clip;
};

struct RecordedShape {  // a filled path, circle or triangle
    Box box;
    std::vector<ImVec2> points;  // a triangle's corners as given (empty for other shapes)
    ImU32 color = 0;
    Box clip;
    int order = 0;  // when it was drawn, counted over shapes and lines together
};

struct RecordedLine {
    ImVec2 a, b;
    ImU32 color = 0;
    float thickness = 1;
    Box clip;
    int order = 0;  // when it was drawn, counted over shapes and lines together
};

struct RecordedImage {  // an image (a heatmap, a basin map): which texture, where, and the uv corners
    ImTextureID texture = nullptr;
    ImVec2 a, b, uv0, uv1;
    Box clip;
    int order = 0;
};

class RecordingCanvas final : public ui::Canvas {
public:
    RecordingCanvas(float width, float height) { clips_.push_back({0, 0, width, height}); }

    std::vector<RecordedText> texts;
    std::vector<RecordedShape> shapes;
    std::vector<RecordedLine> lines;
    std::vector<RecordedImage> images;

    void PushClipRect(ImVec2 min, ImVec2 max, bool intersect) override {
        Box b{min.x, min.y, max.x, max.y};
        if (intersect) {
            const Box& c = clips_.back();
            b = {std::max(b.x0, c.x0), std::max(b.y0, c.y0), std::min(b.x1, c.x1), std::min(b.y1, c.y1)};
        }
        clips_.push_back(b);
    }
    void PopClipRect() override {
        if (clips_.size() > 1) clips_.pop_back();
    }
    void AddLine(ImVec2 a, ImVec2 b, ImU32 col, float thickness) override { lines.push_back({a, b, col, thickness, clip(), drawn_++}); }
    void AddPolyline(const ImVec2* points, int count, ImU32 col, ImDrawFlags flags, float thickness) override {
        for (int i = 0; i + 1 < count; ++i) lines.push_back({points[i], points[i + 1], col, thickness, clip(), drawn_++});
        if ((flags & ImDrawFlags_Closed) && count > 2) lines.push_back({points[count - 1], points[0], col, thickness, clip(), drawn_++});
    }
    void AddRect(ImVec2, ImVec2, ImU32, float, ImDrawFlags, float) override {}
    void AddRectFilled(ImVec2, ImVec2, ImU32, float, ImDrawFlags) override {}
    void AddRectFilledMultiColor(ImVec2, ImVec2, ImU32, ImU32, ImU32, ImU32) override {}
    void AddTriangle(ImVec2, ImVec2, ImVec2, ImU32, float) override {}
    void AddTriangleFilled(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col) override {
        shapes.push_back({{std::min({a.x, b.x, c.x}), std::min({a.y, b.y, c.y}), std::max({a.x, b.x, c.x}),
                           std::max({a.y, b.y, c.y})},
                          {a, b, c}, col, clip(), drawn_++});
    }
    void AddCircle(ImVec2, float, ImU32, int, float) override {}
    void AddCircleFilled(ImVec2 c, float r, ImU32 col, int) override {
        shapes.push_back({{c.x - r, c.y - r, c.x + r, c.y + r}, {}, col, clip(), drawn_++});
    }
    void AddText(ImVec2 pos, ImU32 col, const char* text, const char* text_end) override {
        AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, col, text, text_end, 0.0f);
    }
    void AddText(const ImFont* font, float size, ImVec2 pos, ImU32, const char* text, const char* text_end,
                 float wrap_width) override {
        if (!text_end) text_end = text + std::char_traits<char>::length(text);
        if (text == text_end) return;
        RecordedText r;
        r.text.assign(text, text_end);
        r.clip = clip();
        layout(font, size, wrap_width, r);
        const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, wrap_width, text, text_end);
        r.box = {pos.x, pos.y, pos.x + extent.x, pos.y + extent.y};
        texts.push_back(std::move(r));
    }
    void AddImage(ImTextureID texture, ImVec2 a, ImVec2 b, ImVec2 uv0, ImVec2 uv1, ImU32) override {
        images.push_back({texture, a, b, uv0, uv1, clip(), drawn_++});
    }
    void PathLineTo(ImVec2 point) override { path_.push_back(point); }
    void PathArcTo(ImVec2 centre, float radius, float, float, int) override {
        path_.push_back({centre.x - radius, centre.y - radius});
        path_.push_back({centre.x + radius, centre.y + radius});
    }
    void PathFillConvex(ImU32 col) override {
        if (!path_.empty()) {
            Box b{path_[0].x, path_[0].y, path_[0].x, path_[0].y};
            for (const ImVec2& p : path_) b = {std::min(b.x0, p.x), std::min(b.y0, p.y), std::max(b.x1, p.x), std::max(b.y1, p.y)};
            shapes.push_back({b, {}, col, clip(), drawn_++});
        }
        path_.clear();
    }
    void PathStroke(ImU32 col, ImDrawFlags, float thickness) override {
        for (std::size_t i = 0; i + 1 < path_.size(); ++i) lines.push_back({path_[i], path_[i + 1], col, thickness, clip(), drawn_++});
        path_.clear();
    }

private:
    Box clip() const { return clips_.back(); }

    // A character that belongs to a number or a word: a break between two of them splits a token.
    static bool token_char(char c) { return c != ' ' && c != '\t' && c != '\n'; }

    // The lines exactly as ImFont::RenderText lays them out (CalcWordWrapPositionA, then skipping the
    // blanks at the start of a wrapped line), and whether each break splits a token.
    static void layout(const ImFont* font, float size, float wrap_width, RecordedText& r) {
        const char* const begin = r.text.data();
        const char* s = begin;
        const char* end = s + r.text.size();
        const float scale = size / font->FontSize;
        std::string line;
        const char* line_start = s;
        auto close_line = [&](const char* at, bool wrapped) {
            r.lines.emplace_back(line_start, at);
            if (at < end) {
                // The characters either side of the break in the original text.
                const char left = at > begin ? at[-1] : ' ';
                const char* right_at = at;
                if (!wrapped && *right_at == '\n') ++right_at;
                const char right = right_at < end ? *right_at : ' ';
                r.wrapped_break.push_back(wrapped);
                r.breaks.push_back(std::string(1, left) + "|" + std::string(1, right));
                // A wrap that falls between two non-blank characters cuts a token (ImGui also wraps
                // after '.' and ','); an explicit newline cuts one when a digit or '.' is on both sides.
                const bool cut = wrapped ? token_char(left) && token_char(right)
                                         : (std::isdigit(static_cast<unsigned char>(left)) || left == '.') &&
                                               (std::isdigit(static_cast<unsigned char>(right)) || right == '.');
                r.break_inside_token.push_back(cut);
            }
        };
        const char* word_wrap_eol = nullptr;
        while (s < end) {
            if (wrap_width > 0.0f) {
                if (!word_wrap_eol) {
                    word_wrap_eol = font->CalcWordWrapPositionA(scale, s, end, wrap_width);
                    if (word_wrap_eol == s) ++word_wrap_eol;
                }
                if (s >= word_wrap_eol) {
                    const bool at_newline = *s == '\n';
                    close_line(s, !at_newline);
                    while (s < end && (*s == ' ' || *s == '\t')) ++s;  // ImGui skips blanks after a wrap
                    if (s < end && *s == '\n') ++s;
                    line_start = s;
                    word_wrap_eol = nullptr;
                    continue;
                }
            }
            if (*s == '\n') {
                close_line(s, false);
                ++s;
                line_start = s;
                word_wrap_eol = nullptr;
                continue;
            }
            ++s;
        }
        r.lines.emplace_back(line_start, end);
    }

    std::vector<Box> clips_;
    int drawn_ = 0;
    std::vector<ImVec2> path_;
};

}  // namespace optiviz::test
