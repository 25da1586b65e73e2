#include "daf/train/split_tensors.h"

#include "daf/metrics/classification_metrics.h"
#include "daf/util/error.h"

namespace daf {

SplitData select_columns(const SplitData& split, const Config& config, const std::string& split_name) {
  SplitData out;
  out.ids = split.ids;
  const auto label = split.labels.find(config.data.target);
  if (label == split.labels.end())
    throw InputError(config.data.cache + ": /" + split_name + "/labels has no label '" + config.data.target + "'");
  out.labels[config.data.target] = label->second;
  for (const auto& modality : config.data.modalities) {
    const auto features = split.features.find(modality);
    if (features == split.features.end())
      throw InputError(config.data.cache + ": /" + split_name + "/features has no modality '" + modality + "'");
    out.features[modality] = features->second;
    const auto present = split.present.find(modality);
    if (present != split.present.end()) out.present[modality] = present->second;
  }
  return out;
}


SplitTensors make_split_tensors(SplitData split, const ModelMetadata& metadata, const torch::Device& device,
                                const std::string& cache_path, const std::string& split_name) {
  const auto& modalities = metadata.modalities();
  const std::string& target_name = metadata.config.data.target;
  const int64_t n = split.size();
  SplitTensors out;
  out.present = torch::ones({n, static_cast<int64_t>(modalities.size())});
  for (size_t m = 0; m < modalities.size(); ++m) {
    auto& matrix = split.features.at(modalities[m]);
    if (matrix.cols != metadata.input_dims[m])
      throw InputError(cache_path + ": /" + split_name + "/features/" + modalities[m] + " has " +
                       std::to_string(matrix.cols) + " columns but the model expects " +
                       std::to_string(metadata.input_dims[m]));
    const auto stats = metadata.normalization.find(modalities[m]);
    if (stats != metadata.normalization.end()) normalize_in_place(matrix, stats->second);
    out.features.push_back(torch::from_blob(matrix.values.data(), {n, matrix.cols}).clone().to(device));
    const auto present = split.present.find(modalities[m]);
    if (present != split.present.end()) {
      auto column = out.present.select(1, static_cast<int64_t>(m));
      for (int64_t i = 0; i < n; ++i) column[i] = present->second[static_cast<size_t>(i)] ? 1.0f : 0.0f;
      // Missing features are zeros, whatever normalisation made of them.
      out.features.back() *= column.to(device).unsqueeze(1);
    }
  }
  const auto label = split.labels.find(target_name);
  if (label == split.labels.end())
    throw InputError(cache_path + ": /" + split_name + "/labels has no '" + target_name + "' (data.target)");
  out.scores = label->second;
  const int64_t classes = metadata.num_outputs();
  if (classes == 1) {
    out.target = torch::tensor(out.scores);
  } else {
    std::vector<int64_t> labels;
    for (float s : out.scores) labels.push_back(sentiment_class(s, classes));
    out.target = torch::tensor(labels, torch::kLong);
  }
  out.target = out.target.to(device);
  out.present = out.present.to(device);
  out.ids = std::move(split.ids);
  return out;
}

Batch gather_batch(const SplitTensors& data, const torch::Tensor& index) {
  Batch batch;
  for (const auto& f : data.features) batch.features.push_back(f.index_select(0, index));
  batch.present = data.present.index_select(0, index);
  batch.target = data.target.index_select(0, index);
  return batch;
}

}  // namespace daf
