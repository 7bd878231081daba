#include "core/presentation/orbit_camera.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Geometry>

namespace optiviz {

Eigen::Vector3d OrbitCamera::eye() const {
    const double c = std::cos(pitch);
    return target + distance * Eigen::Vector3d(c * std::sin(yaw), -c * std::cos(yaw), std::sin(pitch));
}

Eigen::Matrix4d OrbitCamera::view() const {
    const Eigen::Vector3d e = eye();
    const Eigen::Vector3d f = (target - e).normalized();
    const Eigen::Vector3d r = f.cross(Eigen::Vector3d::UnitZ()).normalized();
    const Eigen::Vector3d u = r.cross(f);
    Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
    m.block<1, 3>(0, 0) = r.transpose();
    m.block<1, 3>(1, 0) = u.transpose();
    m.block<1, 3>(2, 0) = -f.transpose();
    m(0, 3) = -r.dot(e);
    m(1, 3) = -u.dot(e);
    m(2, 3) = f.dot(e);
    return m;
}

Eigen::Matrix4d OrbitCamera::projection(double aspect) const {
    const double near_plane = 0.05, far_plane = 200.0;
    const double f = 1.0 / std::tan(fov_y / 2);
    Eigen::Matrix4d p = Eigen::Matrix4d::Zero();
    p(0, 0) = f / aspect;
    p(1, 1) = f;
    p(2, 2) = (far_plane + near_plane) / (near_plane - far_plane);
    p(2, 3) = 2 * far_plane * near_plane / (near_plane - far_plane);
    p(3, 2) = -1;
    return p;
}

bool OrbitCamera::project(const Eigen::Vector3d& point, double width, double height, Eigen::Vector3d& pixel) const {
    const Eigen::Vector4d clip = projection(width / height) * view() * point.homogeneous();
    if (clip.w() <= 1e-9) return false;
    const Eigen::Vector3d ndc = clip.head<3>() / clip.w();
    pixel = {(ndc.x() + 1) / 2 * width, (1 - ndc.y()) / 2 * height, (ndc.z() + 1) / 2};
    return true;
}

void OrbitCamera::orbit(double d_yaw, double d_pitch) {
    yaw += d_yaw;
    pitch = std::clamp(pitch + d_pitch, 0.05, 1.5);
}

void OrbitCamera::zoom(double factor) { distance = std::clamp(distance * factor, 0.5, 50.0); }

void OrbitCamera::pan(double dx, double dy) {
    const Eigen::Vector3d f = (target - eye()).normalized();
    const Eigen::Vector3d r = f.cross(Eigen::Vector3d::UnitZ()).normalized();
    const Eigen::Vector3d u = r.cross(f);
    target += dx * r + dy * u;
}

}  // namespace optiviz
