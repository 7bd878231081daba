// The window's tuning: Tune run / Tune all as a background job whose best settings become one
// undoable scene edit, through real ImGui frames (no window, no GL).
#include "support/catch.h"

#include <imgui_internal.h>

#include <limits>

#include "app/window/app_frame.h"
#include "app/derived/tuning.h"
#include "core/surfaces/surface_registry.h"
#include "support/headless_imgui.h"

using namespace optiviz;

namespace {

Scene race_scene() {
    Scene scene = default_scene();
    scene.runs.clear();
    for (const char* text : {"sgd:lr=0.0001,momentum=0.9", "adam:lr=0.0001"}) scene.runs.push_back(parse_run_spec(text, 0));
    assign_default_colors(scene.runs);
    scene.steps = 200;  // the budget Tune all tunes on by default: the steps the runs show
    scene.tune.starts = 4;
    scene.tune.refine = 1;
    return scene;
}

struct Harness {
    test::HeadlessImGui imgui{1440, 900};
    app::AppState state{race_scene()};
    app::Tuning tuning;
    app::FrameResult last;
    std::function<void()> body = [this] {
        app::FrameOptions options;
        options.tuning = &tuning;
        last = app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; }, options);
        state.run_commands(last.commands);
        tuning.apply(last.tune, state);
        tuning.update(state);
    };
    Harness() { state.finish(); }
    void frame() { imgui.frame(body); }
};

// What run_tune alone finds for run i of `scene` with its tune settings.
double best_lr(const Scene& scene, std::size_t run) {
    const auto surface = make_surface(scene.surface, scene.surface_params);
    const TuneResult result = run_tune(*surface, app::tune_request(scene, run));
    REQUIRE(result.best);
    return result.tried[*result.best].lr;
}

}  // namespace

TEST_CASE("Tune all gives every run its best learning rate as one edit that Ctrl+Z undoes", "[app][tune]") {
    Harness h;
    h.frame();
    const Scene before = h.state.scene();
    const double sgd = best_lr(before, 0), adam = best_lr(before, 1);
    REQUIRE(sgd != 1e-4);
    REQUIRE(adam != 1e-4);
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    CHECK(h.tuning.running());
    h.tuning.wait(h.state);
    h.frame();
    CHECK(h.state.scene().runs[0].config.hyper.at("lr") == sgd);
    CHECK(h.state.scene().runs[1].config.hyper.at("lr") == adam);
    CHECK(h.state.scene().runs[0].config.hyper.at("momentum") == 0.9);  // not tuned: kept
    const ui::TuneStatus status = h.tuning.status();
    REQUIRE(status.rows.size() == 2);
    CHECK(status.rows[0].run == "1: Momentum");
    CHECK(status.rows[1].run == "2: Adam");
    CHECK(status.rows[1].lr == adam);
    CHECK(status.starts == 4);
    CHECK(status.budget == 200);
    CHECK(status.shown_steps == 200);
    CHECK(status.stale.empty());
    CHECK(status.rows[0].stale.empty());
    CHECK(status.rows[1].stale.empty());
    CHECK(status.message.find("applied the best settings to 2 runs") != std::string::npos);
    for (int i = 0; i < 3; ++i) h.frame();  // the table draws

    ui::PanelCommands undo;
    undo.undo = true;
    h.state.run_commands(undo);
    h.frame();
    CHECK(h.state.scene().runs[0].config.hyper.at("lr") == 1e-4);
    CHECK(h.state.scene().runs[1].config.hyper.at("lr") == 1e-4);
    // Undone: the table's settings are no longer the runs'.
    CHECK(h.tuning.status().rows[0].stale == "the run's settings are not these");
}

