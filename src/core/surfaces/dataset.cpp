#include "core/surfaces/dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/runtime/random.h"
#include "core/io/text_escape.h"

namespace optiviz {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// A line of a file, for messages: "data.csv:7". The text is built only when a message needs it
// (building it for each of ten million lines took a tenth of the parse).
struct Where {
    std::string_view file;
    long line = 0;
    std::string text() const { return std::string(file) + ":" + std::to_string(line); }
};

// One field of a line, with the 1-based column where it starts (for messages).
struct Field {
    std::string text;
    std::size_t column = 1;
};

bool is_blank(char c, char separator) { return (c == ' ' || c == '\t') && c != separator; }

[[noreturn]] void field_too_long(const Where& where, std::size_t column) {
    throw std::invalid_argument(where.text() + ":" + std::to_string(column) + ": a field longer than " +
                                std::to_string(limits::kMaxCsvFieldBytes) + " bytes");
}

// Splits a line at `separator`; fields may be quoted ("a, b", with "" for a quote inside).
// Spaces around fields are ignored. Sizes are checked before anything is stored, so memory stays
// bounded whatever the line's shape (a 20 MiB line of commas would otherwise be 20 million fields).
// `fields` is cleared first (one vector serves every line).
void split_fields(std::string_view line, char separator, const Where& where, std::vector<Field>& fields) {
    fields.clear();
    std::size_t i = 0;
    while (true) {
        if (fields.size() >= limits::kMaxCsvFields)
            throw std::invalid_argument(where.text() + ": more than " + std::to_string(limits::kMaxCsvFields) + " fields in a line");
        while (i < line.size() && is_blank(line[i], separator)) ++i;
        Field field;
        field.column = i + 1;
        if (i < line.size() && line[i] == '"') {
            std::size_t k = i + 1;
            bool closed = false;
            while (k < line.size()) {
                if (line[k] == '"') {
                    if (k + 1 < line.size() && line[k + 1] == '"') {
                        field.text += '"';
                        k += 2;
                        continue;
                    }
                    closed = true;
                    ++k;
                    break;
                }
                if (field.text.size() >= limits::kMaxCsvFieldBytes) field_too_long(where, i + 1);
                field.text += line[k++];
            }
            if (!closed)
                throw std::invalid_argument(where.text() + ":" + std::to_string(i + 1) + ": the quote that opens here is not closed");
            while (k < line.size() && is_blank(line[k], separator)) ++k;
            if (k < line.size() && line[k] != separator)
                throw std::invalid_argument(where.text() + ":" + std::to_string(k + 1) + ": expected '" +
                                            printable(std::string_view(&separator, 1)) + "' after a quoted field, found '" +
                                            printable(line.substr(k, 1)) + "'");
            i = k;
        } else {
            const std::size_t end = std::min(line.find(separator, i), line.size());
            std::size_t last = end;
            while (last > i && is_blank(line[last - 1], separator)) --last;
            if (last - i > limits::kMaxCsvFieldBytes) field_too_long(where, i + 1);
            field.text = std::string(line.substr(i, last - i));
            i = end;
        }
        fields.push_back(std::move(field));
        if (i >= line.size()) break;
        ++i;  // the separator
        if (i == line.size()) {  // a trailing separator: one more, empty field
            if (fields.size() >= limits::kMaxCsvFields)
                throw std::invalid_argument(where.text() + ": more than " + std::to_string(limits::kMaxCsvFields) + " fields in a line");
            fields.push_back({std::string(), i + 1});
            break;
        }
    }
}

// Where the record starting at `pos` ends (the index of its line break, or the text's end): at the
// first LF or CR outside a quoted field. A quote opens a field only at the field's start (after a
// separator and blanks; before the separator is known, `separator` is '\0' and ',', ';' and tab
// all count), so a stray quote inside a number does not swallow the lines after it.
std::size_t record_end(std::string_view body, std::size_t pos, char separator) {
    const auto is_separator = [&](char c) { return separator == '\0' ? (c == ',' || c == ';' || c == '\t') : c == separator; };
    bool quoted = false, field_start = true;
    for (std::size_t i = pos; i < body.size(); ++i) {
        const char c = body[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < body.size() && body[i + 1] == '"') ++i;  // "" inside quotes
                else quoted = false;
            }
            continue;
        }
        if (c == '\n' || c == '\r') return i;
        if (is_separator(c)) field_start = true;
        else if (c == '"' && field_start) quoted = true, field_start = false;
        else if (c != ' ' && c != '\t') field_start = false;
    }
    return body.size();
}

