#include "stacked_linear.h"

#include "grad_target.h"
#include "sgemm.h"

namespace daf {
namespace {

// A [S, rows, cols] tensor whose matrices are row-major and dense (any stride between heads).
bool rows_dense(const torch::Tensor& t) { return t.stride(2) == 1 && t.stride(1) == t.size(2); }

}  // namespace

bool linear_available(const torch::Tensor& weight) {
  return have_sgemm() && weight.is_cpu() && weight.scalar_type() == torch::kFloat && weight.dim() == 3 &&
         rows_dense(weight);
}

torch::Tensor linear_forward(const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias) {
  const auto x = input.contiguous();
  const int64_t heads = x.size(0), rows = x.size(1), in = x.size(2), out = weight.size(1);
  auto y = torch::empty({heads, rows, out}, x.options());
  float beta = 0;
  if (bias.defined()) {
    y.copy_(bias.unsqueeze(1).expand_as(y));
    beta = 1;
  }
  // Raw pointers per head: a select() per head and matrix costs more than a small gemm.
  stacked_forward(heads, rows, in, out, x.data_ptr<float>(), weight.data_ptr<float>(), weight.stride(0), beta,
                  y.data_ptr<float>());
  return y;
}

torch::Tensor linear_backward(const torch::Tensor& grad_output, const torch::Tensor& input, const torch::Tensor& weight,
                              bool grad_input, GradTarget& grad_weight, GradTarget& grad_bias) {
  const auto x = input.contiguous();
  const auto grad_y = grad_output.contiguous();
  const int64_t heads = x.size(0), rows = x.size(1), in = x.size(2), out = weight.size(1);
  const float* gys = grad_y.data_ptr<float>();
  torch::Tensor grad_x;
  if (grad_input) {
    grad_x = torch::empty_like(x);
    stacked_grad_input(heads, rows, in, out, gys, weight.data_ptr<float>(), weight.stride(0), grad_x.data_ptr<float>());
  }
  if (grad_weight.tensor.defined())
    stacked_grad_weight(heads, rows, in, out, gys, x.data_ptr<float>(), grad_weight.row(0),
                        grad_weight.tensor.stride(0));
  if (grad_bias.tensor.defined()) grad_bias.tensor.add_(grad_y.sum(1));
  return grad_x;
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class StackedLinearFunction : public torch::autograd::Function<StackedLinearFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, const torch::Tensor& weight,
                               const torch::Tensor& bias) {
    const auto x = input.contiguous();
    const bool has_bias = bias.numel() > 0;
    auto y = linear_forward(x, weight, has_bias ? bias : torch::Tensor());
    ctx->save_for_backward({x, weight});
    ctx->saved_data["has_bias"] = has_bias;
    // The leaves themselves, to reach their .grad in backward.
    ctx->saved_data["weight"] = weight;
    if (has_bias) ctx->saved_data["bias"] = bias;
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    GradTarget grad_weight, grad_bias;
    if (ctx->needs_input_grad(1)) grad_weight = grad_target(ctx->saved_data["weight"].toTensor());
    if (ctx->saved_data["has_bias"].toBool() && ctx->needs_input_grad(2))
      grad_bias = grad_target(ctx->saved_data["bias"].toTensor());
    const auto grad_x =
        linear_backward(grad_outputs[0], saved[0], saved[1], ctx->needs_input_grad(0), grad_weight, grad_bias);
    return {grad_x, grad_weight.result(), grad_bias.result()};
  }
};

}  // namespace

torch::Tensor stacked_linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  if (x.is_cpu() && x.scalar_type() == torch::kFloat && linear_available(weight)) {
    // Autograd functions take no undefined inputs: an empty tensor means no bias.
    static const torch::Tensor no_bias = torch::empty({0});
    return StackedLinearFunction::apply(x, weight, bias.defined() ? bias : no_bias);
  }
  const auto transposed = weight.transpose(1, 2);
  return bias.defined() ? torch::baddbmm(bias.unsqueeze(1), x, transposed) : torch::bmm(x, transposed);
}
}  // namespace daf
