// The window's document: its title, unsaved edits, the question before closing, the session kept
// for the next launch, the window icon's files, and shortcuts on German and French layouts.
#include "support/catch.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/window/app_frame.h"
#include "app/app_state.h"
#include "app/cli/cli.h"
#include "app/window/document.h"
#include "app/window/settings.h"
#include "ui/overlays/basin_map.h"
#include "core/surfaces/dataset.h"
#include "core/scene/scene.h"
#include "support/find_item.h"
#include "support/headless_imgui.h"
#include "ui/canvas/imgui_compat.h"

using namespace optiviz;

TEST_CASE("the title names the scene file and marks unsaved edits", "[app][document]") {
    CHECK(app::window_title("", false) == "optiviz");
    CHECK(app::window_title("", true) == "*optiviz");
    CHECK(app::window_title("/home/ann/valley.json", false) == "valley.json \u2014 optiviz");
    CHECK(app::window_title("/home/ann/valley.json", true) == "*valley.json \u2014 optiviz");
}

TEST_CASE("a document is modified by edits, not by navigation, and saved by saving", "[app][document]") {
    Scene scene = default_scene();
    app::Document document(scene, "/tmp/a.json");
    CHECK_FALSE(document.modified(scene));
    scene.view = {-9, 9, -9, 9};  // navigation
    scene.step = 17;              // playback
    CHECK_FALSE(document.modified(scene));
    scene.runs[0].config.hyper["lr"] = 0.5;  // an edit
    CHECK(document.modified(scene));
    document.saved_as("/tmp/b.json", scene);
    CHECK_FALSE(document.modified(scene));
    CHECK(document.path() == "/tmp/b.json");
    document.mark_modified();
    CHECK(document.modified(scene));
    document.saved_as("/tmp/b.json", scene);
    CHECK_FALSE(document.modified(scene));
}

TEST_CASE("scene files are told by their name", "[app][document]") {
    CHECK(app::is_scene_file("a.json"));
    CHECK(app::is_scene_file("/x/B.JSON"));
    CHECK_FALSE(app::is_scene_file("data.csv"));
    CHECK_FALSE(app::is_scene_file("json"));
}

TEST_CASE("the session round-trips and a broken one is one line, not a crash", "[app][session]") {
    const std::string folder = "optiviz_test_session";
    std::filesystem::remove_all(folder);
    const std::string path = folder + "/state/session.json";
    app::Session session;
    session.scene = default_scene();
    session.scene.surface = "himmelblau";
    session.scene.runs.resize(2);
    session.scene_path = "/home/ann/valley.json";
    session.modified = true;
    app::save_session(path, session);  // creates the folders
    std::string problem;
    const auto loaded = app::load_session(path, &problem);
    REQUIRE(loaded);
    CHECK(loaded->scene == session.scene);
    CHECK(loaded->scene_path == session.scene_path);
    CHECK(loaded->modified);
    CHECK(problem.empty());
    CHECK_FALSE(app::load_session(folder + "/none.json", &problem));
    CHECK(problem.empty());
    std::ofstream(path) << "{\"format\": \"optiviz-session\", \"scene\": {\"format\": \"optiviz-scene\"";
    CHECK_FALSE(app::load_session(path, &problem));
    CHECK(problem.rfind("the last session was not restored", 0) == 0);
    CHECK(problem.find('\n') == std::string::npos);
    std::filesystem::remove_all(folder);
}

TEST_CASE("the state folder follows XDG_STATE_HOME, then HOME", "[app][session]") {
    const char* xdg = std::getenv("XDG_STATE_HOME");
    const std::string saved = xdg ? xdg : "";
    setenv("XDG_STATE_HOME", "/tmp/xdg-state", 1);
    CHECK(app::state_folder() == "/tmp/xdg-state/optiviz");
    unsetenv("XDG_STATE_HOME");
    if (const char* home = std::getenv("HOME")) CHECK(app::state_folder() == std::string(home) + "/.local/state/optiviz");
    if (xdg) setenv("XDG_STATE_HOME", saved.c_str(), 1);
}

