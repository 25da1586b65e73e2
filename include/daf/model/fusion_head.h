#pragma once
// The fusion head: per-modality projections, a fusion step and an MLP head.
//
//   h_m   = dropout(act(LayerNorm?(W_m x_m + b_m)))            in R^d
//   dynamic (DAF):  e = scores(h), alpha = softmax(e / T) over present modalities,
//                   z = sum_m alpha_m h_m
//       additive scorer: e_m = v^T tanh(U h_m + b), shared across modalities (default:
//                        it scores each view on its own, so it scales to any number of
//                        modalities and cannot key on which other views are present)
//       joint scorer:    e = MLP([h_1, ..., h_M])
//   static:  alpha = softmax(w / T), w learned but input-independent
//   mean:    alpha uniform over present modalities
//   concat:  z = [h_1, ..., h_M]
//   head:    MLP(z) -> 1 value (regression) or C logits (classification)
//
// A missing modality (present = 0) is zeroed and gets weight 0; with a single
// modality there is no gate (the unimodal baseline).
#include <torch/torch.h>

#include <vector>

#include "daf/config/config.h"

namespace daf {

struct FusionOutput {
  torch::Tensor output;   // [B] for regression, [B, C] logits otherwise
  torch::Tensor weights;  // [B, M] modality weights; undefined for concat fusion
};

class FusionHeadImpl : public torch::nn::Module {
 public:
  FusionHeadImpl(const ModelConfig& config, std::vector<int64_t> input_dims, int64_t num_outputs);

  // inputs[m]: [B, D_m]; present: [B, M] float, 1 where modality m is available.
  FusionOutput forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present);

  int64_t num_modalities() const { return static_cast<int64_t>(input_dims_.size()); }
  int64_t num_outputs() const { return num_outputs_; }
  const ModelConfig& config() const { return config_; }
  const std::vector<int64_t>& input_dims() const { return input_dims_; }

  // Dropout draws from this generator (CPU) instead of LibTorch's global one,
  // so runs trained concurrently in one process stay deterministic.
  void set_generator(at::Generator generator) { generator_ = std::move(generator); }
  bool has_weights() const { return config_.fusion != "concat"; }

 private:
  torch::Tensor activate(const torch::Tensor& x) const;
  // A [shape] mask of 1 (keep, probability 1 - p) and 0 from the generator
  // (src/model/philox.h), or undefined when not training or p is 0.
  torch::Tensor keep_mask(std::vector<int64_t> shape, double p);
  torch::Tensor dropout(const torch::Tensor& x, const torch::Tensor& mask, double p) const;
  torch::Tensor fusion_scores(const torch::Tensor& h, const torch::Tensor& present);

  ModelConfig config_;
  std::vector<int64_t> input_dims_;
  int64_t num_outputs_;
  std::vector<torch::nn::Linear> projections_;
  std::vector<torch::nn::LayerNorm> norms_;
  torch::nn::Linear gate_hidden_{nullptr};  // U, b (additive) or first joint layer
  torch::nn::Linear gate_out_{nullptr};     // v (additive) or last joint layer
  torch::Tensor static_logits_;             // w (static fusion)
  std::vector<torch::nn::Linear> head_layers_;
  torch::nn::Linear head_out_{nullptr};
  c10::optional<at::Generator> generator_;
};
TORCH_MODULE(FusionHead);

}  // namespace daf
