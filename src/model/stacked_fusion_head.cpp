#include "daf/model/stacked_fusion_head.h"

#include <algorithm>

#include "fused_gate.h"
#include "fused_loss.h"
#include "fused_projection.h"
#include "masked_score.h"
#include "philox.h"
#include "stacked_linear.h"

namespace daf {

StackedFusionHead::StackedFusionHead(const std::vector<FusionHead>& heads, HeadKernels kernels) : kernels_(kernels) {
  TORCH_CHECK(!heads.empty(), "StackedFusionHead: no heads");
  const auto& first = heads.front();
  config_ = first->config();
  modalities_ = first->num_modalities();
  outputs_ = first->num_outputs();
  for (const auto& head : heads) {
    TORCH_CHECK(head->input_dims() == first->input_dims() && head->num_outputs() == outputs_,
                "StackedFusionHead: heads differ in shape");
    dropout_.push_back(head->config().dropout);
    head_dropout_.push_back(head->config().head_dropout);
    temperature_.push_back(head->config().temperature);
  }

  torch::NoGradGuard no_grad;
  for (const auto& item : first->named_parameters()) {
    std::vector<torch::Tensor> rows;
    for (const auto& head : heads) rows.push_back(head->named_parameters()[item.key()]);
    names_.push_back(item.key());
    parameters_.push_back(torch::stack(rows).set_requires_grad(true));
  }
  auto linear = [&](const std::string& name, bool bias = true) {
    return Linear{parameter(name + ".weight"), bias ? parameter(name + ".bias") : torch::Tensor()};
  };
  for (int64_t m = 0; m < modalities_; ++m) {
    const std::string suffix = std::to_string(m);
    projections_.push_back(linear("project_" + suffix));
    if (config_.layer_norm) norms_.push_back(Norm{parameter("norm_" + suffix + ".weight"), parameter("norm_" + suffix + ".bias")});
  }
  if (modalities_ > 1 && config_.fusion == "dynamic") {
    gate_hidden_ = linear("gate_hidden");
    gate_out_ = linear("gate_out", config_.gate == "joint");
  }
  if (modalities_ > 1 && config_.fusion == "static") static_logits_ = parameter("static_logits");
  for (int64_t l = 0; l < config_.head_layers; ++l) head_layers_.push_back(linear("head_" + std::to_string(l)));
  head_out_ = linear("head_out");
}

torch::Tensor& StackedFusionHead::parameter(const std::string& name) {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return parameters_[i];
  throw std::logic_error("StackedFusionHead: no parameter " + name);
}

torch::Tensor StackedFusionHead::Linear::operator()(const torch::Tensor& x) const {
  return stacked_linear(x, weight, bias);
}

torch::Tensor StackedFusionHead::activate(const torch::Tensor& x, const std::string& activation) const {
  if (activation == "gelu") return torch::gelu(x);
  if (activation == "tanh") return torch::tanh(x);
  return torch::relu(x);
}

torch::Tensor StackedFusionHead::dense(const Linear& layer, const torch::Tensor& x, const std::string& activation,
                                       const torch::Tensor& mask, const std::vector<double>& rates) const {
  if (kernels_ == HeadKernels::kFused) {
    const auto block = dense_block(layer, activation);
    if (fused_projection_available(x, block)) return fused_projection(x, block, mask, keep_rates(rates), {});
  }
  return dropout(activate(layer(x), activation), mask, rates);
}

std::vector<double> StackedFusionHead::keep_rates(const std::vector<double>& rates) {
  std::vector<double> keep;
  for (const double rate : rates) keep.push_back(1.0 - rate);
  return keep;
}

torch::Tensor StackedFusionHead::dropout_masks(std::vector<int64_t> shape, const std::vector<double>& p,
                                              std::vector<at::Generator>* generators) const {
  if (generators == nullptr || std::all_of(p.begin(), p.end(), [](double v) { return v <= 0; })) return {};
  // One block of masks per head, keyed by one draw from its own generator
  // (src/model/philox.h), as a single head draws it.
  shape.insert(shape.begin(), size());
  auto masks = torch::empty(shape, torch::kFloat);
  const int64_t block = masks.numel() / size();
  for (int64_t s = 0; s < size(); ++s) {
    const double rate = p[static_cast<size_t>(s)];
    float* out = masks.data_ptr<float>() + s * block;
    if (rate > 0)
      fill_keep_mask(draw_mask_key((*generators)[static_cast<size_t>(s)]), 1.0 - rate, out, block);
    else
      std::fill(out, out + block, 1.0f);  // x * 1 / 1 is x: what a head without dropout computes
  }
  return masks;
}

torch::Tensor StackedFusionHead::divide_rows(const torch::Tensor& x, const std::vector<double>& divisors) const {
  if (std::all_of(divisors.begin(), divisors.end(), [&](double v) { return v == divisors.front(); }))
    return x / divisors.front();
  // Float divisors, as a float tensor divided by a number uses it.
  std::vector<float> values(divisors.begin(), divisors.end());
  std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
  shape.front() = size();
  return x / torch::tensor(values, torch::kFloat).view(shape).to(x.device());
}

torch::Tensor StackedFusionHead::dropout(const torch::Tensor& x, const torch::Tensor& mask,
                                         const std::vector<double>& p) const {
  if (!mask.defined()) return x;
  return divide_rows(x * mask.to(x.device()), keep_rates(p));
}

torch::Tensor StackedFusionHead::fusion_scores(const torch::Tensor& h, const torch::Tensor& present) const {
  const auto heads = h.size(0), batch = h.size(1);
  if (modalities_ == 1 || config_.fusion == "mean") return torch::zeros_like(present);
  if (config_.fusion == "static") return static_logits_.unsqueeze(1).expand({heads, batch, modalities_});
  const std::vector<double> no_dropout(static_cast<size_t>(heads), 0.0);
  if (config_.gate == "additive")
    return gate_out_(dense(gate_hidden_, h.reshape({heads, batch * modalities_, -1}), "tanh", {}, no_dropout))
        .view({heads, batch, modalities_});
  return gate_out_(dense(gate_hidden_, h.reshape({heads, batch, -1}), "tanh", {}, no_dropout));
}

FusedProjection StackedFusionHead::projection_block(size_t m) const {
  FusedProjection block = dense_block(projections_[m], config_.activation);
  if (config_.layer_norm) {
    block.norm_weight = norms_[m].weight;
    block.norm_bias = norms_[m].bias;
  }
  return block;
}

FusedProjection StackedFusionHead::dense_block(const Linear& layer, const std::string& activation) {
  return FusedProjection{layer.weight, layer.bias, {}, {}, activation};
}

std::vector<double> StackedFusionHead::gate_temperatures() const {
  const bool scaled = config_.fusion == "dynamic" || config_.fusion == "static";
  return scaled ? temperature_ : std::vector<double>(temperature_.size(), 1.0);
}

torch::Tensor StackedFusionHead::project(size_t m, const torch::Tensor& x, const torch::Tensor& mask,
                                         const torch::Tensor& present) const {
  if (kernels_ == HeadKernels::kFused) {
    const auto block = projection_block(m);
    if (fused_projection_available(x, block)) return fused_projection(x, block, mask, keep_rates(dropout_), present);
  }
  auto h = projections_[m](x);
  if (config_.layer_norm) {
    h = torch::layer_norm(h, {config_.dim}, {}, {}, kLayerNormEps);
    h = h * norms_[m].weight.unsqueeze(1) + norms_[m].bias.unsqueeze(1);
  }
  return dropout(activate(h, config_.activation), mask, dropout_) * present.unsqueeze(2);
}

StackedOutput StackedFusionHead::forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                                         std::vector<at::Generator>* generators) const {
  auto result = hidden(inputs, present, generators);
  auto output = head_out_(result.output);
  result.output = outputs_ == 1 ? output.squeeze(2) : output;
  return result;
}