TEST_CASE("the session keeper writes after edits, at most every interval, and at once when closing", "[app][session]") {
    const std::string folder = "optiviz_test_keeper";
    std::filesystem::remove_all(folder);
    const std::string path = folder + "/session.json";
    Scene scene = default_scene();
    app::Document document(scene);
    app::SessionKeeper keeper(path, 5.0);
    CHECK(keeper.keep(scene, document, 0.0, false));  // the first keep writes
    CHECK_FALSE(keeper.keep(scene, document, 10.0, false));  // unchanged: nothing to write
    scene.runs[0].config.hyper["lr"] = 0.25;
    CHECK_FALSE(keeper.keep(scene, document, 1.0, false));  // changed, but too soon
    CHECK(keeper.keep(scene, document, 6.0, false));
    const auto kept = app::load_session(path);
    REQUIRE(kept);
    CHECK(kept->scene.runs[0].config.hyper.at("lr") == 0.25);
    CHECK(kept->modified);
    scene.steps = 77;
    CHECK(keeper.keep(scene, document, 6.5, true));  // closing: at once
    CHECK(app::load_session(path)->scene.steps == 77);
    // A folder that cannot be created: one problem line, said once, and no exception.
    std::ofstream(folder + "/file") << "x";
    app::SessionKeeper broken(folder + "/file/session.json");
    std::string problem;
    CHECK_FALSE(broken.keep(scene, document, 0.0, true, &problem));
    CHECK_FALSE(problem.empty());
    problem.clear();
    scene.steps = 78;
    CHECK_FALSE(broken.keep(scene, document, 100.0, true, &problem));
    CHECK(problem.empty());
    std::filesystem::remove_all(folder);
}

TEST_CASE("closing with unsaved edits asks: Save, Discard, Cancel, Escape", "[app][document]") {
    test::HeadlessImGui imgui;
    app::QuitQuestion question;
    app::QuitAnswer answer = app::QuitAnswer::None;
    const auto body = [&] {
        const app::QuitAnswer given = question.draw("/home/ann/valley.json");
        if (given != app::QuitAnswer::None) answer = given;
    };
    imgui.frame(body);
    CHECK_FALSE(question.showing());
    CHECK(ImGui::FindWindowByName("Unsaved changes") == nullptr);
    for (const char* button : {"Discard", "Save", "Cancel"}) {
        INFO(button);
        answer = app::QuitAnswer::None;
        question.ask();
        CHECK(question.showing());
        const auto at = test::find_item(imgui, body, "Unsaved changes", button);
        REQUIRE(at);
        CHECK(answer == app::QuitAnswer::None);  // hovering is not answering
        imgui.click(*at, body);
        const app::QuitAnswer expected = std::string(button) == "Discard" ? app::QuitAnswer::Discard
                                         : std::string(button) == "Save"  ? app::QuitAnswer::Save
                                                                          : app::QuitAnswer::Cancel;
        CHECK(answer == expected);
        CHECK_FALSE(question.showing());
    }
    answer = app::QuitAnswer::None;
    question.ask();
    imgui.frame(body);
    imgui.press_key(ImGuiKey_Escape, body);
    CHECK(answer == app::QuitAnswer::Cancel);
}

TEST_CASE("the window icon is found beside the installed program", "[app][document]") {
    const std::string prefix = "optiviz_test_prefix";
    std::filesystem::remove_all(prefix);
    CHECK(app::installed_icon_files(prefix + "/bin/optiviz").empty());
    for (const char* size : {"16x16", "256x256", "48x48"}) {
        std::filesystem::create_directories(prefix + "/share/icons/hicolor/" + size + "/apps");
        std::ofstream(prefix + "/share/icons/hicolor/" + size + "/apps/optiviz.png") << "png";
    }
    const auto files = app::installed_icon_files(prefix + "/bin/optiviz");
    REQUIRE(files.size() == 3);
    CHECK(files[0].find("256x256") != std::string::npos);  // largest first
    CHECK(files[2].find("16x16") != std::string::npos);
    std::filesystem::remove_all(prefix);
}

