#pragma once
// Reading and writing the HDF5 embedding cache. Every daf tool goes through
// these two functions, so every tool rejects bad caches the same way.
#include <string>
#include <vector>

#include "daf/data/embedding_cache.h"

namespace daf {

struct CacheReadOptions {
  std::vector<std::string> modalities;  // empty: all modalities in the file
  std::vector<std::string> labels;      // empty: all label columns
  std::vector<std::string> splits;      // empty: train, valid and test
  bool replace_nonfinite = false;       // false: NaN/Inf features are an error; true: replaced by 0
};

struct CacheReadReport {
  std::map<std::string, int64_t> nonfinite_replaced;  // per modality
};

// Reads and validates a cache. Throws InputError naming the file, split,
// dataset and row for any defect.
EmbeddingCache read_cache(const std::string& path, const CacheReadOptions& options = {},
                          CacheReadReport* report = nullptr);

// Writes a cache atomically (temporary file, then rename). Checks the same
// invariants as read_cache before writing.
void write_cache(const std::string& path, const EmbeddingCache& cache);

// InputError "PATH: split 'test' has no rows" for the first of `splits` (all
// of the cache's splits when empty) that has none: training and evaluation
// need rows, and say so before any work.
void require_rows(const EmbeddingCache& cache, const std::string& path, const std::vector<std::string>& splits = {});

// Modalities and label columns of a cache file (as its train split has them), and the
// meta columns every split has.
struct CacheContents {
  std::vector<std::string> modalities;
  std::vector<std::string> labels;
  std::vector<std::string> meta;
};
CacheContents list_cache_contents(const std::string& path);

// The root string attributes of a cache file (provenance), without reading its data.
std::map<std::string, std::string> read_cache_attributes(const std::string& path);

}  // namespace daf
