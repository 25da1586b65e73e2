#pragma once
// Reading CMU-MultimodalSDK computational sequences (.csd). A .csd file is
// HDF5: one root group named after the sequence, with
//   <root>/data/<video_id>/features   [T, D] numbers (or [T, 1] byte strings for words)
//   <root>/data/<video_id>/intervals  [T, 2] start and end in seconds, one row per feature row
//   <root>/metadata/<key>             one-element variable-length string (JSON)
// One video is read at a time, so memory stays bounded by the largest video.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daf/data/embedding_cache.h"

namespace daf {

namespace hdf5 {
class File;
}

struct CsdVideo {
  std::vector<double> starts, ends;  // one interval per row
  FeatureMatrix features;            // numeric sequences
  std::vector<std::string> words;    // word sequences
  int64_t rows() const { return static_cast<int64_t>(starts.size()); }
};

class CsdFile {
 public:
  // InputError when the file is missing, not HDF5, or has no single root group with data/.
  static CsdFile open(const std::string& path);

  const std::string& path() const { return path_; }
  const std::string& sequence() const { return sequence_; }
  std::vector<std::string> videos() const;
  bool has_video(const std::string& video) const;
  // Checks ranks, numeric type and that features and intervals have the same rows.
  CsdVideo read_numeric(const std::string& video) const;
  CsdVideo read_words(const std::string& video) const;

 private:
  CsdFile() = default;
  std::vector<double> read_intervals(const std::string& video, CsdVideo& out) const;
  std::string video_group(const std::string& video) const;

  std::shared_ptr<hdf5::File> file_;
  std::string path_, sequence_;
};

// Mean of the rows whose interval overlaps [start, end] (a row [a, b] overlaps
// when a < end and b > start; a zero-length row or segment overlaps what
// contains its instant). Writes `video.features.cols` values to `out` and
// returns how many rows were averaged (0: `out` is left at zeros).
int64_t average_overlapping(const CsdVideo& video, double start, double end, float* out);

// The words whose intervals overlap the segment, joined by spaces, with the
// SDK's silence marker "sp" dropped.
std::string words_in(const CsdVideo& words, double start, double end);

}  // namespace daf
