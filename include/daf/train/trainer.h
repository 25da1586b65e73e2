#pragma once
// daf-train's job: train fusion heads from configs into run directories.
//
// Every run trains as a row of a stacked model (model/stacked_fusion_head.h).
// Runs that differ only in their seed train together, one batched matrix
// product per layer for all of them; each keeps its own initialisation, data
// order, dropout draws, early stopping and run directory, and computes
// exactly what it would compute alone (the heads do not interact, and each
// head's arithmetic does not depend on how many are stacked).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daf/config/config.h"
#include "daf/data/embedding_cache.h"
#include "daf/metrics/metric_values.h"

namespace daf {

struct TrainResult {
  std::string run_dir;
  int64_t epochs = 0;       // epochs trained (including those of an earlier, resumed process)
  int64_t best_epoch = 0;
  MetricValues valid;       // of the best epoch's model
  MetricValues test;
  double train_seconds = 0;         // training time of this process (its share, when trained together)
  double samples_per_second = 0;    // training throughput of this process
  std::string summary_table;        // Markdown, also logged
  bool paused = false;              // stopped at TrainHooks::pause_after_epoch: a checkpoint, no final metrics
};

// Optional observers of a run (progress reporting, tests that interrupt a run).
struct TrainHooks {
  std::function<void(int64_t epoch, const MetricValues& valid)> after_epoch;  // after the checkpoint is saved
  bool quiet = false;  // log to train.log only: no console lines, no progress bar (concurrent runs)
  // false: the test split is never scored (a search's trials, ranked on the
  // validation split alone); final_metrics has no test scores.
  bool score_test = true;
  // > 0: runs stop after this epoch as if interrupted (checkpoint kept, no
  // final metrics), to be resumed later: successive halving's rungs.
  int64_t pause_after_epoch = 0;
};

// Reads what `config` needs from its cache (its modalities and target).
EmbeddingCache read_training_cache(const Config& config);

// Writes config.yaml, model.pt + model.yaml (best epoch), metrics.csv,
// train.log and final_metrics.{json,csv} into config.output.dir.
TrainResult train_model(const Config& config, const TrainHooks& hooks = {});
// The same, from a cache already in memory (it must hold the config's
// modalities and target; it may hold more). Used to train many runs from one
// read of the file.
TrainResult train_model(const Config& config, const EmbeddingCache& cache, const TrainHooks& hooks = {});

struct TrainingData;

// The cache's splits as normalised tensors, prepared once for all runs that
// read the same columns the same way (a sweep's conditions that differ only
// in model or training settings) instead of once per run. Thread-safe; holds
// a reference to `cache`.
class PreparedData {
 public:
  explicit PreparedData(const EmbeddingCache& cache);
  ~PreparedData();
  std::shared_ptr<const TrainingData> get(const Config& config);

 private:
  struct Memo;
  const EmbeddingCache& cache_;
  std::unique_ptr<Memo> memo_;
};

// The keys stacked runs may differ in: they keep every parameter's shape and
// each row of a stacked model computes with its own value (train.seed,
// train.lr, train.weight_decay, train.grad_clip, train.modality_dropout,
// train.loss, model.dropout, model.head_dropout, model.temperature).
const std::vector<std::string>& per_run_keys();
// What keeps two runs from training together: every other key (train.threads
// and output.* aside) whose value differs, as "section.key: a -> b".
std::vector<std::string> stacking_blockers(const Config& a, const Config& b);
// Whether two runs can train together: no stacking blockers.
bool can_train_together(const Config& a, const Config& b);

// Trains every config (all must be able to train together) as one stacked
// model; runs resuming from a checkpoint stack with the others resuming after
// the same epoch.
// Results in the order of `configs`.
std::vector<TrainResult> train_models_together(const std::vector<Config>& configs, const EmbeddingCache& cache,
                                               const TrainHooks& hooks = {});
std::vector<TrainResult> train_models_together(const std::vector<Config>& configs, PreparedData& data,
                                               const TrainHooks& hooks = {});

}  // namespace daf
