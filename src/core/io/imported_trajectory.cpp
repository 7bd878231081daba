#include "core/io/imported_trajectory.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>

#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/io/text_escape.h"

namespace optiviz {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// One CSV record: its fields and the line it starts on (a quoted field may span lines).
struct Record {
    std::vector<std::string> fields;
    long line = 0;
};

// Reads CSV records one by one (RFC 4180 quoting, ',' separators, spaces around unquoted fields
// trimmed). Field sizes and counts are bounded before anything is stored.
class RecordReader {
public:
    RecordReader(std::string_view text, std::string name) : text_(text), name_(std::move(name)) {
        if (text_.substr(0, kByteOrderMark.size()) == kByteOrderMark) text_.remove_prefix(kByteOrderMark.size());
    }

    // The next non-blank record, or false at the end.
    bool next(Record& record) {
        while (pos_ < text_.size()) {
            record.fields.clear();
            record.line = line_;
            read_record(record);
            const bool blank = record.fields.size() == 1 && record.fields[0].empty() && !quoted_any_;
            if (!blank) return true;
        }
        return false;
    }

    std::string where(long line) const { return name_ + ":" + std::to_string(line); }

private:
    void end_of_line() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }

    void read_record(Record& record) {
        quoted_any_ = false;
        std::string field;
        bool quoted = false;
        while (true) {
            if (pos_ >= text_.size()) break;
            const char c = text_[pos_];
            if (c == '\n' || c == '\r') {
                end_of_line();
                break;
            }
            if (c == ',') {
                push(record, field, quoted);
                field.clear();
                quoted = false;
                ++pos_;
                continue;
            }
            if (c == '"' && std::all_of(field.begin(), field.end(), [](char b) { return b == ' ' || b == '\t'; })) {
                field.clear();
                read_quoted(record, field);
                quoted = quoted_any_ = true;
                continue;
            }
            if (quoted && c != ' ' && c != '\t')
                throw std::invalid_argument(where(line_) + ": expected ',' after a quoted field, found '" +
                                            printable(text_.substr(pos_, 1)) + "'");
            if (!quoted) append(field, c);
            ++pos_;
        }
        push(record, field, quoted);
    }

    void read_quoted(const Record& record, std::string& field) {
        ++pos_;  // the opening quote
        while (true) {
            if (pos_ >= text_.size())
                throw std::invalid_argument(where(record.line) + ": the quote that opens here is not closed");
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    append(field, '"');
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                return;
            }
            if (c == '\n') ++line_;
            if (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) ++line_;
            append(field, c);
            ++pos_;
        }
    }

    void append(std::string& field, char c) {
        if (field.size() >= limits::kMaxCsvFieldBytes)
            throw std::invalid_argument(where(line_) + ": a field longer than " + std::to_string(limits::kMaxCsvFieldBytes) + " bytes");
        field += c;
    }

    void push(Record& record, std::string& field, bool quoted) {
        if (record.fields.size() >= limits::kMaxCsvFields)
            throw std::invalid_argument(where(line_) + ": more than " + std::to_string(limits::kMaxCsvFields) + " fields in a line");
        if (!quoted) {
            const auto first = field.find_first_not_of(" \t");
            const auto last = field.find_last_not_of(" \t");
            field = first == std::string::npos ? std::string() : field.substr(first, last - first + 1);
        }
        record.fields.push_back(std::move(field));
    }

    std::string_view text_;
    std::string name_;
    std::size_t pos_ = 0;
    long line_ = 1;
    bool quoted_any_ = false;
};

// Which columns of the file hold what (npos: absent).
struct Columns {
    static constexpr std::size_t kNone = std::string::npos;
    std::size_t x = kNone, y = kNone, loss = kNone, step = kNone, run = kNone, label = kNone;
    std::size_t width = 0;
};

// The header's names with a '#' comment mark (numpy.savetxt's header=) taken off the first.
std::vector<std::string> header_names(std::vector<std::string> fields) {
    if (!fields.empty() && !fields[0].empty() && fields[0][0] == '#') {
        const auto start = fields[0].find_first_not_of(" \t", 1);
        fields[0] = start == std::string::npos ? std::string() : fields[0].substr(start);
    }
    return fields;
}

