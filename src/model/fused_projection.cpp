#include "fused_projection.h"

#include <cmath>

#include "grad_target.h"
#include "lane_sum.h"
#include "sgemm.h"

namespace daf {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

enum Activation : int64_t { kRelu, kGelu, kTanh };

int64_t activation_code(const std::string& name) {
  if (name == "gelu") return kGelu;
  if (name == "tanh") return kTanh;
  return kRelu;
}

std::string activation_name(int64_t code) { return code == kGelu ? "gelu" : code == kTanh ? "tanh" : "relu"; }

// d GELU / du at u: Phi(u) + u phi(u), as LibTorch's gelu_backward.
inline float gelu_slope(float u) {
  constexpr float kPdf = static_cast<float>(0.5 * M_2_SQRTPI * M_SQRT1_2);  // 1 / sqrt(2 pi)
  const float cdf = 0.5f * (1.0f + std::erf(u * static_cast<float>(M_SQRT1_2)));
  return cdf + u * kPdf * std::exp(-0.5f * u * u);
}

// Autograd functions take no undefined inputs: an empty tensor means "none".
const torch::Tensor& or_none(const torch::Tensor& t) {
  static const torch::Tensor none = torch::empty({0});
  return t.defined() ? t : none;
}

// y <- layer_norm(y) * gamma + beta, keeping the normalised row and 1 / sigma
// for the backward pass: the mean, then the (biased) variance about it.
void normalise_row(float* y, int64_t d, const float* gamma, const float* beta, float* xhat, float& rstd) {
  const float mean = lane_sum(d, [&](int64_t j) { return y[j]; }) / static_cast<float>(d);
  const float variance = lane_sum(d, [&](int64_t j) { return (y[j] - mean) * (y[j] - mean); }) / static_cast<float>(d);
  rstd = 1.0f / std::sqrt(variance + static_cast<float>(kLayerNormEps));
  for (int64_t j = 0; j < d; ++j) {
    xhat[j] = (y[j] - mean) * rstd;
    y[j] = xhat[j] * gamma[j] + beta[j];
  }
}

// dL/dy from dL/du through the layer norm (gu in, gy out; may be the same
// row), accumulating the norm's own gradients.
void normalise_row_backward(float* gy, int64_t d, const float* xhat, float rstd, const float* gamma, float* dgamma,
                            float* dbeta, float* scratch) {
  for (int64_t j = 0; j < d; ++j) {
    dgamma[j] += gy[j] * xhat[j];
    dbeta[j] += gy[j];
    scratch[j] = gy[j] * gamma[j];
  }
  const float mean = lane_sum(d, [&](int64_t j) { return scratch[j]; }) / static_cast<float>(d);
  const float mean_dot = lane_sum(d, [&](int64_t j) { return scratch[j] * xhat[j]; }) / static_cast<float>(d);
  for (int64_t j = 0; j < d; ++j) gy[j] = rstd * (scratch[j] - mean - xhat[j] * mean_dot);
}

}  // namespace

torch::Tensor projection_forward(const torch::Tensor& input, const FusedProjection& block, const torch::Tensor& mask_in,
                                 const std::vector<double>& keep, const torch::Tensor& present_in,
                                 ProjectionTape& tape) {
  const auto x = input.contiguous();
  const auto& weight = block.weight;
  const auto& bias = block.bias;
  const auto& norm_weight = block.norm_weight;
  const auto& norm_bias = block.norm_bias;
  const auto mask = mask_in.defined() ? mask_in.to(torch::kFloat).contiguous() : mask_in;
  const auto present = present_in.defined() ? present_in.to(torch::kFloat).contiguous() : present_in;
  const int64_t activation = activation_code(block.activation);
  const int64_t heads = x.size(0), rows = x.size(1), in = x.size(2), d = weight.size(1);
  const bool has_bias = bias.defined(), norm = norm_weight.defined(), dropout = mask.defined();
  auto u = torch::empty({heads, rows, d}, x.options());  // the activation's input
  auto a = torch::empty_like(u);                         // its output
  auto h = torch::empty_like(u);
  auto xhat = norm ? torch::empty_like(u) : torch::Tensor();
  auto rstd = norm ? torch::empty({heads, rows}, x.options()) : torch::Tensor();

  const float* xs = x.data_ptr<float>();
  const float* ws = weight.data_ptr<float>();
  float* us = u.data_ptr<float>();
  float* as = a.data_ptr<float>();
  float* hs = h.data_ptr<float>();
  const float* ps = present.defined() ? present.data_ptr<float>() : nullptr;
  const float* ms = dropout ? mask.data_ptr<float>() : nullptr;
  // y = b + x W^T as stacked_linear computes it (the bias first, then the
  // product added to it), so that both paths start from the same numbers.
  if (has_bias) u.copy_(bias.unsqueeze(1).expand_as(u));
  stacked_forward(heads, rows, in, d, xs, ws, weight.stride(0), has_bias ? 1.0f : 0.0f, us);
  for (int64_t s = 0; s < heads; ++s) {
    if (norm)
      for (int64_t i = 0; i < rows; ++i)
        normalise_row(us + (s * rows + i) * d, d, norm_weight.data_ptr<float>() + s * norm_weight.stride(0),
                      norm_bias.data_ptr<float>() + s * norm_bias.stride(0),
                      xhat.data_ptr<float>() + (s * rows + i) * d, rstd.data_ptr<float>()[s * rows + i]);
  }
  // GELU and tanh through LibTorch's own kernels: their vectorised erf and
  // tanh differ from std::erf and std::tanh in the last bits, and both paths
  // should pass the next layer the same numbers.
  if (activation == kGelu) at::gelu_out(a, u);
  if (activation == kTanh) at::tanh_out(a, u);
  for (int64_t s = 0; s < heads; ++s) {
    const float keep_s = static_cast<float>(keep[static_cast<size_t>(s)]);
    for (int64_t row = s * rows; row < (s + 1) * rows; ++row) {
      const float p = ps != nullptr ? ps[row] : 1.0f;
      const float* y = us + row * d;
      float* act = as + row * d;
      float* out = hs + row * d;
      const float* m = dropout ? ms + row * d : nullptr;
      if (activation == kRelu)
        for (int64_t j = 0; j < d; ++j) act[j] = y[j] > 0 ? y[j] : 0.0f;
      // (a * mask) / keep, then * present: the autograd path's order of
      // rounding.
      if (m != nullptr)
        for (int64_t j = 0; j < d; ++j) out[j] = act[j] * m[j] / keep_s * p;
      else
        for (int64_t j = 0; j < d; ++j) out[j] = act[j] * p;
    }
  }
  tape = ProjectionTape{x, u, a, xhat, rstd, mask, present, keep};
  return h;
}

