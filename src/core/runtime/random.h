// Deterministic random numbers whose sequences are the same with every compiler and standard
// library (std::uniform_int_distribution and friends are implementation-defined, so scenes and
// mini-batch runs would not reproduce across platforms with them).
#pragma once

#include <cstdint>
#include <random>

namespace optiviz {

class DeterministicRng {
public:
    explicit DeterministicRng(std::uint64_t seed) : engine_(seed) {}

    std::uint64_t next_u64() { return engine_(); }

    // Uniform in [0, bound), unbiased (rejects the top partial block of 2^64). bound must be > 0.
    std::uint64_t below(std::uint64_t bound);

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    // Standard normal (Box-Muller; one value per call for simplicity of reproduction).
    double normal();

private:
    std::mt19937_64 engine_;  // the standard fixes its output sequence
};

}  // namespace optiviz
