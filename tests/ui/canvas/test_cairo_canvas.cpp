// The cairo canvas on its own (no GL): what it writes into an SVG for each drawing call, and text
// laid out glyph for glyph where ImGui puts it.
#include "support/catch.h"
#include "support/cairo_svg.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "ui/canvas/cairo_canvas.h"
#include "ui/canvas/fonts.h"

using namespace optiviz;

namespace {

// An ImGui context whose font is the UI's font file at `size` pixels (the atlas built, no frame).
class FontContext {
public:
    explicit FontContext(float size) {
        previous_ = ImGui::GetCurrentContext();
        context_ = ImGui::CreateContext();
        ImGui::SetCurrentContext(context_);
        ImGui::GetIO().IniFilename = nullptr;
        from_file_ = ui::add_ui_font(*ImGui::GetIO().Fonts, size);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~FontContext() {
        ImGui::DestroyContext(context_);
        ImGui::SetCurrentContext(previous_);
    }
    FontContext(const FontContext&) = delete;
    FontContext& operator=(const FontContext&) = delete;
    const ImFont* font() const { return ImGui::GetIO().Fonts->Fonts[0]; }
    bool from_file() const { return from_file_; }

private:
    ImGuiContext* context_ = nullptr;
    ImGuiContext* previous_ = nullptr;
    bool from_file_ = false;
};

struct GlyphUse {
    double x, y;
};

// The glyphs cairo placed, in drawing order: <use xlink:href="#glyph..." x="..." y="..."/>.
// (Read with find, not std::regex, which gcc 12's sanitizer builds warn about.)
std::vector<GlyphUse> glyph_uses(const std::string& svg) {
    std::vector<GlyphUse> uses;
    for (std::size_t at = svg.find("<use xlink:href=\"#glyph"); at != std::string::npos;
         at = svg.find("<use xlink:href=\"#glyph", at + 1)) {
        const std::size_t x = svg.find("\" x=\"", at);
        GlyphUse u{};
        REQUIRE(std::sscanf(svg.c_str() + x, "\" x=\"%lf\" y=\"%lf\"", &u.x, &u.y) == 2);
        uses.push_back(u);
    }
    return uses;
}

std::string svg_of(const std::function<void(ui::Canvas&)>& draw, ui::CanvasImageSource images = {}) {
    ui::CairoCanvas canvas(ui::VectorFormat::Svg, 400, 200, ui::ui_font_file(), std::move(images));
    draw(canvas);
    return test::normalized_cairo_svg(canvas.finish());
}

}  // namespace

TEST_CASE("cairo canvas: glyphs sit where ImGui's layout puts them", "[ui][vector]") {
    FontContext context(20.0f);
    REQUIRE(context.from_file());  // fonts-dejavu-core is a dependency of the app
    const ImFont* font = context.font();
    const char* text = "Adam x=0.5";
    const std::string svg = svg_of([&](ui::Canvas& c) { c.AddText(font, 20.0f, {10.7f, 30.2f}, IM_COL32(0, 0, 0, 255), text); });
    const std::vector<GlyphUse> uses = glyph_uses(svg);
    // Every character but the blank has an outline.
    REQUIRE(uses.size() == std::string(text).size() - 1);
    // The pen starts at the floored position and moves by ImGui's advances; the baseline is the
    // rounded ascent below the top.
    double x = 10.0;
    std::size_t k = 0;
    for (const char* s = text; *s; ++s) {
        if (*s != ' ') {
            CHECK(uses[k].x == Approx(x).margin(0.01));
            CHECK(uses[k].y == Approx(30.0 + std::round(font->Ascent)).margin(0.01));
            ++k;
        }
        x += font->FindGlyph(static_cast<ImWchar>(*s))->AdvanceX;
    }
    // And the whole line is as wide as ImGui measures it.
    const float width = font->CalcTextSizeA(20.0f, FLT_MAX, 0.0f, text).x;
    CHECK(x - 10.0 == Approx(width).margin(0.01));
}

TEST_CASE("cairo canvas: wrapped text breaks into the lines ImGui breaks it into", "[ui][vector]") {
    FontContext context(16.0f);
    REQUIRE(context.from_file());
    const ImFont* font = context.font();
    const char* text = "momentum keeps the step going along the valley floor\nsecond paragraph";
    const float wrap = 150.0f;
    const std::string svg =
        svg_of([&](ui::Canvas& c) { c.AddText(font, 16.0f, {5, 5}, IM_COL32(0, 0, 0, 255), text, nullptr, wrap); });
    std::set<double> line_tops;
    double right = 0;
    for (const GlyphUse& u : glyph_uses(svg)) {
        line_tops.insert(u.y);
        right = std::max(right, u.x);
    }
    const ImVec2 size = font->CalcTextSizeA(16.0f, FLT_MAX, wrap, text);
    CHECK(static_cast<float>(line_tops.size()) == Approx(size.y / 16.0f));
    CHECK(line_tops.size() >= 4);  // the test means something: the paragraph does wrap
    CHECK(right < 5 + wrap);
    // Successive lines are one font height apart.
    double previous = *line_tops.begin() - 16.0;
    for (const double y : line_tops) {
        CHECK(y - previous == Approx(16.0).margin(0.01));
        previous = y;
    }
}

TEST_CASE("cairo canvas: lines, rectangles and polylines are vector paths in their colours", "[ui][vector]") {
    FontContext context(16.0f);
    const std::string svg = svg_of([](ui::Canvas& c) {
        c.AddLine({10, 20}, {110, 20}, IM_COL32(255, 0, 0, 255), 2.0f);
        c.AddRectFilled({10, 30}, {60, 80}, IM_COL32(0, 0, 255, 255));
        const ImVec2 points[4] = {{200, 10}, {220, 40}, {240, 15}, {260, 50}};
        c.AddPolyline(points, 4, IM_COL32(0, 255, 0, 255), ImDrawFlags_None, 3.0f);
    });
    // ImDrawList strokes lines through pixel centres.
    CHECK(svg.find("stroke-width:2;") != std::string::npos);
    CHECK(svg.find("stroke:rgb(100%,0%,0%)") != std::string::npos);
    CHECK(svg.find(R"(d="M 10.5 20.5 L 110.5 20.5 ")") != std::string::npos);
    CHECK(svg.find("fill:rgb(0%,0%,100%)") != std::string::npos);
    CHECK(svg.find(R"(d="M 10 30 L 60 30 L 60 80 L 10 80 Z)") != std::string::npos);
    CHECK(svg.find(R"(d="M 200 10 L 220 40 L 240 15 L 260 50 ")") != std::string::npos);
    CHECK(svg.find("<image") == std::string::npos);
}

TEST_CASE("cairo canvas: clip rectangles clip, images are embedded, transparent ink is left out", "[ui][vector]") {
    FontContext context(16.0f);
    int asked = 0;
    const auto images = [&](ImTextureID texture) {
        ++asked;
        CHECK(texture == reinterpret_cast<ImTextureID>(7));
        return ui::CanvasImage{2, 2, std::vector<std::uint8_t>(16, 200), true};
    };
    const std::string svg = svg_of(
        [](ui::Canvas& c) {
            c.PushClipRect({20, 20}, {120, 80}, true);
            c.AddImage(reinterpret_cast<ImTextureID>(7), {20, 20}, {120, 80}, {0, 1}, {1, 0});
            c.AddLine({0, 0}, {300, 100}, IM_COL32(255, 255, 255, 0));
            c.PopClipRect();
        },
        images);
    CHECK(asked == 1);
    CHECK(svg.find("<clipPath") != std::string::npos);
    CHECK(svg.find("<image") != std::string::npos);
    CHECK(svg.find("stroke:rgb(100%,100%,100%)") == std::string::npos);
}

TEST_CASE("cairo canvas: a PDF document is a PDF", "[ui][vector]") {
    FontContext context(16.0f);
    ui::CairoCanvas canvas(ui::VectorFormat::Pdf, 300, 200, ui::ui_font_file(), {});
    static_cast<ui::Canvas&>(canvas).AddText(context.font(), 16.0f, {10, 10}, IM_COL32(0, 0, 0, 255), "loss");
    const std::string pdf = canvas.finish();
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    CHECK(pdf.find("DejaVuSans") != std::string::npos);  // the UI's font, embedded
}

TEST_CASE("cairo canvas: a colour bar's bands become one gradient, with no seams between them", "[ui][vector]") {
    FontContext context(16.0f);
    auto gradients = [](const std::string& svg) {
        std::size_t n = 0;
        for (std::size_t at = svg.find("<linearGradient"); at != std::string::npos; at = svg.find("<linearGradient", at + 1)) ++n;
        return n;
    };
    const ImU32 a = IM_COL32(68, 1, 84, 255), b = IM_COL32(33, 145, 140, 255), c = IM_COL32(253, 231, 37, 255);
    // Drawn bottom band first, as draw_colorbar_bands does.
    const std::string joined = svg_of([&](ui::Canvas& canvas) {
        canvas.AddRectFilledMultiColor({10, 50}, {30, 100}, b, b, a, a);
        canvas.AddRectFilledMultiColor({10, 0}, {30, 50}, c, c, b, b);
        canvas.AddRect({10, 0}, {30, 100}, IM_COL32(0, 0, 0, 255));
    });
    CHECK(gradients(joined) == 1);
    CHECK(joined.find(R"(d="M 10 0 L 30 0 L 30 100 L 10 100 Z)") != std::string::npos);
    // Bands that do not touch stay apart.
    const std::string apart = svg_of([&](ui::Canvas& canvas) {
        canvas.AddRectFilledMultiColor({10, 60}, {30, 100}, b, b, a, a);
        canvas.AddRectFilledMultiColor({10, 0}, {30, 50}, c, c, b, b);
    });
    CHECK(gradients(apart) == 2);
}
