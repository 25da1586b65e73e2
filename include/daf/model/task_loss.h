#pragma once
// The training objective of each task: L1 or MSE (regression), cross-entropy
// with optional class weights (binary, seven_class, multiclass), binary
// cross-entropy on the logits with optional positive weights (multilabel).
// Weighted means follow PyTorch: sum(w_y * loss) / sum(w_y).
#include <torch/torch.h>

#include <vector>

#include "daf/config/config.h"

namespace daf {

// train.class_weights or train.pos_weight as numbers, from the training
// targets where balanced: n / (C * n_c) per class (scikit-learn's
// compute_class_weight), negatives / positives per label. Empty for none.
// InputError when a balanced weight is undefined (a class or label without rows).
std::vector<float> resolve_loss_weights(const Config& config, const torch::Tensor& train_target);

// Mean loss of one model's output over a batch.
torch::Tensor task_loss(const torch::Tensor& output, const torch::Tensor& target, const Config& config,
                        const std::vector<float>& loss_weights);

// Stacked runs: output [S, B, ...] and target [S, B, ...]; each run's mean
// loss over its own batch, [S]. Rows may differ in train.loss (regression);
// they share the task and its weights.
torch::Tensor task_loss_per_run(const torch::Tensor& output, const torch::Tensor& target,
                                const std::vector<const Config*>& rows, const std::vector<float>& loss_weights);

}  // namespace daf
