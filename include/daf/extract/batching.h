#pragma once
// Forming encoder batches. Every batch is padded to its longest item, so
// batching items of similar length (bucketing) wastes less compute than
// batching them in corpus order. Torch-free.
#include <cstdint>
#include <vector>

namespace daf {

struct BatchLimits {
  int64_t max_items = 32;
  int64_t max_padded = 4096;  // items x longest item, in tokens or samples
};

// Batches of item indices. by_length: longest items first, neighbours in
// length share a batch; otherwise the given order. An item longer than
// max_padded gets a batch of its own.
std::vector<std::vector<int64_t>> make_batches(const std::vector<int64_t>& lengths, const BatchLimits& limits,
                                               bool by_length);

// Useful vs computed positions over the batches of a run.
struct PaddingStats {
  int64_t useful = 0;
  int64_t computed = 0;
  void add(const std::vector<int64_t>& batch, const std::vector<int64_t>& lengths);
  double efficiency() const { return computed > 0 ? static_cast<double>(useful) / computed : 1.0; }
};

}  // namespace daf
