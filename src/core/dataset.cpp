#include "core/dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/number_text.h"
#include "core/random.h"

namespace optiviz {

namespace {

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}


}  // namespace

namespace {

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const auto comma = line.find(',', start);
        fields.push_back(trim(std::string_view(line).substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return fields;
}


// A column given by name (needs a header) or by 1-based number.
std::size_t column_index(const std::string& wanted, const std::vector<std::string>* header, bool is_x,
                         const std::string& where) {
    if (header) {
        for (std::size_t i = 0; i < header->size(); ++i)
            if ((*header)[i] == wanted) return i;
    }
    if (!wanted.empty() && std::all_of(wanted.begin(), wanted.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const long number = std::stol(wanted);
        if (number >= 1) return static_cast<std::size_t>(number - 1);
    }
    if (!header && (wanted == "x" || wanted == "y")) return is_x ? 0 : 1;  // headerless default: columns 1 and 2
    std::string names;
    if (header)
        for (const auto& h : *header) names += (names.empty() ? "" : ", ") + h;
    throw std::invalid_argument(where + ": no column '" + wanted + "'" +
                                (header ? " (columns: " + names + ")" : " (the file has no header: use column numbers)"));
}

}  // namespace

Dataset parse_dataset_csv(const std::string& text, const std::string& name, const CsvColumns& columns) {
    Dataset data;
    data.source = name;
    std::istringstream in(text);
    std::string line;
    long line_number = 0;
    bool first = true;
    std::size_t ix = 0, iy = 1;
    while (std::getline(in, line)) {
        ++line_number;
        const std::string where = name + ":" + std::to_string(line_number);
        if (trim(line).empty()) continue;
        const std::vector<std::string> fields = split_fields(line);
        if (first) {
            first = false;
            const bool header = !std::all_of(fields.begin(), fields.end(), is_number);
            ix = column_index(columns.x, header ? &fields : nullptr, true, where);
            iy = column_index(columns.y, header ? &fields : nullptr, false, where);
            if (header) continue;
        }
        const std::size_t needed = std::max(ix, iy) + 1;
        if (fields.size() < needed)
            throw std::invalid_argument(where + ": expected " + std::to_string(needed) + " fields, found " +
                                        std::to_string(fields.size()));
        data.x.push_back(parse_number(fields[ix], where));
        data.y.push_back(parse_number(fields[iy], where));
    }
    if (first) throw std::invalid_argument(name + ": empty file, expected rows of numbers");
    if (data.size() < 2) throw std::invalid_argument(name + ": needs at least 2 data rows, found " +
                                                     std::to_string(data.size()));
    return data;
}

Dataset load_dataset_csv(const std::string& path, const CsvColumns& columns) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::invalid_argument(path + ": cannot open data file");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_dataset_csv(text.str(), path, columns);
}

Dataset make_synthetic_dataset(const SyntheticDatasetSpec& spec) {
    if (spec.rows < 2) throw std::invalid_argument("synthetic dataset: needs at least 2 rows");
    if (spec.rows > 10'000'000) throw std::invalid_argument("synthetic dataset: at most 10000000 rows");
    if (spec.outliers > spec.rows) throw std::invalid_argument("synthetic dataset: more outliers than rows");
    for (double v : {spec.slope, spec.intercept, spec.noise, spec.x_offset, spec.x_scale, spec.outlier_size})
        if (!std::isfinite(v)) throw std::invalid_argument("synthetic dataset: every number must be finite");
    Dataset data;
    DeterministicRng rng(spec.seed);
    data.x.reserve(spec.rows);
    data.y.reserve(spec.rows);
    for (std::size_t i = 0; i < spec.rows; ++i) {
        const double x = spec.x_offset + spec.x_scale * (2.0 * rng.uniform() - 1.0);
        data.x.push_back(x);
        data.y.push_back(spec.slope * x + spec.intercept + spec.noise * rng.normal());
    }
    // Outliers: evenly spread rows pushed up or down, alternately, by outlier_size.
    for (std::size_t k = 0; k < spec.outliers; ++k) {
        const std::size_t row = (k * spec.rows) / spec.outliers + spec.rows / (2 * spec.outliers);
        data.y[std::min(row, spec.rows - 1)] += (k % 2 == 0 ? 1.0 : -1.0) * spec.outlier_size;
    }
    std::ostringstream name;
    name << "synthetic y = " << spec.slope << "x " << (spec.intercept < 0 ? "- " : "+ ") << std::abs(spec.intercept)
         << " + noise " << spec.noise << (spec.outliers ? ", " + std::to_string(spec.outliers) + " outliers" : "");
    data.source = name.str();
    return data;
}

}  // namespace optiviz

namespace optiviz {

Dataset anscombe_dataset(int which) {
    static const double x123[] = {10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5};
    static const double x4[] = {8, 8, 8, 8, 8, 8, 8, 19, 8, 8, 8};
    static const double ys[4][11] = {
        {8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68},
        {9.14, 8.14, 8.74, 8.77, 9.26, 8.10, 6.13, 3.10, 9.13, 7.26, 4.74},
        {7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73},
        {6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.50, 5.56, 7.91, 6.89},
    };
    if (which < 1 || which > 4) throw std::invalid_argument("Anscombe's quartet has datasets 1 to 4");
    Dataset data;
    const double* xs = which == 4 ? x4 : x123;
    data.x.assign(xs, xs + 11);
    data.y.assign(ys[which - 1], ys[which - 1] + 11);
    static const char* const names[] = {"I", "II", "III", "IV"};
    data.source = std::string("Anscombe ") + names[which - 1];
    return data;
}

Standardization standardization_of(const Dataset& data) {
    Standardization s;
    const auto n = static_cast<double>(data.size());
    for (double x : data.x) s.mean += x / n;
    double var = 0;
    for (double x : data.x) var += (x - s.mean) * (x - s.mean) / n;
    s.sd = var > 0 ? std::sqrt(var) : 1.0;  // constant x: nothing to scale
    return s;
}

Dataset standardize(const Dataset& data) {
    const Standardization s = standardization_of(data);
    Dataset out = data;
    for (double& x : out.x) x = (x - s.mean) / s.sd;
    out.source = data.source + ", standardised";
    return out;
}

}  // namespace optiviz
