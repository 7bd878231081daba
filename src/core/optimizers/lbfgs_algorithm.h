// torch.optim.LBFGS 1.13 (float64) as one algorithm over any vector type, so the 2-D particles
// (core/optimizers/lbfgs.cpp) and the models' flattened parameter vectors (core/models/training.cpp) run the
// same code. The strong-Wolfe line search follows torch's `_strong_wolfe` (a port of lswolfe.lua)
// operation by operation: the bracketing phase, the zoom phase with cubic interpolation, and its
// "insufficient progress" rule.
//
// A vector type V needs these free functions (found by overload resolution at instantiation):
//   V negated(const V&); V difference(const V& a, const V& b);   // −a, a − b
//   V add_scaled(const V& a, double alpha, const V& b);          // a + alpha·b, one fma per element
//   V scaled(const V& a, double s); double dot(const V&, const V&);
//   double max_abs(const V&); double l1_norm(const V&);
// and a history type H holding the (y, s, ρ) pairs, oldest first, with
//   int size(); V dir(int j); V stp(int j); double ro(int j);
//   void push(const V& y, const V& s, double ro, int capacity);  // drops the oldest pair when full
#pragma once

#include <algorithm>
#include <cmath>

namespace optiviz::lbfgs {

template <class V>
struct Evaluation {
    double f;
    V g;
};

// Python's max(a, b) / min(a, b): the first argument unless the second is strictly larger / smaller.
inline double py_max(double a, double b) { return b > a ? b : a; }
inline double py_min(double a, double b) { return b < a ? b : a; }

// torch's _cubic_interpolate: the minimiser of the cubic through two points with their slopes,
// clamped to the bounds (the interval itself when none are given).
inline double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
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

inline double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
    return x1 <= x2 ? cubic_interpolate(x1, f1, g1, x2, f2, g2, x1, x2) : cubic_interpolate(x1, f1, g1, x2, f2, g2, x2, x1);
}

template <class V>
struct LineSearchResult {
    double f;
    V g;
    double t;
    long evaluations;
};

// torch's _strong_wolfe with its defaults (c1 1e-4, c2 0.9, tolerance_change 1e-9, 25 evaluations).
// `evaluate(point)` returns Evaluation<V> at a point.
template <class V, class Evaluate>
LineSearchResult<V> strong_wolfe(Evaluate&& evaluate, const V& x, double t, const V& d, double f, const V& g, double gtd) {
    constexpr double c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9;
    constexpr int max_ls = 25;
    const double d_norm = max_abs(d);
    Evaluation<V> trial = evaluate(add_scaled(x, t, d));
    long evaluations = 1;
    double gtd_new = dot(trial.g, d);

    // Bracket an interval containing a point satisfying the Wolfe criteria.
    double t_prev = 0, f_prev = f, gtd_prev = gtd;
    V g_prev = g;
    bool done = false;
    int ls_iter = 0;
    double bracket[2] = {}, bracket_f[2] = {}, bracket_gtd[2] = {};
    V bracket_g[2] = {g, g};
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
        trial = evaluate(add_scaled(x, t, d));
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
        trial = evaluate(add_scaled(x, t, d));
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

struct Settings {
    long max_iter = 1;
    int history_size = 100;
    bool strong_wolfe = false;
    double tolerance_grad = 1e-7;
    double tolerance_change = 1e-9;
    long max_eval = 1;  // torch's default: max_iter·5/4
};

// The state torch keeps between step() calls (besides the history).
template <class V>
struct State {
    V d, prev_g;
    double t = 0, h_diag = 0, prev_loss = 0, total_iter = 0;
};

// What one step() did.
struct StepReport {
    double rate = 0.0;      // the step length applied last (0: no move)
    long evaluations = 1;   // loss evaluations, counting the one at the step's own point
};

// One torch LBFGS.step(): `x` moves in place; `loss` and `g` are the objective at x (the step's
// first closure call). `kMaxHistory` bounds the α scratch of the two-loop recursion.
template <int kMaxHistory, class V, class History, class Evaluate>
StepReport step(const Settings& s, State<V>& state, History& history, V& x, double loss, V g, double lr,
                Evaluate&& evaluate) {
    StepReport report;
    if (max_abs(g) <= s.tolerance_grad) return report;  // optimal: torch returns before touching its state
    V d = state.d, prev_g = state.prev_g;
    double t = state.t, h_diag = state.h_diag, prev_loss = state.prev_loss, total_iter = state.total_iter;
    double al[kMaxHistory];
    long n_iter = 0;
    while (n_iter < s.max_iter) {
        ++n_iter;
        total_iter += 1;
        if (total_iter == 1) {
            d = negated(g);
            history.clear();
            h_diag = 1;
        } else {
            const V y = difference(g, prev_g);
            const V step_taken = scaled(d, t);
            const double ys = dot(y, step_taken);
            if (ys > 1e-10) {
                history.push(y, step_taken, 1. / ys, s.history_size);
                h_diag = ys / dot(y, y);
            }
            // Two-loop recursion: d = −H·g.
            const int count = history.size();
            V q = negated(g);
            for (int j = count - 1; j >= 0; --j) {
                al[j] = dot(history.stp(j), q) * history.ro(j);
                q = add_scaled(q, -al[j], history.dir(j));
            }
            d = scaled(q, h_diag);
            for (int j = 0; j < count; ++j) {
                const double be = dot(history.dir(j), d) * history.ro(j);
                d = add_scaled(d, al[j] - be, history.stp(j));
            }
        }
        prev_g = g;
        prev_loss = loss;
        t = total_iter == 1 ? std::min(1., 1. / l1_norm(g)) * lr : lr;
        const double gtd = dot(g, d);
        if (gtd > -s.tolerance_change) break;  // not a descent direction any more

        long ls_evals = 0;
        bool optimal = false;
        if (s.strong_wolfe) {
            LineSearchResult<V> r = strong_wolfe(evaluate, x, t, d, loss, g, gtd);
            loss = r.f, g = std::move(r.g), t = r.t, ls_evals = r.evaluations;
            x = add_scaled(x, t, d);
            optimal = max_abs(g) <= s.tolerance_grad;
        } else {
            x = add_scaled(x, t, d);
            if (n_iter != s.max_iter) {
                Evaluation<V> e = evaluate(x);
                loss = e.f, g = std::move(e.g);
                optimal = max_abs(g) <= s.tolerance_grad;
                ls_evals = 1;
            }
        }
        report.rate = t;
        report.evaluations += ls_evals;
        if (n_iter == s.max_iter || report.evaluations >= s.max_eval || optimal) break;
        if (max_abs(scaled(d, t)) <= s.tolerance_change) break;  // lack of progress
        if (std::abs(loss - prev_loss) < s.tolerance_change) break;
    }
    state.d = std::move(d);
    state.prev_g = std::move(prev_g);
    state.t = t;
    state.h_diag = h_diag;
    state.prev_loss = prev_loss;
    state.total_iter = total_iter;
    return report;
}

}  // namespace optiviz::lbfgs
