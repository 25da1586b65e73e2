#include "cv_pooling.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <memory>

#include "daf/ablate/plan.h"
#include "daf/eval/evaluation.h"
#include "daf/eval/prediction_table.h"
#include "daf/util/atomic_file.h"
#include "daf/util/file_lock.h"
#include "daf/train/trainer.h"
#include "run_evaluation.h"

namespace daf {
namespace fs = std::filesystem;
namespace {

// Appends `part`'s rows to `all` (the fields scoring and predictions.csv read).
void append_rows(SplitTensors& all, const SplitTensors& part) {
  if (all.ids.empty()) {
    all = part;
    return;
  }
  all.ids.insert(all.ids.end(), part.ids.begin(), part.ids.end());
  for (size_t m = 0; m < all.features.size(); ++m) all.features[m] = torch::cat({all.features[m], part.features[m]});
  all.present = torch::cat({all.present, part.present});
  all.target = torch::cat({all.target, part.target});
  all.scores.insert(all.scores.end(), part.scores.begin(), part.scores.end());
  all.classes.insert(all.classes.end(), part.classes.begin(), part.classes.end());
  for (auto& [column, values] : all.meta) {
    const auto found = part.meta.find(column);
    if (found == part.meta.end()) values.resize(all.ids.size());
    else values.insert(values.end(), found->second.begin(), found->second.end());
  }
}

void append_predictions(Predictions& all, const Predictions& part, size_t rows_before, size_t rows) {
  auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  append(all.scores, part.scores);
  append(all.classes, part.classes);
  append(all.probabilities, part.probabilities);
  append(all.labels, part.labels);
  append(all.weights, part.weights);
  const double total = static_cast<double>(rows_before + rows);
  all.loss = (all.loss * static_cast<double>(rows_before) + part.loss * static_cast<double>(rows)) / total;
}

void pool_one(const Sweep& sweep, const std::vector<const SweepRun*>& folds, const EmbeddingCache& cache) {
  const std::string dir = sweep.output + "/" + pooled_run_dir(folds.front()->condition, folds.front()->seed);
  fs::create_directories(dir + "/eval/test");
  const auto lock = lock_run_directory(dir);
  if (fs::exists(dir + "/ablation.csv")) return;  // another shard pooled it meanwhile
  SplitTensors test;
  RunEvaluations pooled;
  ModelMetadata metadata;
  for (const SweepRun* run : folds) {
    LoadedModel loaded = load_model(run->dir);
    SplitTensors part = run_test_tensors(loaded, cache);
    const RunEvaluations evaluations = predict_evaluations(sweep, run->seed, loaded, part);
    if (pooled.names.empty()) {
      pooled.names = evaluations.names;
      pooled.predictions.resize(evaluations.names.size());
      metadata = loaded.metadata;
    }
    for (size_t e = 0; e < evaluations.predictions.size(); ++e)
      append_predictions(pooled.predictions[e], evaluations.predictions[e], test.ids.size(), part.ids.size());
    // predictions.csv's fold column: cv_fold, among the meta columns.
    part.meta["cv_fold"].assign(part.ids.size(), std::to_string(run->fold));
    append_rows(test, part);
  }
  std::vector<Scores> scores;
  for (const auto& predictions : pooled.predictions) scores.push_back(score_predictions(predictions, test, metadata));
  write_file_atomic(dir + "/eval/test/predictions.csv",
                    predictions_csv(test, pooled.predictions.front(), metadata));
  write_file_atomic(dir + "/ablation.csv", ablation_csv(pooled, scores, metadata.modalities()));
}

}  // namespace

int64_t pool_cv_runs(const Sweep& sweep) {
  if (sweep.cv.count() == 0) return 0;
  std::map<std::pair<std::string, int64_t>, std::vector<const SweepRun*>> by_condition_seed;
  const auto runs = sweep.runs();
  for (const auto& run : runs) by_condition_seed[{run.condition, run.seed}].push_back(&run);
  std::unique_ptr<EmbeddingCache> cache;  // read once, when a pair is ready
  int64_t pooled = 0;
  for (const auto& [key, folds] : by_condition_seed) {
    if (fs::exists(sweep.output + "/" + pooled_run_dir(key.first, key.second) + "/ablation.csv")) continue;
    bool complete = true;
    for (const SweepRun* run : folds) complete = complete && fs::exists(run->dir + "/ablation.csv");
    if (!complete) continue;
    if (!cache) cache = std::make_unique<EmbeddingCache>(read_sweep_cache(runs));
    pool_one(sweep, folds, *cache);
    ++pooled;
  }
  if (pooled > 0) spdlog::info("pooled the test predictions of every fold for {} (condition, seed) pair(s)", pooled);
  return pooled;
}

}  // namespace daf
