#pragma once
// The output layer and the regression loss of a stacked head, for training on
// the CPU, as one autograd node:
//
//   loss[s] = mean over the batch of |y - target| (L1) or (y - target)^2 (MSE),
//   y[s] = z[s] w[s]^T + b[s]
//
// instead of the output layer's node and about six LibTorch operations with
// their autograd nodes (squeeze, subtract, abs or square, mean, sum), which
// cost more than the one-column product they follow. The products and the
// bias-gradient sum are the ones stacked_linear makes, and the gradient of
// the loss is autograd's formula, so the gradients are bit for bit those of
// the unfused path; only the loss value (summed in double here) may differ
// from LibTorch's float mean in its last bits.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "grad_target.h"

namespace daf {

// True when fused_regression_loss can run on this output layer: a CPU float
// weight of one output, a BLAS with cblas_sgemm (its inputs must then be CPU
// floats too).
bool fused_regression_loss_available(const torch::Tensor& weight);

// z: [S, B, h]; weight: [S, 1, h]; bias: [S, 1]; target: [S, B]; mse[s]: head
// s's loss is the squared error (else the absolute error). Returns [S].
torch::Tensor fused_regression_loss(const torch::Tensor& z, const torch::Tensor& weight, const torch::Tensor& bias,
                                    const torch::Tensor& target, const std::vector<uint8_t>& mse);

// The same without autograd, for a training step that computes its own
// backward (src/model/stacked_step.cpp); the autograd node above is these two.
// regression_loss_backward takes dL/dloss [S], adds the weight and bias
// gradients to the defined targets and returns dL/dz when `grad_input`.
struct LossTape {
  torch::Tensor z, difference;  // difference: y - target, [S, B]
  std::vector<int64_t> mse;
};
torch::Tensor regression_loss_forward(const torch::Tensor& z, const torch::Tensor& weight, const torch::Tensor& bias,
                                      const torch::Tensor& target, const std::vector<int64_t>& mse, LossTape& tape);
torch::Tensor regression_loss_backward(const torch::Tensor& grad_losses, const torch::Tensor& weight,
                                       const LossTape& tape, bool grad_input, GradTarget& grad_weight,
                                       GradTarget& grad_bias);

}  // namespace daf
