// The fused kernel for the remaining polynomial formulas (see core/optimizers/fused_kernel.h).
#include "core/surfaces/analytic_formulas.h"
#include "core/optimizers/fused_kernel.h"

namespace optiviz::fused {

template void run_chunk(const formulas::Saddle&, const Chunk&);
template void run_chunk(const formulas::Booth&, const Chunk&);
template void run_chunk(const formulas::SixHumpCamel&, const Chunk&);

}  // namespace optiviz::fused
