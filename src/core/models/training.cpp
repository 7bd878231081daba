#include "core/models/training.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <limits>
#include <optional>
#include <stdexcept>

#include "core/optimizers/lbfgs_algorithm.h"
#include "core/optimizers/minibatch_sampler.h"
#include "core/optimizers/optimizer.h"

namespace optiviz::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The parameter vector as the 2-D optimizers see it: the first half of the coordinates as their x,
// the second as their y (one padding coordinate when the count is odd; its gradient is always 0,
// so no rule moves it). The rules are elementwise, so this is the same update as on one vector.
class FlatParameters {
public:
    FlatParameters(std::span<const double> theta, int state_arrays)
        : d_(theta.size()), half_((theta.size() + 1) / 2), values_(2 * half_, 0.0), gradient_(2 * half_, 0.0),
          state_(static_cast<std::size_t>(state_arrays) * 2 * half_, 0.0) {
        std::copy(theta.begin(), theta.end(), values_.begin());
        for (int k = 0; k < state_arrays; ++k) {
            state_x_.push_back(state_.data() + static_cast<std::size_t>(k) * 2 * half_);
            state_y_.push_back(state_x_.back() + half_);
        }
    }
    std::span<double> values() { return {values_.data(), d_}; }
    std::span<double> gradient() { return {gradient_.data(), d_}; }
    ParticleSpan span() {
        ParticleSpan s;
        s.count = half_;
        s.x = values_.data();
        s.y = values_.data() + half_;
        s.gx = gradient_.data();
        s.gy = gradient_.data() + half_;
        s.state_x = state_x_.data();
        s.state_y = state_y_.data();
        return s;
    }

private:
    std::size_t d_, half_;
    std::vector<double> values_, gradient_, state_;
    std::vector<double*> state_x_, state_y_;
};

double norm_of(std::span<const double> v) {
    double sum = 0.0;
    for (double x : v) sum += x * x;
    return std::sqrt(sum);
}

// The model's parameters as L-BFGS's vector type (core/optimizers/lbfgs_algorithm.h); a type of this namespace
// so that the algorithm finds the operations below.
struct Flat {
    Eigen::VectorXd v;
};
Flat negated(const Flat& a) { return {-a.v}; }
Flat difference(const Flat& a, const Flat& b) { return {a.v - b.v}; }
// a + alpha·b with one fma per element, as torch's add_(b, alpha=alpha) computes it on CPU.
Flat add_scaled(const Flat& a, double alpha, const Flat& b) {
    Flat r{Eigen::VectorXd(a.v.size())};
    for (Eigen::Index i = 0; i < a.v.size(); ++i) r.v(i) = std::fma(alpha, b.v(i), a.v(i));
    return r;
}
Flat scaled(const Flat& a, double s) { return {a.v * s}; }
double dot(const Flat& a, const Flat& b) { return a.v.dot(b.v); }
double max_abs(const Flat& a) { return a.v.cwiseAbs().maxCoeff(); }
double l1_norm(const Flat& a) { return a.v.cwiseAbs().sum(); }

struct FlatHistory {
    std::deque<Flat> dirs, stps;
    std::deque<double> ros;
    int size() const { return static_cast<int>(dirs.size()); }
    const Flat& dir(int j) const { return dirs[static_cast<std::size_t>(j)]; }
    const Flat& stp(int j) const { return stps[static_cast<std::size_t>(j)]; }
    double ro(int j) const { return ros[static_cast<std::size_t>(j)]; }
    void clear() { dirs.clear(), stps.clear(), ros.clear(); }
    void push(const Flat& y, const Flat& s, double r, int capacity) {
        if (size() == capacity) dirs.pop_front(), stps.pop_front(), ros.pop_front();
        dirs.push_back(y), stps.push_back(s), ros.push_back(r);
    }
};

struct LbfgsRunner {
    lbfgs::Settings settings;
    lbfgs::State<Flat> state;
    FlatHistory history;
};

lbfgs::Settings lbfgs_settings(const RunConfig& config) {
    const OptimizerInfo& info = find_optimizer("lbfgs");
    const ParamValues v(info.name, info.params, config.hyper);
    lbfgs::Settings s;
    s.max_iter = static_cast<long>(v.get("max_iter"));
    s.history_size = static_cast<int>(v.get("history_size"));
    s.strong_wolfe = v.flag("line_search");
    s.tolerance_grad = v.get("tolerance_grad");
    s.tolerance_change = v.get("tolerance_change");
    s.max_eval = s.max_iter * 5 / 4;
    return s;
}

// What the loop keeps about the rows so far: the stopping rules' counters and the outcome.
struct RowJudge {
    const StopRule& stop;
    long flat_steps = 0;
    bool converged = false;
};

