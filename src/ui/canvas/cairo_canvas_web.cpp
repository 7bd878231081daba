// The browser build's vector canvas: cairo is not built for WebAssembly from Debian's packages, so
// here CairoCanvas writes SVG itself, as text: lines, polygons, rectangles and circles as SVG shapes,
// text as <text> in the UI font's family and size (the viewer lays the glyphs out, so a caption may
// sit a pixel or two from where the PNG puts it), images as PNG data URIs (stb_image_write, into memory). PDF
// says it is not available (one message in the window; the state is kept).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <stb_image_write.h>

#include "ui/canvas/cairo_canvas.h"

namespace optiviz::ui {

namespace {

std::string number(float value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", static_cast<double>(value));
    std::string s = text;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

// ImU32 is 0xAABBGGRR.
std::string colour(ImU32 col) {
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", col & 0xFF, (col >> 8) & 0xFF, (col >> 16) & 0xFF);
    return text;
}
float alpha(ImU32 col) { return static_cast<float>((col >> 24) & 0xFF) / 255.0f; }
std::string fill(ImU32 col) { return " fill=\"" + colour(col) + "\" fill-opacity=\"" + number(alpha(col)) + "\""; }
std::string stroke(ImU32 col, float thickness) {
    return " fill=\"none\" stroke=\"" + colour(col) + "\" stroke-opacity=\"" + number(alpha(col)) + "\" stroke-width=\"" +
           number(thickness) + "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";
}

std::string escape_xml(const char* begin, const char* end) {
    std::string out;
    for (const char* c = begin; c != end; ++c) {
        switch (*c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // Control characters are not allowed in XML 1.0 (tab excepted).
                if (static_cast<unsigned char>(*c) >= 0x20 || *c == '\t') out += *c;
        }
    }
    return out;
}

std::string points_text(const ImVec2* points, int count) {
    std::string out;
    for (int i = 0; i < count; ++i) out += (i ? " " : "") + number(points[i].x) + "," + number(points[i].y);
    return out;
}

std::string base64(const unsigned char* data, int size) {
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (int i = 0; i < size; i += 3) {
        const unsigned v = (data[i] << 16) | (i + 1 < size ? data[i + 1] << 8 : 0) | (i + 2 < size ? data[i + 2] : 0);
        out += digits[(v >> 18) & 63];
        out += digits[(v >> 12) & 63];
        out += i + 1 < size ? digits[(v >> 6) & 63] : '=';
        out += i + 2 < size ? digits[v & 63] : '=';
    }
    return out;
}

// The part of `image` between two texture coordinates (either may be flipped), as a PNG.
std::string png_data_uri(const CanvasImage& image, ImVec2 uv_min, ImVec2 uv_max) {
    const auto column = [&](float u) { return std::clamp(static_cast<int>(std::lround(u * image.width)), 0, image.width); };
    const auto row = [&](float v) { return std::clamp(static_cast<int>(std::lround(v * image.height)), 0, image.height); };
    const int x0 = column(std::min(uv_min.x, uv_max.x)), x1 = column(std::max(uv_min.x, uv_max.x));
    const int y0 = row(std::min(uv_min.y, uv_max.y)), y1 = row(std::max(uv_min.y, uv_max.y));
    const int w = x1 - x0, h = y1 - y0;
    if (w <= 0 || h <= 0) return {};
    std::vector<unsigned char> crop(static_cast<std::size_t>(w) * h * 4);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int sx = uv_min.x <= uv_max.x ? x0 + x : x1 - 1 - x;
            const int sy = uv_min.y <= uv_max.y ? y0 + y : y1 - 1 - y;
            std::copy_n(&image.rgba[(static_cast<std::size_t>(sy) * image.width + sx) * 4], 4,
                        &crop[(static_cast<std::size_t>(y) * w + x) * 4]);
        }
    std::string png;
    const auto append = [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
    };
    if (!stbi_write_png_to_func(append, &png, w, h, 4, crop.data(), w * 4)) return {};
    return "data:image/png;base64," + base64(reinterpret_cast<const unsigned char*>(png.data()), static_cast<int>(png.size()));
}

}  // namespace

struct CairoCanvas::Impl {
    std::string svg;
    std::string font_family;
    CanvasImageSource images;
    int open_clips = 0, next_clip = 0;
    std::vector<ImVec2> path;
    std::size_t header_end = 0;

