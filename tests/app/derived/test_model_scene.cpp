// The model surface in the app (app/derived/model_scene.h): runs train in full parameter space as keyed
// background stages, the picture is the loss on the plane with the paths projected onto it, a
// slider move retrains, and the views get the plane's axes and the test loss.
#include "support/catch.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/app_state.h"
#include "app/derived/view_inputs.h"
#include "core/models/loss_plane.h"
#include "core/models/model_presets.h"
#include "core/models/plane_surface.h"
#include "core/models/snapshot_log.h"
#include "core/models/training.h"
#include "core/presentation/color_scale.h"
#include "core/presentation/number_text.h"
#include "core/surfaces/surface_registry.h"
#include "support/headless_imgui.h"
#include "ui/views/landscape_view.h"
#include "core/scene/presets.h"

using namespace optiviz;
using namespace optiviz::app;

namespace {

Scene small_model_scene(const std::string& plane = "pca") {
    Scene scene = models::model_scene();
    scene.model.dataset = "iris";
    scene.model.model = "mlp:hidden=4,activation=tanh";
    scene.model.plane = plane;
    scene.steps = 30;
    scene.runs.resize(3);
    return scene;
}

}  // namespace

TEST_CASE("Model scene: every run trains and shows projected on one plane", "[models][model_scene]") {
    AppState state(small_model_scene());
    state.finish();
    REQUIRE(state.first_run_error().empty());
    const ModelScene* model = state.derived().model();
    REQUIRE(model);
    REQUIRE(model->plane());
    const auto* surface = dynamic_cast<const models::PlaneSurface*>(&state.surface());
    REQUIRE(surface);
    CHECK(surface->grid().resolution == 65);  // refined after the first 17 × 17 picture
    const models::ModelData data = models::build_model_data(state.scene().model);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        const Trajectory* path = state.trajectory(i);
        REQUIRE(path);
        REQUIRE(path->size() == 31);
        // The rows' losses are the training losses of the run itself, trained here independently.
        RunConfig config = state.scene().runs[i].config;
        config.steps = 30;
        const models::TrainingResult direct = models::train_model(data.network, data.train, &data.test, config, data.initial);
        CHECK(path->loss == direct.loss);
        // Row 30's plane coordinates are the projection of the run's last parameters.
        const models::PlaneProjection end = models::project(model->plane()->plane, direct.parameters);
        CHECK(path->x.back() == Approx(end.a).margin(1e-12));
        CHECK(path->y.back() == Approx(end.b).margin(1e-12));
        // Every run starts at the same parameters, so at the same point of the plane.
        CHECK(path->x[0] == Approx(state.trajectory(0)->x[0]).margin(1e-12));
        CHECK(state.scene().start.x() == Approx(path->x[0]).margin(1e-12));
    }
    const double share = model->plane()->plane.explained();
    CHECK(share > 0.0);
    CHECK(share <= 1.0 + 1e-12);
    // The views: the axes name the components, each run has its test-loss curve.
    const ui::LandscapeInput landscape = landscape_input(state);
    CHECK_THAT(landscape.x_label, Catch::Contains("PC1"));
    CHECK_THAT(landscape.title, Catch::Contains("of the paths' variance"));
    CHECK_THAT(landscape.runs[0].label, Catch::Contains("off plane"));
    const ui::LossPlotInput plot = loss_plot_input(state);
    REQUIRE(plot.runs.size() == 6);
    CHECK(plot.runs[3].trajectory->loss == model->result(0)->test_loss);
    CHECK_THAT(plot.runs[3].label, Catch::Contains("test"));
}

TEST_CASE("Model scene: a slider move retrains and a new picture gets a new surface key", "[models][model_scene]") {
    AppState state(small_model_scene());
    state.finish();
    const SurfaceKey before = state.keyed_surface().key;
    const std::vector<double> old_loss = state.trajectory(0)->loss;
    state.scene().runs[0].config.hyper["lr"] = 0.5;
    state.finish();
    REQUIRE(state.first_run_error().empty());
    CHECK(state.trajectory(0)->loss != old_loss);
    CHECK(state.keyed_trajectory(0).key->config.hyper.at("lr") == 0.5);
    CHECK(!(state.keyed_surface().key == before));
}

TEST_CASE("Model scene: the three-point plane holds the start and both ends", "[models][model_scene]") {
    AppState state(small_model_scene("three-points"));
    state.finish();
    REQUIRE(state.first_run_error().empty());
    const ModelScene* model = state.derived().model();
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& rows = *model->projections(i);
        CHECK(rows.front().distance < 1e-12);  // the start
        CHECK(rows.back().distance < 1e-12);   // run i's end
    }
    CHECK(std::abs(state.trajectory(0)->y.back()) < 1e-12);  // run 1's end is on the first axis
    CHECK(model->off_plane(2)->largest > 0.0);               // run 3 leaves the plane
}

