// Your own function: f(x, y) typed as text, differentiated symbolically (GiNaC), evaluated over
// the batch-first core by a small register machine that runs each instruction over a block of
// points (so its loops vectorise like a built-in surface's).
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
// Points outside a function's domain (log of a negative number, sqrt of one, division by zero)
// give NaN or inf, which a run records as divergence.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/loss_surface.h"
#include "core/param_spec.h"

namespace optiviz {

// The grammar above as text, for `optiviz list` and the UI.
std::string_view expression_grammar();

// Checks `text` against the grammar and the parameter names. Throws std::invalid_argument with one
// line naming the 1-based character position, e.g.
//   "expression: position 9: expected a number, a name or '(' (got ')')".
// Parameters given but not used are an error too (a typo would otherwise pass silently).
void validate_expression(std::string_view text, const ParamOverrides& params);

// Builds the surface (validates first). Its minima are found numerically (L-BFGS from a grid of
// starts over the default view, kept where the gradient vanishes and the Hessian is positive
// definite), global ones first.
std::unique_ptr<LossSurface> make_expression_surface(std::string_view text, const ParamOverrides& params);

}  // namespace optiviz
