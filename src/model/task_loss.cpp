#include "daf/model/task_loss.h"

#include <algorithm>

#include "daf/config/task.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

namespace F = torch::nn::functional;

torch::Tensor weights_tensor(const std::vector<float>& weights, const torch::Tensor& like) {
  return torch::tensor(weights, torch::kFloat).to(like.device());
}

std::vector<float> balanced_class_weights(const Config& config, const torch::Tensor& classes) {
  const auto names = task_output_names(config);
  const auto counts = torch::bincount(classes.cpu(), {}, static_cast<int64_t>(names.size()));
  const double n = static_cast<double>(classes.numel()), c = static_cast<double>(names.size());
  std::vector<float> weights;
  for (size_t k = 0; k < names.size(); ++k) {
    const int64_t count = counts[static_cast<int64_t>(k)].item<int64_t>();
    if (count == 0)
      throw InputError(config.data.cache + ": train.class_weights=balanced: class '" + names[k] +
                       "' has no utterance in the train split; give the weights as a list");
    weights.push_back(static_cast<float>(n / (c * static_cast<double>(count))));
  }
  return weights;
}

std::vector<float> balanced_pos_weights(const Config& config, const torch::Tensor& presence) {
  const auto positives = presence.cpu().to(torch::kDouble).sum(0);
  const double n = static_cast<double>(presence.size(0));
  std::vector<float> weights;
  for (size_t l = 0; l < config.data.targets.size(); ++l) {
    const double p = positives[static_cast<int64_t>(l)].item<double>();
    if (p == 0)
      throw InputError(config.data.cache + ": train.pos_weight=balanced: label '" + config.data.targets[l] +
                       "' is never present in the train split (value > " +
                       format_number(config.data.presence_threshold) + "); give the weights as a list");
    weights.push_back(static_cast<float>((n - p) / p));
  }
  return weights;
}

}  // namespace

std::vector<float> resolve_loss_weights(const Config& config, const torch::Tensor& train_target) {
  const ClassWeights& w = is_multilabel_task(config.model.task) ? config.train.pos_weight : config.train.class_weights;
  if (w.mode == "list") return std::vector<float>(w.values.begin(), w.values.end());
  if (w.mode != "balanced") return {};
  return is_multilabel_task(config.model.task) ? balanced_pos_weights(config, train_target)
                                               : balanced_class_weights(config, train_target);
}

torch::Tensor task_loss(const torch::Tensor& output, const torch::Tensor& target, const Config& config,
                        const std::vector<float>& loss_weights) {
  const std::string& task = config.model.task;
  if (is_class_task(task)) {
    auto options = F::CrossEntropyFuncOptions();
    if (!loss_weights.empty()) options = options.weight(weights_tensor(loss_weights, output));
    return F::cross_entropy(output, target, options);
  }
  if (is_multilabel_task(task)) {
    auto options = F::BinaryCrossEntropyWithLogitsFuncOptions();
    if (!loss_weights.empty()) options = options.pos_weight(weights_tensor(loss_weights, output));
    return F::binary_cross_entropy_with_logits(output.reshape(target.sizes()), target, options);
  }
  if (config.train.loss == "mse") return torch::mse_loss(output, target);
  return torch::l1_loss(output, target);
}

torch::Tensor task_loss_per_run(const torch::Tensor& output, const torch::Tensor& target,
                                const std::vector<const Config*>& rows, const std::vector<float>& loss_weights) {
  const Config& config = *rows.front();
  const auto runs = output.size(0), batch = output.size(1);
  if (is_class_task(config.model.task)) {
    const auto flat_target = target.reshape({runs * batch});
    const auto losses = F::cross_entropy(output.reshape({runs * batch, -1}), flat_target,
                                         F::CrossEntropyFuncOptions().reduction(torch::kNone))
                            .view({runs, batch});
    if (loss_weights.empty()) return losses.mean(1);
    const auto w = weights_tensor(loss_weights, output).index_select(0, flat_target).view({runs, batch});
    return (losses * w).sum(1) / w.sum(1);
  }
  if (is_multilabel_task(config.model.task)) {
    auto options = F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone);
    if (!loss_weights.empty()) options = options.pos_weight(weights_tensor(loss_weights, output));
    return F::binary_cross_entropy_with_logits(output.reshape(target.sizes()), target, options).mean({1, 2});
  }
  const auto difference = output - target;
  std::vector<uint8_t> mse;
  for (const Config* row : rows) mse.push_back(row->train.loss == "mse");
  if (std::all_of(mse.begin(), mse.end(), [&](uint8_t v) { return v == mse.front(); }))
    return mse.front() ? difference.square().mean(1) : difference.abs().mean(1);
  const auto use_mse =
      torch::tensor(std::vector<int64_t>(mse.begin(), mse.end()), torch::kLong).to(output.device()).to(torch::kBool);
  return torch::where(use_mse, difference.square().mean(1), difference.abs().mean(1));
}

}  // namespace daf
