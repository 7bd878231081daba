// Tables of examples for the models: a feature matrix (n × d) and a target per row, read from any
// CSV file with a header or taken from the data sets optiviz ships (assets/datasets, compiled into
// the binary).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace optiviz::models {

struct LabeledTable {
    Eigen::MatrixXd x;   // n × d features, one row per example
    Eigen::VectorXd y;   // n targets
    std::vector<std::string> feature_names;
    std::string target_name;
    std::string source;  // file path or data set name, for messages

    std::size_t rows() const { return static_cast<std::size_t>(x.rows()); }
};

// Which columns to use: the target by header name, and the features by name (empty: every column
// but the target, in file order).
struct TableColumns {
    std::string target;
    std::vector<std::string> features;
};

// Reads a CSV table: a header line of column names, then rows of numbers separated by ',' (spaces
// around fields, quotes around a whole field and a UTF-8 byte-order mark are ignored, LF or CRLF
// line ends, blank lines skipped; a quoted field cannot hold a comma).
// Every field must be a finite number. Throws std::invalid_argument with one line naming the file,
// line and column: "data.csv:7: column 'b': 'nan' is not a finite number", "data.csv: no column
// 'label' (columns: a, b, c)". At least 2 rows and 1 feature are required.
LabeledTable parse_table_csv(std::string_view text, const std::string& name, const TableColumns& columns);
LabeledTable load_table_csv(const std::string& path, const TableColumns& columns);

// The class count of a classification target: every value must be a whole number 0..K−1 (K <= 1000);
// returns K = max + 1. Throws std::invalid_argument naming the table and the first bad row.
std::size_t class_count(const LabeledTable& table);

// A data set shipped with optiviz (sources and licences: assets/datasets/README.md).
struct BuiltinDataset {
    std::string_view name;         // --dataset NAME
    std::string_view title;
    std::string_view task;         // "classification" or "regression"
    std::string_view default_loss; // "cross_entropy" or "mse"
    std::string_view description;  // rows, features, classes, source
};
std::span<const BuiltinDataset> builtin_datasets();

// The table of a shipped data set (target column "target"; `features` as in TableColumns).
// Throws std::invalid_argument("unknown data set 'x' (known: ...)").
LabeledTable load_builtin_dataset(std::string_view name, const std::vector<std::string>& features = {});
const BuiltinDataset& find_builtin_dataset(std::string_view name);

// Feature standardisation: each column to mean 0 and population standard deviation 1 (a constant
// column keeps sd 1, i.e. is only centred), with the statistics of `reference` (the training rows).
struct ColumnScaling {
    Eigen::RowVectorXd mean, sd;
};
ColumnScaling column_scaling(const Eigen::MatrixXd& reference);
void apply_scaling(const ColumnScaling& scaling, Eigen::MatrixXd& x);

// A seeded train/test split: the rows are shuffled with DeterministicRng(seed) (Fisher–Yates from the
// front) and the first round(n·test_fraction) become the test rows, the rest (in shuffled order)
// the training rows. test_fraction in [0, 1); at least one training row is kept.
struct TableSplit {
    LabeledTable train, test;
};
TableSplit split_table(const LabeledTable& table, double test_fraction, std::uint64_t seed);

}  // namespace optiviz::models
