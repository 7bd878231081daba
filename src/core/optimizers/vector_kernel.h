// OPTIVIZ_VECTOR_KERNEL marks a hot elementwise loop (an optimizer rule, a surface over a batch)
// for function multi-versioning: GCC compiles it for baseline x86-64 and for x86-64-v3 (AVX2) and
// picks one at load time from the CPU. Results are identical in both versions: the build disables
// floating-point contraction (-ffp-contract=off), so AVX2 only widens the same operations.
//
// Only free functions can be multi-versioned (GCC rejects it on virtual members), so virtual
// step()/evaluate() methods forward to such kernels.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(OPTIVIZ_NO_MULTIVERSION)
#define OPTIVIZ_VECTOR_KERNEL __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define OPTIVIZ_VECTOR_KERNEL
#endif
