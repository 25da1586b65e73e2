#pragma once
// Where a stacked layer's parameter gradient goes in a hand-written backward
// pass (stacked_linear, fused_projection, fused_loss): straight into the
// leaf's .grad when that is allocated with dense rows (FlatAdam's buffer, each
// head's block dense, the heads a buffer row apart), else into a new zero
// tensor handed back to autograd, which adds it where it belongs.
#include <torch/torch.h>

namespace daf {

struct GradTarget {
  torch::Tensor tensor;
  bool returned = false;  // a new tensor: return it from backward()
  float* row(int64_t s) { return tensor.data_ptr<float>() + s * tensor.stride(0); }
  // What backward() returns for this parameter: the new tensor, or nothing.
  torch::Tensor result() const { return returned ? tensor : torch::Tensor(); }
};

// True when `leaf`'s .grad is allocated with dense rows (FlatAdam's buffer).
inline bool has_dense_grad(const torch::Tensor& leaf) {
  const auto& accumulated = leaf.grad();
  return accumulated.defined() && accumulated.stride(-1) == 1 &&
         (accumulated.dim() < 3 || accumulated.stride(1) == accumulated.size(2));
}

inline GradTarget grad_target(const torch::Tensor& leaf) {
  if (has_dense_grad(leaf)) return {leaf.grad(), false};
  return {torch::zeros_like(leaf), true};
}

}  // namespace daf
