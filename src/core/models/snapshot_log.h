// Runs logged from your own training script (scripts/optiviz_log.py): a model's parameters,
// flattened, every k steps. The file (format 1):
//
//   # optiviz snapshots 1
//   # dataset: digits                       optional "# key: value" lines (dataset, model, label)
//   # model: mlp:hidden=16,activation=tanh
//   0,2.3025,0.013,-0.21,...                 step, loss (or nan), every parameter; comma-separated
//   10,1.874,0.015,-0.19,...
//
// Steps are whole numbers that increase; every line has the same number of values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace optiviz::models {

struct SnapshotLog {
    std::string source;                       // the file, for messages
    std::map<std::string, std::string> meta;  // the "# key: value" lines
    std::vector<long> steps;
    std::vector<double> loss;                 // NaN where the script gave none
    std::vector<double> parameters;           // rows × dimension, row-major
    std::size_t dimension = 0;
    std::size_t rows() const { return steps.size(); }
};

// Throws std::invalid_argument with one line naming the file and line: "adam.log:1: not an optiviz
// snapshot file (its first line must be '# optiviz snapshots 1')", "adam.log:5: 9 values, line 2
// has 12", "adam.log:7: 'abc' is not a number", "adam.log:8: step 3 after step 5 (steps must
// increase)", "adam.log: no snapshots". Parameters must be finite (a run that diverged stops logging).
SnapshotLog parse_snapshot_log(std::string_view text, const std::string& name);
// Reads the file (at most 1 GiB) and parses it.
SnapshotLog load_snapshot_log(const std::string& path);

}  // namespace optiviz::models
