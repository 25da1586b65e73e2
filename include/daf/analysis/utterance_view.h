#pragma once
// The utterance explorer's rows (report/utterance_explorer.h) from the test
// predictions of every condition and seed (slices.h's SliceData):
//   prediction  regression: the mean over seeds; class tasks: the seeds'
//               majority class (ties: the lower class), with the vote when
//               the seeds disagree; multilabel: the labels most seeds predict
//   error       per seed, then the mean over seeds: regression |prediction -
//               label|; class tasks 0/1 (wrong); multilabel the share of
//               labels wrong (Hamming)
//   difference  the reference's error minus the baseline's, over the seeds
//               both have (top_utterances.csv's gain with the sign turned)
//   weights     each gated condition's fusion weights, mean over seeds
// and the slices each utterance is in; the audio link from the cache's
// meta/audio_file column (daf-extract writes it from a manifest's audio
// column), relative to the page's folder.
#include <string>
#include <vector>

#include "daf/analysis/slices.h"
#include "daf/report/utterance_explorer.h"

namespace daf {

struct UtteranceViewInput {
  const SliceData* data = nullptr;
  std::vector<std::string> conditions;  // columns, in order (a condition without runs: empty cells)
  std::string reference, baseline;      // baseline "": no difference column
  std::vector<std::string> names;       // class names (class tasks) or label names (multilabel)
  const std::vector<Slice>* slices = nullptr;             // may be null
  const std::vector<std::string>* transcripts = nullptr;  // by id order; may be null or empty
  std::string page_dir;                 // where the page lies (audio links are relative to it)
};

// The meta column daf-extract records each row's audio file in.
inline const char* audio_file_column() { return "audio_file"; }

ExplorerData utterance_view(const UtteranceViewInput& input);

// `target` as a URL relative to the folder `from` (both made absolute; each
// path segment percent-encoded), e.g. "../data/clip%201.wav".
std::string relative_url(const std::string& target, const std::string& from);

}  // namespace daf
