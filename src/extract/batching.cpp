#include "daf/extract/batching.h"

#include <algorithm>
#include <numeric>

namespace daf {

std::vector<std::vector<int64_t>> make_batches(const std::vector<int64_t>& lengths, const BatchLimits& limits,
                                               bool by_length) {
  std::vector<int64_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  // Longest first: the largest batch runs first, so a memory limit shows at once.
  if (by_length)
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; });

  std::vector<std::vector<int64_t>> batches;
  std::vector<int64_t> current;
  int64_t longest = 0;
  for (const int64_t index : order) {
    const int64_t length = std::max<int64_t>(1, lengths[static_cast<size_t>(index)]);
    const int64_t new_longest = std::max(longest, length);
    const auto items = static_cast<int64_t>(current.size()) + 1;
    if (!current.empty() && (items > limits.max_items || items * new_longest > limits.max_padded)) {
      batches.push_back(std::move(current));
      current.clear();
      longest = 0;
    }
    current.push_back(index);
    longest = std::max(longest, length);
  }
  if (!current.empty()) batches.push_back(std::move(current));
  return batches;
}

void PaddingStats::add(const std::vector<int64_t>& batch, const std::vector<int64_t>& lengths) {
  int64_t longest = 0;
  for (const int64_t i : batch) {
    useful += lengths[static_cast<size_t>(i)];
    longest = std::max(longest, lengths[static_cast<size_t>(i)]);
  }
  computed += longest * static_cast<int64_t>(batch.size());
}

}  // namespace daf
