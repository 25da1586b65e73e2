#include "daf/train/flat_adam.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

#include "adam_kernel.h"

namespace daf {

FlatAdam::FlatAdam(std::vector<torch::Tensor> parameters, FlatAdamOptions options, int64_t rows)
    : options_(options) {
  TORCH_CHECK(rows >= 1, "FlatAdam: rows must be >= 1");
  int64_t total = 0;
  for (const auto& p : parameters) {
    TORCH_CHECK(rows == 1 || (p.dim() >= 1 && p.size(0) == rows), "FlatAdam: a parameter of shape ", p.sizes(),
                " is not stacked over ", rows, " rows");
    total += p.numel() / rows;
  }
  const auto tensor_options = parameters.empty() ? torch::TensorOptions() : parameters.front().options();
  values_ = torch::empty({rows, total}, tensor_options);
  grads_ = torch::zeros({rows, total}, tensor_options);
  attach(std::move(parameters));
  exp_avg_ = torch::zeros_like(values_);
  exp_avg_sq_ = torch::zeros_like(values_);
  lr_.assign(static_cast<size_t>(rows), options_.lr);
  weight_decay_.assign(static_cast<size_t>(rows), options_.weight_decay);
}

void FlatAdam::set_row_rates(std::vector<double> lr, std::vector<double> weight_decay) {
  TORCH_CHECK(static_cast<int64_t>(lr.size()) == rows() && static_cast<int64_t>(weight_decay.size()) == rows(),
              "FlatAdam::set_row_rates: one value per row");
  lr_ = std::move(lr);
  weight_decay_ = std::move(weight_decay);
}

void FlatAdam::attach(std::vector<torch::Tensor> parameters) {
  const int64_t rows = values_.size(0);
  int64_t offset = 0;
  torch::NoGradGuard no_grad;
  for (auto& p : parameters) {
    const int64_t n = p.numel() / rows;
    // A column block of a [rows, P] buffer viewed as the parameter's shape:
    // row-contiguous, so it views without a copy.
    auto value = values_.narrow(1, offset, n).view(p.sizes());
    value.copy_(p);
    p.set_data(value);
    // A defined gradient is accumulated into in place, so backward writes straight into grads_.
    p.mutable_grad() = grads_.narrow(1, offset, n).view(p.sizes());
    offset += n;
  }
  TORCH_CHECK(offset == values_.size(1), "FlatAdam::attach: parameters differ from construction");
}

namespace {
bool fusable(const torch::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == torch::kFloat; }
}  // namespace

void FlatAdam::clip_grad_norm(double max_norm) {
  clip_grad_norm(std::vector<double>(static_cast<size_t>(rows()), max_norm));
}

void FlatAdam::clip_grad_norm(const std::vector<double>& max_norms) {
  TORCH_CHECK(static_cast<int64_t>(max_norms.size()) == rows(), "FlatAdam::clip_grad_norm: one limit per row");
  const auto norms = grads_.norm(2, {1}).to(torch::kDouble).cpu().contiguous();
  const int64_t rows = values_.size(0);
  std::vector<float> scales(static_cast<size_t>(rows), 1.0f);
  bool any = false;
  for (int64_t r = 0; r < rows; ++r) {
    const double max_norm = max_norms[static_cast<size_t>(r)];
    if (max_norm <= 0) continue;
    const double scale = max_norm / (norms.data_ptr<double>()[r] + 1e-6);
    if (scale < 1) {
      scales[static_cast<size_t>(r)] = static_cast<float>(scale);
      any = true;
    }
  }
  if (!any) return;
  if (fusable(values_))
    clip_scale_ = std::move(scales);
  else
    grads_.mul_(torch::tensor(scales, grads_.options()).unsqueeze(1));
}

void FlatAdam::fused_cpu_step(double bias_correction1, double bias_correction2_sqrt, bool zero_grad) {
  const int64_t width = values_.size(1);
  AdamCoefficients c;
  c.beta1 = static_cast<float>(options_.beta1);
  c.beta2 = static_cast<float>(options_.beta2);
  c.eps = static_cast<float>(options_.eps);
  c.correction = static_cast<float>(bias_correction2_sqrt);
  for (int64_t r = 0; r < values_.size(0); ++r) {
    const double lr = lr_[static_cast<size_t>(r)], weight_decay = weight_decay_[static_cast<size_t>(r)];
    c.step = static_cast<float>(-(lr / bias_correction1));
    c.weight_decay = options_.decoupled ? 0.0f : static_cast<float>(weight_decay);
    c.decay = options_.decoupled ? static_cast<float>(1 - lr * weight_decay) : 1.0f;
    c.grad_scale = clip_scale_.empty() ? 1.0f : clip_scale_[static_cast<size_t>(r)];
    float* value = values_[r].data_ptr<float>();
    float* grad = grads_[r].data_ptr<float>();
    float* m = exp_avg_[r].data_ptr<float>();
    float* v = exp_avg_sq_[r].data_ptr<float>();
    at::parallel_for(0, width, 1 << 15, [&](int64_t begin, int64_t end) {
      adam_update(value + begin, grad + begin, m + begin, v + begin, end - begin, c, zero_grad);
    });
  }
  clip_scale_.clear();
}

void FlatAdam::step() { update(false); }

void FlatAdam::step_and_zero_grad() { update(true); }

void FlatAdam::update(bool zero_grad) {
  torch::NoGradGuard no_grad;
  ++steps_;
  const double bias_correction1 = 1 - std::pow(options_.beta1, static_cast<double>(steps_));
  const double bias_correction2 = 1 - std::pow(options_.beta2, static_cast<double>(steps_));
  if (fusable(values_)) {
    fused_cpu_step(bias_correction1, std::sqrt(bias_correction2), zero_grad);
    return;
  }
  const bool uniform = std::all_of(lr_.begin(), lr_.end(), [&](double v) { return v == lr_.front(); }) &&
                       std::all_of(weight_decay_.begin(), weight_decay_.end(),
                                   [&](double v) { return v == weight_decay_.front(); });
  // Per-row rates as [rows, 1] columns; one number when every row has the same.
  const auto column = [&](const std::vector<double>& v) {
    return torch::tensor(v, torch::TensorOptions().dtype(torch::kDouble)).to(values_.options()).unsqueeze(1);
  };
  auto grad = grads_;
  if (uniform) {
    const double lr = lr_.front(), weight_decay = weight_decay_.front();
    if (weight_decay != 0) {
      if (options_.decoupled)
        values_.mul_(1 - lr * weight_decay);
      else
        grad = grad.add(values_, weight_decay);
    }
  } else {
    std::vector<double> decay;
    for (size_t r = 0; r < lr_.size(); ++r) decay.push_back(1 - lr_[r] * weight_decay_[r]);
    if (options_.decoupled)
      values_.mul_(column(decay));
    else
      grad = grad.add(values_ * column(weight_decay_));
  }
  exp_avg_.mul_(options_.beta1).add_(grad, 1 - options_.beta1);
  exp_avg_sq_.mul_(options_.beta2).addcmul_(grad, grad, 1 - options_.beta2);
  const auto denom = (exp_avg_sq_.sqrt() / std::sqrt(bias_correction2)).add_(options_.eps);
  if (uniform) {
    values_.addcdiv_(exp_avg_, denom, -lr_.front() / bias_correction1);
  } else {
    std::vector<double> steps;
    for (const double lr : lr_) steps.push_back(-lr / bias_correction1);
    values_.add_(exp_avg_ / denom * column(steps));
  }
  if (zero_grad) grads_.zero_();
}

void FlatAdam::keep_rows(const std::vector<int64_t>& keep, std::vector<torch::Tensor> parameters) {
  torch::NoGradGuard no_grad;
  const auto index = torch::tensor(keep, torch::kLong).to(values_.device());
  exp_avg_ = exp_avg_.index_select(0, index);
  exp_avg_sq_ = exp_avg_sq_.index_select(0, index);
  std::vector<double> lr, weight_decay;
  for (const int64_t r : keep) {
    lr.push_back(lr_[static_cast<size_t>(r)]);
    weight_decay.push_back(weight_decay_[static_cast<size_t>(r)]);
  }
  lr_ = std::move(lr);
  weight_decay_ = std::move(weight_decay);
  values_ = torch::empty_like(exp_avg_);
  grads_ = torch::zeros_like(exp_avg_);
  clip_scale_.clear();
  // The parameters take their kept rows; attach() copies them into the new buffer.
  for (auto& p : parameters) p.set_data(p.index_select(0, index));
  attach(std::move(parameters));
}

void FlatAdam::save_row(torch::serialize::OutputArchive& archive, int64_t row) const {
  // Copies: a view is serialised with its whole storage, i.e. every row's moments,
  // which made each stacked run's checkpoint (and its write every epoch) S times larger.
  archive.write("exp_avg", exp_avg_.select(0, row).clone(), true);
  archive.write("exp_avg_sq", exp_avg_sq_.select(0, row).clone(), true);
  archive.write("steps", c10::IValue(steps_));
}

void FlatAdam::load_row(torch::serialize::InputArchive& archive, int64_t row) {
  torch::NoGradGuard no_grad;
  torch::Tensor exp_avg, exp_avg_sq;
  archive.read("exp_avg", exp_avg, true);
  archive.read("exp_avg_sq", exp_avg_sq, true);
  auto target_avg = exp_avg_.select(0, row), target_sq = exp_avg_sq_.select(0, row);
  target_avg.copy_(exp_avg.view_as(target_avg));
  target_sq.copy_(exp_avg_sq.view_as(target_sq));
  c10::IValue steps;
  archive.read("steps", steps);
  if (row > 0 && steps.toInt() != steps_)
    throw std::logic_error("FlatAdam::load_row: rows with different step counts cannot share an optimizer");
  steps_ = steps.toInt();
}

}  // namespace daf