// Line breaks inside a record (quoted fields spanning lines), so later lines keep their numbers.
long line_breaks(std::string_view record) {
    long breaks = 0;
    for (std::size_t i = 0; i < record.size(); ++i)
        if (record[i] == '\n' || (record[i] == '\r' && (i + 1 >= record.size() || record[i + 1] != '\n'))) ++breaks;
    return breaks;
}

// The separator a file uses, from its first line: ';' (spreadsheets where ',' is the decimal mark),
// else a tab, else ','. Characters inside quotes do not count.
char detect_separator(std::string_view line) {
    bool quoted = false, tab = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == ';') return ';';
        tab = tab || c == '\t';
    }
    return tab ? '\t' : ',';
}

// A field as a number, with '.' or (decimal == ',') ',' as the decimal mark.
double field_number_unbounded(const Field& field, char decimal, const Where& where) {
    // The common case without building a message's text: a whole, finite number with '.'.
    if (decimal == '.') {
        std::string_view text = field.text;
        if (!text.empty() && text[0] == '+') text.remove_prefix(1);
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (!field.text.empty() && error == std::errc() && end == text.data() + text.size() && std::isfinite(value))
            return value;
    }
    const std::string place = where.text() + ":" + std::to_string(field.column);
    if (decimal == ',') {
        std::string dotted = field.text;
        if (dotted.find('.') != std::string::npos)
            throw std::invalid_argument(place + ": '" + printable(field.text) + "' has a '.', but the decimal mark is ','");
        std::replace(dotted.begin(), dotted.end(), ',', '.');
        if (is_number(dotted)) return parse_number(dotted, place);
    } else if (const auto comma = field.text.find(','); comma != std::string::npos) {
        std::string dotted = field.text;
        dotted[comma] = '.';
        if (is_number(dotted))
            throw std::invalid_argument(place + ": '" + printable(field.text) +
                                        "' has a decimal comma: read the file with --decimal , (or save it with '.')");
    }
    return parse_number(field.text, place);
}

// A field as a number within ±limits::kMaxViewCoordinate, with '.' or (decimal == ',') ',' as the
// decimal mark. A larger value could not be drawn (pictures go through float) and would otherwise
// fail later, in a view the user never gave, without the file's name.
double field_number(const Field& field, char decimal, const Where& where) {
    const double value = field_number_unbounded(field, decimal, where);
    if (std::abs(value) > limits::kMaxViewCoordinate) {
        char bound[48];
        std::snprintf(bound, sizeof bound, "%g", limits::kMaxViewCoordinate);
        throw std::invalid_argument(where.text() + ":" + std::to_string(field.column) + ": '" + printable(field.text) +
                                    "' is beyond +-" + bound + ", the largest value a picture can show");
    }
    return value;
}

bool is_number_field(const Field& field, char decimal) {
    if (decimal != ',') return is_number(field.text) || (field.text.find(',') != std::string::npos && [&] {
        std::string dotted = field.text;
        std::replace(dotted.begin(), dotted.end(), ',', '.');
        return is_number(dotted);
    }());
    std::string dotted = field.text;
    std::replace(dotted.begin(), dotted.end(), ',', '.');
    return is_number(dotted);
}

// A column given by name (needs a header) or by 1-based number.
std::size_t column_index(const std::string& wanted, const std::vector<Field>* header, bool is_x, const Where& where) {
    if (header) {
        for (std::size_t i = 0; i < header->size(); ++i)
            if ((*header)[i].text == wanted) return i;
    }
    if (!wanted.empty() && std::all_of(wanted.begin(), wanted.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        std::size_t number = 0;
        const auto [end, error] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), number);
        if (error != std::errc() || end != wanted.data() + wanted.size() || number > 1'000'000)
            throw std::invalid_argument(where.text() + ": column " + printable(wanted) + " is beyond any file's columns");
        if (number >= 1) return number - 1;
    }
    if (!header && (wanted == "x" || wanted == "y")) return is_x ? 0 : 1;  // headerless default: columns 1 and 2
    std::string names;
    if (header)
        for (const auto& h : *header) names += (names.empty() ? "" : ", ") + h.text;
    throw std::invalid_argument(where.text() + ": no column '" + printable(wanted) + "'" +
                                (header ? " (columns: " + printable(names, 120) + ")"
                                        : " (the file has no header: use column numbers)"));
}

}  // namespace

