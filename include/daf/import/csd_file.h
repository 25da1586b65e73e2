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

// Rows whose interval has a NaN/Inf bound or ends before it starts.
std::vector<int64_t> bad_interval_rows(const CsdVideo& video);
// Removes the given rows (sorted ascending) from a stream.
void remove_rows(CsdVideo& video, const std::vector<int64_t>& rows);
// Puts a stream's rows in start-time order (stable), as the SDK does before aligning.
void sort_rows_by_start(CsdVideo& video);

// The rows of a start-sorted stream that the SDK's rule (segment_alignment.h)
// assigns to the segment [start, end], and the rows it leaves out although they
// are within 1e-5 of touching it ("marginal").
struct SegmentRows {
  std::vector<int64_t> used;
  int64_t marginal = 0;
};
SegmentRows rows_in_segment(const CsdVideo& sorted, double start, double end);

// Mean of the rows the SDK's rule assigns to [start, end], accumulated in
// double. Writes `video.features.cols` values to `out` (zeros when no row is
// used) and returns the rows it used.
SegmentRows average_segment(const CsdVideo& sorted, double start, double end, float* out);

// The words the SDK's rule assigns to the segment, in start-time order, joined
// by spaces, with the SDK's silence marker "sp" dropped.
std::string words_in(const CsdVideo& sorted_words, double start, double end);

}  // namespace daf
