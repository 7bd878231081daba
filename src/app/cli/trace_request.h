// What `optiviz trace` was asked to do, after parsing and before running. Kept free of CLI11 so
// the parser's heavy header stays in cli.cpp.
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/surfaces/dataset.h"
#include "core/surfaces/loss_surface.h"
#include "core/scene/param_spec.h"
#include "core/optimizers/simulation.h"

namespace optiviz::cli {

struct TraceRequest {
    std::string surface;
    std::optional<std::string> expr;  // your own f(x, y) instead of a named surface
    std::vector<std::string> surface_params;  // "KEY=VALUE"
    std::optional<std::string> data_path;  // "-": standard input (stdin_text)
    std::optional<std::string> stdin_text;  // standard input, read by the caller when data_path is "-"
    std::optional<std::string> columns;  // "X,Y": the data file's columns (names or 1-based numbers)
    std::optional<std::string> decimal;  // the data file's decimal mark: "." or ","
    RunConfig run;
    std::vector<std::pair<std::string, std::string>> hyper_text;  // (key, text) from flags, unparsed
    std::string schedule = "constant";
    std::optional<std::string> gamma, step_size, t_max, eta_min, clip_norm, batch_size, seed, tol;
    std::optional<std::string> factor, patience, threshold, threshold_mode, cooldown, min_lr;  // plateau schedule
    std::optional<std::string> loss_tol, loss_patience;  // the loss-change stopping rule
    std::optional<std::string> etas, step_sizes;         // Rprop: "ETA_MINUS,ETA_PLUS", "MIN,MAX"
    std::optional<std::string> line_search;              // L-BFGS: none | strong_wolfe
    std::string start;  // "X,Y"
    std::string steps;
};

// A trace request resolved into what the core runs: the surface, the run's configuration and the
// start point. Throws std::invalid_argument with one line on bad input.
struct ResolvedRun {
    std::unique_ptr<LossSurface> surface;
    RunConfig config;
    Eigen::Vector2d start{0, 0};
};
ResolvedRun resolve_run(const TraceRequest& request, bool needs_start);
// The run's configuration alone (optimizer flags, schedule, clipping, mini-batches, stopping rules,
// steps), parsed strictly but not yet validated against a surface: resolve_run and `optiviz train`
// share it. Throws std::invalid_argument with one line.
RunConfig resolve_run_config(const TraceRequest& request);

// On a data surface whose points cost a pass over the rows (logistic; any with mini-batches),
// refuses `particles` × (steps + 1) row reads past limits::kMaxDataRowEvaluations before the work:
// "WHAT: ... row evaluations; the limit is 1e+09 (fewer rows or steps, or a batch_size)".
void check_run_data_work(const LossSurface& surface, const RunConfig& config, double particles, const std::string& what);

// Parses numbers strictly and runs. Writes the CSV to `out` and notes to `err`; throws
// std::invalid_argument with one line on bad input (nothing written to `out` then).
void run_trace(const TraceRequest& request, std::ostream& out, std::ostream& err);

// Strict number parsing for the CLI: the whole text must be a finite number.
double parse_real(const std::string& text, const std::string& what);
long parse_count(const std::string& text, const std::string& what);  // whole number >= 0
// "X,Y" → CsvColumns; throws std::invalid_argument.
CsvColumns parse_columns(const std::string& text);

// "." or "," → the decimal mark; throws std::invalid_argument naming --decimal.
char parse_decimal_mark(const std::string& text);

// "KEY=VALUE" → (KEY, VALUE).
std::pair<std::string, double> parse_assignment(const std::string& text, const std::string& what);

}  // namespace optiviz::cli