TEST_CASE("Tune run tunes only the chosen run, with a second parameter where it has one", "[app][tune]") {
    Harness h;
    h.frame();
    h.state.scene().tune.run = 1;
    h.state.scene().tune.second = "beta1";
    const Scene before = h.state.scene();
    const TuneRequest request = app::tune_request(before, 1);
    REQUIRE(request.second);
    CHECK(request.second->param == "beta1");
    CHECK_FALSE(app::tune_request(before, 0).second);  // sgd has no beta1
    h.tuning.apply(ui::TuneRequests{true, false, false}, h.state);
    h.tuning.wait(h.state);
    h.frame();
    CHECK(h.state.scene().runs[0].config == before.runs[0].config);
    const auto surface = make_surface(before.surface, before.surface_params);
    const TuneResult result = run_tune(*surface, request);
    REQUIRE(result.best);
    CHECK(h.state.scene().runs[1].config.hyper.at("lr") == result.tried[*result.best].lr);
    CHECK(h.state.scene().runs[1].config.hyper.at("beta1") == result.tried[*result.best].second);
    REQUIRE(h.tuning.status().rows.size() == 1);
    CHECK(h.tuning.status().rows[0].second_param == "beta1");
}

TEST_CASE("a cancelled search changes nothing; a run edited meanwhile keeps its edit", "[app][tune]") {
    Harness h;
    h.frame();
    h.state.scene().tune.budget_is_scene_steps = false;
    h.state.scene().tune.budget = 20000;
    const Scene before = h.state.scene();
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    h.tuning.apply(ui::TuneRequests{false, false, true}, h.state);
    CHECK_FALSE(h.tuning.running());
    h.frame();
    CHECK(h.state.scene() == before);
    CHECK(h.tuning.status().message == "tuning cancelled");
    CHECK(h.tuning.status().rows.empty());

    // apply_tuned: a run whose settings changed since the search started is skipped.
    app::TuneBatch batch;
    batch.runs = {0, 1};
    batch.before = {before.runs[0].config, before.runs[1].config};
    batch.labels = {"1", "2"};
    for (int i = 0; i < 2; ++i) {
        TuneResult r;
        r.tried.push_back(TuneCandidate{0.25, 0, 0, 1.0, 1.0, 0, 0});
        r.best = 0;
        batch.results.push_back(r);
    }
    batch.key = app::tune_key(app::surface_key(before), before);
    Scene scene = before;
    scene.runs[1].config.hyper["lr"] = 0.5;  // edited while tuning
    const app::ApplyOutcome outcome = app::apply_tuned(batch, scene);
    CHECK(outcome.applied == 1);
    CHECK(outcome.skipped == 1);
    CHECK(outcome.refused.empty());
    CHECK(outcome.no_score == 0);
    CHECK(scene.runs[0].config.hyper.at("lr") == 0.25);
    CHECK(scene.runs[1].config.hyper.at("lr") == 0.5);

    // A run whose least bad setting has no score keeps its own settings, and the outcome counts it.
    batch.results[0].tried[0].score = std::numeric_limits<double>::infinity();
    scene = before;
    const app::ApplyOutcome partial = app::apply_tuned(batch, scene);
    CHECK(partial.applied == 1);
    CHECK(partial.no_score == 1);
    CHECK(partial.skipped == 0);
    CHECK(scene.runs[0].config == before.runs[0].config);
    CHECK(scene.runs[1].config.hyper.at("lr") == 0.25);
}

TEST_CASE("a search started on Rosenbrock is not applied after switching to Himmelblau", "[app][tune]") {
    Harness h;
    h.frame();
    const Scene before = h.state.scene();
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    REQUIRE(h.tuning.running());
    h.state.scene().surface = "himmelblau";  // switched while the search runs
    h.tuning.wait(h.state);                  // the search finishes: its result is taken now
    h.frame();
    REQUIRE(h.state.scene().surface == "himmelblau");
    CHECK(h.state.scene().runs[0].config == before.runs[0].config);
    CHECK(h.state.scene().runs[1].config == before.runs[1].config);
    ui::TuneStatus status = h.tuning.status();
    CHECK(status.message == "not applied: the surface is himmelblau now, tuned on rosenbrock");
    CHECK(status.message_is_error);
    CHECK(status.stale == "the surface is himmelblau now, tuned on rosenbrock");
    REQUIRE(status.rows.size() == 2);
    for (int i = 0; i < 3; ++i) h.frame();  // the stale table draws

    // Back on Rosenbrock the table fits the surface again, but its settings were never applied.
    h.state.scene().surface = "rosenbrock";
    h.frame();
    status = h.tuning.status();
    CHECK(status.stale.empty());
    CHECK(status.rows[0].stale == "the run's settings are not these");
}

