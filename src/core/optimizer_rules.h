// Internal to core: factories for the optimizer rules, and the helper they share.
#pragma once

#include <memory>
#include <string>

#include "core/optimizer.h"
#include "core/vector_kernel.h"

namespace optiviz::rules {

// An elementwise update of one coordinate of `n` particles: param, gradient and state arrays.
template <class Scalars>
using CoordinateKernel = void (*)(const Scalars& scalars, std::size_t n, double* param, const double* grad,
                                  double* const* state);

// Runs `kernel` on the x coordinate, then on the y coordinate.
template <class Scalars>
inline void for_each_coordinate(CoordinateKernel<Scalars> kernel, const Scalars& scalars, const ParticleSpan& s) {
    kernel(scalars, s.count, s.x, s.gx, s.state_x);
    kernel(scalars, s.count, s.y, s.gy, s.state_y);
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
