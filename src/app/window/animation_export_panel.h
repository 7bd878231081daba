// The window's animation export: the dialog (ui/panels/animation_dialog.h) and the export it starts
// (animation_export.h), run in slices on the UI thread (GL) with the encoding on a worker, so the
// window stays responsive. The export draws the scene as it was when Export was pressed.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/export/animation_export.h"
#include "app/app_state.h"
#include "app/export/picture.h"
#include "ui/panels/animation_dialog.h"

namespace optiviz::app {

class AnimationExportPanel {
public:
    ui::AnimationDialog dialog;
    bool file_dialogs = false;  // a native file dialog can be shown (the file field's "..." button)

    // Opens the dialog, its file in `folder` (the one the user last used) unless a path was typed.
    void open(const std::string& folder);

    // Between ImGui::NewFrame and ImGui::Render: draws the dialog (when open) for `state`.
    void draw(const AppState& state);

    // After the window's frame was drawn, on the GL thread: starts or cancels what the dialog
    // asked for, then renders frames for up to `budget`. Never throws: errors show in the dialog.
    void update(const AppState& state, PictureRenderer& renderer, std::chrono::steady_clock::duration budget);

    // Whether "..." was pressed since the last call: the caller shows the file dialog.
    bool take_file_request() { return std::exchange(file_requested_, false); }
    // The file chosen in that dialog: its extension picks the format when it names one, else the
    // format's extension is added.
    void use_chosen_file(const std::string& path);

    bool running() const { return export_ && !export_->done(); }
    const std::string& message() const { return message_; }
    bool message_is_error() const { return message_is_error_; }
    // Worker threads of cancelled exports that are still stopping (they are joined once stopped).
    std::size_t stopping() const;

private:
    void start(const AppState& state);
    void finish();

    ui::AnimationDialogActions actions_;
    std::unique_ptr<AnimationExport> export_;
    std::vector<std::unique_ptr<AnimationExport>> cancelled_;  // kept until their worker has stopped
    std::string message_;
    bool message_is_error_ = false;
    bool file_requested_ = false;
};

// The picture view that matches what the window shows (the map, the 3-D surface, both, or the map
// beside the data panel), as the PNG export chooses it.
PictureView window_picture_view(const AppState& state);

// The request the dialog's settings describe.
AnimationRequest animation_request(const ui::AnimationDialog& dialog, PictureView view);

}  // namespace optiviz::app
