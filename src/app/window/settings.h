// What the app remembers between sessions, kept in $XDG_CONFIG_HOME/optiviz/settings.json
// (~/.config/optiviz without XDG_CONFIG_HOME): the window's size, the recent scene and data files,
// the last folder used and the export size. A missing or unreadable file gives the defaults.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/scene/scene.h"

namespace optiviz::app {

struct Settings {
    static constexpr std::size_t kMaxRecent = 10;

    int window_width = 1440, window_height = 900;
    std::vector<std::string> recent;  // newest first, no duplicates
    std::string last_folder;          // where the last file was opened or saved ("" : none yet)
    int export_width = 1920, export_height = 1080;

    bool operator==(const Settings&) const = default;
};

// The settings folder; empty when neither XDG_CONFIG_HOME nor HOME is set.
std::string settings_folder();

// Reads settings from `path`; defaults for a missing file, and for one that cannot be parsed (with
// `problem` set to one line saying why, when given).
Settings load_settings(const std::string& path, std::string* problem = nullptr);
// Writes settings to `path`, creating its folder. Throws std::runtime_error with one line.
void save_settings(const std::string& path, const Settings& settings);

// Where the app keeps its state between sessions (not settings, which a user may copy between
// machines): $XDG_STATE_HOME/optiviz (~/.local/state/optiviz without XDG_STATE_HOME); empty when
// neither XDG_STATE_HOME nor HOME is set.
std::string state_folder();

// The window's last scene, kept in state_folder()/session.json and restored on the next launch
// unless a file or scene options are given, so closing the window never loses work.
struct Session {
    Scene scene;
    std::string scene_path;  // the scene file it came from or was saved to ("" : none)
    bool modified = false;   // it had edits that file does not hold
};
// Writes `session` to `path` atomically, creating its folder. Throws with one line.
void save_session(const std::string& path, const Session& session);
// The session in `path`; nothing for a missing file, and for one that cannot be used (with `problem`
// set to one line saying why, when given).
std::optional<Session> load_session(const std::string& path, std::string* problem = nullptr);

// Puts `path` first in the recent list (and its folder in last_folder).
void remember_file(Settings& settings, const std::string& path);

}  // namespace optiviz::app
