#pragma once
// y[s] = x[s] W[s]^T + b[s] for every head s of a stacked model.
#include <torch/torch.h>

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

}  // namespace daf
