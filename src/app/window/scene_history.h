// Undo and redo of scene edits. Once per frame the app shows the history the scene; an edit is
// recorded when the scene differs from the last recorded one and no gesture is in progress, so one
// slider drag is one step. Navigation (the view, the 3-D camera) and playback are not edits: undo
// keeps them as they are.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/scene/scene.h"

namespace optiviz::app {

class SceneHistory {
public:
    static constexpr std::size_t kMaxSteps = 200;

    explicit SceneHistory(Scene initial = {}) : recorded_(std::move(initial)) {}

    // Records `scene` as a new step if it differs from the last one in anything but navigation.
    // `gesture` is true while a mouse button is held (the edit is not finished yet).
    void record(const Scene& scene, bool gesture);
    // Starts over from `scene` (a new window, tests).
    void reset(const Scene& scene);

    bool can_undo() const { return !undo_.empty(); }
    bool can_redo() const { return !redo_.empty(); }
    // The scene before the last edit (with `current`'s view and camera), or nothing to undo.
    std::optional<Scene> undo(const Scene& current);
    std::optional<Scene> redo(const Scene& current);

private:
    Scene recorded_;
    std::vector<Scene> undo_, redo_;
};

// Equal in everything an undo step is about (all fields except view, camera and playback step).
bool same_edit(const Scene& a, const Scene& b);

}  // namespace optiviz::app
