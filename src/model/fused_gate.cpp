#include "fused_gate.h"

#include <algorithm>
#include <cmath>

#include "lane_sum.h"
#include "masked_score.h"

namespace daf {

GateMix gate_forward(const torch::Tensor& h_in, const torch::Tensor& scores_in, const torch::Tensor& present_in,
                     const std::vector<double>& temperature, GateTape& tape) {
  const auto h = h_in.contiguous();
  const auto scores = scores_in.contiguous();
  const auto present = present_in.to(torch::kFloat).contiguous();
  const int64_t heads = h.size(0), rows = h.size(1), modalities = h.size(2), d = h.size(3);
  auto z = torch::empty({heads, rows, d}, h.options());
  auto weights = torch::empty({heads, rows, modalities}, h.options());
  const float* hs = h.data_ptr<float>();
  const float* ss = scores.data_ptr<float>();
  const float* ps = present.data_ptr<float>();
  float* zs = z.data_ptr<float>();
  float* ws = weights.data_ptr<float>();
  std::vector<float> logits(static_cast<size_t>(modalities));
  for (int64_t s = 0; s < heads; ++s) {
    const float t = static_cast<float>(temperature[static_cast<size_t>(s)]);
    for (int64_t row = s * rows; row < (s + 1) * rows; ++row) {
      const int64_t at = row * modalities;
      float top = -INFINITY;
      for (int64_t m = 0; m < modalities; ++m) {
        logits[static_cast<size_t>(m)] = ps[at + m] <= 0 ? static_cast<float>(kMaskedScore) : ss[at + m] / t;
        top = std::max(top, logits[static_cast<size_t>(m)]);
      }
      float total = 0;
      for (int64_t m = 0; m < modalities; ++m) {
        ws[at + m] = std::exp(logits[static_cast<size_t>(m)] - top);
        total += ws[at + m];
      }
      for (int64_t m = 0; m < modalities; ++m) ws[at + m] /= total;
      float* out = zs + row * d;
      std::fill(out, out + d, 0.0f);
      for (int64_t m = 0; m < modalities; ++m) {
        const float w = ws[at + m];
        const float* hm = hs + (at + m) * d;
        for (int64_t j = 0; j < d; ++j) out[j] += w * hm[j];
      }
    }
  }
  tape = GateTape{h, weights, present, temperature};
  return {z, weights};
}

GateGrads gate_backward(const torch::Tensor& grad_z_in, const torch::Tensor& grad_w_in, const GateTape& tape) {
  const auto &h = tape.h, &weights = tape.weights, &present = tape.present;
  const auto& temperature = tape.temperature;
  const int64_t heads = h.size(0), rows = h.size(1), modalities = h.size(2), d = h.size(3);
  const auto grad_z = grad_z_in.defined() ? grad_z_in.contiguous() : torch::zeros({heads, rows, d});
  const auto grad_w = grad_w_in.defined() ? grad_w_in.contiguous() : torch::Tensor();
  auto grad_h = torch::empty_like(h);
  auto grad_scores = torch::empty_like(weights);
  const float* hs = h.data_ptr<float>();
  const float* ws = weights.data_ptr<float>();
  const float* ps = present.data_ptr<float>();
  const float* gzs = grad_z.data_ptr<float>();
  const float* gws = grad_w.defined() ? grad_w.data_ptr<float>() : nullptr;
  float* ghs = grad_h.data_ptr<float>();
  float* gss = grad_scores.data_ptr<float>();
  std::vector<float> grad_weight(static_cast<size_t>(modalities));
  for (int64_t s = 0; s < heads; ++s) {
    const float t = static_cast<float>(temperature[static_cast<size_t>(s)]);
    for (int64_t row = s * rows; row < (s + 1) * rows; ++row) {
      const int64_t at = row * modalities;
      const float* gz = gzs + row * d;
      float dot = 0;  // sum_m w_m dL/dw_m, for the softmax's backward
      for (int64_t m = 0; m < modalities; ++m) {
        const float w = ws[at + m];
        const float* hm = hs + (at + m) * d;
        float* ghm = ghs + (at + m) * d;
        for (int64_t j = 0; j < d; ++j) ghm[j] = w * gz[j];
        float g = lane_sum(d, [&](int64_t j) { return hm[j] * gz[j]; });
        if (gws != nullptr) g += gws[at + m];
        grad_weight[static_cast<size_t>(m)] = g;
        dot += w * g;
      }
      // Back through the softmax, the mask (no gradient where a modality is
      // absent) and the division by the temperature.
      for (int64_t m = 0; m < modalities; ++m)
        gss[at + m] = ps[at + m] <= 0 ? 0.0f : ws[at + m] * (grad_weight[static_cast<size_t>(m)] - dot) / t;
    }
  }
  return {grad_h, grad_scores};
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class FusedGateFunction : public torch::autograd::Function<FusedGateFunction> {
 public:
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& h, const torch::Tensor& scores,
                               const torch::Tensor& present, std::vector<double> temperature) {
    GateTape tape;
    const auto mixed = gate_forward(h, scores, present, temperature, tape);
    ctx->save_for_backward({tape.h, tape.weights, tape.present});
    ctx->saved_data["temperature"] = temperature;
    return {mixed.z, mixed.weights};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const GateTape tape{saved[0], saved[1], saved[2], ctx->saved_data["temperature"].toDoubleVector()};
    const auto grads = gate_backward(grad_outputs[0], grad_outputs[1], tape);
    return {grads.h, grads.scores, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

bool fused_gate_available(const torch::Tensor& h, const torch::Tensor& scores) {
  return h.is_cpu() && scores.is_cpu() && h.scalar_type() == torch::kFloat && scores.scalar_type() == torch::kFloat;
}

GateMix fused_gate(const torch::Tensor& h, const torch::Tensor& scores, const torch::Tensor& present,
                   const std::vector<double>& temperature) {
  TORCH_CHECK(static_cast<int64_t>(temperature.size()) == h.size(0), "fused_gate: one temperature per head");
  const auto outputs = FusedGateFunction::apply(h, scores, present, temperature);
  return {outputs[0], outputs[1]};
}
}  // namespace daf
