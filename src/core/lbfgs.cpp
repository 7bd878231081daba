// L-BFGS, as torch.optim.LBFGS 1.13 computes it in float64, per particle: each particle is one
// 2-D parameter vector with its own history. The strong-Wolfe line search follows torch's
// `_strong_wolfe` (itself a port of lswolfe.lua) operation by operation: the bracketing phase, the
// zoom phase with cubic interpolation, and its "insufficient progress" rule.
//
// State (per particle; per coordinate where a vector, mirrored into both coordinates where a
// scalar) lives in the ensemble's state arrays, so L-BFGS runs in the batch-first core like every
// other optimizer: trajectories, clouds, sweeps and basins.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/loss_surface.h"
#include "core/optimizer_rules.h"

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

// Python's max(a, b) / min(a, b): the first argument unless the second is strictly larger / smaller.
double py_max(double a, double b) { return b > a ? b : a; }
double py_min(double a, double b) { return b < a ? b : a; }

struct Evaluation {
    double f;
    Vec2 g;
};

Evaluation evaluate(const LossSurface& surface, Vec2 p) {
    Evaluation e{};
    surface.evaluate({1, &p.x, &p.y}, {&e.f, &e.g.x, &e.g.y});
    return e;
}

// torch's _cubic_interpolate: the minimiser of the cubic through two points with their slopes,
// clamped to the bounds (the interval itself when none are given).
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
    const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    const double d2_square = d1 * d1 - g1 * g2;
    if (d2_square >= 0) {
        const double d2 = std::sqrt(d2_square);
        const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        return py_min(py_max(min_pos, lo), hi);
    }
    return (lo + hi) / 2.;
}

double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
    return x1 <= x2 ? cubic_interpolate(x1, f1, g1, x2, f2, g2, x1, x2) : cubic_interpolate(x1, f1, g1, x2, f2, g2, x2, x1);
}

struct LineSearchResult {
    double f;
    Vec2 g;
    double t;
    long evaluations;
};

