#include "daf/train/trainer.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <mutex>

#include "daf/config/task.h"
#include "daf/data/cache_io.h"
#include "daf/data/split_file.h"
#include "daf/train/run_directory.h"
#include "daf/train/runtime.h"
#include "daf/util/file_lock.h"
#include "stacked_trainer.h"
#include "training_data.h"

namespace daf {

EmbeddingCache read_training_cache(const Config& config) {
  CacheReadOptions options;
  options.modalities = config.data.modalities;
  options.labels = task_label_columns(config);
  options.replace_nonfinite = config.data.nonfinite == "zero";
  CacheReadReport report;
  EmbeddingCache cache = read_cache(config.data.cache, options, &report);
  require_rows(cache, config.data.cache);  // before any training: train, valid and test all need rows
  for (const auto& [modality, count] : report.nonfinite_replaced)
    if (count > 0) spdlog::warn("{}: replaced {} non-finite {} feature values by 0", config.data.cache, count, modality);
  // Cross-validation re-splits the cache per fold (data.split_file): its own splits are only pooled.
  for (const auto& split : cache_split_names())
    if (config.data.split_file.empty())
      spdlog::info("{} split: {} utterances", split, cache.splits.at(split).size());
    else
      spdlog::debug("{} split: {} utterances (pooled by the folds' split files)", split, cache.splits.at(split).size());
  return cache;
}

struct PreparedData::Memo {
  std::mutex mutex;
  std::map<std::string, std::shared_future<std::shared_ptr<const TrainingData>>> prepared;
};

PreparedData::PreparedData(const EmbeddingCache& cache) : cache_(cache), memo_(std::make_unique<Memo>()) {}
PreparedData::~PreparedData() = default;

std::shared_ptr<const TrainingData> PreparedData::get(const Config& config) {
  // What the tensors depend on: the data section, the task (class targets) and the device.
  Config key_config;
  key_config.data = config.data;
  key_config.model.task = config.model.task;
  key_config.train.device = config.train.device;
  const std::string key = config_to_yaml(key_config);
  std::promise<std::shared_ptr<const TrainingData>> promise;
  {
    std::lock_guard<std::mutex> lock(memo_->mutex);
    const auto found = memo_->prepared.find(key);
    if (found != memo_->prepared.end()) return found->second.get();  // waits if another thread prepares it
    memo_->prepared.emplace(key, promise.get_future().share());
  }
  try {
    // A fold of cross-validation: the cache re-split by the fold's split file.
    EmbeddingCache fold;
    if (!config.data.split_file.empty()) {
      fold = apply_split_file(cache_, config.data.split_file, config.data.cache);
      require_rows(fold, config.data.split_file);
    }
    auto data = std::make_shared<const TrainingData>(prepare_training_data(
        config, config.data.split_file.empty() ? cache_ : fold, select_device(config.train.device)));
    promise.set_value(data);
    return data;
  } catch (...) {
    promise.set_exception(std::current_exception());
    throw;
  }
}

TrainResult train_model(const Config& config, const TrainHooks& hooks) {
  // The directory is locked and checked first, so a finished run or a second
  // writer fails before a large cache is read.
  const auto lock = lock_run_directory(config.output.dir);
  const RunStart start = prepare_run_directory(RunPaths(config.output.dir), config);
  const EmbeddingCache cache = read_training_cache(config);
  PreparedData data(cache);
  return train_stacked({config}, start, data, hooks).front();
}

TrainResult train_model(const Config& config, const EmbeddingCache& cache, const TrainHooks& hooks) {
  require_rows(cache, config.data.cache);
  const auto lock = lock_run_directory(config.output.dir);
  const RunStart start = prepare_run_directory(RunPaths(config.output.dir), config);
  PreparedData data(cache);
  return train_stacked({config}, start, data, hooks).front();
}

const std::vector<std::string>& per_run_keys() {
  static const std::vector<std::string> keys = {
      "train.seed",    "train.lr",      "train.weight_decay", "train.grad_clip",  "train.modality_dropout",
      "train.loss",    "model.dropout", "model.head_dropout", "model.temperature"};
  return keys;
}

std::vector<std::string> stacking_blockers(const Config& a, const Config& b) {
  std::vector<std::string> blockers;
  for (const auto& difference : config_differences(a, b)) {
    const std::string key = difference.substr(0, difference.find(':'));
    if (std::find(per_run_keys().begin(), per_run_keys().end(), key) == per_run_keys().end())
      blockers.push_back(difference);
  }
  return blockers;
}

bool can_train_together(const Config& a, const Config& b) { return stacking_blockers(a, b).empty(); }

std::vector<TrainResult> train_models_together(const std::vector<Config>& configs, const EmbeddingCache& cache,
                                               const TrainHooks& hooks) {
  PreparedData data(cache);
  return train_models_together(configs, data, hooks);
}

std::vector<TrainResult> train_models_together(const std::vector<Config>& configs, PreparedData& data,
                                               const TrainHooks& hooks) {
  for (const auto& config : configs)
    if (!can_train_together(configs.front(), config))
      throw std::logic_error("train_models_together: " + config.output.dir + " differs from " +
                             configs.front().output.dir + " in more than its seed");
  std::vector<std::shared_ptr<FileLock>> locks;
  for (const auto& config : configs) locks.push_back(lock_run_directory(config.output.dir));
  std::vector<size_t> fresh, resumed;
  for (size_t i = 0; i < configs.size(); ++i)
    (prepare_run_directory(RunPaths(configs[i].output.dir), configs[i]) == RunStart::kFresh ? fresh : resumed)
        .push_back(i);

  std::vector<TrainResult> results(configs.size());
  if (!fresh.empty()) {
    std::vector<Config> stacked;
    for (size_t i : fresh) stacked.push_back(configs[i]);
    const auto stacked_results = train_stacked(stacked, RunStart::kFresh, data, hooks);
    for (size_t k = 0; k < fresh.size(); ++k) results[fresh[k]] = stacked_results[k];
  }
  if (!resumed.empty()) {
    std::vector<Config> stacked;
    for (size_t i : resumed) stacked.push_back(configs[i]);
    const auto resumed_results = train_stacked(stacked, RunStart::kResume, data, hooks);
    for (size_t k = 0; k < resumed.size(); ++k) results[resumed[k]] = resumed_results[k];
  }
  return results;
}

}  // namespace daf
