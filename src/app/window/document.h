// The scene's file as the window sees it: which file the scene came from or was last saved to,
// whether it has edits that file does not hold, and the window title that says both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/scene/scene.h"

namespace optiviz::app {

class Document {
public:
    // `scene` as the window opens it; `path` the scene file it was read from ("" : none, e.g. the
    // default scene or a data file).
    explicit Document(const Scene& scene, std::string path = "") : saved_(scene), path_(std::move(path)) {}

    const std::string& path() const { return path_; }
    const Scene& saved() const { return saved_; }  // the scene as its file holds it (or as the window opened)
    // True when `now` differs from the scene the file holds in anything an undo step is about
    // (navigation and playback are not edits), or when the document was marked modified.
    bool modified(const Scene& now) const;
    // The window loaded or saved the scene file `path` and now shows `now`: that file is the document.
    void saved_as(const std::string& path, const Scene& now);
    // Unsaved from the start (a restored session that had unsaved edits).
    void mark_modified() { marked_ = true; }

private:
    Scene saved_;
    std::string path_;
    bool marked_ = false;
};

// Keeps the window's scene in the session file (settings.h) so the next launch can restore it:
// at most every `interval` seconds while it changes, and whenever asked with `now` (closing).
// A session that cannot be written is said once in `problem` and otherwise ignored.
class SessionKeeper {
public:
    explicit SessionKeeper(std::string path, double interval = 5.0) : path_(std::move(path)), interval_(interval) {}
    // `scene` with the document's state; `seconds` a monotonic clock. Returns true when it wrote.
    bool keep(const Scene& scene, const Document& document, double seconds, bool now, std::string* problem = nullptr);

private:
    std::string path_;
    double interval_ = 5.0, last_write_ = -1e300;
    std::optional<Scene> kept_;
    std::string kept_path_;
    bool kept_modified_ = false, failed_ = false;
};

// The question before the window closes with unsaved edits: an ImGui modal with Save, Discard and
// Cancel (Escape cancels, Enter saves). Drawn every frame; shown from the frame after ask().
enum class QuitAnswer { None, Save, Discard, Cancel };
class QuitQuestion {
public:
    void ask() { asked_ = true; }
    bool showing() const { return asked_ || showing_; }
    // Draws the modal when asked; returns the answer in the frame it is given (None otherwise).
    // `save_path` is where Save writes the scene, shown in the question.
    QuitAnswer draw(const std::string& save_path);

private:
    bool asked_ = false, showing_ = false;
};

// "valley.json — optiviz" (the file's name, not its folder), "*valley.json — optiviz" with unsaved
// edits, "optiviz" and "*optiviz" without a file.
std::string window_title(const std::string& path, bool modified);

// The window icon's PNG files as `cmake --install` and the .deb place them, beside the program's
// bin folder (<prefix>/share/icons/hicolor/NxN/apps/optiviz.png), largest first; `executable` is the
// program's own path (/proc/self/exe). Only files that exist are listed.
std::vector<std::string> installed_icon_files(const std::string& executable);

// Whether a file the window was asked to open is a scene (by its name: ".json", any case).
bool is_scene_file(const std::string& path);

}  // namespace optiviz::app
