#include "core/models/table_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/models/embedded_datasets.h"
#include "core/runtime/random.h"
#include "core/io/text_escape.h"

namespace optiviz::models {

namespace {

constexpr std::size_t kMaxClasses = 1000;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Splits a line at ',' into `fields` (cleared first), checking sizes before anything is stored:
// at most `max_fields` fields (then `too_many` is thrown) and limits::kMaxCsvFieldBytes bytes a
// field, so a 100 MiB line of commas costs no more memory than a short one.
void split_commas(std::string_view line, std::size_t max_fields, const std::string& where, const std::string& too_many,
                  std::vector<std::string_view>& fields) {
    fields.clear();
    std::size_t begin = 0;
    while (true) {
        if (fields.size() >= max_fields) throw std::invalid_argument(where + ": " + too_many);
        const std::size_t comma = line.find(',', begin);
        const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
        if (end - begin > limits::kMaxCsvFieldBytes)
            throw std::invalid_argument(where + ":" + std::to_string(begin + 1) + ": a field longer than " +
                                        std::to_string(limits::kMaxCsvFieldBytes) + " bytes");
        fields.push_back(trim(line.substr(begin, end - begin)));
        if (comma == std::string_view::npos) return;
        begin = comma + 1;
    }
}

// Calls visit(line, number) for every non-blank line (trimmed; number 1-based in the file) until
// it returns false.
template <typename Visit>
void for_each_line(std::string_view text, Visit visit) {
    std::size_t begin = 0;
    for (std::size_t number = 1; begin < text.size(); ++number) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = trim(text.substr(begin, end - begin));
        if (!line.empty() && !visit(line, number)) return;
        begin = end + 1;
    }
}

// Header names may be quoted ("petal length").
std::string unquote(std::string_view field) {
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
    return std::string(field);
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < 20; ++i) text += (i ? ", " : "") + printable(names[i], 40);
    if (names.size() > 20) text += ", ...";
    return text;
}

std::size_t index_of(const std::vector<std::string>& header, const std::string& wanted, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), wanted);
    if (it == header.end())
        throw std::invalid_argument(name + ": no column '" + printable(wanted, 60) + "' (columns: " + joined(header) + ")");
    return static_cast<std::size_t>(it - header.begin());
}

double field_value(std::string_view field, const std::string& where, const std::string& column) {
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = trim(field.substr(1, field.size() - 2));
    double value = 0.0;
    const char* begin = field.data();
    if (!field.empty() && field.front() == '+') ++begin;
    const auto [end, error] = std::from_chars(begin, field.data() + field.size(), value);
    if (field.empty() || error != std::errc() || end != field.data() + field.size())
        throw std::invalid_argument(where + ": column '" + printable(column, 60) + "': '" + printable(std::string(field), 40) +
                                    "' is not a number");
    if (!std::isfinite(value))
        throw std::invalid_argument(where + ": column '" + printable(column, 60) + "': '" + printable(std::string(field), 40) +
                                    "' is not a finite number");
    if (std::abs(value) > limits::kMaxViewCoordinate)  // as every data file (README's limits table)
        throw std::invalid_argument(where + ": column '" + printable(column, 60) + "': '" + printable(std::string(field), 40) +
                                    "' is beyond +-1e+30, the largest value a data file may hold");
    return value;
}

}  // namespace

