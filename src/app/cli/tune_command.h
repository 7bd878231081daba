// `optiviz tune`: search one optimizer's learning rate (and optionally one more parameter) on a
// surface with a step budget, over K jittered starts; print what was tried as CSV and the best.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "app/cli/trace_request.h"
#include "core/analysis/tune.h"

namespace optiviz::cli {

struct TuneCommandRequest {
    TraceRequest run;                        // surface, optimizer, fixed hyperparameters, start (steps unused)
    std::string budget;                      // steps per particle
    std::string starts = "16";               // K
    std::string spread = "0.1";              // start jitter (standard deviation)
    std::string objective = "median-loss";   // median-loss | worst-loss | steps | distance [-allow-diverged]
    std::optional<std::string> lr_grid;      // "LO:HI:COUNT" (log-spaced); default: the lr slider range
    std::string refine = "2";                // refinement rounds
    std::optional<std::string> also;         // "NAME" or "NAME=LO:HI:lin|log:COUNT"
};

// Writes the CSV table of every setting tried to `out` (lr[,NAME],round,score,median_loss,diverged,
// converged; score is the objective, "inf" when no particle gave it a value) and to `err` a summary
// with the timing and, last, best_line. Throws std::invalid_argument with one line on bad input
// (nothing written then).
void run_tune_command(const TuneCommandRequest& request, std::ostream& out, std::ostream& err);

// The summary's last line: "best: lr=V [NAME=V] OBJECTIVE=V, D of K starts diverged", or, when the
// best setting has no score, "best: none (no setting has a OBJECTIVE value); least bad: lr=V [NAME=V],
// D of K starts diverged" (when some setting with more diverged starts has a value: "best: none (no
// setting with D of K starts diverged has a OBJECTIVE value; those with one diverged at more starts)");
// either followed by "; every setting tried diverged somewhere, this is the
// least bad" when no setting ran all its starts without diverging. The diverged count is always there,
// so a risky best is never shown as a plain one.
std::string best_line(const TuneResult& result);

}  // namespace optiviz::cli
