// The data beside the landscape for regression surfaces: the rows as a scatter, each run's current
// line y = w·x + b in the run's colour (moving with playback), the least-squares line, and, on
// request, the residuals of one run. Lines are drawn in the data's own units even when the fit
// runs on standardised x.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <imgui.h>

#include "core/surfaces/dataset.h"
#include "ui/views/landscape_view.h"

namespace optiviz::ui {

// The scatter's points as one picture, `width` × `height` pixels covering `rect` (data units), each
// row a disc of `radius` pixels: the window draws it from a texture made once per key, rather than
// thousands of antialiased circles every frame.
struct PointsImageRequest {
    ViewRect rect;
    int width = 0, height = 0;
    float radius = 0;
    bool operator==(const PointsImageRequest&) const = default;
};

struct DataViewInput {
    const Dataset* data = nullptr;          // rows in their own units
    bool standardized = false;              // runs fit on standardised x...
    Standardization standardization;        // ... with this mean and sd
    std::vector<RunView> runs;              // (w, b) = (trajectory x, trajectory y)
    long step = 0;
    std::optional<Eigen::Vector2d> least_squares;  // (w, b) in the fitted units
    int residuals_of = -1;                  // index into runs, or -1 for none
    int front_run = -1;                     // a run brought forward (its legend row hovered): drawn last, whole
    // Runs whose fitted lines coincide at the shown step (a tuned Adam and GD at the least-squares
    // line) are drawn in alternating dashes, each in its own phase over the first, and a note above
    // the plot says which ("run 3's line = run 1's").

    bool classification = false;           // labels 0/1: draw σ(w·x + b) and the decision boundary
    std::string title;
    std::string x_label = "x", y_label = "y";  // axis names: the CSV's column names, P(y = 1) for labels
    // The rows' extent in their own units (computed once with the data; absent: computed here).
    std::optional<ViewRect> bounds;
    // With it, the points are drawn as the picture it returns (no texture: as circles, as pictures are).
    std::function<ImTextureID(const PointsImageRequest&)> points_image;
};

// The plot's data rectangle for rows of extent `bounds`: margins around them (labels 0/1: −0.1 to 1.1).
ViewRect data_view_rect(const ViewRect& bounds, bool classification);
// The rows' extent (min and max of x and of y).
ViewRect data_bounds(const Dataset& data);
// The radius of a row's disc for a font of `font` pixels.
inline float point_radius(float font) { return font * 0.28f; }

// (w, b) of a fit on standardised x, as slope and intercept in the data's own units.
Eigen::Vector2d to_data_units(const Eigen::Vector2d& wb, bool standardized, const Standardization& s);

void draw_data_view(const DataViewInput& input, ImVec2 size);

}  // namespace optiviz::ui
