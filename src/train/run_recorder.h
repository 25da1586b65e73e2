#pragma once
// One training run's directory while it trains: config.yaml, model.yaml, the
// per-epoch validation with early stopping, metrics.csv, the checkpoint, the
// best weights, final metrics and train.log. Both trainers (one run at a
// time, or several stacked runs) record through it, so a run directory is
// the same whichever trained it.
#include <spdlog/logger.h>

#include <chrono>
#include <memory>

#include "daf/config/config.h"
#include "daf/train/checkpoint.h"
#include "daf/train/run_directory.h"
#include "daf/train/trainer.h"
#include "training_data.h"

namespace daf {

class RunRecorder {
 public:
  // Opens train.log and writes config.yaml and model.yaml (with this run's config)
  // for a fresh run.
  RunRecorder(const Config& config, RunStart start, const TrainHooks& hooks, const ModelMetadata& metadata);

  spdlog::logger& log() { return *log_; }
  const Config& config() const { return config_; }
  const ModelMetadata& metadata() const { return metadata_; }

  // Continues from the checkpoint: weights into `model`, the loop state here,
  // the optimizer's state into `optimizer_state` (for FlatAdam::load).
  void resume(FusionHead& model, torch::serialize::InputArchive& optimizer_state);

  // Whether another epoch is due: epochs left and patience not used up.
  bool wants_epoch() const;
  int64_t next_epoch() const { return state_.epochs_done + 1; }

  // After an epoch: validates `model`, keeps its weights when they are the best so
  // far, appends to metrics.csv, saves the checkpoint (row `optimizer_row` of the
  // optimizer), logs and calls the hook. `seconds`: this run's training time in the epoch.
  void record_epoch(FusionHead& model, const FlatAdam& optimizer, int64_t optimizer_row, const TrainingData& data,
                    double train_loss, double seconds);

  // Loads the best weights into `model`, scores valid and test, writes the final
  // metrics and removes the checkpoint.
  TrainResult finish(FusionHead& model, const TrainingData& data);

 private:
  Config config_;
  RunPaths paths_;
  TrainHooks hooks_;
  std::shared_ptr<spdlog::logger> log_;
  LoopState state_;
  ModelMetadata metadata_;  // model.yaml, rewritten with the weights' digest at the end
  MetricValues best_valid_;  // of the best epoch, when it was trained by this process
  double training_seconds_ = 0;
  int64_t samples_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace daf
