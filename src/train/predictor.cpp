#include "daf/train/predictor.h"

#include <ATen/CPUGeneratorImpl.h>

#include "daf/config/task.h"
#include "daf/metrics/class_report.h"
#include "daf/metrics/classification_metrics.h"
#include "daf/metrics/multilabel_report.h"
#include "daf/metrics/regression_metrics.h"
#include "daf/model/task_loss.h"

namespace daf {
namespace {

constexpr int64_t kPredictBatch = 4096;  // memory bound only; results do not depend on it

template <class T>
void append(std::vector<T>& out, const torch::Tensor& values) {
  const auto cpu = values.to(torch::kCPU).contiguous();
  out.insert(out.end(), cpu.data_ptr<T>(), cpu.data_ptr<T>() + cpu.numel());
}

// Splits "F1_<class>" style metrics off the summary: the first `summary` entries stay.
Scores split_metrics(const MetricValues& all, size_t summary) {
  Scores scores;
  scores.metrics.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(summary, all.size())));
  scores.per_output.assign(all.begin() + static_cast<std::ptrdiff_t>(scores.metrics.size()), all.end());
  return scores;
}

}  // namespace

Predictions predict(FusionHead& model, const SplitTensors& data, const ModelMetadata& metadata,
                    const InputPerturbation& perturbation) {
  torch::NoGradGuard no_grad;
  model->eval();
  const Config& config = metadata.config;
  const std::string& task = config.model.task;
  Predictions result;
  const int64_t n = data.size();
  double loss_sum = 0;
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(perturbation.noise_seed);
  for (int64_t start = 0; start < n; start += kPredictBatch) {
    const int64_t end = std::min(n, start + kPredictBatch);
    std::vector<torch::Tensor> features;
    for (const auto& f : data.features) features.push_back(f.slice(0, start, end));
    const int64_t noisy = perturbation.noisy_modality;
    if (noisy >= 0 && perturbation.noise_std > 0) {
      auto& f = features[static_cast<size_t>(noisy)];
      const auto noise = torch::randn(f.sizes(), generator, torch::kFloat) * perturbation.noise_std;
      f = f + noise.to(f.device());
    }
    auto present = data.present.slice(0, start, end).clone();
    for (int64_t m : perturbation.masked) present.select(1, m).zero_();
    if (!perturbation.removed.empty()) {
      const int64_t m_count = present.size(1);
      auto removed = torch::from_blob(const_cast<uint8_t*>(perturbation.removed.data()) + start * m_count,
                                      {end - start, m_count}, torch::kUInt8);
      present.mul_(1 - removed.to(present.device(), present.scalar_type()));
    }
    const auto target = data.target.slice(0, start, end);
    const FusionOutput out = model->forward(features, present);
    loss_sum += task_loss(out.output, target, config, metadata.loss_weights).item<double>() *
                static_cast<double>(end - start);
    if (is_class_task(task)) {
      append<int64_t>(result.classes, out.output.argmax(1));
      append<float>(result.probabilities, torch::softmax(out.output, 1));
    } else if (is_multilabel_task(task)) {
      const auto logits = out.output.reshape(target.sizes());
      append<float>(result.probabilities, torch::sigmoid(logits));
      append<uint8_t>(result.labels, (logits > 0).to(torch::kUInt8));
    } else {
      append<float>(result.scores, out.output);
    }
    if (out.weights.defined()) append<float>(result.weights, out.weights);
  }
  result.loss = n > 0 ? loss_sum / static_cast<double>(n) : 0.0;
  return result;
}

std::vector<std::vector<uint8_t>> true_labels(const SplitTensors& data) {
  const auto presence = data.target.to(torch::kCPU).to(torch::kUInt8).contiguous();
  const int64_t n = presence.size(0), width = presence.size(1);
  std::vector<std::vector<uint8_t>> rows(static_cast<size_t>(n));
  const uint8_t* p = presence.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n; ++i) rows[static_cast<size_t>(i)].assign(p + i * width, p + (i + 1) * width);
  return rows;
}

Scores score_predictions(const Predictions& predictions, const SplitTensors& data, const ModelMetadata& metadata) {
  const Config& config = metadata.config;
  const std::string& task = config.model.task;
  Scores scores;
  if (task == "multiclass") {
    const ClassReport report = class_report(predictions.classes, data.classes, metadata.num_outputs());
    scores = split_metrics(report.metrics(config.data.classes), 4);  // accuracy, F1_weighted, F1_macro, UAR
    scores.confusion = report.confusion;
  } else if (is_class_task(task)) {
    const auto report = classification_metrics(predictions.classes, data.classes, metadata.num_outputs());
    scores.metrics = report.metrics;
    scores.confusion = report.confusion;
  } else if (is_multilabel_task(task)) {
    const auto width = static_cast<size_t>(metadata.num_outputs());
    std::vector<std::vector<uint8_t>> predicted;
    for (size_t i = 0; i < predictions.labels.size(); i += width)
      predicted.emplace_back(predictions.labels.begin() + static_cast<std::ptrdiff_t>(i),
                             predictions.labels.begin() + static_cast<std::ptrdiff_t>(i + width));
    const MultilabelReport report = multilabel_report(predicted, true_labels(data));
    scores = split_metrics(report.metrics(config.data.targets), 4);  // accuracy_mean, WA_mean, F1_macro, F1_micro
  } else {
    scores.metrics = regression_metrics(predictions.scores, data.scores);
  }
  scores.metrics.emplace_back("loss", predictions.loss);
  return scores;
}

}  // namespace daf