// Records row t's columns; returns false when the row is not finite (the run diverged before it).
bool record_row(const Network& network, const LabeledTable& train, const LabeledTable* test,
                std::span<const double> theta, double loss, std::span<const double> gradient,
                const Eigen::MatrixXd& outputs, double bound, TrainingResult& result) {
    const double grad_norm = norm_of(gradient);
    bool finite = std::isfinite(loss) && std::isfinite(grad_norm);
    for (double v : theta) finite = finite && std::abs(v) <= bound;
    if (!finite) return false;
    result.loss.push_back(loss);
    result.grad_norm.push_back(grad_norm);
    result.accuracy.push_back(network.accuracy_of(outputs, train.y));
    if (test) {
        // One forward pass over the test rows gives both numbers.
        Eigen::MatrixXd test_outputs;
        result.test_loss.push_back(network.loss(theta, {&test->x, &test->y}, {}, &test_outputs));
        result.test_accuracy.push_back(network.accuracy_of(test_outputs, test->y));
    }
    return true;
}

// Applies the stopping rules to row t; returns true when the run stops at this row.
bool stops_at(RowJudge& judge, long t, double grad_norm, TrainingResult& result) {
    const StopRule& stop = judge.stop;
    if (stop.loss_tol > 0 && t > 0) {
        const auto k = static_cast<std::size_t>(t);
        judge.flat_steps = std::abs(result.loss[k] - result.loss[k - 1]) < stop.loss_tol ? judge.flat_steps + 1 : 0;
        if (judge.flat_steps >= stop.loss_patience) {
            if (!judge.converged) result.converged_step = t;
            result.outcome = Outcome::Converged;
            result.stop_reason = StopReason::LossChange;
            result.stopped_step = t;
            return true;
        }
    }
    if (!judge.converged && stop.grad_tol > 0 && grad_norm <= stop.grad_tol) {
        judge.converged = true;
        result.converged_step = t;
        result.outcome = Outcome::Converged;
        result.stop_reason = StopReason::GradientNorm;
        if (stop.stop_at_convergence) {
            result.stopped_step = t;
            return true;
        }
    }
    return false;
}

}  // namespace

void validate_training(const RunConfig& config) { validate_run_settings(config); }

// Everything a run carries from one step to the next: the optimizer and its state, the schedule,
// the mini-batch order, the stopping rules' counters, and the rows recorded so far.
struct Trainer::State {
    const Network& network;
    const LabeledTable& train;
    const LabeledTable* test;
    RunConfig config;
    TrainingOptions options;
    std::unique_ptr<Optimizer> optimizer;
    std::vector<double> lr_table;
    double coupled_wd = 0.0;
    bool plateau = false;
    PlateauTracker tracker;
    double plateau_lr = 0.0;
    FlatParameters flat;
    std::optional<LbfgsRunner> lbfgs;
    std::optional<MinibatchSampler> sampler;
    Batch full;
    TrainingResult result;
    RowJudge judge;
    std::vector<double> last_good;
    Eigen::MatrixXd outputs;  // the row's model outputs, for its accuracy
    long t = 0;
    bool done = false;

    State(const Network& n, const LabeledTable& tr, const LabeledTable* te, const RunConfig& c, std::span<const double> initial,
          const TrainingOptions& o, std::unique_ptr<Optimizer> opt)
        : network(n), train(tr), test(te), config(c), options(o), optimizer(std::move(opt)),
          flat(initial, optimizer->evaluates_objective() ? 0 : optimizer->state_arrays()), full{&train.x, &train.y},
          judge{config.stop}, last_good(initial.begin(), initial.end()) {}

    void snapshot(long row) {
        result.snapshots.insert(result.snapshots.end(), last_good.begin(), last_good.end());
        result.snapshot_rows.push_back(row);
    }
    // Row t, then (unless the run ends at it) step t + 1. Returns false once the run has ended.
    bool row_and_step();
    void lbfgs_step(double loss, double lr);
    void gradient_step(double lr);
};

bool Trainer::State::row_and_step() {
    const double loss = network.loss(flat.values(), full, flat.gradient(), &outputs);
    if (!record_row(network, train, test, flat.values(), loss, flat.gradient(), outputs, config.stop.divergence_bound,
                    result)) {
        result.outcome = Outcome::Diverged;
        result.stop_reason = StopReason::None;
        result.diverged_step = t;
        return false;
    }
    std::copy(flat.values().begin(), flat.values().end(), last_good.begin());
    const bool snapshot_row = options.snapshot_every > 0 && t % options.snapshot_every == 0;
    if (snapshot_row) snapshot(t);
    if (stops_at(judge, t, result.grad_norm.back(), result) || t == config.steps) {
        if (options.snapshot_every > 0 && !snapshot_row) snapshot(t);
        return false;
    }
    const double lr = plateau ? plateau_lr : lr_table[static_cast<std::size_t>(t)];
    if (lbfgs) lbfgs_step(loss, lr);
    else gradient_step(lr);
    result.lr.push_back(lr);
    if (plateau) plateau_lr = tracker.step(config.schedule, loss, plateau_lr);
    ++t;
    return true;
}

