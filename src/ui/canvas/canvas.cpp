#include "ui/canvas/canvas.h"

namespace optiviz::ui {

namespace {
// ImGuiIO::UserData is ImGui's slot for the application's per-context data; only CanvasRoute uses it.
CanvasRoute* current_route() { return static_cast<CanvasRoute*>(ImGui::GetIO().UserData); }
}  // namespace

CanvasRoute::CanvasRoute(Canvas& canvas) : canvas_(canvas), previous_(ImGui::GetIO().UserData) {
    ImGui::GetIO().UserData = this;
}

CanvasRoute::~CanvasRoute() { ImGui::GetIO().UserData = previous_; }

WindowCanvas::WindowCanvas() : own_(ImGui::GetWindowDrawList()), target_(&own_) {
    if (const CanvasRoute* route = current_route()) target_ = &route->canvas();
}

}  // namespace optiviz::ui
