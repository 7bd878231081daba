// Internal to core: the optimizer that runs a rule of core/optimizers/update_rules.h (RuleOptimizer), the
// factories of the registry's optimizers, and helpers their teaching text shares.
//
// RuleOptimizer<Rule> is the whole Optimizer for an elementwise rule: step() runs Rule::update
// over a batch (the generic path; the fused ensemble kernel runs the same update through
// fused_rule()), prepare() computes Rule's tables, state_names() are Rule's kept arrays. The
// teaching members have plain defaults (the rate is lr, the direction the gradient, no lines);
// a family file derives from it to explain its rule better.
#pragma once

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "core/optimizers/fused_rule.h"
#include "core/optimizers/optimizer.h"
#include "core/optimizers/update_rules.h"
#include "core/optimizers/vector_kernel.h"

namespace optiviz::rules {

// Rule::update over one coordinate of n particles: values p (in place), gradients g, the rule's
// state slots. `quantities` are the step's (kQ values); with PerLane each particle computes its own
// per-step ones from lr_each[i] and the tables' values at the step, `at_t`.
template <class Rule, class M, bool PerLane>
OPTIVIZ_VECTOR_KERNEL void apply_rule(const M& mode, const double* __restrict quantities, const double* at_t, long t,
                                      std::size_t n, double* __restrict p, const double* __restrict g,
                                      double* const* slots, const double* __restrict lr_each) {
    constexpr int kSlots = Rule::kState + Rule::kTeachingState;
    const M m = mode;  // local copies: invariant values can leave the loop
    double* st[kSlots];
    for (int k = 0; k < kSlots; ++k) st[k] = slots[k];
    // The quantities are read where they are (restrict: nothing here writes them), not copied: the
    // caller has just stored them one by one, and a wider copy's loads would wait for those stores.
    if constexpr (!PerLane) {
        const auto q = [&](int k, std::size_t) { return quantities[k]; };
        for (std::size_t i = 0; i < n; ++i) p[i] = Rule::update(m, q, i, p[i], g[i], st);
    } else {
        const double table[3] = {at_t[0], at_t[1], at_t[2]};
        for (std::size_t i = 0; i < n; ++i) {
            double lane[Rule::kQ];
            for (int k = 0; k < Rule::kQ; ++k) lane[k] = quantities[k];
            Rule::per_step([&](int k) -> double& { return lane[k]; }, t, lr_each[i], table);
            const auto q = [&](int k, std::size_t) { return lane[k]; };
            p[i] = Rule::update(m, q, i, p[i], g[i], st);
        }
    }
}

// Memory for the slots an optimizer does not keep (RMSprop's momentum buffer without momentum):
// a Dynamic step writes them and never reads what it wrote. One per thread, grown as needed.
double* spare_slots(std::size_t doubles);

template <class Rule>
class RuleOptimizer : public Optimizer {
public:
    using Params = typename Rule::Params;

    RuleOptimizer(std::string_view name, const Params& params, double weight_decay)
        : name_(name), params_(params), kept_(Rule::kept(params)) {
        weight_decay_ = weight_decay;
        kept_index_.fill(-1);
        for (std::size_t a = 0; a < kept_.size(); ++a) kept_index_[static_cast<std::size_t>(kept_[a].slot)] = static_cast<int>(a);
    }

    std::string_view name() const override { return name_; }
    int state_arrays() const override { return static_cast<int>(kept_.size()); }
    std::vector<std::string_view> state_names() const override {
        std::vector<std::string_view> names;
        for (const KeptState& k : kept_) names.push_back(k.name);
        return names;
    }
    bool decoupled_weight_decay() const override { return Rule::decoupled_weight_decay(params_); }
    void prepare(long steps) override {
        tables_ = Rule::prepare(params_, steps);
        prepared_steps_ = steps;
    }

    FusedRule fused_rule() const override {
        FusedRule r;
        if constexpr (Rule::kFused) {
            r.params = params_;
            r.flag = Rule::flag(params_);
            const std::array<const double*, 3> tables = Rule::table_data(tables_);
            for (int j = 0; j < 3; ++j) r.table[j] = tables[static_cast<std::size_t>(j)];
        }
        return r;
    }

