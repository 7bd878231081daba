// The control panel's parts for your own runs (core/io/imported_trajectory.h): an imported run's entry
// and the field that adds one from a CSV file.
#pragma once

#include "core/scene/scene.h"
#include "ui/panels/control_panel.h"

namespace optiviz::ui {

// Inside an imported run's open tree node: where it came from and a Remove button (it has no
// optimizer settings; sliders do not change it). Returns true when Remove was pressed.
bool draw_imported_run_entry(const RunSpec& run);

// A path field (with "..." for the file dialog when the app has one) and an "Add" button that asks
// for the file's runs to be added (PanelCommands::open_trajectory).
void draw_add_own_run(PanelState& panel, PanelCommands& requests);

}  // namespace optiviz::ui
