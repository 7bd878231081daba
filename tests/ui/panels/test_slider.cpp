// The sliders draw their value in the half of the frame away from the grab (ui/panels/slider.h).
#include "support/catch.h"

#include <imgui.h>

#include <algorithm>
#include <limits>

#include "support/headless_imgui.h"
#include "ui/panels/slider.h"

using namespace optiviz;

namespace {

struct Span {
    float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
};

// The horizontal extent of everything drawn in the text colour inside [frame_lo, frame_hi].
Span ink_in(ImVec2 frame_lo, ImVec2 frame_hi) {
    Span span;
    const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
    const ImDrawData* data = ImGui::GetDrawData();
    for (int l = 0; l < data->CmdListsCount; ++l) {
        for (const ImDrawVert& v : data->CmdLists[l]->VtxBuffer) {
            if (v.col != ink || v.pos.y < frame_lo.y || v.pos.y > frame_hi.y || v.pos.x < frame_lo.x || v.pos.x > frame_hi.x) continue;
            span.lo = std::min(span.lo, v.pos.x);
            span.hi = std::max(span.hi, v.pos.x);
        }
    }
    return span;
}

// Draws one unlabelled int slider at `value` in 0..100 and returns its frame and its value's ink.
std::pair<std::pair<ImVec2, ImVec2>, Span> slider_ink(int value, bool logarithmic = false) {
    test::HeadlessImGui imgui;
    ImVec2 lo, hi;
    auto body = [&] {
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({400, 100});
        ImGui::Begin("sliders");
        ImGui::SetNextItemWidth(300);
        ui::slider_int("##n", &value, logarithmic ? 1 : 0, 100, "%d", logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
        lo = ImGui::GetItemRectMin();
        hi = ImGui::GetItemRectMax();
        ImGui::End();
    };
    imgui.frame(body);
    imgui.frame(body);
    return {{lo, hi}, ink_in(lo, hi)};
}

}  // namespace

TEST_CASE("slider grab fraction: linear and logarithmic ranges, clamped", "[ui][slider]") {
    CHECK(ui::slider_grab_fraction(0, 0, 100, false) == 0.0);
    CHECK(ui::slider_grab_fraction(100, 0, 100, false) == 1.0);
    CHECK(ui::slider_grab_fraction(25, 0, 100, false) == Approx(0.25));
    CHECK(ui::slider_grab_fraction(10, 1, 100, true) == Approx(0.5));  // the geometric middle
    CHECK(ui::slider_grab_fraction(1e9, 1, 100, true) == Approx(1.0));
    CHECK(ui::slider_grab_fraction(-5, 0, 100, false) == 0.0);
    CHECK(ui::slider_grab_fraction(3, 5, 5, false) == 0.5);  // an empty range: centred
}

TEST_CASE("a slider's value is drawn in the half away from its grab, never under it", "[ui][slider]") {
    SECTION("grab at the right end: the value sits in the left half") {
        const auto [frame, ink] = slider_ink(100);
        const float middle = (frame.first.x + frame.second.x) / 2;
        REQUIRE(ink.hi > ink.lo);
        CHECK(ink.hi < middle);
    }
    SECTION("grab at the left end: the value sits in the right half") {
        const auto [frame, ink] = slider_ink(0);
        const float middle = (frame.first.x + frame.second.x) / 2;
        REQUIRE(ink.hi > ink.lo);
        CHECK(ink.lo > middle);
    }
    SECTION("a logarithmic slider at its geometric middle plus a little: the grab is right of centre") {
        const auto [frame, ink] = slider_ink(20, true);
        const float middle = (frame.first.x + frame.second.x) / 2;
        REQUIRE(ink.hi > ink.lo);
        CHECK(ink.hi < middle);
    }
}
