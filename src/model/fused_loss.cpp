#include "fused_loss.h"

#include <cmath>

#include "grad_target.h"
#include "sgemm.h"
#include "stacked_linear.h"

namespace daf {

torch::Tensor regression_loss_forward(const torch::Tensor& z_in, const torch::Tensor& weight, const torch::Tensor& bias,
                                      const torch::Tensor& target_in, const std::vector<int64_t>& mse,
                                      LossTape& tape) {
  const auto z = z_in.contiguous();
  const auto target = target_in.contiguous();
  const int64_t heads = z.size(0), rows = z.size(1), in = z.size(2);
  // y = z w^T + b as stacked_linear computes it: the bias first, then the product added to it.
  auto difference = bias.detach().expand({heads, rows}).contiguous();
  float* ds = difference.data_ptr<float>();
  stacked_forward(heads, rows, in, 1, z.data_ptr<float>(), weight.data_ptr<float>(), weight.stride(0), 1.0f, ds);
  const float* ts = target.data_ptr<float>();
  auto losses = torch::empty({heads}, z.options());
  float* ls = losses.data_ptr<float>();
  for (int64_t s = 0; s < heads; ++s) {
    const bool squared = mse[static_cast<size_t>(s)] != 0;
    double total = 0;
    for (int64_t i = s * rows; i < (s + 1) * rows; ++i) {
      ds[i] -= ts[i];
      total += squared ? static_cast<double>(ds[i]) * ds[i] : std::abs(static_cast<double>(ds[i]));
    }
    ls[s] = static_cast<float>(total / static_cast<double>(rows));
  }
  tape = LossTape{z, difference, mse};
  return losses;
}

torch::Tensor regression_loss_backward(const torch::Tensor& grad_losses, const torch::Tensor& weight,
                                       const LossTape& tape, bool grad_input, GradTarget& grad_weight,
                                       GradTarget& grad_bias) {
  const auto &z = tape.z, &difference = tape.difference;
  const auto grad_loss = grad_losses.contiguous();
  const int64_t heads = z.size(0), rows = z.size(1), in = z.size(2);
  // dloss/dy, in autograd's operations: mean's backward divides by the rows,
  // abs's multiplies by sign(y - t) (0 at 0), square's by 2 (y - t).
  auto grad_y = torch::empty({heads, rows}, z.options());
  const float* ds = difference.data_ptr<float>();
  const float* gl = grad_loss.data_ptr<float>();
  float* gy = grad_y.data_ptr<float>();
  for (int64_t s = 0; s < heads; ++s) {
    const float share = gl[s] / static_cast<float>(rows);
    const bool squared = tape.mse[static_cast<size_t>(s)] != 0;
    for (int64_t i = s * rows; i < (s + 1) * rows; ++i) {
      const float d = ds[i];
      gy[i] = squared ? share * (2.0f * d) : share * static_cast<float>((d > 0) - (d < 0));
    }
  }

  torch::Tensor grad_z;
  if (grad_input) {
    grad_z = torch::empty_like(z);
    stacked_grad_input(heads, rows, in, 1, gy, weight.data_ptr<float>(), weight.stride(0), grad_z.data_ptr<float>());
  }
  // Straight into .grad where it is allocated (FlatAdam's buffer), as stacked_linear does.
  if (grad_weight.tensor.defined())
    stacked_grad_weight(heads, rows, in, 1, gy, z.data_ptr<float>(), grad_weight.row(0), grad_weight.tensor.stride(0));
  if (grad_bias.tensor.defined()) grad_bias.tensor.add_(grad_y.sum(1, true));
  return grad_z;
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class FusedRegressionLoss : public torch::autograd::Function<FusedRegressionLoss> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& z, const torch::Tensor& weight,
                               const torch::Tensor& bias, const torch::Tensor& target, std::vector<int64_t> mse) {
    LossTape tape;
    const auto losses = regression_loss_forward(z, weight, bias, target, mse, tape);
    ctx->save_for_backward({tape.z, weight, tape.difference});
    ctx->saved_data["mse"] = mse;
    ctx->saved_data["weight"] = weight;  // the leaves, to reach their .grad
    ctx->saved_data["bias"] = bias;
    return losses;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const LossTape tape{saved[0], saved[2], ctx->saved_data["mse"].toIntVector()};
    GradTarget grad_weight, grad_bias;
    if (ctx->needs_input_grad(1)) grad_weight = grad_target(ctx->saved_data["weight"].toTensor());
    if (ctx->needs_input_grad(2)) grad_bias = grad_target(ctx->saved_data["bias"].toTensor());
    const auto grad_z =
        regression_loss_backward(grad_outputs[0], saved[1], tape, ctx->needs_input_grad(0), grad_weight, grad_bias);
    return {grad_z, grad_weight.result(), grad_bias.result(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

bool fused_regression_loss_available(const torch::Tensor& weight) {
  return linear_available(weight) && weight.size(1) == 1;
}

torch::Tensor fused_regression_loss(const torch::Tensor& z, const torch::Tensor& weight, const torch::Tensor& bias,
                                    const torch::Tensor& target, const std::vector<uint8_t>& mse) {
  TORCH_CHECK(static_cast<int64_t>(mse.size()) == z.size(0), "fused_regression_loss: one loss per head");
  TORCH_CHECK(z.is_cpu() && z.scalar_type() == torch::kFloat && target.is_cpu() &&
                  target.scalar_type() == torch::kFloat && target.sizes() == z.sizes().slice(0, 2),
              "fused_regression_loss: z [S, B, h] and target [S, B], CPU floats");
  return FusedRegressionLoss::apply(z, weight, bias, target, std::vector<int64_t>(mse.begin(), mse.end()));
}

}  // namespace daf