TEST_CASE("on German and French layouts the app's shortcuts follow the key labels", "[app][keys][layout]") {
    // What glfwGetKeyName answers on xkb "de" and "fr" for the keys that differ from "us".
    const auto de = ui::KeyLayout::from_key_names([](int code) -> const char* {
        static char name[2];
        if (code == 'Y') return "z";
        if (code == 'Z') return "y";
        if (code < 'A' || code > 'Z') return nullptr;
        name[0] = static_cast<char>(code - 'A' + 'a');
        return name;
    });
    const auto fr = ui::KeyLayout::from_key_names([](int code) -> const char* {
        static char name[2];
        if (code == 'A') return "q";
        if (code == 'Q') return "a";
        if (code == 'Z') return "w";
        if (code == 'W') return "z";
        if (code < 'A' || code > 'Z') return nullptr;
        name[0] = static_cast<char>(code - 'A' + 'a');
        return name;
    });
    test::HeadlessImGui imgui;
    app::AppState state(default_scene());
    state.finish();
    app::FrameResult last;
    bool quit = false, undo = false;
    const auto body = [&] {
        last = app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; });
        quit = quit || last.quit;
        undo = undo || last.commands.undo;
    };
    const auto press_with_ctrl = [&](char us_position, const ui::KeyLayout& layout) {
        ui::current_key_layout() = layout;
        quit = undo = false;
        ui::set_modifiers(imgui.io(), true, false);
        imgui.frame(body);
        ui::set_physical_key_down(imgui.io(), us_position, true, layout);
        imgui.frame(body);
        ui::set_physical_key_down(imgui.io(), us_position, false, layout);
        imgui.frame(body);
        ui::set_modifiers(imgui.io(), false, false);
        imgui.frame(body);
        ui::current_key_layout() = ui::KeyLayout();
    };
    imgui.frame(body);
    press_with_ctrl('Y', de);  // German Ctrl+Z (labelled Z, at US Y)
    CHECK(undo);
    press_with_ctrl('Z', de);  // German Ctrl+Y: redo, not undo
    CHECK_FALSE(undo);
    press_with_ctrl('Q', fr);  // French Ctrl+A (at US Q): not quit
    CHECK_FALSE(quit);
    press_with_ctrl('A', fr);  // French Ctrl+Q (at US A): quit
    CHECK(quit);
}

// ---- Open with: `optiviz FILE` as a file manager runs it (the desktop entry's Exec=optiviz %F).
namespace {

struct Launch {
    int status;
    std::string err;
    cli::LaunchRequest request;
};

Launch launch(std::vector<std::string> args) {
    args.insert(args.begin(), "optiviz");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::istringstream in;
    std::ostringstream out, err;
    Launch result;
    result.status = cli::run(static_cast<int>(argv.size()), argv.data(), in, out, err, &result.request);
    result.err = err.str();
    return result;
}

}  // namespace

TEST_CASE("optiviz FILE opens a scene or a CSV in the window, also as a file:// URI", "[app][open-with]") {
    const std::filesystem::path folder = std::filesystem::absolute("optiviz_test_open");
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    Scene saved = default_scene();
    saved.surface = "himmelblau";
    const std::string scene_path = (folder / "my scene.json").string();
    std::ofstream(scene_path) << scene_to_json(saved);
    const std::string csv_path = (folder / "points.CSV").string();
    std::ofstream(csv_path) << "x,y\n1,2\n2,4\n3,6.5\n";

    const Launch scene = launch({scene_path});
    REQUIRE(scene.status == 0);
    CHECK(scene.request.requested);
    CHECK(scene.request.scene.surface == "himmelblau");
    CHECK(scene.request.window.scene_path == scene_path);
    CHECK_FALSE(scene.request.window.restore_session);

    const Launch uri = launch({"file://" + folder.string() + "/my%20scene.json"});
    REQUIRE(uri.status == 0);
    CHECK(uri.request.scene.surface == "himmelblau");
    CHECK(uri.request.window.scene_path == scene_path);

    const Launch data = launch({csv_path});
    REQUIRE(data.status == 0);
    CHECK(data.request.scene.surface == "mse");
    CHECK(data.request.scene.data.path == csv_path);
    const Launch logistic_data = launch({"--surface", "logistic", csv_path});
    CHECK(logistic_data.status == 2);  // labels 2, 4, 6.5 are not 0/1: refused, as with --data
    CHECK(launch({"--surface", "mse", csv_path}).status == 0);

    for (const auto& [args, expected] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{(folder / "none.json").string()}, "no such file"},
             {{folder.string()}, "not a regular file"},
             {{scene_path, csv_path}, "give one file to open, got 2"},
             {{"file://server/share/a.json"}, "only local files"},
             {{"--scene", scene_path, scene_path}, "a scene file and --scene: give one"},
         }) {
        INFO(args.front());
        const Launch refused = launch(args);
        CHECK(refused.status == 2);
        CHECK(refused.err.find(expected) != std::string::npos);
        CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
    }
    std::ofstream((folder / "notes.txt").string()) << "x";
    CHECK(launch({(folder / "notes.txt").string()}).err.find("optiviz opens scenes (.json) and data files (.csv)") !=
          std::string::npos);
    std::filesystem::remove_all(folder);
}