LabeledTable parse_table_csv(std::string_view text, const std::string& name, const TableColumns& columns) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    // First pass: the header, and the data rows counted (nothing stored), so that a file of many
    // short lines or one huge line is refused before its table is allocated.
    std::vector<std::string_view> fields;
    std::vector<std::string> header;
    std::size_t rows = 0;
    const std::string too_many_fields = "more than " + std::to_string(limits::kMaxCsvFields) + " fields in a line";
    for_each_line(text, [&](std::string_view line, std::size_t number) {
        if (!header.empty()) {
            if (++rows > limits::kMaxDataRows)
                throw std::invalid_argument(name + ":" + std::to_string(number) + ": more than " +
                                            std::to_string(limits::kMaxDataRows) + " data rows");
            return true;
        }
        split_commas(line, limits::kMaxCsvFields, name + ":" + std::to_string(number), too_many_fields, fields);
        for (const auto field : fields) header.push_back(unquote(field));
        return true;
    });
    if (header.empty()) throw std::invalid_argument(name + ": empty file");
    if (columns.target.empty()) throw std::invalid_argument(name + ": no target column given (--target NAME)");
    const std::size_t target = index_of(header, columns.target, name);
    std::vector<std::size_t> features;
    if (columns.features.empty()) {
        for (std::size_t c = 0; c < header.size(); ++c)
            if (c != target) features.push_back(c);
    } else {
        for (const auto& f : columns.features) {
            const std::size_t c = index_of(header, f, name);
            if (c == target) throw std::invalid_argument(name + ": the target '" + printable(f, 60) + "' cannot be a feature");
            if (std::find(features.begin(), features.end(), c) != features.end())
                throw std::invalid_argument(name + ": feature '" + printable(f, 60) + "' given twice");
            features.push_back(c);
        }
    }
    if (features.empty()) throw std::invalid_argument(name + ": no feature columns besides the target");
    if (rows < 2) throw std::invalid_argument(name + ": at least 2 data rows are needed");
    const double cells = static_cast<double>(rows) * static_cast<double>(features.size() + 1);
    if (cells > static_cast<double>(limits::kMaxTableCells))
        throw std::invalid_argument(name + ": " + std::to_string(rows) + " rows x " + std::to_string(features.size() + 1) +
                                    " columns is more than " + std::to_string(limits::kMaxTableCells) +
                                    " numbers (fewer rows or --features)");

    LabeledTable table;
    table.source = name;
    table.target_name = header[target];
    for (std::size_t c : features) table.feature_names.push_back(header[c]);
    table.x.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(features.size()));
    table.y.resize(static_cast<Eigen::Index>(rows));
    // Second pass: the rows, each split into at most the header's field count.
    Eigen::Index row = -1;
    const std::string header_fields = "more fields than the header's " + std::to_string(header.size());
    for_each_line(text, [&](std::string_view line, std::size_t number) {
        if (row++ < 0) return true;  // the header
        const std::string where = name + ":" + std::to_string(number);
        split_commas(line, header.size(), where, header_fields, fields);
        if (fields.size() != header.size())
            throw std::invalid_argument(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
                                        std::to_string(header.size()));
        table.y(row - 1) = field_value(fields[target], where, header[target]);
        for (std::size_t j = 0; j < features.size(); ++j)
            table.x(row - 1, static_cast<Eigen::Index>(j)) = field_value(fields[features[j]], where, header[features[j]]);
        return true;
    });
    return table;
}

LabeledTable load_table_csv(const std::string& path, const TableColumns& columns) {
    return parse_table_csv(read_regular_file(path, "data file", limits::kMaxDataFileBytes), path, columns);
}

std::size_t class_count(const LabeledTable& table) {
    double top = 0.0;
    for (Eigen::Index i = 0; i < table.y.size(); ++i) {
        const double v = table.y(i);
        if (v < 0 || v != std::floor(v) || v >= static_cast<double>(kMaxClasses)) {
            char number[32];
            std::snprintf(number, sizeof number, "%.17g", v);
            throw std::invalid_argument(table.source + ": target '" + printable(table.target_name, 60) + "' on data row " +
                                        std::to_string(i + 1) + " is " + number +
                                        ", not a class index (a whole number 0..999)");
        }
        top = std::max(top, v);
    }
    return static_cast<std::size_t>(top) + 1;
}

