#pragma once
// Running a fusion head over a whole split, and scoring its predictions.
#include <torch/torch.h>

#include <vector>

#include "daf/metrics/classification_metrics.h"
#include "daf/model/fusion_head.h"
#include "daf/model/model_metadata.h"
#include "daf/train/split_tensors.h"

namespace daf {

// The training objective: L1 or MSE for regression, cross-entropy otherwise.
torch::Tensor task_loss(const torch::Tensor& output, const torch::Tensor& target, const Config& config);

struct Predictions {
  std::vector<float> scores;     // regression: predicted score per row
  std::vector<int64_t> classes;  // classification: predicted class per row
  std::vector<float> weights;    // [N, M] fusion weights, row-major; empty for concat fusion
  double loss = 0;               // mean task loss
};

// Robustness conditions applied to the model's (normalised) inputs.
struct InputPerturbation {
  std::vector<int64_t> masked;  // modality indices treated as missing for every row
  int64_t noisy_modality = -1;  // modality index that gets Gaussian noise, -1 for none
  double noise_std = 0;
  uint64_t noise_seed = 0;      // the noise is the same for the same seed
  std::vector<uint8_t> removed;  // [rows, M] row-major, 1: missing in that row (eval/missing_masks.h); empty: none
};

// Evaluation mode, no autograd.
Predictions predict(FusionHead& model, const SplitTensors& data, const Config& config,
                    const InputPerturbation& perturbation = {});

struct Scores {
  MetricValues metrics;  // the task's metrics, then "loss"
  std::vector<std::vector<int64_t>> confusion;  // classification only
};
Scores score_predictions(const Predictions& predictions, const SplitTensors& data, int64_t num_outputs);

}  // namespace daf
