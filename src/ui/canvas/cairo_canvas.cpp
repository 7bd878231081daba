#include "ui/canvas/cairo_canvas.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <imgui_internal.h>  // ImTextCharFromUtf8, ImCharIsBlankA: the text decoding RenderText uses

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>
#include <stdexcept>

namespace optiviz::ui {

namespace {

constexpr double kPi = 3.14159265358979323846;

void set_colour(cairo_t* cr, ImU32 col) {
    cairo_set_source_rgba(cr, ((col >> IM_COL32_R_SHIFT) & 0xFF) / 255.0, ((col >> IM_COL32_G_SHIFT) & 0xFF) / 255.0,
                          ((col >> IM_COL32_B_SHIFT) & 0xFF) / 255.0, ((col >> IM_COL32_A_SHIFT) & 0xFF) / 255.0);
}

void add_colour_stop(cairo_pattern_t* pattern, double offset, ImU32 col) {
    cairo_pattern_add_color_stop_rgba(pattern, offset, ((col >> IM_COL32_R_SHIFT) & 0xFF) / 255.0,
                                      ((col >> IM_COL32_G_SHIFT) & 0xFF) / 255.0,
                                      ((col >> IM_COL32_B_SHIFT) & 0xFF) / 255.0,
                                      ((col >> IM_COL32_A_SHIFT) & 0xFF) / 255.0);
}

// A rectangle with rounded corners (ImGui rounds all four unless flags say otherwise; the views
// only use all four).
void rounded_rect(cairo_t* cr, double x0, double y0, double x1, double y1, double r) {
    r = std::min({r, (x1 - x0) / 2, (y1 - y0) / 2});
    if (!(r > 0)) {
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, x1 - r, y0 + r, r, -kPi / 2, 0);
    cairo_arc(cr, x1 - r, y1 - r, r, 0, kPi / 2);
    cairo_arc(cr, x0 + r, y1 - r, r, kPi / 2, kPi);
    cairo_arc(cr, x0 + r, y0 + r, r, kPi, 3 * kPi / 2);
    cairo_close_path(cr);
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// One FreeType library for every document: cairo may keep a font face (and with it the FT_Face)
// in its caches after the canvas is gone, so the library must outlive them all.
FT_Library freetype() {
    static FT_Library library = [] {
        FT_Library l = nullptr;
        return FT_Init_FreeType(&l) == 0 ? l : nullptr;
    }();
    return library;
}

cairo_user_data_key_t kFaceKey;

}  // namespace

struct CairoCanvas::Impl {
    std::string bytes;
    cairo_surface_t* surface = nullptr;
    cairo_t* cr = nullptr;
    CanvasImageSource images;
    FT_Face face = nullptr;                    // owned by `font` once that exists
    cairo_font_face_t* font = nullptr;         // the ImGui font's file, or null for the toy "sans"
    double em_per_pixel_height = 1.0;          // cairo's em size for ImGui's "pixel height" 1
    bool finished = false;
    bool svg = false;
    std::string title, creator;  // SVG: written into the document at finish()

    // Vertical gradients drawn edge to edge (a colour bar's bands) are gathered into one gradient:
    // separately, each band's anti-aliased edges would show as faint seams.
    struct Band {
        float x0 = 0, x1 = 0, top = 0, bottom = 0;
        std::vector<std::pair<float, ImU32>> stops;  // (y, colour)
    };
    // A plain member and a flag, not std::optional<Band>: gcc 14 (Debian 13) reports the optional's
    // vector as maybe-uninitialized when it is reset or replaced.
    Band band;
    bool has_band = false;

    void flush_band() {
        if (!has_band) return;
        cairo_pattern_t* pattern = cairo_pattern_create_linear(0, band.top, 0, band.bottom);
        std::stable_sort(band.stops.begin(), band.stops.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [y, colour] : band.stops) add_colour_stop(pattern, (y - band.top) / (band.bottom - band.top), colour);
        cairo_new_path(cr);
        cairo_rectangle(cr, band.x0, band.top, band.x1 - band.x0, band.bottom - band.top);
        cairo_set_source(cr, pattern);
        cairo_fill(cr);
        cairo_pattern_destroy(pattern);
        band.stops.clear();
        has_band = false;
    }
};

CairoCanvas::CairoCanvas(VectorFormat format, int width, int height, const std::string& font_file,
                         CanvasImageSource images, bool paper)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.images = std::move(images);
    m.surface = format == VectorFormat::Svg
                    ? cairo_svg_surface_create_for_stream(append_bytes, &m.bytes, width, height)
                    : cairo_pdf_surface_create_for_stream(append_bytes, &m.bytes, width, height);
    m.svg = format == VectorFormat::Svg;
    if (m.svg) cairo_svg_surface_set_document_unit(m.surface, CAIRO_SVG_UNIT_PX);
    m.cr = cairo_create(m.surface);
    if (cairo_status(m.cr) != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("vector export: cairo: ") + cairo_status_to_string(cairo_status(m.cr)));

