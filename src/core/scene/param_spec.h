// Parameter tables shared by the command line, the sliders and scene files.
//
// Every surface and optimizer publishes one ParamTable. The CLI parses `KEY=VALUE` pairs against it,
// the UI builds its sliders from it, and scene files store values by the same keys, so names,
// defaults and ranges are written down exactly once.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace optiviz {

enum class ParamKind {
    Real,     // any finite double within [min, max]
    Integer,  // a whole number within [min, max]
    Flag,     // 0 or 1 (a switch such as nesterov or amsgrad)
};

struct ParamSpec {
    std::string_view name;   // key: `--param name=...`, scene JSON, `--run opt:name=...`
    std::string_view label;  // short label for sliders and legends (may contain Greek letters)
    double default_value = 0.0;
    double min = 0.0;        // valid range, inclusive unless the *_exclusive flag is set
    double max = 0.0;
    bool min_exclusive = false;
    bool max_exclusive = false;
    double ui_min = 0.0;     // slider range: a subset of the valid range that is useful to explore
    double ui_max = 0.0;
    bool log_scale = false;  // sliders move on log10(value); ui_min must then be > 0
    ParamKind kind = ParamKind::Real;
    std::string_view help;   // one sentence for tooltips and --help
};

using ParamTable = std::span<const ParamSpec>;

// Values given by the user, by key. Keys not in the table are an error when resolved.
using ParamOverrides = std::map<std::string, double, std::less<>>;

// A complete set of values for one table, in table order, every value validated.
class ParamValues {
public:
    ParamValues() = default;

    // Fills defaults, applies overrides, validates every value.
    // Throws std::invalid_argument with a one-line message naming `owner` (e.g. "adam") on an
    // unknown key, a non-finite value, a value out of range or a non-integer for an Integer/Flag.
    ParamValues(std::string_view owner, ParamTable table, const ParamOverrides& overrides);

    double get(std::string_view name) const;  // throws std::out_of_range for a key not in the table
    bool flag(std::string_view name) const { return get(name) != 0.0; }
    ParamTable table() const { return table_; }
    std::span<const double> values() const { return values_; }

    // The values as overrides (e.g. to save a scene or to edit one value and re-resolve).
    ParamOverrides as_overrides() const;

private:
    ParamTable table_;
    std::vector<double> values_;
};

// One-line description of the valid range, e.g. "[0, 1)" or "> 0".
std::string describe_range(const ParamSpec& spec);

// Throws std::invalid_argument if `value` is not valid for `spec`; `owner` prefixes the message.
void validate_param(std::string_view owner, const ParamSpec& spec, double value);

}  // namespace optiviz
