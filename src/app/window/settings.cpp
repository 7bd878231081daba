#include "app/window/settings.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "ui/overlay.h"

namespace optiviz::app {

std::string settings_folder() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return std::string(xdg) + "/optiviz";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.config/optiviz";
    return {};
}

Settings load_settings(const std::string& path, std::string* problem) {
    Settings settings;
    std::ifstream file(path);
    if (!file) return settings;
    try {
        std::ostringstream text;
        text << file.rdbuf();
        const nlohmann::json j = nlohmann::json::parse(text.str());
        // Each value is taken only when it makes sense; anything else keeps its default.
        auto size = [&](const char* key, int& value, int lo, int hi) {
            if (j.contains(key) && j.at(key).is_number_integer()) {
                const auto v = j.at(key).get<long long>();
                if (v >= lo && v <= hi) value = static_cast<int>(v);
            }
        };
        size("window_width", settings.window_width, 320, 16384);
        size("window_height", settings.window_height, 240, 16384);
        size("export_width", settings.export_width, 16, 3840);
        size("export_height", settings.export_height, 16, 2160);
        if (j.contains("last_folder") && j.at("last_folder").is_string()) settings.last_folder = j.at("last_folder");
        if (j.contains("recent") && j.at("recent").is_array())
            for (const auto& item : j.at("recent"))
                if (item.is_string() && settings.recent.size() < Settings::kMaxRecent) settings.recent.push_back(item);
    } catch (const std::exception& e) {
        if (problem) *problem = path + ": settings ignored (" + std::string(e.what()).substr(0, 120) + ")";
        return Settings{};
    }
    return settings;
}

void save_settings(const std::string& path, const Settings& settings) {
    nlohmann::json j = {{"window_width", settings.window_width},   {"window_height", settings.window_height},
                        {"export_width", settings.export_width},   {"export_height", settings.export_height},
                        {"last_folder", settings.last_folder},     {"recent", settings.recent}};
    std::error_code error;
    const std::filesystem::path target(path);
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), error);
    write_file_atomically(path, j.dump(2) + "\n");  // a failed write never leaves half a file
}

std::string state_folder() {
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) return std::string(xdg) + "/optiviz";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/state/optiviz";
    return {};
}

void save_session(const std::string& path, const Session& session) {
    const nlohmann::json j = {{"format", "optiviz-session"},
                              {"version", 1},
                              {"scene_path", session.scene_path},
                              {"modified", session.modified},
                              {"scene", nlohmann::json::parse(scene_to_json(session.scene))}};
    std::error_code error;
    const std::filesystem::path target(path);
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), error);
    write_file_atomically(path, j.dump(1) + "\n");
}

std::optional<Session> load_session(const std::string& path, std::string* problem) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return std::nullopt;
    try {
        const nlohmann::json j = nlohmann::json::parse(read_regular_file(path, "session file", limits::kMaxSceneFileBytes));
        if (j.value("format", "") != "optiviz-session") throw std::invalid_argument("not an optiviz session");
        Session session;
        session.scene = scene_from_json(j.at("scene").dump(), path);
        ui::adopt_retired_keys(session.scene);
        session.scene_path = j.value("scene_path", std::string());
        session.modified = j.value("modified", false);
        return session;
    } catch (const std::exception& e) {
        if (problem) *problem = "the last session was not restored (" + std::string(e.what()).substr(0, 160) + ")";
        return std::nullopt;
    }
}

void remember_file(Settings& settings, const std::string& path) {
    std::error_code error;
    std::string absolute = std::filesystem::absolute(path, error).lexically_normal().string();
    if (error) absolute = path;
    auto& recent = settings.recent;
    recent.erase(std::remove(recent.begin(), recent.end(), absolute), recent.end());
    recent.insert(recent.begin(), absolute);
    if (recent.size() > Settings::kMaxRecent) recent.resize(Settings::kMaxRecent);
    settings.last_folder = std::filesystem::path(absolute).parent_path().string();
}

}  // namespace optiviz::app