TEST_CASE("a search started while the scene's new surface is being built is refused", "[app][tune]") {
    Harness h;
    h.frame();
    const Scene before = h.state.scene();
    h.state.scene().surface = "himmelblau";  // chosen, not yet built: the search runs on Rosenbrock
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    h.tuning.wait(h.state);
    h.frame();
    CHECK(h.state.scene().runs[0].config == before.runs[0].config);
    CHECK(h.state.scene().runs[1].config == before.runs[1].config);
    CHECK(h.tuning.status().message == "not applied: the surface is himmelblau now, tuned on rosenbrock");
}

TEST_CASE("when every setting diverges, the table says so and nothing is applied", "[app][tune]") {
    Harness h;
    h.state.scene().start = {1e80, 1e80};  // the loss overflows at once: every start of every lr diverges
    h.frame();
    h.state.scene().tune.budget_is_scene_steps = false;
    h.state.scene().tune.budget = 20;
    const Scene before = h.state.scene();
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    h.tuning.wait(h.state);
    h.frame();
    CHECK(h.state.scene().runs[0].config == before.runs[0].config);
    CHECK(h.state.scene().runs[1].config == before.runs[1].config);
    const ui::TuneStatus status = h.tuning.status();
    CHECK(status.message == "applied the best settings to 0 runs; 2 runs had no setting with a score and kept their own");
    REQUIRE(status.rows.size() == 2);
    for (const ui::TuneRow& row : status.rows) {
        CHECK(row.every_diverged);
        CHECK_FALSE(row.found);
        CHECK_FALSE(row.winner);
        CHECK(row.diverged == 4);
        CHECK(row.lr == 1e-5);  // the least bad: all equal, so the smallest lr
    }
    for (int i = 0; i < 3; ++i) h.frame();  // the table and its warning draw
}

TEST_CASE("what the apply message says", "[app][tune]") {
    app::ApplyOutcome outcome;
    outcome.applied = 1;
    CHECK(app::applied_message(outcome) == "applied the best settings to 1 run (Ctrl+Z undoes it)");
    outcome.applied = 2;
    outcome.no_score = 1;
    outcome.skipped = 1;
    CHECK(app::applied_message(outcome) == "applied the best settings to 2 runs; 1 run had no setting with a score and "
                                           "kept its own (runs edited meanwhile kept their edits)");
    outcome.no_score = 2;
    CHECK(app::applied_message(outcome).find("; 2 runs had no setting with a score and kept their own") != std::string::npos);
    outcome.refused = "the data changed since tuning";
    CHECK(app::applied_message(outcome) == "not applied: the data changed since tuning");
}

