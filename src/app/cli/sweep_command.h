// `optiviz sweep` and `optiviz basins`: many whole runs, written as CSV or drawn as a PNG map.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "app/cli/trace_request.h"

namespace optiviz::cli {

struct SweepRequest {
    TraceRequest run;  // surface, optimizer, hyperparameters, start, steps (as for trace)
    std::string x_axis, y_axis;  // NAME=LO:HI:lin|log:COUNT
    std::string metric = "final-loss";
    std::string out;             // FILE.csv, FILE.png, or - (CSV on standard output)
    std::string size = "1100x900";
    std::string starts = "1";    // K runs per cell (core/analysis/sweep.h MultiStart)
    std::optional<std::string> spread;  // start jitter, parameter units (default kDefaultSweepSpread)
    std::string aggregate = "median";   // median | worst: what the map and the best line show
};

struct BasinsRequest {
    TraceRequest run;            // as for trace, without --start
    std::string grid;            // XMIN,XMAX,YMIN,YMAX
    std::string resolution;      // R: R × R starts
    std::optional<std::string> radius;
    std::string out;
    std::string size = "1000x760";
    std::string starts = "1";           // K runs per cell
    std::optional<std::string> spread;  // start jitter, a fraction of the cell (default kDefaultBasinSpread)
    std::string aggregate = "median";   // median | worst: the steps that make a cell paler
};

// Each writes its file and a one-line summary with the timing to `out` (with --out -: the CSV to
// `out` and the summary to `err`), then to `err` any note on
// the metric and, last, "best: NAME=VALUE NAME=VALUE METRIC=VALUE" naming the best cell (as the CSV
// row with the best metric has it; basins: the start that ends lowest). Throws with one line on bad
// input (no file is written then).
void run_sweep_command(const SweepRequest& request, std::ostream& out, std::ostream& err);
void run_basins_command(const BasinsRequest& request, std::ostream& out, std::ostream& err);

}  // namespace optiviz::cli
