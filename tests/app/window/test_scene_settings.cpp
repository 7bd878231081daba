// The scene holds everything the picture depends on: the basin map overlay's settings, the sweep
// map's and the Tune panel's are scene fields. They round-trip through scene files field by field,
// are refused out of range with the key named, are undone by Ctrl+Z, and are what the window's
// analyses read: a change recomputes what reads it (and the result reports the new input), nothing
// else does. A saved scene redraws the exported picture with its basin overlay exactly.
#include <chrono>
#include <array>
#include <fstream>
#include <functional>
#include <iterator>
#include <thread>

#include <nlohmann/json.hpp>

#include "ui/overlays/step_glyphs.h"
#include "app/derived/analysis.h"
#include "app/app_state.h"
#include "app/derived/derived_scene.h"
#include "app/export/picture.h"
#include "app/derived/tuning.h"
#include "core/io/limits.h"
#include "support/catch.h"
#include "support/recording_canvas.h"
#include "ui/canvas/draw_style.h"
#include "ui/canvas/fonts.h"
#include "ui/overlay.h"
#include "ui/overlays/basin_map.h"

using namespace optiviz;
using nlohmann::json;

namespace {

Scene small_scene() {
    Scene scene = default_scene();
    scene.surface = "himmelblau";
    scene.runs = {parse_run_spec("sgd:lr=0.01", 0), parse_run_spec("adam:lr=0.1", 1)};
    assign_default_colors(scene.runs);
    scene.start = {0.3, -0.4};
    scene.steps = 60;
    scene.view = {-6, 6, -6, 6};
    scene.view_is_default = false;
    return scene;
}

// Every new field changed from its default, one edit each (the names say which).
const std::vector<std::pair<const char*, std::function<void(Scene&)>>>& field_edits() {
    static const std::vector<std::pair<const char*, std::function<void(Scene&)>>> edits = {
        {"sweep.on", [](Scene& s) { s.sweep.on = true; s.sweep.run = 1; s.sweep.y_param = "beta1"; }},
        {"sweep.run", [](Scene& s) { s.sweep.run = 1; }},
        {"sweep.x_param", [](Scene& s) { s.sweep.x_param = "beta2"; }},
        {"sweep.y_param", [](Scene& s) { s.sweep.y_param = "beta1"; }},
        {"sweep.x_lo", [](Scene& s) { s.sweep.x_lo = 2e-3; }},
        {"sweep.x_hi", [](Scene& s) { s.sweep.x_hi = 0.7; }},
        {"sweep.y_lo", [](Scene& s) { s.sweep.y_lo = 0.1; }},
        {"sweep.y_hi", [](Scene& s) { s.sweep.y_hi = 0.9; }},
        {"sweep.x_log", [](Scene& s) { s.sweep.x_log = false; }},
        {"sweep.y_log", [](Scene& s) { s.sweep.y_log = true; s.sweep.y_lo = 0.01; }},
        {"sweep.resolution", [](Scene& s) { s.sweep.resolution = 17; }},
        {"sweep.metric", [](Scene& s) { s.sweep.metric = SweepMetric::Distance; }},
        {"sweep.starts", [](Scene& s) { s.sweep.starts = 3; }},
        {"sweep.spread", [](Scene& s) { s.sweep.spread = 0.35; }},
        {"sweep.aggregate", [](Scene& s) { s.sweep.aggregate = Aggregate::Worst; }},
        {"tune.run", [](Scene& s) { s.tune.run = 1; }},
        {"tune.budget_is_scene_steps", [](Scene& s) { s.tune.budget_is_scene_steps = false; }},
        {"tune.budget", [](Scene& s) { s.tune.budget = 321; }},
        {"tune.starts", [](Scene& s) { s.tune.starts = 5; }},
        {"tune.spread", [](Scene& s) { s.tune.spread = 0.42; }},
        {"tune.objective", [](Scene& s) { s.tune.objective = TuneObjective::WorstLoss; }},
        {"tune.allow_diverged", [](Scene& s) { s.tune.allow_diverged = true; }},
        {"tune.second", [](Scene& s) { s.tune.second = "beta1"; }},
        {"tune.refine", [](Scene& s) { s.tune.refine = 5; }},
        {"basin-map on", [](Scene& s) { s.overlays["basin-map"]; }},
        {"basin-map run", [](Scene& s) { s.overlays["basin-map"]["run"] = 1; }},
        {"basin-map resolution", [](Scene& s) { s.overlays["basin-map"]["resolution"] = 33; }},
        {"basin-map starts", [](Scene& s) { s.overlays["basin-map"]["starts"] = 4; }},
        {"basin-map spread", [](Scene& s) { s.overlays["basin-map"]["spread"] = 0.125; }},
        {"basin-map worst", [](Scene& s) { s.overlays["basin-map"]["worst"] = 1; }},
    };
    return edits;
}

Scene round_trip(const Scene& scene) { return scene_from_json(scene_to_json(scene), "s.json"); }

// The saved form of `scene` with `edit` applied to its JSON, read back.
Scene load_edited(const Scene& scene, const std::function<void(json&)>& edit) {
    json j = json::parse(scene_to_json(scene));
    edit(j);
    return scene_from_json(j.dump(), "s.json");
}

std::string refusal(const std::function<void()>& load) {
    try {
        load();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

// Calls update until the jobs have finished (or 20 s passed).
void settle(app::Analysis& analysis, const app::AppState& state, const ViewRect& view) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    do {
        analysis.update(state, view);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } while ((analysis.status().basin_running || analysis.status().sweep_running) &&
             std::chrono::steady_clock::now() < deadline);
    analysis.update(state, view);
}

}  // namespace

TEST_CASE("scene files keep every sweep, tune and basin map setting", "[scene][modules]") {
    const Scene base = small_scene();
    CHECK(round_trip(base) == base);
    for (const auto& [name, edit] : field_edits()) {
        INFO(name);
        Scene edited = base;
        edit(edited);
        REQUIRE_FALSE(edited == base);
        const Scene loaded = round_trip(edited);
        CHECK(loaded == edited);         // written and read back...
        CHECK_FALSE(loaded == base);     // ...not dropped on the way
    }
    // All at once.
    Scene all = base;
    for (const auto& [name, edit] : field_edits()) edit(all);
    CHECK(round_trip(all) == all);
}

TEST_CASE("scenes of format 1 load with the analyses off; the writer writes format 2", "[scene][modules]") {
    json j = json::parse(scene_to_json(small_scene()));
    CHECK(j.at("version") == 2);
    CHECK(j.at("sweep").at("metric") == "final-loss");
    CHECK(j.at("tune").at("objective") == "median-loss");
    j.erase("sweep");
    j.erase("tune");
    j["version"] = 1;
    const Scene old = scene_from_json(j.dump(), "old.json");
    CHECK(old.sweep == SweepSettings{});
    CHECK(old.tune == TuneSettings{});
    CHECK_FALSE(ui::basin_map_settings(old));
    // The version 1 scene the repository keeps still loads.
    std::ifstream in(std::string(OPTIVIZ_TEST_DATA_DIR) + "/saved_scene.json");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(json::parse(text).at("version") == 1);
    CHECK_NOTHROW(scene_from_json(text, "saved_scene.json", {OPTIVIZ_TEST_DATA_DIR, nullptr}));
    // Unknown keys inside the new sections are named.
    j = json::parse(scene_to_json(small_scene()));
    j["tune"]["budjet"] = 5;
    std::vector<std::string> warnings;
    scene_from_json(j.dump(), "s.json", {"", &warnings});
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("tune.budjet"));
}

