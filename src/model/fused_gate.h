#pragma once
// The fusion step of a stacked head, for training on the CPU: the modality
// scores divided by each head's temperature, absent modalities masked, the
// softmax over modalities and the weighted sum of the projections,
//
//   w = softmax(mask(scores / T)),  z = sum_m w_m h_m
//
// as one autograd node with one pass per utterance forward and one backward,
// instead of five LibTorch operations and their backward nodes. It computes
// what StackedFusionHead's autograd path computes up to float rounding (the
// exponentials: LibTorch's vectorised exp and std::exp differ in the last
// bits); test_fused_kernels checks both directions on every variant.
#include <torch/torch.h>

#include <vector>

namespace daf {

struct GateMix {
  torch::Tensor z;        // [S, B, d]
  torch::Tensor weights;  // [S, B, M]
};

// True when fused_gate can run on these tensors (CPU, float).
bool fused_gate_available(const torch::Tensor& h, const torch::Tensor& scores);

// h: [S, B, M, d]; scores: [S, B, M]; present: [S, B, M] (a modality with
// present <= 0 gets weight 0; a row with none present gets uniform weights, as
// the autograd path gives); temperature[s]: head s's divisor of its scores.
GateMix fused_gate(const torch::Tensor& h, const torch::Tensor& scores, const torch::Tensor& present,
                   const std::vector<double>& temperature);

// The same pass without autograd, for a training step that computes its own
// backward (src/model/stacked_step.cpp); the autograd node above is these two.
// grad_w may be undefined (the weights feed no loss).
struct GateTape {
  torch::Tensor h, weights, present;
  std::vector<double> temperature;
};
struct GateGrads {
  torch::Tensor h, scores;
};
GateMix gate_forward(const torch::Tensor& h, const torch::Tensor& scores, const torch::Tensor& present,
                     const std::vector<double>& temperature, GateTape& tape);
GateGrads gate_backward(const torch::Tensor& grad_z, const torch::Tensor& grad_w, const GateTape& tape);

}  // namespace daf
