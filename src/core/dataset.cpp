#include "core/dataset.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/random.h"

namespace optiviz {

namespace {

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

double parse_field(const std::string& field, const std::string& where) {
    double value = 0;
    const char* begin = field.data();
    const char* end = begin + field.size();
    if (!field.empty() && *begin == '+') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (field.empty() || ec != std::errc() || ptr != end)
        throw std::invalid_argument(where + ": '" + field + "' is not a number");
    if (!std::isfinite(value)) throw std::invalid_argument(where + ": '" + field + "' is not a finite number");
    return value;
}

}  // namespace

Dataset parse_dataset_csv(const std::string& text, const std::string& name) {
    Dataset data;
    data.source = name;
    std::istringstream in(text);
    std::string line;
    long line_number = 0;
    bool header_seen = false;
    while (std::getline(in, line)) {
        ++line_number;
        const std::string where = name + ":" + std::to_string(line_number);
        if (trim(line).empty()) continue;
        const auto comma = line.find(',');
        if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos)
            throw std::invalid_argument(where + ": expected 2 comma-separated fields");
        const std::string first = trim(std::string_view(line).substr(0, comma));
        const std::string second = trim(std::string_view(line).substr(comma + 1));
        if (!header_seen) {
            if (first != "x" || second != "y")
                throw std::invalid_argument(where + ": expected the header 'x,y'");
            header_seen = true;
            continue;
        }
        data.x.push_back(parse_field(first, where));
        data.y.push_back(parse_field(second, where));
    }
    if (!header_seen) throw std::invalid_argument(name + ": empty file, expected the header 'x,y'");
    if (data.size() < 2) throw std::invalid_argument(name + ": needs at least 2 data rows, found " +
                                                     std::to_string(data.size()));
    return data;
}

Dataset load_dataset_csv(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::invalid_argument(path + ": cannot open data file");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_dataset_csv(text.str(), path);
}

Dataset make_synthetic_dataset(const SyntheticDatasetSpec& spec) {
    if (spec.rows < 2) throw std::invalid_argument("synthetic dataset: needs at least 2 rows");
    Dataset data;
    DeterministicRng rng(spec.seed);
    data.x.reserve(spec.rows);
    data.y.reserve(spec.rows);
    for (std::size_t i = 0; i < spec.rows; ++i) {
        const double x = spec.x_offset + spec.x_scale * (2.0 * rng.uniform() - 1.0);
        data.x.push_back(x);
        data.y.push_back(spec.slope * x + spec.intercept + spec.noise * rng.normal());
    }
    std::ostringstream name;
    name << "synthetic(rows=" << spec.rows << ", slope=" << spec.slope << ", intercept=" << spec.intercept
         << ", noise=" << spec.noise << ", seed=" << spec.seed << ")";
    data.source = name.str();
    return data;
}

}  // namespace optiviz
