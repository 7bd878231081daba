#include "core/optimizers/minibatch_sampler.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace optiviz {

MinibatchSampler::MinibatchSampler(std::size_t rows, std::size_t batch_size, std::uint64_t seed)
    : rows_(rows), batch_size_(std::min(batch_size, rows)), rng_(seed), order_(rows) {
    if (rows == 0) throw std::invalid_argument("mini-batches need at least one data row");
    if (batch_size == 0) throw std::invalid_argument("batch size must be at least 1");
    if (rows > std::numeric_limits<std::uint32_t>::max()) throw std::invalid_argument("too many data rows");
    for (std::size_t i = 0; i < rows; ++i) order_[i] = static_cast<std::uint32_t>(i);
    cursor_ = rows_;  // the first call shuffles
}

void MinibatchSampler::shuffle() {
    // A new epoch: positions from the cursor on are drawn lazily in next().
    cursor_ = 0;
    ++epoch_;
}

std::span<const std::uint32_t> MinibatchSampler::next() {
    if (cursor_ >= rows_) shuffle();
    const std::size_t count = std::min(batch_size_, rows_ - cursor_);
    // Fisher–Yates from the front, only as far as this batch: each position takes a uniformly drawn
    // row from those not yet used this epoch, so a step costs O(batch), not O(rows).
    for (std::size_t i = cursor_; i < cursor_ + count && i + 1 < rows_; ++i)
        std::swap(order_[i], order_[i + rng_.below(rows_ - i)]);
    std::span<const std::uint32_t> batch(order_.data() + cursor_, count);
    cursor_ += count;
    return batch;
}

}  // namespace optiviz
