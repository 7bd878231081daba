// Loss against step for every run, on a log axis, with a legend in the runs' colours and a
// cursor at the playback step. Drawn with ImGui draw lists (ImPlot is not packaged by Debian).
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "ui/views/landscape_view.h"

namespace optiviz::ui {

struct LossPlotInput {
    std::string title;    // a line above the plot naming the function (the loss-only picture); "" for none
    std::vector<RunView> runs;
    long steps = 0;       // x axis: 0..steps
    long step = 0;        // cursor
    double floor = 0.0;   // plotted: loss − floor (the best known loss), so the log axis works for
                          // surfaces whose minimum is not 0
    int front_run = -1;   // a run brought forward (its legend entry hovered in another panel): drawn
                          // last and wider
    long tuned_steps = 0; // > 0 when the runs were tuned on another number of steps than they show:
                          // a dashed line at that step, labelled "tuned on N steps" (at the right
                          // edge, "→", when it lies beyond the plot)
};

// The plot's vertical range, in log10(loss − floor): the top is set by the runs that do not diverge
// (and every run's start), so a diverging run cannot push the others off the plot; it is clipped at
// the top and marked there. The bottom follows the lowest loss shown, at most 16 decades below the top.
struct LossRange {
    double lo = -1, hi = 1;
};
LossRange loss_plot_range(const LossPlotInput& input);

// What the user did in an interactive plot this frame.
struct LossPlotActions {
    long clicked_step = -1;  // the step clicked or dragged to, or −1
    int hovered_run = -1;    // the run whose legend entry the mouse is over (to bring forward in every
                             // panel), or −1
};

// Draws at the cursor in `size` pixels; the legend entry of `front_run` is shaded.
LossPlotActions draw_loss_plot(const LossPlotInput& input, ImVec2 size, bool interactive);

}  // namespace optiviz::ui
