// The fused kernel for the formulas with several minima or ripples (see core/optimizers/fused_kernel.h).
#include "core/surfaces/analytic_formulas.h"
#include "core/optimizers/fused_kernel.h"

namespace optiviz::fused {

template void run_chunk(const formulas::Himmelblau&, const Chunk&);
template void run_chunk(const formulas::Rastrigin&, const Chunk&);
template void run_chunk(const formulas::Ackley&, const Chunk&);

}  // namespace optiviz::fused