TEST_CASE("every new whole-number setting: its min and max load, max + 1 and 0 are refused by name", "[scene][modules][bounds]") {
    struct Bound {
        const char* section;
        const char* key;
        long min, max;
    };
    const long last_run = 1;  // small_scene has two runs
    const Bound bounds[] = {
        {"sweep", "run", 0, last_run},
        {"sweep", "resolution", 1, limits::kMaxAxisCount},
        {"sweep", "starts", 1, limits::kMaxMapStarts},
        {"tune", "run", 0, last_run},
        {"tune", "budget", 1, limits::kMaxSteps},
        {"tune", "starts", 1, limits::kMaxTuneStarts},
        {"tune", "refine", 0, kMaxTuneRefine},
    };
    const Scene base = small_scene();
    for (const Bound& b : bounds) {
        const std::string key = std::string(b.section) + "." + b.key;
        INFO(key);
        auto set = [&](double value) { return [&, value](json& j) { j[b.section][b.key] = value; }; };
        CHECK_NOTHROW(load_edited(base, set(static_cast<double>(b.min))));
        CHECK_NOTHROW(load_edited(base, set(static_cast<double>(b.max))));
        CHECK_THAT(refusal([&] { load_edited(base, set(static_cast<double>(b.max + 1))); }), Catch::Contains(key));
        // 0 is refused where the minimum is 1; where 0 is the minimum, one below it is.
        const double below = b.min == 0 ? -1.0 : 0.0;
        CHECK_THAT(refusal([&] { load_edited(base, set(below)); }), Catch::Contains(key));
        // Checked before converting: a number no int holds is a message, not undefined behaviour.
        CHECK_THAT(refusal([&] { load_edited(base, set(1e27)); }), Catch::Contains(key));
        CHECK_THAT(refusal([&] { load_edited(base, set(1.5)); }), Catch::Contains(key));
    }
    // The basin map's whole numbers, through the module's table (the app checks overlays on opening).
    const Bound basin[] = {{"basin-map", "run", 0, last_run},
                           {"basin-map", "resolution", 1, limits::kMaxBasinResolution},
                           {"basin-map", "starts", 1, limits::kMaxMapStarts}};
    for (const Bound& b : basin) {
        INFO(b.key);
        auto opened = [&](double value) {
            app::AppState state(small_scene());
            Scene scene = small_scene();
            scene.overlays["basin-map"][b.key] = value;
            const bool ok = state.open_scene(scene, "opened");
            return std::pair{ok, state.panel.message};
        };
        CHECK(opened(static_cast<double>(b.min)).first);
        CHECK(opened(static_cast<double>(b.max)).first);
        const auto past = opened(static_cast<double>(b.max + 1));
        CHECK_FALSE(past.first);
        CHECK_THAT(past.second, Catch::Contains(b.key));
        CHECK_FALSE(opened(b.min == 0 ? -1.0 : 0.0).first);
    }
}

