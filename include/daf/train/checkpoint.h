#pragma once
// The state needed to continue an interrupted training run exactly where it
// stopped, saved after every epoch as one file (written atomically). The file
// carries its own SHA-256 record: a first line "daf-checkpoint sha256=<hex>"
// followed by the LibTorch archive; loading verifies it.
#include <torch/torch.h>

#include <string>

#include "daf/model/fusion_head.h"
#include "daf/train/flat_adam.h"

namespace daf {

struct LoopState {
  int64_t epochs_done = 0;
  double best_value = 0;
  int64_t best_epoch = 0;    // 0: no epoch yet
  int64_t stale_epochs = 0;  // epochs since the best one
  std::string history_csv;   // metrics.csv so far
  std::string weights_sha256;  // of the best epoch's model.pt
};

// `optimizer_row`: which run of a stacked optimizer the checkpoint is for
// (0 for a single run); the file is the same either way.
void save_checkpoint(const std::string& path, FusionHead& model, const FlatAdam& optimizer, int64_t optimizer_row,
                     const LoopState& state);
// Loads the weights into `model` and returns the loop state; the optimizer's
// state goes to `optimizer_state`, for FlatAdam::load once the optimizer exists.
LoopState load_checkpoint(const std::string& path, FusionHead& model, torch::serialize::InputArchive& optimizer_state);

}  // namespace daf
