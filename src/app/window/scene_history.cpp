#include "app/window/scene_history.h"

namespace optiviz::app {

namespace {

// `scene` with `navigation`'s view, camera and playback step.
Scene with_navigation(Scene scene, const Scene& navigation) {
    scene.view = navigation.view;
    scene.view_is_default = navigation.view_is_default;
    scene.camera = navigation.camera;
    scene.step = navigation.step;
    return scene;
}

}  // namespace

bool same_edit(const Scene& a, const Scene& b) { return with_navigation(a, b) == b; }

void SceneHistory::record(const Scene& scene, bool gesture) {
    if (gesture || same_edit(scene, recorded_)) return;
    undo_.push_back(std::move(recorded_));
    if (undo_.size() > kMaxSteps) undo_.erase(undo_.begin());
    recorded_ = scene;
    redo_.clear();
}

void SceneHistory::reset(const Scene& scene) {
    recorded_ = scene;
    undo_.clear();
    redo_.clear();
}

std::optional<Scene> SceneHistory::undo(const Scene& current) {
    // An edit not yet recorded (the frame's own) is recorded first, so it can be redone.
    record(current, false);
    if (undo_.empty()) return std::nullopt;
    redo_.push_back(std::move(recorded_));
    recorded_ = std::move(undo_.back());
    undo_.pop_back();
    return with_navigation(recorded_, current);
}

std::optional<Scene> SceneHistory::redo(const Scene& current) {
    record(current, false);  // a new edit since the undo ends the redo chain
    if (redo_.empty()) return std::nullopt;
    undo_.push_back(std::move(recorded_));
    recorded_ = std::move(redo_.back());
    redo_.pop_back();
    return with_navigation(recorded_, current);
}

}  // namespace optiviz::app