TEST_CASE("the sweep's and tune's other settings are refused by name", "[scene][modules][bounds]") {
    const Scene base = small_scene();
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["sweep"]["x"]["lo"] = 2; }); }),
               Catch::Contains("sweep.x range must be finite with lo < hi"));
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["sweep"]["y"]["log"] = true; }); }),
               Catch::Contains("sweep.y range is logarithmic"));
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["sweep"]["spread"] = -0.5; }); }), Catch::Contains("sweep.spread"));
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["sweep"]["metric"] = "speed"; }); }), Catch::Contains("speed"));
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["sweep"]["aggregate"] = "mean"; }); }), Catch::Contains("mean"));
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["tune"]["spread"] = -1; }); }), Catch::Contains("tune.spread"));
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["tune"]["second"] = "lr"; }); }), Catch::Contains("tune.second"));
    CHECK_THAT(refusal([&] { load_edited(base, [](json& j) { j["tune"]["objective"] = "fastest"; }); }), Catch::Contains("fastest"));
    // While the sweep is on, its axes are parameters of the run's optimizer (sgd has no beta1).
    CHECK_THAT(refusal([&] {
                   load_edited(base, [](json& j) {
                       j["sweep"]["on"] = true;
                       j["sweep"]["y"]["param"] = "beta1";
                   });
               }),
               Catch::Contains("sweep.y_param: sgd has no parameter 'beta1'"));
}