    void polygon(const ImVec2* points, int count, const std::string& style, bool closed) {
        if (count < 2) return;
        svg += std::string(closed ? "<polygon" : "<polyline") + " points=\"" + points_text(points, count) + "\"" + style + "/>\n";
    }
    void text(const ImFont* font, float size, ImVec2 pos, ImU32 col, const char* begin, const char* end, float wrap_width);
};

CairoCanvas::CairoCanvas(VectorFormat format, int width, int height, const std::string& font_file,
                         CanvasImageSource images, bool paper)
    : impl_(std::make_unique<Impl>()) {
    if (format == VectorFormat::Pdf)
        throw std::runtime_error("PDF export is not available in the browser: export an SVG or a PNG (or use the desktop app)");
    impl_->images = std::move(images);
    impl_->font_family = font_file.find("DejaVuSans") != std::string::npos ? "DejaVu Sans, sans-serif" : "sans-serif";
    const std::string w = std::to_string(width), h = std::to_string(height);
    impl_->svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w +
                 "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h + "\">\n";
    impl_->header_end = impl_->svg.size();  // set_document_info puts the <title> here
    if (paper) impl_->svg += "<rect width=\"" + w + "\" height=\"" + h + "\" fill=\"#ffffff\"/>\n";
}

CairoCanvas::~CairoCanvas() = default;

void CairoCanvas::set_document_info(const std::string& title, const std::string& creator) {
    const std::string info = "<title>" + escape_xml(title.data(), title.data() + title.size()) + "</title>\n<metadata><!-- " +
                             escape_xml(creator.data(), creator.data() + creator.size()) + " --></metadata>\n";
    impl_->svg.insert(impl_->header_end, info);
    impl_->header_end += info.size();
}

std::string CairoCanvas::finish() {
    for (; impl_->open_clips > 0; --impl_->open_clips) impl_->svg += "</g>\n";
    return std::move(impl_->svg) + "</svg>\n";
}

// Nested groups intersect their clips, which is what the views ask for.
void CairoCanvas::PushClipRect(ImVec2 min, ImVec2 max, bool) {
    const std::string id = "c" + std::to_string(impl_->next_clip++);
    impl_->svg += "<clipPath id=\"" + id + "\"><rect x=\"" + number(min.x) + "\" y=\"" + number(min.y) + "\" width=\"" +
                  number(max.x - min.x) + "\" height=\"" + number(max.y - min.y) + "\"/></clipPath>\n<g clip-path=\"url(#" +
                  id + ")\">\n";
    ++impl_->open_clips;
}

void CairoCanvas::PopClipRect() {
    if (impl_->open_clips == 0) return;
    impl_->svg += "</g>\n";
    --impl_->open_clips;
}

void CairoCanvas::AddLine(ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
    const ImVec2 points[2] = {a, b};
    impl_->polygon(points, 2, stroke(col, thickness), false);
}

void CairoCanvas::AddPolyline(const ImVec2* points, int count, ImU32 col, ImDrawFlags flags, float thickness) {
    impl_->polygon(points, count, stroke(col, thickness), (flags & ImDrawFlags_Closed) != 0);
}

namespace {
std::string rect_element(ImVec2 min, ImVec2 max, float rounding) {
    return "<rect x=\"" + number(min.x) + "\" y=\"" + number(min.y) + "\" width=\"" + number(max.x - min.x) +
           "\" height=\"" + number(max.y - min.y) + "\"" + (rounding > 0 ? " rx=\"" + number(rounding) + "\"" : "");
}
}  // namespace

void CairoCanvas::AddRect(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags, float thickness) {
    // ImGui strokes the rectangle half a pixel inside its corners.
    impl_->svg += rect_element({min.x + 0.5f, min.y + 0.5f}, {max.x - 0.5f, max.y - 0.5f}, rounding) + stroke(col, thickness) + "/>\n";
}

void CairoCanvas::AddRectFilled(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags) {
    impl_->svg += rect_element(min, max, rounding) + fill(col) + "/>\n";
}

// A gradient along x or y when the corners vary along one axis only (the colour bars); otherwise
// the corners' mean colour.
void CairoCanvas::AddRectFilledMultiColor(ImVec2 min, ImVec2 max, ImU32 ul, ImU32 ur, ImU32 br, ImU32 bl) {
    const bool along_x = ul == bl && ur == br, along_y = ul == ur && bl == br;
    if (!along_x && !along_y) {
        ImVec4 mean{0, 0, 0, 0};
        for (ImU32 c : {ul, ur, br, bl}) {
            const ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
            mean = {mean.x + v.x / 4, mean.y + v.y / 4, mean.z + v.z / 4, mean.w + v.w / 4};
        }
        return AddRectFilled(min, max, ImGui::ColorConvertFloat4ToU32(mean), 0, 0);
    }
    const std::string id = "g" + std::to_string(impl_->next_clip++);
    const ImU32 from = ul, to = along_x ? ur : bl;
    impl_->svg += "<linearGradient id=\"" + id + "\" x1=\"0\" y1=\"0\" x2=\"" + (along_x ? "1" : "0") + "\" y2=\"" +
                  (along_x ? "0" : "1") + "\"><stop offset=\"0\" stop-color=\"" + colour(from) + "\" stop-opacity=\"" +
                  number(alpha(from)) + "\"/><stop offset=\"1\" stop-color=\"" + colour(to) + "\" stop-opacity=\"" +
                  number(alpha(to)) + "\"/></linearGradient>\n" + rect_element(min, max, 0) + " fill=\"url(#" + id + ")\"/>\n";
}

void CairoCanvas::AddTriangle(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col, float thickness) {
    const ImVec2 points[3] = {a, b, c};
    impl_->polygon(points, 3, stroke(col, thickness), true);
}

void CairoCanvas::AddTriangleFilled(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col) {
    const ImVec2 points[3] = {a, b, c};
    impl_->polygon(points, 3, fill(col), true);
}

void CairoCanvas::AddCircle(ImVec2 centre, float radius, ImU32 col, int, float thickness) {
    impl_->svg += "<circle cx=\"" + number(centre.x) + "\" cy=\"" + number(centre.y) + "\" r=\"" + number(radius - 0.5f) +
                  "\"" + stroke(col, thickness) + "/>\n";
}

void CairoCanvas::AddCircleFilled(ImVec2 centre, float radius, ImU32 col, int) {
    impl_->svg += "<circle cx=\"" + number(centre.x) + "\" cy=\"" + number(centre.y) + "\" r=\"" + number(radius) + "\"" +
                  fill(col) + "/>\n";
}

void CairoCanvas::AddText(ImVec2 pos, ImU32 col, const char* text, const char* text_end) {
    AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, col, text, text_end, 0.0f);
}

