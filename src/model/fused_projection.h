#pragma once
// One modality's projection block of a stacked head (and, without layer norm
// and presence, a hidden layer of its gate or head), for training on the CPU:
//
//   h = present * dropout(activation(layer_norm(x W^T + b)))
//
// as one autograd node instead of about ten. The forward pass is one BLAS call
// per head and then one pass over each output row that adds the bias, takes
// the layer norm, the activation, the dropout mask and the presence; the
// backward pass is the mirror pass over the rows and two BLAS calls per head,
// and accumulates the weight, bias and norm gradients straight into their
// .grad (FlatAdam's buffer) when those are allocated, as stacked_linear does.
// The element-wise LibTorch kernels of this block were the largest share of a
// training step at the sizes daf trains (a [S, 32, 128] tensor per call).
//
// It computes what StackedFusionHead's autograd path computes, up to float
// rounding (the sums of the layer norm and the bias gradient run in another
// order); test_fused_kernels checks both directions on every variant.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "grad_target.h"

namespace daf {

// The layer norm's epsilon, torch::nn::LayerNorm's default: the single head's
// module, the stacked autograd path and the fused pass all use it.
constexpr double kLayerNormEps = 1e-5;

struct FusedProjection {
  torch::Tensor weight, bias;            // [S, d, in], [S, d]
  torch::Tensor norm_weight, norm_bias;  // [S, d]; undefined without layer norm
  std::string activation;                // relu | gelu | tanh
};

// True when fused_projection can run on these inputs (CPU float tensors and a
// BLAS with cblas_sgemm); otherwise the caller takes the autograd path.
bool fused_projection_available(const torch::Tensor& x, const FusedProjection& block);

// x: [S, B, in]; present: [S, B] (1 or 0), or undefined for all 1. mask:
// [S, B, d] of 0/1, or undefined without dropout; keep[s]: head s's
// probability of keeping an element, by which its kept elements are divided.
// Returns h: [S, B, d]. Without layer norm and presence this is also a dense
// layer (the gate's hidden layer, the head's hidden layers).
torch::Tensor fused_projection(const torch::Tensor& x, const FusedProjection& block, const torch::Tensor& mask,
                               const std::vector<double>& keep, const torch::Tensor& present);

// The same pass without autograd, for a training step that computes its own
// backward (src/model/stacked_step.cpp): projection_forward keeps on `tape`
// what projection_backward needs; projection_backward accumulates into the
// defined targets of `grads` (a parameter without one gets no gradient) and
// returns dL/dx when `grad_input`. The autograd node above is these two.
struct ProjectionTape {
  torch::Tensor x, u, a, xhat, rstd, mask, present;  // xhat, rstd: with layer norm; mask, present: when given
  std::vector<double> keep;
};
struct ProjectionGrads {
  GradTarget weight, bias, norm_weight, norm_bias;
};
torch::Tensor projection_forward(const torch::Tensor& x, const FusedProjection& block, const torch::Tensor& mask,
                                 const std::vector<double>& keep, const torch::Tensor& present, ProjectionTape& tape);
torch::Tensor projection_backward(const torch::Tensor& grad_h, const FusedProjection& block,
                                  const ProjectionTape& tape, bool grad_input, ProjectionGrads& grads);

}  // namespace daf