TEST_CASE("run indices follow their runs when runs are removed or inserted", "[scene][modules]") {
    Scene scene = small_scene();
    scene.runs.push_back(parse_run_spec("rmsprop", 2));
    scene.sweep.run = 2;
    scene.tune.run = 1;
    scene.overlays["basin-map"]["run"] = 2;
    scene.runs.erase(scene.runs.begin());
    run_removed(scene, 0);
    CHECK(scene.sweep.run == 1);
    CHECK(scene.tune.run == 0);
    CHECK(scene.overlays["basin-map"]["run"] == 1);
    CHECK_NOTHROW(validate_scene(scene));
    scene.runs.insert(scene.runs.begin(), parse_run_spec("sgd", 0));
    run_inserted(scene, 0);
    CHECK(scene.sweep.run == 2);
    CHECK(scene.tune.run == 1);
    CHECK(scene.overlays["basin-map"]["run"] == 2);
    // Removing the run an index names: it names the run that took its place.
    scene.runs.push_back(parse_run_spec("adagrad", 3));
    scene.tune.run = 0;
    scene.sweep.run = 1;
    scene.runs.erase(scene.runs.begin() + 1);
    run_removed(scene, 1);
    CHECK(scene.sweep.run == 1);
    CHECK(scene.tune.run == 0);
    scene.runs.erase(scene.runs.begin());
    run_removed(scene, 0);
    CHECK(scene.tune.run == 0);
    CHECK(scene.sweep.run == 0);
    CHECK_NOTHROW(validate_scene(scene));
    scene.runs.insert(scene.runs.begin(), parse_run_spec("sgd", 0));
    run_inserted(scene, 0);
    scene.sweep.run = 2;
    scene.overlays["basin-map"]["run"] = 2;
    // Removing the last run: an index naming it names the run before.
    scene.runs.pop_back();
    run_removed(scene, 2);
    CHECK(scene.sweep.run == 1);
    CHECK(scene.overlays["basin-map"]["run"] == 1);
    CHECK_NOTHROW(validate_scene(scene));
}

TEST_CASE("an analysis setting is undone and redone like any edit", "[app][modules][undo]") {
    app::AppState state(small_scene());
    state.history.reset(state.scene());
    state.scene().overlays["basin-map"]["resolution"] = 40;
    state.history.record(state.scene(), false);
    state.scene().sweep.resolution = 9;
    state.scene().tune.budget = 77;
    state.history.record(state.scene(), false);
    ui::PanelCommands undo;
    undo.undo = true;
    state.run_commands(undo);
    CHECK(state.scene().sweep.resolution == 64);
    CHECK(state.scene().tune.budget == 500);
    CHECK(state.scene().overlays.at("basin-map").at("resolution") == 40);
    state.run_commands(undo);
    CHECK(state.scene().overlays.count("basin-map") == 0);
    ui::PanelCommands redo;
    redo.redo = true;
    state.run_commands(redo);
    CHECK(ui::basin_map_settings(state.scene())->resolution == 40);
    state.run_commands(redo);
    CHECK(state.scene().sweep.resolution == 9);
    CHECK(state.scene().tune.budget == 77);
}

