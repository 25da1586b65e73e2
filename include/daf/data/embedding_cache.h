#pragma once
// In-memory form of the HDF5 embedding cache (format: docs/cache-format.md).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace daf {

// Version 2 added the optional meta/ group; version 1 files (without it) are still read.
constexpr int kCacheFormatVersion = 2;
constexpr int kOldestCacheFormatVersion = 1;

// Row-major float32 matrix [rows, cols].
struct FeatureMatrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<float> values;

  FeatureMatrix() = default;
  FeatureMatrix(int64_t r, int64_t c) : rows(r), cols(c), values(static_cast<size_t>(r * c), 0.0f) {}
  float* row(int64_t i) { return values.data() + i * cols; }
  const float* row(int64_t i) const { return values.data() + i * cols; }
};

struct SplitData {
  std::vector<std::string> ids;
  std::map<std::string, std::vector<float>> labels;   // labels/<name>, one value per row
  std::map<std::string, FeatureMatrix> features;       // features/<modality>
  // Optional present/<modality>: 1 where the modality exists for the row, 0 where it is missing.
  // A modality without an entry is present for every row.
  std::map<std::string, std::vector<uint8_t>> present;
  // Optional transcripts: one UTF-8 string per row (empty when none), for text encoders.
  std::vector<std::string> transcripts;
  // Optional meta/<column>: per-utterance metadata as text (speaker, session, video, source
  // file), one string per row, empty where unknown. Integer columns in a file read as their
  // decimal text. Slices, folds and predictions.csv use them.
  std::map<std::string, std::vector<std::string>> meta;

  int64_t size() const { return static_cast<int64_t>(ids.size()); }
};

struct EmbeddingCache {
  std::map<std::string, SplitData> splits;  // "train", "valid", "test"
  // Where each modality's features came from (encoder, pooling, ...); free-form strings.
  std::map<std::string, std::map<std::string, std::string>> modality_attributes;
  // Root string attributes: provenance of the whole file (e.g. daf-extract's job and shard).
  std::map<std::string, std::string> attributes;
};

// The split names every cache has, in order.
const std::vector<std::string>& cache_split_names();

}  // namespace daf