Columns find_columns(const std::vector<std::string>& names, const std::string& where, bool header) {
    Columns c;
    c.width = names.size();
    if (!header) {  // x, y[, loss]
        if (c.width < 2 || c.width > 3)
            throw std::invalid_argument(where + ": a file without a header must have the columns x, y or x, y, loss; this line has " +
                                        std::to_string(c.width) + " fields (name the columns in a first line: x,y)");
        c.x = 0, c.y = 1;
        if (c.width == 3) c.loss = 2;
        return c;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::size_t* slot = nullptr;
        if (names[i] == "x") slot = &c.x;
        else if (names[i] == "y") slot = &c.y;
        else if (names[i] == "loss") slot = &c.loss;
        else if (names[i] == "step") slot = &c.step;
        else if (names[i] == "run") slot = &c.run;
        else if (names[i] == "label") slot = &c.label;
        if (!slot) continue;
        if (*slot != Columns::kNone) throw std::invalid_argument(where + ": two columns named '" + names[i] + "'");
        *slot = i;
    }
    for (const auto& [wanted, index] : {std::pair{"x", c.x}, std::pair{"y", c.y}}) {
        if (index != Columns::kNone) continue;
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw std::invalid_argument(where + ": no column '" + std::string(wanted) + "' (columns: " + printable(list, 120) +
                                    "); a trajectory needs columns x and y");
    }
    return c;
}

double finite_field(const std::string& text, const std::string& where, const char* column) {
    const std::string what = where + ": " + column;
    const double value = parse_number(text, what);  // refuses text, nan and inf
    if (std::abs(value) > limits::kMaxViewCoordinate)
        throw std::invalid_argument(what + ": '" + printable(text) + "' is beyond the largest value a picture can show");
    return value;
}

bool all_numbers(const std::vector<std::string>& fields) {
    return std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return is_number(f); });
}

// A path being read, with its last step (for the step column's check).
struct PathInProgress {
    ImportedPath path;
    std::optional<long> last_step;
};

void add_row(PathInProgress& p, const Record& r, const Columns& c, const RecordReader& reader) {
    const std::string where = reader.where(r.line);
    if (p.path.x.size() > static_cast<std::size_t>(limits::kMaxSteps))
        throw std::invalid_argument(p.path.source + ": more than " + std::to_string(limits::kMaxSteps + 1) +
                                    " rows in one path (a scene's longest horizon and its start)");
    if (c.step != Columns::kNone) {
        const long step = parse_whole_at_most(r.fields[c.step], where + ": step", limits::kMaxSteps);
        const long expected = p.last_step ? *p.last_step + 1 : 0;
        if (step != expected)
            throw std::invalid_argument(where + ": step " + std::to_string(step) +
                                        (p.last_step ? " follows step " + std::to_string(*p.last_step) : std::string(" is the first")) +
                                        " (rows must be steps 0, 1, 2, ...: write a row for every step)");
        p.last_step = step;
    }
    p.path.x.push_back(finite_field(r.fields[c.x], where, "x"));
    p.path.y.push_back(finite_field(r.fields[c.y], where, "y"));
    if (c.loss != Columns::kNone) p.path.loss.push_back(parse_number(r.fields[c.loss], where + ": loss"));
}

}  // namespace

std::vector<ImportedPath> parse_imported_paths(std::string_view text, const std::string& name) {
    const std::string shown = printable(name, 200);
    if (text.find('\0') != std::string_view::npos)
        throw std::invalid_argument(shown + ": not a text file (it holds NUL bytes); expected a CSV trajectory");
    RecordReader reader(text, shown);
    Record record;
    if (!reader.next(record)) throw std::invalid_argument(shown + ": empty file, expected a header and rows of x, y");
    const bool header = !all_numbers(record.fields);
    const Columns columns = find_columns(header ? header_names(record.fields) : record.fields, reader.where(record.line), header);

    std::vector<PathInProgress> paths;
    std::map<std::string, std::size_t> by_run;
    bool pending = !header;  // a headerless file's first line is a row
    while (pending || reader.next(record)) {
        pending = false;
        if (record.fields.size() != columns.width)
            throw std::invalid_argument(reader.where(record.line) + ": expected " + std::to_string(columns.width) + " fields, found " +
                                        std::to_string(record.fields.size()));
        const std::string run = columns.run != Columns::kNone ? record.fields[columns.run] : std::string();
        auto [it, added] = by_run.try_emplace(run, paths.size());
        if (added) {
            if (paths.size() >= static_cast<std::size_t>(limits::kMaxRuns))
                throw std::invalid_argument(reader.where(record.line) + ": more than " + std::to_string(limits::kMaxRuns) +
                                            " runs in one file");
            PathInProgress& p = paths.emplace_back();
            p.path.source = name;
            p.path.run = run;
            if (columns.label != Columns::kNone) {
                p.path.label = record.fields[columns.label];
                if (p.path.label.size() > limits::kMaxLabelBytes)
                    throw std::invalid_argument(reader.where(record.line) + ": label: " + std::to_string(p.path.label.size()) +
                                                " bytes; the limit is " + std::to_string(limits::kMaxLabelBytes));
            }
        }
        add_row(paths[it->second], record, columns, reader);
    }
    if (paths.empty()) throw std::invalid_argument(shown + ": no rows after the header, expected rows of x, y");
    std::vector<ImportedPath> out;
    for (auto& p : paths) out.push_back(std::move(p.path));
    return out;
}

