#pragma once
// y[s] = x[s] W[s]^T + b[s] for every head s of a stacked model.
#include <torch/torch.h>

#include "grad_target.h"

namespace daf {

// x: [S, B, in]; weight: [S, out, in]; bias: [S, out] or undefined. Returns [S, B, out].
//
// On the CPU this is one autograd node that calls the BLAS once per head with
// the heads' own strides, and whose backward accumulates the weight and bias
// gradients straight into their .grad when those are allocated (FlatAdam's
// buffer) rather than returning [S, out, in] tensors that autograd would then
// add there: a batch-32 step of five stacked heads spent about a third of its
// time on those allocations, the copies and the batch loop of baddbmm.
// Elsewhere (CUDA) it is baddbmm.
torch::Tensor stacked_linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

// True where linear_forward/backward can run on `weight`: a BLAS with
// cblas_sgemm, a CPU float weight whose matrices are row-major and dense.
bool linear_available(const torch::Tensor& weight);

// The CPU path without autograd (a BLAS with cblas_sgemm, CPU floats, rows of
// `weight` dense), for a training step that computes its own backward
// (src/model/stacked_step.cpp); the autograd node above is these two.
// linear_backward adds to the defined targets and returns dL/dx when
// `grad_input`. bias: undefined for none.
torch::Tensor linear_forward(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);
torch::Tensor linear_backward(const torch::Tensor& grad_y, const torch::Tensor& x, const torch::Tensor& weight,
                              bool grad_input, GradTarget& grad_weight, GradTarget& grad_bias);

}  // namespace daf
