// L-BFGS, as torch.optim.LBFGS 1.13 computes it in float64, per particle: each particle is one
// 2-D parameter vector with its own history. The algorithm, with torch's strong-Wolfe line search,
// is core/optimizers/lbfgs_algorithm.h (shared with the models' parameter vectors).
//
// State (per particle; per coordinate where a vector, mirrored into both coordinates where a
// scalar) lives in the ensemble's state arrays, so L-BFGS runs in the batch-first core like every
// other optimizer: trajectories, clouds, sweeps and basins.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/optimizers/lbfgs_algorithm.h"
#include "core/surfaces/loss_surface.h"
#include "core/optimizers/optimizer_rules.h"

namespace optiviz::rules {

namespace {

struct Vec2 {
    double x = 0.0, y = 0.0;
};
Vec2 operator-(Vec2 a) { return {-a.x, -a.y}; }
Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
// a + alpha·b, as torch's add_(b, alpha=alpha) computes it on CPU: one fused multiply-add (checked
// against python3-torch 1.13: it never differs from fma, and often from the unfused form).
Vec2 add_scaled(Vec2 a, double alpha, Vec2 b) { return {std::fma(alpha, b.x, a.x), std::fma(alpha, b.y, a.y)}; }
Vec2 scaled(Vec2 a, double s) { return {a.x * s, a.y * s}; }
double dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }
double max_abs(Vec2 a) { return std::max(std::abs(a.x), std::abs(a.y)); }
double l1_norm(Vec2 a) { return std::abs(a.x) + std::abs(a.y); }
Vec2 negated(Vec2 a) { return -a; }
Vec2 difference(Vec2 a, Vec2 b) { return a - b; }

lbfgs::Evaluation<Vec2> evaluate(const LossSurface& surface, Vec2 p) {
    lbfgs::Evaluation<Vec2> e{};
    surface.evaluate({1, &p.x, &p.y}, {&e.f, &e.g.x, &e.g.y});
    return e;
}

// State array layout. Scalars are written to both coordinates.
enum StateIndex : int {
    kDirection = 0,  // d
    kStepLength,     // t
    kRate,           // the step length applied in this step (0 if it did not move)
    kEvaluations,    // function evaluations in this step
    kPrevGrad,       // prev_flat_grad
    kHDiag,          // H_diag
    kPrevLoss,       // prev_loss
    kIterations,     // state['n_iter'] (all iterations so far)
    kHistoryCount,   // len(old_dirs)
    kHistory,        // old_dirs[h], old_stps[h], ro[h]
};

class Lbfgs final : public Optimizer {
public:
    explicit Lbfgs(const ParamValues& v)
        : max_iter_(static_cast<long>(v.get("max_iter"))), history_(static_cast<int>(v.get("history_size"))),
          strong_wolfe_(v.flag("line_search")), tolerance_grad_(v.get("tolerance_grad")),
          tolerance_change_(v.get("tolerance_change")) {
        max_eval_ = max_iter_ * 5 / 4;  // torch's default max_eval
    }
    std::string_view name() const override { return "lbfgs"; }
    int state_arrays() const override { return kHistory + 3 * history_; }
    std::vector<std::string_view> state_names() const override {
        std::vector<std::string_view> names{"d",      "t",     "step_length", "func_evals",  "prev_flat_grad",
                                            "H_diag", "prev_loss", "n_iter",  "history_size"};
        names.insert(names.end(), static_cast<std::size_t>(history_), "old_dirs");
        names.insert(names.end(), static_cast<std::size_t>(history_), "old_stps");
        names.insert(names.end(), static_cast<std::size_t>(history_), "ro");
        return names;
    }
    void prepare(long) override {}
    bool evaluates_objective() const override { return true; }
    long step_evaluations(const ParticleSpan& s, std::size_t i) const override {
        return static_cast<long>(s.state_x[kEvaluations][i]);
    }
    // With max_iter 1, θ' = θ + t·d: rate t along the descent direction d.
    double effective_rate(const StepInfo&, const double* state) const override { return state[kRate]; }
    double step_direction(const StepInfo&, double, const double* state) const override { return -state[kDirection]; }
    int direction_state() const override { return kDirection; }
    bool direction_is_descent() const override { return true; }
    std::string rule() const override {
        std::string r = "torch.optim.LBFGS (Liu & Nocedal 1989): d = −H·g by the two-loop recursion over the last " +
                        std::to_string(history_) + " (s, y) pairs (d = −g at first); θ += t·d, ";
        r += strong_wolfe_ ? "t from a strong-Wolfe line search starting at lr" : "t = lr (first: min(1, 1/‖g‖₁)·lr)";
        if (max_iter_ > 1) r += "; up to " + std::to_string(max_iter_) + " iterations per step";
        return r;
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        const auto count = static_cast<long>(n.after_x[kHistoryCount]);
        e.lines.push_back("pairs in memory: " + std::to_string(count) + " of " + std::to_string(history_) +
                          ",  H_diag = y·s/y·y = " + num(n.after_x[kHDiag]));
        e.lines.push_back("d = " + after_pair(n, kDirection) + ",  g·d = " + num(n.gx * n.after_x[kDirection] + n.gy * n.after_y[kDirection]));
        e.lines.push_back("t = " + num(n.after_x[kRate]) + (strong_wolfe_ ? " (strong Wolfe)" : "") +
                          ",  function evaluations this step: " + num(n.after_x[kEvaluations]));
        if (n.after_x[kRate] == 0.0) e.notes.push_back("no move: max|g| <= tolerance_grad or g·d > −tolerance_change");
        return e;
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        if (!s.objective || !s.loss) throw std::logic_error("lbfgs needs the objective and the current losses");
        for (std::size_t i = 0; i < s.count; ++i) step_one(info, s, i);
    }

private:
    // The (y, s, ρ) pairs of particle i, in its state arrays (oldest first).
    struct ParticleHistory {
        const ParticleSpan& s;
        std::size_t i;
        int dirs, stps, ros, count;
        Vec2 get2(int k) const { return {s.state_x[k][i], s.state_y[k][i]}; }
        void set2(int k, Vec2 v) const { s.state_x[k][i] = v.x, s.state_y[k][i] = v.y; }
        void set(int k, double v) const { s.state_x[k][i] = v, s.state_y[k][i] = v; }
        int size() const { return count; }
        Vec2 dir(int j) const { return get2(dirs + j); }
        Vec2 stp(int j) const { return get2(stps + j); }
        double ro(int j) const { return s.state_x[ros + j][i]; }
        void clear() { count = 0; }
        void push(Vec2 y, Vec2 step, double r, int capacity) {
            if (count == capacity) {  // drop the oldest pair
                for (int j = 0; j + 1 < count; ++j) {
                    set2(dirs + j, dir(j + 1));
                    set2(stps + j, stp(j + 1));
                    set(ros + j, ro(j + 1));
                }
                --count;
            }
            set2(dirs + count, y);
            set2(stps + count, step);
            set(ros + count, r);
            ++count;
        }
    };