void Trainer::State::lbfgs_step(double loss, double lr) {
    Flat x{Eigen::Map<const Eigen::VectorXd>(flat.values().data(), static_cast<Eigen::Index>(flat.values().size()))};
    Flat g{Eigen::Map<const Eigen::VectorXd>(flat.gradient().data(), x.v.size())};
    auto evaluate = [&](const Flat& p) {
        lbfgs::Evaluation<Flat> e{0.0, Flat{Eigen::VectorXd(p.v.size())}};
        e.f = network.loss({p.v.data(), static_cast<std::size_t>(p.v.size())}, full,
                           {e.g.v.data(), static_cast<std::size_t>(e.g.v.size())});
        return e;
    };
    const lbfgs::StepReport report =
        lbfgs::step<100>(lbfgs->settings, lbfgs->state, lbfgs->history, x, loss, std::move(g), lr, evaluate);
    std::copy(x.v.data(), x.v.data() + x.v.size(), flat.values().begin());
    result.evaluations.push_back(report.evaluations);
}

void Trainer::State::gradient_step(double lr) {
    if (sampler) network.loss(flat.values(), {&train.x, &train.y, sampler->next()}, flat.gradient());
    const std::span<double> g = flat.gradient();
    if (config.clip_norm > 0) {
        const double coef = std::min(config.clip_norm / (norm_of(g) + 1e-6), 1.0);
        for (double& v : g) v *= coef;
    }
    if (coupled_wd != 0.0) {
        const std::span<const double> theta = flat.values();
        for (std::size_t i = 0; i < g.size(); ++i) g[i] = g[i] + coupled_wd * theta[i];
    }
    optimizer->step({t + 1, lr}, flat.span());
}

Trainer::Trainer(const Network& network, const LabeledTable& train, const LabeledTable* test, const RunConfig& config,
                 std::span<const double> initial, const TrainingOptions& options) {
    validate_training(config);
    if (initial.size() != network.parameter_count())
        throw std::invalid_argument("initial parameters: " + std::to_string(initial.size()) + " values, the model has " +
                                    std::to_string(network.parameter_count()));
    if (static_cast<std::size_t>(train.x.cols()) != network.inputs() || (test && test->x.cols() != train.x.cols()))
        throw std::invalid_argument("the data's feature count does not match the model's inputs");
    if (train.rows() == 0) throw std::invalid_argument("no training rows");

    auto optimizer = make_optimizer(config.optimizer, config.hyper);
    optimizer->prepare(config.steps);
    state_ = std::make_unique<State>(network, train, test, config, initial, options, std::move(optimizer));
    State& s = *state_;
    const double base_lr = ParamValues(config.optimizer, find_optimizer(config.optimizer).params, config.hyper).get("lr");
    s.lr_table = schedule_table(config.schedule, base_lr, config.steps);
    s.coupled_wd = s.optimizer->decoupled_weight_decay() ? 0.0 : s.optimizer->weight_decay();
    s.plateau = config.schedule.kind == ScheduleKind::Plateau;
    s.plateau_lr = s.lr_table.empty() ? base_lr : s.lr_table[0];
    if (s.optimizer->evaluates_objective()) {
        s.lbfgs.emplace();
        s.lbfgs->settings = lbfgs_settings(config);
    }
    if (config.batch_size > 0) s.sampler.emplace(train.rows(), config.batch_size, config.seed);
}

Trainer::~Trainer() = default;
Trainer::Trainer(Trainer&&) noexcept = default;
Trainer& Trainer::operator=(Trainer&&) noexcept = default;

bool Trainer::advance(long rows, const std::atomic<bool>* cancel) {
    State& s = *state_;
    for (long k = 0; k < rows && !s.done; ++k) {
        if ((s.options.cancel && s.options.cancel->load(std::memory_order_relaxed)) ||
            (cancel && cancel->load(std::memory_order_relaxed)))
            throw std::runtime_error("cancelled");
        if (!s.row_and_step()) {
            s.done = true;
            s.result.parameters = s.last_good;
        }
    }
    return s.done;
}

bool Trainer::done() const { return state_->done; }
long Trainer::total_rows() const { return state_->config.steps + 1; }
const TrainingResult& Trainer::result() const { return state_->result; }

TrainingResult Trainer::take() && {
    if (!state_->done) throw std::logic_error("Trainer::take before the run ended");
    return std::move(state_->result);
}

TrainingResult train_model(const Network& network, const LabeledTable& train, const LabeledTable* test,
                           const RunConfig& config, std::span<const double> initial, const TrainingOptions& options) {
    Trainer trainer(network, train, test, config, initial, options);
    while (!trainer.advance(config.steps + 1)) {
    }
    return std::move(trainer).take();
}

}  // namespace optiviz::models
