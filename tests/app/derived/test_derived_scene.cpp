// The application's derived results: jobs that never take the process down, cancellation that
// works, keys that recompute what changed and nothing else, and edits that are refused whole.
#include "support/catch.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "app/app_state.h"
#include "app/derived/derived_scene.h"
#include "app/derived/job.h"
#include "core/analysis/particle_cloud.h"
#include "ui/overlays/particle_cloud.h"

using namespace optiviz;

namespace {

// Polls `done` until it holds or `seconds` pass (a bound for a hang, not a speed test).
template <class Done>
bool eventually(Done done, double seconds = 20) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

Scene regression_scene(long steps) {
    Scene scene = default_scene();
    scene.surface = "mse";
    scene.data.kind = DatasetChoice::Kind::Synthetic;
    scene.data.synthetic.rows = 1000;
    scene.runs = {parse_run_spec("sgd:lr=0.01", 0), parse_run_spec("adam:lr=0.05,batch_size=1000", 1)};
    scene.steps = steps;
    scene.start = {0, 0};
    return scene;
}

}  // namespace

TEST_CASE("a job's failure is a message, whatever it throws", "[app][jobs]") {
    app::Job<int> job;
    job.start([](const std::atomic<bool>&, std::atomic<long>&) -> int { throw std::runtime_error("no luck"); });
    job.wait_for(std::chrono::seconds(20));
    auto outcome = job.take();
    REQUIRE(outcome);
    CHECK_FALSE(outcome->result);
    CHECK(outcome->error == "no luck");
    job.start([](const std::atomic<bool>&, std::atomic<long>&) -> int { throw 42; });
    job.wait_for(std::chrono::seconds(20));
    outcome = job.take();
    REQUIRE(outcome);
    CHECK(outcome->error.find("failed") != std::string::npos);
    job.start([](const std::atomic<bool>&, std::atomic<long>& progress) { progress = 7; return 5; }, 10);
    job.wait_for(std::chrono::seconds(20));
    outcome = job.take();
    REQUIRE(outcome);
    CHECK(*outcome->result == 5);
    CHECK_FALSE(job.take());  // taken once
}

TEST_CASE("cancelled work stops and its thread is joined without anyone waiting for it", "[app][jobs]") {
    app::Job<int> job;
    std::atomic<bool> began{false}, noticed{false};
    job.start([&](const std::atomic<bool>& cancel, std::atomic<long>&) {
        began = true;
        while (!cancel) std::this_thread::sleep_for(std::chrono::microseconds(100));
        noticed = true;
        return 1;
    });
    CHECK(job.pending());
    // Work that has not begun is withdrawn on cancel and never runs (tests/app/derived/test_job.cpp): this
    // test is about work that has.
    REQUIRE(eventually([&] { return began.load(); }));
    job.cancel();  // returns at once: the work stops on its own
    CHECK_FALSE(job.pending());
    CHECK(eventually([&] { return noticed.load(); }));
    // A new start joins the finished, cancelled thread; its result is never taken.
    job.start([](const std::atomic<bool>&, std::atomic<long>&) { return 2; });
    job.wait_for(std::chrono::seconds(20));
    CHECK(job.threads() <= 2);
    auto outcome = job.take();
    REQUIRE(outcome);
    CHECK(*outcome->result == 2);
    CHECK(job.threads() == 0);
}

namespace {

// A bowl that raises the cancel flag itself at its N-th evaluation and counts every evaluation, so the
// test can see how many steps a run takes after being told to stop (no clocks involved).
class CancellingBowl : public LossSurface {
public:
    CancellingBowl(std::atomic<bool>& cancel, long at) : cancel_(cancel), at_(at) {}
    std::string_view name() const override { return "cancelling-bowl"; }
    void evaluate(PointsView points, LossAndGradient out) const override {
        if (++calls_ == at_) cancel_ = true;
        for (std::size_t i = 0; i < points.count; ++i) {
            out.loss[i] = points.x[i] * points.x[i] + points.y[i] * points.y[i];
            out.gx[i] = 2 * points.x[i];
            out.gy[i] = 2 * points.y[i];
        }
    }
    std::vector<Eigen::Vector2d> minima() const override { return {{0, 0}}; }
    ViewRect default_view() const override { return {-1, 1, -1, 1}; }
    long calls() const { return calls_; }

private:
    std::atomic<bool>& cancel_;
    long at_;
    mutable long calls_ = 0;
};

}  // namespace