Dataset parse_dataset_csv(const std::string& text, const std::string& name, const CsvColumns& columns, char decimal) {
    if (decimal != '.' && decimal != ',')
        throw std::invalid_argument("the decimal mark must be '.' or ',', got '" + printable(std::string(1, decimal)) + "'");
    const std::string shown = printable(name, 200);
    std::string_view body = text;
    if (body.substr(0, kByteOrderMark.size()) == kByteOrderMark) body.remove_prefix(kByteOrderMark.size());
    if (body.find('\0') != std::string_view::npos)
        throw std::invalid_argument(shown + ": not a text file (it holds NUL bytes); expected rows of numbers");
    Dataset data;
    data.source = name;
    long line_number = 0;
    bool first = true;
    char separator = ',';
    std::size_t ix = 0, iy = 1, width = 0;
    std::size_t pos = 0;
    std::vector<Field> fields, comment_fields;
    std::string_view comment_header;  // the last '#' line before the data (numpy.savetxt's header)
    long comment_line = 0;
    while (pos < body.size()) {
        // A record is a line, or several when a quoted field holds line breaks (RFC 4180).
        const std::size_t end = record_end(body, pos, first ? '\0' : separator);
        const std::string_view line = body.substr(pos, end - pos);
        pos = end + (end + 1 < body.size() && body[end] == '\r' && body[end + 1] == '\n' ? 2 : 1);
        const Where where{shown, ++line_number};
        line_number += line_breaks(line);
        const std::size_t text_start = line.find_first_not_of(" \t");
        if (text_start == std::string_view::npos) continue;
        // '#' lines are comments; the last one before the data may name the columns, as the header
        // line numpy.savetxt(header="x,y") writes ("# x,y").
        if (line[text_start] == '#') {
            if (first) comment_header = line.substr(text_start + 1), comment_line = where.line;
            continue;
        }
        if (first) {
            separator = detect_separator(line);
            if (decimal == ',' && separator == ',')
                throw std::invalid_argument(where.text() + ": with the decimal mark ',' fields must be separated by ';' or tabs");
        }
        split_fields(line, separator, where, fields);
        if (first) {
            first = false;
            width = fields.size();
            bool header = !std::all_of(fields.begin(), fields.end(), [&](const Field& f) { return is_number_field(f, decimal); });
            const std::vector<Field>* names = header ? &fields : nullptr;
            Where names_where = where;
            if (!header && !comment_header.empty()) {
                names_where = Where{shown, comment_line};
                split_fields(comment_header, separator, names_where, comment_fields);
                const bool named = comment_fields.size() == width &&
                                   !std::all_of(comment_fields.begin(), comment_fields.end(), [&](const Field& f) { return is_number_field(f, decimal); });
                if (named) names = &comment_fields;
            }
            ix = column_index(columns.x, names, true, names == &comment_fields ? names_where : where);
            iy = column_index(columns.y, names, false, names == &comment_fields ? names_where : where);
            if (std::max(ix, iy) >= width)
                throw std::invalid_argument(where.text() + ": column " + std::to_string(std::max(ix, iy) + 1) + " asked for, but the line has " +
                                            std::to_string(width) + " fields");
            if (header) continue;
        }
        if (fields.size() != width) {
            // Commas as decimal marks in a comma-separated file split every number in two.
            const bool split_decimals = separator == ',' && fields.size() == 2 * width;
            throw std::invalid_argument(where.text() + ": expected " + std::to_string(width) + " fields, found " +
                                        std::to_string(fields.size()) +
                                        (split_decimals ? " (decimal commas? separate fields with ';' and use --decimal ,)" : ""));
        }
        if (data.size() >= limits::kMaxDataRows)
            throw std::invalid_argument(shown + ": more than " + std::to_string(limits::kMaxDataRows) + " data rows");
        data.x.push_back(field_number(fields[ix], decimal, where));
        data.y.push_back(field_number(fields[iy], decimal, where));
    }
    if (first) throw std::invalid_argument(shown + ": empty file, expected rows of numbers");
    if (data.size() < 2) throw std::invalid_argument(shown + ": needs at least 2 data rows, found " +
                                                     std::to_string(data.size()));
    return data;
}

Dataset load_dataset_csv(const std::string& path, const CsvColumns& columns, char decimal) {
    return parse_dataset_csv(read_regular_file(path, "data file", limits::kMaxDataFileBytes), path, columns, decimal);
}

Dataset make_synthetic_dataset(const SyntheticDatasetSpec& spec) {
    if (spec.rows < 2) throw std::invalid_argument("synthetic dataset: needs at least 2 rows");
    if (spec.rows > limits::kMaxDataRows)
        throw std::invalid_argument("synthetic dataset: at most " + std::to_string(limits::kMaxDataRows) + " rows");
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
