#pragma once
// Row-wise operations on cache splits, for sharding and merging.
#include <cstdint>

#include "daf/data/embedding_cache.h"

namespace daf {

// Rows [begin, end) of a split, every dataset included.
SplitData slice_rows(const SplitData& split, int64_t begin, int64_t end);
// Appends `more` below `into`; both must hold the same modalities, labels and widths
// (a modality without a presence mask on one side counts as present there).
void append_rows(SplitData& into, const SplitData& more);

// The K-th of N contiguous slices of n rows: [begin, end).
std::pair<int64_t, int64_t> shard_range(int64_t rows, int64_t shard, int64_t shard_count);

}  // namespace daf
