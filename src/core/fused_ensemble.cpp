// The fused kernel for the valley-shaped formulas (the templates: core/fused_kernel.h). The other
// formulas are instantiated in fused_ensemble_*.cpp, so that the kernels compile in parallel.
#include "core/analytic_formulas.h"
#include "core/fused_kernel.h"

namespace optiviz::fused {

bool has_fused_rule(const FusedRule& rule) { return rule.kind != FusedKind::None; }

template void run_chunk(const formulas::Rosenbrock&, const Chunk&);
template void run_chunk(const formulas::Quadratic&, const Chunk&);
template void run_chunk(const formulas::Beale&, const Chunk&);

}  // namespace optiviz::fused
