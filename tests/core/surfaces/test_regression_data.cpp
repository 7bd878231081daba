// Regression teaching data: Anscombe's quartet, the synthetic generator, standardisation, and the
// optimum the runs should reach.
#include "support/catch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include "core/surfaces/logistic_surface.h"
#include "core/surfaces/mse_surface.h"
#include "core/scene/scene.h"
#include "core/optimizers/simulation.h"

using namespace optiviz;

TEST_CASE("Anscombe's four datasets share their least-squares line", "[data]") {
    for (int which = 1; which <= 4; ++which) {
        INFO("Anscombe " << which);
        const MseSurface s(std::make_shared<const Dataset>(anscombe_dataset(which)));
        REQUIRE(s.row_count() == 11);
        CHECK(s.stats().mean_x == Approx(9.0));
        CHECK(s.stats().mean_y == Approx(7.50).margin(0.01));
        const Eigen::Vector2d fit = s.minima().front();
        CHECK(fit.x() == Approx(0.500).margin(0.001));
        CHECK(fit.y() == Approx(3.00).margin(0.01));
    }
    CHECK_THROWS_WITH(anscombe_dataset(5), Catch::Contains("1 to 4"));
}

TEST_CASE("standardising x makes the landscape round and maps back to the same line", "[data]") {
    SyntheticDatasetSpec spec;
    spec.x_offset = 20.0;  // unscaled features: a long, narrow valley
    spec.rows = 200;
    const Dataset raw = make_synthetic_dataset(spec);
    const Dataset z = standardize(raw);
    const Standardization st = standardization_of(raw);
    const MseSurface a(std::make_shared<const Dataset>(raw)), b(std::make_shared<const Dataset>(z));
    CHECK(b.stats().mean_x == Approx(0.0).margin(1e-12));
    CHECK(b.stats().var_x == Approx(1.0));
    // Condition number of the Hessian 2·[[E x², E x],[E x, 1]]: huge before, 1 after.
    auto condition = [](const RegressionStats& s) {
        const double exx = s.var_x + s.mean_x * s.mean_x, ex = s.mean_x;
        const double tr = exx + 1, det = exx - ex * ex;
        const double root = std::sqrt(tr * tr / 4 - det);
        return (tr / 2 + root) / (tr / 2 - root);
    };
    CHECK(condition(a.stats()) > 100);
    CHECK(condition(b.stats()) == Approx(1.0));
    // The standardised fit is the same line in the data's units.
    const Eigen::Vector2d w = b.minima().front();
    CHECK(w.x() / st.sd == Approx(a.minima().front().x()).epsilon(1e-9));
    CHECK(w.y() - w.x() * st.mean / st.sd == Approx(a.minima().front().y()).epsilon(1e-9));
}

TEST_CASE("gradient descent on the MSE reaches the closed-form least-squares solution", "[data]") {
    const MseSurface s(std::make_shared<const Dataset>(anscombe_dataset(1)));
    RunConfig config;
    config.hyper = {{"lr", 0.01}, {"momentum", 0.9}};
    config.steps = 20000;
    const Trajectory t = run_trajectory(s, config, {0.0, 0.0});
    const Eigen::Vector2d fit = s.minima().front();
    CHECK(t.x.back() == Approx(fit.x()).epsilon(1e-6));
    CHECK(t.y.back() == Approx(fit.y()).epsilon(1e-6));
}

TEST_CASE("synthetic outliers and dataset choices in scenes", "[data]") {
    SyntheticDatasetSpec spec;
    spec.outliers = 3;
    spec.outlier_size = 25;
    const Dataset with = make_synthetic_dataset(spec);
    spec.outliers = 0;
    const Dataset without = make_synthetic_dataset(spec);
    int moved = 0;
    for (std::size_t i = 0; i < with.size(); ++i) moved += std::abs(with.y[i] - without.y[i]) > 20;
    CHECK(moved == 3);
    spec.outliers = 1000;
    CHECK_THROWS_WITH(make_synthetic_dataset(spec), Catch::Contains("more outliers than rows"));

    Scene scene = default_scene();
    scene.surface = "mse";
    scene.data.kind = DatasetChoice::Kind::Synthetic;
    scene.data.synthetic.rows = 77;
    scene.data.synthetic.x_offset = 5;
    scene.data.standardize = true;
    const Scene back = scene_from_json(scene_to_json(scene), "s.json");
    CHECK(back.data.kind == DatasetChoice::Kind::Synthetic);
    CHECK(back.data.synthetic.rows == 77);
    CHECK(back.data.synthetic.x_offset == 5);
    CHECK(back.data.standardize);
    scene.data.kind = DatasetChoice::Kind::Anscombe;
    scene.data.anscombe = 3;
    CHECK(scene_from_json(scene_to_json(scene), "s.json").data.load().y[2] == 12.74);
}