TEST_CASE("Model scene: a bad choice is refused in one line and the scene round-trips", "[models][model_scene]") {
    Scene bad = small_model_scene();
    bad.model.dataset = "mnist";
    CHECK_THROWS_WITH(AppState(bad), Catch::Contains("unknown data set 'mnist'"));
    bad = small_model_scene("sideways");
    CHECK_THROWS_WITH(AppState(bad), Catch::Contains("unknown plane 'sideways'"));
    Scene scene = small_model_scene("random");
    scene.model.plane_seed = 7;
    scene.model.test_fraction = 0.3;
    CHECK(scene_from_json(scene_to_json(scene), "model.json") == scene);
}

namespace {

// Writes run `result`'s snapshots (every row) as scripts/optiviz_log.py would, every `every` rows.
std::string write_log(const std::string& name, const models::TrainingResult& result, std::size_t d, long every,
                      const std::string& meta) {
    const std::string path = (std::filesystem::temp_directory_path() / name).string();
    std::ofstream out(path);
    out << "# optiviz snapshots 1\n" << meta;
    out.precision(17);
    for (std::size_t t = 0; t < result.snapshot_rows.size(); t += static_cast<std::size_t>(every)) {
        out << t << "," << result.loss[t];
        for (std::size_t k = 0; k < d; ++k) out << "," << result.snapshots[t * d + k];
        out << "\n";
    }
    return path;
}

}  // namespace

TEST_CASE("Model scene: logged runs show on their PCA plane and with the loss when optiviz can evaluate it", "[models][model_scene]") {
    Scene scene = small_model_scene();
    const models::ModelData data = models::build_model_data(scene.model);
    const std::size_t d = data.network.parameter_count();
    std::vector<std::string> files;
    for (const char* optimizer : {"adam", "sgd"}) {
        RunConfig config;
        config.optimizer = optimizer;
        config.hyper = {{"lr", 0.05}};
        config.steps = 20;
        models::TrainingOptions options;
        options.snapshot_every = 1;
        const models::TrainingResult r = models::train_model(data.network, data.train, &data.test, config, data.initial, options);
        files.push_back(write_log(std::string("optiviz_test_") + optimizer + ".log", r, d, 2,
                                  "# dataset: iris\n# model: mlp:hidden=4,activation=tanh\n"));
    }
    scene.model.snapshots = files;
    scene.runs.resize(2);
    scene.steps = 10;
    {
        AppState state(scene);
        state.finish();
        REQUIRE(state.first_run_error().empty());
        const Trajectory* path = state.trajectory(1);
        REQUIRE(path);
        REQUIRE(path->size() == 11);  // snapshots 0, 2, ..., 20
        const models::SnapshotLog log = models::load_snapshot_log(files[1]);
        const std::span<const double> last(log.parameters.data() + 10 * d, d);
        CHECK(path->loss.back() == data.network.loss(last, {&data.train.x, &data.train.y}));
        CHECK(dynamic_cast<const models::PlaneSurface&>(state.surface()).grid().resolution == 65);
    }
    {
        Scene alone = scene;
        alone.model.dataset.clear();  // the paths alone
        AppState state(alone);
        state.finish();
        REQUIRE(state.first_run_error().empty());
        REQUIRE(state.trajectory(0));
        CHECK(dynamic_cast<const models::PlaneSurface&>(state.surface()).grid().resolution == 2);
        CHECK(state.trajectory(0)->loss.front() == models::load_snapshot_log(files[0]).loss.front());
    }
    {
        // The legend's words say what a logged run is, in the map and in the 3-D view: snapshots at
        // logged steps, with the loss only where it is known.
        Scene alone = scene;
        alone.model.dataset.clear();
        AppState state(alone);
        state.finish();
        const ui::LandscapeInput map = landscape_input(state);
        const ui::SurfaceViewInput mesh = surface_view_input(state);
        for (const std::string& words : {map.runs[0].status, mesh.runs[0].status}) {
            CHECK_THAT(words, Catch::Contains("logged: 11 snapshots, steps 0–20"));
            CHECK_THAT(words, Catch::Contains("loss " + format_number(state.trajectory(0)->loss.back(), 3)));
        }
    }
    {
        // A log without losses ("nan") and nothing to evaluate: no loss is claimed, and the field
        // under the paths is flat (no colour bar has a scale to show).
        const models::SnapshotLog log = models::load_snapshot_log(files[0]);
        models::TrainingResult unknown;
        unknown.snapshot_rows.assign(log.steps.begin(), log.steps.end());
        unknown.snapshots = log.parameters;
        unknown.loss.assign(log.rows(), std::nan(""));
        Scene alone = scene;
        alone.model.dataset.clear();
        alone.model.snapshots = {write_log("optiviz_test_noloss.log", unknown, d, 1, "")};
        alone.runs.resize(1);
        AppState state(alone);
        state.finish();
        REQUIRE(state.first_run_error().empty());
        const ui::SurfaceViewInput mesh = surface_view_input(state);
        CHECK_THAT(mesh.runs[0].status, Catch::Contains("no loss logged"));
        CHECK_THAT(mesh.runs[0].status, !Catch::Contains("loss 1"));
        // Nor does the loss plot draw the placeholder as a curve.
        const ui::LossPlotInput plot = loss_plot_input(state);
        CHECK(plot.runs[0].trajectory == nullptr);
        CHECK_THAT(plot.title, Catch::Contains("no loss logged for"));
        const FieldGrid grid = sample_field(state.surface(), state.view(), 16, 16);
        CHECK_FALSE(grid.varies());
    }
    {
        Scene wrong = scene;
        wrong.model.model = "mlp:hidden=5,activation=tanh";
        AppState state(wrong);
        state.finish();
        CHECK_THAT(state.first_run_error(), Catch::Contains("parameters, but mlp:hidden=5"));
    }
}

