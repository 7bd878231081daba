// GCC 12 reports a false -Wrestrict inside libstdc++ for chains of string concatenation at -O3
// (GCC bug 105651); this file is all such chains.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include "core/analysis/step_explanation.h"

#include <cstdio>
#include <stdexcept>

#include "core/presentation/number_text.h"
#include "core/optimizers/optimizer.h"
#include "core/optimizers/optimizer_rules.h"

namespace optiviz {

namespace rules {

std::string num(double v) { return format_number(v, 6); }

std::string pair(double x, double y) { return "(" + num(x) + ", " + num(y) + ")"; }

std::string before_pair(const StepNumbers& step, int k) {
    const auto i = static_cast<std::size_t>(k);
    return pair(step.before_x[i], step.before_y[i]);
}

std::string after_pair(const StepNumbers& step, int k) {
    const auto i = static_cast<std::size_t>(k);
    return pair(step.after_x[i], step.after_y[i]);
}

}  // namespace rules

StepExplanation explain_step(const RunConfig& config, const Trajectory& t, std::size_t k) {
    using rules::num;
    using rules::pair;
    if (t.rate_x.empty() && t.size() > 1)
        throw std::invalid_argument("this trajectory was recorded without the optimizer's state");
    if (k + 1 >= t.size() || k >= t.rate_x.size() || k >= t.lr.size())
        throw std::invalid_argument("no step " + std::to_string(k) + " to explain");
    const std::unique_ptr<Optimizer> optimizer = make_optimizer(config.optimizer, config.hyper);
    optimizer->prepare(static_cast<long>(k) + 1);
    const std::size_t arrays = t.state_names.size();
    if (arrays != static_cast<std::size_t>(optimizer->state_arrays()))
        throw std::invalid_argument("the trajectory's state does not belong to this optimizer");

    // State before (zero before the first step) and after this step, per coordinate.
    std::vector<double> before(2 * arrays, 0.0), after(2 * arrays, 0.0);
    for (std::size_t i = 0; i < arrays; ++i)
        for (int c = 0; c < 2; ++c) {
            after[static_cast<std::size_t>(c) * arrays + i] = t.state_at(k, i, c);
            if (k > 0) before[static_cast<std::size_t>(c) * arrays + i] = t.state_at(k - 1, i, c);
        }
    const std::span<const double> b(before), a(after);
    StepNumbers step{{static_cast<long>(k) + 1, t.lr[k]}, t.gx[k], t.gy[k],
                     b.first(arrays), b.subspan(arrays), a.first(arrays), a.subspan(arrays)};

    StepExplanation e;
    e.rule = optimizer->rule();
    e.lines.push_back("t = " + std::to_string(k + 1) + ",  lr = " + num(t.lr[k]) + ",  θ = " + pair(t.x[k], t.y[k]));
    e.lines.push_back("g = ∇f(θ) = " + pair(step.gx, step.gy));
    StepText text = optimizer->explain(step);
    e.lines.insert(e.lines.end(), text.lines.begin(), text.lines.end());
    e.lines.push_back("effective lr per coordinate = " + pair(t.rate_x[k], t.rate_y[k]));
    e.lines.push_back("θ' = " + pair(t.x[k + 1], t.y[k + 1]) + "   (step " + pair(t.x[k + 1] - t.x[k], t.y[k + 1] - t.y[k]) + ")");
    e.notes = std::move(text.notes);
    if (config.clip_norm > 0) e.notes.push_back("g above is the full gradient; the step used it clipped to norm " + num(config.clip_norm));
    if (optimizer->weight_decay() != 0 && !optimizer->decoupled_weight_decay())
        e.notes.push_back("the step used g + wd·θ (weight decay)");
    if (config.batch_size > 0) e.notes.push_back("g above is the full gradient; the step used a mini-batch gradient");
    return e;
}

}  // namespace optiviz
