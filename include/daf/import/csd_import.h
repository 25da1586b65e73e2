#pragma once
// daf-import: CMU-MultimodalSDK computational sequences -> daf embedding cache.
// For every labelled segment (id "<video_id>[<k>]", the k-th labelled segment
// of the video, as the SDK names them) each modality's feature rows that the
// SDK's align() assigns to the segment (segment_alignment.h) are averaged into
// one vector, the segment's words become its transcript, and the label
// columns are kept. Videos are processed one at
// a time, so memory is bounded by the largest video, not the file.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace daf {

class OptionSet;

struct ImportConfig {
  std::string labels;                  // labels .csd (e.g. CMU_MOSEI_Labels.csd)
  std::vector<std::string> features;   // "modality=path.csd", e.g. audio=CMU_MOSEI_COVAREP.csd
  std::string words;                   // optional words .csd (TimestampedWords)
  std::string folds;                   // YAML/JSON {train: [video ids], valid: [...], test: [...]}
  std::string output;                  // cache to write
  std::vector<std::string> label_columns;
  std::string nonfinite;               // zero | error
  std::string bad_intervals;           // error | skip: NaN/Inf bounds or end < start
  std::string missing;                 // drop | mask: a modality missing for a segment
};

void declare_import_options(OptionSet& options, ImportConfig& config);
ImportConfig load_import_config(const std::string& file, const std::vector<std::string>& overrides);

struct ImportReport {
  std::map<std::string, int64_t> segments;             // per split
  std::map<std::string, int64_t> nonfinite_replaced;   // per modality
  std::map<std::string, int64_t> missing_video;        // per modality: segments whose video the file lacks
  std::map<std::string, int64_t> no_frames;            // per modality: segments no feature row overlaps
  std::map<std::string, int64_t> masked;               // per modality (missing: mask)
  int64_t dropped_segments = 0;                        // (missing: drop)
  int64_t zero_length_segments = 0;                    // |end - start| < 1e-5: dropped, as the SDK does
  std::map<std::string, int64_t> marginal_rows;        // per modality: (row, segment) pairs within 1e-5 of touching
  std::map<std::string, int64_t> bad_intervals;        // per file (import.bad_intervals: skip)
  int64_t empty_transcripts = 0;
  std::vector<std::string> fold_videos_absent;         // in the folds but in no file
  int64_t unlabelled_fold_videos = 0;                  // in the folds and some feature file, not in the labels
  int64_t labelled_videos_outside_folds = 0;
  int64_t videos = 0;
  int64_t frames = 0;                                  // feature rows read, all modalities
  double seconds = 0;

  std::string text() const;  // the end-of-run summary
};

ImportReport import_csd(const ImportConfig& config);

}  // namespace daf