TEST_CASE("Model scene: a run that diverges leaves the plane and the frame to the others", "[models][model_scene]") {
    Scene scene = make_preset("network-lr-too-large");
    scene.steps = 40;
    AppState state(scene);
    state.finish();
    REQUIRE(state.first_run_error().empty());
    REQUIRE(state.derived().model()->result(2)->outcome == Outcome::Diverged);
    const ViewRect rect = dynamic_cast<const models::PlaneSurface&>(state.surface()).grid().rect;
    for (std::size_t i = 0; i < 2; ++i) {
        const Trajectory& path = *state.trajectory(i);
        for (std::size_t k = 0; k < path.size(); ++k) {
            CHECK(path.x[k] >= rect.x_min);
            CHECK(path.x[k] <= rect.x_max);
        }
    }
    // The frame is the good runs' (a few units), not the diverged path's (its last rows reach 1e4 and more).
    const Trajectory& wild = *state.trajectory(2);
    double farthest = 0;
    for (std::size_t k = 0; k < wild.size(); ++k) farthest = std::max(farthest, std::hypot(wild.x[k], wild.y[k]));
    CHECK(farthest > 10 * (rect.x_max - rect.x_min));
}

namespace {

// Brings every stage of `model` in line with `scene`, as frames do until nothing is pending.
void settle_model(ModelScene& model, const Scene& scene) {
    for (int frame = 0; frame < 100; ++frame) {
        model.update(scene);
        if (!model.busy()) return;
        model.wait();
    }
    FAIL("the model scene never settled");
}

// Run i of `scene` trained in one go, as `optiviz train` would (every row's parameters kept).
models::TrainingResult one_shot(const Scene& scene, std::size_t i) {
    const models::ModelData data = models::build_model_data(scene.model);
    RunConfig config = run_config(scene, i);
    config.record_state = false;
    models::TrainingOptions options;
    options.snapshot_every = 1;
    return models::train_model(data.network, data.train, &data.test, config, data.initial, options);
}

// What run 0 shows now is the start of the run `expected` (never another run's rows), trained with
// the settings `lr`, and as far as progress() says.
void check_shows_prefix(const ModelScene& model, const models::TrainingResult& expected, double lr) {
    const Trajectory* path = model.path(0);
    REQUIRE(path);
    const models::TrainingResult* rows = model.result(0);
    REQUIRE(rows);
    REQUIRE(model.config(0));
    CHECK(model.config(0)->hyper.at("lr") == lr);
    REQUIRE(rows->rows() >= 1);
    REQUIRE(rows->rows() <= expected.rows());
    CHECK(std::equal(rows->loss.begin(), rows->loss.end(), expected.loss.begin()));
    CHECK(std::equal(rows->snapshots.begin(), rows->snapshots.end(), expected.snapshots.begin()));
    CHECK(path->loss == rows->loss);
    CHECK(model.progress(0).rows == static_cast<long>(rows->rows()));
    CHECK(model.progress(0).total == static_cast<long>(expected.rows()));
    // Projected onto the plane shown, row by row.
    const std::size_t d = model.plane()->plane.dimension();
    const std::size_t k = path->size() - 1;
    const models::PlaneProjection p =
        models::project(model.plane()->plane, std::span<const double>(rows->snapshots.data() + k * d, d));
    CHECK(path->x[k] == Approx(p.a).margin(1e-12));
}

}  // namespace