TEST_CASE("a run stops within 256 steps of being cancelled, not at the end of its steps", "[app][jobs]") {
    std::atomic<bool> cancel{false};
    const CancellingBowl bowl(cancel, 1000);
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper["lr"] = 1e-9;  // barely moves: nothing converges or diverges
    config.steps = 1'000'000;
    CHECK_THROWS_WITH(run_trajectory(bowl, config, {0.5, 0.5}, &cancel), "cancelled");
    CHECK(bowl.calls() >= 1000);
    CHECK(bowl.calls() <= 1000 + 256);
}

TEST_CASE("a run checks its cancel flag within a few hundred steps", "[app][jobs]") {
    Scene scene = default_scene();
    std::atomic<bool> cancel{true};
    RunConfig config = scene.runs[0].config;
    config.steps = 1'000'000;
    const auto surface = app::build_surface(scene).surface;
    // Already cancelled: it throws instead of running a million steps and returning them.
    CHECK_THROWS_WITH(run_trajectory(*surface, config, scene.start, &cancel), "cancelled");
    CHECK_THROWS_WITH(run_cloud(*surface, config, scene.start, 3, 0.1, &cancel), "cancelled");
    cancel = false;
    config.steps = 300;
    CHECK(run_trajectory(*surface, config, scene.start, &cancel).size() == 301);
}

