// Contour lines of a sampled field as polylines (marching squares), for pictures that draw the
// map's contours as vectors. The window draws the same lines in the heatmap shader
// (shaders/heatmap.frag), at the same levels.
#pragma once

#include <vector>

#include <Eigen/Core>

namespace optiviz {

// The map's contour lines: this many per full colour range (levels k / kContourLevels of the
// normalized field, 0 < k < kContourLevels), white at this opacity.
inline constexpr int kContourLevels = 14;
inline constexpr float kContourOpacity = 0.35f;

// The iso-lines `value == level` of `values` (width × height samples, row-major, row 0 first).
// Samples below 0 mean "no value" (not finite): cells touching one get no line. Points are in grid
// coordinates: (column, row), sample (c, r) at exactly (c, r), linearly interpolated along cell
// edges. Lines that close are returned with their first point repeated at the end. Saddle cells are
// resolved by the mean of their four corners.
std::vector<std::vector<Eigen::Vector2d>> contour_lines(const std::vector<float>& values, int width, int height,
                                                        double level);

}  // namespace optiviz
