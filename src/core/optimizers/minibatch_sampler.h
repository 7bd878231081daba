// Mini-batch row order: each epoch visits every row once, in an order shuffled with the seed (drawn
// lazily, batch by batch, so a step costs O(batch)), cut into batches of `batch_size` rows (the last batch of an epoch holds the remainder, as
// torch's DataLoader with drop_last=False does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/runtime/random.h"

namespace optiviz {

class MinibatchSampler {
public:
    // rows >= 1, 1 <= batch_size; a batch_size above rows is clamped to rows.
    MinibatchSampler(std::size_t rows, std::size_t batch_size, std::uint64_t seed);

    // Row indices of the next batch. The span stays valid until the next call.
    std::span<const std::uint32_t> next();

    std::size_t batches_per_epoch() const { return (rows_ + batch_size_ - 1) / batch_size_; }
    std::size_t batch_size() const { return batch_size_; }
    long epoch() const { return epoch_; }  // epochs started so far

private:
    void shuffle();

    std::size_t rows_;
    std::size_t batch_size_;
    DeterministicRng rng_;
    std::vector<std::uint32_t> order_;
    std::size_t cursor_ = 0;
    long epoch_ = 0;
};

}  // namespace optiviz
