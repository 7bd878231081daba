// `optiviz sweep` and `optiviz basins`: many whole runs, written as CSV or drawn as a PNG map.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "app/trace_request.h"

namespace optiviz::cli {

struct SweepRequest {
    TraceRequest run;  // surface, optimizer, hyperparameters, start, steps (as for trace)
    std::string x_axis, y_axis;  // NAME=LO:HI:lin|log:COUNT
    std::string metric = "final-loss";
    std::string out;             // FILE.csv or FILE.png
    std::string size = "1100x900";
};

struct BasinsRequest {
    TraceRequest run;            // as for trace, without --start
    std::string grid;            // XMIN,XMAX,YMIN,YMAX
    std::string resolution;      // R: R × R starts
    std::optional<std::string> radius;
    std::string out;
    std::string size = "1000x760";
};

// Each writes its file and a one-line summary with the timing to `out`, then to `err` any note on
// the metric and, last, "best: NAME=VALUE NAME=VALUE METRIC=VALUE" naming the best cell (as the CSV
// row with the best metric has it; basins: the start that ends lowest). Throws with one line on bad
// input (no file is written then).
void run_sweep_command(const SweepRequest& request, std::ostream& out, std::ostream& err);
void run_basins_command(const BasinsRequest& request, std::ostream& out, std::ostream& err);

}  // namespace optiviz::cli
