#include "core/scene/analysis_settings.h"

#include <cmath>
#include <stdexcept>

#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/optimizers/optimizer.h"
#include "core/io/text_escape.h"

namespace optiviz {

namespace {

void check_whole(long value, long lo, long hi, const std::string& what) {
    if (value < lo || value > hi)
        throw std::invalid_argument(what + " must be from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                                    std::to_string(value));
}

void check_spread(double spread, const std::string& what) {
    if (!std::isfinite(spread) || spread < 0)
        throw std::invalid_argument(what + " must be a finite number >= 0, got " + format_number(spread));
}

void check_name(const std::string& name, const std::string& what) {
    if (name.size() > kMaxParamNameBytes)
        throw std::invalid_argument(what + ": " + std::to_string(name.size()) + " bytes; the limit is " +
                                    std::to_string(kMaxParamNameBytes));
}

// One axis of the sweep: a range the map can space its cells over.
void check_range(double lo, double hi, bool log, const std::string& what) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo))
        throw std::invalid_argument(what + " range must be finite with lo < hi, got " + format_number(lo) + " to " +
                                    format_number(hi));
    if (log && !(lo > 0)) throw std::invalid_argument(what + " range is logarithmic: lo must be > 0, got " + format_number(lo));
}

// A swept parameter of the optimizer: a number, not a switch.
void check_swept(const std::string& optimizer, const std::string& param, const std::string& what) {
    const OptimizerInfo& info = find_optimizer(optimizer);
    for (const ParamSpec& spec : info.params)
        if (spec.name == param && spec.kind != ParamKind::Flag) return;
    throw std::invalid_argument(what + ": " + std::string(info.name) + " has no parameter '" + printable(param, 60) + "' to sweep");
}

}  // namespace

void validate_run_index(long index, std::size_t runs, const std::string& what) {
    const long last = runs == 0 ? 0 : static_cast<long>(runs) - 1;
    if (index < 0 || index > last)
        throw std::invalid_argument(what + " must be a run from 0 to " + std::to_string(last) + ", got " + std::to_string(index));
}

void validate_sweep_settings(const SweepSettings& s, const std::string& optimizer, std::size_t runs) {
    validate_run_index(s.run, runs, "sweep.run");
    check_name(s.x_param, "sweep.x_param");
    check_name(s.y_param, "sweep.y_param");
    check_range(s.x_lo, s.x_hi, s.x_log, "sweep.x");
    check_range(s.y_lo, s.y_hi, s.y_log, "sweep.y");
    check_whole(s.resolution, 1, limits::kMaxAxisCount, "sweep.resolution");
    check_whole(s.starts, 1, limits::kMaxMapStarts, "sweep.starts");
    check_spread(s.spread, "sweep.spread");
    if (s.on && runs > 0 && !s.y_param.empty()) {
        check_swept(optimizer, s.x_param, "sweep.x_param");
        check_swept(optimizer, s.y_param, "sweep.y_param");
        if (s.x_param == s.y_param) throw std::invalid_argument("sweep.y_param must differ from sweep.x_param");
    }
}

void validate_tune_settings(const TuneSettings& t, std::size_t runs) {
    validate_run_index(t.run, runs, "tune.run");
    check_whole(t.budget, 1, limits::kMaxSteps, "tune.budget");
    check_whole(t.starts, 1, limits::kMaxTuneStarts, "tune.starts");
    check_spread(t.spread, "tune.spread");
    check_whole(t.refine, 0, kMaxTuneRefine, "tune.refine");
    check_name(t.second, "tune.second");
    if (t.second == "lr") throw std::invalid_argument("tune.second must not be lr (lr is always tuned)");
}

}  // namespace optiviz