std::vector<ImportedPath> load_imported_paths(const std::string& path) {
    return parse_imported_paths(read_regular_file(path, "trajectory file", limits::kMaxDataFileBytes), path);
}

void validate_imported_path(const ImportedPath& path, const std::string& what) {
    if (path.x.empty()) throw std::invalid_argument(what + ": no points");
    if (path.y.size() != path.x.size() || (!path.loss.empty() && path.loss.size() != path.x.size()))
        throw std::invalid_argument(what + ": x, y and loss must have as many values each");
    if (path.x.size() > static_cast<std::size_t>(limits::kMaxSteps) + 1)
        throw std::invalid_argument(what + ": more than " + std::to_string(limits::kMaxSteps + 1) + " points");
    for (const auto* column : {&path.x, &path.y, &path.loss})
        for (const double v : *column)
            if (!std::isfinite(v) || (column != &path.loss && std::abs(v) > limits::kMaxViewCoordinate))
                throw std::invalid_argument(what + ": every point and loss must be a finite number within the picture's range");
    if (path.label.size() > limits::kMaxLabelBytes)
        throw std::invalid_argument(what + ": label longer than " + std::to_string(limits::kMaxLabelBytes) + " bytes");
}

bool looks_like_trajectory_csv(std::string_view text) {
    try {
        RecordReader reader(text.substr(0, 64 * 1024), "");
        Record record;
        if (!reader.next(record) || all_numbers(record.fields)) return false;
        const std::vector<std::string> names = header_names(record.fields);
        auto has = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
        return has("x") && has("y") && has("step");
    } catch (const std::invalid_argument&) {
        return false;
    }
}

std::string imported_label(const ImportedPath& path) {
    if (!path.label.empty()) return path.label;
    if (!path.source.empty()) {
        const std::string file = std::filesystem::path(path.source).filename().string();
        return file.empty() ? path.source : file;
    }
    return "imported run";
}

std::string imported_origin(const ImportedPath& path) {
    std::string text = path.source.empty() ? "imported (points saved in the scene)" : "imported from " + path.source;
    if (!path.run.empty()) text += " (run " + path.run + ")";
    text += ", " + std::to_string(path.x.size()) + (path.x.size() == 1 ? " point" : " points");
    text += path.loss.empty() ? "; loss from the surface" : "; loss from the file";
    return text;
}

Trajectory imported_trajectory(const ImportedPath& path, const LossSurface& surface) {
    Trajectory t;
    const std::size_t n = path.x.size();
    t.x = path.x;
    t.y = path.y;
    t.loss.resize(n);
    t.gx.resize(n);
    t.gy.resize(n);
    if (n > 0) surface.evaluate({n, t.x.data(), t.y.data()}, {t.loss.data(), t.gx.data(), t.gy.data()});
    if (!path.loss.empty()) t.loss = path.loss;
    for (std::size_t k = 0; k < n; ++k) {
        if (std::isfinite(t.loss[k]) && std::isfinite(t.gx[k]) && std::isfinite(t.gy[k])) continue;
        if (!path.loss.empty() && std::isfinite(t.loss[k])) {  // the file's loss holds; only the gradient is undefined here
            t.gx[k] = t.gy[k] = 0;
            continue;
        }
        for (auto* column : {&t.x, &t.y, &t.loss, &t.gx, &t.gy}) column->resize(k);
        t.outcome = Outcome::Diverged;
        t.diverged_step = static_cast<long>(k);
        break;
    }
    return t;
}

}  // namespace optiviz