TEST_CASE("Model scene: a slider move shows the moved run's new rows at once and never its old ones", "[models][model_scene]") {
    Scene scene = small_model_scene();
    scene.model.dataset = "digits";  // a run long enough to outlast the first frame's rows
    scene.model.model = "mlp:hidden=8,activation=tanh";
    scene.steps = 60;
    scene.runs.resize(2);
    ModelScene model;
    settle_model(model, scene);
    REQUIRE(model.plane());
    const int picture = model.revision();
    const std::vector<double> run1_before = model.result(1)->loss;

    // Frames of a drag: each moves the slider again before the run has finished.
    for (double lr : {0.3, 0.05, 0.2}) {
        CAPTURE(lr);
        scene.runs[0].config.hyper["lr"] = lr;
        const models::TrainingResult expected = one_shot(scene, 0);
        model.update(scene);  // the frame of the move: the new run's first rows, on the old plane
        check_shows_prefix(model, expected, lr);
        CHECK(model.result(1)->loss == run1_before);  // the other run does not train again
        CHECK_FALSE(model.progress(1).training);
        model.settle(std::chrono::milliseconds(5));
        model.update(scene);
        check_shows_prefix(model, expected, lr);
    }
    // Once the run is in: bit for bit the run trained in one go, then on the plane through it.
    const models::TrainingResult expected = one_shot(scene, 0);
    settle_model(model, scene);
    CHECK_FALSE(model.progress(0).training);
    REQUIRE(model.result(0));
    CHECK(model.result(0)->loss == expected.loss);
    CHECK(model.result(0)->snapshots == expected.snapshots);
    CHECK(model.result(0)->parameters == expected.parameters);
    CHECK(model.revision() > picture);
    CHECK(model.plane_key()->configs[0].hyper.at("lr") == 0.2);
    CHECK(model.path(0)->size() == 61);
}

TEST_CASE("Model scene: a slider moved back shows the rows it already has", "[models][model_scene]") {
    Scene scene = small_model_scene();
    ModelScene model;
    settle_model(model, scene);
    const std::vector<double> before = model.result(0)->loss;
    const double lr = scene.runs[0].config.hyper.at("lr");
    scene.runs[0].config.hyper["lr"] = 0.9;
    model.update(scene);
    CHECK(model.config(0)->hyper.at("lr") == 0.9);
    scene.runs[0].config.hyper["lr"] = lr;  // back before it finished (or after: the same)
    model.update(scene);
    REQUIRE(model.result(0));
    CHECK(model.result(0)->loss == before);
    CHECK(model.config(0)->hyper.at("lr") == lr);
    CHECK_FALSE(model.progress(0).training);
}

TEST_CASE("Model scene: a slider moved back after the moved run finished shows the plane's rows without training", "[models][model_scene]") {
    Scene scene = small_model_scene();
    ModelScene model;
    settle_model(model, scene);
    const models::TrainingResult* held = model.result(0);
    REQUIRE(held);
    const std::vector<double> before = held->loss;
    const double lr = scene.runs[0].config.hyper.at("lr");
    scene.runs[0].config.hyper["lr"] = 0.9;
    model.update(scene);
    model.wait();  // the moved run is in; its plane is not asked for until the next frame
    scene.runs[0].config.hyper["lr"] = lr;
    model.update(scene);
    // The very rows the plane was computed through, not a second training of the same settings.
    CHECK(model.result(0) == held);
    CHECK(model.result(0)->loss == before);
    CHECK_FALSE(model.progress(0).training);
    CHECK_FALSE(model.busy());
}

TEST_CASE("Model scene: a moved run that is in before its plane shows its own rows and not the plane's old path", "[models][model_scene]") {
    Scene scene = small_model_scene();
    ModelScene model;
    settle_model(model, scene);
    scene.runs[0].config.hyper["lr"] = 0.7;
    const models::TrainingResult expected = one_shot(scene, 0);
    model.update(scene);
    model.settle(std::chrono::hours(1));  // the run is in; the plane through it is not asked for yet
    check_shows_prefix(model, expected, 0.7);
    model.update(scene);  // asks for that plane: the old one still shows, with the whole new run on it
    check_shows_prefix(model, expected, 0.7);
    CHECK(model.result(0)->loss == expected.loss);
    CHECK_FALSE(model.progress(0).training);
}

