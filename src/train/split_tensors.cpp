#include "daf/train/split_tensors.h"

#include <cmath>

#include "daf/config/task.h"
#include "daf/metrics/classification_metrics.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {

namespace {

// Class indices of a multiclass label column; InputError naming the row otherwise.
std::vector<int64_t> class_indices(const std::vector<float>& values, const SplitData& split, const Config& config,
                                   const std::string& cache_path, const std::string& split_name) {
  const auto classes = static_cast<int64_t>(config.data.classes.size());
  std::vector<int64_t> out;
  out.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const float v = values[i];
    if (!(v >= 0 && v < static_cast<float>(classes) && v == std::floor(v)))
      throw InputError(cache_path + ": /" + split_name + "/labels/" + config.data.target + " row " + std::to_string(i) +
                       " (id " + split.ids[i] + "): expected a class index 0.." + std::to_string(classes - 1) +
                       " (data.classes: " + join(config.data.classes, ", ") + "), found " + format_number(v));
    out.push_back(static_cast<int64_t>(v));
  }
  return out;
}

}  // namespace

void check_class_names(const EmbeddingCache& cache, const Config& config, const std::string& cache_path) {
  if (config.model.task != "multiclass") {
    // Class indices are names, not quantities: regressing on them or thresholding them means nothing.
    for (const auto& column : task_label_columns(config)) {
      const auto found = cache.attributes.find(class_names_attribute(column));
      if (found == cache.attributes.end()) continue;
      const std::string classes = join(split_class_names(found->second), ", ");
      throw InputError(cache_path + ": labels/" + column + " holds class indices (attribute " +
                       class_names_attribute(column) + ": " + classes + "), not values for model.task " +
                       config.model.task + "; train on it with model.task: multiclass, data.target: " + column +
                       ", data.classes: [" + classes + "]");
    }
    return;
  }
  const auto found = cache.attributes.find(class_names_attribute(config.data.target));
  if (found == cache.attributes.end()) return;
  const auto recorded = split_class_names(found->second);
  if (recorded != config.data.classes)
    throw InputError(cache_path + ": labels/" + config.data.target + " holds the classes [" + join(recorded, ", ") +
                     "] (attribute " + class_names_attribute(config.data.target) + "), but data.classes is [" +
                     join(config.data.classes, ", ") + "]");
}

SplitData select_columns(const SplitData& split, const Config& config, const std::string& split_name) {
  SplitData out;
  out.ids = split.ids;
  out.meta = split.meta;
  for (const auto& column : task_label_columns(config)) {
    const auto label = split.labels.find(column);
    if (label == split.labels.end())
      throw InputError(config.data.cache + ": /" + split_name + "/labels has no label '" + column + "'");
    out.labels[column] = label->second;
  }
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
  const Config& config = metadata.config;
  const auto columns = task_label_columns(config);
  std::vector<const std::vector<float>*> values;
  for (const auto& column : columns) {
    const auto label = split.labels.find(column);
    if (label == split.labels.end())
      throw InputError(cache_path + ": /" + split_name + "/labels has no '" + column + "' (" +
                       (is_multilabel_task(config.model.task) ? "data.targets" : "data.target") + ")");
    values.push_back(&label->second);
  }
  const auto width = static_cast<int64_t>(columns.size());
  out.scores.resize(static_cast<size_t>(n * width));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t l = 0; l < width; ++l)
      out.scores[static_cast<size_t>(i * width + l)] = (*values[static_cast<size_t>(l)])[static_cast<size_t>(i)];
  const std::string& task = config.model.task;
  if (task == "multiclass") {
    out.classes = class_indices(out.scores, split, config, cache_path, split_name);
  } else if (is_class_task(task)) {
    for (float s : out.scores) out.classes.push_back(sentiment_class(s, metadata.num_outputs()));
  }
  if (is_class_task(task)) {
    out.target = torch::tensor(out.classes, torch::kLong);
  } else if (is_multilabel_task(task)) {
    std::vector<float> presence;
    for (float s : out.scores) presence.push_back(s > config.data.presence_threshold ? 1.0f : 0.0f);
    out.target = torch::tensor(presence).view({n, width});
  } else {
    out.target = torch::tensor(out.scores);
  }
  out.target = out.target.to(device);
  out.present = out.present.to(device);
  out.ids = std::move(split.ids);
  out.meta = std::move(split.meta);
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