TEST_CASE("a tuned table goes stale when the start, the data or the surface's parameters change", "[app][tune]") {
    Harness h;
    h.frame();
    h.tuning.apply(ui::TuneRequests{true, false, false}, h.state);
    h.tuning.wait(h.state);
    h.frame();
    REQUIRE(h.tuning.status().message.find("applied the best settings to 1 run") != std::string::npos);
    CHECK(h.tuning.status().stale.empty());
    h.state.set_start({0.5, 0.5});
    h.frame();
    CHECK(h.tuning.status().stale == "the start moved from (-1.5, 2), where it was tuned");

    // Every field of the key, changed alone, makes a search stale; the steps and the view do not.
    const Scene scene = race_scene();
    const app::TuneKey key = app::tune_key(app::surface_key(scene), scene);
    CHECK(app::tune_key_mismatch(key, scene).empty());
    struct Case {
        const char* what;
        std::function<void(Scene&)> change;
        const char* mismatch;
    };
    const Case cases[] = {
        {"surface", [](Scene& s) { s.surface = "beale"; }, "the surface is beale now, tuned on rosenbrock"},
        {"expression",
         [](Scene& s) {
             s.surface = "expr";
             s.expression = "x*x + y*y";
         },
         "the surface is f(x, y) = x*x + y*y now, tuned on rosenbrock"},
        {"parameters", [](Scene& s) { s.surface_params["b"] = 10; }, "the surface's parameters changed since tuning"},
        {"start", [](Scene& s) { s.start.y() = 1.5; }, "the start moved from (-1.5, 2), where it was tuned"},
        {"steps", [](Scene& s) { s.steps = 5000; }, ""},
        {"view", [](Scene& s) { s.view_is_default = false; }, ""},
        {"an unknown surface name", [](Scene& s) { s.surface = "nope"; }, "the surface is nope now, tuned on rosenbrock"},
        {"an expression left over", [](Scene& s) { s.expression = "x"; }, ""},  // rosenbrock takes none
        {"a run's lr", [](Scene& s) { s.runs[0].config.hyper["lr"] = 0.5; }, ""},  // per run: apply_tuned skips it
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        Scene changed = scene;
        c.change(changed);
        CHECK(app::tune_key_mismatch(key, changed) == c.mismatch);
    }
    Scene fit = scene;
    fit.surface = "mse";
    const app::TuneKey fit_key = app::tune_key(app::surface_key(fit), fit);
    CHECK(app::tune_key_mismatch(fit_key, fit).empty());
    fit.data.standardize = true;
    CHECK(app::tune_key_mismatch(fit_key, fit) == "the data changed since tuning");
}

TEST_CASE("Tune all tunes on the steps the runs show, or says which budget it tuned on", "[app][tune]") {
    Scene scene = race_scene();
    scene.steps = 1234;
    TuneSettings& settings = scene.tune;
    CHECK(app::tune_request(scene, 0).base.steps == 1234);
    settings.budget_is_scene_steps = false;
    settings.budget = 77;
    CHECK(app::tune_request(scene, 0).base.steps == 77);
    settings.budget_is_scene_steps = true;
    scene.steps = 0;
    CHECK_THROWS_WITH(app::tune_request(scene, 0), Catch::Contains("0 steps"));
    settings.allow_diverged = true;
    scene.steps = 10;
    CHECK(app::tune_request(scene, 0).allow_diverged);

    Harness h;
    h.frame();
    h.state.scene().tune.budget_is_scene_steps = false;
    h.state.scene().tune.budget = 50;
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    h.tuning.wait(h.state);
    h.frame();
    CHECK(h.tuning.status().budget == 50);
    CHECK(h.tuning.status().shown_steps == 200);  // the table marks the difference
    h.state.scene().steps = 50;
    h.frame();
    CHECK(h.tuning.status().shown_steps == 50);
}

namespace {

TuneResult tuned(double score, int diverged, double median = 1.0) {
    TuneResult r;
    r.starts = 16;
    TuneCandidate c;
    c.lr = 0.1;
    c.score = score;
    c.median_loss = median;
    c.diverged = diverged;
    r.tried.push_back(c);
    r.best = 0;
    return r;
}

std::optional<std::size_t> winner_of(std::vector<TuneResult> results) {
    app::TuneBatch batch;
    batch.results = std::move(results);
    return app::race_winner(batch);
}

}  // namespace

