// `optiviz train`: trains a model (linear, logistic, softmax regression or an MLP) on a CSV table or
// a shipped data set with one optimizer and prints the loss per step as CSV. Its own small argument
// parser (no CLI11): the optimizer flags are those of `optiviz trace`, parsed by resolve_run_config.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/trace_request.h"

namespace optiviz::cli {

struct TrainRequest {
    std::string model = "linear";
    std::optional<std::string> data_path, dataset, target, features, loss, init, out;
    std::optional<std::string> init_seed, test_fraction, split_seed;
    bool standardize = false;
    TraceRequest run;  // optimizer, hyperparameters, schedule, clipping, batch, seed, stop rules, steps
};

// `optiviz train --help`: every option, the --init format and the default initialisation.
std::string train_help();

// Parses the arguments after "train" (throws std::invalid_argument with one line on an unknown or
// incomplete option). Returns nullopt when --help was asked for.
std::optional<TrainRequest> parse_train_arguments(const std::vector<std::string>& args);

// Runs the request and writes the CSV (header step,loss,grad_norm[,accuracy][,test_loss,test_accuracy],
// rows t = 0..N, numbers with %.17g) to --out atomically or to `out`; notes (how the run ended) go
// to `err`. Throws std::invalid_argument with one line on bad input, before anything is written.
void run_train(const TrainRequest& request, std::ostream& out, std::ostream& err);

// The whole command as main sees it: `args` are the arguments after "train". Returns the exit
// status: 0, or 2 after one line "optiviz: error: ..." on `err` (nothing written to `out`).
int train_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace optiviz::cli
