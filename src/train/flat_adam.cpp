#include "daf/train/flat_adam.h"

#include <cmath>

namespace daf {

FlatAdam::FlatAdam(std::vector<torch::Tensor> parameters, FlatAdamOptions options) : options_(options) {
  int64_t total = 0;
  for (const auto& p : parameters) total += p.numel();
  const auto tensor_options = parameters.empty() ? torch::TensorOptions() : parameters.front().options();
  values_ = torch::empty({total}, tensor_options);
  grads_ = torch::zeros({total}, tensor_options);
  attach(std::move(parameters));
  exp_avg_ = torch::zeros_like(values_);
  exp_avg_sq_ = torch::zeros_like(values_);
}

void FlatAdam::attach(std::vector<torch::Tensor> parameters) {
  int64_t offset = 0;
  torch::NoGradGuard no_grad;
  for (auto& p : parameters) {
    const int64_t n = p.numel();
    auto value = values_.narrow(0, offset, n).view(p.sizes());
    value.copy_(p);
    p.set_data(value);
    // A defined gradient is accumulated into in place, so backward writes straight into grads_.
    p.mutable_grad() = grads_.narrow(0, offset, n).view(p.sizes());
    offset += n;
  }
  TORCH_CHECK(offset == values_.numel(), "FlatAdam::attach: parameters differ from construction");
}

void FlatAdam::clip_grad_norm(double max_norm) {
  const double norm = grads_.norm().item<double>();
  const double scale = max_norm / (norm + 1e-6);
  if (scale < 1) grads_.mul_(scale);
}

void FlatAdam::step() {
  torch::NoGradGuard no_grad;
  ++steps_;
  auto grad = grads_;
  if (options_.weight_decay != 0) {
    if (options_.decoupled)
      values_.mul_(1 - options_.lr * options_.weight_decay);
    else
      grad = grad.add(values_, options_.weight_decay);
  }
  exp_avg_.mul_(options_.beta1).add_(grad, 1 - options_.beta1);
  exp_avg_sq_.mul_(options_.beta2).addcmul_(grad, grad, 1 - options_.beta2);
  const double bias_correction1 = 1 - std::pow(options_.beta1, static_cast<double>(steps_));
  const double bias_correction2 = 1 - std::pow(options_.beta2, static_cast<double>(steps_));
  const auto denom = (exp_avg_sq_.sqrt() / std::sqrt(bias_correction2)).add_(options_.eps);
  values_.addcdiv_(exp_avg_, denom, -options_.lr / bias_correction1);
}

void FlatAdam::save(torch::serialize::OutputArchive& archive) const {
  archive.write("exp_avg", exp_avg_, true);
  archive.write("exp_avg_sq", exp_avg_sq_, true);
  archive.write("steps", c10::IValue(steps_));
}

void FlatAdam::load(torch::serialize::InputArchive& archive) {
  torch::NoGradGuard no_grad;
  torch::Tensor exp_avg, exp_avg_sq;
  archive.read("exp_avg", exp_avg, true);
  archive.read("exp_avg_sq", exp_avg_sq, true);
  exp_avg_.copy_(exp_avg);
  exp_avg_sq_.copy_(exp_avg_sq);
  c10::IValue steps;
  archive.read("steps", steps);
  steps_ = steps.toInt();
}

}  // namespace daf