namespace {

constexpr BuiltinDataset kDatasets[] = {
    {"iris", "Iris", "classification", "cross_entropy",
     "150 rows, 4 features (sepal and petal length and width, cm), 3 species; Fisher 1936, UCI (CC BY 4.0)"},
    {"wine", "Wine", "classification", "cross_entropy",
     "178 rows, 13 chemical features, 3 cultivars; Forina et al., UCI (CC BY 4.0)"},
    {"breast_cancer", "Breast cancer Wisconsin (diagnostic)", "classification", "cross_entropy",
     "569 rows, 30 features of cell nuclei, 2 classes (0 malignant, 1 benign); Wolberg et al., UCI (CC BY 4.0)"},
    {"digits", "Handwritten digits 8x8", "classification", "cross_entropy",
     "1797 rows, 64 pixel counts 0..16, 10 digits; Alpaydin & Kaynak, UCI optdigits test set (CC BY 4.0)"},
    {"diabetes", "Diabetes", "regression", "mse",
     "442 rows, 10 features (age, sex, bmi, bp, s1..s6, unscaled), disease progression after a year; "
     "Efron et al. 2004 (as scikit-learn ships it, BSD-3-Clause)"},
};

}  // namespace

std::span<const BuiltinDataset> builtin_datasets() { return kDatasets; }

const BuiltinDataset& find_builtin_dataset(std::string_view name) {
    for (const auto& d : kDatasets)
        if (d.name == name) return d;
    std::string known;
    for (const auto& d : kDatasets) known += (known.empty() ? "" : ", ") + std::string(d.name);
    throw std::invalid_argument("unknown data set '" + printable(std::string(name), 60) + "' (known: " + known + ")");
}

LabeledTable load_builtin_dataset(std::string_view name, const std::vector<std::string>& features) {
    const BuiltinDataset& info = find_builtin_dataset(name);
    return parse_table_csv(embedded_dataset_csv(info.name), std::string(info.name), {"target", features});
}

ColumnScaling column_scaling(const Eigen::MatrixXd& reference) {
    ColumnScaling s;
    const auto n = static_cast<double>(reference.rows());
    s.mean = reference.colwise().mean();
    s.sd = ((reference.rowwise() - s.mean).array().square().colwise().sum() / n).sqrt();
    for (Eigen::Index j = 0; j < s.sd.size(); ++j)
        if (!(s.sd(j) > 0.0)) s.sd(j) = 1.0;
    return s;
}

void apply_scaling(const ColumnScaling& scaling, Eigen::MatrixXd& x) {
    x = ((x.rowwise() - scaling.mean).array().rowwise() / scaling.sd.array()).matrix();
}

TableSplit split_table(const LabeledTable& table, double test_fraction, std::uint64_t seed) {
    if (!(test_fraction >= 0.0 && test_fraction < 1.0)) throw std::invalid_argument("--test-fraction must be in [0, 1)");
    const std::size_t n = table.rows();
    std::vector<std::uint32_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
    DeterministicRng rng(seed);
    for (std::size_t i = 0; i + 1 < n; ++i) std::swap(order[i], order[i + rng.below(n - i)]);
    const auto test_rows = std::min(static_cast<std::size_t>(std::llround(static_cast<double>(n) * test_fraction)), n - 1);
    TableSplit split;
    for (LabeledTable* part : {&split.train, &split.test}) {
        part->feature_names = table.feature_names;
        part->target_name = table.target_name;
        part->source = table.source;
    }
    auto take = [&](LabeledTable& part, std::size_t first, std::size_t count) {
        part.x.resize(static_cast<Eigen::Index>(count), table.x.cols());
        part.y.resize(static_cast<Eigen::Index>(count));
        for (std::size_t i = 0; i < count; ++i) {
            part.x.row(static_cast<Eigen::Index>(i)) = table.x.row(order[first + i]);
            part.y(static_cast<Eigen::Index>(i)) = table.y(order[first + i]);
        }
    };
    take(split.test, 0, test_rows);
    take(split.train, test_rows, n - test_rows);
    return split;
}

}  // namespace optiviz::models