// torch's _strong_wolfe with its defaults (c1 1e-4, c2 0.9, tolerance_change 1e-9, 25 evaluations).
LineSearchResult strong_wolfe(const LossSurface& surface, Vec2 x, double t, Vec2 d, double f, Vec2 g, double gtd) {
    constexpr double c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9;
    constexpr int max_ls = 25;
    const double d_norm = max_abs(d);
    Evaluation trial = evaluate(surface, add_scaled(x, t, d));
    long evaluations = 1;
    double gtd_new = dot(trial.g, d);

    // Bracket an interval containing a point satisfying the Wolfe criteria.
    double t_prev = 0, f_prev = f, gtd_prev = gtd;
    Vec2 g_prev = g;
    bool done = false;
    int ls_iter = 0;
    double bracket[2] = {}, bracket_f[2] = {}, bracket_gtd[2] = {};
    Vec2 bracket_g[2] = {};
    int size = 0;
    auto set_pair = [&]() {
        bracket[0] = t_prev, bracket[1] = t;
        bracket_f[0] = f_prev, bracket_f[1] = trial.f;
        bracket_g[0] = g_prev, bracket_g[1] = trial.g;
        bracket_gtd[0] = gtd_prev, bracket_gtd[1] = gtd_new;
        size = 2;
    };
    while (ls_iter < max_ls) {
        if (trial.f > (f + c1 * t * gtd) || (ls_iter > 1 && trial.f >= f_prev)) {
            set_pair();
            break;
        }
        if (std::abs(gtd_new) <= -c2 * gtd) {
            bracket[0] = t, bracket_f[0] = trial.f, bracket_g[0] = trial.g;
            size = 1;
            done = true;
            break;
        }
        if (gtd_new >= 0) {
            set_pair();
            break;
        }
        const double min_step = t + 0.01 * (t - t_prev);
        const double max_step = t * 10;
        const double tmp = t;
        t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, trial.f, gtd_new, min_step, max_step);
        t_prev = tmp;
        f_prev = trial.f;
        g_prev = trial.g;
        gtd_prev = gtd_new;
        trial = evaluate(surface, add_scaled(x, t, d));
        ++evaluations;
        gtd_new = dot(trial.g, d);
        ++ls_iter;
    }
    if (ls_iter == max_ls) {  // bracket_gtd is left as it was: the zoom below does not run
        bracket[0] = 0, bracket[1] = t;
        bracket_f[0] = f, bracket_f[1] = trial.f;
        bracket_g[0] = g, bracket_g[1] = trial.g;
        size = 2;
    }

    // Zoom: refine the bracket until a point satisfies the criteria.
    bool insufficient_progress = false;
    int low = bracket_f[0] <= bracket_f[size - 1] ? 0 : 1, high = 1 - low;
    while (!done && ls_iter < max_ls) {
        if (std::abs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
        t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
        // Too close to a boundary twice in a row, or outside: move 0.1 of the bracket inside.
        const double b_max = py_max(bracket[0], bracket[1]), b_min = py_min(bracket[0], bracket[1]);
        const double eps = 0.1 * (b_max - b_min);
        if (py_min(b_max - t, t - b_min) < eps) {
            if (insufficient_progress || t >= b_max || t <= b_min) {
                t = std::abs(t - b_max) < std::abs(t - b_min) ? b_max - eps : b_min + eps;
                insufficient_progress = false;
            } else {
                insufficient_progress = true;
            }
        } else {
            insufficient_progress = false;
        }
        trial = evaluate(surface, add_scaled(x, t, d));
        ++evaluations;
        gtd_new = dot(trial.g, d);
        ++ls_iter;
        if (trial.f > (f + c1 * t * gtd) || trial.f >= bracket_f[low]) {
            // Armijo fails or no lower than the lowest point: the trial becomes the high end.
            bracket[high] = t, bracket_f[high] = trial.f, bracket_g[high] = trial.g, bracket_gtd[high] = gtd_new;
            low = bracket_f[0] <= bracket_f[1] ? 0 : 1;
            high = 1 - low;
        } else {
            if (std::abs(gtd_new) <= -c2 * gtd) {
                done = true;
            } else if (gtd_new * (bracket[high] - bracket[low]) >= 0) {
                bracket[high] = bracket[low], bracket_f[high] = bracket_f[low];
                bracket_g[high] = bracket_g[low], bracket_gtd[high] = bracket_gtd[low];
            }
            bracket[low] = t, bracket_f[low] = trial.f, bracket_g[low] = trial.g, bracket_gtd[low] = gtd_new;
        }
    }
    return {bracket_f[low], bracket_g[low], bracket[low], evaluations};
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
    void step_one(const StepInfo& info, const ParticleSpan& s, std::size_t i) const {
        auto get = [&](int k) { return s.state_x[k][i]; };
        auto get2 = [&](int k) { return Vec2{s.state_x[k][i], s.state_y[k][i]}; };
        auto set = [&](int k, double v) { s.state_x[k][i] = v, s.state_y[k][i] = v; };
        auto set2 = [&](int k, Vec2 v) { s.state_x[k][i] = v.x, s.state_y[k][i] = v.y; };
        const int dirs = kHistory, stps = kHistory + history_, ros = kHistory + 2 * history_;
        const double lr = s.lr ? s.lr[i] : info.lr;

        // The step's first closure call is the row's own evaluation.
        Vec2 x{s.x[i], s.y[i]};
        double loss = s.loss[i];
        Vec2 g{s.gx[i], s.gy[i]};
        long current_evals = 1;
        set(kEvaluations, 1);
        set(kRate, 0.0);
        if (max_abs(g) <= tolerance_grad_) return;  // optimal: torch returns before touching its state

        Vec2 d = get2(kDirection), prev_g = get2(kPrevGrad);
        double t = get(kStepLength), h_diag = get(kHDiag), prev_loss = get(kPrevLoss), total_iter = get(kIterations);
        auto count = static_cast<int>(get(kHistoryCount));
        double al[kMaxHistory];
        double rate = 0.0;
        long n_iter = 0;
        while (n_iter < max_iter_) {
            ++n_iter;
            total_iter += 1;
            if (total_iter == 1) {
                d = -g;
                count = 0;
                h_diag = 1;
            } else {
                const Vec2 y = g - prev_g;
                const Vec2 step = scaled(d, t);
                const double ys = dot(y, step);
                if (ys > 1e-10) {
                    if (count == history_) {  // drop the oldest pair
                        for (int j = 0; j + 1 < count; ++j) {
                            set2(dirs + j, get2(dirs + j + 1));
                            set2(stps + j, get2(stps + j + 1));
                            set(ros + j, get(ros + j + 1));
                        }
                        --count;
                    }
                    set2(dirs + count, y);
                    set2(stps + count, step);
                    set(ros + count, 1. / ys);
                    ++count;
                    h_diag = ys / dot(y, y);
                }
                // Two-loop recursion: d = −H·g.
                Vec2 q = -g;
                for (int j = count - 1; j >= 0; --j) {
                    al[j] = dot(get2(stps + j), q) * get(ros + j);
                    q = add_scaled(q, -al[j], get2(dirs + j));
                }
                d = scaled(q, h_diag);
                for (int j = 0; j < count; ++j) {
                    const double be = dot(get2(dirs + j), d) * get(ros + j);
                    d = add_scaled(d, al[j] - be, get2(stps + j));
                }
            }
            prev_g = g;
            prev_loss = loss;
            t = total_iter == 1 ? std::min(1., 1. / (std::abs(g.x) + std::abs(g.y))) * lr : lr;
            const double gtd = dot(g, d);
            if (gtd > -tolerance_change_) break;  // not a descent direction any more

            long ls_evals = 0;
            bool optimal = false;
            if (strong_wolfe_) {
                const LineSearchResult r = strong_wolfe(*s.objective, x, t, d, loss, g, gtd);
                loss = r.f, g = r.g, t = r.t, ls_evals = r.evaluations;
                x = add_scaled(x, t, d);
                optimal = max_abs(g) <= tolerance_grad_;
            } else {
                x = add_scaled(x, t, d);
                if (n_iter != max_iter_) {
                    const Evaluation e = evaluate(*s.objective, x);
                    loss = e.f, g = e.g;
                    optimal = max_abs(g) <= tolerance_grad_;
                    ls_evals = 1;
                }
            }
            rate = t;
            current_evals += ls_evals;
            if (n_iter == max_iter_ || current_evals >= max_eval_ || optimal) break;
            if (max_abs(scaled(d, t)) <= tolerance_change_) break;  // lack of progress
            if (std::abs(loss - prev_loss) < tolerance_change_) break;
        }
        s.x[i] = x.x;
        s.y[i] = x.y;
        set2(kDirection, d);
        set(kStepLength, t);
        set(kRate, rate);
        set(kEvaluations, static_cast<double>(current_evals));
        set2(kPrevGrad, prev_g);
        set(kHDiag, h_diag);
        set(kPrevLoss, prev_loss);
        set(kIterations, total_iter);
        set(kHistoryCount, count);
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