TEST_CASE("a scene field an analysis reads recomputes it, with the new input; others do not", "[app][modules][keys]") {
    // Each edit: does it restart the basin map, the sweep? And what must the new result show?
    struct Case {
        const char* field;
        std::function<void(Scene&)> edit;
        bool basins, sweep;
        std::function<bool(const app::Analysis&, const app::AppState&)> shows;  // the result reports the new input
    };
    auto none = [](const app::Analysis&, const app::AppState&) { return true; };
    const Case cases[] = {
        {"basin resolution", [](Scene& s) { s.overlays["basin-map"]["resolution"] = 7; }, true, false,
         [](const app::Analysis& a, const app::AppState&) { return a.basins()->resolution == 7; }},
        {"basin starts", [](Scene& s) { s.overlays["basin-map"]["starts"] = 2; }, true, false,
         [](const app::Analysis& a, const app::AppState&) { return a.basins()->starts.count == 2; }},
        {"basin spread", [](Scene& s) { s.overlays["basin-map"]["spread"] = 0.5; }, true, false,
         [](const app::Analysis& a, const app::AppState&) { return a.basins()->starts.spread == 0.5; }},
        {"basin run", [](Scene& s) { s.overlays["basin-map"]["run"] = 1; }, true, false,
         [](const app::Analysis& a, const app::AppState& state) {  // run 2's (Adam's) basins, not run 1's
             RunConfig config = state.scene().runs[1].config;
             config.steps = state.scene().steps;
             const BasinResult direct = run_basins(state.surface(), config, {-6, 6, -6, 6}, 6);
             for (std::size_t i = 0; i < direct.cells.size(); ++i)
                 if (a.basins()->cells[i].x != direct.cells[i].x || a.basins()->cells[i].y != direct.cells[i].y) return false;
             return a.basins()->cells.size() == direct.cells.size();
         }},
        {"basin worst", [](Scene& s) { s.overlays["basin-map"]["worst"] = 1; }, false, false, none},
        {"sweep resolution", [](Scene& s) { s.sweep.resolution = 5; }, false, true,
         [](const app::Analysis& a, const app::AppState&) { return a.status().sweep->x_axis.count == 5 && a.status().sweep->y_axis.count == 5; }},
        {"sweep x range", [](Scene& s) { s.sweep.x_lo = 2e-3; }, false, true,
         [](const app::Analysis& a, const app::AppState&) { return a.status().sweep->x_axis.lo == 2e-3; }},
        {"sweep y range", [](Scene& s) { s.sweep.y_hi = 0.8; }, false, true,
         [](const app::Analysis& a, const app::AppState&) { return a.status().sweep->y_axis.hi == 0.8; }},
        {"sweep x log", [](Scene& s) { s.sweep.x_log = false; }, false, true,
         [](const app::Analysis& a, const app::AppState&) { return !a.status().sweep->x_axis.log; }},
        {"sweep y param", [](Scene& s) { s.sweep.y_param = "beta2"; s.sweep.y_lo = 0.9; s.sweep.y_hi = 0.999; }, false, true,
         [](const app::Analysis& a, const app::AppState&) { return a.status().sweep->y_axis.param == "beta2"; }},
        {"sweep starts", [](Scene& s) { s.sweep.starts = 2; }, false, true,
         [](const app::Analysis& a, const app::AppState&) { return a.status().sweep->starts.count == 2; }},
        {"sweep spread", [](Scene& s) { s.sweep.spread = 0.3; }, false, true,
         [](const app::Analysis& a, const app::AppState&) { return a.status().sweep->starts.spread == 0.3; }},
        {"sweep metric", [](Scene& s) { s.sweep.metric = SweepMetric::Steps; }, false, false, none},
        {"sweep aggregate", [](Scene& s) { s.sweep.aggregate = Aggregate::Worst; }, false, false, none},
        {"tune budget", [](Scene& s) { s.tune.budget = 12; s.tune.budget_is_scene_steps = false; }, false, false, none},
        {"tune starts", [](Scene& s) { s.tune.starts = 3; }, false, false, none},
        {"tune run", [](Scene& s) { s.tune.run = 1; }, false, false, none},
        {"step glyphs", [](Scene& s) { ui::set_step_glyphs(s, {0, true}); }, false, false, none},
        {"the camera", [](Scene& s) { s.camera.yaw += 0.5; }, false, false, none},
    };
    for (const Case& c : cases) {
        INFO(c.field);
        Scene scene = small_scene();
        scene.overlays["basin-map"] = {{"resolution", 6}};
        scene.sweep.on = true;
        scene.sweep.run = 1;
        scene.sweep.x_lo = 1e-3;
        scene.sweep.x_hi = 0.5;
        scene.sweep.y_param = "beta1";
        scene.sweep.resolution = 4;
        app::AppState state(scene);
        state.finish();
        app::Analysis analysis;
        const ViewRect view{-6, 6, -6, 6};
        settle(analysis, state, view);
        REQUIRE(analysis.basins());
        REQUIRE(analysis.status().sweep);
        REQUIRE(analysis.basin_starts() == 1);
        REQUIRE(analysis.sweep_starts() == 1);
        c.edit(state.scene());
        state.finish();
        settle(analysis, state, view);
        CHECK(analysis.basin_starts() == (c.basins ? 2 : 1));
        CHECK(analysis.sweep_starts() == (c.sweep ? 2 : 1));
        REQUIRE(analysis.basins());
        REQUIRE(analysis.status().sweep);
        CHECK(c.shows(analysis, state));
    }
}

namespace {

// An ImGui context with the pictures' font, drawing pictures onto a recording canvas (no GL).
class PictureContext {
public:
    PictureContext(int width, int height) : size_{static_cast<float>(width), static_cast<float>(height)} {
        context_ = ImGui::CreateContext();
        ImGui::SetCurrentContext(context_);
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = size_;
        io.DeltaTime = 1.0f / 60.0f;
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        ui::add_ui_font(*io.Fonts, app::picture_font_size(height));
        ui::apply_style(ImGui::GetStyle());
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    }
    ~PictureContext() { ImGui::DestroyContext(context_); }
    PictureContext(const PictureContext&) = delete;
    PictureContext& operator=(const PictureContext&) = delete;

