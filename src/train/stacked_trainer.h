#pragma once
// The training loop: runs whose directories are prepared, trained as the rows
// of one stacked model.
#include <vector>

#include "daf/config/config.h"
#include "daf/data/embedding_cache.h"
#include "daf/train/run_directory.h"
#include "daf/train/trainer.h"

namespace daf {

// All configs must be able to train together. With RunStart::kResume every
// config continues from its checkpoint; those that stopped after the same
// epoch train together.
std::vector<TrainResult> train_stacked(const std::vector<Config>& configs, RunStart start, PreparedData& prepared,
                                       const TrainHooks& hooks);

}  // namespace daf
