#include "support/catch.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/window/settings.h"

using namespace optiviz;

TEST_CASE("settings round-trip, and bad files give the defaults with one line", "[app][settings]") {
    const std::string folder = "optiviz_test_settings";
    const std::string path = folder + "/nested/settings.json";
    std::filesystem::remove_all(folder);
    app::Settings settings;
    settings.window_width = 1111;
    settings.window_height = 777;
    settings.export_width = 800;
    settings.export_height = 600;
    for (int i = 0; i < 12; ++i) app::remember_file(settings, folder + "/file" + std::to_string(i % 11) + ".json");
    CHECK(settings.recent.size() == app::Settings::kMaxRecent);
    CHECK(settings.recent.front().find("file0.json") != std::string::npos);  // the newest first
    CHECK(settings.recent[1].find("file10.json") != std::string::npos);
    CHECK(std::filesystem::path(settings.last_folder).filename() == folder);
    app::save_settings(path, settings);  // creates the folder
    std::string problem;
    CHECK(app::load_settings(path, &problem) == settings);
    CHECK(problem.empty());
    // Missing: defaults, no complaint. Broken: defaults and one line.
    CHECK(app::load_settings(folder + "/none.json") == app::Settings{});
    std::ofstream(path) << "{ \"window_width\": 12345678, \"recent\": [1, \"a\"]";
    CHECK(app::load_settings(path, &problem) == app::Settings{});
    CHECK(problem.find("settings ignored") != std::string::npos);
    CHECK(problem.find('\n') == std::string::npos);
    // Values out of range keep their defaults; good ones are taken.
    std::ofstream(path) << "{ \"window_width\": 12345678, \"window_height\": 700, \"recent\": [1, \"a\"] }";
    const app::Settings partial = app::load_settings(path, &problem);
    CHECK(partial.window_width == app::Settings{}.window_width);
    CHECK(partial.window_height == 700);
    CHECK(partial.recent == std::vector<std::string>{"a"});
    std::filesystem::remove_all(folder);
}

TEST_CASE("the settings folder follows XDG_CONFIG_HOME, then HOME", "[app][settings]") {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = xdg ? xdg : "";
    setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
    CHECK(app::settings_folder() == "/tmp/xdg-test/optiviz");
    unsetenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    if (home) CHECK(app::settings_folder() == std::string(home) + "/.config/optiviz");
    if (xdg) setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
}