    void draw(const app::AppState& state, const app::PictureSources& sources, ui::Canvas& canvas) {
        ImGui::SetCurrentContext(context_);
        ImGui::NewFrame();
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize(size_);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
        ImGui::Begin("##picture", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings);
        {
            ui::CanvasRoute route(canvas);
            app::draw_picture(state, app::PictureView::Landscape, size_, sources);
        }
        ImGui::End();
        ImGui::PopStyleVar();
        ImGui::Render();
    }

private:
    ImGuiContext* context_ = nullptr;
    ImVec2 size_;
};

// What the exported picture with its basin overlay is made of: the basin map's colours (the image's
// pixels) and every record the views drew.
struct BasinPicture {
    std::vector<std::uint32_t> colors;
    ViewRect grid;
    std::vector<std::string> texts;
    std::vector<std::array<float, 4>> images;
    std::vector<std::array<float, 5>> lines;
};

BasinPicture export_with_basins(const Scene& scene) {
    app::AppState state(scene);
    state.finish();
    app::Analysis analysis;
    settle(analysis, state, state.view());  // the window's basins cover the shown view
    REQUIRE(analysis.basins());
    BasinPicture picture;
    picture.colors = analysis.basin_colors();
    picture.grid = analysis.basins()->grid;
    static const ImTextureID kBasinTexture = reinterpret_cast<ImTextureID>(7);
    app::PictureSources sources;
    sources.heatmap = [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; };
    sources.overlay = kBasinTexture;  // the window uploads basin_colors() into it
    sources.overlay_view = analysis.basins()->grid;
    sources.overlay_legend = analysis.basin_legend(state.scene());
    PictureContext context(900, 640);
    test::RecordingCanvas canvas(900, 640);
    context.draw(state, sources, canvas);
    for (const auto& t : canvas.texts) picture.texts.push_back(t.text);
    for (const auto& i : canvas.images)
        if (i.texture == kBasinTexture) picture.images.push_back({i.a.x, i.a.y, i.b.x, i.b.y});
    for (const auto& l : canvas.lines) picture.lines.push_back({l.a.x, l.a.y, l.b.x, l.b.y, static_cast<float>(l.color)});
    return picture;
}

}  // namespace

TEST_CASE("a saved scene redraws the exported picture with its basin overlay exactly", "[app][modules][picture]") {
    Scene scene = small_scene();
    ui::BasinMapSettings basins;
    basins.run = 1;
    basins.resolution = 12;
    basins.starts = MultiStart{2, 0.4};
    basins.aggregate = Aggregate::Worst;
    ui::set_basin_map(scene, basins);
    const BasinPicture before = export_with_basins(scene);
    REQUIRE(before.images.size() == 1);  // the overlay is drawn, once
    CHECK(before.colors.size() == 12u * 12u);
    bool legend = false;
    for (const std::string& text : before.texts)  // the legend names the mapped run: the second, Adam
        legend = legend || (text.find("from here ends at") != std::string::npos && text.find("Adam") != std::string::npos);
    CHECK(legend);

    const Scene loaded = scene_from_json(scene_to_json(scene), "saved.json");
    REQUIRE(ui::basin_map_settings(loaded) == basins);
    const BasinPicture after = export_with_basins(loaded);
    CHECK(after.colors == before.colors);
    CHECK(after.grid == before.grid);
    CHECK(after.images == before.images);
    CHECK(after.texts == before.texts);
    CHECK(after.lines == before.lines);
}

