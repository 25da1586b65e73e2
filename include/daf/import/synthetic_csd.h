#pragma once
// Writes a synthetic CMU-MOSEI-like set of computational sequences for tests
// and import benchmarks, with the messy cases of the real dumps built in:
// labels.csd (7 columns per segment), COVAREP.csd (74-d at 100 frames/s, with
// NaN and -inf), FACET.csd (35-d at 30 frames/s, one video missing),
// words.csd (with "sp"), and folds.yaml (with one video that no file has).
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

struct SyntheticCsdSpec {
  int64_t videos = 12;
  double segments_per_video = 7;  // mean
  double segment_seconds = 8;     // mean segment length
  int64_t seed = 3;
};

struct SyntheticCsdFiles {
  std::string labels, covarep, facet, words, folds;
  int64_t segments = 0;
};

class OptionSet;
void declare_synthetic_csd_options(OptionSet& options, SyntheticCsdSpec& spec);
SyntheticCsdSpec load_synthetic_csd_spec(const std::vector<std::string>& overrides);

SyntheticCsdFiles write_synthetic_csd(const std::string& dir, const SyntheticCsdSpec& spec);

}  // namespace daf
