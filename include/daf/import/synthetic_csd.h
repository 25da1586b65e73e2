#pragma once
// Writes a synthetic CMU-MOSEI stand-in under the CMU-MultimodalSDK's own file
// names, so that configs/import-mosei.yaml reads it unchanged:
//   CMU_MOSEI_Labels.csd                  7 columns per labelled segment (sentiment, six emotions)
//   CMU_MOSEI_COVAREP.csd                 74-d at 100 frames/s, with NaN and -inf
//   CMU_MOSEI_VisualFacet42.csd           35-d at 30 frames/s, one video missing, one cut short
//   CMU_MOSEI_TimestampedWordVectors.csd  300-d (GloVe-like), one row per word, "sp" rows zero
//   CMU_MOSEI_TimestampedWords.csd        the words, "sp" for the silences between segments
// Each segment's signal is one utterance of daf-synth's generative story
// (data/synthetic.h: text 300-d, audio 74-d, video 35-d, MOSEI's six emotions):
// the frames inside a segment are that utterance's features plus frame noise,
// so the SDK's averaging recovers them, and the per-segment reliability
// differences (a wrong text or audio view, with its quality cue) carry over.
// Words are drawn by the segment's sentiment (their polarity flipped where the
// text view is the wrong one), and each word vector is the segment's text
// features plus a fixed per-word vector and noise.
// Videos are named vid0, vid1, ... with a folds.yaml (70/10/20, plus a video
// no file holds), or, with csd.folds, after the videos of a real folds file,
// taken from each fold in proportion to its size.
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

struct SyntheticCsdSpec {
  int64_t videos = 12;
  double segments_per_video = 7;  // mean
  double segment_seconds = 8;     // mean segment length
  int64_t seed = 3;
  std::string folds;              // a folds file whose video ids to use; empty: vid0.. and folds.yaml
};

struct SyntheticCsdFiles {
  std::string labels, covarep, facet, word_vectors, words, folds;
  int64_t segments = 0;
  int64_t bytes = 0;  // of the five .csd files
};

class OptionSet;
void declare_synthetic_csd_options(OptionSet& options, SyntheticCsdSpec& spec);
SyntheticCsdSpec load_synthetic_csd_spec(const std::vector<std::string>& overrides);

SyntheticCsdFiles write_synthetic_csd(const std::string& dir, const SyntheticCsdSpec& spec);

}  // namespace daf