TEST_CASE("Model views: each row's distance from the plane in its tooltip and the far rows faint", "[models][model_scene]") {
    Scene scene = make_preset("network-lr-too-large");  // lr 3's path leaves the PCA plane
    scene.steps = 60;
    AppState state(scene);
    state.finish();
    const ModelScene* model = state.derived().model();
    const ui::LandscapeInput input = landscape_input(state);
    bool some_faint = false;
    for (std::size_t i = 0; i < 2; ++i) {
        CAPTURE(i);
        const ui::RunView& view = input.runs[i];
        const std::vector<models::PlaneProjection>& rows = *model->projections(i);
        REQUIRE(view.point_notes.size() == rows.size());
        // The run's travel, from its own first and last parameters.
        const models::TrainingResult& r = *model->result(i);
        const std::size_t d = r.parameters.size();
        double travel = 0;
        for (std::size_t j = 0; j < d; ++j) travel += std::pow(r.parameters[j] - r.snapshots[j], 2);
        travel = std::sqrt(travel);
        bool run_far = false;
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const bool far = rows[k].distance > 0.25 * travel;
            CHECK_THAT(view.point_notes[k], Catch::Contains("off the plane by " + format_number(rows[k].distance, 3)));
            if (!view.faint_rows.empty()) CHECK((view.faint_rows[k] != 0) == far);
            run_far = run_far || far;
        }
        CHECK(view.faint_rows.empty() == !run_far);  // flags only for a run with far rows
        some_faint = some_faint || run_far;
        CHECK_THAT(view.label, Catch::Contains("off plane"));
        CHECK_THAT(view.status, Catch::Contains("all 60 steps trained"));
    }
    REQUIRE(some_faint);
    REQUIRE_FALSE(input.overlay_legend.empty());
    CHECK_THAT(input.overlay_legend.back().second, Catch::Contains("off the plane"));
}

TEST_CASE("Model scene: every frame of a slider move shows the model's rows so far as the run's trajectory", "[models][model_scene]") {
    Scene scene = small_model_scene();
    scene.model.dataset = "digits";
    scene.model.model = "mlp:hidden=8,activation=tanh";
    scene.steps = 40;
    scene.runs.resize(2);
    AppState state(scene);
    state.finish();
    state.scene().runs[0].config.hyper["lr"] = 0.4;
    const models::TrainingResult expected = one_shot(state.scene(), 0);
    for (int frame = 0; frame < 20000; ++frame) {
        state.refresh(std::chrono::milliseconds(2));  // a window frame
        const ModelScene* model = state.derived().model();
        const AppState::KeyedTrajectory shown = state.keyed_trajectory(0);
        REQUIRE(shown.trajectory);
        REQUIRE(model->path(0));
        CHECK(shown.key->config.hyper.at("lr") == 0.4);  // from the frame of the move on
        CHECK(shown.trajectory->loss == model->path(0)->loss);
        CHECK(std::equal(shown.trajectory->loss.begin(), shown.trajectory->loss.end(), expected.loss.begin()));
        if (!state.derived().busy()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the rest of a frame
    }
    state.finish();
    CHECK(state.trajectory(0)->loss == expected.loss);
}

TEST_CASE("Model views: a field with one value (logged paths alone) draws no colour bar", "[models][model_scene]") {
    test::HeadlessImGui imgui(800, 600);
    const auto surface = make_surface("rosenbrock", {});
    ui::LandscapeInput input;
    input.title = "paths alone";
    input.view = surface->default_view();
    FieldGrid grid = sample_field(*surface, input.view, 16, 16);
    input.heatmap = [&](const ui::HeatmapRequest&) { return ui::HeatmapImage{nullptr, &grid}; };
    auto vertices = [&] {
        imgui.frame([&] {
            ImGui::SetNextWindowPos({0, 0});
            ImGui::SetNextWindowSize({800, 600});
            ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
            ui::draw_landscape(input, {780, 580}, false);
            ImGui::End();
        });
        return ImGui::GetDrawData()->TotalVtxCount;
    };
    const int with_scale = vertices();
    std::fill(grid.loss.begin(), grid.loss.end(), 0.0);  // flat: what a paths-only picture samples
    const int flat = vertices();
    CHECK(with_scale > flat + 100);  // the bar's bands, ticks and labels
    grid.loss[5] = 1.0;              // one value differs: the bar is back
    CHECK(vertices() > flat + 100);
}