void CairoCanvas::AddText(const ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text, const char* text_end,
                          float wrap_width) {
    if (!text) return;
    impl_->text(font, size, pos, col, text, text_end ? text_end : text + std::strlen(text), wrap_width);
}

// One <text> a line, broken where ImGui breaks it (new lines, and word wrapping at `wrap_width`);
// the baseline is the font's ascent below the top, as ImGui draws it.
void CairoCanvas::Impl::text(const ImFont* font, float size, ImVec2 pos, ImU32 col, const char* begin, const char* end,
                             float wrap_width) {
    const float scale = font && font->FontSize > 0 ? size / font->FontSize : 1.0f;
    const float ascent = font ? font->Ascent * scale : 0.8f * size;
    float y = pos.y;
    for (const char* line = begin; line < end;) {
        const char* line_end = std::find(line, end, '\n');
        if (font && wrap_width > 0) {
            const char* wrap = font->CalcWordWrapPositionA(scale, line, line_end, wrap_width);
            if (wrap > line && wrap < line_end) line_end = wrap;
        }
        if (line_end > line)
            svg += "<text x=\"" + number(pos.x) + "\" y=\"" + number(y + ascent) + "\" font-family=\"" + font_family +
                   "\" font-size=\"" + number(size) + "\"" + fill(col) + " xml:space=\"preserve\">" +
                   escape_xml(line, line_end) + "</text>\n";
        y += size;
        line = line_end;
        while (line < end && (*line == '\n' || (wrap_width > 0 && *line == ' '))) {
            if (*line == '\n') { ++line; break; }
            ++line;
        }
    }
}

void CairoCanvas::AddImage(ImTextureID texture, ImVec2 min, ImVec2 max, ImVec2 uv_min, ImVec2 uv_max, ImU32) {
    if (!impl_->images) return;
    const CanvasImage image = impl_->images(texture);
    if (image.width <= 0 || image.height <= 0 ||
        image.rgba.size() != static_cast<std::size_t>(image.width) * image.height * 4)
        return;  // no pixels: left out, as the contract says
    const std::string uri = png_data_uri(image, uv_min, uv_max);
    if (uri.empty()) return;
    impl_->svg += "<image x=\"" + number(min.x) + "\" y=\"" + number(min.y) + "\" width=\"" + number(max.x - min.x) +
                  "\" height=\"" + number(max.y - min.y) + "\" preserveAspectRatio=\"none\"" +
                  (image.smooth ? "" : " image-rendering=\"pixelated\"") + " href=\"" + uri + "\"/>\n";
}

void CairoCanvas::PathLineTo(ImVec2 point) { impl_->path.push_back(point); }

void CairoCanvas::PathArcTo(ImVec2 centre, float radius, float a_min, float a_max, int segments) {
    const int n = segments > 0 ? segments : std::max(8, static_cast<int>(std::ceil(std::fabs(a_max - a_min) * radius / 2)));
    for (int i = 0; i <= n; ++i) {
        const float a = a_min + (a_max - a_min) * static_cast<float>(i) / static_cast<float>(n);
        impl_->path.push_back({centre.x + std::cos(a) * radius, centre.y + std::sin(a) * radius});
    }
}

void CairoCanvas::PathFillConvex(ImU32 col) {
    impl_->polygon(impl_->path.data(), static_cast<int>(impl_->path.size()), fill(col), true);
    impl_->path.clear();
}

void CairoCanvas::PathStroke(ImU32 col, ImDrawFlags flags, float thickness) {
    impl_->polygon(impl_->path.data(), static_cast<int>(impl_->path.size()), stroke(col, thickness),
                   (flags & ImDrawFlags_Closed) != 0);
    impl_->path.clear();
}

}  // namespace optiviz::ui
