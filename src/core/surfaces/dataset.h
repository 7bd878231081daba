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

// Which two columns of a CSV file are x and y: header names, or 1-based column numbers ("1", "3").
// The header is optional: a first line whose fields are all numbers is data, and columns are then
// chosen by number (the defaults "x" and "y" mean columns 1 and 2 there).
struct CsvColumns {
    std::string x = "x";
    std::string y = "y";
    bool operator==(const CsvColumns&) const = default;
};

// Reads a CSV file: a regular file of at most limits::kMaxDataFileBytes and kMaxDataRows rows.
// Dialects: an optional UTF-8 byte-order mark; LF, CRLF or CR line ends; fields separated by ','
// or, when the first line holds one, by ';' or a tab; fields may be quoted ("a,b", "" inside, and
// line breaks inside: RFC 4180); spaces around fields are ignored; blank lines and lines starting
// with '#' are skipped, but when the data has no header the last '#' line before it names the
// columns if it has as many fields (numpy.savetxt(header="x,y") writes "# x,y"); every row has as
// many fields as the first line. `decimal` is '.' or ',' (then 1,5 is 1.5 and fields must be separated by ';' or tabs);
// with '.', a decimal comma is recognised and refused with a message naming --decimal.
// Throws std::invalid_argument with one line naming file, line and column, such as
// "data.csv:7:3: 'abc' is not a number" or "data.csv:1: no column 'x' (columns: a, b)".
// At least 2 rows are required.
Dataset load_dataset_csv(const std::string& path, const CsvColumns& columns = {}, char decimal = '.');

// Same, from text already in memory; `name` is used in messages.
Dataset parse_dataset_csv(const std::string& text, const std::string& name, const CsvColumns& columns = {},
                          char decimal = '.');

struct SyntheticDatasetSpec {
    std::size_t rows = 64;
    double slope = 2.0;
    double intercept = -1.0;
    double noise = 0.5;     // standard deviation of Gaussian noise on y
    double x_offset = 0.0;  // x is uniform on [x_offset - x_scale, x_offset + x_scale]
    double x_scale = 2.0;
    std::size_t outliers = 0;      // rows whose y is pushed off the line by ±outlier_size
    double outlier_size = 10.0;
    std::uint64_t seed = 1;
    bool operator==(const SyntheticDatasetSpec&) const = default;
};

// Deterministic for a given spec on every platform. Throws std::invalid_argument for fewer than 2
// rows, more outliers than rows, or non-finite numbers.
Dataset make_synthetic_dataset(const SyntheticDatasetSpec& spec);

// Anscombe's quartet (Anscombe 1973): four datasets of 11 rows with the same means, variances,
// correlation and least-squares line (y ≈ 3.00 + 0.500 x), and very different pictures.
// `which` is 1..4; throws std::invalid_argument otherwise.
Dataset anscombe_dataset(int which);

// x standardised to mean 0 and standard deviation 1 (population), y unchanged. A regression on the
// result has weights (w', b') with w = w'/σ and b = b' − w'·μ/σ in the original units.
struct Standardization {
    double mean = 0.0, sd = 1.0;
};
Standardization standardization_of(const Dataset& data);
Dataset standardize(const Dataset& data);

}  // namespace optiviz
