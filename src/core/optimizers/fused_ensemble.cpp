// The fused kernel for the valley-shaped formulas (the templates: core/optimizers/fused_kernel.h). The other
// formulas are instantiated in fused_ensemble_*.cpp, so that the kernels compile in parallel.
#include <cstring>
#include <new>

#include "core/surfaces/analytic_formulas.h"
#include "core/optimizers/fused_kernel.h"

namespace optiviz::fused {

bool has_fused_rule(const FusedRule& rule) { return !std::holds_alternative<std::monostate>(rule.params); }

// Filled with NaN bytes at first, so that a read before a write would poison results (and fail
// the bit-for-bit tests) rather than pass by reading zeros.
Scratch::Scratch() : memory_(::operator new(detail::kScratchBytes, std::align_val_t{64})) {
    std::memset(memory_, 0xff, detail::kScratchBytes);
}

Scratch::~Scratch() { ::operator delete(memory_, std::align_val_t{64}); }

template void run_chunk(const formulas::Rosenbrock&, const Chunk&);
template void run_chunk(const formulas::Quadratic&, const Chunk&);
template void run_chunk(const formulas::Beale&, const Chunk&);

}  // namespace optiviz::fused
