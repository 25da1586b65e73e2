#include "daf/model/fusion_head.h"

#include "masked_score.h"
#include "philox.h"

namespace daf {

FusionHeadImpl::FusionHeadImpl(const ModelConfig& config, std::vector<int64_t> input_dims, int64_t num_outputs)
    : config_(config), input_dims_(std::move(input_dims)), num_outputs_(num_outputs) {
  const int64_t m_count = num_modalities();
  const int64_t d = config_.dim;
  for (int64_t m = 0; m < m_count; ++m) {
    projections_.push_back(
        register_module("project_" + std::to_string(m), torch::nn::Linear(input_dims_[static_cast<size_t>(m)], d)));
    if (config_.layer_norm)
      norms_.push_back(register_module("norm_" + std::to_string(m),
                                       torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}))));
  }

  if (m_count > 1 && config_.fusion == "dynamic") {
    if (config_.gate == "additive") {
      gate_hidden_ = register_module("gate_hidden", torch::nn::Linear(d, config_.gate_hidden));
      gate_out_ = register_module("gate_out",
                                  torch::nn::Linear(torch::nn::LinearOptions(config_.gate_hidden, 1).bias(false)));
    } else {
      gate_hidden_ = register_module("gate_hidden", torch::nn::Linear(m_count * d, config_.gate_hidden));
      gate_out_ = register_module("gate_out", torch::nn::Linear(config_.gate_hidden, m_count));
    }
  }
  if (m_count > 1 && config_.fusion == "static")
    static_logits_ = register_parameter("static_logits", torch::zeros({m_count}));

  int64_t width = config_.fusion == "concat" ? m_count * d : d;
  for (int64_t l = 0; l < config_.head_layers; ++l) {
    head_layers_.push_back(
        register_module("head_" + std::to_string(l), torch::nn::Linear(width, config_.head_hidden)));
    width = config_.head_hidden;
  }
  head_out_ = register_module("head_out", torch::nn::Linear(width, num_outputs_));
}

torch::Tensor FusionHeadImpl::activate(const torch::Tensor& x) const {
  if (config_.activation == "gelu") return torch::gelu(x);
  if (config_.activation == "tanh") return torch::tanh(x);
  return torch::relu(x);
}

torch::Tensor FusionHeadImpl::keep_mask(std::vector<int64_t> shape, double p) {
  if (!is_training() || p <= 0) return {};
  // Drawn on the CPU with the run's generator, then moved to the device.
  at::Generator generator = generator_.has_value() ? *generator_ : at::detail::getDefaultCPUGenerator();
  auto mask = torch::empty(shape, torch::kFloat);
  fill_keep_mask(draw_mask_key(generator), 1.0 - p, mask.data_ptr<float>(), mask.numel());
  return mask;
}

torch::Tensor FusionHeadImpl::dropout(const torch::Tensor& x, const torch::Tensor& mask, double p) const {
  if (!mask.defined()) return x;
  return x * mask.to(x.device()) / (1.0 - p);
}

// Unnormalised fusion scores [B, M] (before masking and temperature).
torch::Tensor FusionHeadImpl::fusion_scores(const torch::Tensor& h, const torch::Tensor& present) {
  const auto batch = h.size(0);
  if (num_modalities() == 1 || config_.fusion == "mean") return torch::zeros_like(present);
  if (config_.fusion == "static") return static_logits_.unsqueeze(0).expand({batch, num_modalities()});
  if (config_.gate == "additive") return gate_out_(torch::tanh(gate_hidden_(h))).squeeze(-1);
  return gate_out_(torch::tanh(gate_hidden_(h.reshape({batch, -1}))));
}

FusionOutput FusionHeadImpl::forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present) {
  TORCH_CHECK(static_cast<int64_t>(inputs.size()) == num_modalities(), "expected ", num_modalities(),
              " modality inputs, got ", inputs.size());
  const int64_t batch = present.size(0);
  // The modalities' masks in one draw, modality by modality, as the stacked head draws them.
  const auto masks = keep_mask({num_modalities(), batch, config_.dim}, config_.dropout);
  std::vector<torch::Tensor> projected;
  for (size_t m = 0; m < inputs.size(); ++m) {
    auto h = projections_[m](inputs[m]);
    if (config_.layer_norm) h = norms_[m](h);
    h = dropout(activate(h), masks.defined() ? masks[static_cast<int64_t>(m)] : masks, config_.dropout);
    projected.push_back(h * present.select(1, static_cast<int64_t>(m)).unsqueeze(1));
  }
  auto h = torch::stack(projected, 1);  // [B, M, d]

  FusionOutput result;
  torch::Tensor z;
  if (config_.fusion == "concat") {
    z = h.reshape({h.size(0), -1});
  } else {
    const bool scaled = config_.fusion == "dynamic" || config_.fusion == "static";
    auto scores = fusion_scores(h, present);
    if (scaled) scores = scores / config_.temperature;
    scores = scores.masked_fill(present <= 0, kMaskedScore);
    result.weights = torch::softmax(scores, 1);
    z = (result.weights.unsqueeze(2) * h).sum(1);
  }
  for (auto& layer : head_layers_) {
    z = activate(layer(z));
    z = dropout(z, keep_mask({batch, z.size(1)}, config_.head_dropout), config_.head_dropout);
  }
  auto output = head_out_(z);
  result.output = num_outputs_ == 1 ? output.squeeze(1) : output;
  return result;
}

}  // namespace daf