    void step(const StepInfo& info, const ParticleSpan& s) const override {
        const std::array<double, 3> at_t = tables_at(info.t);
        double q[Rule::kQ] = {};
        Rule::constants(params_, q);
        Rule::per_step([&](int k) -> double& { return q[k]; }, info.t, info.lr, at_t.data());
        constexpr int kSlots = Rule::kState + Rule::kTeachingState;
        double* slots_x[kSlots] = {};
        double* slots_y[kSlots] = {};
        for (int k = 0; k < kSlots; ++k) {
            const int array = kept_index_[static_cast<std::size_t>(k)];
            if (array < 0) continue;
            slots_x[k] = s.state_x[array];
            slots_y[k] = s.state_y[array];
        }
        const auto run = [&](const auto& mode) {
            using M = std::decay_t<decltype(mode)>;
            // Only a Dynamic step touches slots the optimizer does not keep (Static ones compile in
            // exactly the arrays their switches use).
            if constexpr (M::kDynamic) {
                if (kept_.size() < static_cast<std::size_t>(kSlots)) {
                    double* spare = spare_slots(2 * kSlots * s.count);
                    for (int k = 0; k < kSlots; ++k) {
                        if (kept_index_[static_cast<std::size_t>(k)] >= 0) continue;
                        slots_x[k] = spare + static_cast<std::size_t>(2 * k) * s.count;
                        slots_y[k] = slots_x[k] + s.count;
                    }
                }
            }
            if (s.lr) {
                apply_rule<Rule, M, true>(mode, q, at_t.data(), info.t, s.count, s.x, s.gx, slots_x, s.lr);
                apply_rule<Rule, M, true>(mode, q, at_t.data(), info.t, s.count, s.y, s.gy, slots_y, s.lr);
            } else {
                apply_rule<Rule, M, false>(mode, q, at_t.data(), info.t, s.count, s.x, s.gx, slots_x, nullptr);
                apply_rule<Rule, M, false>(mode, q, at_t.data(), info.t, s.count, s.y, s.gy, slots_y, nullptr);
            }
        };
        if (Rule::kUsesFirst && info.t == 1) run(DynamicMode<true>{true, Rule::flag(params_)});
        else with_mode<Rule, true>(Rule::flag(params_), Rule::momentum(params_), run);
    }

    // Teaching defaults: the rate is lr and the step moves along the gradient.
    double effective_rate(const StepInfo& info, const double*) const override { return info.lr; }
    double step_direction(const StepInfo&, double g, const double*) const override { return g; }
    std::string rule() const override { return std::string(find_optimizer(name_).rule); }
    StepText explain(const StepNumbers&) const override { return {}; }

protected:
    // The tables' values at step t (zeros for a rule without tables). Throws std::logic_error for a
    // step before prepare() or outside the prepared range.
    std::array<double, 3> tables_at(long t) const {
        std::array<double, 3> at{};
        if constexpr (Rule::kTables > 0) {
            if (prepared_steps_ < 0) throw std::logic_error("optimizer step before prepare()");
            if (t < 1 || t > prepared_steps_) throw std::logic_error("optimizer step outside the prepared range");
            const std::array<const double*, 3> tables = Rule::table_data(tables_);
            for (std::size_t j = 0; j < static_cast<std::size_t>(Rule::kTables); ++j) at[j] = tables[j][t];
        }
        return at;
    }

    std::string_view name_;
    Params params_;
    std::vector<KeptState> kept_;
    std::array<int, Rule::kState + Rule::kTeachingState> kept_index_{};  // per slot: its kept array, or −1
    typename Rule::Tables tables_{};
    long prepared_steps_ = -1;
};

// A rule's optimizer with the default teaching members: what a registry row's `make` can be for a
// new rule (weight_decay, where the table has it, is the coupled one).
template <class Rule>
std::unique_ptr<Optimizer> make_rule_optimizer(const ParamValues& v) {
    return std::make_unique<RuleOptimizer<Rule>>(Rule::kName, Rule::read(v), value_or(v, "weight_decay", 0.0));
}

// Number formatting for StepText lines: "%.6g", and "(x, y)".
std::string num(double v);
std::string pair(double x, double y);
// State array k of a step, before or after it, as "(x, y)".
std::string before_pair(const StepNumbers& step, int k);
std::string after_pair(const StepNumbers& step, int k);

std::unique_ptr<Optimizer> make_sgd(const ParamValues& v);
std::unique_ptr<Optimizer> make_adagrad(const ParamValues& v);
std::unique_ptr<Optimizer> make_rmsprop(const ParamValues& v);
std::unique_ptr<Optimizer> make_adadelta(const ParamValues& v);
std::unique_ptr<Optimizer> make_adam(const ParamValues& v);
std::unique_ptr<Optimizer> make_adamw(const ParamValues& v);
std::unique_ptr<Optimizer> make_adamax(const ParamValues& v);
std::unique_ptr<Optimizer> make_nadam(const ParamValues& v);
std::unique_ptr<Optimizer> make_radam(const ParamValues& v);
std::unique_ptr<Optimizer> make_rprop(const ParamValues& v);
std::unique_ptr<Optimizer> make_lbfgs(const ParamValues& v);

}  // namespace optiviz::rules
