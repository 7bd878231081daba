// The sweep and basin map view through a real ImGui frame, its text recorded by a canvas.
#include "support/catch.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "support/headless_imgui.h"
#include "ui/canvas/canvas.h"
#include "ui/views/grid_map_view.h"

using namespace optiviz;

namespace {

// Keeps each text's box (top left, and its size in the current font) and each filled rectangle.
class TextRecorder final : public ui::Canvas {
public:
    struct Box {
        std::string text;
        ImVec2 min, max;
    };
    std::vector<Box> texts, filled;

    void PushClipRect(ImVec2, ImVec2, bool) override {}
    void PopClipRect() override {}
    void AddLine(ImVec2, ImVec2, ImU32, float) override {}
    void AddPolyline(const ImVec2*, int, ImU32, ImDrawFlags, float) override {}
    void AddRect(ImVec2, ImVec2, ImU32, float, ImDrawFlags, float) override {}
    void AddRectFilled(ImVec2 min, ImVec2 max, ImU32, float, ImDrawFlags) override { filled.push_back({"", min, max}); }
    void AddRectFilledMultiColor(ImVec2, ImVec2, ImU32, ImU32, ImU32, ImU32) override {}
    void AddTriangle(ImVec2, ImVec2, ImVec2, ImU32, float) override {}
    void AddTriangleFilled(ImVec2, ImVec2, ImVec2, ImU32) override {}
    void AddCircle(ImVec2, float, ImU32, int, float) override {}
    void AddCircleFilled(ImVec2, float, ImU32, int) override {}
    void AddText(ImVec2 pos, ImU32, const char* text, const char* end) override { record(pos, text, end, 0.0f); }
    void AddText(const ImFont*, float, ImVec2 pos, ImU32, const char* text, const char* end, float wrap) override {
        record(pos, text, end, wrap);  // the views draw in the current font at its size
    }
    void AddImage(ImTextureID texture, ImVec2 min, ImVec2 max, ImVec2 uv_min, ImVec2 uv_max, ImU32) override {
        images.push_back({texture, min, max, uv_min, uv_max});
    }
    struct Image {
        ImTextureID texture;
        ImVec2 min, max, uv_min, uv_max;
    };
    std::vector<Image> images;
    void PathLineTo(ImVec2) override {}
    void PathArcTo(ImVec2, float, float, float, int) override {}
    void PathFillConvex(ImU32) override {}
    void PathStroke(ImU32, ImDrawFlags, float) override {}

    void record(ImVec2 pos, const char* text, const char* end, float wrap) {
        const ImVec2 size = ImGui::CalcTextSize(text, end, false, wrap);
        texts.push_back({std::string(text, end ? end : text + std::char_traits<char>::length(text)), pos,
                         {pos.x + size.x, pos.y + size.y}});
    }

    const Box& text(const std::string& s) const {
        for (const Box& b : texts) {
            std::string flat = b.text;  // text laid out in lines (ui/canvas/draw_style.h) is found by its words
            std::replace(flat.begin(), flat.end(), '\n', ' ');
            if (flat == s) return b;
        }
        FAIL("no text '" << s << "' was drawn");
        return texts.front();
    }
};

bool overlap(ImVec2 a_min, ImVec2 a_max, ImVec2 b_min, ImVec2 b_max) {
    return a_min.x < b_max.x && b_min.x < a_max.x && a_min.y < b_max.y && b_min.y < a_max.y;
}

}  // namespace

