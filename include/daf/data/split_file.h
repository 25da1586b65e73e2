#pragma once
// A split file (data.split_file): which utterances of a cache form one fold's
// train, valid and test parts. CSV with the header `id,part`, one row per
// utterance, part train|valid|test; ids not listed are not used. Cross-
// validation writes one per fold (folds/fold-<f>.csv), and every tool that
// reads a run's data (daf-train, daf-eval, daf-ablate) applies it the same way.
#include <string>
#include <vector>

#include "daf/data/embedding_cache.h"

namespace daf {

// The file's text for these ids and parts (each "train", "valid" or "test").
std::string split_file_text(const std::vector<std::string>& ids, const std::vector<std::string>& parts);

// The cache's splits pooled (train, valid, test, in file order) and re-split as the
// file says, keeping pooled order within each part. InputError naming the file and
// line for a bad part, an id listed twice or not in the cache, and naming the cache
// for an id in two of its splits or a part left without rows.
EmbeddingCache apply_split_file(const EmbeddingCache& cache, const std::string& split_file,
                                const std::string& cache_path);

}  // namespace daf
