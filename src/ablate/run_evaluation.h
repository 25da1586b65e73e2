#pragma once
// How daf-ablate scores a trained run on its test rows under the sweep's
// evaluation conditions: shared by the runs themselves (ablation.csv) and by
// cross-validation's pooled runs (cv_pooling.cpp), so both score alike.
#include <string>
#include <vector>

#include "daf/ablate/sweep.h"
#include "daf/data/embedding_cache.h"
#include "daf/model/model_io.h"
#include "daf/train/predictor.h"
#include "daf/train/split_tensors.h"

namespace daf {

// One read of the cache with every modality any of the runs uses.
EmbeddingCache read_sweep_cache(const std::vector<SweepRun>& runs);

// The run's test rows: the cache's test split, or its fold's test part.
SplitTensors run_test_tensors(const LoadedModel& loaded, const EmbeddingCache& cache);

// The model's predictions under each evaluation condition that applies to it, in the
// sweep's order (names[i] for predictions[i]); noise seeded by the run's seed.
struct RunEvaluations {
  std::vector<std::string> names;
  std::vector<Predictions> predictions;
};
RunEvaluations predict_evaluations(const Sweep& sweep, int64_t seed, LoadedModel& loaded, const SplitTensors& test);

// ablation.csv: a row per evaluation, its metrics and each modality's mean gate weight.
std::string ablation_csv(const RunEvaluations& evaluations, const std::vector<Scores>& scores,
                         const std::vector<std::string>& modalities);

}  // namespace daf