torch::Tensor projection_backward(const torch::Tensor& grad_output, const FusedProjection& block,
                                  const ProjectionTape& tape, bool grad_input, ProjectionGrads& grads) {
  const auto &x = tape.x, &u = tape.u, &a = tape.a, &xhat = tape.xhat, &rstd = tape.rstd, &mask = tape.mask,
             &present = tape.present;
  const auto& weight = block.weight;
  const auto& norm_weight = block.norm_weight;
  const int64_t activation = activation_code(block.activation);
  const auto grad_h = grad_output.contiguous();
  const int64_t heads = x.size(0), rows = x.size(1), in = x.size(2), d = weight.size(1);
  const bool norm = norm_weight.defined(), dropout = mask.defined();

  // dL/dy, y = x W^T + b: the mirror pass over each row.
  auto grad_y = torch::empty_like(u);
  std::vector<float> scratch(static_cast<size_t>(d));
  for (int64_t s = 0; s < heads; ++s) {
    const float keep_s = static_cast<float>(tape.keep[static_cast<size_t>(s)]);
    const float* gamma = norm ? norm_weight.data_ptr<float>() + s * norm_weight.stride(0) : nullptr;
    float* db = grads.bias.tensor.defined() ? grads.bias.row(s) : nullptr;
    float* dgamma = norm ? grads.norm_weight.row(s) : nullptr;
    float* dbeta = norm ? grads.norm_bias.row(s) : nullptr;
    for (int64_t i = 0; i < rows; ++i) {
      const int64_t row = s * rows + i;
      float* gy = grad_y.data_ptr<float>() + row * d;
      const float p = present.defined() ? present.data_ptr<float>()[row] : 1.0f;
      if (p == 0) {  // an absent modality's row: h is 0 whatever the parameters
        std::fill(gy, gy + d, 0.0f);
        continue;
      }
      const float* gh = grad_h.data_ptr<float>() + row * d;
      const float* ur = u.data_ptr<float>() + row * d;
      const float* ar = a.data_ptr<float>() + row * d;
      const float* m = dropout ? mask.data_ptr<float>() + row * d : nullptr;
      // dL/du: back through the presence, the dropout mask and the activation.
      if (m != nullptr)
        for (int64_t j = 0; j < d; ++j) gy[j] = gh[j] * p / keep_s * m[j];
      else
        for (int64_t j = 0; j < d; ++j) gy[j] = gh[j] * p;
      if (activation == kRelu)
        for (int64_t j = 0; j < d; ++j) gy[j] = ur[j] > 0 ? gy[j] : 0.0f;
      else if (activation == kTanh)
        for (int64_t j = 0; j < d; ++j) gy[j] *= 1.0f - ar[j] * ar[j];
      else
        for (int64_t j = 0; j < d; ++j) gy[j] *= gelu_slope(ur[j]);
      if (norm)
        normalise_row_backward(gy, d, xhat.data_ptr<float>() + row * d, rstd.data_ptr<float>()[row], gamma, dgamma,
                               dbeta, scratch.data());
      if (db != nullptr)
        for (int64_t j = 0; j < d; ++j) db[j] += gy[j];
    }
  }

  const float* xs = x.data_ptr<float>();
  const float* ws = weight.data_ptr<float>();
  const float* gys = grad_y.data_ptr<float>();
  torch::Tensor grad_x;
  if (grad_input) {
    grad_x = torch::empty_like(x);
    stacked_grad_input(heads, rows, in, d, gys, ws, weight.stride(0), grad_x.data_ptr<float>());
  }
  if (grads.weight.tensor.defined())
    stacked_grad_weight(heads, rows, in, d, gys, xs, grads.weight.row(0), grads.weight.tensor.stride(0));
  return grad_x;
}

