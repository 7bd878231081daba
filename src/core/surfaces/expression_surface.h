// Your own function: f(x, y) typed as text, parsed into a tree, differentiated exactly by reverse
// mode over that tree (PyTorch autograd's backward formulas, in its order of operations) and
// evaluated in doubles over the batch-first core by a small register machine that runs each
// instruction over a block of points (so its loops vectorise like a built-in surface's).
//
// Grammar (also printed by `optiviz list`):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?            right-associative: 2^-x, x^y^2 = x^(y^2)
//   primary := NUMBER | NAME | FUNCTION '(' expr ')' | '(' expr ')'
// NAME is x, y, pi, e or a parameter given with `--param NAME=VALUE`; FUNCTION is one of sin cos
// tan exp log sqrt abs tanh. '−' (U+2212) is accepted for '-'. Numbers: 3, 0.5, .5, 1e-3.
//
// Numbers are doubles, constants included: 9^9^9 is inf, 1e-320*1e-10 is 0, 0^x is 0 for x > 0.
// Points outside a function's domain (log of a negative number, sqrt of one, division by zero,
// 0^x for x < 0) and overflow give NaN or inf, which a run records as divergence.
//
// Bounded work: at most limits::kMaxExpressionBytes bytes, kMaxExpressionNodes numbers, names and
// operations, nesting (parentheses, functions, signs, exponents) at most kMaxExpressionNesting deep.
// The gradient's program is a fixed multiple of the expression's size.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/surfaces/loss_surface.h"
#include "core/scene/param_spec.h"

namespace optiviz {

// The grammar above as text, for `optiviz list` and the UI.
std::string_view expression_grammar();

// Checks `text` against the grammar, the limits and the parameter names. Throws
// std::invalid_argument with one line naming the 1-based character position and the rule, e.g.
//   "expression: position 9: expected a number, a name or '(' (got ')')";
// any text quoted from the expression has control bytes and invalid UTF-8 escaped (printable()).
// Parameters given but not used are an error too (a typo would otherwise pass silently), and so are
// parameters named like x, y, pi, e or a function.
void validate_expression(std::string_view text, const ParamOverrides& params);

// Builds the surface (validates first). Its minima are found numerically (L-BFGS from a grid of
// starts over the default view, kept where the gradient vanishes and the Hessian is positive
// definite), global ones first.
std::unique_ptr<LossSurface> make_expression_surface(std::string_view text, const ParamOverrides& params);

// The same surface without the search for minima (minima() is empty): for callers that only
// evaluate it, such as the fuzz harness.
std::unique_ptr<LossSurface> make_expression_surface_without_minima(std::string_view text, const ParamOverrides& params);

}  // namespace optiviz