TEST_CASE("older scenes' module keys go to their modules: gradient_field, glyph_run, glyph_trail", "[app][modules]") {
    json j = json::parse(scene_to_json(small_scene()));
    j["version"] = 1;
    j.erase("overlays");
    j["gradient_field"] = true;
    j["glyph_run"] = 1;
    j["glyph_trail"] = true;
    std::vector<std::string> warnings;
    Scene old = scene_from_json(j.dump(), "old.json", {"", &warnings});
    CHECK(warnings.empty());  // read, not unknown
    CHECK(old.overlays.empty());  // core names no module...
    ui::adopt_retired_keys(old);  // ...the app hands the keys over
    CHECK(old.retired.empty());
    CHECK(old.overlays.count("gradient-field") == 1);
    REQUIRE(ui::step_glyphs(old));
    CHECK(*ui::step_glyphs(old) == ui::StepGlyphSettings{1, true});
    // Opening such a file in the window does the same; glyph_run -1 (none) turns nothing on.
    j["glyph_run"] = 0;  // the first run is a run
    Scene first = scene_from_json(j.dump(), "old.json");
    ui::adopt_retired_keys(first);
    REQUIRE(ui::step_glyphs(first));
    CHECK(ui::step_glyphs(first)->run == 0);
    j["glyph_run"] = -1;
    app::AppState state(small_scene());
    REQUIRE(state.open_scene(scene_from_json(j.dump(), "old.json"), "opened"));
    CHECK_FALSE(ui::step_glyphs(state.scene()));
    CHECK(state.scene().overlays.count("gradient-field") == 1);
    // Saved again, it is format 2 with the settings in "overlays" and no retired keys.
    ui::set_step_glyphs(state.scene(), {0, true});
    const json saved = json::parse(scene_to_json(state.scene()));
    CHECK_FALSE(saved.contains("glyph_run"));
    CHECK_FALSE(saved.contains("gradient_field"));
    CHECK(saved.at("overlays").at("step-glyphs").at("trail") == 1);
}

TEST_CASE("the step glyphs' run: 0 and the last run open, one past it and -1 are refused by name", "[app][modules][bounds]") {
    auto opened = [](double run) {
        app::AppState state(small_scene());
        Scene scene = small_scene();
        scene.overlays["step-glyphs"] = {{"run", run}};
        const bool ok = state.open_scene(scene, "opened");
        return std::pair{ok, state.panel.message};
    };
    CHECK(opened(0).first);
    CHECK(opened(1).first);
    const auto past = opened(2);
    CHECK_FALSE(past.first);
    CHECK_THAT(past.second, Catch::Contains("overlays.step-glyphs.run must be a run from 0 to 1, got 2"));
    CHECK_FALSE(opened(-1).first);
    CHECK_FALSE(opened(0.5).first);
}

TEST_CASE("the step glyph run records its optimizer's state; no other run does", "[app][modules][keys]") {
    Scene scene = small_scene();
    ui::set_step_glyphs(scene, {1, false});
    CHECK(app::run_config(scene, 1).record_state);
    CHECK_FALSE(app::run_config(scene, 0).record_state);
    scene.overlays.erase("step-glyphs");
    CHECK_FALSE(app::run_config(scene, 1).record_state);
}

TEST_CASE("the step glyphs are drawn over the paths, and only with the module on", "[app][modules][views]") {
    Scene scene = small_scene();
    scene.step = 20;
    auto draw = [](const Scene& s) {
        app::AppState state(s);
        state.finish();
        app::PictureSources sources;
        sources.heatmap = [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; };
        PictureContext context(900, 640);
        test::RecordingCanvas canvas(900, 640);
        context.draw(state, sources, canvas);
        return canvas.lines;
    };
    const ImU32 gradient_red = IM_COL32(255, 64, 64, 255);  // the glyphs' −∇f arrow
    auto count_red = [&](const std::vector<test::RecordedLine>& lines) {
        return std::count_if(lines.begin(), lines.end(), [&](const test::RecordedLine& l) { return l.color == gradient_red; });
    };
    CHECK(count_red(draw(scene)) == 0);
    ui::set_step_glyphs(scene, {1, false});
    const auto lines = draw(scene);
    REQUIRE(count_red(lines) >= 1);
    const std::uint32_t adam = scene.runs[1].color;
    int last_path = -1, first_glyph = 1 << 30;
    test::Box plot{};
    for (const auto& l : lines)
        if (l.color == gradient_red) {
            first_glyph = std::min(first_glyph, l.order);
            plot = l.clip;
        }
    // The run's path: lines of its colour inside the plot (the legend's swatches are outside it).
    for (const auto& l : lines)
        if ((l.color & 0x00FFFFFFu) == (ui::rgb(adam) & 0x00FFFFFFu) && l.clip.x0 == plot.x0 && l.clip.y0 == plot.y0 &&
            l.clip.x1 == plot.x1 && l.clip.y1 == plot.y1)
            last_path = std::max(last_path, l.order);
    REQUIRE(last_path >= 0);  // the run's path is drawn...
    CHECK(first_glyph > last_path);  // ...and its glyphs after it, on top
}