TEST_CASE("a narrow sweep map keeps the diverged legend clear of the y axis's name", "[ui]") {
    test::HeadlessImGui imgui(1200, 800);
    ui::GridMapInput input;
    input.title = "adam: final loss over beta2 × beta1";
    input.x = {"beta2", 0.9, 0.9999, false, 8};
    input.y = {"beta1", 0.5, 0.99, false, 8};
    input.colors.assign(64, 0x404080);
    input.colorbar = ui::GridColorbar{"final loss", 1e-6, 1.0, true};
    input.legend.push_back({0xCC0000, "diverged"});
    input.best_label = "best: beta2=0.999 beta1=0.9 final-loss=1e-6";
    for (const float width : {180.0f, 220.0f, 260.0f, 320.0f, 420.0f, 700.0f}) {
        CAPTURE(width);
        TextRecorder recorder;
        imgui.frame([&] {
            ImGui::SetNextWindowPos({0, 0});
            ImGui::SetNextWindowSize({1200, 800});
            ImGui::Begin("map", nullptr, ImGuiWindowFlags_NoDecoration);
            const ui::CanvasRoute route(recorder);
            ui::draw_grid_map(input, {width, 420});
            ImGui::End();
        });
        const auto& axis = recorder.text("beta1");
        const auto& legend = recorder.text("diverged");
        CHECK_FALSE(overlap(axis.min, axis.max, legend.min, legend.max));
        // The legend's swatch sits just left of its text, on the same line.
        bool swatch_clear = true;
        for (const auto& r : recorder.filled)
            if (r.max.x <= legend.min.x && r.min.x > legend.min.x - ImGui::GetFontSize() * 1.5f && r.min.y >= legend.min.y - 1 &&
                r.max.y <= legend.max.y + 1)
                swatch_clear = swatch_clear && !overlap(axis.min, axis.max, r.min, r.max);
        CHECK(swatch_clear);
        // Nothing above the plot collides with the title or the best cell's name.
        const auto& best = recorder.text(input.best_label);
        CHECK_FALSE(overlap(best.min, best.max, legend.min, legend.max));
        CHECK_FALSE(overlap(best.min, best.max, axis.min, axis.max));
    }
}

TEST_CASE("a sweep map with a cell texture is one image over the plot, not a rectangle per cell", "[ui][sweep]") {
    test::HeadlessImGui imgui(1200, 800);
    ui::GridMapInput input;
    input.title = "adam: final loss over lr × beta1";
    input.x = {"lr", 1e-4, 1.0, true, 512};
    input.y = {"beta1", 0.0, 0.99, false, 512};
    input.colors.assign(512u * 512u, 0x404080);
    auto draw = [&](TextRecorder& recorder) {
        imgui.frame([&] {
            ImGui::SetNextWindowPos({0, 0});
            ImGui::SetNextWindowSize({1200, 800});
            ImGui::Begin("map", nullptr, ImGuiWindowFlags_NoDecoration);
            const ui::CanvasRoute route(recorder);
            ui::draw_grid_map(input, {600, 500});
            ImGui::End();
        });
    };
    TextRecorder cells;
    draw(cells);
    CHECK(cells.filled.size() >= 512u * 512u);  // without a texture (pictures, vector export): every cell
    CHECK(cells.images.empty());
    const auto texture = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(42));
    input.cells_texture = texture;
    TextRecorder image;
    draw(image);
    CHECK(image.filled.size() < 10u);
    REQUIRE(image.images.size() == 1u);
    const auto& i = image.images[0];
    CHECK(i.texture == texture);
    // It covers exactly the plot the rectangles covered: the first cell's lower-left corner to the last's upper-right.
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    for (const auto& r : cells.filled)
        if (r.max.x - r.min.x < 5 && r.max.y - r.min.y < 5) {  // the cells, not the paper behind them
            x0 = std::min(x0, r.min.x), y0 = std::min(y0, r.min.y);
            x1 = std::max(x1, r.max.x - 0.5f), y1 = std::max(y1, r.max.y - 0.5f);
        }
    CHECK(i.min.x == Approx(x0).margin(0.01));
    CHECK(i.min.y == Approx(y0).margin(0.01));
    CHECK(i.max.x == Approx(x1).margin(0.01));
    CHECK(i.max.y == Approx(y1).margin(0.01));
    // Row 0 (the first texel row) at the bottom: v runs from 1 at the top to 0 at the bottom.
    CHECK(i.uv_min.y == 1.0f);
    CHECK(i.uv_max.y == 0.0f);
    CHECK(i.uv_min.x == 0.0f);
    CHECK(i.uv_max.x == 1.0f);
}