TEST_CASE("scenes carry small data files inline and pin large ones by checksum", "[data][scene]") {
    const std::string small = "optiviz_test_small.csv", large = "optiviz_test_large.csv";
    {
        std::ofstream f(small);
        f << "id,a,b\n1,0.5,1.5\n2,1.5,2.0\n3,2.5,4.5\n";
        std::ofstream g(large);
        g << "x,y\n";
        for (int i = 0; i < 3000; ++i) g << i * 0.01 << "," << (2 * i * 0.01 + 1) << "\n";
    }
    Scene scene = default_scene();
    scene.surface = "mse";
    scene.data.kind = DatasetChoice::Kind::File;
    scene.data.path = small;
    scene.data.columns = {"a", "b"};
    const Scene back = scene_from_json(scene_to_json(scene), "s.json");
    CHECK(back.data.kind == DatasetChoice::Kind::Inline);
    CHECK(back.data.load().x == std::vector<double>{0.5, 1.5, 2.5});
    CHECK(back.data.load().y == std::vector<double>{1.5, 2.0, 4.5});

    scene.data.path = large;
    scene.data.columns = {};
    const Scene pinned = scene_from_json(scene_to_json(scene), "s.json");
    CHECK(pinned.data.kind == DatasetChoice::Kind::File);
    CHECK(pinned.data.checksum == file_checksum(large));
    CHECK(pinned.data.load().size() == 3000);
    std::ofstream(large, std::ios::app) << "30,61\n";  // the file changes after saving
    CHECK_THROWS_WITH(pinned.data.load(), Catch::Contains("changed since the scene was saved"));
    std::remove(small.c_str());
    std::remove(large.c_str());
}

TEST_CASE("the logistic loss: labels, optimum, separable data and mini-batches", "[data][logistic]") {
    Dataset d;
    d.x = {-2, -1, -0.5, 0, 0.5, 1, 2, 0.2};
    d.y = {0, 0, 1, 0, 1, 1, 1, 0};
    const LogisticSurface s(std::make_shared<const Dataset>(d));
    REQUIRE(s.minima().size() == 1);
    const Eigen::Vector2d m = s.minima().front();
    CHECK(s.gradient(m.x(), m.y()).norm() < 1e-10);
    // The loss at (0, 0) is log 2 whatever the data.
    CHECK(s.value(0, 0) == Approx(std::log(2.0)));
    // Labels must be 0/1 and both present.
    Dataset bad = d;
    bad.y[3] = 0.5;
    CHECK_THROWS_WITH(LogisticSurface(std::make_shared<const Dataset>(bad)), "logistic: labels must be 0 or 1, row 4 has 0.500000");
    Dataset one_class = d;
    std::fill(one_class.y.begin(), one_class.y.end(), 1.0);
    CHECK_THROWS_WITH(LogisticSurface(std::make_shared<const Dataset>(one_class)), Catch::Contains("both labels"));
    // Separable classes have no minimum: the loss keeps falling as |w| grows.
    Dataset separable;
    separable.x = {-2, -1, 1, 2};
    separable.y = {0, 0, 1, 1};
    CHECK(LogisticSurface(std::make_shared<const Dataset>(separable)).minima().empty());
    // An epoch of mini-batch gradients, weighted by batch size, is the full gradient.
    const auto plan = s.plan_minibatches(3, 9, 3);  // 8 rows: batches of 3, 3, 2
    double w = 0.4, b = -0.2, gx_sum = 0, gy_sum = 0;
    const double sizes[] = {3, 3, 2};
    for (long t = 0; t < 3; ++t) {
        double f, gx, gy;
        s.evaluate_minibatch(*plan, t, {1, &w, &b}, {&f, &gx, &gy});
        gx_sum += gx * sizes[t];
        gy_sum += gy * sizes[t];
    }
    CHECK(gx_sum / 8 == Approx(s.gradient(w, b).x()).epsilon(1e-12));
    CHECK(gy_sum / 8 == Approx(s.gradient(w, b).y()).epsilon(1e-12));
}
