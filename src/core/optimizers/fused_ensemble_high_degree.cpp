// The fused kernel for the high-degree polynomial formulas (see core/optimizers/fused_kernel.h).
#include "core/surfaces/analytic_formulas.h"
#include "core/optimizers/fused_kernel.h"

namespace optiviz::fused {

template void run_chunk(const formulas::GoldsteinPrice&, const Chunk&);
template void run_chunk(const formulas::StyblinskiTang&, const Chunk&);

}  // namespace optiviz::fused