TEST_CASE("the last session is restored only when no file or scene option is given", "[app][open-with][session]") {
    CHECK(launch({}).request.window.restore_session);
    CHECK(launch({"--size", "800x600"}).request.window.restore_session);
    CHECK_FALSE(launch({"--surface", "himmelblau"}).request.window.restore_session);
    CHECK_FALSE(launch({"--preset", "narrow-valley"}).request.window.restore_session);
    CHECK_FALSE(launch({"--steps", "10"}).request.window.restore_session);
}

TEST_CASE("a misspelt command is not taken for a file", "[app][open-with]") {
    const Launch typo = launch({"rendr", "--out", "x.png"});
    CHECK(typo.status == 2);
    CHECK(typo.err == "optiviz: error: unknown command 'rendr'; did you mean 'render'? (see optiviz --help)\n");
}

TEST_CASE("the trajectory CSV quotes labels per RFC 4180 and reads back", "[app][csv]") {
    CHECK(app::csv_field("Adam lr=0.05") == "Adam lr=0.05");
    CHECK(app::csv_field("Adam, \"fast\"") == "\"Adam, \"\"fast\"\"\"");
    CHECK(app::csv_field("Adam, lr 0.1") == "\"Adam, lr 0.1\"");  // a comma alone needs quotes too
    CHECK(app::csv_field("two\nlines") == "\"two\nlines\"");
    Scene scene = default_scene();
    scene.runs.resize(1);
    scene.runs[0].label = "Adam, \"fast\" " + std::string(240, 'x');  // near the 256-byte limit on labels
    scene.steps = 3;
    app::AppState state(scene);
    state.finish();
    const std::string csv = app::trajectories_csv(state);
    CHECK(csv.find("\n0,\"Adam, \"\"fast\"\" " + std::string(240, 'x') + "\",0,-1.5,2,") != std::string::npos);
    // The data reader (RFC 4180 quoting) takes the same file: the label is one field.
    const Dataset rows = parse_dataset_csv(csv, "trajectories.csv", CsvColumns{"x", "loss"});
    CHECK(rows.size() == 4);
    CHECK(rows.x[0] == -1.5);
}

TEST_CASE("the window run numbers are 1-based and bounded: 0 is off and one past the last run is refused", "[app][cli]") {
    // The default scene has six runs.
    for (const char* option : {"--basins-of", "--sweep-of"}) {
        INFO(option);
        const Launch last = launch({option, "6", "--frames", "1"});
        CHECK(last.status == 0);
        CHECK(last.request.requested);
        const Launch off = launch({option, "0", "--frames", "1"});
        CHECK(off.status == 0);
        const Launch past = launch({option, "7", "--frames", "1"});
        CHECK(past.status == 2);
        CHECK(past.err == std::string("optiviz: error: ") + option + ": no run 7\n");
        CHECK(launch({option, "-1", "--frames", "1"}).status == 2);
    }
    // The maps asked for are scene settings: a scene saved from that window keeps them.
    const Launch basins = launch({"--basins-of", "6"});
    REQUIRE(ui::basin_map_settings(basins.request.scene));
    CHECK(ui::basin_map_settings(basins.request.scene)->run == 5);
    CHECK_FALSE(basins.request.scene.sweep.on);
    const Launch sweep = launch({"--sweep-of", "2"});
    CHECK(sweep.request.scene.sweep.on);
    CHECK(sweep.request.scene.sweep.run == 1);
    CHECK(sweep.request.scene.sweep.x_param == "lr");
    CHECK(sweep.request.scene.sweep.y_param == "momentum");  // run 2 is SGD with momentum: its next parameter
    CHECK_NOTHROW(validate_scene(sweep.request.scene));
    CHECK_FALSE(ui::basin_map_settings(sweep.request.scene));
}
