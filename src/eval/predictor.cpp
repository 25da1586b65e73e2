#include "daf/eval/predictor.h"

#include <ATen/CPUGeneratorImpl.h>

#include "daf/metrics/regression_metrics.h"

namespace daf {
namespace {
constexpr int64_t kPredictBatch = 4096;  // memory bound only; results do not depend on it
}

torch::Tensor task_loss(const torch::Tensor& output, const torch::Tensor& target, const Config& config) {
  if (config.model.task != "regression") return torch::nn::functional::cross_entropy(output, target);
  if (config.train.loss == "mse") return torch::mse_loss(output, target);
  return torch::l1_loss(output, target);
}

Predictions predict(FusionHead& model, const SplitTensors& data, const Config& config,
                    const InputPerturbation& perturbation) {
  torch::NoGradGuard no_grad;
  model->eval();
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
    loss_sum += task_loss(out.output, target, config).item<double>() * static_cast<double>(end - start);
    if (out.output.dim() == 1) {
      const auto values = out.output.to(torch::kCPU).contiguous();
      result.scores.insert(result.scores.end(), values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    } else {
      const auto classes = out.output.argmax(1).to(torch::kCPU).contiguous();
      result.classes.insert(result.classes.end(), classes.data_ptr<int64_t>(),
                            classes.data_ptr<int64_t>() + classes.numel());
    }
    if (out.weights.defined()) {
      const auto w = out.weights.to(torch::kCPU).contiguous();
      result.weights.insert(result.weights.end(), w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
    }
  }
  result.loss = n > 0 ? loss_sum / static_cast<double>(n) : 0.0;
  return result;
}

Scores score_predictions(const Predictions& predictions, const SplitTensors& data, int64_t num_outputs) {
  Scores scores;
  if (num_outputs == 1) {
    scores.metrics = regression_metrics(predictions.scores, data.scores);
  } else {
    std::vector<int64_t> truth;
    for (float s : data.scores) truth.push_back(sentiment_class(s, num_outputs));
    auto report = classification_metrics(predictions.classes, truth, num_outputs);
    scores.metrics = report.metrics;
    scores.confusion = report.confusion;
  }
  scores.metrics.emplace_back("loss", predictions.loss);
  return scores;
}

}  // namespace daf
