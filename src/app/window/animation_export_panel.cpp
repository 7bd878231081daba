#include "app/window/animation_export_panel.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <utility>

namespace optiviz::app {

PictureView window_picture_view(const AppState& state) {
    const Scene::Layout layout = state.scene().layout;
    if (layout == Scene::Layout::Surface3D) return PictureView::Surface3D;
    if (layout == Scene::Layout::Both) return PictureView::LandscapeAnd3D;
    return state.has_data() ? PictureView::Both : PictureView::Landscape;
}

AnimationRequest animation_request(const ui::AnimationDialog& dialog, PictureView view) {
    AnimationRequest request;
    request.path = dialog.path;
    request.width = dialog.width;
    request.height = dialog.height;
    request.fps = dialog.fps;
    if (dialog.by_duration) request.duration = static_cast<double>(dialog.duration);
    else request.steps_per_frame = dialog.steps_per_frame;
    if (!dialog.whole_run) {
        request.from = dialog.from;
        request.to = dialog.to;
    }
    request.view = view;
    return request;
}

void AnimationExportPanel::open(const std::string& folder) {
    dialog.open = true;
    if (dialog.path.find('/') == std::string::npos) {
        std::error_code error;
        const std::filesystem::path base = folder.empty() ? std::filesystem::current_path(error) : std::filesystem::path(folder);
        dialog.path = (base / dialog.path).string();
    }
}

void AnimationExportPanel::draw(const AppState& state) {
    ui::AnimationDialogStatus status;
    status.last_step = state.last_step();
    status.running = running();
    status.message = message_;
    status.message_is_error = message_is_error_;
    status.file_dialogs = file_dialogs;
    if (status.running) {
        status.progress = export_->progress();
        char activity[160];
        switch (export_->phase()) {
            case AnimationExport::Phase::Preparing: std::snprintf(activity, sizeof activity, "computing the runs..."); break;
            case AnimationExport::Phase::Sampling: std::snprintf(activity, sizeof activity, "choosing the GIF's colours..."); break;
            default:
                std::snprintf(activity, sizeof activity, "rendered %d, encoded %d of %d frames", export_->frames_rendered(),
                              export_->frames_encoded(), export_->frames_total());
        }
        status.activity = activity;
    }
    // Actions are carried out in update(), after the frame, where GL may be used.
    const ui::AnimationDialogActions actions = ui::draw_animation_dialog(dialog, status);
    actions_.start = actions_.start || actions.start;
    actions_.cancel = actions_.cancel || actions.cancel;
    file_requested_ = file_requested_ || actions.choose_file;
}

void AnimationExportPanel::use_chosen_file(const std::string& path) {
    const ui::AnimationFormat before = dialog.format;
    const std::string extension = std::filesystem::path(path).extension().string();
    std::string lower(extension.size(), ' ');
    std::transform(extension.begin(), extension.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == ".gif") dialog.format = ui::AnimationFormat::Gif;
    if (lower == ".mp4") dialog.format = ui::AnimationFormat::Mp4;
    if (lower == ".webm") dialog.format = ui::AnimationFormat::WebM;
    if (dialog.format != before) dialog.fps = dialog.format == ui::AnimationFormat::Gif ? 25 : 30;  // as the format menu does
    dialog.path = ui::with_animation_extension(path, dialog.format);
}

void AnimationExportPanel::start(const AppState& state) {
    message_.clear();
    message_is_error_ = false;
    try {
        // Its own state from a copy of the scene: edits made while it runs do not reach it.
        auto snapshot = std::make_unique<AppState>(state.scene());
        export_ = std::make_unique<AnimationExport>(std::move(snapshot), animation_request(dialog, window_picture_view(state)));
    } catch (const std::exception& e) {
        message_ = e.what();
        message_is_error_ = true;
    }
}

void AnimationExportPanel::finish() {
    if (export_->error().empty()) {
        char text[512];
        std::snprintf(text, sizeof text, "wrote %s (%d frames)", export_->request().path.c_str(), export_->frames_total());
        message_ = text;
        message_is_error_ = false;
    } else {
        message_ = export_->error() == "cancelled" ? "cancelled: nothing was written" : export_->error();
        message_is_error_ = export_->error() != "cancelled";
    }
    if (export_->threads() > 0) cancelled_.push_back(std::move(export_));
    export_.reset();
}

std::size_t AnimationExportPanel::stopping() const {
    std::size_t threads = 0;
    for (const auto& e : cancelled_) threads += e->threads();
    return threads;
}

void AnimationExportPanel::update(const AppState& state, PictureRenderer& renderer, std::chrono::steady_clock::duration budget) {
    const ui::AnimationDialogActions actions = std::exchange(actions_, {});
    if (actions.cancel && running()) export_->cancel();
    if (actions.start && !running()) start(state);
    if (export_) {
        export_->advance(renderer, budget);
        if (export_->done()) finish();
    }
    // Cancelled exports whose worker has stopped are let go (joining them no longer waits).
    for (auto& e : cancelled_) e->wait(std::chrono::steady_clock::duration::zero());
    cancelled_.erase(std::remove_if(cancelled_.begin(), cancelled_.end(), [](const auto& e) { return e->threads() == 0; }),
                     cancelled_.end());
}

}  // namespace optiviz::app