TEST_CASE("a run that fails on a worker thread is a message on that run; the others are fine", "[app][jobs]") {
    // Run 2's cloud needs more memory than the budget: its job throws on its worker thread.
    Scene scene = default_scene();
    scene.steps = 30'000;
    app::AppState state(scene);
    // A scene file is validated; an edit reaches the job as it is (1024 x 30 001 rows: 1229 MB).
    ui::set_particle_cloud(state.scene(), {1024, 0.1, 1});
    state.finish();
    CHECK(state.run_error(0).empty());
    REQUIRE(state.trajectory(0) != nullptr);
    CHECK(state.trajectory(0)->size() == 30'001);
    CHECK(state.run_error(1).find("the cloud: 30000 steps x 1024 particles") != std::string::npos);
    CHECK(state.first_run_error().rfind("run 2 (", 0) == 0);
    CHECK(state.cloud(1) == nullptr);
    // Fixing the setting brings the cloud back.
    ui::set_particle_cloud(state.scene(), {4, 0.1, 1});
    state.finish();
    CHECK(state.run_error(1).empty());
    REQUIRE(state.cloud(1) != nullptr);
    CHECK(state.cloud(1)->size() == 4);
}

TEST_CASE("only the runs whose key changed are recomputed", "[app][keys]") {
    Scene scene = default_scene();
    scene.steps = 500;
    app::AppState state(scene);
    state.finish();
    std::vector<const Trajectory*> before;
    for (std::size_t i = 0; i < scene.runs.size(); ++i) before.push_back(state.trajectory(i));
    // Drawing-only edits: colour, label, visibility, view, camera, playback.
    state.scene().runs[1].color = 0x010203;
    state.scene().runs[1].label = "renamed";
    state.scene().runs[2].visible = false;
    state.set_view({-1, 1, -1, 1});
    state.scene().camera.yaw = 2;
    state.playback.step = 3;
    state.finish();
    for (std::size_t i = 0; i < scene.runs.size(); ++i) CHECK(state.trajectory(i) == before[i]);
    // One run's learning rate: that run only.
    state.scene().runs[3].config.hyper["lr"] = 0.0123;
    state.finish();
    for (std::size_t i = 0; i < scene.runs.size(); ++i) CHECK((state.trajectory(i) == before[i]) == (i != 3));
    // Removing a run keeps the others' results (they move with their runs).
    const Trajectory* fifth = state.trajectory(4);
    state.scene().runs.erase(state.scene().runs.begin() + 1);
    state.finish();
    CHECK(state.trajectory(3) == fifth);
    // The start changes every run.
    const Trajectory* first = state.trajectory(0);
    state.set_start({0.5, 0.5});
    state.finish();
    CHECK(state.trajectory(0) != first);
    CHECK(state.trajectory(0)->x[0] == 0.5);
}

TEST_CASE("a data file is keyed by its stat, not read again every frame", "[app][keys]") {
    const std::string path = "optiviz_test_keyed.csv";
    {
        std::ofstream file(path);
        file << "x,y\n0,1\n1,3\n2,5\n3,7\n";
    }
    Scene scene = regression_scene(50);
    scene.runs.pop_back();
    scene.data.kind = DatasetChoice::Kind::File;
    scene.data.path = path;
    app::AppState state(scene);
    state.finish();
    const auto surface = state.shared_surface();
    for (int frame = 0; frame < 5; ++frame) state.refresh();
    CHECK(state.shared_surface() == surface);  // same object: nothing was re-read
    // New content (a different size) is noticed and loaded.
    {
        std::ofstream file(path);
        file << "x,y\n0,1\n1,3\n2,5\n3,7\n4,9\n";
    }
    state.finish();
    CHECK(state.shared_surface() != surface);
    CHECK(state.original_data()->size() == 5);
    std::remove(path.c_str());
}

TEST_CASE("a data edit that fails is refused: scene, picture and saved file agree", "[app][keys]") {
    const std::string bad = "optiviz_test_labels.csv";
    {
        std::ofstream file(bad);
        file << "x,y\n0,0\n1,2\n2,1\n";  // a 2 is not a class label
    }
    Scene scene = default_scene();
    scene.surface = "logistic";
    scene.runs = {parse_run_spec("sgd:lr=0.5", 0)};
    scene.steps = 40;
    app::AppState state(scene);
    state.finish();
    const auto surface = state.shared_surface();
    const DatasetChoice good = state.scene().data;
    state.scene().data.kind = DatasetChoice::Kind::File;
    state.scene().data.path = bad;
    state.finish();
    CHECK(state.panel.message_is_error);
    CHECK(state.panel.message.find(bad) != std::string::npos);
    CHECK(state.scene().data == good);            // the scene went back...
    CHECK(state.shared_surface() == surface);     // ...to what the picture shows
    // Later edits apply as usual.
    state.scene().steps = 50;
    state.finish();
    REQUIRE(state.trajectory(0) != nullptr);
    CHECK(state.trajectory(0)->size() == 51);
    // And the saved scene loads.
    const std::string saved = "optiviz_test_refused.json";
    REQUIRE(state.save_scene_file(saved));
    app::AppState loaded(default_scene());
    CHECK(loaded.load_scene_file(saved));
    CHECK(loaded.scene().data == good);
    std::remove(saved.c_str());
    std::remove(bad.c_str());
}

TEST_CASE("a slow run keeps the previous picture until the new one is ready", "[app][jobs]") {
    Scene scene = regression_scene(1'000'000);
    scene.runs.pop_back();
    scene.runs[0].config.batch_size = 100;  // mini-batches: every step costs real work
    scene.steps = 2000;
    app::AppState state(scene);
    state.finish();
    const Trajectory* shown = state.trajectory(0);
    REQUIRE(shown != nullptr);
    state.scene().steps = 150000;  // ~seconds of work
    state.refresh(std::chrono::milliseconds(1));
    CHECK(state.run_pending(0));
    CHECK(state.trajectory(0) == shown);  // still the old path, not nothing
    // Changing it again cancels the stale work instead of waiting for it.
    state.scene().steps = 300;
    state.finish();
    REQUIRE(state.trajectory(0) != nullptr);
    CHECK(state.trajectory(0)->size() == 301);
    CHECK(eventually([&] {
        state.refresh();
        return state.derived().threads() == 0;
    }));
}

TEST_CASE("your own f(x, y) is part of the surface key; a malformed one is refused with its position", "[app][keys]") {
    Scene scene = default_scene();
    scene.steps = 50;
    app::AppState state(scene);
    state.finish();
    state.scene().surface = "expr";
    state.scene().expression = "x^2 + 3*y^2";
    state.finish();
    REQUIRE(state.run_error(0).empty());
    CHECK(state.surface().value(1.0, 1.0) == 4.0);
    const auto good = state.shared_surface();
    state.scene().expression = "x^2 + 3*)";
    state.finish();
    CHECK(state.panel.message_is_error);
    CHECK(state.panel.message.find("position 9") != std::string::npos);
    CHECK(state.scene().expression == "x^2 + 3*y^2");  // refused: back to the function on screen
    CHECK(state.shared_surface() == good);
    state.scene().expression = "x^2 + y^2";
    state.finish();
    CHECK(state.surface().value(1.0, 1.0) == 2.0);
}

namespace {

// A bowl whose evaluations on worker threads wait until the test opens the gate (or 20 s pass), and
// which notes any evaluation made on the thread that created it (the UI thread here) instead of waiting.
class GatedBowl : public LossSurface {
public:
    std::string_view name() const override { return "gated-bowl"; }
    void evaluate(PointsView points, LossAndGradient out) const override {
        if (std::this_thread::get_id() == owner_) {
            on_owner_ = true;
        } else {
            // Bounded (then open for good), so a broken app fails instead of hanging.
            if (!eventually([&] { return open_.load(); })) open_ = true;
        }
        for (std::size_t i = 0; i < points.count; ++i) {
            out.loss[i] = points.x[i] * points.x[i] + points.y[i] * points.y[i];
            out.gx[i] = 2 * points.x[i];
            out.gy[i] = 2 * points.y[i];
        }
    }
    std::vector<Eigen::Vector2d> minima() const override { return {{0, 0}}; }
    ViewRect default_view() const override { return {-1, 1, -1, 1}; }
    void open() const { open_ = true; }
    bool evaluated_on_owner() const { return on_owner_; }

private:
    std::thread::id owner_ = std::this_thread::get_id();
    mutable std::atomic<bool> open_{false}, on_owner_{false};
};

}  // namespace

TEST_CASE("clouds are computed by a background job, never on the thread that updates the scene", "[app][jobs][cloud]") {
    Scene scene = default_scene();
    scene.steps = 50;
    scene.runs.resize(1);
    ui::set_particle_cloud(scene, {20, 0.1, 0});
    const auto bowl = std::make_shared<const GatedBowl>();
    app::DerivedScene derived;
    derived.set_surface(scene, {bowl, nullptr, nullptr, {}, {}});
    CHECK(derived.update(scene));  // returns with the work started, the gate still closed
    CHECK(derived.cloud(0).pending());
    CHECK(derived.cloud(0).value() == nullptr);
    bowl->open();
    derived.wait();
    CHECK_FALSE(bowl->evaluated_on_owner());
    REQUIRE(derived.cloud(0).value() != nullptr);
    const std::vector<Trajectory>& cloud = *derived.cloud(0).value();
    REQUIRE(cloud.size() == 20);
    RunConfig config = app::run_config(scene, 0);
    config.record_state = false;
    const auto starts = cloud_starts(scene.start, 20, 0.1);
    for (std::size_t k = 0; k < cloud.size(); ++k) {
        config.seed = scene.runs[0].config.seed + k + 1;
        CHECK(cloud[k].x == run_trajectory(*bowl, config, starts[k]).x);  // on this thread, after the fact
    }
}
