#pragma once
// Running a fusion head over a whole split, and scoring its predictions: what
// training validates with each epoch and what daf-eval and daf-ablate report.
#include <torch/torch.h>

#include <vector>

#include "daf/metrics/metric_values.h"
#include "daf/model/fusion_head.h"
#include "daf/model/model_metadata.h"
#include "daf/train/scores.h"
#include "daf/train/split_tensors.h"

namespace daf {

struct Predictions {
  std::vector<float> scores;          // regression: predicted score per row
  std::vector<int64_t> classes;       // class tasks: predicted class per row (the largest logit)
  // class tasks: softmax [N, C]; multilabel: sigmoid of each logit [N, L]; row-major
  std::vector<float> probabilities;
  std::vector<uint8_t> labels;        // multilabel: [N, L], 1 where the logit is > 0 (probability > 0.5)
  std::vector<float> weights;         // [N, M] fusion weights, row-major; empty for concat fusion
  double loss = 0;                    // mean task loss (with the model's loss weights)
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
Predictions predict(FusionHead& model, const SplitTensors& data, const ModelMetadata& metadata,
                    const InputPerturbation& perturbation = {});

Scores score_predictions(const Predictions& predictions, const SplitTensors& data, const ModelMetadata& metadata);

// The true presence [N, L] of a multilabel split (data.target as 0/1).
std::vector<std::vector<uint8_t>> true_labels(const SplitTensors& data);

}  // namespace daf
