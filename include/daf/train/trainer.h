#pragma once
// daf-train's job: train one fusion head from a config into a run directory.
#include <functional>
#include <string>

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
  double train_seconds = 0;         // training time of this process
  double samples_per_second = 0;    // training throughput of this process
  std::string summary_table;        // Markdown, also logged
};

// Optional observers of a run (progress reporting, tests that interrupt a run).
struct TrainHooks {
  std::function<void(int64_t epoch, const MetricValues& valid)> after_epoch;  // after the checkpoint is saved
  bool quiet = false;  // log to train.log only: no console lines, no progress bar (concurrent runs)
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

}  // namespace daf