TEST_CASE("the race's winner: fewest diverged, then score, then median loss, then the first run", "[app][tune]") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(winner_of({tuned(1.0, 0)}) == std::nullopt);                            // a race of one
    CHECK(winner_of({tuned(1e-5, 7), tuned(1e-3, 0)}) == 1u);                     // no diverged start beats a lower score
    CHECK(winner_of({tuned(0.5, 0), tuned(0.25, 0), tuned(0.75, 0)}) == 1u);
    CHECK(winner_of({tuned(0.5, 0), tuned(0.5, 0), tuned(0.5, 0)}) == 0u);        // tie: the first run
    CHECK(winner_of({tuned(0.5, 0, 2.0), tuned(0.5, 0, 1.0)}) == 1u);             // tie on score: the median loss
    CHECK(winner_of({tuned(inf, 0), tuned(2.0, 3)}) == 1u);                        // no score: never the winner
    CHECK(winner_of({tuned(inf, 0), tuned(inf, 0)}) == std::nullopt);
    std::vector<TuneResult> allowed{tuned(1e-5, 7), tuned(1e-3, 0)};
    for (TuneResult& r : allowed) r.allow_diverged = true;
    CHECK(winner_of(allowed) == 0u);
}

TEST_CASE("the tune table writes whole numbers, marks the winner and never cuts a cell", "[app][tune]") {
    ui::TuneStatus status;
    status.objective = "median-loss";
    status.budget = 500;
    status.shown_steps = 2000;
    status.starts = 16;
    ui::TuneRow adam;
    adam.run = "2: Adam";
    adam.lr = 1.2589254117941673;
    adam.score = 6.686931537390559e-05;
    adam.found = true;
    adam.winner = true;
    ui::TuneRow sgd;
    sgd.run = "1: Momentum";
    sgd.lr = 0.00208929613085404;
    sgd.second_param = "momentum";
    sgd.second = 0.9;
    sgd.score = 2.0194930894638348e-05;
    sgd.diverged = 7;
    sgd.found = true;
    status.rows = {sgd, adam};
    const ui::TuneTable table = ui::tune_table(status);
    CHECK(table.columns == std::vector<std::string>{"run", "lr", "also", "score", "div."});
    REQUIRE(table.rows.size() == 2);
    CHECK(table.rows[0] == std::vector<std::string>{"1: Momentum", "0.00209", "momentum 0.9", "2.02e-5", "7/16"});
    CHECK(table.rows[1] == std::vector<std::string>{"2: Adam (winner)", "1.26", "-", "6.69e-5", "0/16"});
    ui::TuneStatus lr_only = status;
    lr_only.rows[0].second_param.clear();
    lr_only.rows[1].found = false;  // nothing had a score: its least bad lr is shown, the score is not
    const ui::TuneTable narrow = ui::tune_table(lr_only);
    CHECK(narrow.columns == std::vector<std::string>{"run", "lr", "score", "div."});
    CHECK(narrow.rows[0] == std::vector<std::string>{"1: Momentum", "0.00209", "2.02e-5", "7/16"});
    CHECK(narrow.rows[1] == std::vector<std::string>{"2: Adam (winner)", "1.26", "none", "0/16"});

    // Drawn in a panel far narrower than the table: every column is as wide as its widest cell.
    test::HeadlessImGui imgui{800, 600};
    const std::size_t columns = table.columns.size();
    std::vector<float> given(columns), needed(columns);
    const auto body = [&] {
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({140, 300});
        ImGui::Begin("narrow tune table");
        ui::draw_tune_table(status);
        const ImGuiTable* drawn = ImGui::TableFindByID(ImGui::GetCurrentWindow()->GetID("tuned"));
        REQUIRE(drawn);
        REQUIRE(drawn->ColumnsCount == static_cast<int>(columns));
        for (std::size_t c = 0; c < columns; ++c) {
            given[c] = drawn->Columns[static_cast<int>(c)].WidthGiven;
            needed[c] = ImGui::CalcTextSize(table.columns[c].c_str()).x;
            for (const auto& row : table.rows) needed[c] = std::max(needed[c], ImGui::CalcTextSize(row[c].c_str()).x);
        }
        ImGui::End();
    };
    for (int i = 0; i < 4; ++i) imgui.frame(body);
    for (std::size_t c = 0; c < columns; ++c) {
        CAPTURE(c);
        CHECK(needed[c] > 0);
        CHECK(given[c] >= needed[c]);
    }
}
