// HiDPI (issue 26.4): with GLFW_SCALE_TO_MONITOR the window's pixels grow with the content scale,
// as its fonts do, so at 2x the landscape's layout is the 1x layout doubled: the plot, the colour
// bar and the legend column keep their shares. Fonts scaled alone (the window left at 1x pixels,
// as before) squeeze the plot: that is what hid the loss plot at 1440x900.
#include "support/catch.h"

#include "ui/views/landscape_view.h"

using namespace optiviz;

namespace {

float width(ImVec2 min, ImVec2 max) { return max.x - min.x; }
float height(ImVec2 min, ImVec2 max) { return max.y - min.y; }

}  // namespace

TEST_CASE("at a content scale of 2 the landscape's layout is the 1x layout doubled", "[ui][hidpi]") {
    for (const ImVec2 size : {ImVec2{960, 560}, ImVec2{1440, 900}, ImVec2{700, 420}}) {
        INFO(size.x << "x" << size.y);
        const ui::LandscapeLayout one = ui::landscape_layout(size, 16.0f);
        const ui::LandscapeLayout two = ui::landscape_layout({size.x * 2, size.y * 2}, 32.0f);
        CHECK(width(two.plot_min, two.plot_max) == Approx(2 * width(one.plot_min, one.plot_max)).margin(4));
        CHECK(height(two.plot_min, two.plot_max) == Approx(2 * height(one.plot_min, one.plot_max)).margin(4));
        CHECK(width(two.side_min, two.side_max) == Approx(2 * width(one.side_min, one.side_max)).margin(4));
        CHECK(width(two.colorbar_min, two.colorbar_max) == Approx(2 * width(one.colorbar_min, one.colorbar_max)).margin(4));
        // Fonts at 2x in a window left at 1x pixels: the plot loses more than the text's share.
        const ui::LandscapeLayout squeezed = ui::landscape_layout(size, 32.0f);
        CHECK(width(squeezed.plot_min, squeezed.plot_max) < width(one.plot_min, one.plot_max) - 20);
    }
}
