#include "core/scene/param_spec.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace optiviz {

namespace {

std::string number(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

}  // namespace

std::string describe_range(const ParamSpec& spec) {
    if (spec.kind == ParamKind::Flag) return "0 or 1";
    const bool lo_inf = std::isinf(spec.min);
    const bool hi_inf = std::isinf(spec.max);
    if (lo_inf && hi_inf) return "any finite number";
    if (hi_inf) return (spec.min_exclusive ? "> " : ">= ") + number(spec.min);
    if (lo_inf) return (spec.max_exclusive ? "< " : "<= ") + number(spec.max);
    return std::string(spec.min_exclusive ? "(" : "[") + number(spec.min) + ", " + number(spec.max) +
           (spec.max_exclusive ? ")" : "]");
}

void validate_param(std::string_view owner, const ParamSpec& spec, double value) {
    auto fail = [&](const std::string& why) {
        throw std::invalid_argument(std::string(owner) + ": " + std::string(spec.name) + " " + why);
    };
    if (!std::isfinite(value)) fail("must be a finite number, got " + number(value));
    if (spec.kind != ParamKind::Real && value != std::floor(value))
        fail("must be a whole number, got " + number(value));
    if (spec.kind == ParamKind::Flag && value != 0.0 && value != 1.0) fail("must be 0 or 1, got " + number(value));
    const bool below = spec.min_exclusive ? value <= spec.min : value < spec.min;
    const bool above = spec.max_exclusive ? value >= spec.max : value > spec.max;
    if (below || above) fail("must be " + describe_range(spec) + ", got " + number(value));
}

ParamValues::ParamValues(std::string_view owner, ParamTable table, const ParamOverrides& overrides)
    : table_(table), values_(table.size()) {
    for (const auto& [key, value] : overrides) {
        bool known = false;
        for (const auto& spec : table) known = known || spec.name == key;
        if (!known) {
            std::string names;
            for (const auto& spec : table) names += (names.empty() ? "" : ", ") + std::string(spec.name);
            throw std::invalid_argument(std::string(owner) + " has no parameter '" + key + "'" +
                                        (names.empty() ? " (it takes none)" : " (it takes: " + names + ")"));
        }
    }
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto it = overrides.find(table[i].name);
        values_[i] = it == overrides.end() ? table[i].default_value : it->second;
        validate_param(owner, table[i], values_[i]);
    }
}

double ParamValues::get(std::string_view name) const {
    for (std::size_t i = 0; i < table_.size(); ++i)
        if (table_[i].name == name) return values_[i];
    throw std::out_of_range("no parameter '" + std::string(name) + "'");
}

ParamOverrides ParamValues::as_overrides() const {
    ParamOverrides out;
    for (std::size_t i = 0; i < table_.size(); ++i) out.emplace(std::string(table_[i].name), values_[i]);
    return out;
}

}  // namespace optiviz
