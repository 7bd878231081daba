#include "core/models/snapshot_log.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/io/file_read.h"
#include "core/io/text_escape.h"

namespace optiviz::models {

namespace {

constexpr std::string_view kFirstLine = "# optiviz snapshots 1";

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

double number(std::string_view field, const std::string& where) {
    field = trimmed(field);
    if (field == "nan" || field == "NaN") return std::numeric_limits<double>::quiet_NaN();
    double v = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), v);
    if (error != std::errc() || end != field.data() + field.size())
        throw std::invalid_argument(where + ": '" + printable(std::string(field), 40) + "' is not a number");
    return v;
}

}  // namespace

SnapshotLog parse_snapshot_log(std::string_view text, const std::string& name) {
    SnapshotLog log;
    log.source = name;
    std::size_t line_number = 0, first_row_line = 0;
    bool first = true;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = trimmed(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++line_number;
        const std::string where = name + ":" + std::to_string(line_number);
        if (first) {
            if (line != kFirstLine)
                throw std::invalid_argument(where + ": not an optiviz snapshot file (its first line must be '# optiviz snapshots 1')");
            first = false;
            continue;
        }
        if (line.empty()) continue;
        if (line.front() == '#') {
            const std::size_t colon = line.find(':');
            if (colon != std::string_view::npos)
                log.meta[std::string(trimmed(line.substr(1, colon - 1)))] = std::string(trimmed(line.substr(colon + 1)));
            continue;
        }
        std::vector<double> values;
        for (std::string_view rest = line;;) {
            const std::size_t comma = rest.find(',');
            values.push_back(number(rest.substr(0, comma), where));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
        if (values.size() < 3) throw std::invalid_argument(where + ": a snapshot needs a step, a loss and at least one parameter");
        if (log.rows() == 0) {
            log.dimension = values.size() - 2;
            first_row_line = line_number;
        } else if (values.size() - 2 != log.dimension) {
            throw std::invalid_argument(where + ": " + std::to_string(values.size()) + " values, line " +
                                        std::to_string(first_row_line) + " has " + std::to_string(log.dimension + 2));
        }
        const double step = values[0];
        if (!(step >= 0) || step != std::floor(step) || step > 1e15)
            throw std::invalid_argument(where + ": the step must be a whole number >= 0");
        if (log.rows() > 0 && static_cast<long>(step) <= log.steps.back())
            throw std::invalid_argument(where + ": step " + std::to_string(static_cast<long>(step)) + " after step " +
                                        std::to_string(log.steps.back()) + " (steps must increase)");
        for (std::size_t k = 2; k < values.size(); ++k)
            if (!std::isfinite(values[k]))
                throw std::invalid_argument(where + ": parameter " + std::to_string(k - 1) + " is not finite");
        log.steps.push_back(static_cast<long>(step));
        log.loss.push_back(values[1]);
        log.parameters.insert(log.parameters.end(), values.begin() + 2, values.end());
    }
    if (first) throw std::invalid_argument(name + ": empty (not an optiviz snapshot file)");
    if (log.rows() == 0) throw std::invalid_argument(name + ": no snapshots");
    return log;
}

SnapshotLog load_snapshot_log(const std::string& path) {
    return parse_snapshot_log(read_regular_file(path, "snapshot file", std::uintmax_t{1} << 30), printable(path, 200));
}

}  // namespace optiviz::models
