#pragma once
// daf-eval's job: evaluate a trained model on one split of a cache, optionally
// with modalities masked, and write predictions and reports.
#include <string>
#include <vector>

#include "daf/eval/predictor.h"

namespace daf {

struct EvalRequest {
  std::string model_dir;              // holds model.yaml and model.pt (a run directory)
  std::string cache;                  // empty: the cache the model was trained on
  std::string split = "test";
  std::vector<std::string> masked;    // modalities treated as missing
  std::string out_dir;                // empty: <model_dir>/eval/<split>[-mask-<m>]
  int64_t threads = 1;
  std::string device = "cpu";
};

struct EvalResult {
  std::string out_dir;
  Scores scores;
  std::string markdown;  // the report, also written to report.md
};

// predictions.csv: id, label, prediction (or true_class, predicted_class), weight_<modality>...
std::string predictions_csv(const SplitTensors& data, const Predictions& predictions,
                            const std::vector<std::string>& modalities, int64_t num_outputs);

class OptionSet;
// The eval.* options (daf-eval's config section and flags).
void declare_eval_options(OptionSet& options, EvalRequest& request);
EvalRequest load_eval_request(const std::string& file, const std::vector<std::string>& overrides);

// Writes predictions.csv, metrics.json and report.md into the output folder.
EvalResult evaluate_model(const EvalRequest& request);

}  // namespace daf
