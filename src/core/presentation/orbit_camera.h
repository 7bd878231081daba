// An orbit camera for the 3-D surface view: it circles a target point at a distance, looking at it,
// with yaw about the vertical axis and pitch above the horizon. Model space: the view rectangle
// maps to x, y ∈ [−1, 1], height z ∈ [0, height_scale]; z is up.
#pragma once

#include <Eigen/Core>

namespace optiviz {

struct OrbitCamera {
    double yaw = -0.6;       // radians, about +z (0 looks along +y)
    double pitch = 0.75;     // radians above the horizon, kept in (0.05, 1.5)
    double distance = 4.6;   // from the target, kept in [0.5, 50]
    Eigen::Vector3d target{0.0, 0.0, 0.15};
    double fov_y = 0.7;      // vertical field of view, radians
    bool operator==(const OrbitCamera& o) const {
        return yaw == o.yaw && pitch == o.pitch && distance == o.distance && target == o.target && fov_y == o.fov_y;
    }

    Eigen::Vector3d eye() const;
    Eigen::Matrix4d view() const;                         // world → camera (right-handed, looking down −z)
    Eigen::Matrix4d projection(double aspect) const;      // perspective, OpenGL clip space
    // World point → pixel in a viewport of width × height (y down), with depth in [0, 1];
    // returns false if the point is behind the camera.
    bool project(const Eigen::Vector3d& point, double width, double height, Eigen::Vector3d& pixel) const;

    void orbit(double d_yaw, double d_pitch);  // clamps pitch
    void zoom(double factor);                  // distance × factor, clamped
    void pan(double dx, double dy);            // moves the target in the camera's screen plane (world units)
};

}  // namespace optiviz