namespace {

// The projection's inputs without "empty means none": the autograd function
// takes no undefined tensors, the raw passes take no empty stand-ins.
torch::Tensor none_if_empty(const torch::Tensor& t) { return t.numel() > 0 ? t : torch::Tensor(); }

class FusedProjectionFunction : public torch::autograd::Function<FusedProjectionFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, const torch::Tensor& weight,
                               const torch::Tensor& bias, const torch::Tensor& norm_weight,
                               const torch::Tensor& norm_bias, const torch::Tensor& mask, const torch::Tensor& present,
                               int64_t activation, std::vector<double> keep) {
    const FusedProjection block{weight, none_if_empty(bias), none_if_empty(norm_weight), none_if_empty(norm_bias),
                                activation_name(activation)};
    ProjectionTape tape;
    auto h = projection_forward(input, block, none_if_empty(mask), keep, none_if_empty(present), tape);
    ctx->save_for_backward({tape.x, weight, tape.u, tape.a, or_none(tape.xhat), or_none(tape.rstd), norm_weight,
                            or_none(tape.mask), or_none(tape.present)});
    ctx->saved_data["activation"] = activation;
    ctx->saved_data["keep"] = keep;
    // The leaves themselves, to reach their .grad in backward.
    ctx->saved_data["weight"] = weight;
    ctx->saved_data["bias"] = bias;
    ctx->saved_data["norm_weight"] = norm_weight;
    ctx->saved_data["norm_bias"] = norm_bias;
    return h;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    ProjectionTape tape;
    tape.x = saved[0];
    tape.u = saved[2];
    tape.a = saved[3];
    tape.xhat = none_if_empty(saved[4]);
    tape.rstd = none_if_empty(saved[5]);
    tape.mask = none_if_empty(saved[7]);
    tape.present = none_if_empty(saved[8]);
    tape.keep = ctx->saved_data["keep"].toDoubleVector();
    const auto bias = ctx->saved_data["bias"].toTensor();
    const FusedProjection block{saved[1],
                                none_if_empty(bias),
                                none_if_empty(saved[6]),
                                {},
                                activation_name(ctx->saved_data["activation"].toInt())};
    ProjectionGrads grads;
    if (bias.numel() > 0) grads.bias = grad_target(bias);
    if (block.norm_weight.defined()) {
      grads.norm_weight = grad_target(ctx->saved_data["norm_weight"].toTensor());
      grads.norm_bias = grad_target(ctx->saved_data["norm_bias"].toTensor());
    }
    if (ctx->needs_input_grad(1)) grads.weight = grad_target(ctx->saved_data["weight"].toTensor());
    const auto grad_x = projection_backward(grad_outputs[0], block, tape, ctx->needs_input_grad(0), grads);
    return {grad_x,
            grads.weight.result(),
            grads.bias.result(),
            grads.norm_weight.result(),
            grads.norm_bias.result(),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor()};
  }
};

bool cpu_float(const torch::Tensor& t) { return !t.defined() || (t.is_cpu() && t.scalar_type() == torch::kFloat); }

}  // namespace

bool fused_projection_available(const torch::Tensor& x, const FusedProjection& block) {
  return have_sgemm() && cpu_float(x) && cpu_float(block.weight) && cpu_float(block.bias) &&
         cpu_float(block.norm_weight) && cpu_float(block.norm_bias) && block.weight.stride(2) == 1 &&
         block.weight.stride(1) == block.weight.size(2) && (!block.bias.defined() || block.bias.stride(1) == 1) &&
         (!block.norm_weight.defined() || (block.norm_weight.stride(1) == 1 && block.norm_bias.stride(1) == 1));
}

torch::Tensor fused_projection(const torch::Tensor& x, const FusedProjection& block, const torch::Tensor& mask,
                               const std::vector<double>& keep, const torch::Tensor& present) {
  TORCH_CHECK(static_cast<int64_t>(keep.size()) == x.size(0), "fused_projection: one keep rate per head");
  return FusedProjectionFunction::apply(
      x, block.weight, or_none(block.bias), or_none(block.norm_weight), or_none(block.norm_bias),
      or_none(mask.defined() ? mask.to(torch::kFloat) : mask),
      or_none(present.defined() ? present.to(torch::kFloat) : present), activation_code(block.activation), keep);
}
}  // namespace daf
