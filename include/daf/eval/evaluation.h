#pragma once
// daf-eval's job: evaluate a trained model on one split of a cache, optionally
// with modalities masked, and write predictions and reports.
#include <string>
#include <vector>

#include "daf/train/scores.h"

namespace daf {

struct EvalRequest {
  std::string model_dir;              // holds model.yaml and model.pt (a run directory)
  std::string cache;                  // empty: the cache the model was trained on
  std::string split = "test";
  std::vector<std::string> masked;    // modalities treated as missing
  std::string out_dir;                // empty: <model_dir>/eval/<split>[-mask-<m>]
  std::string analysis;               // a YAML file with an `analysis:` section: slice analysis (empty: none)
  int64_t threads = 1;
  std::string device = "cpu";
};

struct EvalResult {
  std::string out_dir;
  Scores scores;
  std::string markdown;  // the report, also written to report.md
};

class OptionSet;
// The eval.* options (daf-eval's config section and flags).
void declare_eval_options(OptionSet& options, EvalRequest& request);
EvalRequest load_eval_request(const std::string& file, const std::vector<std::string>& overrides);

// Writes predictions.csv, metrics.json, report.md and report.html (with
// gate_weights.svg beside it) into the output folder.
EvalResult evaluate_model(const EvalRequest& request);

}  // namespace daf
