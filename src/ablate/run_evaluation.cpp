#include "run_evaluation.h"

#include <algorithm>
#include <set>

#include "daf/data/split_file.h"
#include "daf/eval/missing_masks.h"
#include "daf/train/trainer.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

// The split's presence mask as [rows, M] bytes, for the missing-rate masks.
std::vector<uint8_t> present_rows(const SplitTensors& split) {
  const auto present = (split.present.to(torch::kCPU) > 0).to(torch::kUInt8).contiguous();
  return std::vector<uint8_t>(present.data_ptr<uint8_t>(), present.data_ptr<uint8_t>() + present.numel());
}

// Mean weight of each modality over the rows ("" where the run has no gate).
std::vector<std::string> mean_weights(const Predictions& predictions, size_t modality_count) {
  std::vector<std::string> out(modality_count);
  if (predictions.weights.empty()) return out;
  const size_t rows = predictions.weights.size() / modality_count;
  for (size_t m = 0; m < modality_count; ++m) {
    double sum = 0;
    for (size_t i = 0; i < rows; ++i) sum += predictions.weights[i * modality_count + m];
    out[m] = format_number(sum / static_cast<double>(rows));
  }
  return out;
}

}  // namespace

EmbeddingCache read_sweep_cache(const std::vector<SweepRun>& runs) {
  std::set<std::string> modalities;
  for (const auto& run : runs) modalities.insert(run.config.data.modalities.begin(), run.config.data.modalities.end());
  Config config = runs.front().config;
  config.data.modalities.assign(modalities.begin(), modalities.end());
  return read_training_cache(config);
}

SplitTensors run_test_tensors(const LoadedModel& loaded, const EmbeddingCache& cache) {
  const Config& config = loaded.metadata.config;
  // A cross-validation fold is tested on its own part of the pooled cache.
  const EmbeddingCache fold = config.data.split_file.empty()
                                  ? EmbeddingCache{}
                                  : apply_split_file(cache, config.data.split_file, config.data.cache);
  const SplitData& rows = (config.data.split_file.empty() ? cache : fold).splits.at("test");
  return make_split_tensors(select_columns(rows, config, "test"), loaded.metadata, torch::Device(torch::kCPU),
                            config.data.cache, "test");
}

RunEvaluations predict_evaluations(const Sweep& sweep, int64_t seed, LoadedModel& loaded, const SplitTensors& test) {
  const auto& modalities = loaded.metadata.modalities();
  RunEvaluations out;
  for (size_t e = 0; e < sweep.evaluations.size(); ++e) {
    const EvalCondition& condition = sweep.evaluations[e];
    if (!evaluation_applies(condition, modalities)) continue;
    InputPerturbation perturbation;
    if (condition.missing_rate > 0) {
      perturbation.removed = missing_mask(modalities, present_rows(test), condition.modality, condition.missing_rate);
    } else if (!condition.modality.empty()) {
      const int64_t index = std::find(modalities.begin(), modalities.end(), condition.modality) - modalities.begin();
      if (condition.mask) {
        perturbation.masked = {index};
      } else {
        perturbation.noisy_modality = index;
        perturbation.noise_std = condition.noise_std;
        perturbation.noise_seed = static_cast<uint64_t>(seed) * 7919ULL + e;
      }
    }
    out.names.push_back(condition.name);
    out.predictions.push_back(predict(loaded.model, test, loaded.metadata, perturbation));
  }
  return out;
}

std::string ablation_csv(const RunEvaluations& evaluations, const std::vector<Scores>& scores,
                         const std::vector<std::string>& modalities) {
  std::string csv = "eval";
  for (const auto& [name, value] : scores.front().metrics) csv += "," + name;
  for (const auto& m : modalities) csv += ",weight_" + m;
  csv += "\n";
  for (size_t i = 0; i < evaluations.names.size(); ++i) {
    csv += evaluations.names[i];
    for (const auto& [name, value] : scores[i].metrics) csv += "," + format_number(value);
    for (const auto& w : mean_weights(evaluations.predictions[i], modalities.size())) csv += "," + w;
    csv += "\n";
  }
  return csv;
}

}  // namespace daf
