// A one-feature regression dataset: rows of (x, y).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace optiviz {

struct Dataset {
    std::vector<double> x;
    std::vector<double> y;
    std::string source;  // file path, or a description of how it was generated

    std::size_t size() const { return x.size(); }
};

// Reads a CSV file whose first line is the header `x,y` (spaces around fields are ignored; CRLF
// line ends are accepted; blank lines are skipped). Throws std::invalid_argument with one line such
// as "data.csv:7: 'abc' is not a number" or "data.csv: no such file". At least 2 rows are required.
Dataset load_dataset_csv(const std::string& path);

// Same, from text already in memory; `name` is used in messages.
Dataset parse_dataset_csv(const std::string& text, const std::string& name);

struct SyntheticDatasetSpec {
    std::size_t rows = 64;
    double slope = 2.0;
    double intercept = -1.0;
    double noise = 0.5;     // standard deviation of Gaussian noise on y
    double x_offset = 0.0;  // x is uniform on [x_offset - x_scale, x_offset + x_scale]
    double x_scale = 2.0;
    std::uint64_t seed = 1;
};

// Deterministic for a given spec on every platform.
Dataset make_synthetic_dataset(const SyntheticDatasetSpec& spec);

}  // namespace optiviz