    void step_one(const StepInfo& info, const ParticleSpan& s, std::size_t i) const {
        auto get = [&](int k) { return s.state_x[k][i]; };
        auto get2 = [&](int k) { return Vec2{s.state_x[k][i], s.state_y[k][i]}; };
        auto set = [&](int k, double v) { s.state_x[k][i] = v, s.state_y[k][i] = v; };
        auto set2 = [&](int k, Vec2 v) { s.state_x[k][i] = v.x, s.state_y[k][i] = v.y; };
        const double lr = s.lr ? s.lr[i] : info.lr;

        // The step's first closure call is the row's own evaluation.
        Vec2 x{s.x[i], s.y[i]};
        lbfgs::State<Vec2> state{get2(kDirection), get2(kPrevGrad), get(kStepLength), get(kHDiag), get(kPrevLoss),
                                 get(kIterations)};
        ParticleHistory history{s, i, kHistory, kHistory + history_, kHistory + 2 * history_,
                                static_cast<int>(get(kHistoryCount))};
        const lbfgs::Settings settings{max_iter_, history_, strong_wolfe_, tolerance_grad_, tolerance_change_, max_eval_};
        const LossSurface& objective = *s.objective;
        const lbfgs::StepReport report = lbfgs::step<kMaxHistory>(
            settings, state, history, x, s.loss[i], Vec2{s.gx[i], s.gy[i]}, lr,
            [&](Vec2 p) { return evaluate(objective, p); });
        set(kEvaluations, static_cast<double>(report.evaluations));
        set(kRate, report.rate);
        s.x[i] = x.x;
        s.y[i] = x.y;
        set2(kDirection, state.d);
        set(kStepLength, state.t);
        set2(kPrevGrad, state.prev_g);
        set(kHDiag, state.h_diag);
        set(kPrevLoss, state.prev_loss);
        set(kIterations, state.total_iter);
        set(kHistoryCount, history.count);
    }

public:
    static constexpr int kMaxHistory = 100;

private:
    long max_iter_;
    int history_;
    bool strong_wolfe_;
    double tolerance_grad_, tolerance_change_;
    long max_eval_ = 1;
};

}  // namespace

std::unique_ptr<Optimizer> make_lbfgs(const ParamValues& v) {
    if (v.get("history_size") > Lbfgs::kMaxHistory) throw std::invalid_argument("lbfgs: history_size is at most 100");
    return std::make_unique<Lbfgs>(v);
}

}  // namespace optiviz::rules
