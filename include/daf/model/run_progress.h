#pragma once
// How far a training run got. daf-train writes final_metrics.json last, so a run
// without it was stopped (killed, out of time) and model.pt holds the best epoch so
// far, not the one a finished run would have chosen.
#include <cstdint>
#include <string>

#include "daf/config/config.h"

namespace daf {

struct RunProgress {
  bool finished = true;
  int64_t epochs_done = 0;  // rows of metrics.csv
  int64_t best_epoch = 0;   // the epoch whose weights model.pt holds (0: unknown)
  int64_t max_epochs = 0;
};

// Reads <dir>/final_metrics.json and <dir>/metrics.csv (best epoch by the config's
// train.early_stop_metric, first of equals, as daf-train chooses it).
RunProgress read_run_progress(const std::string& dir, const Config& config);

// "runs/x did not finish (169 of 400 epochs, no final_metrics.json): the weights are those
// of its best epoch so far, 150"; "" for a finished run.
std::string unfinished_run_note(const std::string& dir, const RunProgress& progress);

}  // namespace daf