bool StackedFusionHead::fused_regression_available() const {
  return kernels_ == HeadKernels::kFused && outputs_ == 1 &&
         fused_regression_loss_available(head_out_.weight);
}

torch::Tensor StackedFusionHead::regression_losses(const std::vector<torch::Tensor>& inputs,
                                                   const torch::Tensor& present, std::vector<at::Generator>* generators,
                                                   const torch::Tensor& target, const std::vector<uint8_t>& mse) const {
  TORCH_CHECK(fused_regression_available(), "StackedFusionHead::regression_losses: no fused output layer here");
  const auto z = hidden(inputs, present, generators).output;
  return fused_regression_loss(z, head_out_.weight, head_out_.bias, target, mse);
}

StackedOutput StackedFusionHead::hidden(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                                        std::vector<at::Generator>* generators) const {
  TORCH_CHECK(static_cast<int64_t>(inputs.size()) == modalities_, "expected ", modalities_, " modality inputs, got ",
              inputs.size());
  TORCH_CHECK(generators == nullptr || static_cast<int64_t>(generators->size()) == size(), "expected ", size(),
              " generators");
  const int64_t batch = present.size(1);
  // A single head draws its modality masks first (in modality order), then the head's.
  const auto modality_masks = dropout_masks({modalities_, batch, config_.dim}, dropout_, generators);
  std::vector<torch::Tensor> projected;
  for (size_t m = 0; m < inputs.size(); ++m) {
    const auto index = static_cast<int64_t>(m);
    projected.push_back(project(m, inputs[m], modality_masks.defined() ? modality_masks.select(1, index) : modality_masks,
                                present.select(2, index)));
  }
  auto h = torch::stack(projected, 2);  // [S, B, M, d]

  StackedOutput result;
  torch::Tensor z;
  if (config_.fusion == "concat") {
    z = h.reshape({h.size(0), h.size(1), -1});
  } else {
    const bool scaled = config_.fusion == "dynamic" || config_.fusion == "static";
    auto scores = fusion_scores(h, present);
    if (kernels_ == HeadKernels::kFused && fused_gate_available(h, scores)) {
      auto mixed = fused_gate(h, scores, present, gate_temperatures());
      z = mixed.z;
      result.weights = mixed.weights;
    } else {
      if (scaled) scores = divide_rows(scores, temperature_);
      scores = scores.masked_fill(present <= 0, kMaskedScore);
      result.weights = torch::softmax(scores, 2);
      z = (result.weights.unsqueeze(3) * h).sum(2);
    }
  }
  for (const auto& layer : head_layers_)
    z = dense(layer, z, config_.activation, dropout_masks({batch, layer.weight.size(1)}, head_dropout_, generators),
              head_dropout_);
  result.output = z;
  return result;
}

void StackedFusionHead::keep_heads(const std::vector<int64_t>& keep) {
  const auto select = [&](std::vector<double>& values) {
    std::vector<double> kept;
    for (const int64_t k : keep) kept.push_back(values.at(static_cast<size_t>(k)));
    values = std::move(kept);
  };
  select(dropout_);
  select(head_dropout_);
  select(temperature_);
}

void StackedFusionHead::copy_row_to(int64_t row, FusionHead& head) const {
  torch::NoGradGuard no_grad;
  auto named = head->named_parameters();
  for (size_t i = 0; i < names_.size(); ++i) named[names_[i]].copy_(parameters_[i][row]);
}

}  // namespace daf
