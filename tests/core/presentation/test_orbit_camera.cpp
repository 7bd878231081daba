#include "support/catch.h"

#include <cmath>

#include <Eigen/Geometry>

#include "core/presentation/orbit_camera.h"

using namespace optiviz;

TEST_CASE("the orbit camera keeps its distance and looks at its target", "[camera]") {
    OrbitCamera c;
    CHECK((c.eye() - c.target).norm() == Approx(c.distance));
    c.orbit(0.7, 0.3);
    CHECK((c.eye() - c.target).norm() == Approx(c.distance));
    Eigen::Vector3d pixel;
    REQUIRE(c.project(c.target, 800, 600, pixel));
    CHECK(pixel.x() == Approx(400));  // the target is at the centre of the picture
    CHECK(pixel.y() == Approx(300));
    CHECK(pixel.z() > 0);
    CHECK(pixel.z() < 1);
    // The view matrix maps the eye to the origin and the target onto −z.
    const Eigen::Vector4d eye = c.view() * c.eye().homogeneous();
    CHECK(eye.head<3>().norm() < 1e-12);
    const Eigen::Vector4d target = c.view() * c.target.homogeneous();
    CHECK(target.z() == Approx(-c.distance));
    CHECK(std::abs(target.x()) < 1e-12);
}

TEST_CASE("orbit, zoom and pan behave and stay in range", "[camera]") {
    OrbitCamera c;
    c.orbit(0, 10);
    CHECK(c.pitch == 1.5);  // never past straight down
    c.orbit(0, -10);
    CHECK(c.pitch == 0.05);  // never below the horizon
    const double d = c.distance;
    c.zoom(0.5);
    CHECK(c.distance == Approx(d / 2));
    c.zoom(1e-6);
    CHECK(c.distance == 0.5);
    // Panning right moves the target to the camera's right: it then projects left of centre.
    OrbitCamera p;
    const Eigen::Vector3d old_target = p.target;
    p.pan(0.3, 0);
    Eigen::Vector3d pixel;
    REQUIRE(p.project(old_target, 800, 600, pixel));
    CHECK(pixel.x() < 400);
    CHECK(pixel.y() == Approx(300).margin(1e-6));
    // Nearer points are nearer in depth; points behind the camera do not project.
    OrbitCamera q;
    Eigen::Vector3d near_px, far_px;
    const Eigen::Vector3d toward = (q.eye() - q.target).normalized();
    REQUIRE(q.project(q.target + toward, 800, 600, near_px));
    REQUIRE(q.project(q.target - toward, 800, 600, far_px));
    CHECK(near_px.z() < far_px.z());
    CHECK_FALSE(q.project(q.eye() + toward, 800, 600, near_px));
}