    if (!font_file.empty() && freetype() && FT_New_Face(freetype(), font_file.c_str(), 0, &m.face) == 0) {
        // ImGui (stb_truetype) scales a font so that its "pixel height" is ascent − descent (hhea);
        // cairo's size is the em square. FreeType reads the same hhea values.
        const double height_units = static_cast<double>(m.face->ascender - m.face->descender);
        if (height_units > 0) m.em_per_pixel_height = m.face->units_per_EM / height_units;
        m.font = cairo_ft_font_face_create_for_ft_face(m.face, 0);
        // The face is freed when cairo lets go of the font face, whenever that is.
        if (cairo_font_face_set_user_data(m.font, &kFaceKey, m.face, [](void* face) {
                FT_Done_Face(static_cast<FT_Face>(face));
            }) != CAIRO_STATUS_SUCCESS) {
            cairo_font_face_destroy(m.font);
            FT_Done_Face(m.face);
            m.font = nullptr;
        }
        m.face = nullptr;
    }
    cairo_font_options_t* options = cairo_font_options_create();
    // Outlines as designed: no hinting, and advances that are not rounded to whole pixels.
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(m.cr, options);
    cairo_font_options_destroy(options);
    if (m.font) cairo_set_font_face(m.cr, m.font);
    else cairo_select_font_face(m.cr, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    // The paper: the PNG export clears to white (or, transparent, to nothing).
    if (paper) {
        cairo_set_source_rgb(m.cr, 1, 1, 1);
        cairo_paint(m.cr);
    }
    // ImGui's lines end square at their points (butt) and join at a mitre.
    cairo_set_line_cap(m.cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(m.cr, CAIRO_LINE_JOIN_MITER);
}

CairoCanvas::~CairoCanvas() {
    if (impl_->cr) cairo_destroy(impl_->cr);
    if (impl_->surface) cairo_surface_destroy(impl_->surface);
    if (impl_->font) cairo_font_face_destroy(impl_->font);
}

namespace {

// Text for an SVG element's content: &, < and > escaped (the title may name an expression).
std::string xml_text(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

}  // namespace

void CairoCanvas::set_document_info(const std::string& title, const std::string& creator) {
    Impl& m = *impl_;
    m.title = title;
    m.creator = creator;
    if (!m.svg) {
        cairo_pdf_surface_set_metadata(m.surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
        cairo_pdf_surface_set_metadata(m.surface, CAIRO_PDF_METADATA_CREATOR, creator.c_str());
    }
}

std::string CairoCanvas::finish() {
    impl_->flush_band();
    Impl& m = *impl_;
    if (m.finished) throw std::logic_error("CairoCanvas::finish called twice");
    m.finished = true;
    const cairo_status_t drawing = cairo_status(m.cr);
    cairo_destroy(m.cr);
    m.cr = nullptr;
    cairo_surface_finish(m.surface);
    const cairo_status_t writing = cairo_surface_status(m.surface);
    const cairo_status_t status = drawing != CAIRO_STATUS_SUCCESS ? drawing : writing;
    if (status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("vector export: cairo: ") + cairo_status_to_string(status));
    // cairo's SVG surface has no title: the first child of <svg> is the document's title.
    if (m.svg && (!m.title.empty() || !m.creator.empty())) {
        const std::size_t root = m.bytes.find("<svg");
        const std::size_t open_end = root == std::string::npos ? root : m.bytes.find('>', root);
        if (open_end != std::string::npos)
            m.bytes.insert(open_end + 1, "\n<title>" + xml_text(m.title) + "</title>\n<desc>made by " + xml_text(m.creator) + "</desc>");
    }
    return std::move(m.bytes);
}

void CairoCanvas::PushClipRect(ImVec2 min, ImVec2 max, bool intersect) {
    impl_->flush_band();
    cairo_t* cr = impl_->cr;
    cairo_save(cr);
    if (!intersect) cairo_reset_clip(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, min.x, min.y, max.x - min.x, max.y - min.y);
    cairo_clip(cr);
}

void CairoCanvas::PopClipRect() {
    impl_->flush_band();
    cairo_restore(impl_->cr);
}

void CairoCanvas::AddLine(ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
    impl_->flush_band();
    // ImDrawList strokes a line through pixel centres: half a pixel right and down.
    const ImVec2 points[2] = {{a.x + 0.5f, a.y + 0.5f}, {b.x + 0.5f, b.y + 0.5f}};
    AddPolyline(points, 2, col, ImDrawFlags_None, thickness);
}

void CairoCanvas::AddPolyline(const ImVec2* points, int count, ImU32 col, ImDrawFlags flags, float thickness) {
    impl_->flush_band();
    if (count < 2 || (col & IM_COL32_A_MASK) == 0) return;
    cairo_t* cr = impl_->cr;
    cairo_new_path(cr);
    cairo_move_to(cr, points[0].x, points[0].y);
    for (int i = 1; i < count; ++i) cairo_line_to(cr, points[i].x, points[i].y);
    PathStroke(col, flags, thickness);
}

void CairoCanvas::AddRect(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags, float thickness) {
    impl_->flush_band();
    if ((col & IM_COL32_A_MASK) == 0) return;
    cairo_t* cr = impl_->cr;
    cairo_new_path(cr);
    // As ImDrawList: the outline runs half a pixel inside the rectangle.
    rounded_rect(cr, min.x + 0.5, min.y + 0.5, max.x - 0.5, max.y - 0.5, rounding);
    set_colour(cr, col);
    cairo_set_line_width(cr, thickness);
    cairo_stroke(cr);
}

void CairoCanvas::AddRectFilled(ImVec2 min, ImVec2 max, ImU32 col, float rounding, ImDrawFlags) {
    impl_->flush_band();
    if ((col & IM_COL32_A_MASK) == 0) return;
    cairo_t* cr = impl_->cr;
    cairo_new_path(cr);
    rounded_rect(cr, min.x, min.y, max.x, max.y, rounding);
    set_colour(cr, col);
    cairo_fill(cr);
}

void CairoCanvas::AddRectFilledMultiColor(ImVec2 min, ImVec2 max, ImU32 ul, ImU32 ur, ImU32 br, ImU32 bl) {
    if (ul == ur && bl == br && max.y > min.y) {  // top to bottom (the colour bars' bands)
        auto& band = impl_->band;
        if (impl_->has_band && band.x0 == min.x && band.x1 == max.x && (max.y == band.top || min.y == band.bottom)) {
            band.top = std::min(band.top, min.y);
            band.bottom = std::max(band.bottom, max.y);
        } else {
            impl_->flush_band();
            band.x0 = min.x;
            band.x1 = max.x;
            band.top = min.y;
            band.bottom = max.y;
            impl_->has_band = true;
        }
        band.stops.push_back({min.y, ul});
        band.stops.push_back({max.y, bl});
        return;
    }
    impl_->flush_band();
    cairo_t* cr = impl_->cr;
    cairo_pattern_t* pattern = nullptr;
    if (ul == bl && ur == br) {  // left to right
        pattern = cairo_pattern_create_linear(min.x, 0, max.x, 0);
        add_colour_stop(pattern, 0, ul);
        add_colour_stop(pattern, 1, ur);
    } else {
        pattern = cairo_pattern_create_mesh();
        cairo_mesh_pattern_begin_patch(pattern);
        cairo_mesh_pattern_move_to(pattern, min.x, min.y);
        cairo_mesh_pattern_line_to(pattern, max.x, min.y);
        cairo_mesh_pattern_line_to(pattern, max.x, max.y);
        cairo_mesh_pattern_line_to(pattern, min.x, max.y);
        const ImU32 corners[4] = {ul, ur, br, bl};
        for (unsigned i = 0; i < 4; ++i) {
            const ImU32 c = corners[i];
            cairo_mesh_pattern_set_corner_color_rgba(pattern, i, ((c >> IM_COL32_R_SHIFT) & 0xFF) / 255.0,
                                                     ((c >> IM_COL32_G_SHIFT) & 0xFF) / 255.0,
                                                     ((c >> IM_COL32_B_SHIFT) & 0xFF) / 255.0,
                                                     ((c >> IM_COL32_A_SHIFT) & 0xFF) / 255.0);
        }
        cairo_mesh_pattern_end_patch(pattern);
    }
    cairo_new_path(cr);
    cairo_rectangle(cr, min.x, min.y, max.x - min.x, max.y - min.y);
    cairo_set_source(cr, pattern);
    cairo_fill(cr);
    cairo_pattern_destroy(pattern);
}

void CairoCanvas::AddTriangle(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col, float thickness) {
    impl_->flush_band();
    const ImVec2 points[3] = {a, b, c};
    AddPolyline(points, 3, col, ImDrawFlags_Closed, thickness);
}

void CairoCanvas::AddTriangleFilled(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 col) {
    impl_->flush_band();
    cairo_new_path(impl_->cr);
    PathLineTo(a);
    PathLineTo(b);
    PathLineTo(c);
    PathFillConvex(col);
}

void CairoCanvas::AddCircle(ImVec2 centre, float radius, ImU32 col, int, float thickness) {
    impl_->flush_band();
    if ((col & IM_COL32_A_MASK) == 0 || radius <= 0.5f) return;
    cairo_t* cr = impl_->cr;
    cairo_new_path(cr);
    // ImDrawList strokes circles half a pixel inside the radius.
    cairo_arc(cr, centre.x, centre.y, radius - 0.5f, 0, 2 * kPi);
    cairo_close_path(cr);
    set_colour(cr, col);
    cairo_set_line_width(cr, thickness);
    cairo_stroke(cr);
}

void CairoCanvas::AddCircleFilled(ImVec2 centre, float radius, ImU32 col, int) {
    impl_->flush_band();
    if ((col & IM_COL32_A_MASK) == 0 || radius <= 0) return;
    cairo_t* cr = impl_->cr;
    cairo_new_path(cr);
    cairo_arc(cr, centre.x, centre.y, radius, 0, 2 * kPi);
    set_colour(cr, col);
    cairo_fill(cr);
}

void CairoCanvas::AddText(ImVec2 pos, ImU32 col, const char* text, const char* text_end) {
    impl_->flush_band();
    AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, col, text, text_end, 0.0f);
}

// ImFont::RenderText's layout, glyph for glyph: the pen starts at the floored position, advances
// by each glyph's AdvanceX, breaks lines at '\n' and (with `wrap_width`) where
// CalcWordWrapPositionA says, skipping blanks after a wrap. The baseline is the rounded ascent
// below the line's top, where ImGui's atlas places its glyph bitmaps.
void CairoCanvas::AddText(const ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text,
                          const char* text_end, float wrap_width) {
    impl_->flush_band();
    if (!text || (col & IM_COL32_A_MASK) == 0) return;
    if (!font) font = ImGui::GetFont();
    if (size <= 0) size = ImGui::GetFontSize();
    if (!text_end) text_end = text + std::strlen(text);
    cairo_t* cr = impl_->cr;
    const float scale = size / font->FontSize;
    const float line_height = font->FontSize * scale;
    const double baseline = std::round(font->Ascent) * scale;
    const float x0 = std::floor(pos.x);
    float x = x0, y = std::floor(pos.y);

    cairo_set_font_size(cr, impl_->font ? size * impl_->em_per_pixel_height : size * 0.8);
    FT_Face face = impl_->font ? cairo_ft_scaled_font_lock_face(cairo_get_scaled_font(cr)) : nullptr;
    std::vector<cairo_glyph_t> glyphs;
    std::string toy_text;  // without the font file: the characters, shown with cairo's toy API
    const char* word_wrap_eol = nullptr;
    const char* s = text;
    while (s < text_end) {
        if (wrap_width > 0) {
            if (!word_wrap_eol) {
                word_wrap_eol = font->CalcWordWrapPositionA(scale, s, text_end, wrap_width - (x - x0));
                if (word_wrap_eol == s) ++word_wrap_eol;  // nothing fits: show one character anyway
            }
            if (s >= word_wrap_eol) {
                x = x0;
                y += line_height;
                word_wrap_eol = nullptr;
                while (s < text_end) {
                    if (ImCharIsBlankA(*s)) ++s;
                    else if (*s == '\n') {
                        ++s;
                        break;
                    } else break;
                }
                continue;
            }
        }
        unsigned int c = static_cast<unsigned char>(*s);
        const char* start = s;
        if (c < 0x80) s += 1;
        else s += ImTextCharFromUtf8(&c, s, text_end);
        if (c < 32) {
            if (c == '\n') {
                x = x0;
                y += line_height;
            }
            continue;
        }
        const ImFontGlyph* glyph = font->FindGlyph(static_cast<ImWchar>(c));
        if (!glyph) continue;
        if (glyph->Visible) {
            if (face) {
                // The glyph ImGui shows (its fallback '?' for a character the atlas lacks).
                const FT_UInt index = FT_Get_Char_Index(face, glyph->Codepoint);
                glyphs.push_back({index, x, y + baseline});
            } else {
                cairo_move_to(cr, x, y + baseline);
                toy_text.assign(start, s);
                set_colour(cr, col);
                cairo_show_text(cr, toy_text.c_str());
            }
        }
        x += glyph->AdvanceX * scale;
    }
    if (face) {
        cairo_ft_scaled_font_unlock_face(cairo_get_scaled_font(cr));
        if (!glyphs.empty()) {
            set_colour(cr, col);
            cairo_show_glyphs(cr, glyphs.data(), static_cast<int>(glyphs.size()));
        }
    }
}

void CairoCanvas::AddImage(ImTextureID texture, ImVec2 min, ImVec2 max, ImVec2 uv_min, ImVec2 uv_max, ImU32 col) {
    impl_->flush_band();
    if (!impl_->images || max.x <= min.x || max.y <= min.y) return;
    const CanvasImage image = impl_->images(texture);
    if (image.width <= 0 || image.height <= 0 ||
        image.rgba.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4)
        return;
    cairo_surface_t* pixels = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, image.width, image.height);
    cairo_surface_flush(pixels);
    unsigned char* data = cairo_image_surface_get_data(pixels);
    const int stride = cairo_image_surface_get_stride(pixels);
    for (int row = 0; row < image.height; ++row) {
        auto* out = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(row) * stride);
        const std::uint8_t* in = image.rgba.data() + static_cast<std::size_t>(row) * image.width * 4;
        for (int i = 0; i < image.width; ++i, in += 4) {
            // cairo wants premultiplied alpha in native-endian 0xAARRGGBB.
            const std::uint32_t a = in[3];
            const auto pre = [a](std::uint32_t v) { return (v * a + 127) / 255; };
            out[i] = (a << 24) | (pre(in[0]) << 16) | (pre(in[1]) << 8) | pre(in[2]);
        }
    }
    cairo_surface_mark_dirty(pixels);

    cairo_t* cr = impl_->cr;
    cairo_pattern_t* pattern = cairo_pattern_create_for_surface(pixels);
    // Pattern space is texel space: u·width, v·height. Map [min, max] to [uv_min, uv_max] there.
    const double sx = (uv_max.x - uv_min.x) * image.width / (max.x - min.x);
    const double sy = (uv_max.y - uv_min.y) * image.height / (max.y - min.y);
    cairo_matrix_t matrix;
    cairo_matrix_init(&matrix, sx, 0, 0, sy, uv_min.x * image.width - min.x * sx, uv_min.y * image.height - min.y * sy);
    cairo_pattern_set_matrix(pattern, &matrix);
    cairo_pattern_set_filter(pattern, image.smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST);
    // EXTEND_NONE, not PAD: the clip below already bounds the image, and cairo 1.18's SVG surface
    // (Debian 13) cannot express a padded image, so it rasterised the whole page around it as a
    // fallback image (the paths and contours were then pixels).
    cairo_pattern_set_extend(pattern, CAIRO_EXTEND_NONE);
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, min.x, min.y, max.x - min.x, max.y - min.y);
    cairo_clip(cr);
    cairo_set_source(cr, pattern);
    cairo_paint_with_alpha(cr, ((col >> IM_COL32_A_SHIFT) & 0xFF) / 255.0);
    cairo_restore(cr);
    cairo_pattern_destroy(pattern);
    cairo_surface_destroy(pixels);
}

void CairoCanvas::PathLineTo(ImVec2 point) {
    impl_->flush_band();
    cairo_t* cr = impl_->cr;
    if (cairo_has_current_point(cr)) cairo_line_to(cr, point.x, point.y);
    else cairo_move_to(cr, point.x, point.y);
}

void CairoCanvas::PathArcTo(ImVec2 centre, float radius, float a_min, float a_max, int) {
    impl_->flush_band();
    cairo_t* cr = impl_->cr;
    if (a_max >= a_min) cairo_arc(cr, centre.x, centre.y, radius, a_min, a_max);
    else cairo_arc_negative(cr, centre.x, centre.y, radius, a_min, a_max);
}

void CairoCanvas::PathFillConvex(ImU32 col) {
    impl_->flush_band();
    cairo_t* cr = impl_->cr;
    cairo_close_path(cr);
    set_colour(cr, col);
    cairo_fill(cr);  // also clears the path, as ImGui's does
}

void CairoCanvas::PathStroke(ImU32 col, ImDrawFlags flags, float thickness) {
    impl_->flush_band();
    cairo_t* cr = impl_->cr;
    if (flags & ImDrawFlags_Closed) cairo_close_path(cr);
    set_colour(cr, col);
    cairo_set_line_width(cr, thickness);
    cairo_stroke(cr);
}

}  // namespace optiviz::ui
