#pragma once
// One split of the cache as tensors ready for the model: features normalised
// with the model's statistics, availability mask, and the target.
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "daf/data/embedding_cache.h"
#include "daf/model/model_metadata.h"

namespace daf {

struct SplitTensors {
  std::vector<std::string> ids;
  std::vector<torch::Tensor> features;  // per modality [N, D_m]
  torch::Tensor present;                // [N, M] float, 1 = available
  // [N] float (regression), [N] int64 classes, or [N, L] float 0/1 (multilabel: presence)
  torch::Tensor target;
  std::vector<float> scores;            // the label columns as stored, row-major [N, L] (L = 1 but multilabel)
  std::vector<int64_t> classes;         // class tasks: the true class of each row
  std::map<std::string, std::vector<std::string>> meta;  // the cache's meta/ columns (predictions.csv)

  int64_t size() const { return static_cast<int64_t>(ids.size()); }
};

// A cache that records class names for data.target (daf-extract, daf-synth)
// must record data.classes; InputError naming both otherwise.
void check_class_names(const EmbeddingCache& cache, const Config& config, const std::string& cache_path);

// The columns of `split` that `config` uses (its modalities and target), copied:
// normalisation then works in place without touching a shared cache.
SplitData select_columns(const SplitData& split, const Config& config, const std::string& split_name);

// `split` is consumed (normalised in place). `split_name` and `cache_path` appear in errors.
SplitTensors make_split_tensors(SplitData split, const ModelMetadata& metadata, const torch::Device& device,
                                const std::string& cache_path, const std::string& split_name);

// Rows `index` of every tensor (a training batch).
struct Batch {
  std::vector<torch::Tensor> features;
  torch::Tensor present;
  torch::Tensor target;
};
Batch gather_batch(const SplitTensors& data, const torch::Tensor& index);

}  // namespace daf
